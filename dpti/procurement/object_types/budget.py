"""Budget object types: fiscal years, lines with their execution, amendments, AP/CP and
commitments."""

from copy import copy as shallow_copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dpti.core.display import format_xpf
from dpti.core.registry import ObjectType, register
from dpti.procurement import budgeting
from dpti.procurement.models import (
    BudgetAmendment,
    BudgetLine,
    Commitment,
    FiscalYear,
    PaymentCredit,
    ProgrammeAuthorisation,
)
from dpti.procurement.numbers import next_commitment_number
from dpti.procurement.object_types.common import PROCUREMENT_EDITS


def copy(obj, **changes):
    """A copy of a record with some values changed, to check a rule on what it would become."""
    other = shallow_copy(obj)
    for name, value in changes.items():
        setattr(other, name, value)
    return other


def _execution_figure(name, label):
    """A list column and detail row reading one execution figure of a budget line."""

    def display(self, obj):
        if not hasattr(obj, name):
            figures = (
                BudgetLine.objects.with_execution()
                .filter(pk=obj.pk)
                .values(
                    "amendments_total", "open_credits", "committed_total", "paid_total", "available"
                )
            )
            for key, value in (figures.first() or {}).items():
                setattr(obj, key, value)
        return format_xpf(getattr(obj, name, 0))

    display.label = label
    return display


@register
class FiscalYearType(ObjectType):
    """Fiscal years."""

    model = FiscalYear
    domain = "procurement"
    icon = "ti ti-calendar-dollar"
    url_slug = "fiscal-years"
    list_columns = ("year", "status", "voted_on", "decision_reference")
    filter_fields = ("status",)
    search_fields = ("decision_reference",)
    form_fields = ("year", "status", "voted_on", "decision_reference", "notes")
    import_key = "year"
    related_lists = (("budget_lines", _("Budget lines")),)
    permissions = PROCUREMENT_EDITS


@register
class BudgetLineType(ObjectType):
    """Budget lines and what has been committed and paid on them."""

    model = BudgetLine
    domain = "procurement"
    icon = "ti ti-report-money"
    url_slug = "budget-lines"
    list_columns = (
        "code",
        "label",
        "fiscal_year",
        "section",
        "chapter",
        "nature",
        "function",
        "service",
        "programme",
        "voted_amount",
        "amendments_total",
        "open_credits",
        "committed_total",
        "paid_total",
        "available",
    )
    default_columns = (
        "code",
        "label",
        "section",
        "open_credits",
        "committed_total",
        "paid_total",
        "available",
    )
    sortable_annotations = (
        "amendments_total",
        "open_credits",
        "committed_total",
        "paid_total",
        "available",
    )
    filter_fields = ("fiscal_year", "section", "chapter", "nature", "service", "programme")
    search_fields = ("code", "label", "nature", "chapter")
    form_fields = (
        "fiscal_year",
        "code",
        "section",
        "chapter",
        "nature",
        "function",
        "service",
        "programme",
        "label",
        "voted_amount",
        "notes",
    )
    detail_fields = (
        *form_fields[:10],
        "amendments_total",
        "open_credits",
        "committed_total",
        "paid_total",
        "available",
        "notes",
    )
    bulk_edit_fields = ("service", "programme")
    import_key = "code"
    related_lists = (
        ("amendments", _("Budget amendments")),
        ("commitments", _("Commitments")),
        ("orders", _("Purchase orders")),
    )
    select_related = ("fiscal_year", "service", "programme")
    permissions = PROCUREMENT_EDITS

    display_amendments_total = _execution_figure("amendments_total", _("amendments"))
    display_open_credits = _execution_figure("open_credits", _("open credits"))
    display_committed_total = _execution_figure("committed_total", _("committed"))
    display_paid_total = _execution_figure("paid_total", _("paid"))
    display_available = _execution_figure("available", _("available"))

    def annotate_list(self, queryset):
        return queryset.with_execution()

    def list_actions(self, request):
        from dpti.procurement.views.budget import budget_line_list_actions

        return budget_line_list_actions(request)

    def before_save(self, obj, user):
        if not obj.code and obj.fiscal_year_id and obj.chapter and obj.nature:
            obj.code = obj.default_code()


@register
class BudgetAmendmentType(ObjectType):
    """Budget amendments (décisions modificatives)."""

    model = BudgetAmendment
    domain = "procurement"
    icon = "ti ti-adjustments-dollar"
    url_slug = "budget-amendments"
    list_columns = ("reference", "budget_line", "decided_on", "amount", "reason")
    filter_fields = ("budget_line__fiscal_year", "budget_line", "decided_on")
    search_fields = ("reference", "reason", "budget_line__code")
    form_fields = ("budget_line", "reference", "decided_on", "amount", "reason")
    select_related = ("budget_line",)
    permissions = PROCUREMENT_EDITS

    def before_save(self, obj, user):
        if obj.budget_line_id:
            budgeting.lock_line(obj.budget_line_id)
            budgeting.check_amendment_leaves_commitments(obj)

    def before_delete(self, obj, user):
        """Removing an increase must not leave the line below what is committed."""
        budgeting.lock_line(obj.budget_line_id)
        budgeting.check_amendment_leaves_commitments(copy(obj, amount=0))


@register
class ProgrammeAuthorisationType(ObjectType):
    """Programme and commitment authorisations (AP/AE) and their payment credits."""

    model = ProgrammeAuthorisation
    domain = "procurement"
    icon = "ti ti-timeline"
    url_slug = "programme-authorisations"
    list_columns = ("reference", "label", "kind", "amount", "voted_on", "is_active")
    filter_fields = ("kind", "is_active")
    search_fields = ("reference", "label")
    form_fields = (
        "kind",
        "reference",
        "label",
        "amount",
        "voted_on",
        "decision_reference",
        "is_active",
        "notes",
    )
    import_key = "reference"
    related_lists = (
        ("payment_credits", _("Payment credits (CP)")),
        ("budget_lines", _("Budget lines")),
    )
    permissions = PROCUREMENT_EDITS


@register
class PaymentCreditType(ObjectType):
    """Payment credits (CP) of an authorisation by year."""

    model = PaymentCredit
    domain = "procurement"
    icon = "ti ti-calendar-stats"
    url_slug = "payment-credits"
    in_global_search = False
    list_columns = ("__str__", "authorisation", "year", "amount")
    default_columns = ("__str__", "amount")
    column_order_by = {"__str__": ("authorisation__reference", "year")}
    filter_fields = ("authorisation", "year")
    search_fields = ("authorisation__reference",)
    form_fields = ("authorisation", "year", "amount")
    select_related = ("authorisation",)
    permissions = PROCUREMENT_EDITS


@register
class CommitmentType(ObjectType):
    """Commitments; those of purchase orders follow their order."""

    model = Commitment
    domain = "procurement"
    icon = "ti ti-lock-dollar"
    url_slug = "commitments"
    list_columns = (
        "number",
        "object",
        "budget_line",
        "committed_on",
        "supplier",
        "contract",
        "order",
        "amount",
        "status",
    )
    default_columns = ("number", "object", "budget_line", "committed_on", "supplier", "amount")
    filter_fields = (
        "budget_line__fiscal_year",
        "budget_line",
        "supplier",
        "contract",
        "status",
        "committed_on",
    )
    search_fields = ("number", "object", "supplier__name")
    form_fields = (
        "number",
        "budget_line",
        "committed_on",
        "object",
        "supplier",
        "contract",
        "amount",
        "status",
    )
    detail_fields = (*form_fields[:6], "order", "amount", "status")
    bulk_edit_fields = ()
    import_key = "number"
    related_lists = (("invoices", _("Invoices")),)
    select_related = ("budget_line", "supplier", "contract", "order")
    permissions = PROCUREMENT_EDITS

    def before_delete(self, obj, user):
        if obj.order_id:
            raise ValidationError(
                _("This commitment follows the order %(order)s: cancel the order instead.")
                % {"order": obj.order.number}
            )

    def before_save(self, obj, user):
        if obj.pk and obj.order_id:
            raise ValidationError(
                _("This commitment follows the order %(order)s: change the order instead.")
                % {"order": obj.order.number}
            )
        if not obj.number and obj.committed_on:
            obj.number = next_commitment_number(obj.committed_on)
        # Checked again under the line's lock: two commitments cannot share its last credits.
        budgeting.lock_and_check_commitment(obj)
