"""The demo procurement: budget within its credits, orders committed, invoices as the rules
compute them, a flagged splitting, renewals to decide, and the contractor's own business."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dpti.core.models import Deadline, User
from dpti.core.registry import registry
from dpti.procurement import ordering
from dpti.procurement.models import (
    Amendment,
    BudgetAmendment,
    BudgetLine,
    Commitment,
    Contract,
    ContractLot,
    FiscalYear,
    Invoice,
    LatePaymentRate,
    PaymentSuspension,
    ProgrammeAuthorisation,
    PurchaseNeed,
    PurchaseOrder,
    ServiceOrder,
)

pytestmark = pytest.mark.django_db


def client_of(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_demo_says_what_it_made(demo):
    """The procurement part of the demo reports its counts (its time is the bench's concern,
    never a test's: a loaded machine failed it)."""
    assert PurchaseOrder.objects.count() >= 100
    assert Invoice.objects.count() >= 100
    assert Contract.objects.count() >= 12
    assert f"{PurchaseOrder.objects.count()} " in demo.output


def test_previous_year_closed_current_open_with_a_budget_amendment():
    """Two fiscal years (the previous closed), ~30+ lines, a DM in the current year."""
    today = timezone.localdate()
    years = {y.year: y.status for y in FiscalYear.objects.all()}
    assert years == {today.year - 1: FiscalYear.Status.CLOSED, today.year: FiscalYear.Status.OPEN}
    assert BudgetLine.objects.count() >= 30
    natures = set(BudgetLine.objects.values_list("nature", flat=True))
    assert {"2051", "2183", "2184", "2188", "2313", "6156", "6283", "6262", "6135"} <= natures
    amendments = BudgetAmendment.objects.filter(budget_line__fiscal_year__year=today.year)
    assert amendments.filter(amount__gt=0).exists()
    assert amendments.filter(amount__lt=0).exists()


def test_no_budget_line_is_overdrawn():
    """Every line keeps available ≥ 0: voted + amendments - active commitments."""
    lines = list(BudgetLine.objects.with_execution())
    for line in lines:
        voted_plus_dm = line.voted_amount + (
            BudgetAmendment.objects.filter(budget_line=line).aggregate(t=Sum("amount"))["t"] or 0
        )
        committed = (
            Commitment.objects.filter(budget_line=line, status=Commitment.Status.ACTIVE).aggregate(
                t=Sum("amount")
            )["t"]
            or 0
        )
        assert voted_plus_dm - committed == line.available
        assert line.available >= 0, line.code
    assert any(line.committed_total > 0 for line in lines)


def test_the_annex_authorisation_spreads_its_credits_over_three_years():
    """AP « Réhabilitation de l'annexe Foch »: CP over three years within the AP, its lines
    voted the CP of their year and committed to the works contract."""
    authorisation = ProgrammeAuthorisation.objects.get(label__icontains="annexe Foch")
    credits = dict(authorisation.payment_credits.values_list("year", "amount"))
    year = timezone.localdate().year
    assert set(credits) == {year - 1, year, year + 1}
    assert sum(credits.values()) <= authorisation.amount
    for line in authorisation.budget_lines.all():
        assert line.voted_amount == credits[line.fiscal_year.year]
        assert line.commitments.filter(contract__kind="works").exists()


def test_every_order_has_its_commitment_and_stays_within_its_lot():
    """A live order has an active commitment of its amount incl. tax on its line; a cancelled
    one a cancelled commitment; a lot's orders stay under its ceiling."""
    orders = PurchaseOrder.objects.select_related("commitment", "tax_rate")
    assert orders.filter(status=PurchaseOrder.Status.CANCELLED).exists()
    for order in orders:
        commitment = order.commitment
        # incl. tax = excl. tax + TGC rounded half up, e.g. 1 000 000 at 11 % → 1 110 000
        tax = (Decimal(order.amount_excl_tax) * order.tax_rate.rate / 100).quantize(
            Decimal(1), ROUND_HALF_UP
        )
        assert order.amount_incl_tax == order.amount_excl_tax + int(tax)
        assert commitment.amount == order.amount_incl_tax
        assert commitment.budget_line_id == order.budget_line_id
        assert commitment.committed_on == order.issued_on
        expected = (
            Commitment.Status.CANCELLED
            if order.status == PurchaseOrder.Status.CANCELLED
            else Commitment.Status.ACTIVE
        )
        assert commitment.status == expected
    for lot in ContractLot.objects.filter(orders__isnull=False).distinct():
        assert ordering.ordered_on_lot(lot) <= ordering.lot_ceiling(lot)
    # Orders outside contracts exist too.
    assert orders.filter(lot__isnull=True).count() >= 5


def test_orders_and_invoices_pass_the_rules_and_hold_the_computed_delays():
    """Every order and invoice passes full_clean; each invoice's stored delay, interest and
    status are what the rule computes again today."""
    for order in PurchaseOrder.objects.all():
        if order.budget_line.fiscal_year.status == FiscalYear.Status.OPEN:
            order.full_clean()
    fields = ("status", "allowed_days", "suspended_days", "due_on", "payment_days")
    fields += ("late_days", "late_interest", "recovery_indemnity")
    for invoice in Invoice.objects.select_related("tax_rate", "order"):
        stored = [getattr(invoice, name) for name in fields]
        invoice.full_clean()  # recomputes through payments.apply_delay
        assert [getattr(invoice, name) for name in fields] == stored, invoice.number


def test_most_invoices_paid_on_time_some_late_with_interest():
    """Most invoices are paid within the delay; a late one owes interest computed by hand."""
    paid = Invoice.objects.filter(paid_on__isnull=False)
    on_time = paid.filter(late_days=0).count()
    assert on_time > 0.75 * paid.count()
    late = paid.filter(late_days__gt=0, late_interest__gt=0).select_related("tax_rate").first()
    assert late is not None
    start = max(late.received_on, late.service_done_on)
    # days late = days from the start to the payment - days allowed - days suspended
    late_days = (late.paid_on - start).days - late.allowed_days - late.suspended_days
    assert late.late_days == late_days
    rate = LatePaymentRate.objects.in_force(late.due_on + timedelta(days=1)).rate
    # interest = amount incl. tax * rate % * days / 365, rounded half up
    interest = (Decimal(late.amount_incl_tax) * rate * late_days / Decimal(36500)).quantize(
        Decimal(1), ROUND_HALF_UP
    )
    assert late.late_interest == int(interest)
    assert late.recovery_indemnity > 0


def test_a_suspended_invoice_and_unpaid_ones_past_due():
    """One invoice's delay was suspended (paid 36 days after the start, 11 of them suspended:
    on time); at least three unpaid invoices are past due, each in the deadlines register."""
    suspension = PaymentSuspension.objects.select_related("invoice").get()
    invoice = suspension.invoice
    assert suspension.days == (suspension.resumed_on - suspension.suspended_on).days == 11
    assert invoice.suspended_days == 11
    assert invoice.late_days == 0  # 36 days - 11 suspended = 25 ≤ 30
    today = timezone.localdate()
    overdue = Invoice.objects.filter(paid_on__isnull=True, is_rejected=False, due_on__lt=today)
    assert overdue.count() >= 3
    for unpaid in overdue:
        deadline = Deadline.objects.get(kind="payment_due", object_id=unpaid.pk)
        assert deadline.due_date == unpaid.due_on < today


def test_a_need_is_flagged_for_splitting_by_its_category_total():
    """The study need is cheap alone, but the year's study orders outside contracts raise the
    category's total: its procedure is heavier and splitting is suspected."""
    need = PurchaseNeed.objects.get(splitting_suspected=True)
    orders = PurchaseOrder.objects.filter(
        category=need.category, lot__isnull=True, issued_on__year=need.needed_on.year
    ).exclude(status=PurchaseOrder.Status.CANCELLED)
    ordered = orders.aggregate(total=Sum("amount_excl_tax"))["total"]
    assert need.year_total == ordered + need.estimated_amount
    assert need.required_procedure not in ("", "no_competition")
    assert PurchaseNeed.objects.count() >= 8
    assert PurchaseNeed.objects.filter(status=PurchaseNeed.Status.AWARDED, contracts__isnull=False)


def test_a_framework_close_to_its_maximum_and_renewals_to_decide_soon():
    """A framework lot is ordered at 90 % or more of its maximum; several renewal decisions
    fall in the next six months, in the deadlines register."""
    ratios = [
        ordering.ordered_on_lot(lot) / lot.maximum_excl_tax
        for lot in ContractLot.objects.filter(contract__is_framework=True)
    ]
    assert max(ratios) >= 0.9
    assert min(ratios) < 0.9
    today = timezone.localdate()
    soon = Deadline.objects.filter(
        kind="renewal_decision", due_date__gte=today, due_date__lte=today + timedelta(days=183)
    )
    assert soon.count() >= 3


def test_the_works_contract_has_three_lots_an_amendment_beyond_the_limit_and_orders():
    """The annex works: 3 lots, a start order, amendments whose cumulative 16.06 % exceeds the
    15 % of works with a justification, and the end pushed by the extension."""
    contract = Contract.objects.get(kind="works")
    assert contract.lots.count() == 3
    assert contract.service_orders.filter(kind=ServiceOrder.Kind.START).exists()
    last = Amendment.objects.filter(contract=contract).order_by("-number").first()
    # (5 200 000 + 11 500 000) / (62 000 000 + 23 000 000 + 19 000 000) = 16.06 %
    assert last.cumulative_percent == Decimal("16.06")
    assert last.beyond_limit
    assert last.justification
    assert contract.end_date == contract.compute_end_date()
    assert contract.buildings.filter(code="FOC-A").exists()
    covered = Contract.objects.exclude(assets=None).exists()
    assert covered
    assert Contract.objects.exclude(applications=None).exists()


def test_the_contractor_sees_only_his_company_business():
    """The `prestataire` account sees his company's contracts, orders and invoices (one paid
    late), and none of the others', on the list pages."""
    user = User.objects.get(username="prestataire")
    company = user.person.company
    lots = ContractLot.objects.filter(holder=company)
    assert lots.exists()
    orders = PurchaseOrder.objects.filter(supplier=company)
    invoices = Invoice.objects.filter(supplier=company)
    assert orders.exists()
    assert invoices.filter(paid_on__isnull=False, late_days__gt=0).exists()
    client = client_of("prestataire")
    expected = {
        Contract: Contract.objects.filter(lots__holder=company).distinct().count(),
        PurchaseOrder: orders.count(),
        Invoice: invoices.count(),
    }
    for model, count in expected.items():
        object_type = registry.get(model)
        response = client.get(reverse(object_type.url_name("list")))
        assert response.status_code == 200
        assert response.context["table"].paginator.count == count
        assert model.objects.count() > count
    other = Invoice.objects.exclude(supplier=company).first()
    response = client.get(reverse(registry.get(Invoice).url_name("detail"), args=[other.pk]))
    assert response.status_code in (403, 404)
