"""Root URLs: core pages, one include per app generated from the registry, the API."""

from django.contrib import admin
from django.urls import include, path

from dpti.core.registry import domain_app_modules, registry
from dpti.core.views.generic import object_type_urls


def registry_urlpatterns():
    """One URL namespace per app: the generic views of its object types, then its own pages.

    An app's own pages (a register, a counting screen…) live in its `urls.py`, whose
    `urlpatterns` join the same namespace.
    """
    app_modules = {module.__name__.split(".")[1]: module for module in domain_app_modules("urls")}
    patterns = []
    for app_label in registry.app_labels():
        app_patterns = []
        for object_type in registry.for_app(app_label):
            app_patterns += object_type_urls(object_type)
        if app_label in app_modules:
            app_patterns += app_modules[app_label].urlpatterns
        patterns.append(path(f"{app_label}/", include((app_patterns, app_label))))
    return patterns


urlpatterns = [
    path("", include("dpti.core.urls")),
    path("api/", include("dpti.core.api.urls")),
    path("admin/", admin.site.urls),
    *registry_urlpatterns(),
]
