"""The budget: fiscal years, budget lines and their amendments, multi-year authorisations with
their payment credits, and the commitments that consume the lines."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField, given_number_field
from dpti.core.models import BaseModel


class Section(models.TextChoices):
    """The two sections of the budget, voted each in balance."""

    INVESTMENT = "investment", _("Investment")
    OPERATING = "operating", _("Operating")


class FiscalYear(BaseModel):
    """A fiscal year (exercice budgétaire): its lines are voted, then amended, then closed."""

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("In preparation")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        error_messages={"unique": _("This fiscal year already exists.")},
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    voted_on = models.DateField(_("budget voted on"), null=True, blank=True)
    decision_reference = models.CharField(_("vote reference"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]

    def __str__(self):
        return _("Fiscal year %(year)s") % {"year": self.year}


def _sum_of(model, link, amount="amount", **filters):
    """A subquery summing `amount` over the rows of `model` whose `link` is the outer row, so
    that several sums on one list multiply no rows."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(total=Sum(amount))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=models.BigIntegerField()), Value(0))


class BudgetLineQuerySet(models.QuerySet):
    def with_execution(self):
        """Add what the budget execution reads: amendments, open credits, commitments,
        payments and what remains available."""
        from dpti.procurement.models.orders import Invoice

        return self.annotate(
            amendments_total=_sum_of(BudgetAmendment, "budget_line"),
            committed_total=_sum_of(Commitment, "budget_line", status=Commitment.Status.ACTIVE),
            paid_total=_sum_of(
                Invoice,
                "commitment__budget_line",
                amount="amount_incl_tax",
                paid_on__isnull=False,
            ),
        ).annotate(
            open_credits=F("voted_amount") + F("amendments_total"),
            available=F("voted_amount") + F("amendments_total") - F("committed_total"),
        )


class ProgrammeAuthorisation(BaseModel):
    """A multi-year programme authorisation (AP, investment) or commitment authorisation (AE,
    operating): the ceiling of an operation, spent through yearly payment credits (CP)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme authorisation (AP)")
        COMMITMENT = "commitment", _("Commitment authorisation (AE)")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reference = models.CharField(
        _("reference"),
        max_length=30,
        unique=True,
        error_messages={"unique": _("An authorisation with this reference already exists.")},
    )
    label = models.CharField(_("label"), max_length=200)
    amount = AmountField(_("authorised amount (XPF)"))
    voted_on = models.DateField(_("voted on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("programme authorisation")
        verbose_name_plural = _("programme authorisations")
        ordering = ["reference"]

    def __str__(self):
        return f"{self.reference} — {self.label}"

    def clean(self):
        if self.pk is None or self.amount is None:
            return
        planned = self.payment_credits.aggregate(total=Sum("amount"))["total"] or 0
        if planned > self.amount:
            from dpti.core.display import format_xpf

            raise ValidationError(
                {
                    "amount": _(
                        "The payment credits already planned total %(total)s, more than "
                        "%(authorised)s."
                    )
                    % {"total": format_xpf(planned), "authorised": format_xpf(self.amount)}
                }
            )


class PaymentCredit(BaseModel):
    """The payment credits (CP) an authorisation plans for one year."""

    authorisation = models.ForeignKey(
        ProgrammeAuthorisation,
        on_delete=models.CASCADE,
        related_name="payment_credits",
        verbose_name=_("authorisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = AmountField(_("payment credits (XPF)"))

    class Meta:
        verbose_name = _("payment credit")
        verbose_name_plural = _("payment credits")
        ordering = ["authorisation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorisation", "year"],
                name="procurement_payment_credit_one_per_year",
                violation_error_message=_("This authorisation already has credits for this year."),
            )
        ]

    def __str__(self):
        return _("%(authorisation)s — payment credits %(year)s") % {
            "authorisation": self.authorisation.reference,
            "year": self.year,
        }

    def clean(self):
        if self.authorisation_id is None or self.amount is None:
            return
        others = (
            PaymentCredit.objects.filter(authorisation_id=self.authorisation_id)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("amount"))["total"]
            or 0
        )
        if others + self.amount > self.authorisation.amount:
            from dpti.core.display import format_xpf

            raise ValidationError(
                {
                    "amount": _(
                        "The payment credits would total %(total)s, more than the authorised "
                        "%(authorised)s."
                    )
                    % {
                        "total": format_xpf(others + self.amount),
                        "authorised": format_xpf(self.authorisation.amount),
                    }
                }
            )


class BudgetLine(BaseModel):
    """A budget line (ligne budgétaire): section, chapter, nature account, function and service of
    one fiscal year, with the credits voted for it."""

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("fiscal year"),
    )
    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_("Given from the year, section, chapter, nature and function when empty."),
        error_messages={"unique": _("A budget line with this code already exists.")},
    )
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    chapter = models.CharField(_("chapter"), max_length=10, help_text=_("For example 21 or 011."))
    nature = models.CharField(
        _("nature account"), max_length=10, help_text=_("For example 2183 or 6156.")
    )
    function = models.CharField(
        _("function"), max_length=10, blank=True, help_text=_("Functional code, e.g. 0202.")
    )
    service = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("service"),
    )
    programme = models.ForeignKey(
        ProgrammeAuthorisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("authorisation (AP/AE)"),
    )
    label = models.CharField(_("label"), max_length=200)
    voted_amount = AmountField(_("voted credits (XPF)"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-fiscal_year__year", "section", "chapter", "nature", "function"]

    def __str__(self):
        return f"{self.code} — {self.label}"

    def default_code(self):
        """Year, section letter, chapter, nature and function, e.g. 2026-I-21-2183-0202."""
        section_letter = "I" if self.section == Section.INVESTMENT else "F"
        parts = [str(self.fiscal_year.year), section_letter, self.chapter, self.nature]
        if self.function:
            parts.append(self.function)
        if self.service_id:
            parts.append(self.service.code)
        return "-".join(parts)

    def execution(self):
        """This line with its execution figures (open credits, committed, paid, available)."""
        return BudgetLine.objects.with_execution().get(pk=self.pk)


class BudgetAmendment(BaseModel):
    """An amendment of a line's credits during the year (décision modificative), up or down."""

    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("budget line"),
    )
    reference = models.CharField(_("reference"), max_length=100, help_text=_("For example DM 1."))
    decided_on = models.DateField(_("decided on"))
    amount = AmountField(
        _("amount (XPF)"),
        allow_negative=True,
        help_text=_("Positive to add credits, negative to remove them."),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("budget amendment")
        verbose_name_plural = _("budget amendments")
        ordering = ["budget_line", "decided_on"]

    def __str__(self):
        return f"{self.reference} — {self.budget_line.code}"


class Commitment(BaseModel):
    """A commitment (engagement): credits of a line set aside for an expense. A purchase order
    creates its own; a fixed-price contract or a lease may be committed directly."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    number = given_number_field(_("number"), _("A commitment with this number already exists."))
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("budget line"),
    )
    committed_on = models.DateField(_("committed on"))
    object = models.CharField(_("object"), max_length=250)
    supplier = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("supplier"),
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("contract"),
    )
    order = models.OneToOneField(
        "procurement.PurchaseOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="commitment",
        verbose_name=_("purchase order"),
    )
    amount = AmountField(_("amount incl. tax (XPF)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-committed_on", "-number"]
        indexes = [
            # Covering: the budget execution sums a year's commitments by line, and joins
            # their invoices, from the index alone.
            models.Index(
                fields=["budget_line", "status"],
                include=["amount", "id"],
                name="commitment_line_status_sums",
            ),
            models.Index(fields=["-committed_on", "-number"], name="commitment_recent"),
        ]

    def __str__(self):
        return f"{self.number} — {self.object}"

    def clean(self):
        from dpti.procurement import budgeting

        if self.budget_line_id is None:
            return
        budgeting.check_date_in_year(self.budget_line, self.committed_on, "committed_on")
        if self.status == self.Status.ACTIVE and self.amount is not None:
            budgeting.check_available(self.budget_line, self.amount, exclude=self)
