"""The procedure a yearly amount requires, at and around every threshold of every installed set
of rules (délibération n° 424 and its temporary regimes), the set chosen by the date."""

from datetime import date

import pytest
from django.utils import translation

from dpti.procurement.models import ProcedureThreshold
from dpti.procurement.procedures import determine
from tests.factories import ProcedureThresholdFactory, ProcurementRulesFactory

pytestmark = pytest.mark.django_db

N = "\u202f"  # narrow no-break space: thousands and before « : »

NO_COMPETITION = "no_competition"
CONSULTATION = "consultation"
ADAPTED = "adapted"
OPEN_CALL = "open_call"
TENDER = "open_tender"

# D424 base (2020-01-01 → 2024-04-03, again from 2027-01-01), both scales:
# up to and including 20 000 000 adapted, above it a formal contract by tender.
BASE = [
    (0, ADAPTED),
    (19_999_999, ADAPTED),
    (20_000_000, ADAPTED),
    (20_000_001, TENDER),
]
# 2024 regime (2024-04-04 → 2025-04-03), both scales: under 10 000 000 no competition,
# 10 000 000 to 40 000 000 included adapted, above D424 (tender).
REGIME_2024 = [
    (9_999_999, NO_COMPETITION),
    (10_000_000, ADAPTED),
    (10_000_001, ADAPTED),
    (39_999_999, ADAPTED),
    (40_000_000, ADAPTED),
    (40_000_001, TENDER),
]
# 2025-2026 regime (2025-04-04 → 2026-12-31).
REGIME_2025_WORKS = [
    (9_999_999, NO_COMPETITION),
    (10_000_000, CONSULTATION),
    (10_000_001, CONSULTATION),
    (39_999_999, CONSULTATION),
    (40_000_000, CONSULTATION),
    (40_000_001, OPEN_CALL),
    (99_999_999, OPEN_CALL),
    (100_000_000, OPEN_CALL),
    (100_000_001, TENDER),
]
REGIME_2025_OTHER = [
    (9_999_999, NO_COMPETITION),
    (10_000_000, CONSULTATION),
    (10_000_001, CONSULTATION),
    (39_999_999, CONSULTATION),
    (40_000_000, CONSULTATION),
    (40_000_001, TENDER),
    (100_000_000, TENDER),
]

PERIODS = [
    # (a day inside the period, its rules' start, cases for works, cases for supplies/services)
    (date(2020, 1, 1), date(2020, 1, 1), BASE, BASE),
    (date(2022, 6, 15), date(2020, 1, 1), BASE, BASE),
    (date(2024, 4, 3), date(2020, 1, 1), BASE, BASE),
    (date(2024, 4, 4), date(2024, 4, 4), REGIME_2024, REGIME_2024),
    (date(2024, 11, 20), date(2024, 4, 4), REGIME_2024, REGIME_2024),
    (date(2025, 4, 3), date(2024, 4, 4), REGIME_2024, REGIME_2024),
    (date(2025, 4, 4), date(2025, 4, 4), REGIME_2025_WORKS, REGIME_2025_OTHER),
    (date(2026, 6, 15), date(2025, 4, 4), REGIME_2025_WORKS, REGIME_2025_OTHER),
    (date(2026, 12, 31), date(2025, 4, 4), REGIME_2025_WORKS, REGIME_2025_OTHER),
    (date(2027, 1, 1), date(2027, 1, 1), BASE, BASE),
    (date(2031, 7, 1), date(2027, 1, 1), BASE, BASE),
]


def _cases():
    for day, start, works, other in PERIODS:
        for amount, procedure in works:
            yield pytest.param("works", day, amount, procedure, start, id=f"works-{day}-{amount}")
        for kind in ("supplies", "services"):
            for amount, procedure in other:
                yield pytest.param(kind, day, amount, procedure, start, id=f"{kind}-{day}-{amount}")


@pytest.mark.parametrize(("kind", "day", "amount", "procedure", "rules_start"), list(_cases()))
def test_procedure_at_and_around_every_threshold(kind, day, amount, procedure, rules_start):
    """Each amount gets the procedure of its band in the rules in force on its date."""
    decision = determine(kind, amount, day)
    assert decision.procedure == procedure
    assert decision.rules.valid_from == rules_start
    assert decision.band.procedure == procedure
    assert decision.band.applies_to == (
        ProcedureThreshold.AppliesTo.WORKS
        if kind == "works"
        else ProcedureThreshold.AppliesTo.SUPPLIES_SERVICES
    )


@pytest.mark.parametrize(
    ("kind", "amount", "before", "after"),
    [
        # 25 000 000: above 20 000 000 in the base (tender), inside 10-40 M in 2024 (adapted).
        ("services", 25_000_000, (date(2024, 4, 3), TENDER), (date(2024, 4, 4), ADAPTED)),
        # 25 000 000: adapted in 2024, competition between several firms in 2025.
        ("supplies", 25_000_000, (date(2025, 4, 3), ADAPTED), (date(2025, 4, 4), CONSULTATION)),
        # 25 000 000: several firms until 31/12/2026, tender again under the base from 2027.
        ("services", 25_000_000, (date(2026, 12, 31), CONSULTATION), (date(2027, 1, 1), TENDER)),
        # 50 000 000 of works: open call until 31/12/2026, tender under the base.
        ("works", 50_000_000, (date(2026, 12, 31), OPEN_CALL), (date(2027, 1, 1), TENDER)),
        # 5 000 000: no competition until 31/12/2026, adapted under the base.
        ("works", 5_000_000, (date(2026, 12, 31), NO_COMPETITION), (date(2027, 1, 1), ADAPTED)),
    ],
)
def test_rules_chosen_by_the_date(kind, amount, before, after):
    """The same amount changes procedure on the day a new set of rules comes into force."""
    first, second = determine(kind, amount, before[0]), determine(kind, amount, after[0])
    assert first.procedure == before[1]
    assert second.procedure == after[1]
    assert first.rules != second.rules
    assert first.rules.valid_to == before[0]
    assert second.rules.valid_from == after[0]


def test_no_rules_in_force_gives_no_procedure_and_a_french_message():
    """Before 2020 no rules are installed: no procedure, and a French message says why."""
    with translation.override("fr"):
        decision = determine("services", 5_000_000, date(2019, 12, 31))
    assert decision.procedure is None
    assert decision.band is None
    assert decision.rules is None
    assert decision.reason == (
        f"Aucune réglementation des marchés n'est en vigueur le 31/12/2019{N}: saisissez les "
        "règles applicables dans les données de référence."
    )


@pytest.mark.parametrize(
    ("kind", "amount", "day", "expected"),
    [
        (
            "services",
            25_000_000,
            date(2026, 6, 15),
            f"Services de 25{N}000{N}000{N}XPF HT{N}: tranche «\u00a0de 10{N}000{N}000{N}XPF à "
            f"40{N}000{N}000{N}XPF inclus\u00a0» (délibération n° 168/CP du 3 avril 2025). "
            "Mise en concurrence de plusieurs entreprises.",
        ),
        (
            "supplies",
            9_999_999,
            date(2026, 6, 15),
            f"Fournitures de 9{N}999{N}999{N}XPF HT{N}: tranche «\u00a0moins de "
            f"10{N}000{N}000{N}XPF\u00a0» (délibération n° 168/CP du 3 avril 2025). "
            "Pas de mise en concurrence obligatoire ; faire tourner les fournisseurs.",
        ),
        (
            "works",
            100_000_001,
            date(2026, 6, 15),
            f"Travaux de 100{N}000{N}001{N}XPF HT{N}: tranche «\u00a0plus de "
            f"100{N}000{N}000{N}XPF\u00a0» "
            "(délibération n° 168/CP du 3 avril 2025). Appel d'offres ; au moins 10 % "
            "sous-traités à des entreprises de moins de 10 salariés (sauf titulaire de moins "
            "de 15 salariés).",
        ),
        (
            "works",
            20_000_000,
            date(2022, 6, 15),
            f"Travaux de 20{N}000{N}000{N}XPF HT{N}: tranche «\u00a0jusqu'à 20{N}000{N}000{N}XPF "
            "inclus\u00a0» (délibération n° 424 du 20 mars 2019). Mise en concurrence adaptée au "
            "marché, critères d'attribution communiqués.",
        ),
    ],
)
def test_reason_names_the_band_and_the_obligation_once(kind, amount, day, expected):
    """The French reason gives the kind, the amount, the band with its bounds, the deliberation
    and what the buyer must do, without repeating the procedure."""
    with translation.override("fr"):
        assert determine(kind, amount, day).reason == expected


@pytest.fixture
def test_rules():
    """Rules of 1950 with three works bands: ≤ 5 000 000, < 8 000 000, then no upper amount."""
    rules = ProcurementRulesFactory(
        decision_reference="délibération d'essai", valid_from=date(1950, 1, 1)
    )
    for maximum, included, procedure in (
        (5_000_000, True, NO_COMPETITION),
        (8_000_000, False, ADAPTED),
        (None, False, TENDER),
    ):
        ProcedureThresholdFactory(
            rules=rules, max_amount=maximum, max_included=included, procedure=procedure
        )
    return rules


@pytest.mark.parametrize(
    ("amount", "procedure", "bounds"),
    [
        (5_000_000, NO_COMPETITION, f"jusqu'à 5{N}000{N}000{N}XPF inclus"),
        (5_000_001, ADAPTED, f"plus de 5{N}000{N}000{N}XPF et moins de 8{N}000{N}000{N}XPF"),
        (7_999_999, ADAPTED, f"plus de 5{N}000{N}000{N}XPF et moins de 8{N}000{N}000{N}XPF"),
        (8_000_000, TENDER, f"8{N}000{N}000{N}XPF ou plus"),
    ],
)
def test_bounds_follow_included_and_excluded_amounts(test_rules, amount, procedure, bounds):
    """A band after an included upper amount starts « above » it, after an excluded one « from »
    it; an excluded upper amount reads « under »."""
    with translation.override("fr"):
        decision = determine("works", amount, date(1950, 6, 1))
    assert decision.procedure == procedure
    assert decision.rules == test_rules
    assert f"tranche «\u00a0{bounds}\u00a0» (délibération d'essai)" in decision.reason


def test_rules_without_a_band_for_the_amount(test_rules):
    """Rules whose last band has an upper amount leave larger amounts without procedure."""
    ProcedureThreshold.objects.filter(rules=test_rules, max_amount__isnull=True).delete()
    with translation.override("fr"):
        decision = determine("works", 9_000_000, date(1950, 6, 1))
    assert decision.procedure is None
    assert decision.reason == (
        f"La réglementation «\u00a0{test_rules.name}\u00a0» n'a pas de tranche pour ce montant{N}: "
        "complétez ses seuils."
    )
    assert ProcedureThreshold.objects.filter(rules=test_rules).count() == 2
