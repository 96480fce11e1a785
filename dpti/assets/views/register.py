"""The register of fixed assets (état de l'actif): page, spreadsheet and PDF of a year."""

from django.db.models import Min
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from dpti.assets.depreciation import policy_sentence
from dpti.assets.models import Asset
from dpti.assets.register import (
    build_register,
    column_headers,
    detail_rows,
    register_lines,
    selected_year,
    summary_rows,
)
from dpti.assets.register_store import institution_register
from dpti.core.exports import workbook_response
from dpti.core.pdf import pdf_response
from dpti.core.permissions import restrict, user_is_scoped
from dpti.core.registry import registry
from dpti.core.views.mixins import InternalReportMixin

FORMATS = ("html", "xlsx", "pdf")


class RegisterView(InternalReportMixin, View):
    """The register of a year (?year=YYYY, last year by default) on screen, in XLSX or PDF."""

    report_model = Asset

    fmt = "html"

    def get(self, request):
        user = request.user
        assets = restrict(Asset.objects.all(), user)
        today = timezone.localdate()
        years = year_choices(assets, today)
        year = selected_year(request.GET.get("year"), today)
        computed_at = None
        if user_is_scoped(user):
            # Only his own assets (InternalReportMixin refuses scoped users today): live.
            register = build_register(year, assets, with_lines=self.fmt == "xlsx")
            lines = register.lines
        else:
            register, computed_at = institution_register(year)
            lines = (line for line, _policy in register_lines(year, assets))
        if self.fmt == "xlsx":
            return workbook_response(
                f"etat-de-l-actif-{year}.xlsx",
                [
                    (_("By account"), summary_rows(register)),
                    (_("Assets"), detail_rows(year, lines)),
                ],
            )
        headers = column_headers(year)
        context = {
            "register": register,
            "computed_at": computed_at,
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "headers": headers,
            "labels": dict(headers),
            "figure_names": [name for name, _label in headers],
            "sections": page_sections(year),
            "policies": [policy_sentence(policy, named=False) for policy in register.policies],
            "asset_list_url": reverse(registry.get(Asset).url_name("list")),
        }
        if self.fmt == "pdf":
            return pdf_response(
                "assets/pdf/register.html", context, f"etat-de-l-actif-{year}.pdf", request
            )
        return render(request, "assets/register.html", context)


def page_sections(year):
    """The page's two tables: gross values, then depreciation and net value (one is too wide)."""
    return [
        {
            "title": _("Gross values by account, %(year)s") % {"year": year},
            "columns": [
                ("count", _("Assets held")),
                ("gross_start", _("at 01/01")),
                ("acquisitions", _("Acquisitions")),
                ("exits", _("Exits")),
                ("gross_end", _("at 31/12")),
            ],
        },
        {
            "title": _("Depreciation and net book value by account, %(year)s") % {"year": year},
            "columns": [
                ("cum_start", _("Accumulated at 01/01")),
                ("allowance", _("Allowance")),
                ("written_back", _("Written back")),
                ("cum_end", _("Accumulated at 31/12")),
                ("nbv_end", _("Net book value")),
                ("sale_proceeds", _("Sale proceeds")),
            ],
        },
    ]


def year_choices(assets, today):
    """From the first acquisition to the current year."""
    first = assets.aggregate(first=Min("acquisition_date"))["first"]
    first_year = min(first.year if first else today.year - 1, today.year - 1)
    return list(range(today.year, first_year - 1, -1))


urlpatterns = [
    path("register/", RegisterView.as_view(), name="register"),
    path("register/xlsx/", RegisterView.as_view(fmt="xlsx"), name="register_xlsx"),
    path("register/pdf/", RegisterView.as_view(fmt="pdf"), name="register_pdf"),
]
