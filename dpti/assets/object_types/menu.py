"""The movable assets' menu section and its report pages."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import registry

registry.add_domain("assets", _("Movable assets"), "ti ti-armchair", order=25)
registry.add_menu_link(
    "assets",
    _("Fixed-asset register"),
    "assets:register",
    permission="assets.view_asset",
    internal_only=True,
    order=5,
    icon="ti ti-report-money",
)
