"""Reports of the IT park in the API: licence compliance and telecom costs.

The figures come from `licences.compliance` and `telecom.month_report` / `year_trend`, the
functions the report pages use, on the records the user may view.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dpti.core.api.figures import ApiReport
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from dpti.itpark import licences as licence_rules
from dpti.itpark import telecom
from dpti.itpark.models import Licence, TelecomLine

# --- Licence compliance -----------------------------------------------------------------------


class ComplianceQuery(serializers.Serializer):
    """Query parameters of the licence compliance."""

    status = serializers.ChoiceField(
        choices=[licence_rules.OVER_USED, licence_rules.UNDER_USED],
        required=False,
        help_text=_("Only the over-used or the under-used products."),
    )


class ProductComplianceSerializer(serializers.Serializer):
    """The compliance of one software product (its licences added up)."""

    product = serializers.CharField(help_text=_("Product name."))
    licences = serializers.IntegerField(help_text=_("Number of licences of the product."))
    site = serializers.BooleanField(help_text=_("True when a site licence covers it (unlimited)."))
    owned = serializers.IntegerField(help_text=_("Units owned."))
    assigned = serializers.IntegerField(help_text=_("Units assigned."))
    balance = serializers.IntegerField(
        allow_null=True, help_text=_("Owned minus assigned; null for a site licence.")
    )
    percent_used = serializers.IntegerField(
        allow_null=True, help_text=_("Share of the owned units in use (%).")
    )
    status = serializers.ChoiceField(
        choices=list(licence_rules.STATUSES), help_text=_("over_used, under_used or compliant.")
    )
    status_label = serializers.CharField(help_text=_("The status, in words."))
    next_renewal = serializers.DateField(allow_null=True, help_text=_("Next renewal date."))
    annual_cost = serializers.IntegerField(help_text=_("Yearly cost (XPF)."))


class ComplianceTotalsSerializer(serializers.Serializer):
    """Counts by status over every product, whatever the status asked for."""

    products = serializers.IntegerField(help_text=_("Number of products."))
    over_used = serializers.IntegerField(help_text=_("Over-used products."))
    under_used = serializers.IntegerField(help_text=_("Under-used products."))
    annual_cost = serializers.IntegerField(help_text=_("Yearly cost of every product (XPF)."))


class LicenceComplianceSerializer(serializers.Serializer):
    """Licence compliance by product."""

    products = ProductComplianceSerializer(many=True, help_text=_("Products shown."))
    shown_cost = serializers.IntegerField(help_text=_("Yearly cost of the products shown."))
    totals = ComplianceTotalsSerializer()


def licence_compliance(request, params):
    """The compliance page's figures, on the licences the user may view."""
    products = licence_rules.compliance(restrict(Licence.objects.all(), request.user))
    shown = licence_rules.filtered(products, params.get("status", ""))
    return {
        "products": shown,
        "shown_cost": sum(product.annual_cost for product in shown),
        "totals": {**licence_rules.totals(products)},
    }


registry.add_api_report(
    ApiReport(
        app_label="itpark",
        name="licence-compliance",
        model=Licence,
        compute=licence_compliance,
        serializer=LicenceComplianceSerializer,
        query_serializer=ComplianceQuery,
        summary=_("Licence compliance"),
        description=_(
            "Per software product: units owned and assigned, balance, status (over-used, "
            "under-used, compliant), next renewal and yearly cost: the figures of the licence "
            "compliance page."
        ),
    )
)


# --- Telecom costs ----------------------------------------------------------------------------


class TelecomCostsQuery(serializers.Serializer):
    """Query parameters of the telecom costs."""

    month = serializers.RegexField(
        r"^\d{4}-\d{2}$",
        required=False,
        help_text=_("Month (YYYY-MM); the current one by default."),
    )


class CostGroupSerializer(serializers.Serializer):
    """Lines grouped under one service, kind or operator."""

    key = serializers.CharField(allow_null=True, help_text=_("Id or code of the group."))
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Lines billed."))
    total = serializers.IntegerField(help_text=_("Monthly cost (XPF)."))


class CostLineSerializer(serializers.Serializer):
    """A line billed in the month."""

    id = serializers.IntegerField()
    identifier = serializers.CharField()
    kind = serializers.CharField()
    operator = serializers.CharField(allow_null=True)
    monthly_cost = serializers.IntegerField(help_text=_("Monthly cost excl. tax (XPF)."))


class MonthTotalSerializer(serializers.Serializer):
    """The cost of one month of the year."""

    month = serializers.CharField(help_text=_("Month (YYYY-MM)."))
    total = serializers.IntegerField(help_text=_("Cost of the month (XPF)."))


class TelecomCostsSerializer(serializers.Serializer):
    """The telecom costs of a month, and the year's trend."""

    month = serializers.CharField(help_text=_("Month (YYYY-MM)."))
    count = serializers.IntegerField(help_text=_("Lines billed in the month."))
    total = serializers.IntegerField(help_text=_("Cost of the month (XPF)."))
    services = CostGroupSerializer(many=True, help_text=_("By service charged, dearest first."))
    kinds = CostGroupSerializer(many=True, help_text=_("By kind of line."))
    operators = CostGroupSerializer(many=True, help_text=_("By operator, dearest first."))
    lines = CostLineSerializer(many=True)
    trend = MonthTotalSerializer(many=True, help_text=_("The twelve months of the year."))
    year_total = serializers.IntegerField(help_text=_("Cost of the year (XPF)."))


def telecom_costs(request, params):
    """The telecom cost page's figures, on the lines the user may view."""
    lines = restrict(TelecomLine.objects.all(), request.user)
    month = telecom.parse_month(params.get("month"), timezone.localdate())
    report = telecom.month_report(lines, month)
    trend = telecom.year_trend(lines, month.year)
    return {
        "month": f"{month:%Y-%m}",
        "count": report.count,
        "total": report.total,
        "services": report.services,
        "kinds": report.kinds,
        "operators": report.operators,
        "lines": report.lines,
        "trend": [{"month": f"{first:%Y-%m}", "total": total} for first, total in trend],
        "year_total": sum(total for _first, total in trend),
    }


registry.add_api_report(
    ApiReport(
        app_label="itpark",
        name="telecom-costs",
        model=TelecomLine,
        compute=telecom_costs,
        serializer=TelecomCostsSerializer,
        query_serializer=TelecomCostsQuery,
        summary=_("Telecom costs"),
        description=_(
            "The lines billed in a month and their cost by service charged, kind and "
            "operator, with the twelve months of the year: the figures of the telecom costs "
            "page."
        ),
    )
)
