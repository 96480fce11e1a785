"""Amendments (avenants): the cumulative increase over the initial amount, the 10 % (supplies and
services) or 15 % (works) limit beyond which a justification is required, no single amendment
above 50 %, and the contract's end moved by extensions."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from dpti.core.models import Deadline
from dpti.core.services import save_object
from dpti.procurement.models import Amendment, Contract, ContractLot
from tests.factories import ContractFactory, ContractLotFactory

pytestmark = pytest.mark.django_db

N = "\u202f"
SIGNED = date(2026, 5, 4)  # under the 2025-2026 regime: 10 %, 15 %, 50 %


def make_contract(kind="services", lots=(8_000_000, 2_000_000)):
    """A contract in force from 01/01/2026 for 24 months; fixed lots of 10 000 000 in all."""
    contract = ContractFactory(
        kind=kind,
        notified_on=date(2025, 12, 1),
        start_date=date(2026, 1, 1),
        duration_months=24,
    )
    for amount in lots:
        ContractLotFactory(contract=contract, amount_excl_tax=amount)
    return contract


def amend(user, contract, number, amount, justification="", extension=0):
    amendment = Amendment(
        contract=contract,
        number=number,
        signed_on=SIGNED,
        object=f"Avenant {number}",
        amount_excl_tax=amount,
        extension_months=extension,
        justification=justification,
    )
    with translation.override("fr"):
        save_object(amendment, user=user)
    return amendment


def stored(contract):
    """{number: (cumulative percent, beyond limit)} as kept in the database."""
    return {
        a.number: (a.cumulative_percent, a.beyond_limit)
        for a in Amendment.objects.filter(contract=contract)
    }


def refusal(user, contract, number, amount, **kwargs):
    """The French messages of a refused amendment, by field."""
    with pytest.raises(ValidationError) as error:
        amend(user, contract, number, amount, **kwargs)
    return error.value.message_dict


def test_cumulative_percent_on_a_worked_example(buyer):
    """Each amendment keeps the sum of the amendments up to it over the initial amount."""
    contract = make_contract()  # initial 8 000 000 + 2 000 000 = 10 000 000
    amend(buyer, contract, 1, 500_000)  # 500 000 / 10 000 000 = 5 %
    amend(buyer, contract, 2, 300_000)  # 800 000 / 10 000 000 = 8 %
    amend(buyer, contract, 3, -200_000)  # 600 000 / 10 000 000 = 6 %
    amend(buyer, contract, 4, 133_333)  # 733 333 / 10 000 000 = 7.33333 → 7.33 %
    assert stored(contract) == {
        1: (Decimal("5.00"), False),
        2: (Decimal("8.00"), False),
        3: (Decimal("6.00"), False),
        4: (Decimal("7.33"), False),
    }


@pytest.mark.parametrize(
    ("kind", "at_limit", "beyond", "limit", "percent"),
    [
        # 1 000 000 / 10 000 000 = 10 %: allowed; 1 001 000 = 10,01 %: justification needed.
        ("services", 1_000_000, 1_001_000, "10", "10,01"),
        ("maintenance", 1_000_000, 1_001_000, "10", "10,01"),
        ("supplies", 1_000_000, 1_000_001, "10", "10,00001"),
        # Works: 1 500 000 = 15 % allowed; 1 500 100 = 15,001 % needs a justification.
        ("works", 1_500_000, 1_500_100, "15", "15,001"),
    ],
)
def test_limit_by_kind_needs_a_justification_beyond(buyer, kind, at_limit, beyond, limit, percent):
    """Up to the limit (10 % supplies and services, 15 % works) no justification is asked;
    beyond it the amendment is refused on its justification, in French, and nothing is saved."""
    contract = make_contract(kind)
    errors = refusal(buyer, contract, 1, beyond)
    assert errors == {
        "justification": [
            f"L'augmentation cumulée atteint {percent}{N}% du montant initial, au-delà des "
            f"{limit}{N}% que la réglementation admet pour ce type de marché{N}: justifiez "
            "l'avenant."
        ]
    }
    assert not Amendment.objects.filter(contract=contract).exists()
    amend(buyer, contract, 1, at_limit)
    assert stored(contract) == {1: (Decimal(limit).quantize(Decimal("0.01")), False)}


def test_justified_amendment_beyond_the_limit_is_saved_and_flagged(buyer):
    """With a justification the amendment beyond the limit is kept, flagged beyond it."""
    contract = make_contract()
    amend(buyer, contract, 1, 600_000)  # 6 %
    errors = refusal(buyer, contract, 2, 700_000)  # 1 300 000 / 10 000 000 = 13 %
    assert list(errors) == ["justification"]
    assert f"atteint 13{N}%" in errors["justification"][0]
    amend(buyer, contract, 2, 700_000, justification="Travaux supplémentaires imprévus")
    assert stored(contract) == {1: (Decimal("6.00"), False), 2: (Decimal("13.00"), True)}


def test_single_amendment_above_half_is_refused(buyer):
    """No amendment may add more than 50 % of the initial amount, even justified."""
    contract = make_contract()
    errors = refusal(buyer, contract, 1, 5_000_001, justification="Extension du périmètre")
    # 5 000 001 / 10 000 000 = 50,00001 %
    assert errors == {
        "amount_excl_tax": [
            f"Un avenant ne peut augmenter le montant initial de plus de 50{N}% "
            f"(celui-ci{N}: 50,00001{N}%)."
        ]
    }
    assert not Amendment.objects.exists()
    amend(buyer, contract, 1, 5_000_000, justification="Extension du périmètre")  # 50 % exactly
    assert stored(contract) == {1: (Decimal("50.00"), True)}


def test_negative_amendments_lower_the_cumulative_increase(buyer):
    """A reduction is allowed at any size and makes room for later increases."""
    contract = make_contract()
    amend(buyer, contract, 1, -6_000_000)  # -60 %: a reduction, not refused
    amend(buyer, contract, 2, 3_000_000)  # 30 % alone; -6 000 000 + 3 000 000 = -30 %
    # 3 900 000 alone is 39 % (under 50 %); -3 000 000 + 3 900 000 = 900 000 = 9 %: no
    # justification needed, where 3 900 000 on its own would have been beyond 10 %
    amend(buyer, contract, 3, 3_900_000)
    assert stored(contract) == {
        1: (Decimal("-60.00"), False),
        2: (Decimal("-30.00"), False),
        3: (Decimal("9.00"), False),
    }


def test_changing_an_earlier_amendment_refreshes_the_later_ones(buyer):
    """The object type's after_save recomputes the later amendments' cumulative percent."""
    contract = make_contract()
    first = amend(buyer, contract, 1, 500_000)  # 5 %
    amend(buyer, contract, 2, 400_000)  # 9 %
    first.amount_excl_tax = 800_000
    with translation.override("fr"):
        save_object(first, user=buyer)
    # 800 000 = 8 %; 800 000 + 400 000 = 1 200 000 = 12 %: beyond the 10 %, flagged
    assert stored(contract) == {1: (Decimal("8.00"), False), 2: (Decimal("12.00"), True)}


def test_changing_a_lot_refreshes_the_percentages(buyer):
    """A new initial amount (a lot's price changed) recomputes every amendment."""
    contract = make_contract()
    amend(buyer, contract, 1, 800_000)  # 8 % of 10 000 000
    lot = ContractLot.objects.get(contract=contract, amount_excl_tax=2_000_000)
    lot.amount_excl_tax = 4_000_000
    save_object(lot, user=buyer)
    # 800 000 / (8 000 000 + 4 000 000) = 6,666… → 6,67 %
    assert stored(contract) == {1: (Decimal("6.67"), False)}


def contract_end_deadline(contract):
    return Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(Contract),
        object_id=contract.pk,
        kind="contract_end",
    )


def test_extension_moves_the_end_and_its_deadline(buyer, normal_rate):
    """Extension months move the contract's end of execution and its « contract_end »
    deadline; a negative extension brings them back."""
    contract = ContractFactory.build(
        kind="services",
        notified_on=date(2025, 12, 1),
        start_date=date(2026, 1, 1),
        duration_months=24,
        tax_rate=normal_rate,
    )
    save_object(contract, user=buyer)
    ContractLotFactory(contract=contract, amount_excl_tax=10_000_000)
    # 01/01/2026 + 24 months - 1 day = 31/12/2027
    assert contract_end_deadline(contract).due_date == date(2027, 12, 31)
    amend(buyer, contract, 1, 0, extension=6)
    contract.refresh_from_db()
    # + 6 months: 30/06/2028
    assert contract.end_date == date(2028, 6, 30)
    assert contract_end_deadline(contract).due_date == date(2028, 6, 30)
    amend(buyer, contract, 2, 0, extension=-2)
    contract.refresh_from_db()
    # 24 + 6 - 2 = 28 months: 30/04/2028
    assert contract.end_date == date(2028, 4, 30)
    assert contract_end_deadline(contract).due_date == date(2028, 4, 30)


def test_deleting_an_amendment_refreshes_the_later_ones_and_the_end(buyer):
    """Deleting an amendment recomputes the later ones' cumulative percent and moves the
    contract's end back."""
    from dpti.core.services import delete_object

    contract = make_contract()
    first = amend(buyer, contract, 1, 900_000, extension=3)  # 9 %
    amend(buyer, contract, 2, 400_000, justification="Surcoût imprévu")  # 13 %, flagged
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 3, 31)  # 24 + 3 months from 01/01/2026
    delete_object(first, user=buyer)
    # only 400 000 of 10 000 000 left: 4 %, within the limit; the end is back to 31/12/2027
    assert stored(contract) == {2: (Decimal("4.00"), False)}
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)
    assert contract_end_deadline(contract).due_date == date(2027, 12, 31)
