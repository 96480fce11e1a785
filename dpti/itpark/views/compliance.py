"""Pages of the IT park: licence compliance (being built)."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404


urlpatterns = [path("licences/compliance/", not_built_yet, name="licence_compliance")]
