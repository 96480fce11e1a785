"""Editable defaults of a new installation: TGC rates, the procurement rules of délibération
n° 424 and its temporary regimes, late-payment rates and a nomenclature of purchases.

Installed once in empty tables after migrate; an administrator changes them as data. Values
marked « à vérifier » come from the domain notes and must be confirmed by the legal service.
"""

import datetime
from decimal import Decimal

D = datetime.date

# (code, label, rate %, valid from)
TAX_RATES = [
    ("TS", "TGC taux supérieur", Decimal("22"), D(2018, 10, 1)),
    ("TN", "TGC taux normal", Decimal("11"), D(2018, 10, 1)),
    ("TR", "TGC taux réduit", Decimal("6"), D(2018, 10, 1)),
    ("TSP", "TGC taux spécifique", Decimal("3"), D(2018, 10, 1)),
    ("EXO", "Exonéré de TGC", Decimal("0"), D(2018, 10, 1)),
]

WORKS, OTHER = "works", "supplies_services"

ADAPTED = ("adapted", "Mise en concurrence adaptée au marché, critères d'attribution communiqués.")
FORMAL = (
    "open_tender",
    "Marché formel, normalement passé par appel d'offres (publicité d'au moins 20 jours).",
)
D424 = ("open_tender", "Procédures de la délibération n° 424 (appel d'offres).")
NO_COMPETITION_2024 = (
    "no_competition",
    "Pas de mise en concurrence préalable ; ne pas toujours retenir le même fournisseur.",
)
NO_COMPETITION_2025 = (
    "no_competition",
    "Pas de mise en concurrence obligatoire ; faire tourner les fournisseurs.",
)
SEVERAL_FIRMS = ("consultation", "Mise en concurrence de plusieurs entreprises.")
SMALL_FIRMS = (
    "au moins 10 % sous-traités à des entreprises de moins de 10 salariés "
    "(sauf titulaire de moins de 15 salariés)."
)
OPEN_CALL = (
    "open_call",
    f"Appel public à la concurrence, sans obligation d'allotir ; {SMALL_FIRMS}",
)
TENDER_WORKS = ("open_tender", f"Appel d'offres ; {SMALL_FIRMS}")
TENDER = ("open_tender", "Appel d'offres.")

BASE_BANDS = [
    (WORKS, 20_000_000, True, *ADAPTED),
    (WORKS, None, False, *FORMAL),
    (OTHER, 20_000_000, True, *ADAPTED),
    (OTHER, None, False, *FORMAL),
]

# name, reference, from, to, notes, bands: (applies to, up to, included, procedure, obligation)
RULES = [
    (
        "Délibération n° 424 — régime de base",
        "délibération n° 424 du 20 mars 2019",
        D(2020, 1, 1),
        D(2024, 4, 3),
        "",
        BASE_BANDS,
    ),
    (
        "Régime temporaire 2024",
        "délibération n° 398 du 3 avril 2024",
        D(2024, 4, 4),
        D(2025, 4, 3),
        "",
        [
            (WORKS, 10_000_000, False, *NO_COMPETITION_2024),
            (WORKS, 40_000_000, True, *ADAPTED),
            (WORKS, None, False, *D424),
            (OTHER, 10_000_000, False, *NO_COMPETITION_2024),
            (OTHER, 40_000_000, True, *ADAPTED),
            (OTHER, None, False, *D424),
        ],
    ),
    (
        "Régime temporaire 2025-2026",
        "délibération n° 168/CP du 3 avril 2025",
        D(2025, 4, 4),
        D(2026, 12, 31),
        "",
        [
            (WORKS, 10_000_000, False, *NO_COMPETITION_2025),
            (WORKS, 40_000_000, True, *SEVERAL_FIRMS),
            (WORKS, 100_000_000, True, *OPEN_CALL),
            (WORKS, None, False, *TENDER_WORKS),
            (OTHER, 10_000_000, False, *NO_COMPETITION_2025),
            (OTHER, 40_000_000, True, *SEVERAL_FIRMS),
            (OTHER, None, False, *TENDER),
        ],
    ),
    (
        "Délibération n° 424 — retour au régime de base (à vérifier)",
        "délibération n° 424 du 20 mars 2019",
        D(2027, 1, 1),
        None,
        "Fin du régime temporaire au 31/12/2026 : seuils de base repris par défaut, à confirmer "
        "par le service juridique dès la publication d'une nouvelle délibération.",
        BASE_BANDS,
    ),
]

# Main refinancing rate of the central bank on the first day of each half-year (à vérifier),
# + 8 points; indemnity 40 € = 4 773 XPF at the fixed parity.
LATE_PAYMENT_RATES = [
    (D(2024, 1, 1), D(2024, 6, 30), Decimal("4.50")),
    (D(2024, 7, 1), D(2024, 12, 31), Decimal("4.25")),
    (D(2025, 1, 1), D(2025, 6, 30), Decimal("3.15")),
    (D(2025, 7, 1), D(2025, 12, 31), Decimal("2.15")),
    (D(2026, 1, 1), D(2026, 6, 30), Decimal("2.15")),
    (D(2026, 7, 1), None, Decimal("2.15")),
]

# (code, label, kind)
CATEGORIES = [
    ("NET", "Nettoyage des locaux", "services"),
    ("CLIM", "Maintenance de la climatisation", "services"),
    ("ASC", "Maintenance des ascenseurs", "services"),
    ("SEC", "Sécurité, gardiennage et sûreté incendie", "services"),
    ("ELEC", "Maintenance électrique et courants faibles", "services"),
    ("ESP", "Entretien des espaces verts", "services"),
    ("INF-SUP", "Assistance et support informatique", "services"),
    ("INF-MAT", "Matériel informatique", "supplies"),
    ("INF-LOG", "Logiciels et licences", "supplies"),
    ("TEL", "Télécommunications", "services"),
    ("MOB", "Mobilier de bureau", "supplies"),
    ("FOUR", "Fournitures de bureau et consommables", "supplies"),
    ("VEH", "Véhicules et entretien du parc", "supplies"),
    ("ETU", "Études et maîtrise d'œuvre", "services"),
    ("TRV-AMG", "Travaux d'aménagement des locaux", "works"),
    ("TRV-GE", "Travaux de gros entretien et de rénovation", "works"),
]


def install_reference_data(**kwargs):
    """Fill each empty reference table; a table that holds rows is never touched."""
    from dpti.procurement.models import (
        LatePaymentRate,
        ProcedureThreshold,
        ProcurementRules,
        PurchaseCategory,
        TaxRate,
    )

    if not TaxRate.objects.exists():
        TaxRate.objects.bulk_create(
            TaxRate(code=code, label=label, rate=rate, valid_from=start)
            for code, label, rate, start in TAX_RATES
        )
    if not ProcurementRules.objects.exists():
        for name, reference, start, end, notes, bands in RULES:
            rules = ProcurementRules.objects.create(
                name=name, decision_reference=reference, valid_from=start, valid_to=end, notes=notes
            )
            ProcedureThreshold.objects.bulk_create(
                ProcedureThreshold(
                    rules=rules,
                    applies_to=applies_to,
                    max_amount=up_to,
                    max_included=included,
                    procedure=procedure,
                    obligation=obligation,
                )
                for applies_to, up_to, included, procedure, obligation in bands
            )
    if not LatePaymentRate.objects.exists():
        LatePaymentRate.objects.bulk_create(
            LatePaymentRate(
                valid_from=start,
                valid_to=end,
                reference_rate=rate,
                margin_points=Decimal(8),
                recovery_indemnity=4_773,
                decision_reference="Taux de la BCE au 1er jour du semestre + 8 points (à vérifier)",
            )
            for start, end, rate in LATE_PAYMENT_RATES
        )
    if not PurchaseCategory.objects.exists():
        PurchaseCategory.objects.bulk_create(
            PurchaseCategory(code=code, label=label, kind=kind) for code, label, kind in CATEGORIES
        )
