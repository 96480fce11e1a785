"""The IT park's menu section and its report pages."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import registry

registry.add_domain("itpark", _("IT and telecoms"), "ti ti-device-desktop", order=30)
registry.add_menu_link(
    "itpark",
    _("Licence compliance"),
    "itpark:licence_compliance",
    permission="itpark.view_licence",
    internal_only=True,
    order=5,
    icon="ti ti-scale",
)
registry.add_menu_link(
    "itpark",
    _("Telecom costs"),
    "itpark:telecom_costs",
    permission="itpark.view_telecomline",
    internal_only=True,
    order=6,
    icon="ti ti-receipt",
)
