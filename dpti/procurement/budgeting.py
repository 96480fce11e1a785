"""Budget rules: a commitment stays within what its line has available, in its own year."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dpti.core.display import format_xpf


def lock_line(line_id):
    """Lock a budget line for the rest of the transaction, so that two commitments checked at
    the same time cannot both take the last credits."""
    from dpti.procurement.models import BudgetLine

    return BudgetLine.objects.select_for_update().filter(pk=line_id).first()


def lock_and_check_commitment(commitment):
    """Lock the commitment's line, then check it again: a save that skips the model's clean
    (the import's commit) or that raced another one is still held within the credits."""
    if commitment.budget_line_id is None:
        return
    lock_line(commitment.budget_line_id)
    if commitment.status == commitment.Status.ACTIVE and commitment.amount is not None:
        check_available(commitment.budget_line, commitment.amount, exclude=commitment)


def lock_and_check_order(order):
    """Lock the order's line, then check its amount incl. tax against what the line has left
    besides the order's own commitment (see lock_and_check_commitment)."""
    from dpti.procurement.models import Commitment, PurchaseOrder

    if order.budget_line_id is None:
        return
    lock_line(order.budget_line_id)
    if order.status == PurchaseOrder.Status.CANCELLED or order.amount_excl_tax is None:
        return
    if order.tax_rate_id is None:
        return
    commitment = Commitment.objects.filter(order_id=order.pk).first() if order.pk else None
    check_available(
        order.budget_line,
        order.compute_amount_incl_tax(),
        exclude=commitment,
        field="amount_excl_tax",
    )


def available_on(line, exclude=None):
    """What remains available on a line, leaving out one commitment being changed."""
    from dpti.procurement.models import BudgetLine

    figures = BudgetLine.objects.with_execution().filter(pk=line.pk).values("available").first()
    available = figures["available"] if figures else 0
    if exclude is not None and exclude.pk and exclude.status == exclude.Status.ACTIVE:
        from dpti.procurement.models import Commitment

        stored = Commitment.objects.filter(pk=exclude.pk, status=exclude.Status.ACTIVE).first()
        if stored is not None and stored.budget_line_id == line.pk:
            available += stored.amount
    return available


def check_available(line, amount, exclude=None, field="amount"):
    """Refuse, in French, an amount above what the line has available."""
    available = available_on(line, exclude=exclude)
    if amount > available:
        raise ValidationError(
            {
                field: _(
                    "Insufficient credits on the line %(line)s: %(available)s available, "
                    "%(amount)s requested."
                )
                % {
                    "line": line.code,
                    "available": format_xpf(max(available, 0)),
                    "amount": format_xpf(amount),
                }
            }
        )


def check_date_in_year(line, day, field):
    """A commitment belongs to its line's fiscal year, which must not be closed."""
    from dpti.procurement.models import FiscalYear

    year = line.fiscal_year
    if year.status == FiscalYear.Status.CLOSED:
        raise ValidationError(
            {field: _("The fiscal year %(year)s is closed.") % {"year": year.year}}
        )
    if day is not None and day.year != year.year:
        raise ValidationError(
            {
                field: _("This date is not in the fiscal year %(year)s of the budget line.")
                % {"year": year.year}
            }
        )


def check_amendment_leaves_commitments(amendment):
    """A decrease of credits may not leave the line below what is already committed."""
    from dpti.procurement.models import BudgetAmendment, BudgetLine

    if amendment.budget_line_id is None or amendment.amount is None:
        return
    line = BudgetLine.objects.with_execution().get(pk=amendment.budget_line_id)
    stored = 0
    if amendment.pk:
        stored = (
            BudgetAmendment.objects.filter(pk=amendment.pk).values_list("amount", flat=True).first()
            or 0
        )
    open_after = line.open_credits - stored + amendment.amount
    if open_after < line.committed_total:
        raise ValidationError(
            {
                "amount": _(
                    "This decrease would leave %(open)s of open credits for %(committed)s "
                    "already committed."
                )
                % {"open": format_xpf(open_after), "committed": format_xpf(line.committed_total)}
            }
        )
