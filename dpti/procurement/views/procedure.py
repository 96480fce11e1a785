"""Which procedure a purchase needs: the need's panel, the quick check page and the splitting
report (per purchase category, the year's needs, contracts and orders outside contracts)."""

from datetime import date

from django import forms
from django.db.models import Count, Sum
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.core.exports import workbook_response
from dpti.core.fields import AmountFormField, DateFormField
from dpti.core.htmx import render_page_or_fragment
from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin
from dpti.procurement import procedures
from dpti.procurement.models import (
    Contract,
    ContractLot,
    FiscalYear,
    ProcedureThreshold,
    PurchaseCategory,
    PurchaseKind,
    PurchaseNeed,
    PurchaseOrder,
)


def year_bounds(year):
    """The list filters of a year on a date field: ('2026-01-01', '2026-12-31')."""
    return f"{year}-01-01", f"{year}-12-31"


def category_links(category, year, user):
    """Links to the lists of the category's needs and orders of the year, and its contracts
    (the lists the user may see)."""
    start, end = year_bounds(year)
    links = []
    for model, label, query in (
        (
            PurchaseNeed,
            _("Needs of the category in %(year)s") % {"year": year},
            f"category={category.pk}&needed_on__gte={start}&needed_on__lte={end}",
        ),
        (Contract, _("Contracts of the category"), f"category={category.pk}"),
        (
            PurchaseOrder,
            _("Orders of the category in %(year)s") % {"year": year},
            f"category={category.pk}&issued_on__gte={start}&issued_on__lte={end}",
        ),
    ):
        if has_model_permission(user, model, "view"):
            url = reverse(registry.get(model).url_name("list"))
            links.append({"label": label, "url": f"{url}?{query}", "model": model._meta.model_name})
    return links


def need_panels(need, request):
    """Cards of a purchase need's page: the procedure the rules require and why."""
    if not need.category_id or not need.needed_on:
        return []
    year = need.needed_on.year
    paragraphs, warning = procedures.split_warning(need.procedure_reason, need.splitting_suspected)
    return [
        {
            "title": _("Required procedure"),
            "template": "procurement/procedure/need_panel.html",
            "context": {
                "need": need,
                "procedure": need.get_required_procedure_display(),
                "paragraphs": paragraphs,
                "warning": warning,
                "year": year,
                "year_total": need.year_total,
                "operation": need.operation if need.kind == PurchaseKind.WORKS else "",
                "splitting": need.splitting_suspected,
                "links": category_links(need.category, year, request.user),
            },
            "id": "procedure",
        }
    ]


class ProcedureCheckForm(forms.Form):
    """A purchase to check: its kind or its category, an amount and a date."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of purchase"),
        choices=[("", gettext_lazy("From the category")), *PurchaseKind.choices],
        required=False,
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Purchase category"),
        queryset=PurchaseCategory.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("No category"),
        help_text=gettext_lazy("Adds the category's purchases of the year (splitting check)."),
    )
    operation = forms.CharField(
        label=gettext_lazy("Works operation"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For works, the total is the operation's."),
    )
    amount = AmountFormField(label=gettext_lazy("Amount excl. tax (XPF)"), min_value=0)
    day = DateFormField(
        label=gettext_lazy("Date of the purchase"),
        required=False,
        help_text=gettext_lazy("Decides the rules that apply (today when empty)."),
    )

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category is not None:
            data["kind"] = category.kind
        elif not data.get("kind"):
            self.add_error("kind", _("Choose the kind of purchase or a purchase category."))
        if not data.get("day"):
            data["day"] = timezone.localdate()
        return data


def check_answer(data):
    """The answer of the check page: the procedure of the amount (with the category's year
    added when a category is given)."""
    category, amount, day = data.get("category"), data["amount"], data["day"]
    if category is None:
        decision = procedures.determine(data["kind"], amount, day)
        return {
            "decision": decision,
            "procedure": decision.band.get_procedure_display() if decision.band else None,
            "paragraphs": [decision.reason],
            "kind": PurchaseKind(data["kind"]).label,
            "amount": amount,
            "day": day,
        }
    operation = data.get("operation", "") if category.kind == PurchaseKind.WORKS else ""
    result = procedures.assess(category, amount, day, operation)
    decision = result.decision
    paragraphs, warning = procedures.split_warning(result.reason, result.splitting_suspected)
    return {
        "decision": decision,
        "procedure": decision.band.get_procedure_display() if decision.band else None,
        "paragraphs": paragraphs,
        "warning": warning,
        "kind": PurchaseKind(category.kind).label,
        "amount": amount,
        "day": day,
        "category": category,
        "operation": operation,
        "others": result.others,
        "total": result.total,
        "splitting": result.splitting_suspected,
    }


class ProcedureCheckView(InternalReportMixin, View):
    """« Which procedure? »: the answer for a kind or a category, an amount and a date; live with
    htmx (the answer alone), or by a plain GET submit."""

    report_model = PurchaseNeed

    def get(self, request):
        asked = "amount" in request.GET
        form = (
            ProcedureCheckForm(request.GET)
            if asked
            else ProcedureCheckForm(initial={"day": timezone.localdate()})
        )
        answer = check_answer(form.cleaned_data) if asked and form.is_valid() else None
        if answer and answer.get("category"):
            answer["links"] = category_links(answer["category"], answer["day"].year, request.user)
        context = {"form": form, "answer": answer, "asked": asked}
        return render_page_or_fragment(
            request,
            "procurement/procedure/check.html",
            "procurement/procedure/check_answer.html",
            context,
        )


def _year(raw, default):
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2999 else default


def reference_day(year, today):
    """The day whose rules judge a year: today in the current year, else its last day (a past
    year) or its first (a year to come)."""
    if year == today.year:
        return today
    return date(year, 12, 31) if year < today.year else date(year, 1, 1)


def _grouped(queryset, key, **figures):
    return {row.pop(key): row for row in queryset.order_by().values(key).annotate(**figures)}


def splitting_report(year, user, today=None):
    """One row per purchase category with purchases in the year: its needs, contracts and
    orders outside contracts (counts and amounts excl. tax), the total, the procedure the total
    requires, and whether the orders outside contracts went beyond the no-competition band.

    A fixed number of queries, whatever the number of categories."""
    today = today or timezone.localdate()
    day = reference_day(year, today)
    needs = restrict(procedures.needs_of_year(year), user).filter(category__isnull=False)
    contracts = restrict(procedures.contracts_of_year(year), user).filter(category__isnull=False)
    orders = restrict(procedures.orders_of_year(year), user).filter(category__isnull=False)
    by_need = _grouped(needs, "category", count=Count("pk"), amount=Sum("estimated_amount"))
    by_contract = _grouped(contracts, "category", count=Count("pk"))
    by_lot = _grouped(
        ContractLot.objects.filter(contract__in=contracts),
        "contract__category",
        **procedures.LOTS_FULL_AMOUNT,
    )
    by_order = _grouped(orders, "category", count=Count("pk"), amount=Sum("amount_excl_tax"))
    keys = set(by_need) | set(by_contract) | set(by_order)
    categories = PurchaseCategory.objects.in_bulk(keys)
    rules = procedures.rules_in_force(day)
    scales = procedures.bands_by_scale(rules)
    rows = []
    for key, category in categories.items():
        need = by_need.get(key, {})
        lots = by_lot.get(key, {})
        order = by_order.get(key, {})
        row = {
            "category": category,
            "needs": need.get("count", 0),
            "needs_amount": need.get("amount") or 0,
            "contracts": by_contract.get(key, {}).get("count", 0),
            "contracts_amount": (lots.get("fixed") or 0) + (lots.get("maximum") or 0),
            "orders": order.get("count", 0),
            "orders_amount": order.get("amount") or 0,
        }
        row["total"] = row["needs_amount"] + row["contracts_amount"] + row["orders_amount"]
        bands = scales.get(procedures.applies_to(category.kind), [])
        decision = procedures.determine(category.kind, row["total"], day, rules, bands)
        row["procedure"] = decision.band.get_procedure_display() if decision.band else None
        row["procedure_code"] = decision.procedure
        free = procedures.no_competition_band(bands)
        row["free_limit"] = free.max_amount if free else None
        row["orders_beyond"] = bool(
            free and row["orders_amount"] and not free.contains(row["orders_amount"])
        )
        rows.append(row)
    rows.sort(key=lambda row: (-row["total"], row["category"].code))
    totals = {
        name: sum(row[name] for row in rows)
        for name in (
            "needs",
            "needs_amount",
            "contracts",
            "contracts_amount",
            "orders",
            "orders_amount",
            "total",
        )
    }
    limits = []
    for scale, label in ProcedureThreshold.AppliesTo.choices:
        free = procedures.no_competition_band(scales.get(scale, []))
        limits.append({"label": label, "band": free})
    return {"rows": rows, "totals": totals, "rules": rules, "day": day, "limits": limits}


class SplittingReportView(InternalReportMixin, View):
    """« Splitting check »: per purchase category, the purchases of a year (?year=, the current
    one by default) and the procedure their total requires; on screen or in XLSX."""

    report_model = PurchaseNeed
    fmt = "html"

    def get(self, request):
        today = timezone.localdate()
        year = _year(request.GET.get("year"), today.year)
        report = splitting_report(year, request.user, today)
        if self.fmt == "xlsx":
            header = [
                _("Code"),
                _("Purchase category"),
                _("Kind"),
                _("Needs"),
                _("Needs excl. tax"),
                _("Contracts"),
                _("Contracts excl. tax"),
                _("Orders outside contracts"),
                _("Orders outside contracts excl. tax"),
                _("Yearly total excl. tax"),
                _("Required procedure"),
                _("Orders beyond the no-competition band"),
            ]
            lines = [
                [
                    row["category"].code,
                    row["category"].label,
                    row["category"].get_kind_display(),
                    row["needs"],
                    row["needs_amount"],
                    row["contracts"],
                    row["contracts_amount"],
                    row["orders"],
                    row["orders_amount"],
                    row["total"],
                    row["procedure"] or "",
                    row["orders_beyond"],
                ]
                for row in report["rows"]
            ]
            totals = report["totals"]
            lines.append(
                [
                    _("Total"),
                    "",
                    "",
                    totals["needs"],
                    totals["needs_amount"],
                    totals["contracts"],
                    totals["contracts_amount"],
                    totals["orders"],
                    totals["orders_amount"],
                    totals["total"],
                    "",
                    "",
                ]
            )
            return workbook_response(
                f"controle-fractionnement-{year}.xlsx",
                [(_("Splitting %(year)s") % {"year": year}, [header, *lines])],
            )
        years = set(FiscalYear.objects.values_list("year", flat=True))
        start, end = year_bounds(year)
        context = {
            **report,
            "year": year,
            "years": sorted({*years, year, today.year}, reverse=True),
            "needs_url": reverse(registry.get(PurchaseNeed).url_name("list")),
            "contracts_url": reverse(registry.get(Contract).url_name("list")),
            "orders_url": reverse(registry.get(PurchaseOrder).url_name("list")),
            "start": start,
            "end": end,
            "flagged": sum(1 for row in report["rows"] if row["orders_beyond"]),
        }
        return render(request, "procurement/procedure/splitting.html", context)


urlpatterns = [
    path("procedure/", ProcedureCheckView.as_view(), name="procedure_check"),
    path("splitting/", SplittingReportView.as_view(), name="splitting_report"),
    path("splitting/xlsx/", SplittingReportView.as_view(fmt="xlsx"), name="splitting_report_xlsx"),
]
