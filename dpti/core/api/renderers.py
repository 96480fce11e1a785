"""Renderers of the API."""

from rest_framework.renderers import BrowsableAPIRenderer


class DptiBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API under DPTI's name, with links to the docs and the application."""

    template = "core/api/browsable.html"
