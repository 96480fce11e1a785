"""Sample data of the assets app."""
