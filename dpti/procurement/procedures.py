"""Which procedure a purchase needs, and why: the rules in force on its date, the band of its
yearly amount, and the other purchases of its category that the same year adds up."""

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from dpti.core.display import format_xpf


@dataclass
class ProcedureDecision:
    """What the rules require for an amount: the procedure, the band and the reason."""

    procedure: str | None
    reason: str
    rules: object = None
    band: object = None
    band_index: int = -1
    lower_bound: int | None = None
    lower_included: bool = True


@dataclass
class YearTotal:
    """The other purchases of a category in a year, excluding tax."""

    amount: int = 0
    needs: int = 0
    contracts: int = 0
    orders: int = 0
    parts: list = field(default_factory=list)


def applies_to(kind):
    """The threshold scale of a kind of purchase: works, or supplies and services."""
    from dpti.procurement.models import ProcedureThreshold, PurchaseKind

    if kind == PurchaseKind.WORKS:
        return ProcedureThreshold.AppliesTo.WORKS
    return ProcedureThreshold.AppliesTo.SUPPLIES_SERVICES


def rules_in_force(day):
    from dpti.procurement.models import ProcurementRules

    return ProcurementRules.objects.in_force(day)


def bounds_text(decision):
    """'under 10 000 000 XPF', 'from 10 000 000 XPF up to and including 40 000 000 XPF'…"""
    band = decision.band
    lower = decision.lower_bound
    if lower is None:
        if band.max_included:
            return _("up to and including %(max)s") % {"max": format_xpf(band.max_amount)}
        return _("under %(max)s") % {"max": format_xpf(band.max_amount)}
    if band.max_amount is None:
        if decision.lower_included:
            return _("of %(min)s or more") % {"min": format_xpf(lower)}
        return _("above %(min)s") % {"min": format_xpf(lower)}
    return _("between %(min)s and %(max)s") % {
        "min": format_xpf(lower),
        "max": format_xpf(band.max_amount),
    }


def determine(kind, amount, day, rules=None):
    """The procedure the rules in force on `day` require for a yearly amount excl. tax."""
    from dpti.procurement.models import PurchaseKind

    rules = rules or rules_in_force(day)
    if rules is None:
        return ProcedureDecision(
            None,
            _(
                "No procurement rules are in force on %(day)s: record the rules that apply in "
                "the reference data."
            )
            % {"day": day.strftime("%d/%m/%Y")},
        )
    bands = list(rules.thresholds.filter(applies_to=applies_to(kind)))
    lower, lower_included = None, True
    for index, band in enumerate(bands):
        if band.contains(amount):
            decision = ProcedureDecision(
                band.procedure, "", rules, band, index, lower, lower_included
            )
            decision.reason = _(
                "%(kind)s, %(amount)s excl. tax, %(bounds)s: %(procedure)s. %(obligation)s "
                "(%(rules)s)."
            ) % {
                "kind": PurchaseKind(kind).label,
                "amount": format_xpf(amount),
                "bounds": bounds_text(decision),
                "procedure": band.get_procedure_display(),
                "obligation": band.obligation.rstrip("."),
                "rules": rules.decision_reference,
            }
            return decision
        lower, lower_included = band.max_amount, not band.max_included
    return ProcedureDecision(
        None,
        _("The rules « %(rules)s » have no band for this amount: complete their thresholds.")
        % {"rules": rules},
        rules,
    )


def category_year_total(category, year, operation="", exclude_need=None, exclude_contract=None):
    """The other purchases of the year in a category (or, for works, in one operation): needs not
    yet awarded, contracts notified that year at their full amount, orders outside contracts."""
    from dpti.procurement.models import (
        Contract,
        ContractLot,
        PurchaseKind,
        PurchaseNeed,
        PurchaseOrder,
    )

    total = YearTotal()
    needs = PurchaseNeed.objects.filter(category=category, needed_on__year=year).exclude(
        status__in=[PurchaseNeed.Status.ABANDONED, PurchaseNeed.Status.AWARDED]
    )
    works_operation = category.kind == PurchaseKind.WORKS and operation
    if works_operation:
        needs = needs.filter(operation__iexact=operation)
    if exclude_need is not None and exclude_need.pk:
        needs = needs.exclude(pk=exclude_need.pk)
    summary = needs.aggregate(amount=Sum("estimated_amount"))
    total.needs = needs.count()
    total.amount += summary["amount"] or 0

    contracts = Contract.objects.filter(category=category).exclude(
        status=Contract.Status.TERMINATED
    )
    contracts = contracts.filter(
        Q(notified_on__year=year) | Q(notified_on__isnull=True, created_at__year=year)
    )
    if exclude_contract is not None and exclude_contract.pk:
        contracts = contracts.exclude(pk=exclude_contract.pk)
    if exclude_need is not None and exclude_need.pk:
        contracts = contracts.exclude(need=exclude_need)
    lots = ContractLot.objects.filter(contract__in=contracts)
    ceilings = lots.aggregate(
        fixed=Sum("amount_excl_tax", filter=Q(maximum_excl_tax__isnull=True)),
        maximum=Sum("maximum_excl_tax"),
    )
    total.contracts = contracts.count()
    total.amount += (ceilings["fixed"] or 0) + (ceilings["maximum"] or 0)

    orders = PurchaseOrder.objects.filter(
        category=category, lot__isnull=True, issued_on__year=year
    ).exclude(status=PurchaseOrder.Status.CANCELLED)
    total.orders = orders.count()
    total.amount += orders.aggregate(amount=Sum("amount_excl_tax"))["amount"] or 0
    return total


def assess_need(need):
    """Set the need's required procedure, its reason and the splitting flag.

    The procedure is the one of the category's yearly total (this need plus the year's other
    needs, contracts and orders of the category); when the need alone would fall in a lighter
    band, splitting is suspected and the reason says so.
    """
    if need.category_id is None or need.needed_on is None or need.estimated_amount is None:
        return None
    category = need.category
    others = category_year_total(category, need.needed_on.year, need.operation, exclude_need=need)
    total = others.amount + need.estimated_amount
    alone = determine(category.kind, need.estimated_amount, need.needed_on)
    combined = determine(category.kind, total, need.needed_on, rules=alone.rules)
    need.year_total = total
    need.required_procedure = combined.procedure or ""
    need.splitting_suspected = bool(
        combined.band is not None
        and alone.band is not None
        and combined.band_index > alone.band_index
    )
    if others.amount:
        scope = (
            _("the operation « %(operation)s »") % {"operation": need.operation}
            if need.operation and category.kind == "works"
            else _("the category « %(category)s »") % {"category": category.label}
        )
        added = _(
            "Yearly total of %(scope)s in %(year)s: %(total)s excl. tax (this need "
            "%(amount)s, plus %(others)s already planned, awarded or ordered: %(needs)s "
            "need(s), %(contracts)s contract(s), %(orders)s order(s) outside contracts)."
        ) % {
            "scope": scope,
            "year": need.needed_on.year,
            "total": format_xpf(total),
            "amount": format_xpf(need.estimated_amount),
            "others": format_xpf(others.amount),
            "needs": others.needs,
            "contracts": others.contracts,
            "orders": others.orders,
        }
        reason = f"{added}\n{combined.reason}"
    else:
        reason = combined.reason
    if need.splitting_suspected:
        reason += "\n" + _(
            "Taken alone, this need would only require: %(procedure)s. Splitting a purchase "
            "to stay under a threshold is forbidden: group it with the category's other "
            "purchases."
        ) % {"procedure": alone.band.get_procedure_display()}
    need.procedure_reason = reason
    return combined
