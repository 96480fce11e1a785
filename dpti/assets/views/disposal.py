"""Pages of the assets module: disposal (being built)."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404


urlpatterns = [path("assets/<int:pk>/dispose/", not_built_yet, name="asset_dispose")]
