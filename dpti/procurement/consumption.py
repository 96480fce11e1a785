"""What a contract's lots may reach and what their orders and invoices consumed of it.

The figures of a contract's « Financial execution » card, of a lot's card, of the framework
consumption report and of the API: each summed by the database in a subquery on the rows read,
so the cost does not grow with the number of orders and invoices.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from dpti.core.display import EMPTY, NARROW_NBSP, format_number
from dpti.core.permissions import restrict, user_is_scoped
from dpti.procurement.models import Amendment, Contract, Invoice, PurchaseOrder
from dpti.procurement.models.budget import _sum_of

# Orders that consume a lot: every one but the cancelled.
LIVE_ORDERS = (PurchaseOrder.Status.ISSUED, PurchaseOrder.Status.DELIVERED)
WARNING_PERCENT = 80
FULL_PERCENT = 100


def _count_of(model, link, **filters):
    """A subquery counting the rows of `model` whose `link` is the outer row."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def percent(part, whole):
    """part / whole in percent with one decimal, half up (None without a whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def level(value):
    """The colour of a consumption: red from 100 %, orange from 80 %."""
    if value is None:
        return "secondary"
    if value >= FULL_PERCENT:
        return "danger"
    if value >= WARNING_PERCENT:
        return "warning"
    return "success"


def lots_with_consumption(queryset):
    """Lots with what their orders and invoices consumed, each figure one subquery."""
    return queryset.select_related("holder", "tax_rate").annotate(
        amendments_total=_sum_of(Amendment, "lot", "amount_excl_tax"),
        ordered_total=_sum_of(PurchaseOrder, "lot", "amount_excl_tax", status__in=LIVE_ORDERS),
        ordered_incl_tax=_sum_of(PurchaseOrder, "lot", "amount_incl_tax", status__in=LIVE_ORDERS),
        order_count=_count_of(PurchaseOrder, "lot", status__in=LIVE_ORDERS),
        cancelled_count=_count_of(PurchaseOrder, "lot", status=PurchaseOrder.Status.CANCELLED),
        invoiced_total=_sum_of(Invoice, "order__lot", "amount_incl_tax", is_rejected=False),
        paid_total=_sum_of(
            Invoice, "order__lot", "amount_incl_tax", is_rejected=False, paid_on__isnull=False
        ),
    )


class Consumption:
    """What a lot (or a contract's lots together) may reach and what was consumed of it."""

    FIGURES = (
        "initial",
        "amendments",
        "ordered",
        "ordered_incl_tax",
        "invoiced",
        "paid",
        "order_count",
        "cancelled_count",
    )

    def __init__(self, lot=None, **figures):
        self.lot = lot
        self.minimum = None
        for name in self.FIGURES:
            setattr(self, name, figures.get(name, 0))
        if lot is not None:
            self.initial = lot.ceiling or 0
            self.minimum = lot.minimum_excl_tax
            self.amendments = lot.amendments_total
            self.ordered = lot.ordered_total
            self.ordered_incl_tax = lot.ordered_incl_tax
            self.invoiced = lot.invoiced_total
            self.paid = lot.paid_total
            self.order_count = lot.order_count
            self.cancelled_count = lot.cancelled_count

    @property
    def is_framework(self):
        return self.lot is not None and self.lot.maximum_excl_tax is not None

    @property
    def ceiling(self):
        return self.initial + self.amendments

    @property
    def remaining(self):
        return self.ceiling - self.ordered

    @property
    def percent(self):
        return percent(self.ordered, self.ceiling)

    @property
    def percent_label(self):
        """The percent written the French way, e.g. 85,3 %."""
        value = self.percent
        return EMPTY if value is None else f"{format_number(value)}{NARROW_NBSP}%"

    @property
    def level(self):
        return level(self.percent)

    @property
    def bar_width(self):
        """The progress bar's width in percent, at most full."""
        return min(int(self.percent or 0), 100)

    @property
    def minimum_reached(self):
        return self.minimum is None or self.ordered >= self.minimum

    def add(self, other):
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.minimum is not None:
            self.minimum = (self.minimum or 0) + other.minimum


def contract_consumption(contract, user):
    """The rows of a contract's financial card: one per lot the user sees, the invoices of the
    contract outside any order, the totals. Three queries."""
    lots = list(lots_with_consumption(restrict(contract.lots.all(), user)))
    rows = [Consumption(lot) for lot in lots]
    total = Consumption()
    for row in rows:
        total.add(row)
    outside = None
    if not user_is_scoped(user):
        figures = (
            Contract.objects.filter(pk=contract.pk)
            .annotate(
                whole_amendments=_sum_of(
                    Amendment, "contract", "amount_excl_tax", lot__isnull=True
                ),
                outside_invoiced=_sum_of(
                    Invoice,
                    "commitment__contract",
                    "amount_incl_tax",
                    is_rejected=False,
                    order__isnull=True,
                ),
                outside_paid=_sum_of(
                    Invoice,
                    "commitment__contract",
                    "amount_incl_tax",
                    is_rejected=False,
                    order__isnull=True,
                    paid_on__isnull=False,
                ),
            )
            .values("whole_amendments", "outside_invoiced", "outside_paid")
            .get()
        )
        if any(figures.values()):
            outside = Consumption(
                amendments=figures["whole_amendments"],
                invoiced=figures["outside_invoiced"],
                paid=figures["outside_paid"],
            )
            total.add(outside)
    return rows, outside, total
