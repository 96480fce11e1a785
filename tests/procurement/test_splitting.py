"""The yearly total of a purchase category (or of a works operation) and the splitting check of a
purchase need, computed on every save of the need."""

from datetime import date

import pytest
from django.utils import translation

from dpti.core.services import save_object
from dpti.procurement.models import Contract, PurchaseNeed, PurchaseOrder
from dpti.procurement.procedures import category_year_total
from tests.factories import (
    BudgetLineFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    PurchaseCategoryFactory,
    PurchaseNeedFactory,
    PurchaseOrderFactory,
)

pytestmark = pytest.mark.django_db

N = "\u202f"
YEAR = 2026
DAY = date(YEAR, 6, 15)
RULES_2025 = "(délibération n° 168/CP du 3 avril 2025)"


def xpf(text):
    """'15 300 000' → the French amount with narrow no-break spaces and XPF."""
    return text.replace(" ", N) + f"{N}XPF"


@pytest.fixture
def category(db):
    return PurchaseCategoryFactory(code="NET-T", label="Nettoyage d'essai", kind="services")


def contract(category, *lots, framework=False, notified_on=date(YEAR, 2, 1), **kwargs):
    """A contract of the category notified on the day given, with lots (amount, maximum)."""
    made = ContractFactory(
        category=category,
        is_framework=framework,
        notified_on=notified_on,
        start_date=notified_on,
        **kwargs,
    )
    for amount, maximum in lots:
        ContractLotFactory(contract=made, amount_excl_tax=amount, maximum_excl_tax=maximum)
    return made


def order(category, amount, issued_on=date(YEAR, 3, 10), **kwargs):
    """An order outside contracts in the category."""
    return PurchaseOrderFactory(
        lot=None,
        supplier=CompanyFactory(),
        category=category,
        amount_excl_tax=amount,
        issued_on=issued_on,
        budget_line=BudgetLineFactory(),
        **kwargs,
    )


def new_need(user, category, amount, operation="", needed_on=DAY):
    need = PurchaseNeed(
        object="Besoin à contrôler",
        category=category,
        estimated_amount=amount,
        needed_on=needed_on,
        operation=operation,
    )
    with translation.override("fr"):
        save_object(need, user=user)
    return need


@pytest.fixture
def year_of_purchases(category):
    """Another need, a fixed-price contract, a framework contract and an order outside
    contracts in 2026, plus an order against a lot (not counted: its contract is)."""
    PurchaseNeedFactory(category=category, estimated_amount=3_000_000, needed_on=date(YEAR, 1, 5))
    contract(category, (2_000_000, None), (1_500_000, None))
    framework = contract(category, (1_000_000, 6_000_000), framework=True)
    order(category, 800_000)
    PurchaseOrderFactory(lot=framework.lots.get(), category=category, amount_excl_tax=500_000)


def test_needs_contracts_and_orders_add_up(buyer, category, year_of_purchases):
    """The yearly total adds the other needs, the contracts at their full amount (price of
    fixed-price lots, maximum of framework lots) and the orders outside contracts."""
    need = new_need(buyer, category, 2_000_000)
    # 2 000 000 (this need) + 3 000 000 (other need) + 2 000 000 + 1 500 000 (fixed lots)
    # + 6 000 000 (framework maximum, not its 1 000 000 estimate) + 800 000 (order) = 15 300 000
    need.refresh_from_db()
    assert need.year_total == 15_300_000
    assert need.required_procedure == "consultation"
    others = category_year_total(category, YEAR, exclude_need=need)
    assert (others.needs, others.contracts, others.orders) == (1, 2, 1)
    assert others.amount == 13_300_000  # 15 300 000 - 2 000 000


def test_splitting_reason_in_french(buyer, category, year_of_purchases):
    """A need of 2 000 000 (no competition alone) in a year of 15 300 000 (several firms) is
    flagged, and the reason gives the total, the band and the splitting warning in French."""
    need = new_need(buyer, category, 2_000_000)
    need.refresh_from_db()
    assert need.splitting_suspected is True
    assert need.procedure_reason.split("\n") == [
        f"Total annuel de la catégorie «\u00a0Nettoyage d'essai\u00a0» en 2026{N}: "
        f"{xpf('15 300 000')} HT, "
        f"soit cet achat ({xpf('2 000 000')}) et {xpf('13 300 000')} déjà prévus, attribués ou "
        "commandés (1 autre besoin, 2 marchés et 1 commande hors marché).",
        f"Services de {xpf('15 300 000')} HT{N}: tranche «\u00a0de {xpf('10 000 000')} à "
        f"{xpf('40 000 000')} inclus\u00a0» {RULES_2025}. Mise en concurrence de "
        "plusieurs entreprises.",
        "Pris isolément, cet achat ne relèverait que de la procédure «\u00a0Achat sans mise en "
        f"concurrence obligatoire\u00a0». Fractionner un achat pour rester sous un seuil est "
        f"interdit{N}: regroupez-le avec les autres achats de la catégorie "
        "«\u00a0Nettoyage d'essai\u00a0».",
    ]


def test_purchases_that_do_not_count_are_left_out(buyer, category):
    """Abandoned and awarded needs, other years, other categories, terminated contracts and
    cancelled orders stay out of the total."""
    other_category = PurchaseCategoryFactory(kind="services")
    for status in (PurchaseNeed.Status.ABANDONED, PurchaseNeed.Status.AWARDED):
        PurchaseNeedFactory(category=category, estimated_amount=7_000_000, status=status)
    PurchaseNeedFactory(category=category, estimated_amount=7_000_000, needed_on=date(2025, 6, 1))
    PurchaseNeedFactory(category=other_category, estimated_amount=7_000_000, needed_on=DAY)
    contract(category, (7_000_000, None), notified_on=date(2025, 12, 1))
    contract(category, (7_000_000, None), status=Contract.Status.TERMINATED)
    contract(other_category, (7_000_000, None))
    order(category, 700_000, issued_on=date(2025, 6, 1))
    order(category, 700_000, status=PurchaseOrder.Status.CANCELLED)
    order(other_category, 700_000)
    need = new_need(buyer, category, 9_000_000)
    need.refresh_from_db()
    assert need.year_total == 9_000_000  # this need alone
    assert need.required_procedure == "no_competition"
    assert need.splitting_suspected is False
    with translation.override("fr"):
        # No other purchase: the reason is the band sentence alone.
        assert need.procedure_reason == (
            f"Services de {xpf('9 000 000')} HT{N}: tranche «\u00a0moins de "
            f"{xpf('10 000 000')}\u00a0» "
            f"{RULES_2025}. Pas de mise en concurrence obligatoire ; faire tourner les "
            "fournisseurs."
        )
    others = category_year_total(category, YEAR, exclude_need=need)
    assert (others.amount, others.needs, others.contracts, others.orders) == (0, 0, 0, 0)


def test_order_of_another_year_left_out(category):
    """An order outside contracts counts in the year it is issued only."""
    order(category, 1_200_000, issued_on=date(YEAR, 11, 2))
    assert category_year_total(category, YEAR).amount == 1_200_000
    assert category_year_total(category, YEAR + 1).amount == 0


def test_need_turned_into_a_contract_counts_once(buyer, category):
    """A need launched whose contract is signed counts by its contract, not twice."""
    launched = PurchaseNeedFactory(
        category=category, estimated_amount=5_000_000, status=PurchaseNeed.Status.LAUNCHED
    )
    contract(category, (4_500_000, None), need=launched)
    need = new_need(buyer, category, 1_000_000)
    need.refresh_from_db()
    # 1 000 000 (this need) + 4 500 000 (the contract), the launched need's 5 000 000 left out
    assert need.year_total == 5_500_000
    others = category_year_total(category, YEAR, exclude_need=need)
    assert (others.needs, others.contracts) == (0, 1)


def test_works_are_grouped_by_operation(buyer):
    """For works the total is the operation's: needs and contracts of another operation (and
    orders, which carry no operation) stay out."""
    works = PurchaseCategoryFactory(code="TRV-T", label="Travaux d'essai", kind="works")
    PurchaseNeedFactory(category=works, operation="rénovation salle a", estimated_amount=5_000_000)
    PurchaseNeedFactory(category=works, operation="Toiture", estimated_amount=30_000_000)
    roof = PurchaseNeedFactory(
        category=works, operation="Toiture", status=PurchaseNeed.Status.AWARDED
    )
    contract(works, (20_000_000, None), kind="works", need=roof)
    order(works, 3_000_000)
    need = new_need(buyer, works, 6_000_000, operation="Rénovation salle A")
    need.refresh_from_db()
    # 6 000 000 + 5 000 000 (same operation, whatever the case) = 11 000 000: several firms
    assert need.year_total == 11_000_000
    assert need.required_procedure == "consultation"
    assert need.splitting_suspected is True
    assert "l'opération «\u00a0Rénovation salle A\u00a0»" in need.procedure_reason
    # Without an operation the whole category counts: 30 000 000 + 5 000 000 + 6 000 000
    # (needs, the one just saved included) + 20 000 000 (contract) + 3 000 000 (order)
    # = 64 000 000
    assert category_year_total(works, YEAR).amount == 64_000_000


def test_no_splitting_when_the_need_alone_is_in_the_same_band(buyer, category):
    """12 000 000 + 15 000 000 = 27 000 000: same band as 12 000 000 alone, nothing flagged."""
    PurchaseNeedFactory(category=category, estimated_amount=15_000_000, needed_on=DAY)
    need = new_need(buyer, category, 12_000_000)
    need.refresh_from_db()
    assert need.year_total == 27_000_000
    assert need.required_procedure == "consultation"
    assert need.splitting_suspected is False
    assert "Fractionner" not in need.procedure_reason


def test_saving_again_does_not_count_the_need_twice(buyer, category):
    """On a change the need is compared with the others, never with itself."""
    PurchaseNeedFactory(category=category, estimated_amount=4_000_000, needed_on=DAY)
    need = new_need(buyer, category, 5_000_000)
    assert need.year_total == 9_000_000  # 5 000 000 + 4 000 000
    need.estimated_amount = 7_000_000
    with translation.override("fr"):
        save_object(need, user=buyer)
    need.refresh_from_db()
    # 7 000 000 + 4 000 000 = 11 000 000: several firms, where 7 000 000 alone needs none
    assert need.year_total == 11_000_000
    assert need.required_procedure == "consultation"
    assert need.splitting_suspected is True
