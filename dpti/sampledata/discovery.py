"""Find each domain app's sample-data module of a kind (`demo`, `scale`, `bench`)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def app_modules(kind):
    """The `dpti.sampledata.<label>.<kind>` modules of the installed apps, in app order."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{__package__}.{config.label}.{kind}"
        if find_spec(f"{__package__}.{config.label}") and find_spec(name):
            modules.append(import_module(name))
    return modules
