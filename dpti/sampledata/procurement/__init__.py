"""Sample data of the procurement app."""
