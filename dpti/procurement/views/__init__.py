"""The procurement module's own pages, beside the generic views of its object types."""
