"""Import screens (placeholder until the import machinery lands)."""


def import_urls(object_type):
    """URL patterns of the import screens of one object type."""
    return []
