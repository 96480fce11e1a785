"""Which procedure a purchase needs, and why: the rules in force on its date, the band of its
yearly amount, and the other purchases of its category that the same year adds up."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    """The band in words: 'under 10 000 000 XPF', 'from 10 000 000 XPF up to and including
    40 000 000 XPF', 'above 40 000 000 XPF'…"""
    band = decision.band
    lower = decision.lower_bound
    values = {"min": format_xpf(lower), "max": format_xpf(band.max_amount)}
    if lower is None:
        if band.max_amount is None:
            return _("any amount")
        if band.max_included:
            return _("up to and including %(max)s") % values
        return _("under %(max)s") % values
    if band.max_amount is None:
        if decision.lower_included:
            return _("%(min)s or more") % values
        return _("above %(min)s") % values
    if decision.lower_included:
        if band.max_included:
            return _("from %(min)s up to and including %(max)s") % values
        return _("from %(min)s to under %(max)s") % values
    if band.max_included:
        return _("above %(min)s, up to and including %(max)s") % values
    return _("above %(min)s and under %(max)s") % values


def band_sentence(kind, amount, decision):
    """'Services of 25 000 000 XPF excl. tax: band « from … » (délibération n° …).'"""
    from dpti.procurement.models import PurchaseKind

    sentences = {
        PurchaseKind.WORKS: _("Works of %(amount)s excl. tax: band « %(bounds)s » (%(rules)s)."),
        PurchaseKind.SUPPLIES: _(
            "Supplies of %(amount)s excl. tax: band « %(bounds)s » (%(rules)s)."
        ),
        PurchaseKind.SERVICES: _(
            "Services of %(amount)s excl. tax: band « %(bounds)s » (%(rules)s)."
        ),
    }
    return sentences[PurchaseKind(kind)] % {
        "amount": format_xpf(amount),
        "bounds": bounds_text(decision),
        "rules": decision.rules.decision_reference,
    }


def determine(kind, amount, day, rules=None, bands=None):
    """The procedure the rules in force on `day` require for a yearly amount excl. tax.

    The reason names the band and the rules, then what the buyer must do (the band's
    obligation); the procedure itself is not repeated, it is shown beside the reason.
    `bands` are the rules' thresholds of the kind's scale when already loaded (a report).
    """
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
    if bands is None:
        bands = list(rules.thresholds.filter(applies_to=applies_to(kind)))
    lower, lower_included = None, True
    for index, band in enumerate(bands):
        if band.contains(amount):
            decision = ProcedureDecision(
                band.procedure, "", rules, band, index, lower, lower_included
            )
            obligation = band.obligation.strip()
            if obligation and obligation[-1] not in ".!?":
                obligation += "."
            decision.reason = " ".join(
                part for part in (band_sentence(kind, amount, decision), obligation) if part
            )
            return decision
        lower, lower_included = band.max_amount, not band.max_included
    return ProcedureDecision(
        None,
        _("The rules « %(rules)s » have no band for this amount: complete their thresholds.")
        % {"rules": rules},
        rules,
    )


def bands_by_scale(rules):
    """The rules' thresholds by scale (works, supplies and services), in one query."""
    scales = {}
    for band in rules.thresholds.all() if rules is not None else ():
        scales.setdefault(band.applies_to, []).append(band)
    return scales


def no_competition_band(bands):
    """The band of a scale where no competition is required (None when the rules have none)."""
    from dpti.procurement.models import Procedure

    return next((band for band in bands if band.procedure == Procedure.NO_COMPETITION), None)


def needs_of_year(year):
    """Needs of a year that still count as planned: neither abandoned nor awarded, and not
    already turned into a contract (the contract counts instead)."""
    from dpti.procurement.models import Contract, PurchaseNeed

    contracted = Contract.objects.filter(need=OuterRef("pk")).exclude(
        status=Contract.Status.TERMINATED
    )
    return (
        PurchaseNeed.objects.filter(needed_on__year=year)
        .exclude(status__in=[PurchaseNeed.Status.ABANDONED, PurchaseNeed.Status.AWARDED])
        .exclude(Exists(contracted))
    )


def contracts_of_year(year):
    """Contracts notified in a year (or created in it while not notified), terminated ones
    left out."""
    from dpti.procurement.models import Contract

    return Contract.objects.exclude(status=Contract.Status.TERMINATED).filter(
        Q(notified_on__year=year) | Q(notified_on__isnull=True, created_at__year=year)
    )


def orders_of_year(year):
    """Orders outside contracts issued in a year, cancelled ones left out."""
    from dpti.procurement.models import PurchaseOrder

    return PurchaseOrder.objects.filter(lot__isnull=True, issued_on__year=year).exclude(
        status=PurchaseOrder.Status.CANCELLED
    )


# The full amount of contracts' lots: the price of a fixed-price lot, the maximum of a
# framework lot.
LOTS_FULL_AMOUNT = {
    "fixed": Sum("amount_excl_tax", filter=Q(maximum_excl_tax__isnull=True)),
    "maximum": Sum("maximum_excl_tax"),
}


def category_year_total(category, year, operation="", exclude_need=None, exclude_contract=None):
    """The other purchases of the year in a category (or, for works, in one operation): needs not
    yet awarded, contracts notified that year at their full amount, orders outside contracts.

    Orders carry no operation: for a works operation they are left out."""
    from dpti.procurement.models import ContractLot, PurchaseKind

    total = YearTotal()
    needs = needs_of_year(year).filter(category=category)
    contracts = contracts_of_year(year).filter(category=category)
    works_operation = category.kind == PurchaseKind.WORKS and operation
    if works_operation:
        needs = needs.filter(operation__iexact=operation)
        contracts = contracts.filter(need__operation__iexact=operation)
    if exclude_need is not None and exclude_need.pk:
        needs = needs.exclude(pk=exclude_need.pk)
        contracts = contracts.exclude(need=exclude_need)
    if exclude_contract is not None and exclude_contract.pk:
        contracts = contracts.exclude(pk=exclude_contract.pk)
    summary = needs.aggregate(amount=Sum("estimated_amount"), count=Count("pk"))
    total.needs = summary["count"]
    total.amount += summary["amount"] or 0

    ceilings = ContractLot.objects.filter(contract__in=contracts).aggregate(**LOTS_FULL_AMOUNT)
    total.contracts = contracts.count()
    total.amount += (ceilings["fixed"] or 0) + (ceilings["maximum"] or 0)

    if not works_operation:
        orders = (
            orders_of_year(year)
            .filter(category=category)
            .aggregate(amount=Sum("amount_excl_tax"), count=Count("pk"))
        )
        total.orders = orders["count"]
        total.amount += orders["amount"] or 0
    return total


def count_parts(others):
    """'2 other needs, 1 contract and 3 orders outside contracts' (the counts that are not 0)."""
    parts = []
    if others.needs:
        parts.append(
            ngettext("%(count)s other need", "%(count)s other needs", others.needs)
            % {"count": others.needs}
        )
    if others.contracts:
        parts.append(
            ngettext("%(count)s contract", "%(count)s contracts", others.contracts)
            % {"count": others.contracts}
        )
    if others.orders:
        parts.append(
            ngettext(
                "%(count)s order outside contracts",
                "%(count)s orders outside contracts",
                others.orders,
            )
            % {"count": others.orders}
        )
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def assess(category, amount, day, operation="", exclude_need=None):
    """What the rules require for a purchase of `amount` in a category on `day`, once the
    category's (or the works operation's) other purchases of the year are added: the decision
    on the total, the decision on the amount alone, the others' total and the reason."""
    others = category_year_total(category, day.year, operation, exclude_need=exclude_need)
    total = others.amount + amount
    alone = determine(category.kind, amount, day)
    combined = determine(category.kind, total, day, rules=alone.rules)
    splitting = bool(
        combined.band is not None
        and alone.band is not None
        and combined.band_index > alone.band_index
    )
    scope = (
        _("the operation « %(operation)s »") % {"operation": operation}
        if operation and category.kind == "works"
        else _("the category « %(category)s »") % {"category": category.label}
    )
    paragraphs = []
    if others.amount or others.needs or others.contracts or others.orders:
        paragraphs.append(
            _(
                "Yearly total of %(scope)s in %(year)s: %(total)s excl. tax, that is this "
                "purchase (%(amount)s) and %(others)s already planned, awarded or ordered "
                "(%(parts)s)."
            )
            % {
                "scope": scope,
                "year": day.year,
                "total": format_xpf(total),
                "amount": format_xpf(amount),
                "others": format_xpf(others.amount),
                "parts": count_parts(others),
            }
        )
    paragraphs.append(combined.reason)
    if splitting:
        paragraphs.append(
            _(
                "Taken alone, this purchase would only require the procedure « %(procedure)s ». "
                "Splitting a purchase to stay under a threshold is forbidden: group it with the "
                "other purchases of %(scope)s."
            )
            % {"procedure": alone.band.get_procedure_display(), "scope": scope}
        )
    return Assessment(combined, alone, others, total, splitting, "\n".join(paragraphs))


@dataclass
class Assessment:
    """The procedure of a purchase once its category's year is added up."""

    decision: ProcedureDecision
    alone: ProcedureDecision
    others: YearTotal
    total: int
    splitting_suspected: bool
    reason: str


def assess_need(need):
    """Set the need's required procedure, its reason, the yearly total and the splitting flag.

    The procedure is the one of the category's yearly total (this need plus the year's other
    needs, contracts and orders of the category, or of the works operation); when the need
    alone would fall in a lighter band, splitting is suspected and the reason says so.
    """
    if need.category_id is None or need.needed_on is None or need.estimated_amount is None:
        return None
    result = assess(
        need.category,
        need.estimated_amount,
        need.needed_on,
        need.operation,
        exclude_need=need,
    )
    need.year_total = result.total
    need.required_procedure = result.decision.procedure or ""
    need.splitting_suspected = result.splitting_suspected
    need.procedure_reason = result.reason
    return result.decision


def split_warning(reason, splitting):
    """The reason's paragraphs, and its last one apart when it is the splitting warning (shown
    in an alert rather than repeated)."""
    paragraphs = [line for line in reason.splitlines() if line.strip()]
    if splitting and len(paragraphs) > 1:
        return paragraphs[:-1], paragraphs[-1]
    return paragraphs, None
