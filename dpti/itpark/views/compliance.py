"""Pages of the IT park: licence compliance by product, on screen and in XLSX."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from dpti.core.exports import workbook_response
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin
from dpti.itpark import licences as service
from dpti.itpark.models import Licence


def export_rows(products):
    """The spreadsheet's rows, header first; a site licence's owned and balance read « site »."""
    rows = [
        [
            _("Product"),
            _("Licences"),
            _("Units owned"),
            _("Units assigned"),
            _("Balance"),
            _("Status"),
            _("Next renewal"),
            _("Yearly cost (XPF)"),
        ]
    ]
    for product in products:
        site = _("site")
        rows.append(
            [
                product.product,
                product.licences,
                site if product.site else product.owned,
                product.assigned,
                site if product.site else product.balance,
                str(product.status_label),
                product.next_renewal,
                product.annual_cost,
            ]
        )
    return rows


class ComplianceView(InternalReportMixin, View):
    """Licence compliance by product (?status=over_used|under_used), or its XLSX export."""

    report_model = Licence

    def get(self, request):
        user = request.user
        status = request.GET.get("status", "")
        all_products = service.compliance(restrict(Licence.objects.all(), user))
        products = service.filtered(all_products, status)
        if request.GET.get("export") == "xlsx":
            stamp = timezone.localdate().strftime("%Y-%m-%d")
            return workbook_response(
                f"conformite-licences-{stamp}.xlsx",
                [(_("Licence compliance"), export_rows(products))],
            )
        context = {
            "products": products,
            "status": status,
            "totals": service.totals(all_products),
            "shown_cost": sum(p.annual_cost for p in products),
            "filters": [
                ("", _("All")),
                (service.OVER_USED, _("Over-used products")),
                (service.UNDER_USED, _("Under-used products")),
            ],
            "licence_list_url": reverse(registry.get(Licence).url_name("list")),
            "threshold": service.UNDER_USED_PERCENT,
        }
        return render(request, "itpark/licence_compliance.html", context)


urlpatterns = [
    path("licences/compliance/", ComplianceView.as_view(), name="licence_compliance"),
]
