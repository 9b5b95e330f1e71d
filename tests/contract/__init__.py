"""Cross-cutting contract tests (a package, so the helper modules import relatively)."""
