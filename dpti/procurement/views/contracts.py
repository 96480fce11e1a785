"""Contracts: consumption panels, the contract sheet (PDF), spending and framework reports.

Every figure is summed by the database in subqueries on the rows shown, so a page costs the
same number of queries whatever the number of lots, orders and invoices.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, Sum
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, ExtractMonth
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.core.exports import workbook_response
from dpti.core.pdf import pdf_response
from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin
from dpti.directory.models import Company
from dpti.procurement.consumption import (
    WARNING_PERCENT,
    Consumption,
    contract_consumption,
    lots_with_consumption,
)
from dpti.procurement.models import (
    Amendment,
    BudgetLine,
    Commitment,
    Contract,
    ContractLot,
    FiscalYear,
    Invoice,
    PurchaseCategory,
    PurchaseOrder,
    ServiceOrder,
)

# How many covered buildings, assets and applications a contract's page names.
COVERAGE_SHOWN = 8


def _money_columns(user):
    """Whether the user may read the orders and the invoices (a technician reads the contract
    only)."""
    return {
        "show_orders": has_model_permission(user, PurchaseOrder, "view"),
        "show_invoices": has_model_permission(user, Invoice, "view"),
    }


def schedule(contract, today=None):
    """Dates of the contract's execution and of its next renewal decision."""
    today = today or timezone.localdate()
    decision = contract.renewal_decision_date
    end = contract.end_date
    return {
        "start": contract.start_date,
        "end": end,
        "duration_months": contract.duration_months,
        "renewals_done": contract.renewals_done,
        "renewals_allowed": contract.renewals_allowed,
        "renewal_months": contract.renewal_months,
        "notice_months": contract.renewal_notice_months,
        "decision": decision,
        "decision_days": (decision - today).days if decision else None,
        "decision_late": (today - decision).days if decision else None,
        "end_days": (end - today).days if end else None,
    }


def coverage(contract, user):
    """The buildings, assets and applications the contract covers that the user may see: a
    count and the first few of each, one query per kind."""
    groups = []
    for relation, title in (
        ("buildings", _("Buildings")),
        ("assets", _("Assets")),
        ("applications", _("Applications")),
    ):
        model = Contract._meta.get_field(relation).related_model
        if not has_model_permission(user, model, "view"):
            continue
        items = list(
            restrict(getattr(contract, relation).all(), user).annotate(
                covered_count=Window(Count("pk"))
            )[:COVERAGE_SHOWN]
        )
        groups.append(
            {
                "relation": relation,
                "title": title,
                "icon": registry.get(model).icon if model in registry else "",
                "count": items[0].covered_count if items else 0,
                "items": items,
            }
        )
    return groups


def contract_panels(contract, request):
    """Cards of a contract's page: financial execution, dates and renewals, what it covers."""
    user = request.user
    rows, outside, total = contract_consumption(contract, user)
    panels = [
        {
            "title": _("Financial execution"),
            "template": "procurement/contracts/panels/consumption.html",
            "context": {
                "contract": contract,
                "rows": rows,
                "outside": outside,
                "total": total,
                "warning": WARNING_PERCENT,
                **_money_columns(user),
            },
            "id": "consumption",
        },
        {
            "title": _("Deadlines and renewals"),
            "template": "procurement/contracts/panels/schedule.html",
            "context": schedule(contract),
            "id": "schedule",
        },
    ]
    groups = coverage(contract, user)
    if groups:  # a contractor reads none of the covered records: no card rather than « none »
        panels.append(
            {
                "title": _("Scope covered"),
                "template": "procurement/contracts/panels/coverage.html",
                "context": {"groups": groups, "shown": COVERAGE_SHOWN},
                "id": "coverage",
            }
        )
    return panels


def contract_actions(contract, user):
    """Buttons of a contract's page."""
    return [
        {
            "label": _("Contract sheet (PDF)"),
            "url": reverse("procurement:contract_sheet", args=[contract.pk]),
            "icon": "ti ti-file-type-pdf",
        }
    ]


def lot_panels(lot, request):
    """Cards of a lot's page: its consumption."""
    lot = lots_with_consumption(ContractLot.objects.filter(pk=lot.pk)).get()
    return [
        {
            "title": _("Consumption of the lot"),
            "template": "procurement/contracts/panels/lot_consumption.html",
            "context": {
                "row": Consumption(lot),
                "warning": WARNING_PERCENT,
                **_money_columns(request.user),
            },
            "id": "consumption",
        }
    ]


class ContractSheetView(LoginRequiredMixin, View):
    """The contract sheet (fiche marché): what the contract is and where it stands, in PDF."""

    def get(self, request, pk):
        user = request.user
        contracts = restrict(
            Contract.objects.select_related("category", "manager", "tax_rate", "need"), user
        )
        try:
            contract = contracts.get(pk=pk)
        except (Contract.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        rows, outside, total = contract_consumption(contract, user)
        for row in rows:
            row.tax = row.lot.amount_incl_tax - row.lot.amount_excl_tax
        amounts = {
            "excl_tax": sum(row.lot.amount_excl_tax for row in rows),
            "tax": sum(row.tax for row in rows),
            "incl_tax": sum(row.lot.amount_incl_tax for row in rows),
        }
        context = {
            "contract": contract,
            "rows": rows,
            "outside": outside,
            "total": total,
            "amounts": amounts,
            "has_minimum": any(row.lot.minimum_excl_tax is not None for row in rows),
            "amendments": list(
                restrict(Amendment.objects.filter(contract=contract), user).select_related("lot")
            ),
            "service_orders": list(
                restrict(ServiceOrder.objects.filter(contract=contract), user).select_related("lot")
            ),
            "schedule": schedule(contract),
            **_money_columns(user),
        }
        filename = f"fiche-marche-{contract.reference}.pdf".replace("/", "-")
        return pdf_response("procurement/pdf/contract_sheet.html", context, filename, request)


def _year(raw, default):
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return default
    return year if 1900 <= year <= 2999 else default


GROUPINGS = {
    "supplier": gettext_lazy("Supplier"),
    "category": gettext_lazy("Purchase category"),
    "budget_line": gettext_lazy("Budget line"),
    "month": gettext_lazy("Month"),
}


def _group_keys(by):
    """The key of each source row in a grouping: (commitments, invoiced, paid)."""
    if by == "supplier":
        return F("supplier_id"), F("supplier_id"), F("supplier_id")
    if by == "category":
        commitment = Coalesce("order__category_id", "contract__category_id")
        invoice = Coalesce("order__category_id", "commitment__contract__category_id")
        return commitment, invoice, invoice
    if by == "budget_line":
        return F("budget_line_id"), F("commitment__budget_line_id"), F("commitment__budget_line_id")
    return ExtractMonth("committed_on"), ExtractMonth("received_on"), ExtractMonth("paid_on")


def _grouped(queryset, key, amount):
    rows = queryset.order_by().annotate(key=key).values("key").annotate(total=Sum(amount))
    return {row["key"]: row["total"] or 0 for row in rows}


def spending_report(year, by, user):
    """What was ordered (active commitments incl. tax), invoiced (invoices received, not
    rejected) and paid (invoices paid) in a year, grouped by supplier, purchase category,
    budget line or month. Four queries, whatever the number of rows."""
    commitment_key, invoiced_key, paid_key = _group_keys(by)
    commitments = restrict(Commitment.objects.all(), user).filter(
        committed_on__year=year, status=Commitment.Status.ACTIVE
    )
    invoices = restrict(Invoice.objects.all(), user).filter(is_rejected=False)
    figures = {
        "ordered": _grouped(commitments, commitment_key, "amount"),
        "invoiced": _grouped(
            invoices.filter(received_on__year=year), invoiced_key, "amount_incl_tax"
        ),
        "paid": _grouped(invoices.filter(paid_on__year=year), paid_key, "amount_incl_tax"),
    }
    keys = set().union(*(set(values) for values in figures.values()))
    if by == "month":
        keys = range(1, 13)
        labels = {month: capfirst(str(MONTHS[month])) for month in keys}
        objects = {}
    else:
        model = {"supplier": Company, "category": PurchaseCategory}.get(by, BudgetLine)
        objects = model.objects.in_bulk([key for key in keys if key is not None])
        labels = {key: str(obj) for key, obj in objects.items()}
        labels[None] = {
            "supplier": _("No supplier"),
            "category": _("No purchase category"),
            "budget_line": _("No budget line"),
        }[by]
    rows = [
        {
            "key": key,
            "label": labels.get(key, "—"),
            "object": objects.get(key),
            **{name: values.get(key, 0) for name, values in figures.items()},
        }
        for key in keys
    ]
    if by != "month":
        rows.sort(key=lambda row: (-row["ordered"], -row["invoiced"], row["label"]))
    totals = {name: sum(values.values()) for name, values in figures.items()}
    return rows, totals


# The page shows the largest rows; the others are summed on one line (the XLSX lists them all).
SPENDING_SCREEN_ROWS = 50


def screen_rows(rows, limit=None):
    """(rows shown, the others summed) of a spending report: the first `limit` rows, then one
    line with how many rows are left and their sums (None when all are shown).

    A year holds about a thousand suppliers: drawn as table rows they took four fifths of the
    page's time (1.1 s of 1.5 s at medium size) for a list nobody reads to the end.
    """
    limit = SPENDING_SCREEN_ROWS if limit is None else limit
    if len(rows) <= limit:
        return rows, None
    rest = rows[limit:]
    others = {"count": len(rest)}
    for name in ("ordered", "invoiced", "paid"):
        others[name] = sum(row[name] for row in rest)
    return rows[:limit], others


class SpendingView(InternalReportMixin, View):
    """Spending of a year (?year=, the current one by default) grouped by supplier, purchase
    category, budget line or month (?by=), on screen or in XLSX."""

    report_model = Commitment
    fmt = "html"

    def get(self, request):
        today = timezone.localdate()
        year = _year(request.GET.get("year"), today.year)
        by = request.GET.get("by")
        by = by if by in GROUPINGS else "supplier"
        rows, totals = spending_report(year, by, request.user)
        if self.fmt == "xlsx":
            header = [
                GROUPINGS[by],
                _("Ordered incl. tax"),
                _("Invoiced incl. tax"),
                _("Paid incl. tax"),
            ]
            lines = [[row["label"], row["ordered"], row["invoiced"], row["paid"]] for row in rows]
            lines.append([_("Total"), totals["ordered"], totals["invoiced"], totals["paid"]])
            return workbook_response(
                f"depenses-{year}-{by}.xlsx",
                [(_("Spending %(year)s") % {"year": year}, [header, *lines])],
            )
        years = set(FiscalYear.objects.values_list("year", flat=True))
        shown, others = screen_rows(rows)
        context = {
            "rows": rows,
            "shown": shown,
            "others": others,
            "totals": totals,
            "year": year,
            "years": sorted({*years, year, today.year}, reverse=True),
            "by": by,
            "by_label": GROUPINGS[by],
            "groupings": GROUPINGS.items(),
            "maximum": max((max(r["ordered"], r["invoiced"]) for r in rows), default=0),
        }
        return render(request, "procurement/contracts/spending.html", context)


def framework_lots(threshold, user):
    """Lots of framework contracts in force whose orders reach `threshold` % of their maximum
    (with the lot's amendments), the fullest first. One query."""
    lots = lots_with_consumption(
        restrict(ContractLot.objects.all(), user).filter(
            contract__is_framework=True,
            contract__status=Contract.Status.IN_FORCE,
            maximum_excl_tax__isnull=False,
        )
    ).select_related("contract")
    # Compared in integers, by the database: ordered * 100 >= threshold * ceiling.
    lots = (
        lots.alias(
            lot_ceiling=F("maximum_excl_tax") + F("amendments_total"),
        )
        .alias(
            scaled_ordered=F("ordered_total") * 100,
            scaled_ceiling=F("lot_ceiling") * threshold,
        )
        .filter(ordered_total__gt=0, scaled_ordered__gte=F("scaled_ceiling"))
    )
    rows = [Consumption(lot) for lot in lots]
    rows.sort(key=lambda row: (-(row.percent or 0), row.lot.contract.reference, row.lot.number))
    return rows


def _threshold(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return WARNING_PERCENT
    return value if 1 <= value <= 1000 else WARNING_PERCENT


class FrameworkConsumptionView(InternalReportMixin, View):
    """Framework contracts close to their maximum (?threshold=, 80 % by default), on screen or
    in XLSX."""

    report_model = PurchaseOrder
    fmt = "html"

    def get(self, request):
        threshold = _threshold(request.GET.get("threshold"))
        rows = framework_lots(threshold, request.user)
        if self.fmt == "xlsx":
            header = [
                _("Contract"),
                _("Lot"),
                _("Holder"),
                _("End of execution"),
                _("Maximum excl. tax"),
                _("Amendments"),
                _("Current ceiling"),
                _("Ordered excl. tax"),
                _("Remaining to order"),
                _("% consumed"),
            ]
            lines = [
                [
                    row.lot.contract.reference,
                    f"{row.lot.number} — {row.lot.title}",
                    str(row.lot.holder or ""),
                    row.lot.contract.end_date,
                    row.initial,
                    row.amendments,
                    row.ceiling,
                    row.ordered,
                    row.remaining,
                    float(row.percent or 0),
                ]
                for row in rows
            ]
            return workbook_response(
                f"marches-bons-de-commande-{threshold}.xlsx",
                [(_("Framework contracts"), [header, *lines])],
            )
        context = {"rows": rows, "threshold": threshold, "default_threshold": WARNING_PERCENT}
        return render(request, "procurement/contracts/framework_consumption.html", context)


urlpatterns = [
    path("contracts/<int:pk>/sheet/", ContractSheetView.as_view(), name="contract_sheet"),
    path("spending/", SpendingView.as_view(), name="spending"),
    path("spending/xlsx/", SpendingView.as_view(fmt="xlsx"), name="spending_xlsx"),
    path(
        "framework-consumption/",
        FrameworkConsumptionView.as_view(),
        name="framework_consumption",
    ),
    path(
        "framework-consumption/xlsx/",
        FrameworkConsumptionView.as_view(fmt="xlsx"),
        name="framework_consumption_xlsx",
    ),
]
