"""Cards: fixed-size SVG panels larger than a badge (the rank card, trophies, the heatmap)."""
