"""Sample data of the directory app."""
