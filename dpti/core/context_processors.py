"""Template context shared by every page: institution, navigation menu."""

from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst

from dpti.core.permissions import has_model_permission, user_is_scoped
from dpti.core.registry import registry


def link_allowed(link, user):
    """A menu link shows to users holding its permission; scoped users only when it says so."""
    if link.get("internal_only") and user_is_scoped(user):
        return False
    return link["permission"] is None or user.has_perm(link["permission"])


def navigation(user, path=""):
    """The domains of the menu with the entries the user may open."""
    if not user.is_authenticated:
        return []
    menu = []
    for domain in registry.domains():
        items = [
            {
                "label": capfirst(str(ot.verbose_name_plural)),
                "url": reverse(ot.url_name("list")),
                "icon": ot.icon,
                "active": path.startswith(reverse(ot.url_name("list"))),
            }
            for ot in registry
            if ot.domain == domain.slug and has_model_permission(user, ot.model, "view")
        ]
        items += [
            {
                "label": link["label"],
                "url": reverse(link["url_name"]),
                "icon": link.get("icon", ""),
                "active": path.startswith(reverse(link["url_name"])),
            }
            for link in registry.menu_links()
            if link["domain"] == domain.slug and link_allowed(link, user)
        ]
        if items:
            menu.append({"domain": domain, "items": items})
    return menu


def dpti(request):
    """Institution names and the navigation menu."""
    user = getattr(request, "user", None)
    return {
        "dpti": settings.DPTI,
        "menu": navigation(user, request.path) if user is not None else [],
    }
