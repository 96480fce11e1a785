"""Pages of the assets module: labels (being built)."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404


urlpatterns = [
    path("labels/", not_built_yet, name="labels"),
    path("scan/<str:number>/", not_built_yet, name="asset_scan"),
]
