"""Impact view (being built)."""


def impact_panel(obj, request):
    return None
