"""Pages of the assets module: the register of fixed assets (being built)."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404


urlpatterns = [path("register/", not_built_yet, name="register")]
