"""HTTP plumbing shared by every family: the badge response path, query parsing, JSON errors."""
