"""Payment delays: the report for the hierarchy and the invoice's panel.

The panel explains, in words, how the delay of one invoice was counted (the rule is in
`procurement.payments`); the report gives a year's payment performance, supplier by supplier,
with the late invoices and the unpaid ones already past due.
"""

import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, Sum
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View

from dpti.core.display import format_number
from dpti.core.exports import workbook_response
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin
from dpti.procurement import payments
from dpti.procurement.models import Invoice

# --- The invoice's panel ---------------------------------------------------------------------


def invoice_panels(invoice, request):
    """Cards of an invoice's page: how its payment delay and interest were counted."""
    context = payments.delay_explanation(invoice)
    context["rate_text"] = format_number(context["rate"]) if context.get("rate") else ""
    if context.get("rate_row"):
        context["reference_text"] = format_number(context["rate_row"].reference_rate)
        context["margin_text"] = format_number(context["rate_row"].margin_points)
    return [
        {
            "title": gettext("Payment delay"),
            "id": "payment-delay",
            "template": "procurement/payments/invoice_panel.html",
            "context": context,
        }
    ]


# --- The year's report -----------------------------------------------------------------------


def parse_year(value, today):
    """The year asked for (?year=2026), the current one when missing or not a plausible year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def one_decimal(value):
    """A mean or a share rounded to one decimal (None when there is nothing to average)."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The page lists the most late invoices only; the XLSX export lists them all.
PAGE_LIST_LIMIT = 100
# And the suppliers with the most invoices paid late (a year has about a thousand suppliers).
PAGE_SUPPLIER_LIMIT = 50


class Median(Aggregate):
    """PostgreSQL's median of a column (the mean of the two middle values of an even count,
    as statistics.median), nulls left out."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_of(queryset, field, figures):
    """The median of a column: in the aggregate's own query on PostgreSQL (`figures` is the
    dict of aggregates to add it to), else read the values and count here."""
    if connection.vendor == "postgresql":
        figures["median"] = Median(field)
        return None
    values = [v for v in queryset.order_by().values_list(field, flat=True) if v is not None]
    return statistics.median(values) if values else None


def year_report(invoices, year, today, limit=None):
    """The year's figures: invoices paid in the year (their delay, the interest owed), by
    supplier, the late ones, and the unpaid invoices past due today (the `limit` most late of
    each list). A fixed number of queries, whatever the number of invoices."""
    paid = invoices.filter(
        is_rejected=False,
        paid_on__gte=datetime.date(year, 1, 1),
        paid_on__lte=datetime.date(year, 12, 31),
    )
    aggregates = {
        "count": Count("pk"),
        "amount": Sum("amount_incl_tax"),
        "mean": Avg("payment_days"),
        "late": Count("pk", filter=Q(late_days__gt=0)),
        "interest": Sum("late_interest"),
        "indemnities": Sum("recovery_indemnity"),
    }
    # The median was the days of every invoice of the year read into Python and sorted by the
    # invoices' default order (40 ms of 15 000 rows at medium size): PostgreSQL computes it.
    median = median_of(paid, "payment_days", aggregates)
    figures = paid.aggregate(**aggregates)
    median = figures.get("median", median)
    figures["median"] = one_decimal(median) if median is not None else None
    figures["mean"] = one_decimal(figures["mean"])
    figures["late_share"] = (
        one_decimal(Decimal(figures["late"]) * 100 / figures["count"]) if figures["count"] else None
    )
    for name in ("amount", "interest", "indemnities"):
        figures[name] = figures[name] or 0
    figures["owed"] = figures["interest"] + figures["indemnities"]
    overdue = invoices.filter(is_rejected=False, paid_on__isnull=True, due_on__lt=today)
    overdue_figures = overdue.aggregate(
        count=Count("pk"),
        amount=Sum("amount_incl_tax"),
        interest=Sum("late_interest"),
        indemnities=Sum("recovery_indemnity"),
    )
    for name in ("amount", "interest", "indemnities"):
        overdue_figures[name] = overdue_figures[name] or 0
    suppliers = list(
        paid.values("supplier_id", "supplier__name")
        .annotate(
            count=Count("pk"),
            mean=Avg("payment_days"),
            late=Count("pk", filter=Q(late_days__gt=0)),
            interest=Sum("late_interest"),
            indemnities=Sum("recovery_indemnity"),
        )
        .order_by("-late", "supplier__name")
    )
    for row in suppliers:
        row["mean"] = one_decimal(row["mean"])
        row["owed"] = (row["interest"] or 0) + (row["indemnities"] or 0)
    late = paid.filter(late_days__gt=0).select_related("supplier")
    late = late.order_by("-late_days", "paid_on", "number")
    overdue_list = overdue.select_related("supplier").order_by("due_on", "number")
    if limit is not None:
        late, overdue_list = late[:limit], overdue_list[:limit]
    return {
        "figures": figures,
        "overdue": overdue_figures,
        "suppliers": suppliers,
        "late": list(late),
        "overdue_list": list(overdue_list),
    }


def export_sheets(report, year, today):
    """The report as spreadsheet sheets: key figures, by supplier, late and overdue invoices."""
    figures, overdue = report["figures"], report["overdue"]
    summary = [
        (gettext("Figure"), gettext("Value")),
        (gettext("Invoices paid in %(year)s") % {"year": year}, figures["count"]),
        (gettext("Amount paid incl. tax (XPF)"), figures["amount"]),
        (gettext("Mean payment delay (days)"), figures["mean"]),
        (gettext("Median payment delay (days)"), figures["median"]),
        (gettext("Invoices paid late"), figures["late"]),
        (gettext("Share paid late (%)"), figures["late_share"]),
        (gettext("Late-payment interest (XPF)"), figures["interest"]),
        (gettext("Recovery indemnities (XPF)"), figures["indemnities"]),
        (gettext("Total owed (XPF)"), figures["owed"]),
        (
            gettext("Unpaid invoices past due on %(day)s") % {"day": f"{today:%d/%m/%Y}"},
            overdue["count"],
        ),
        (gettext("Amount of the unpaid invoices past due (XPF)"), overdue["amount"]),
    ]
    by_supplier = [
        (
            gettext("Supplier"),
            gettext("Invoices paid"),
            gettext("Mean delay (days)"),
            gettext("Paid late"),
            gettext("Interest (XPF)"),
            gettext("Indemnities (XPF)"),
        ),
        *(
            (
                row["supplier__name"],
                row["count"],
                row["mean"],
                row["late"],
                row["interest"] or 0,
                row["indemnities"] or 0,
            )
            for row in report["suppliers"]
        ),
    ]
    invoice_header = (
        gettext("Register number"),
        gettext("Supplier"),
        gettext("Supplier's invoice number"),
        gettext("Amount incl. tax (XPF)"),
        gettext("Received on"),
        gettext("Due on"),
        gettext("Paid on"),
        gettext("Days late"),
        gettext("Interest (XPF)"),
        gettext("Indemnity (XPF)"),
    )

    def invoice_row(invoice):
        return (
            invoice.number,
            str(invoice.supplier),
            invoice.supplier_reference,
            invoice.amount_incl_tax,
            invoice.received_on,
            invoice.due_on,
            invoice.paid_on,
            invoice.late_days,
            invoice.late_interest,
            invoice.recovery_indemnity,
        )

    return [
        (gettext("Key figures"), summary),
        (gettext("By supplier"), by_supplier),
        (gettext("Paid late"), [invoice_header, *map(invoice_row, report["late"])]),
        (gettext("Unpaid past due"), [invoice_header, *map(invoice_row, report["overdue_list"])]),
    ]


class PaymentDelaysView(InternalReportMixin, View):
    """The payment delays of a year (?year=2026, the current one by default), on screen or in
    XLSX; internal roles only."""

    report_model = Invoice
    fmt = "html"

    def get(self, request):
        today = timezone.localdate()
        year = parse_year(request.GET.get("year"), today)
        invoices = restrict(Invoice.objects.all(), request.user)
        limit = None if self.fmt == "xlsx" else PAGE_LIST_LIMIT
        report = year_report(invoices, year, today, limit=limit)
        if self.fmt == "xlsx":
            return workbook_response(
                f"delais-de-paiement-{year}.xlsx", export_sheets(report, year, today)
            )
        figures = report["figures"]
        context = {
            "report": report,
            "figures": figures,
            "overdue": report["overdue"],
            "year": year,
            "current_year": today.year,
            "today": today,
            "mean_text": format_number(figures["mean"]) if figures["mean"] is not None else None,
            "median_text": (
                format_number(figures["median"]) if figures["median"] is not None else None
            ),
            "late_share_text": (
                format_number(figures["late_share"]) if figures["late_share"] is not None else None
            ),
            # The suppliers with the most invoices paid late: drawing the thousand suppliers
            # of a year took two thirds of the page's time (the XLSX export lists them all).
            "suppliers": [
                {**row, "mean_text": format_number(row["mean"]) if row["mean"] is not None else ""}
                for row in report["suppliers"][:PAGE_SUPPLIER_LIMIT]
            ],
            "supplier_count": len(report["suppliers"]),
            "supplier_limit": PAGE_SUPPLIER_LIMIT,
            "invoice_list_url": reverse(registry.get(Invoice).url_name("list")),
            "list_limit": PAGE_LIST_LIMIT,
        }
        return render(request, "procurement/payments/payment_delays.html", context)


urlpatterns = [
    path("payment-delays/", PaymentDelaysView.as_view(), name="payment_delays"),
    path("payment-delays/xlsx/", PaymentDelaysView.as_view(fmt="xlsx"), name="payment_delays_xlsx"),
]
