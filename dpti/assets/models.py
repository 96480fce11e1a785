"""Movable assets (patrimoine mobilier): categories, assets, moves, disposals, inventories."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dpti.core.fields import AmountField
from dpti.core.models import BaseModel, ValidityPeriod
from dpti.core.validators import check_tree_parent


class AccountingAccount(BaseModel):
    """An account of the chart of accounts (compte de nature) under which assets are recorded."""

    number = models.CharField(
        _("account number"),
        max_length=10,
        unique=True,
        help_text=_("For example 2183 (office and IT equipment)."),
        error_messages={"unique": _("This account already exists.")},
    )
    label = models.CharField(_("label"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("accounting account")
        verbose_name_plural = _("accounting accounts")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} — {self.label}"


class DepreciationMethod(models.TextChoices):
    """How the yearly allowance of the first year is counted."""

    M52 = "m52", _("M52: full years from the year after acquisition")
    M57 = "m57", _("M57: prorata temporis from entry into service")


class AccountingPolicy(ValidityPeriod, BaseModel):
    """The accounting rules of assets decided by the assembly, with their period of validity.

    An asset follows the policy in force on its acquisition date, so that a new deliberation
    changes the treatment of new acquisitions without rewriting past schedules.
    """

    name = models.CharField(_("name"), max_length=150)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=150,
        blank=True,
        help_text=_("The deliberation that sets these rules."),
    )
    depreciation_method = models.CharField(
        _("depreciation method"),
        max_length=3,
        choices=DepreciationMethod.choices,
        default=DepreciationMethod.M52,
    )
    capitalisation_threshold = AmountField(
        _("capitalisation threshold incl. tax (XPF)"),
        default=59_666,
        help_text=_(
            "Goods of a lower unit value are operating expenses, unless their category is "
            "always capitalised (500 € = 59,666 XPF by default)."
        ),
    )
    one_year_threshold = AmountField(
        _("one-year depreciation threshold (XPF)"),
        default=0,
        help_text=_(
            "Capitalised goods of a lower unit value are depreciated in one year; "
            "0 when the assembly set no such threshold."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("accounting policy")
        verbose_name_plural = _("accounting policies")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="accounting_policy_valid_period",
                violation_error_message=_("The end of validity must follow its start."),
            )
        ]

    def __str__(self):
        return self.name

    overlap_message = _("Its period overlaps the policy « %(other)s »: close that one first.")

    def overlapping(self):
        others = super().overlapping()
        if self._state.adding:
            # The open-ended policy in force is closed the day before a new one starts
            # (services.close_open_policy_before): it does not overlap.
            others = others.exclude(valid_to__isnull=True, valid_from__lt=self.valid_from)
        return others


class AssetCategory(BaseModel):
    """A category of the asset nomenclature (tree), with its account and depreciation rule."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("A category with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    account = models.ForeignKey(
        AccountingAccount,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("accounting account"),
    )
    is_depreciated = models.BooleanField(
        _("depreciated"), default=True, help_text=_("Land and works of art are not depreciated.")
    )
    duration_years = models.PositiveSmallIntegerField(
        _("depreciation duration (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    always_capitalised = models.BooleanField(
        _("always capitalised"),
        default=False,
        help_text=_("Goods of this category are investments whatever their price."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        check_tree_parent(self, message=_("A category cannot be placed under itself."))
        if self.is_depreciated and not self.duration_years:
            raise ValidationError(
                {"duration_years": _("A depreciated category needs its duration in years.")}
            )


class AssetQuerySet(models.QuerySet):
    def active(self):
        """Assets still in the register: every status but disposed."""
        return self.exclude(status=Asset.Status.DISPOSED)


class Asset(BaseModel):
    """A movable asset (bien mobilier): one physical item with its inventory number."""

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", _("In stock")
        IN_SERVICE = "in_service", _("In service")
        IN_REPAIR = "in_repair", _("In repair")
        LOST = "lost", _("Lost")
        DISPOSED = "disposed", _("Disposed")

    class Condition(models.TextChoices):
        NEW = "new", pgettext_lazy("condition of an item", "New")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")
        UNUSABLE = "unusable", _("Unusable")

    inventory_number = models.CharField(
        _("inventory number"),
        max_length=25,
        unique=True,
        blank=True,
        help_text=_("Given by the system when left empty; never reused, even after disposal."),
        error_messages={"unique": _("An asset with this inventory number already exists.")},
    )
    label = models.CharField(_("label"), max_length=200)
    category = models.ForeignKey(
        AssetCategory, on_delete=models.PROTECT, related_name="assets", verbose_name=_("category")
    )
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    acquisition_date = models.DateField(_("acquisition date"))
    service_date = models.DateField(
        _("entry into service"),
        null=True,
        blank=True,
        help_text=_("Starts the prorata of the M57 rule; the acquisition date when empty."),
    )
    value = AmountField(_("acquisition value incl. tax (XPF)"))
    supplier = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_assets",
        verbose_name=_("supplier"),
    )
    order_reference = models.CharField(_("order or contract reference"), max_length=100, blank=True)
    budget_line = models.CharField(_("funding budget line"), max_length=100, blank=True)
    room = models.ForeignKey(
        "estate.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("room"),
    )
    holder = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("holder"),
    )
    holder_unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("holding service"),
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_SERVICE
    )
    warranty_end = models.DateField(_("end of warranty"), null=True, blank=True)
    duration_override = models.PositiveSmallIntegerField(
        _("depreciation duration override (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Replaces the category's duration for this asset; give the reason."),
    )
    override_reason = models.CharField(_("reason for the override"), max_length=250, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-acquisition_date", "inventory_number"]
        indexes = [
            models.Index(fields=["status", "category"], name="asset_status_category"),
            models.Index(fields=["acquisition_date"], name="asset_acquisition"),
        ]

    def __str__(self):
        return f"{self.inventory_number} — {self.label}" if self.inventory_number else self.label

    def clean(self):
        errors = {}
        if self.duration_override and not self.override_reason.strip():
            errors["override_reason"] = _("Say why this asset departs from its category's rule.")
        if (
            self.service_date
            and self.acquisition_date
            and self.service_date < self.acquisition_date
        ):
            errors["service_date"] = _("Entry into service cannot precede the acquisition.")
        if self.status == self.Status.DISPOSED:
            # A disposed asset has left the premises: no room, holder or service keeps it.
            for name in ("room", "holder", "holder_unit"):
                if getattr(self, f"{name}_id") is not None:
                    errors[name] = _("A disposed asset is in no room and held by no one.")
        if self.pk and self.inventory_number:
            stored = Asset.objects.filter(pk=self.pk).values_list("inventory_number", flat=True)
            if stored and stored[0] and stored[0] != self.inventory_number:
                errors["inventory_number"] = _(
                    "An inventory number follows its asset for life: it cannot be changed."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def start_of_service(self):
        return self.service_date or self.acquisition_date


class AssetMovement(models.Model):
    """A move or a change of holder (mouvement) of an asset, kept for its whole life."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="movements", verbose_name=_("asset")
    )
    moved_at = models.DateTimeField(_("date"), auto_now_add=True)
    from_room = models.ForeignKey(
        "estate.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from room"),
    )
    to_room = models.ForeignKey(
        "estate.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to room"),
    )
    from_holder = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous holder"),
    )
    to_holder = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new holder"),
    )
    from_unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous holding service"),
    )
    to_unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new holding service"),
    )
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    campaign = models.ForeignKey(
        "InventoryCampaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("inventory campaign"),
    )
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("asset movement")
        verbose_name_plural = _("asset movements")
        ordering = ["-moved_at", "-id"]
        indexes = [models.Index(fields=["-moved_at", "-id"], name="asset_movement_recent")]

    def __str__(self):
        """'T-000123 · 12/03/2026 · VAU-1-104 → DUC-0-002 · Marie Néaoutyine': the asset, the
        day, then what changed only."""
        from django.utils import timezone

        parts = [
            self.asset.inventory_number or self.asset.label,
            timezone.localtime(self.moved_at).strftime("%d/%m/%Y") if self.moved_at else "",
        ]
        for before, after in (
            (self.from_room, self.to_room),
            (self.from_holder, self.to_holder),
            (self.from_unit, self.to_unit),
        ):
            if before != after:
                parts.append(f"{_short(before)} → {_short(after)}")
        if self.reason:
            parts.append(self.reason)
        return " · ".join(part for part in parts if part)


def _short(place):
    """A room by its code, a person or a unit by its name; a dash for nothing."""
    if place is None:
        return "—"
    return getattr(place, "code", None) or str(place)


class Disposal(BaseModel):
    """The disposal (réforme) of an asset: it leaves the active register, its trace remains."""

    class Reason(models.TextChoices):
        SALE = "sale", _("Sale")
        DONATION = "donation", _("Donation")
        DESTRUCTION = "destruction", _("Destruction")
        LOSS = "loss", _("Loss")
        THEFT = "theft", _("Theft")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")

    asset = models.OneToOneField(
        Asset, on_delete=models.PROTECT, related_name="disposal", verbose_name=_("asset")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    decision_reference = models.CharField(_("decision reference"), max_length=150, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    sale_price = AmountField(_("sale price (XPF)"), default=0)
    beneficiary = models.CharField(_("buyer or beneficiary"), max_length=200, blank=True)
    campaign = models.ForeignKey(
        "InventoryCampaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disposals",
        verbose_name=_("proposed by the inventory campaign"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-decision_date", "-created_at"]
        # The list's order: without it, a page of 50 joined and sorted every disposal with its
        # asset (20,000 disposals among 1,000,000 assets: 540 ms).
        indexes = [
            models.Index(fields=["-decision_date", "-created_at"], name="disposal_list_order_idx")
        ]

    def __str__(self):
        return _("Disposal of %(asset)s") % {"asset": self.asset}

    def clean(self):
        errors = {}
        if self.state == self.State.DECIDED:
            if not self.decision_reference.strip():
                errors["decision_reference"] = _("A decided disposal needs its decision reference.")
            if not self.decision_date:
                errors["decision_date"] = _("A decided disposal needs its decision date.")
        if self.sale_price and self.reason != self.Reason.SALE:
            errors["sale_price"] = _("Only a sale has a sale price.")
        if (
            self.decision_date
            and self.asset_id
            and self.decision_date < self.asset.acquisition_date
        ):
            errors["decision_date"] = _("The disposal cannot precede the acquisition.")
        if errors:
            raise ValidationError(errors)


class InventoryCampaign(BaseModel):
    """A physical inventory campaign (campagne d'inventaire) over chosen sites, buildings, rooms."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COUNTING = "counting", _("Counting")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    sites = models.ManyToManyField(
        "estate.Site", blank=True, related_name="inventory_campaigns", verbose_name=_("sites")
    )
    buildings = models.ManyToManyField(
        "estate.Building",
        blank=True,
        related_name="inventory_campaigns",
        verbose_name=_("buildings"),
    )
    rooms = models.ManyToManyField(
        "estate.Room", blank=True, related_name="inventory_campaigns", verbose_name=_("rooms")
    )
    notes = models.TextField(_("notes"), blank=True)
    started_at = models.DateTimeField(
        _("counting started at"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inventory campaign")
        verbose_name_plural = _("inventory campaigns")
        ordering = ["-start_date", "-created_at"]

    def __str__(self):
        return self.name


class CampaignItem(models.Model):
    """An asset expected (or found) by a campaign, with the result of the count."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Not yet counted")
        FOUND = "found", _("Found")
        FOUND_ELSEWHERE = "found_elsewhere", _("Found elsewhere")
        MISSING = "missing", _("Missing")

    campaign = models.ForeignKey(
        InventoryCampaign,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("campaign"),
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="campaign_items", verbose_name=_("asset")
    )
    expected_room = models.ForeignKey(
        "estate.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expected room"),
    )
    is_expected = models.BooleanField(
        _("expected"),
        default=True,
        help_text=_("False for an asset of the register found here but not expected."),
    )
    result = models.CharField(
        _("result"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    found_room = models.ForeignKey(
        "estate.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room where found"),
    )
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    move_applied = models.BooleanField(_("move applied"), default=False)

    class Meta:
        verbose_name = _("campaign item")
        verbose_name_plural = _("campaign items")
        ordering = ["expected_room__code", "asset__inventory_number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "asset"], name="campaign_item_unique_asset")
        ]

    def __str__(self):
        return f"{self.campaign} — {self.asset}"


class CampaignScan(models.Model):
    """One scan or manual entry made on site; kept as typed, for the campaign report.

    `client_id` is generated by the counting page: a scan sent twice (a retry after a network
    loss) is recorded once.
    """

    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset of the register")
        UNKNOWN_CODE = "unknown_code", _("Unknown code")
        NEW_ITEM = "new_item", _("Item without label")

    campaign = models.ForeignKey(
        InventoryCampaign,
        on_delete=models.CASCADE,
        related_name="scans",
        verbose_name=_("campaign"),
    )
    room = models.ForeignKey(
        "estate.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    code = models.CharField(_("code read"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    description = models.CharField(_("description"), max_length=250, blank=True)
    client_id = models.UUIDField(_("client id"), default=uuid.uuid4, unique=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    scanned_at = models.DateTimeField(_("scanned at"), auto_now_add=True)
    resolved = models.BooleanField(
        _("resolved"),
        default=False,
        help_text=_("An unknown item the manager has dealt with (recorded as an asset…)."),
    )

    class Meta:
        verbose_name = _("campaign scan")
        verbose_name_plural = _("campaign scans")
        ordering = ["-scanned_at", "-id"]

    def __str__(self):
        """'06/12/2026 11:46 · VAU-1-104 · T-000123': when, where and what was read."""
        from django.utils import timezone

        read = self.code or self.description or self.get_kind_display()
        when = timezone.localtime(self.scanned_at).strftime("%d/%m/%Y %H:%M")
        return f"{when} · {self.room.code} · {read}" if self.scanned_at else read


class RegisterEntry(models.Model):
    """The stored register of fixed assets: what every asset adds in a year, by account and policy.

    The register of a year Y is read from these rows without touching the assets. The
    `…_change` columns are changes (a stock figure of year Y is the sum of the changes of the
    years up to Y); the others are the flows of their year. An asset adds, for instance,
    +1 to `held_change` the year it is acquired and -1 the year it leaves, its value to
    `acquisitions` the year it is acquired, each allowance to `allowance` in its year.
    Maintained by `dpti.assets.register_store`, rebuilt by `manage.py refresh_asset_registers`.
    """

    year = models.SmallIntegerField(_("year"))
    account = models.ForeignKey(
        AccountingAccount, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    policy_key = models.IntegerField(help_text="AccountingPolicy pk; 0 for the built-in defaults")
    held_change = models.IntegerField(default=0)
    lines_change = models.IntegerField(default=0)
    gross_start_change = models.BigIntegerField(default=0)
    cum_start_change = models.BigIntegerField(default=0)
    acquisitions = models.BigIntegerField(default=0)
    exits = models.BigIntegerField(default=0)
    allowance = models.BigIntegerField(default=0)
    written_back = models.BigIntegerField(default=0)
    sale_proceeds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "account", "policy_key"], name="register_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.account_id} {self.policy_key}"


class RegisterBuild(models.Model):
    """When the stored register was last rebuilt from the assets; absent when it is stale.

    A change that moves many assets at once (a policy, a category's rule) deletes it: the
    next view of the register rebuilds the entries.
    """

    computed_at = models.DateTimeField(_("rebuilt at"))
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("register build")
        verbose_name_plural = _("register builds")

    def __str__(self):
        return str(self.computed_at)
