"""Figures of the procurement module in the API: a need's procedure, an invoice's delay, a
contract's execution per lot, the budget execution.

Each comes from the function its page uses (`procedures`, `payments.delay_explanation`,
`consumption.contract_consumption`, `budget_execution.budget_execution`).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dpti.core.api.figures import ApiReport, ApiRoute
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry
from dpti.procurement import payments, procedures
from dpti.procurement.budget_execution import budget_execution
from dpti.procurement.consumption import (
    Consumption,
    contract_consumption,
    lots_with_consumption,
)
from dpti.procurement.models import (
    BudgetLine,
    ContractLot,
    Invoice,
    PurchaseKind,
    PurchaseOrder,
    Section,
)


def _amount(text, **kwargs):
    return serializers.IntegerField(help_text=text, **kwargs)


# --- A purchase need's procedure --------------------------------------------------------------


class NeedProcedureSerializer(serializers.Serializer):
    """The procedure the rules require for a purchase need, and why (its page's card)."""

    procedure = serializers.CharField(
        help_text=_("Required procedure (code); empty when the rules give none.")
    )
    procedure_label = serializers.CharField(help_text=_("Required procedure, in words."))
    reason = serializers.CharField(help_text=_("Why this procedure: the full text."))
    paragraphs = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The reason's paragraphs, without the splitting warning."),
    )
    splitting_suspected = serializers.BooleanField(
        help_text=_("True when the need alone would fall in a lighter band (splitting).")
    )
    splitting_warning = serializers.CharField(
        allow_null=True, help_text=_("The splitting warning, when there is one.")
    )
    year = serializers.IntegerField(allow_null=True, help_text=_("Year of the need."))
    year_total = _amount(
        _("Yearly total of the category (or works operation), excl. tax (XPF)."), allow_null=True
    )
    operation = serializers.CharField(help_text=_("Works operation added up, if any."))
    rules = serializers.CharField(
        allow_null=True,
        help_text=_("The procurement rules applied: their decision (deliberation) reference."),
    )
    rules_name = serializers.CharField(allow_null=True, help_text=_("Name of those rules."))
    band = serializers.CharField(
        allow_null=True, help_text=_("The threshold band of the yearly total, in words.")
    )
    obligations = serializers.CharField(
        allow_null=True, help_text=_("What the buyer must do in that band (the obligations).")
    )


def need_procedure(need, request, params):
    """The need panel's figures, and the rules and band its yearly total falls in."""
    paragraphs, warning = procedures.split_warning(need.procedure_reason, need.splitting_suspected)
    decision = None
    if need.category_id and need.needed_on and need.year_total is not None:
        decision = procedures.determine(need.category.kind, need.year_total, need.needed_on)
    rules = decision.rules if decision else None
    band = decision.band if decision else None
    return {
        "procedure": need.required_procedure,
        "procedure_label": need.get_required_procedure_display() if need.required_procedure else "",
        "reason": need.procedure_reason,
        "paragraphs": paragraphs,
        "splitting_suspected": need.splitting_suspected,
        "splitting_warning": warning,
        "year": need.needed_on.year if need.needed_on else None,
        "year_total": need.year_total,
        "operation": need.operation if need.kind == PurchaseKind.WORKS else "",
        "rules": rules.decision_reference if rules else None,
        "rules_name": rules.name if rules else None,
        "band": procedures.bounds_text(decision) if band else None,
        "obligations": band.obligation if band else None,
    }


registry.add_api_route(
    "procurement.purchaseneed",
    ApiRoute(
        name="procedure",
        compute=need_procedure,
        serializer=NeedProcedureSerializer,
        summary=_("Procedure required for a purchase need"),
        description=_(
            "The procedure the procurement rules require for the need once its category's "
            "year is added up, the reason in words, the rules (deliberation) and the band "
            "applied with its obligations: the figures of the need's page."
        ),
    ),
)


# --- An invoice's payment delay ---------------------------------------------------------------


class SuspensionSerializer(serializers.Serializer):
    """A suspension of the payment delay and the days it stopped."""

    suspended_on = serializers.DateField(source="suspension.suspended_on")
    resumed_on = serializers.DateField(source="suspension.resumed_on", allow_null=True)
    reason = serializers.CharField(source="suspension.reason")
    days = serializers.IntegerField(help_text=_("Days this suspension stopped the delay."))
    is_open = serializers.BooleanField(help_text=_("True while the delay is still suspended."))


class InvoiceDelaySerializer(serializers.Serializer):
    """How an invoice's payment delay and late-payment interest were counted (its page's card).

    A rejected invoice answers only `rejected` and `state`.
    """

    rejected = serializers.BooleanField(help_text=_("True for a rejected invoice: no delay."))
    state = serializers.ChoiceField(
        choices=["success", "warning", "danger", "secondary"],
        help_text=_("success: on time; warning: due soon or suspended; danger: late."),
    )
    received_on = serializers.DateField(required=False)
    service_done_on = serializers.DateField(required=False, allow_null=True)
    start = serializers.DateField(required=False, help_text=_("Day the delay started."))
    starts_at_service = serializers.BooleanField(
        required=False, help_text=_("True when the delay starts at the service done, later.")
    )
    rules = serializers.CharField(
        source="rules.decision_reference",
        required=False,
        allow_null=True,
        help_text=_("Reference of the procurement rules giving the allowed delay."),
    )
    allowed_days = serializers.IntegerField(required=False, help_text=_("Days allowed to pay."))
    suspensions = SuspensionSerializer(many=True, required=False)
    suspended_days = serializers.IntegerField(required=False)
    due_on = serializers.DateField(required=False, help_text=_("Day the payment is due."))
    paid_on = serializers.DateField(required=False, allow_null=True)
    today = serializers.DateField(required=False, help_text=_("Day of the computation."))
    elapsed_days = serializers.IntegerField(
        required=False, help_text=_("Days counted, to the payment or to today.")
    )
    late_days = serializers.IntegerField(required=False)
    days_left = serializers.IntegerField(required=False, help_text=_("Days left until due."))
    is_suspended = serializers.BooleanField(required=False)
    first_late_day = serializers.DateField(required=False)
    rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text=_("Late-payment interest rate applied (%)."),
    )
    reference_rate = serializers.DecimalField(
        source="rate_row.reference_rate",
        max_digits=7,
        decimal_places=3,
        required=False,
        allow_null=True,
    )
    margin_points = serializers.DecimalField(
        source="rate_row.margin_points",
        max_digits=7,
        decimal_places=3,
        required=False,
        allow_null=True,
    )
    amount = _amount(_("Amount including tax (XPF)."), required=False)
    interest = _amount(_("Late-payment interest (XPF)."), required=False)
    exact_interest = serializers.CharField(
        required=False, allow_null=True, help_text=_("Interest before rounding, as shown.")
    )
    indemnity = _amount(_("Fixed recovery indemnity (XPF)."), required=False)
    total_owed = _amount(_("Interest and indemnity owed (XPF)."), required=False)


registry.add_api_route(
    "procurement.invoice",
    ApiRoute(
        name="delay",
        compute=lambda invoice, request, params: payments.delay_explanation(invoice),
        serializer=InvoiceDelaySerializer,
        summary=_("Payment delay of an invoice"),
        description=_(
            "How the invoice's payment delay was counted: its start, the allowed days, the "
            "suspensions, the due date, the days late and the interest owed, as on the "
            "invoice's page (to the payment day, or to today while unpaid)."
        ),
    ),
)


# --- A contract's execution per lot -----------------------------------------------------------


class ConsumptionSerializer(serializers.Serializer):
    """What a lot may reach and what was consumed of it (XPF; ordered excl. tax, invoiced and
    paid incl. tax). Figures of orders or invoices are null for a user who may not read them."""

    initial = _amount(_("Initial amount or maximum, excl. tax."))
    amendments = _amount(_("Amendments, excl. tax."))
    ceiling = _amount(_("Initial amount plus amendments, excl. tax."))
    minimum = _amount(_("Minimum of a framework lot, excl. tax."), allow_null=True)
    ordered = _amount(_("Ordered (live orders), excl. tax."), allow_null=True)
    ordered_incl_tax = _amount(_("Ordered, incl. tax."), allow_null=True)
    remaining = _amount(_("Ceiling minus ordered, excl. tax."), allow_null=True)
    percent = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        allow_null=True,
        help_text=_("Share of the ceiling ordered (%)."),
    )
    order_count = serializers.IntegerField(allow_null=True)
    cancelled_count = serializers.IntegerField(allow_null=True)
    invoiced = _amount(_("Invoiced (not rejected), incl. tax."), allow_null=True)
    paid = _amount(_("Paid, incl. tax."), allow_null=True)


class LotConsumptionSerializer(ConsumptionSerializer):
    """The execution of one lot."""

    lot = serializers.IntegerField(source="lot.pk", help_text=_("Id of the lot."))
    number = serializers.IntegerField(source="lot.number", help_text=_("Lot number."))
    title = serializers.CharField(source="lot.title")
    holder = serializers.CharField(source="lot.holder", allow_null=True)
    is_framework = serializers.BooleanField(help_text=_("True for a framework lot."))
    minimum_reached = serializers.BooleanField(allow_null=True)


class ContractExecutionSerializer(serializers.Serializer):
    """The financial execution of a contract, lot by lot (its page's card)."""

    lots = LotConsumptionSerializer(many=True, help_text=_("The lots you may see."))
    outside = ConsumptionSerializer(
        allow_null=True,
        help_text=_("Amendments of the whole contract and invoices outside any order."),
    )
    total = ConsumptionSerializer(help_text=_("Sum of the rows."))


ORDER_FIGURES = ("ordered", "ordered_incl_tax", "remaining", "percent", "order_count")
ORDER_FIGURES += ("cancelled_count", "minimum_reached")
INVOICE_FIGURES = ("invoiced", "paid")


def _visible(row, hidden):
    if row is None:
        return None
    figures = {name: getattr(row, name, None) for name in ConsumptionSerializer().fields}
    figures.update(lot=row.lot, is_framework=row.is_framework, minimum_reached=row.minimum_reached)
    figures.update(dict.fromkeys(hidden))
    return figures


def hidden_figures(user):
    """The figures a user may not read: those of orders or invoices, as the cards leave out."""
    hidden = []
    if not has_model_permission(user, PurchaseOrder, "view"):
        hidden += ORDER_FIGURES
    if not has_model_permission(user, Invoice, "view"):
        hidden += INVOICE_FIGURES
    return hidden


def contract_execution(contract, request, params):
    """The rows of the contract's « Financial execution » card; as there, a user who may not
    read orders or invoices does not get their figures."""
    rows, outside, total = contract_consumption(contract, request.user)
    hidden = hidden_figures(request.user)
    return {
        "lots": [_visible(row, hidden) for row in rows],
        "outside": _visible(outside, hidden),
        "total": _visible(total, hidden),
    }


registry.add_api_route(
    "procurement.contract",
    ApiRoute(
        name="execution",
        compute=contract_execution,
        serializer=ContractExecutionSerializer,
        summary=_("Financial execution of a contract per lot"),
        description=_(
            "Per lot you may see: the ceiling (initial amount and amendments), what was "
            "ordered, invoiced and paid, what remains; then the contract's amendments and "
            "invoices outside any order, and the total: the figures of the contract's page."
        ),
    ),
)


def lot_execution(lot, request, params):
    """The figures of the lot page's « Consumption of the lot » card."""
    row = Consumption(lots_with_consumption(ContractLot.objects.filter(pk=lot.pk)).get())
    return _visible(row, hidden_figures(request.user))


registry.add_api_route(
    "procurement.contractlot",
    ApiRoute(
        name="execution",
        compute=lot_execution,
        serializer=LotConsumptionSerializer,
        summary=_("Financial execution of a lot"),
        description=_(
            "The lot's ceiling (initial amount and amendments), what was ordered, invoiced and "
            "paid, and what remains: the figures of the lot's page."
        ),
    ),
)


# --- Budget execution -------------------------------------------------------------------------


class BudgetExecutionQuery(serializers.Serializer):
    """Query parameters of the budget execution."""

    year = serializers.IntegerField(
        required=False, help_text=_("Fiscal year; the latest open one by default.")
    )
    service = serializers.IntegerField(
        required=False, help_text=_("Id of a service (organisation unit): only its lines.")
    )
    section = serializers.ChoiceField(
        choices=Section.choices, required=False, help_text=_("Only the lines of one section.")
    )


class ExecutionFiguresSerializer(serializers.Serializer):
    """The execution figures of a line or of a group of lines (XPF)."""

    voted_amount = _amount(_("Voted."))
    amendments_total = _amount(_("Budget amendments (DM)."))
    open_credits = _amount(_("Open credits: voted plus amendments."))
    committed_total = _amount(_("Committed (active commitments)."))
    paid_total = _amount(_("Paid (invoices paid)."))
    available = _amount(_("Open credits minus committed."))
    committed_percent = serializers.FloatField(
        allow_null=True, help_text=_("Committed share of the open credits (%).")
    )
    paid_percent = serializers.FloatField(
        allow_null=True, help_text=_("Paid share of the open credits (%).")
    )


class BudgetLineExecutionSerializer(ExecutionFiguresSerializer):
    """The execution of one budget line."""

    id = serializers.IntegerField(help_text=_("Id of the budget line."))
    code = serializers.CharField()
    label = serializers.CharField()
    nature = serializers.CharField()
    function = serializers.CharField()
    service = serializers.CharField(allow_null=True)
    programme = serializers.CharField(allow_null=True)


class ChapterExecutionSerializer(serializers.Serializer):
    """A chapter of a section, its lines and their subtotal."""

    code = serializers.CharField()
    lines = BudgetLineExecutionSerializer(many=True)
    totals = ExecutionFiguresSerializer()


class SectionExecutionSerializer(serializers.Serializer):
    """A section (investment, operating), its chapters and their subtotal."""

    code = serializers.CharField()
    title = serializers.CharField()
    chapters = ChapterExecutionSerializer(many=True)
    totals = ExecutionFiguresSerializer()


class BudgetExecutionSerializer(serializers.Serializer):
    """The execution of a fiscal year's budget by section, chapter and line."""

    year = serializers.IntegerField(allow_null=True, help_text=_("Fiscal year shown."))
    service = serializers.IntegerField(allow_null=True, help_text=_("Service asked for."))
    section = serializers.CharField(help_text=_("Section asked for (empty: both)."))
    sections = SectionExecutionSerializer(many=True)
    total = ExecutionFiguresSerializer(help_text=_("Total of the lines shown."))


def budget_execution_report(request, params):
    """The budget execution page's figures for the parameters."""
    report = budget_execution(
        request.user,
        year=params.get("year"),
        service_id=params.get("service"),
        section=params.get("section"),
    )
    return {
        **report,
        "year": report["fiscal_year"].year if report["fiscal_year"] else None,
        "service": report["service"].pk if report["service"] else None,
    }


registry.add_api_report(
    ApiReport(
        app_label="procurement",
        name="budget-execution",
        model=BudgetLine,
        compute=budget_execution_report,
        serializer=BudgetExecutionSerializer,
        query_serializer=BudgetExecutionQuery,
        summary=_("Budget execution"),
        description=_(
            "The execution of a fiscal year's budget by section, chapter and line: voted, "
            "amendments, open credits, committed, paid and available, with the rates: the "
            "figures of the budget execution page."
        ),
    )
)
