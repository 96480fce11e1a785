"""Budget execution by line, programme authorisations and payment credits."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from dpti.core.exports import workbook_response
from dpti.core.pdf import pdf_response
from dpti.core.permissions import has_model_permission, restrict, user_is_scoped
from dpti.core.views.mixins import InternalReportMixin
from dpti.procurement.budget_execution import (
    FIGURES,
    budget_execution,
    percent,
)
from dpti.procurement.models import (
    BudgetLine,
    Commitment,
    Invoice,
    PaymentCredit,
    ProgrammeAuthorisation,
    Section,
)


def figure_labels():
    return {
        "voted_amount": _("Voted"),
        "amendments_total": _("Amendments (DM)"),
        "open_credits": _("Open credits"),
        "committed_total": _("Committed"),
        "paid_total": pgettext("amount", "Paid"),
        "available": _("Available"),
    }


class BudgetExecutionView(InternalReportMixin, View):
    """The execution of a fiscal year's budget by section, chapter and line, on screen, in
    XLSX or in PDF (A4 landscape)."""

    report_model = BudgetLine

    fmt = "html"

    def get(self, request):
        report = budget_execution(
            request.user,
            year=request.GET.get("year"),
            fiscal_year_id=request.GET.get("fiscal_year"),
            service_id=request.GET.get("service"),
            section=request.GET.get("section"),
        )
        fiscal_year, years = report["fiscal_year"], report["years"]
        services, service = report["services"], report["service"]
        section, sections, total = report["section"], report["sections"], report["total"]
        year_label = fiscal_year.year if fiscal_year else ""
        scope = ", ".join(
            str(part)
            for part in (
                service.name if service else "",
                dict(Section.choices)[section] if section else "",
            )
            if part
        )
        if self.fmt == "xlsx":
            return workbook_response(
                f"execution-budgetaire-{year_label}.xlsx", execution_sheets(sections, total)
            )
        query = {
            key: value
            for key, value in (
                ("year", year_label),
                ("service", service.pk if service else ""),
                ("section", section),
            )
            if value
        }
        context = {
            "fiscal_year": fiscal_year,
            "years": years,
            "services": services,
            "service": service,
            "section": section,
            "section_choices": Section.choices,
            "sections": sections,
            "total": total,
            "scope": scope,
            "labels": figure_labels(),
            "query": urlencode(query),
        }
        if self.fmt == "pdf":
            return pdf_response(
                "procurement/budget/pdf/execution.html",
                context,
                f"execution-budgetaire-{year_label}.pdf",
                request,
            )
        return render(request, "procurement/budget/execution.html", context)


def execution_sheets(sections, total):
    """One sheet: every line, then the chapter, section and year totals."""
    labels = figure_labels()
    header = [
        _("Section"),
        _("Chapter"),
        _("Code"),
        _("Label"),
        _("Nature"),
        _("Function"),
        _("Service"),
        _("AP/AE"),
        *(labels[name] for name in (*FIGURES, "available")),
        _("% committed"),
        _("% paid"),
    ]

    def figures(item):
        return [
            *(getattr(item, name) for name in (*FIGURES, "available")),
            item.committed_percent,
            item.paid_percent,
        ]

    rows = [header]
    for section in sections:
        for chapter in section.chapters:
            for line in chapter.lines:
                rows.append(
                    [
                        section.label,
                        chapter.code,
                        line.code,
                        line.label,
                        line.nature,
                        line.function,
                        line.service.name if line.service else "",
                        line.programme.reference if line.programme else "",
                        *figures(line),
                    ]
                )
            rows.append(
                [
                    section.label,
                    chapter.code,
                    "",
                    _("Total chapter %(chapter)s") % {"chapter": chapter.code},
                    *[""] * 4,
                    *figures(chapter.totals),
                ]
            )
        rows.append(
            [
                section.label,
                "",
                "",
                _("Total %(section)s") % {"section": section.label},
                *[""] * 4,
                *figures(section.totals),
            ]
        )
    rows.append(["", "", "", _("Total"), *[""] * 4, *figures(total)])
    return [(_("Budget execution"), rows)]


# Programme authorisations -------------------------------------------------------------------


@dataclass
class YearFigures:
    year: int
    planned: int = 0
    committed: int = 0
    paid: int = 0


@dataclass
class Programme:
    """An authorisation with its payment credits and what its lines committed and paid."""

    authorisation: ProgrammeAuthorisation
    years: list
    planned: int
    committed: int
    paid: int

    @property
    def remaining_to_commit(self):
        return self.authorisation.amount - self.committed

    @property
    def committed_not_paid(self):
        return max(self.committed - self.paid, 0)

    @property
    def committed_percent(self):
        return percent(self.committed, self.authorisation.amount)

    @property
    def paid_percent(self):
        return percent(self.paid, self.authorisation.amount)


def build_programmes(authorisations):
    """Each authorisation with, by year, its planned CP and what the budget lines linked to
    it committed (active commitments) and paid (paid invoices), in three queries."""
    ids = [a.pk for a in authorisations]
    by_year = defaultdict(dict)
    credits = PaymentCredit.objects.filter(authorisation_id__in=ids).values_list(
        "authorisation_id", "year", "amount"
    )
    for pk, year, amount in credits:
        by_year[pk].setdefault(year, YearFigures(year)).planned += amount
    committed = (
        Commitment.objects.filter(
            budget_line__programme_id__in=ids, status=Commitment.Status.ACTIVE
        )
        .values_list("budget_line__programme_id", "budget_line__fiscal_year__year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for pk, year, amount in committed:
        by_year[pk].setdefault(year, YearFigures(year)).committed += amount
    paid = (
        Invoice.objects.filter(commitment__budget_line__programme_id__in=ids, paid_on__isnull=False)
        .values_list(
            "commitment__budget_line__programme_id", "commitment__budget_line__fiscal_year__year"
        )
        .annotate(total=Sum("amount_incl_tax"))
        .order_by()
    )
    for pk, year, amount in paid:
        by_year[pk].setdefault(year, YearFigures(year)).paid += amount
    programmes = []
    for authorisation in authorisations:
        years = sorted(by_year[authorisation.pk].values(), key=lambda y: y.year)
        programmes.append(
            Programme(
                authorisation,
                years,
                planned=sum(y.planned for y in years),
                committed=sum(y.committed for y in years),
                paid=sum(y.paid for y in years),
            )
        )
    return programmes


class ProgrammesView(InternalReportMixin, View):
    """Programme and commitment authorisations (AP/AE): amount, payment credits by year, what
    their lines committed and paid, what remains to commit; on screen or in XLSX."""

    report_model = ProgrammeAuthorisation

    fmt = "html"

    def get(self, request):
        authorisations = restrict(ProgrammeAuthorisation.objects.all(), request.user)
        kind = request.GET.get("kind")
        kind = kind if kind in ProgrammeAuthorisation.Kind.values else ""
        if kind:
            authorisations = authorisations.filter(kind=kind)
        show_inactive = request.GET.get("inactive") == "1"
        if not show_inactive:
            authorisations = authorisations.filter(is_active=True)
        programmes = build_programmes(list(authorisations.order_by("reference")))
        if self.fmt == "xlsx":
            return workbook_response(
                "autorisations-de-programme.xlsx", programme_sheets(programmes)
            )
        totals = {
            name: sum(getattr(p, name) for p in programmes)
            for name in ("planned", "committed", "paid", "remaining_to_commit")
        }
        totals["amount"] = sum(p.authorisation.amount for p in programmes)
        query = "&".join(
            part
            for part in (f"kind={kind}" if kind else "", "inactive=1" if show_inactive else "")
            if part
        )
        context = {
            "programmes": programmes,
            "totals": totals,
            "kind": kind,
            "kind_choices": ProgrammeAuthorisation.Kind.choices,
            "show_inactive": show_inactive,
            "query": query,
        }
        return render(request, "procurement/budget/programmes.html", context)


def programme_sheets(programmes):
    """The authorisations, then their figures by year."""
    summary = [
        [
            _("Reference"),
            _("Label"),
            _("Kind"),
            _("Authorised amount"),
            _("Payment credits planned"),
            _("Committed"),
            pgettext("amount", "Paid"),
            _("Remaining to commit"),
            _("Active"),
        ]
    ]
    by_year = [
        [
            _("Reference"),
            _("Year"),
            _("Payment credits planned"),
            _("Committed"),
            pgettext("amount", "Paid"),
        ]
    ]
    for programme in programmes:
        authorisation = programme.authorisation
        summary.append(
            [
                authorisation.reference,
                authorisation.label,
                authorisation.get_kind_display(),
                authorisation.amount,
                programme.planned,
                programme.committed,
                programme.paid,
                programme.remaining_to_commit,
                authorisation.is_active,
            ]
        )
        for year in programme.years:
            by_year.append(
                [authorisation.reference, year.year, year.planned, year.committed, year.paid]
            )
    return [(_("Authorisations"), summary), (_("By year"), by_year)]


def budget_line_list_actions(request):
    """Buttons of the budget lines' list: the execution report, for internal readers."""
    user = request.user
    if not has_model_permission(user, BudgetLine, "view") or user_is_scoped(user):
        return []
    return [
        {
            "label": _("Budget execution"),
            "url": reverse("procurement:budget_execution"),
            "icon": "ti ti-chart-bar",
            "testid": "budget-execution",
        }
    ]


urlpatterns = [
    path("budget/execution/", BudgetExecutionView.as_view(), name="budget_execution"),
    path(
        "budget/execution/xlsx/",
        BudgetExecutionView.as_view(fmt="xlsx"),
        name="budget_execution_xlsx",
    ),
    path(
        "budget/execution/pdf/", BudgetExecutionView.as_view(fmt="pdf"), name="budget_execution_pdf"
    ),
    path("budget/programmes/", ProgrammesView.as_view(), name="programmes"),
    path("budget/programmes/xlsx/", ProgrammesView.as_view(fmt="xlsx"), name="programmes_xlsx"),
]
