"""The badge rendering engine: a pure library (no Flask, no I/O) that turns a BadgeSpec into SVG, PNG or JSON."""
