"""Telecom costs: the month's lines by service charged, kind and operator, and the year's trend."""

from dateutil.relativedelta import relativedelta
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views import View

from dpti.core.exports import workbook_response
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin
from dpti.itpark import telecom
from dpti.itpark.models import TelecomLine


class TelecomCostsView(InternalReportMixin, View):
    """The costs of a month (?month=YYYY-MM, the current one by default), on screen or in XLSX."""

    report_model = TelecomLine

    fmt = "html"

    def get(self, request):
        user = request.user
        lines = restrict(TelecomLine.objects.all(), user)
        today = timezone.localdate()
        month = telecom.parse_month(request.GET.get("month"), today)
        report = telecom.month_report(lines, month)
        trend = telecom.year_trend(lines, month.year)
        if self.fmt == "xlsx":
            return workbook_response(
                f"couts-telecoms-{month:%Y-%m}.xlsx", telecom.export_sheets(report, trend)
            )
        context = {
            "report": report,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "previous_month": f"{month - relativedelta(months=1):%Y-%m}",
            "next_month": f"{month + relativedelta(months=1):%Y-%m}",
            "current_month": f"{today:%Y-%m}",
            "trend": [(m, total, f"{m:%Y-%m}") for m, total in trend],
            "trend_max": max((total for _m, total in trend), default=0),
            "year_total": sum(total for _m, total in trend),
            "line_list_url": reverse(registry.get(TelecomLine).url_name("list")),
        }
        return render(request, "itpark/telecom_costs.html", context)


urlpatterns = [
    path("telecom-lines/costs/", TelecomCostsView.as_view(), name="telecom_costs"),
    path(
        "telecom-lines/costs/xlsx/",
        TelecomCostsView.as_view(fmt="xlsx"),
        name="telecom_costs_xlsx",
    ),
]
