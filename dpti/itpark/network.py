"""Network addressing services (being built)."""


def with_utilisation(queryset):
    return queryset


def utilisation_display(prefix):
    return ""


def prefix_panel(prefix, request):
    return None


def sync_link(interface, previous, user):
    return None
