"""Built-in hook implementations (themes, icons, report parsers...), registered like plugins."""
