"""Views of the core: the generic object views and the application pages."""
