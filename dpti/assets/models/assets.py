"""Movable assets (biens), their movements between rooms and holders, and their disposals
(réformes)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dpti.assets.models.accounting import AssetCategory
from dpti.core.fields import AmountField
from dpti.core.models import BaseModel


class AssetQuerySet(models.QuerySet):
    """Reads of assets that recur."""

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
        """A forced duration says why, service follows acquisition, a disposed asset is nowhere."""
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
        """The day depreciation starts: put in service, else acquired."""
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
        """A decided disposal has its reference and date; only a sale has a price."""
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
