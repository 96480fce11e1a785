"""Purchase orders: against a lot in force, within its ceiling, on credits that are available;
each order keeps a commitment of its amount including tax on its budget line."""

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from dpti.core.display import format_xpf
from dpti.procurement import budgeting


def lot_ceiling(lot):
    """What the lot's orders may reach excl. tax: its maximum (or price) plus its amendments."""
    amended = lot.amendments.aggregate(total=Sum("amount_excl_tax"))["total"] or 0
    return (lot.ceiling or 0) + amended


def ordered_on_lot(lot, exclude=None):
    """The lot's orders excl. tax, cancelled ones left out."""
    from dpti.procurement.models import PurchaseOrder

    orders = PurchaseOrder.objects.filter(lot=lot).exclude(status=PurchaseOrder.Status.CANCELLED)
    if exclude is not None and exclude.pk:
        orders = orders.exclude(pk=exclude.pk)
    return orders.aggregate(total=Sum("amount_excl_tax"))["total"] or 0


def check_order(order):
    """The rules of an order, each refusal in French on the field it concerns."""
    from dpti.procurement.models import Contract, PurchaseOrder

    rate_error = order.rate_error(order.issued_on)
    if rate_error:
        raise ValidationError({"tax_rate": rate_error})
    if order.lot_id:
        lot = order.lot
        contract = lot.contract
        if lot.holder_id is None:
            raise ValidationError({"lot": _("This lot has no holder yet: it cannot be ordered.")})
        if order.supplier_id is None:
            order.supplier_id = lot.holder_id
        elif order.supplier_id != lot.holder_id:
            raise ValidationError(
                {
                    "supplier": _("An order against a lot goes to its holder, %(holder)s.")
                    % {"holder": lot.holder}
                }
            )
        if contract.status != Contract.Status.IN_FORCE:
            raise ValidationError(
                {
                    "lot": _("The contract %(contract)s is not in force (%(status)s).")
                    % {"contract": contract.reference, "status": contract.get_status_display()}
                }
            )
        start, end = contract.start_date, contract.end_date
        if order.issued_on and (
            (start and order.issued_on < start) or (end and order.issued_on > end)
        ):
            raise ValidationError(
                {
                    "issued_on": _(
                        "The order is dated outside the execution period of the contract "
                        "(%(start)s to %(end)s)."
                    )
                    % {
                        "start": start.strftime("%d/%m/%Y") if start else "…",
                        "end": end.strftime("%d/%m/%Y") if end else "…",
                    }
                }
            )
        if order.status != PurchaseOrder.Status.CANCELLED and order.amount_excl_tax is not None:
            ceiling = lot_ceiling(lot)
            ordered = ordered_on_lot(lot, exclude=order)
            if ordered + order.amount_excl_tax > ceiling:
                raise ValidationError(
                    {
                        "amount_excl_tax": _(
                            "This order would bring the lot's orders to %(total)s excl. tax, "
                            "beyond its maximum of %(ceiling)s (%(left)s left)."
                        )
                        % {
                            "total": format_xpf(ordered + order.amount_excl_tax),
                            "ceiling": format_xpf(ceiling),
                            "left": format_xpf(max(ceiling - ordered, 0)),
                        }
                    }
                )
    elif order.supplier_id is None:
        raise ValidationError({"supplier": _("Give the supplier of an order outside contracts.")})
    if order.budget_line_id is None:
        return
    budgeting.check_date_in_year(order.budget_line, order.issued_on, "issued_on")
    if order.status != PurchaseOrder.Status.CANCELLED and order.amount_excl_tax is not None:
        if order.tax_rate_id is None:
            return
        commitment = getattr(order, "commitment", None) if order.pk else None
        budgeting.check_available(
            order.budget_line,
            order.compute_amount_incl_tax(),
            exclude=commitment,
            field="amount_excl_tax",
        )


def sync_commitment(order):
    """Create or update the order's commitment: same line, date, supplier and amount incl. tax;
    cancelled with the order."""
    from dpti.procurement.models import Commitment, PurchaseOrder

    commitment = Commitment.objects.filter(order=order).first()
    values = {
        "budget_line_id": order.budget_line_id,
        "committed_on": order.issued_on,
        "object": order.object[:250],
        "supplier_id": order.supplier_id,
        "contract_id": order.lot.contract_id if order.lot_id else None,
        "amount": order.amount_incl_tax,
        "status": (
            Commitment.Status.CANCELLED
            if order.status == PurchaseOrder.Status.CANCELLED
            else Commitment.Status.ACTIVE
        ),
    }
    if commitment is None:
        from dpti.procurement.numbers import next_commitment_number

        commitment = Commitment(order=order, number=next_commitment_number(order.issued_on))
    changed = [name for name, value in values.items() if getattr(commitment, name) != value]
    if commitment.pk and not changed:
        return commitment
    for name, value in values.items():
        setattr(commitment, name, value)
    if commitment.pk:
        commitment.version += 1
    commitment.save()
    return commitment
