"""Purchase orders against contract lots (procurement.ordering), saved through save_object."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dpti.core.services import save_object
from dpti.procurement.models import Commitment, Contract, PurchaseOrder
from tests.factories import (
    AmendmentFactory,
    BudgetLineFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    PurchaseOrderFactory,
)

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


def xpf(amount):
    return f"{amount:,}".replace(",", NNBSP) + f"{NNBSP}XPF"


@pytest.fixture
def year():
    """The current year: the budget lines of the factories belong to it."""
    return timezone.localdate().year


@pytest.fixture
def contract(year, normal_rate):
    """A contract in force from 1 February to 30 April of the current year (3 months)."""
    return ContractFactory(
        tax_rate=normal_rate,
        notified_on=date(year, 1, 20),
        start_date=date(year, 2, 1),
        duration_months=3,
    )


@pytest.fixture
def lot(contract, normal_rate):
    """A framework lot of 10 000 000 maximum excl. tax, with a holder."""
    contract.is_framework = True
    contract.save()
    return ContractLotFactory(
        contract=contract,
        amount_excl_tax=8_000_000,
        maximum_excl_tax=10_000_000,
        tax_rate=normal_rate,
    )


@pytest.fixture
def line():
    return BudgetLineFactory(voted_amount=100_000_000)


def new_order(lot, line, rate, year, **values):
    """An unsaved order on the lot, dated within the execution period."""
    fields = {
        "issued_on": date(year, 3, 10),
        "object": "Intervention sur les ascenseurs",
        "lot": lot,
        "budget_line": line,
        "amount_excl_tax": 1_000_000,
        "tax_rate": rate,
    }
    fields.update(values)
    return PurchaseOrder(**fields)


def refusal(order, user):
    """The errors of a refused save, by field."""
    with pytest.raises(ValidationError) as error:
        save_object(order, user=user)
    return error.value.message_dict


def test_an_order_against_a_lot_goes_to_its_holder(lot, line, normal_rate, year, buyer):
    """Left empty, the supplier of an order against a lot is the lot's holder."""
    order = save_object(new_order(lot, line, normal_rate, year), user=buyer)
    order.refresh_from_db()
    assert order.supplier_id == lot.holder_id
    assert order.number


def test_an_order_to_another_company_than_the_holder_is_refused(
    lot, line, normal_rate, year, buyer
):
    """An order against a lot cannot go to another company; nothing is saved."""
    order = new_order(lot, line, normal_rate, year, supplier=CompanyFactory())
    errors = refusal(order, buyer)
    assert errors["supplier"] == [
        f"Une commande sur un lot est passée à son titulaire, {lot.holder}."
    ]
    assert not PurchaseOrder.objects.exists()
    assert not Commitment.objects.exists()


def test_a_lot_without_holder_cannot_be_ordered(lot, line, normal_rate, year, buyer):
    """A lot not yet awarded takes no order."""
    lot.holder = None
    lot.save()
    errors = refusal(new_order(lot, line, normal_rate, year), buyer)
    assert errors["lot"] == [
        f"Ce lot n'a pas encore de titulaire{NNBSP}: il ne peut être commandé."
    ]
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize(
    "status",
    [Contract.Status.PREPARATION, Contract.Status.COMPLETED, Contract.Status.TERMINATED],
)
def test_a_contract_not_in_force_takes_no_order(lot, line, normal_rate, year, buyer, status):
    """Only a contract in force takes orders; the message names its status."""
    Contract.objects.filter(pk=lot.contract_id).update(status=status)
    lot.contract.refresh_from_db()
    errors = refusal(new_order(lot, line, normal_rate, year), buyer)
    assert errors["lot"][0].startswith(f"Le marché {lot.contract.reference} n")
    assert lot.contract.get_status_display() in errors["lot"][0]
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("day", [(1, 31), (5, 1)])
def test_an_order_dated_outside_the_execution_period_is_refused(
    lot, line, normal_rate, year, buyer, day
):
    """Execution runs from 01/02 to 30/04 (3 months, minus a day): the day before and the day
    after are refused."""
    order = new_order(lot, line, normal_rate, year, issued_on=date(year, *day))
    errors = refusal(order, buyer)
    assert errors["issued_on"] == [
        "Le bon est daté hors de la période d'exécution du marché "
        f"(du 01/02/{year} au 30/04/{year})."
    ]
    assert not PurchaseOrder.objects.exists()


def test_the_last_days_of_the_period_take_orders(lot, line, normal_rate, year, buyer):
    """The first and the last day of execution are within it."""
    for day in (date(year, 2, 1), date(year, 4, 30)):
        save_object(new_order(lot, line, normal_rate, year, issued_on=day), user=buyer)
    assert PurchaseOrder.objects.filter(lot=lot).count() == 2


def test_the_maximum_with_the_lot_amendments_is_not_exceeded(lot, line, normal_rate, year, buyer):
    """Orders may reach the maximum plus the lot's amendments, not one franc more; cancelled
    orders do not count; the message gives the figures."""
    AmendmentFactory(contract=lot.contract, lot=lot, number=1, amount_excl_tax=1_000_000)
    issued_on = date(year, 3, 1)
    PurchaseOrderFactory(lot=lot, budget_line=line, amount_excl_tax=6_000_000, issued_on=issued_on)
    PurchaseOrderFactory(
        lot=lot,
        budget_line=line,
        amount_excl_tax=4_000_000,
        issued_on=issued_on,
        status=PurchaseOrder.Status.CANCELLED,
    )
    # Ceiling 10 000 000 + 1 000 000 = 11 000 000; live orders 6 000 000 (the cancelled
    # 4 000 000 left out); 5 000 001 more would make 11 000 001, 5 000 000 are left.
    errors = refusal(new_order(lot, line, normal_rate, year, amount_excl_tax=5_000_001), buyer)
    assert errors["amount_excl_tax"] == [
        f"Ce bon porterait les commandes du lot à {xpf(11_000_001)} HT, au-delà de son maximum "
        f"de {xpf(11_000_000)} (reste {xpf(5_000_000)})."
    ]
    assert PurchaseOrder.objects.filter(lot=lot).count() == 2
    save_object(new_order(lot, line, normal_rate, year, amount_excl_tax=5_000_000), user=buyer)
    assert PurchaseOrder.objects.filter(lot=lot).count() == 3


def test_an_order_raised_beyond_the_maximum_is_refused_but_its_own_amount_is_not_counted_twice(
    lot, line, normal_rate, year, buyer
):
    """Editing an order compares the other orders plus its new amount with the ceiling."""
    order = save_object(
        new_order(lot, line, normal_rate, year, amount_excl_tax=9_000_000), user=buyer
    )
    order.amount_excl_tax = 10_000_000  # alone at the maximum: accepted
    save_object(order, user=buyer)
    order.amount_excl_tax = 10_000_001
    errors = refusal(order, buyer)
    assert xpf(10_000_001) in errors["amount_excl_tax"][0]
    order.refresh_from_db()
    assert order.amount_excl_tax == 10_000_000


def test_a_fixed_price_lot_is_capped_by_its_price(contract, line, normal_rate, year, buyer):
    """Without a maximum, the lot's price is the ceiling of its orders."""
    fixed = ContractLotFactory(contract=contract, amount_excl_tax=2_000_000, tax_rate=normal_rate)
    errors = refusal(new_order(fixed, line, normal_rate, year, amount_excl_tax=2_000_001), buyer)
    assert xpf(2_000_000) in errors["amount_excl_tax"][0]
    assert not PurchaseOrder.objects.exists()


def test_an_order_outside_contracts_needs_a_supplier(line, normal_rate, year, buyer):
    """Without a lot, the supplier must be given."""
    errors = refusal(new_order(None, line, normal_rate, year), buyer)
    assert errors["supplier"] == ["Indiquez le fournisseur d'une commande hors marché."]
    assert not PurchaseOrder.objects.exists()


def test_the_commitment_follows_the_order(lot, line, normal_rate, year, buyer):
    """Created with the order for its amount incl. tax (TGC rounded half up), updated when the
    order changes, cancelled with it."""
    order = save_object(
        new_order(lot, line, normal_rate, year, amount_excl_tax=1_000_050), user=buyer
    )
    commitment = Commitment.objects.get(order=order)
    # 1 000 050 * 11 % = 110 005.5 → 110 006 (half up); 1 000 050 + 110 006 = 1 110 056.
    assert commitment.amount == 1_110_056
    assert order.amount_incl_tax == 1_110_056
    assert commitment.status == Commitment.Status.ACTIVE
    assert commitment.budget_line_id == line.pk
    assert commitment.supplier_id == lot.holder_id
    assert commitment.contract_id == lot.contract_id
    assert commitment.committed_on == order.issued_on
    first_number, first_version = commitment.number, commitment.version

    order.amount_excl_tax = 2_000_000
    order.issued_on = date(year, 4, 2)
    save_object(order, user=buyer)
    commitment.refresh_from_db()
    # 2 000 000 * 11 % = 220 000; 2 220 000 incl. tax.
    assert commitment.amount == 2_220_000
    assert commitment.committed_on == date(year, 4, 2)
    assert commitment.number == first_number
    assert commitment.version == first_version + 1

    order.status = PurchaseOrder.Status.CANCELLED
    save_object(order, user=buyer)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.CANCELLED
    assert Commitment.objects.filter(order=order).count() == 1


def test_a_cancelled_order_frees_the_lot_for_another(lot, line, normal_rate, year, buyer):
    """Once an order is cancelled, its amount is available again on the lot."""
    order = save_object(
        new_order(lot, line, normal_rate, year, amount_excl_tax=10_000_000), user=buyer
    )
    refusal(new_order(lot, line, normal_rate, year, amount_excl_tax=1), buyer)
    order.status = PurchaseOrder.Status.CANCELLED
    save_object(order, user=buyer)
    save_object(new_order(lot, line, normal_rate, year, amount_excl_tax=10_000_000), user=buyer)
    assert PurchaseOrder.objects.filter(lot=lot).exclude(status="cancelled").count() == 1


def test_the_half_franc_of_tgc_is_rounded_up_at_3_percent(lot, line, year, buyer):
    """At the specific rate (3 %), 50 excl. tax carry 1.5 of TGC, rounded to 2: 52 incl. tax."""
    from dpti.procurement.models import TaxRate

    specific = TaxRate.objects.get(code="TSP")
    order = save_object(new_order(lot, line, specific, year, amount_excl_tax=50), user=buyer)
    assert Commitment.objects.get(order=order).amount == 52


def test_a_tgc_rate_not_in_force_on_the_order_date_is_refused(lot, line, year, buyer):
    """A rate that starts after the order's date (or ended before it) is refused on the rate
    field; the same order dated within its validity is saved."""
    from tests.factories import TaxRateFactory

    rate = TaxRateFactory(label="TGC nouvelle", valid_from=date(year, 3, 15))
    errors = refusal(new_order(lot, line, rate, year, issued_on=date(year, 3, 10)), buyer)
    assert errors["tax_rate"] == [
        f"Le taux «\u00a0TGC nouvelle (11 %)\u00a0» n'est pas en vigueur le 10/03/{year}."
    ]
    assert not PurchaseOrder.objects.exists()
    order = new_order(lot, line, rate, year, issued_on=date(year, 3, 15))
    save_object(order, user=buyer)
    assert PurchaseOrder.objects.get().tax_rate == rate
