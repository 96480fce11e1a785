"""Accounting of movable assets: accounts, dated depreciation policies, categories, and the
stored register of fixed assets (état de l'actif)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
        """The policies whose period overlaps this one's (a new one may follow the open one)."""
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
        """A category is not its own ancestor, and a depreciated one has a duration."""
        check_tree_parent(self, message=_("A category cannot be placed under itself."))
        if self.is_depreciated and not self.duration_years:
            raise ValidationError(
                {"duration_years": _("A depreciated category needs its duration in years.")}
            )


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
