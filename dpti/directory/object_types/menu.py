"""The directory's menu section."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import registry

registry.add_domain("directory", _("Directory"), "ti ti-address-book", order=10)
