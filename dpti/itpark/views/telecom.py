"""Pages of the IT park: telecom costs (being built)."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404


urlpatterns = [path("telecom-lines/costs/", not_built_yet, name="telecom_costs")]
