"""Payment delays (délai global de paiement) and late-payment interest (intérêts moratoires).

The delay runs from the receipt of the invoice, or from the day the service was done when that
is later; suspensions (a missing document) stop it. Beyond the delay the rules allow, interest
is owed for each day late until payment, at the rate in force on the first day late
(reference rate + margin), on the amount including tax, over a 365-day year; a fixed recovery
indemnity is added once. The functions below are pure: the worked examples of the tests read
like the rule.
"""

import bisect
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DelayResult:
    """What the rule gives for one invoice on a day (its payment day, or today if unpaid)."""

    start: datetime.date
    allowed_days: int
    suspended_days: int
    due_on: datetime.date
    elapsed_days: int  # days counted so far (to payment, or to the day of computation)
    late_days: int
    interest: int
    indemnity: int
    rate: Decimal | None


def counted_days(suspended_on, resumed_on, day, since=None):
    """Days of one suspension that stop the delay: from its start (or the day the delay started,
    when later) to its resumption (or `day`, when earlier or still open), resumption excluded."""
    start = max(suspended_on, since) if since else suspended_on
    stop = min(resumed_on or day, day)
    return max((stop - start).days, 0)


def suspended_days_until(suspensions, day, since=None):
    """Days of suspension (start included, resumption excluded) before `day`.

    `suspensions` are (suspended_on, resumed_on or None) pairs; an open one lasts until `day`.
    Days before `since` (the day the delay starts) do not count: a delay that has not started
    yet cannot be suspended.
    """
    return sum(counted_days(start, end, day, since) for start, end in suspensions)


def late_interest(amount_incl_tax, rate_percent, late_days):
    """amount * rate * days / 365, rounded half up to the franc."""
    if late_days <= 0 or not rate_percent:
        return 0
    value = Decimal(amount_incl_tax) * Decimal(rate_percent) * late_days / Decimal(36500)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute_delay(
    *,
    received_on,
    service_done_on,
    paid_on,
    suspensions,
    allowed_days,
    amount_incl_tax,
    rate_on,
    today=None,
):
    """The payment delay of an invoice, and the interest owed if late.

    `rate_on(day)` returns (rate percent, indemnity) in force on a day, or None.
    """
    start = max(received_on, service_done_on) if service_done_on else received_on
    end = paid_on or today or timezone.localdate()
    end = max(end, start)
    suspended = suspended_days_until(suspensions, end, since=start)
    elapsed = (end - start).days - suspended
    due_on = start + datetime.timedelta(days=allowed_days + suspended)
    late_days = max(elapsed - allowed_days, 0)
    rate = indemnity = None
    interest = 0
    if late_days:
        found = rate_on(due_on + datetime.timedelta(days=1))
        if found is not None:
            rate, indemnity = found
            interest = late_interest(amount_incl_tax, rate, late_days)
    return DelayResult(
        start=start,
        allowed_days=allowed_days,
        suspended_days=suspended,
        due_on=due_on,
        elapsed_days=elapsed,
        late_days=late_days,
        interest=interest,
        indemnity=(indemnity or 0) if late_days else 0,
        rate=rate,
    )


def rate_on(day):
    """(rate %, recovery indemnity) of the late-payment rate in force on a day, or None."""
    from dpti.procurement.models import LatePaymentRate

    row = LatePaymentRate.objects.in_force(day)
    return (row.rate, row.recovery_indemnity) if row else None


def allowed_days_on(day):
    """The payment delay the rules in force on a day allow (30 days without rules)."""
    from dpti.procurement.models import ProcurementRules

    rules = ProcurementRules.objects.in_force(day)
    return rules.payment_delay_days if rules else 30


def remembered_by_period(function, model):
    """`function(day)` asked once per period over which the rows of `model` valid on a day do
    not change (between two consecutive starts or ends), then remembered: the same answers
    for bulk work (a night's refresh, a scale seeding) without a query per invoice."""
    bounds = set()
    for start, end in model.objects.values_list("valid_from", "valid_to"):
        bounds.add(start)
        if end is not None:
            bounds.add(end + datetime.timedelta(days=1))
    bounds, answers = sorted(bounds), {}

    def lookup(day):
        period = bisect.bisect_right(bounds, day)
        if period not in answers:
            answers[period] = function(day)
        return answers[period]

    return lookup


@dataclass(frozen=True)
class ReferenceLookups:
    """Where the rule reads the delay allowed and the late-payment rate in force on a day."""

    allowed_days_on: Callable = allowed_days_on
    rate_on: Callable = rate_on

    @classmethod
    def remembered(cls):
        """The same answers, read once per period of validity."""
        from dpti.procurement.models import LatePaymentRate, ProcurementRules

        return cls(
            remembered_by_period(allowed_days_on, ProcurementRules),
            remembered_by_period(rate_on, LatePaymentRate),
        )


def delay_of(invoice, suspensions, today=None, lookups=None):
    """The rule applied to an invoice: its receipt, service done, payment and suspensions
    ((suspended_on, resumed_on) pairs)."""
    lookups = lookups or ReferenceLookups()
    return compute_delay(
        received_on=invoice.received_on,
        service_done_on=invoice.service_done_on,
        paid_on=invoice.paid_on,
        suspensions=suspensions,
        allowed_days=lookups.allowed_days_on(invoice.received_on),
        amount_incl_tax=invoice.compute_amount_incl_tax(),
        rate_on=lookups.rate_on,
        today=today,
    )


def apply_delay(invoice, today=None, lookups=None):
    """Set an invoice's status and its delay fields from the rule."""
    status = type(invoice).Status
    if invoice.is_rejected:
        invoice.status = status.REJECTED
    elif invoice.paid_on:
        invoice.status = status.PAID
    elif invoice.service_done_on:
        invoice.status = status.CERTIFIED
    else:
        invoice.status = status.RECEIVED
    if invoice.received_on is None or invoice.is_rejected:
        invoice.allowed_days = invoice.due_on = invoice.payment_days = None
        invoice.late_days = invoice.late_interest = invoice.recovery_indemnity = 0
        invoice.suspended_days = 0
        return None
    suspensions = (
        list(invoice.suspensions.values_list("suspended_on", "resumed_on")) if invoice.pk else []
    )
    result = delay_of(invoice, suspensions, today=today, lookups=lookups)
    invoice.allowed_days = result.allowed_days
    invoice.suspended_days = result.suspended_days
    invoice.due_on = result.due_on
    invoice.payment_days = result.elapsed_days if invoice.paid_on else None
    invoice.late_days = result.late_days
    invoice.late_interest = result.interest
    invoice.recovery_indemnity = result.indemnity
    return result


def check_after_order(invoice, order, errors):
    """An invoice answers its order: it is neither received nor certified before the order
    was issued (a date typed in the wrong year is the usual cause)."""
    values = {"order": order.number, "day": order.issued_on.strftime("%d/%m/%Y")}
    if invoice.received_on and invoice.received_on < order.issued_on:
        errors["received_on"] = (
            _("The invoice cannot be received before its order %(order)s of %(day)s.") % values
        )
    if invoice.service_done_on and invoice.service_done_on < order.issued_on:
        errors["service_done_on"] = (
            _("The service cannot be certified before its order %(order)s of %(day)s.") % values
        )


def check_invoice(invoice):
    """The rules of an invoice, refused in French on the field they concern."""
    errors = {}
    if not invoice.order_id and invoice.commitment_id and invoice.commitment.order_id:
        # An order's commitment is invoiced through its order: the order's rules then apply.
        invoice.order_id = invoice.commitment.order_id
    order = invoice.order if invoice.order_id else None
    if order is not None:
        if invoice.supplier_id and invoice.supplier_id != order.supplier_id:
            errors["supplier"] = _("The order %(order)s was placed with %(supplier)s.") % {
                "order": order.number,
                "supplier": order.supplier,
            }
        elif invoice.supplier_id is None:
            invoice.supplier_id = order.supplier_id
        commitment = getattr(order, "commitment", None)
        if commitment is not None:
            if invoice.commitment_id and invoice.commitment_id != commitment.pk:
                errors["commitment"] = _("The order's commitment is %(number)s.") % {
                    "number": commitment.number
                }
            invoice.commitment_id = commitment.pk
        if invoice.amount_excl_tax is not None and invoice.tax_rate_id and not invoice.is_rejected:
            others = (
                type(invoice)
                .objects.filter(order=order, is_rejected=False)
                .exclude(pk=invoice.pk)
                .aggregate(total=Sum("amount_incl_tax"))["total"]
                or 0
            )
            if others + invoice.compute_amount_incl_tax() > order.amount_incl_tax:
                from dpti.core.display import format_xpf

                errors["amount_excl_tax"] = _(
                    "The invoices of order %(order)s would total %(total)s incl. tax, more than "
                    "the %(ordered)s ordered."
                ) % {
                    "order": order.number,
                    "total": format_xpf(others + invoice.compute_amount_incl_tax()),
                    "ordered": format_xpf(order.amount_incl_tax),
                }
    if order is not None and order.issued_on:
        check_after_order(invoice, order, errors)
    if invoice.supplier_id is None and "supplier" not in errors:
        errors["supplier"] = _("Give the supplier, or the order the invoice answers.")
    if invoice.commitment_id and invoice.supplier_id:
        commitment = invoice.commitment
        if commitment.supplier_id and commitment.supplier_id != invoice.supplier_id:
            errors.setdefault("commitment", _("This commitment concerns another supplier."))
    rate_error = invoice.rate_error(invoice.issued_on or invoice.received_on)
    if rate_error:
        errors["tax_rate"] = rate_error
    if invoice.received_on and invoice.issued_on and invoice.issued_on > invoice.received_on:
        errors["issued_on"] = _("The invoice cannot be dated after its receipt.")
    if invoice.paid_on:
        if invoice.is_rejected:
            errors["paid_on"] = _("A rejected invoice is not paid.")
        elif not invoice.service_done_on:
            errors["paid_on"] = _("An invoice is paid only once the service done is certified.")
        elif invoice.paid_on < invoice.service_done_on:
            errors["paid_on"] = _("The payment cannot precede the certification of the service.")
        if invoice.received_on and invoice.paid_on < invoice.received_on:
            errors["paid_on"] = _("An invoice cannot be paid before it is received.")
    today = timezone.localdate()
    for name in ("received_on", "service_done_on", "paid_on"):
        value = getattr(invoice, name)
        if value and value > today:
            errors.setdefault(name, _("This date is in the future."))
    if errors:
        raise ValidationError(errors)
    apply_delay(invoice)


def refresh_unpaid(today=None):
    """Recompute the days late and interest of every unpaid invoice (run each night)."""
    from dpti.core.deadlines import sync_object_deadlines
    from dpti.procurement.models import Invoice

    changed = 0
    lookups = ReferenceLookups.remembered()
    for invoice in Invoice.objects.filter(paid_on__isnull=True, is_rejected=False).select_related(
        "tax_rate"
    ):
        before = (invoice.late_days, invoice.late_interest, invoice.due_on)
        apply_delay(invoice, today=today, lookups=lookups)
        if (invoice.late_days, invoice.late_interest, invoice.due_on) != before:
            Invoice.objects.filter(pk=invoice.pk).update(
                late_days=invoice.late_days,
                late_interest=invoice.late_interest,
                recovery_indemnity=invoice.recovery_indemnity,
                due_on=invoice.due_on,
                suspended_days=invoice.suspended_days,
            )
            # An open suspension moves the due date: the « payment due » deadline follows.
            sync_object_deadlines(invoice)
            changed += 1
    return changed


# --- How one invoice's delay was counted ------------------------------------------------------

# An unpaid invoice due within this many days is shown as pressing (orange).
SOON_DAYS = 7


def delay_explanation(invoice, today=None):
    """Everything the « Payment delay » card says about an invoice, computed as the rule does
    (to the payment day, or to today while unpaid)."""
    from dpti.procurement.models import LatePaymentRate, ProcurementRules

    today = today or timezone.localdate()
    if invoice.is_rejected:
        return {"rejected": True, "state": "secondary"}
    rules = ProcurementRules.objects.in_force(invoice.received_on)
    allowed = rules.payment_delay_days if rules else allowed_days_on(invoice.received_on)
    suspensions = list(invoice.suspensions.order_by("suspended_on"))
    rate_rows = []

    def rate_on(day):  # the rule's own lookup, keeping the row to name it on the card
        row = LatePaymentRate.objects.in_force(day)
        rate_rows.append(row)
        return (row.rate, row.recovery_indemnity) if row else None

    amount = invoice.compute_amount_incl_tax()
    result = delay_of(
        invoice,
        [(s.suspended_on, s.resumed_on) for s in suspensions],
        today=today,
        lookups=ReferenceLookups(lambda _day: allowed, rate_on),
    )
    end = max(invoice.paid_on or today, result.start)
    rate_row = rate_rows[0] if rate_rows else None
    first_late_day = result.due_on + datetime.timedelta(days=1)
    days_left = (result.due_on - today).days
    is_suspended = (
        any(s.resumed_on is None and s.suspended_on <= today for s in suspensions)
        and not invoice.paid_on
    )
    if result.late_days:
        state = "danger"
    elif invoice.paid_on:
        state = "success"
    elif days_left <= SOON_DAYS or is_suspended:
        state = "warning"
    else:
        state = "success"
    return {
        "rejected": False,
        "state": state,
        "result": result,
        "start": result.start,
        "starts_at_service": result.start != invoice.received_on,
        "received_on": invoice.received_on,
        "service_done_on": invoice.service_done_on,
        "rules": rules,
        "allowed_days": result.allowed_days,
        "suspensions": [
            {
                "suspension": s,
                "days": counted_days(s.suspended_on, s.resumed_on, end, result.start),
                "is_open": s.resumed_on is None,
            }
            for s in suspensions
        ],
        "suspended_days": result.suspended_days,
        "due_on": result.due_on,
        "paid_on": invoice.paid_on,
        "today": today,
        "end": end,
        "elapsed_days": result.elapsed_days,
        "late_days": result.late_days,
        "days_left": days_left,
        "is_suspended": is_suspended,
        "first_late_day": first_late_day,
        "rate_row": rate_row,
        "rate": result.rate,
        "amount": amount,
        "interest": result.interest,
        "indemnity": result.indemnity,
        "total_owed": result.interest + result.indemnity,
        "exact_interest": exact_interest(amount, result.rate, result.late_days),
    }


def exact_interest(amount, rate, days):
    """The interest before rounding to the franc, to 2 decimals, shown in the computation."""
    if not rate or not days:
        return None
    from babel.numbers import format_decimal

    value = Decimal(amount) * Decimal(rate) * days / Decimal(36500)
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal(value, format="#,##0.00", locale="fr_FR")


def invoice_suspensions_changed(invoice, user):
    """Recompute an invoice's delay after one of its suspensions changed (its « payment due »
    deadline follows through `save_system_change`)."""
    from dpti.core.services import save_system_change
    from dpti.procurement.models import Invoice

    invoice = Invoice.objects.select_related("tax_rate").get(pk=invoice.pk)
    apply_delay(invoice)
    save_system_change(
        invoice,
        [
            "status",
            "allowed_days",
            "suspended_days",
            "due_on",
            "payment_days",
            "late_days",
            "late_interest",
            "recovery_indemnity",
        ],
        user=user,
    )
