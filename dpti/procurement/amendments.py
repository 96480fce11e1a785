"""Amendments (avenants): the cumulative increase over the initial amount, against the limits of
the rules in force when the amendment is signed."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from dpti.core.display import format_number


def initial_amount(contract):
    """The initial amount excl. tax: the lots' prices, or their maximum for a framework."""
    from dpti.procurement.models import ContractLot

    sums = ContractLot.objects.filter(contract=contract).aggregate(
        fixed=Sum("amount_excl_tax", filter=Q(maximum_excl_tax__isnull=True)),
        maximum=Sum("maximum_excl_tax"),
    )
    return (sums["fixed"] or 0) + (sums["maximum"] or 0)


def exact_percent(part, whole):
    """part / whole in percent, unrounded (compared with the limits)."""
    if not whole:
        return Decimal(0)
    return Decimal(part) * 100 / Decimal(whole)


def percent(part, whole):
    """part / whole in percent, two decimals, half up (kept on the amendment)."""
    return exact_percent(part, whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def check_amendment(amendment):
    """Refuse a single change above the rules' maximum, and a cumulative increase beyond the
    limit without a justification; set the amendment's cumulative percent and flag."""
    from dpti.procurement.models import Amendment, ProcurementRules

    contract = amendment.contract
    initial = initial_amount(contract)
    change = amendment.amount_excl_tax or 0
    if not initial:
        if change:
            raise ValidationError(
                {
                    "amount_excl_tax": _(
                        "The contract has no initial amount yet: record its lots first."
                    )
                }
            )
        amendment.cumulative_percent, amendment.beyond_limit = Decimal(0), False
        return
    earlier = Amendment.objects.filter(contract=contract).exclude(pk=amendment.pk)
    if amendment.number is not None:
        earlier = earlier.filter(number__lt=amendment.number)
    cumulative = (earlier.aggregate(total=Sum("amount_excl_tax"))["total"] or 0) + change
    amendment.cumulative_percent = percent(cumulative, initial)
    rules = ProcurementRules.objects.in_force(amendment.signed_on) if amendment.signed_on else None
    if rules is None:
        amendment.beyond_limit = False
        return
    # Limits are compared with the exact percentages: 5 000 001 on 10 000 000 is above 50 %
    # even though it rounds to 50,00 %.
    single = exact_percent(change, initial)
    if single > rules.amendment_single_max:
        raise ValidationError(
            {
                "amount_excl_tax": _(
                    "An amendment may not increase the initial amount by more than %(max)s %% "
                    "(this one: %(percent)s %%)."
                )
                % {
                    "max": format_number(rules.amendment_single_max),
                    "percent": format_number(single),
                }
            }
        )
    limit = rules.amendment_limit(contract.purchase_kind)
    exact = exact_percent(cumulative, initial)
    amendment.beyond_limit = exact > limit
    if amendment.beyond_limit and not amendment.justification.strip():
        raise ValidationError(
            {
                "justification": _(
                    "The cumulative increase reaches %(percent)s %% of the initial amount, beyond "
                    "the %(limit)s %% the rules allow for this kind of contract: justify the "
                    "amendment."
                )
                % {
                    "percent": format_number(exact),
                    "limit": format_number(limit),
                }
            }
        )


def refresh_cumulative(contract):
    """Recompute the cumulative percent of every amendment of a contract, in number order
    (after one of them changed, or a lot's amount did)."""
    from dpti.procurement.models import Amendment, ProcurementRules

    initial = initial_amount(contract)
    running = 0
    for amendment in Amendment.objects.filter(contract=contract).order_by("number"):
        running += amendment.amount_excl_tax
        cumulative = percent(running, initial)
        rules = ProcurementRules.objects.in_force(amendment.signed_on)
        beyond = bool(
            rules
            and exact_percent(running, initial) > rules.amendment_limit(contract.purchase_kind)
        )
        if (cumulative, beyond) != (amendment.cumulative_percent, amendment.beyond_limit):
            Amendment.objects.filter(pk=amendment.pk).update(
                cumulative_percent=cumulative, beyond_limit=beyond
            )


def contract_amendments_changed(contract, user):
    """After an amendment changed or left: later cumulative percents, end date, deadlines."""
    from dpti.core.services import save_system_change

    refresh_cumulative(contract)
    if contract.compute_end_date() != contract.end_date:
        save_system_change(contract, ["end_date"], user=user)
