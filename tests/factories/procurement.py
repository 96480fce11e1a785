"""Factories of procurement: rules and rates, budget, needs, contracts, orders, invoices."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

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
    PaymentCredit,
    PaymentSuspension,
    ProcedureThreshold,
    ProcurementRules,
    ProgrammeAuthorisation,
    PurchaseCategory,
    PurchaseNeed,
    PurchaseOrder,
    ServiceOrder,
    TaxRate,
)
from tests.factories.directory import CompanyFactory


def _today():
    return timezone.localdate()


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate

    code = factory.Sequence(lambda n: f"T{n}")
    label = factory.Sequence(lambda n: f"TGC test {n}")
    rate = Decimal("11")
    valid_from = date(2018, 10, 1)


class ProcurementRulesFactory(factory.django.DjangoModelFactory):
    """Rules in a year of the past century, so as not to overlap the installed ones."""

    class Meta:
        model = ProcurementRules

    name = factory.Sequence(lambda n: f"Règles d'essai {n}")
    decision_reference = factory.Sequence(lambda n: f"délibération d'essai n° {n}")
    valid_from = factory.Sequence(lambda n: date(1900 + n % 99, 1, 1))
    valid_to = factory.LazyAttribute(lambda o: date(o.valid_from.year, 12, 31))


class ProcedureThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureThreshold

    rules = factory.SubFactory(ProcurementRulesFactory)
    applies_to = ProcedureThreshold.AppliesTo.WORKS
    max_amount = factory.Sequence(lambda n: 10_000_000 + n)
    procedure = "consultation"
    obligation = "Mise en concurrence de plusieurs entreprises."


class LatePaymentRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LatePaymentRate

    valid_from = factory.Sequence(lambda n: date(1900 + n % 99, 1, 1))
    valid_to = factory.LazyAttribute(lambda o: date(o.valid_from.year, 12, 31))
    reference_rate = Decimal("2.15")


class PurchaseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseCategory

    code = factory.Sequence(lambda n: f"CAT{n}")
    label = factory.Sequence(lambda n: f"Maintenance d'essai {n}")
    kind = "services"


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear

    year = factory.Sequence(lambda n: 2100 + n)
    status = FiscalYear.Status.OPEN


class ProgrammeAuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeAuthorisation

    kind = ProgrammeAuthorisation.Kind.PROGRAMME
    reference = factory.Sequence(lambda n: f"AP {n}")
    label = factory.Sequence(lambda n: f"Rénovation d'essai {n}")
    amount = 500_000_000


class PaymentCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentCredit

    authorisation = factory.SubFactory(ProgrammeAuthorisationFactory)
    year = factory.Sequence(lambda n: 2020 + n % 50)
    amount = 10_000_000


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    # The current year, shared by every line (also when built, for the generic tests).
    fiscal_year = factory.LazyFunction(
        lambda: FiscalYear.objects.get_or_create(
            year=_today().year, defaults={"status": FiscalYear.Status.OPEN}
        )[0]
    )
    code = factory.Sequence(lambda n: f"ESSAI-F-011-{6000 + n}")
    section = "operating"
    chapter = "011"
    nature = factory.Sequence(lambda n: f"{6000 + n}")
    label = factory.Sequence(lambda n: f"Ligne d'essai {n}")
    voted_amount = 100_000_000


class BudgetAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAmendment

    budget_line = factory.SubFactory(BudgetLineFactory)
    reference = factory.Sequence(lambda n: f"DM {n}")
    decided_on = factory.LazyFunction(_today)
    amount = 1_000_000


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    number = factory.Sequence(lambda n: f"ENG-ESSAI-{n:05d}")
    budget_line = factory.SubFactory(BudgetLineFactory)
    committed_on = factory.LazyFunction(_today)
    object = factory.Sequence(lambda n: f"Engagement d'essai {n}")
    amount = 1_000_000


class PurchaseNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseNeed

    reference = factory.Sequence(lambda n: f"BES-ESSAI-{n:04d}")
    object = factory.Sequence(lambda n: f"Besoin d'essai {n}")
    category = factory.SubFactory(PurchaseCategoryFactory)
    estimated_amount = 5_000_000
    needed_on = factory.LazyFunction(_today)


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract in force since a month, for two years."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"ESSAI-M-{n:03d}")
    object = factory.Sequence(lambda n: f"Maintenance d'essai {n}")
    kind = "maintenance"
    procedure = "consultation"
    status = Contract.Status.IN_FORCE
    notified_on = factory.LazyFunction(lambda: _today() - timedelta(days=60))
    start_date = factory.LazyFunction(lambda: _today() - timedelta(days=30))
    duration_months = 24
    tax_rate = factory.SubFactory(TaxRateFactory)


class ContractLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractLot

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lot d'essai {n}")
    holder = factory.SubFactory(CompanyFactory)
    amount_excl_tax = 50_000_000
    tax_rate = factory.SubFactory(TaxRateFactory)


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    signed_on = factory.LazyFunction(_today)
    object = factory.Sequence(lambda n: f"Avenant d'essai {n}")


class ServiceOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceOrder

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = ServiceOrder.Kind.START
    issued_on = factory.LazyFunction(_today)
    object = "Démarrage des prestations"


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    number = factory.Sequence(lambda n: f"BC-ESSAI-{n:05d}")
    # A month ago, within the current year (that of the budget lines): its invoices, received
    # ten days ago by default, do not precede it.
    issued_on = factory.LazyFunction(
        lambda: max(_today() - timedelta(days=30), _today().replace(month=1, day=1))
    )
    object = factory.Sequence(lambda n: f"Commande d'essai {n}")
    lot = factory.SubFactory(ContractLotFactory)
    supplier = factory.LazyAttribute(lambda o: o.lot.holder)
    budget_line = factory.SubFactory(BudgetLineFactory)
    amount_excl_tax = 1_000_000
    tax_rate = factory.SubFactory(TaxRateFactory)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"FAC-ESSAI-{n:05d}")
    order = factory.SubFactory(PurchaseOrderFactory)
    supplier = factory.LazyAttribute(lambda o: o.order.supplier)
    supplier_reference = factory.Sequence(lambda n: f"F{n:06d}")
    # Ten days ago, or the day of its order when that is later (an invoice never precedes it).
    received_on = factory.LazyAttribute(
        lambda o: (
            max(_today() - timedelta(days=10), o.order.issued_on)
            if o.order
            else _today() - timedelta(days=10)
        )
    )
    amount_excl_tax = 40_000
    tax_rate = factory.LazyAttribute(lambda o: o.order.tax_rate)


class PaymentSuspensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentSuspension

    invoice = factory.SubFactory(InvoiceFactory)
    suspended_on = factory.LazyAttribute(lambda o: o.invoice.received_on)
    resumed_on = factory.LazyAttribute(lambda o: o.invoice.received_on + timedelta(days=3))
    reason = "Attestation de service fait manquante"


# Relations the generic tests must leave empty when they fill a record's relations: a lot of
# another contract would be refused, so these stay on the whole contract.
POPULATE_SKIP = {
    Amendment: lambda obj: {"lot"},
    ServiceOrder: lambda obj: {"lot"},
}
