"""Trophies (platform spec): Bronze to Legendary per category, hidden trophies, a themeable grid."""
