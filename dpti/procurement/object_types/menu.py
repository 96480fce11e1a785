"""The procurement report pages in the menu (the types' own lists come from the registry)."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import registry

registry.add_menu_link(
    "procurement",
    _("Budget execution"),
    "procurement:budget_execution",
    permission="procurement.view_budgetline",
    internal_only=True,
    order=5,
    icon="ti ti-chart-bar",
)
registry.add_menu_link(
    "procurement",
    _("Programme authorisations follow-up"),
    "procurement:programmes",
    permission="procurement.view_programmeauthorisation",
    internal_only=True,
    order=6,
    icon="ti ti-timeline-event",
)
registry.add_menu_link(
    "procurement",
    _("Which procedure?"),
    "procurement:procedure_check",
    permission="procurement.view_purchaseneed",
    internal_only=True,
    order=10,
    icon="ti ti-scale",
)
registry.add_menu_link(
    "procurement",
    _("Splitting check"),
    "procurement:splitting_report",
    permission="procurement.view_purchaseneed",
    internal_only=True,
    order=11,
    icon="ti ti-arrows-split",
)
registry.add_menu_link(
    "procurement",
    _("Spending"),
    "procurement:spending",
    permission="procurement.view_commitment",
    internal_only=True,
    order=20,
    icon="ti ti-report-money",
)
registry.add_menu_link(
    "procurement",
    _("Framework contracts near their maximum"),
    "procurement:framework_consumption",
    permission="procurement.view_purchaseorder",
    internal_only=True,
    order=21,
    icon="ti ti-gauge",
)
registry.add_menu_link(
    "procurement",
    _("Payment delays"),
    "procurement:payment_delays",
    permission="procurement.view_invoice",
    internal_only=True,
    order=30,
    icon="ti ti-clock-dollar",
)
