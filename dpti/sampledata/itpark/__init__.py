"""Sample data of the itpark app."""
