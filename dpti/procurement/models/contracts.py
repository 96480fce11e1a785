"""Purchase needs, contracts (marchés publics) and their lots, amendments and service orders."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dpti.core.fields import AmountField, given_number_field
from dpti.core.models import BaseModel
from dpti.procurement.models.reference import Procedure, PurchaseKind, percent_field
from dpti.procurement.models.taxed import TaxedAmount


class ContractKind(models.TextChoices):
    """The type of a contract; maintenance is a service for the thresholds."""

    WORKS = "works", _("Works")
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")
    MAINTENANCE = "maintenance", _("Maintenance")

    @classmethod
    def purchase_kind(cls, kind):
        """The kind of purchase the rules know a contract type as."""
        return PurchaseKind.SERVICES if kind == cls.MAINTENANCE else PurchaseKind(kind)


class PurchaseNeed(BaseModel):
    """A purchase need (besoin): what must be bought, for how much, and the procedure the rules
    require for it once the category's purchases of the year are added up."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VALIDATED = "validated", _("Validated")
        LAUNCHED = "launched", _("Consultation launched")
        AWARDED = "awarded", _("Awarded")
        ABANDONED = "abandoned", _("Abandoned")

    reference = given_number_field(_("reference"), _("A need with this reference already exists."))
    object = models.CharField(_("object"), max_length=250)
    category = models.ForeignKey(
        "procurement.PurchaseCategory",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("purchase category"),
    )
    operation = models.CharField(
        _("works operation"),
        max_length=200,
        blank=True,
        help_text=_("For works, the operation whose total is compared with the thresholds."),
    )
    estimated_amount = AmountField(_("estimated amount excl. tax (XPF)"))
    needed_on = models.DateField(
        _("date of the need"), help_text=_("Decides the year and the rules that apply.")
    )
    budget_line = models.ForeignKey(
        "procurement.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("budget line"),
    )
    requesting_unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchase_needs",
        verbose_name=_("requesting service"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Given by the rules on every save (procurement.procedures), never typed.
    required_procedure = models.CharField(
        _("required procedure"),
        max_length=30,
        choices=Procedure.choices,
        blank=True,
        editable=False,
    )
    procedure_reason = models.TextField(_("why this procedure"), blank=True, editable=False)
    year_total = AmountField(
        _("yearly total of the category (XPF excl. tax)"), default=0, editable=False
    )
    splitting_suspected = models.BooleanField(
        _("splitting suspected"), default=False, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("purchase need")
        verbose_name_plural = _("purchase needs")
        ordering = ["-needed_on", "-reference"]

    def __str__(self):
        return f"{self.reference} — {self.object}"

    @property
    def kind(self):
        return self.category.kind if self.category_id else None


class Contract(BaseModel):
    """A public contract (marché public): its lots, amounts, dates, renewals and clauses, and
    what it covers (buildings, assets, applications)."""

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("In preparation")
        IN_FORCE = "in_force", _("In force")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    class PriceRevision(models.TextChoices):
        FIRM = "firm", _("Firm prices")
        UPDATABLE = "updatable", _("Updatable prices")
        REVISABLE = "revisable", _("Revisable prices")

    reference = given_number_field(
        _("reference"),
        _("A contract with this reference already exists."),
        help_text=_("Given on save when empty, e.g. 2026-M-004."),
    )
    object = models.CharField(_("object"), max_length=250)
    kind = models.CharField(_("type"), max_length=12, choices=ContractKind.choices)
    category = models.ForeignKey(
        "procurement.PurchaseCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("purchase category"),
    )
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    need = models.ForeignKey(
        PurchaseNeed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("purchase need"),
    )
    is_framework = models.BooleanField(
        _("framework contract with purchase orders"),
        default=False,
        help_text=_("Its lots have a minimum and a maximum; orders consume the maximum."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    start_date = models.DateField(_("start of execution"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("initial duration (months)"), null=True, blank=True
    )
    renewals_allowed = models.PositiveSmallIntegerField(_("renewals allowed"), default=0)
    renewal_months = models.PositiveSmallIntegerField(
        _("duration of a renewal (months)"), default=12
    )
    renewals_done = models.PositiveSmallIntegerField(_("renewals decided"), default=0)
    renewal_notice_months = models.PositiveSmallIntegerField(
        _("renewal decision notice (months)"),
        default=3,
        help_text=_("The decision to renew or not must be taken this long before the end."),
    )
    end_date = models.DateField(_("end of execution"), null=True, blank=True, editable=False)
    tax_rate = models.ForeignKey(
        "procurement.TaxRate",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("TGC rate"),
    )
    price_revision = models.CharField(
        _("prices"), max_length=10, choices=PriceRevision.choices, default=PriceRevision.FIRM
    )
    price_revision_clause = models.TextField(
        _("price revision clause"), blank=True, help_text=_("Index, formula and periodicity.")
    )
    guarantee_retention = percent_field(_("guarantee retention (%)"), default=Decimal(0))
    advance_rate = percent_field(_("advance (%)"), default=Decimal(0))
    manager = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_contracts",
        verbose_name=_("contract manager"),
    )
    buildings = models.ManyToManyField(
        "estate.Building", blank=True, related_name="contracts", verbose_name=_("buildings covered")
    )
    assets = models.ManyToManyField(
        "assets.Asset", blank=True, related_name="contracts", verbose_name=_("assets covered")
    )
    applications = models.ManyToManyField(
        "itpark.Application",
        blank=True,
        related_name="contracts",
        verbose_name=_("applications covered"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewals_done__lte=models.F("renewals_allowed")),
                name="procurement_contract_renewals_within_allowed",
                violation_error_message=_("More renewals decided than the contract allows."),
            )
        ]

    def __str__(self):
        return f"{self.reference} — {self.object}"

    @property
    def purchase_kind(self):
        return ContractKind.purchase_kind(self.kind) if self.kind else None

    def compute_end_date(self, extension_months=None):
        """Start + initial duration + amendments' extensions + renewals decided, minus a day."""
        if not self.start_date or not self.duration_months:
            return None
        if extension_months is None:
            extension_months = (
                self.amendments.aggregate(total=models.Sum("extension_months"))["total"] or 0
                if self.pk
                else 0
            )
        months = self.duration_months + extension_months + self.renewals_done * self.renewal_months
        return self.start_date + relativedelta(months=months) - relativedelta(days=1)

    @property
    def renewal_decision_date(self):
        """The last day to decide the next renewal, while renewals remain."""
        if not self.end_date or self.renewals_done >= self.renewals_allowed:
            return None
        return self.end_date - relativedelta(months=self.renewal_notice_months)

    def clean(self):
        errors = {}
        if self.notified_on and self.start_date and self.start_date < self.notified_on:
            errors["start_date"] = _("Execution cannot start before the notification.")
        if self.status != self.Status.PREPARATION and not self.notified_on:
            errors["notified_on"] = _("A contract in force has a notification date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.end_date = self.compute_end_date()
        super().save(*args, **kwargs)


class ContractLot(TaxedAmount, BaseModel):
    """A lot of a contract and its holder (titulaire); a contract without lots has lot 1.

    For a framework contract the amount excluding tax is the estimate and the minimum and
    maximum bound the orders; otherwise it is the price of the lot.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="lots", verbose_name=_("contract")
    )
    number = models.PositiveSmallIntegerField(_("lot number"), default=1)
    title = models.CharField(_("title"), max_length=250)
    holder = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_lots",
        verbose_name=pgettext_lazy("contract", "holder"),
        help_text=_("Empty while the lot is not awarded."),
    )
    minimum_excl_tax = AmountField(_("minimum excl. tax (XPF)"), null=True, blank=True)
    maximum_excl_tax = AmountField(_("maximum excl. tax (XPF)"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract lot")
        verbose_name_plural = _("contract lots")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="procurement_lot_unique_number",
                violation_error_message=_("This contract already has a lot with this number."),
            )
        ]

    def __str__(self):
        return _("Lot %(number)s — %(title)s (%(contract)s)") % {
            "contract": self.contract.reference,
            "number": self.number,
            "title": self.title,
        }

    def clean(self):
        errors = {}
        if self.contract_id and self.contract.is_framework and self.maximum_excl_tax is None:
            errors["maximum_excl_tax"] = _("A lot of a framework contract has a maximum.")
        if (
            self.minimum_excl_tax is not None
            and self.maximum_excl_tax is not None
            and self.minimum_excl_tax > self.maximum_excl_tax
        ):
            errors["minimum_excl_tax"] = _("The minimum cannot exceed the maximum.")
        if errors:
            raise ValidationError(errors)

    @property
    def ceiling(self):
        """What the orders of the lot may reach excluding tax (before amendments)."""
        if self.maximum_excl_tax is not None:
            return self.maximum_excl_tax
        return self.amount_excl_tax


class Amendment(BaseModel):
    """An amendment (avenant) to a contract: its change of amount and of duration, and the
    cumulative increase it brings compared with the initial amount."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("contract")
    )
    lot = models.ForeignKey(
        ContractLot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("lot"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"))
    object = models.CharField(_("object"), max_length=250)
    amount_excl_tax = AmountField(
        _("change of amount excl. tax (XPF)"), allow_negative=True, default=0
    )
    extension_months = models.SmallIntegerField(_("extension (months)"), default=0)
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when the cumulative increase goes beyond the limit of the rules."),
    )
    # Computed by procurement.amendments on every save of the contract's amendments.
    cumulative_percent = models.DecimalField(
        _("cumulative increase (%)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
    )
    beyond_limit = models.BooleanField(_("beyond the limit"), default=False, editable=False)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="procurement_amendment_unique_number",
                violation_error_message=_(
                    "This contract already has an amendment with this number."
                ),
            )
        ]

    def __str__(self):
        return _("Amendment %(number)s to %(contract)s") % {
            "number": self.number,
            "contract": self.contract.reference,
        }

    def clean(self):
        from dpti.procurement import amendments

        if self.lot_id and self.contract_id and self.lot.contract_id != self.contract_id:
            raise ValidationError({"lot": _("This lot belongs to another contract.")})
        if self.contract_id:
            amendments.check_amendment(self)


class ServiceOrder(BaseModel):
    """A service order (ordre de service): the buyer's instruction to start, stop or resume the
    work, or to carry out a given part of it."""

    class Kind(models.TextChoices):
        START = "start", _("Start of execution")
        STOP = "stop", _("Suspension")
        RESUME = "resume", _("Resumption")
        EXECUTION = "execution", _("Execution of a part")
        OTHER = "other", _("Other")

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="service_orders",
        verbose_name=_("contract"),
    )
    lot = models.ForeignKey(
        ContractLot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_orders",
        verbose_name=_("lot"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    object = models.CharField(_("object"), max_length=250)

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="procurement_service_order_unique_number",
                violation_error_message=_(
                    "This contract already has a service order with this number."
                ),
            )
        ]

    def __str__(self):
        return _("Service order %(number)s — %(contract)s") % {
            "number": self.number,
            "contract": self.contract.reference,
        }

    def clean(self):
        if self.lot_id and self.contract_id and self.lot.contract_id != self.contract_id:
            raise ValidationError({"lot": _("This lot belongs to another contract.")})
