"""Factories of test data (factory_boy), one per model, with French-looking values."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dpti.assets.models import (
    AccountingAccount,
    AccountingPolicy,
    Asset,
    AssetCategory,
    AssetMovement,
    CampaignItem,
    CampaignScan,
    Disposal,
    InventoryCampaign,
)
from dpti.core.models import Deadline, User
from dpti.directory.models import Company, OrganisationUnit, Person, Team
from dpti.estate.models import Building, Floor, Lease, Room, Site
from dpti.itpark.models import (
    Application,
    Device,
    InformationAsset,
    Interface,
    IpAddress,
    Licence,
    LicenceAssignment,
    OperatingProcedure,
    Prefix,
    TelecomLine,
    Vlan,
    Vrf,
)
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


class UserFactory(factory.django.DjangoModelFactory):
    """A user account; `roles=["technician"]` puts it in those role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@congres.nc")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    code = factory.Sequence(lambda n: f"SRV{n:03d}")
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrganisationUnit.Kind.SERVICE


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise calédonienne {n}")
    ridet = factory.Sequence(lambda n: f"{1000000 + n:07d}.001")
    city = "Nouméa"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@congres.nc")
    kind = Person.Kind.AGENT
    unit = factory.SubFactory(OrganisationUnitFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Équipe {n}")
    unit = factory.SubFactory(OrganisationUnitFactory)


class LogEntryFactory(factory.django.DjangoModelFactory):
    """An audit entry: someone changed a person's phone."""

    class Meta:
        model = LogEntry

    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Person))
    object_pk = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"DUPONT Marie {n}")
    action = LogEntry.Action.UPDATE
    changes = factory.LazyFunction(lambda: {"phone": ["27 31 29", "24 37 00"]})
    actor = factory.SubFactory(UserFactory)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"SITE{n:03d}")
    name = factory.Sequence(lambda n: f"Site {n}")
    address = "1 boulevard Vauban"
    postal_code = "98800"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"BAT{n:03d}")
    name = factory.Sequence(lambda n: f"Bâtiment {n}")
    year_built = 1998


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    level = factory.Sequence(lambda n: n % 30)
    name = factory.LazyAttribute(lambda o: f"Niveau {o.level}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    floor = factory.SubFactory(FloorFactory)
    code = factory.Sequence(lambda n: f"L-{n:04d}")
    name = factory.Sequence(lambda n: f"Bureau {n}")
    use = Room.Use.OFFICE
    area = 12


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lease

    building = factory.SubFactory(BuildingFactory)
    landlord_name = "SCI du Port"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3 * 365))
    monthly_rent = 450_000


class AccountingAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountingAccount

    number = factory.Sequence(lambda n: f"29{n:03d}")
    label = factory.Sequence(lambda n: f"Compte de test {n}")


class AccountingPolicyFactory(factory.django.DjangoModelFactory):
    """A closed policy of the distant past, so that it never overlaps the default one."""

    class Meta:
        model = AccountingPolicy

    name = factory.Sequence(lambda n: f"Règles {n}")
    valid_from = factory.Sequence(lambda n: timezone.datetime(1800 + n % 190, 1, 1).date())
    valid_to = factory.LazyAttribute(lambda o: o.valid_from.replace(month=12, day=31))


class AssetCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetCategory

    code = factory.Sequence(lambda n: f"CAT{n:03d}")
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    account = factory.SubFactory(AccountingAccountFactory)
    duration_years = 5


class AssetFactory(factory.django.DjangoModelFactory):
    """An asset; the number is set here because factories bypass the numbering service."""

    class Meta:
        model = Asset

    inventory_number = factory.Sequence(lambda n: f"T-{n:06d}")
    label = factory.Sequence(lambda n: f"Fauteuil de bureau {n}")
    category = factory.SubFactory(AssetCategoryFactory)
    acquisition_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    value = 150_000
    room = factory.SubFactory(RoomFactory)


class AssetMovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetMovement

    asset = factory.SubFactory(AssetFactory)
    to_room = factory.SubFactory(RoomFactory)
    reason = "Déménagement"


class DisposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disposal

    asset = factory.SubFactory(AssetFactory)
    reason = Disposal.Reason.DESTRUCTION


class InventoryCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryCampaign

    name = factory.Sequence(lambda n: f"Inventaire {2026 + n}")
    start_date = factory.LazyFunction(timezone.localdate)


class CampaignItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignItem

    campaign = factory.SubFactory(InventoryCampaignFactory)
    asset = factory.SubFactory(AssetFactory)
    expected_room = factory.LazyAttribute(lambda o: o.asset.room)


class CampaignScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignScan

    campaign = factory.SubFactory(InventoryCampaignFactory)
    room = factory.SubFactory(RoomFactory)
    code = factory.Sequence(lambda n: f"INCONNU-{n}")
    kind = CampaignScan.Kind.UNKNOWN_CODE


class DeviceFactory(factory.django.DjangoModelFactory):
    """A workstation with its asset record."""

    class Meta:
        model = Device

    name = factory.Sequence(lambda n: f"PC-CONGRES-{n:04d}")
    kind = Device.Kind.WORKSTATION
    asset = factory.SubFactory(AssetFactory)
    operating_system = "Windows 11"


class VrfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vrf

    name = factory.Sequence(lambda n: f"VRF-{n}")


class VlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vlan

    vid = factory.Sequence(lambda n: 10 + n % 4000)
    name = factory.Sequence(lambda n: f"Bureautique {n}")
    site = factory.SubFactory(SiteFactory)


def _network(n):
    return f"10.{n // 256 % 256}.{n % 256}.0/24"


class PrefixFactory(factory.django.DjangoModelFactory):
    """A /24 of 10.0.0.0/8, with its derived range keys."""

    class Meta:
        model = Prefix

    prefix = factory.Sequence(_network)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.clean()  # derives the family and the range keys
        obj.save()
        return obj


class IpAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IpAddress

    address = factory.Sequence(lambda n: f"172.{16 + n // 65536 % 16}.{n // 256 % 256}.{n % 256}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.clean()
        obj.save()
        return obj


class InterfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interface

    device = factory.SubFactory(DeviceFactory)
    name = factory.Sequence(lambda n: f"eth{n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Application {n}")


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    product = factory.Sequence(lambda n: f"Suite bureautique {n}")
    quantity = 10
    annual_cost = 250_000


class LicenceAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceAssignment

    licence = factory.SubFactory(LicenceFactory)
    person = factory.SubFactory(PersonFactory)


class TelecomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TelecomLine

    kind = TelecomLine.Kind.MOBILE
    identifier = factory.Sequence(lambda n: f"78 {n // 100 % 100:02d} {n % 100:02d}")
    monthly_cost = 4_500


class InformationAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationAsset

    name = factory.Sequence(lambda n: f"Délibérations de séance {n}")


class OperatingProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatingProcedure

    title = factory.Sequence(lambda n: f"Sauvegarde des serveurs {n}")


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


# Relations the generic tests must leave empty when they fill a record's relations: one of
# two exclusive relations (a licence goes to a person or a device), or a relation the record
# derives from another (an address's device is its interface's).
POPULATE_SKIP = {
    LicenceAssignment: lambda obj: {"device"} if obj.person_id else {"person"},
    IpAddress: lambda obj: {"interface"} if obj.device_id else {"device"},
    # A lot of another contract would be refused: these stay on the whole contract.
    Amendment: lambda obj: {"lot"},
    ServiceOrder: lambda obj: {"lot"},
}


# The factory of each registered model, for the generic tests that run over the registry.
# A module that registers a new object type adds its factory here.
FACTORY_FOR_MODEL = {
    User: UserFactory,
    OrganisationUnit: OrganisationUnitFactory,
    Company: CompanyFactory,
    Person: PersonFactory,
    Team: TeamFactory,
    LogEntry: LogEntryFactory,
    Site: SiteFactory,
    Building: BuildingFactory,
    Floor: FloorFactory,
    Room: RoomFactory,
    Lease: LeaseFactory,
    AccountingAccount: AccountingAccountFactory,
    AccountingPolicy: AccountingPolicyFactory,
    AssetCategory: AssetCategoryFactory,
    Asset: AssetFactory,
    AssetMovement: AssetMovementFactory,
    Disposal: DisposalFactory,
    InventoryCampaign: InventoryCampaignFactory,
    CampaignItem: CampaignItemFactory,
    CampaignScan: CampaignScanFactory,
    Device: DeviceFactory,
    Interface: InterfaceFactory,
    Vrf: VrfFactory,
    Vlan: VlanFactory,
    Prefix: PrefixFactory,
    IpAddress: IpAddressFactory,
    Application: ApplicationFactory,
    Licence: LicenceFactory,
    LicenceAssignment: LicenceAssignmentFactory,
    TelecomLine: TelecomLineFactory,
    InformationAsset: InformationAssetFactory,
    OperatingProcedure: OperatingProcedureFactory,
    TaxRate: TaxRateFactory,
    ProcurementRules: ProcurementRulesFactory,
    ProcedureThreshold: ProcedureThresholdFactory,
    LatePaymentRate: LatePaymentRateFactory,
    PurchaseCategory: PurchaseCategoryFactory,
    FiscalYear: FiscalYearFactory,
    ProgrammeAuthorisation: ProgrammeAuthorisationFactory,
    PaymentCredit: PaymentCreditFactory,
    BudgetLine: BudgetLineFactory,
    BudgetAmendment: BudgetAmendmentFactory,
    Commitment: CommitmentFactory,
    PurchaseNeed: PurchaseNeedFactory,
    Contract: ContractFactory,
    ContractLot: ContractLotFactory,
    Amendment: AmendmentFactory,
    ServiceOrder: ServiceOrderFactory,
    PurchaseOrder: PurchaseOrderFactory,
    Invoice: InvoiceFactory,
    PaymentSuspension: PaymentSuspensionFactory,
}


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A row of the deadline register; give `source=<object>` to attach it to an object."""

    class Meta:
        model = Deadline
        exclude = ("source",)

    source = factory.SubFactory(PersonFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.source))
    object_id = factory.LazyAttribute(lambda o: o.source.pk)
    kind = factory.Sequence(lambda n: f"test_{n}")
    domain = "directory"
    title = factory.Sequence(lambda n: f"Échéance {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
