"""The real estate's menu section."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import registry

registry.add_domain("estate", _("Property"), "ti ti-building", order=20)
