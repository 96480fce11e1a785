"""The sample-data app: the `load_demo`, `seed_scale` and `bench` commands."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SampleDataConfig(AppConfig):
    """Installed last: it reads every domain app and none reads it."""

    name = "dpti.sampledata"
    label = "sampledata"
    verbose_name = _("Sample data")
