"""REST API generated from the registry."""
