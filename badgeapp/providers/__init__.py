"""Built-in provider plugins (GitHub, registries, ...) and the provider protocol they share."""
