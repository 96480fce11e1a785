"""Reference data of procurement, kept as dated rows so that a new deliberation is a data change:
TGC rates, procurement rules and their thresholds, late-payment interest, purchase categories."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.display import format_number, format_xpf
from dpti.core.fields import AmountField
from dpti.core.models import BaseModel, ValidityPeriod

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def percent_field(verbose_name, default=None, **kwargs):
    """A percentage with two decimals (11.00 for 11 %)."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=default,
        validators=PERCENT_VALIDATORS,
        **kwargs,
    )


def percent_of(amount, percent):
    """`percent` % of an amount in XPF, rounded half up to the franc."""
    value = Decimal(amount or 0) * Decimal(percent or 0) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class PurchaseKind(models.TextChoices):
    """The nature of a purchase, which decides the thresholds and the amendment limit."""

    WORKS = "works", _("Works")
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")


class Procedure(models.TextChoices):
    """The procurement procedures of délibération n° 424 and its temporary regimes."""

    NO_COMPETITION = "no_competition", _("Purchase without compulsory competition")
    CONSULTATION = "consultation", _("Competition between several firms")
    ADAPTED = "adapted", _("Adapted procedure")
    OPEN_CALL = "open_call", _("Open call for competition")
    OPEN_TENDER = "open_tender", _("Open call for tenders")
    RESTRICTED_TENDER = "restricted_tender", _("Restricted call for tenders")
    NEGOTIATED = "negotiated", _("Negotiated procedure")
    AFTER_FAILED_TENDER = "after_failed_tender", _("Direct award after an unsuccessful tender")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    DESIGN_CONTEST = "design_contest", _("Design contest")


class TaxRate(ValidityPeriod, BaseModel):
    """A TGC rate (taxe générale sur la consommation) and the period it holds."""

    code = models.CharField(
        _("code"), max_length=20, help_text=_("For example TS (higher rate), TN, TR, TSP, EXO.")
    )
    label = models.CharField(_("label"), max_length=100)
    rate = percent_field(_("rate (%)"))

    overlap_scope = ("code",)

    class Meta(ValidityPeriod.Meta):
        verbose_name = _("TGC rate")
        verbose_name_plural = _("TGC rates")
        ordering = ["-rate", "-valid_from"]

    def __str__(self):
        return f"{self.label} ({format_number(self.rate)} %)"

    def tax_on(self, amount_excl_tax):
        """The TGC due on an amount excluding tax, in whole francs."""
        return percent_of(amount_excl_tax, self.rate)


class ProcurementRules(ValidityPeriod, BaseModel):
    """The procurement rules in force for a period (délibération n° 424 and its temporary
    regimes): procedure thresholds, amendment limits, durations, payment delay."""

    name = models.CharField(_("name"), max_length=150)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The deliberation that sets these rules, quoted in the procedure reasons."),
    )
    amendment_limit_supplies = percent_field(
        _("amendment limit, supplies and services (%)"),
        default=Decimal(10),
        help_text=_("Cumulative increase beyond which an amendment needs a justification."),
    )
    amendment_limit_works = percent_field(_("amendment limit, works (%)"), default=Decimal(15))
    amendment_single_max = percent_field(
        _("maximum of a single amendment (%)"),
        default=Decimal(50),
        help_text=_("No amendment may increase the initial amount by more than this."),
    )
    framework_max_years = models.PositiveSmallIntegerField(
        _("maximum duration of a framework contract (years)"), default=4
    )
    guarantee_retention_max = percent_field(
        _("maximum guarantee retention (%)"), default=Decimal(5)
    )
    payment_delay_days = models.PositiveSmallIntegerField(
        _("payment delay (days)"),
        default=30,
        help_text=_("Maximum time between the receipt of an invoice and its payment."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta(ValidityPeriod.Meta):
        verbose_name = _("procurement rules")
        verbose_name_plural = _("procurement rules")
        ordering = ["-valid_from"]

    def __str__(self):
        return self.name

    def amendment_limit(self, kind):
        """The cumulative increase (%) allowed without justification for a kind of contract."""
        if kind == PurchaseKind.WORKS:
            return self.amendment_limit_works
        return self.amendment_limit_supplies


class ProcedureThreshold(BaseModel):
    """One band of amounts of a set of rules: up to an amount, the procedure it requires.

    A band starts where the previous band of the same purchases ends, so bands can neither
    overlap nor leave a gap; the last band of each kind has no upper amount.
    """

    class AppliesTo(models.TextChoices):
        WORKS = "works", _("Works")
        SUPPLIES_SERVICES = "supplies_services", _("Supplies and services")

    rules = models.ForeignKey(
        ProcurementRules,
        on_delete=models.CASCADE,
        related_name="thresholds",
        verbose_name=_("procurement rules"),
    )
    applies_to = models.CharField(_("purchases"), max_length=20, choices=AppliesTo.choices)
    max_amount = AmountField(
        _("up to (XPF excl. tax)"),
        null=True,
        blank=True,
        help_text=_("Upper amount of the band; empty for the last band (no upper amount)."),
    )
    max_included = models.BooleanField(
        _("upper amount included"),
        default=False,
        help_text=_("Ticked when the band reads « up to and including » its amount."),
    )
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    obligation = models.TextField(
        _("what the buyer must do"), help_text=_("Quoted in the reason given to a need.")
    )

    class Meta:
        verbose_name = _("procedure threshold")
        verbose_name_plural = _("procedure thresholds")
        ordering = ["rules", "applies_to", models.F("max_amount").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "applies_to", "max_amount"],
                name="procurement_threshold_unique_band",
                violation_error_message=_("These rules already have a band up to this amount."),
            ),
            models.UniqueConstraint(
                fields=["rules", "applies_to"],
                condition=Q(max_amount__isnull=True),
                name="procurement_threshold_one_open_band",
                violation_error_message=_(
                    "These rules already have a last band (without upper amount) for these "
                    "purchases."
                ),
            ),
        ]

    def __str__(self):
        if self.max_amount is None:
            bound = _("no upper amount")
        else:
            bound = f"{'≤' if self.max_included else '<'}\u00a0{format_xpf(self.max_amount)}"
        # The rules' name first: the same band exists in every set of rules.
        return _("%(rules)s — %(purchases)s %(bound)s: %(procedure)s") % {
            "rules": self.rules,
            "purchases": self.get_applies_to_display(),
            "bound": bound,
            "procedure": self.get_procedure_display(),
        }

    def contains(self, amount):
        """Whether an amount is at or under this band's upper amount."""
        if self.max_amount is None:
            return True
        return amount < self.max_amount or (self.max_included and amount == self.max_amount)


class LatePaymentRate(ValidityPeriod, BaseModel):
    """The late-payment interest rate (intérêts moratoires) and fixed recovery indemnity owed
    for an invoice whose delay started to run out in the period."""

    reference_rate = models.DecimalField(
        _("reference rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The central bank's main refinancing rate on the first day of the half-year."),
    )
    margin_points = models.DecimalField(
        _("margin (points)"), max_digits=5, decimal_places=2, default=Decimal(8)
    )
    recovery_indemnity = AmountField(
        _("recovery indemnity (XPF)"),
        default=4_773,
        help_text=_("Fixed amount owed for each late invoice (40 € = 4,773 XPF)."),
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)

    class Meta(ValidityPeriod.Meta):
        verbose_name = _("late-payment interest rate")
        verbose_name_plural = _("late-payment interest rates")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{format_number(self.rate)} % ({self.valid_from:%d/%m/%Y})"

    @property
    def rate(self):
        """The yearly rate of the interest: reference rate plus the margin."""
        return (self.reference_rate or 0) + (self.margin_points or 0)


class PurchaseCategory(BaseModel):
    """A homogeneous category of supplies, services or works (nomenclature des achats): the yearly
    total of a category is what the thresholds are compared with."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("A category with this code already exists.")},
    )
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind of purchase"), max_length=10, choices=PurchaseKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("purchase category")
        verbose_name_plural = _("purchase categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"
