"""The « Contracts » card on the pages of what contracts cover: assets, buildings, applications.

Those apps do not know procurement (apps depend downwards only): procurement contributes the
card through the registry. It lists the contracts covering the object that the user may view,
with the holders of the lots he may view, in two queries whatever their number.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry

# The models a contract covers, by their `related_name` "contracts" on Contract.
COVERED_TYPES = ("assets.asset", "estate.building", "itpark.application")


def covering_contracts(obj, user):
    """The contracts covering an object that the user may view, in force first, each with
    `visible_lots` (the lots he may view, with their holders)."""
    from dpti.procurement.models import Contract, ContractLot

    lots = restrict(ContractLot.objects.select_related("holder"), user).order_by("number")
    contracts = restrict(obj.contracts.all(), user).prefetch_related(
        Prefetch("lots", queryset=lots, to_attr="visible_lots")
    )
    in_force = Contract.Status.IN_FORCE
    return sorted(
        contracts,
        key=lambda c: (c.status != in_force, c.end_date is None, c.end_date, c.reference),
    )


def coverage_panel(obj, request):
    """The « Contracts » card, for users who may read contracts at all."""
    from dpti.procurement.models import Contract

    if obj.pk is None or not has_model_permission(request.user, Contract, "view"):
        return []
    rows = []
    for contract in covering_contracts(obj, request.user):
        holders = []
        for lot in contract.visible_lots:
            if lot.holder is not None and lot.holder not in holders:
                holders.append(lot.holder)
        rows.append({"contract": contract, "holders": holders})
    return [
        {
            "id": "contracts-covering",
            "title": _("Contracts"),
            "template": "procurement/coverage/panel.html",
            "context": {"rows": rows},
        }
    ]


for label in COVERED_TYPES:
    registry.contribute_detail_panels(label, coverage_panel)
