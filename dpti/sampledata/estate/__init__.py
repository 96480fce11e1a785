"""Sample data of the estate app."""
