"""URLs of the REST API, generated from the registry, in the `api` namespace.

Each object type answers at /api/<app_label>/<slug>/ (names `api:<app>-<model>-list` and
`api:<app>-<model>-detail`), with its computed figures at /api/<app_label>/<slug>/<pk>/<name>/;
each report at /api/reports/<app_label>/<name>/ (`api:report-<app>-<name>`).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from dpti.core.api.figures import build_report_view
from dpti.core.api.views import ApiRootView, DocsView, RedocView, TokenView
from dpti.core.api.viewsets import build_viewset
from dpti.core.registry import registry

app_name = "api"


def registry_router():
    """A router holding one generated viewset per registered object type."""
    router = SimpleRouter()
    for object_type in sorted(registry, key=lambda ot: (ot.app_label, ot.slug)):
        router.register(
            f"{object_type.app_label}/{object_type.slug}",
            build_viewset(object_type),
            basename=f"{object_type.app_label}-{object_type.model_name}",
        )
    return router


urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    *(
        path(report.path, build_report_view(report).as_view(), name=report.url_name)
        for report in registry.api_reports()
    ),
    *registry_router().urls,
]
