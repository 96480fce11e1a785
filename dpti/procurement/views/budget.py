"""Budget execution by line, programme authorisations and payment credits."""

from collections import defaultdict
from dataclasses import dataclass, field

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
from dpti.directory.models import OrganisationUnit
from dpti.procurement.models import (
    BudgetAmendment,
    BudgetLine,
    Commitment,
    FiscalYear,
    Invoice,
    PaymentCredit,
    ProgrammeAuthorisation,
    Section,
)

# The figures of a line, a chapter, a section and the whole year, in their column order.
FIGURES = ("voted_amount", "amendments_total", "open_credits", "committed_total", "paid_total")


def figure_labels():
    return {
        "voted_amount": _("Voted"),
        "amendments_total": _("Amendments (DM)"),
        "open_credits": _("Open credits"),
        "committed_total": _("Committed"),
        "paid_total": pgettext("amount", "Paid"),
        "available": _("Available"),
    }


def percent(part, whole):
    """A share in percent, one decimal; None when there is nothing to share."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass
class Totals:
    """The sums of a group of lines and its rates."""

    label: str = ""
    voted_amount: int = 0
    amendments_total: int = 0
    open_credits: int = 0
    committed_total: int = 0
    paid_total: int = 0

    def add(self, line):
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(line, name))

    @property
    def available(self):
        return self.open_credits - self.committed_total

    @property
    def committed_percent(self):
        return percent(self.committed_total, self.open_credits)

    @property
    def paid_percent(self):
        return percent(self.paid_total, self.open_credits)


@dataclass
class Chapter:
    code: str
    lines: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class SectionGroup:
    code: str
    label: str
    chapters: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)

    @property
    def title(self):
        titles = {
            Section.INVESTMENT: _("Investment section"),
            Section.OPERATING: _("Operating section"),
        }
        return titles.get(self.code, self.label)


def _sums_by_line(queryset, line_field, amount):
    """{budget line id: sum of `amount`} over the rows of a queryset, in one grouped query."""
    rows = queryset.order_by().values_list(line_field).annotate(total=Sum(amount))
    return {line_id: total or 0 for line_id, total in rows}


def with_execution_figures(lines):
    """The lines (a queryset) with the figures BudgetLine.with_execution() gives, summed line
    by line in three grouped queries instead of a correlated subquery per line and figure.

    The subqueries read a line's commitments then each one's invoices through an index, 200
    lines times a hundred commitments: 280 ms at medium size, and the planner's cost crossed
    the threshold of PostgreSQL's JIT compilation (another 120 ms). Grouped, each sum is one
    hash join. The sums are those of with_execution(): every amendment, active commitment and
    paid invoice of the line, whoever reads the report.
    """
    selected = lines.order_by().values("pk")
    amendments = _sums_by_line(
        BudgetAmendment.objects.filter(budget_line__in=selected), "budget_line_id", "amount"
    )
    committed = _sums_by_line(
        Commitment.objects.filter(budget_line__in=selected, status=Commitment.Status.ACTIVE),
        "budget_line_id",
        "amount",
    )
    paid = _sums_by_line(
        Invoice.objects.filter(commitment__budget_line__in=selected, paid_on__isnull=False),
        "commitment__budget_line_id",
        "amount_incl_tax",
    )
    lines = list(lines)
    for line in lines:
        line.amendments_total = amendments.get(line.pk, 0)
        line.committed_total = committed.get(line.pk, 0)
        line.paid_total = paid.get(line.pk, 0)
        line.open_credits = line.voted_amount + line.amendments_total
        line.available = line.open_credits - line.committed_total
    return lines


def with_rates(line):
    """A line read with_execution_figures(), given the rates the report shows."""
    line.committed_percent = percent(line.committed_total, line.open_credits)
    line.paid_percent = percent(line.paid_total, line.open_credits)
    return line


def group_lines(lines):
    """Lines (already sorted by section and chapter) grouped into sections, then chapters,
    with their subtotals and the year's total."""
    sections, total = [], Totals()
    labels = dict(Section.choices)
    for line in lines:
        if not sections or sections[-1].code != line.section:
            sections.append(SectionGroup(line.section, str(labels.get(line.section, ""))))
        section = sections[-1]
        if not section.chapters or section.chapters[-1].code != line.chapter:
            section.chapters.append(Chapter(line.chapter))
        chapter = section.chapters[-1]
        chapter.lines.append(with_rates(line))
        for totals in (chapter.totals, section.totals, total):
            totals.add(line)
    return sections, total


def selected_fiscal_year(request, years):
    """The year asked for (?year=2026, or ?fiscal_year=<id> from the lines' list filter), or
    the latest open one, or the latest one."""
    raw_year, raw_id = request.GET.get("year"), request.GET.get("fiscal_year")
    for year in years:
        if (raw_year and str(year.year) == raw_year) or (raw_id and str(year.pk) == raw_id):
            return year
    open_years = [year for year in years if year.status == FiscalYear.Status.OPEN]
    return (open_years or years or [None])[0]


def as_int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class BudgetExecutionView(InternalReportMixin, View):
    """The execution of a fiscal year's budget by section, chapter and line, on screen, in
    XLSX or in PDF (A4 landscape)."""

    report_model = BudgetLine

    fmt = "html"

    def get(self, request):
        years = list(FiscalYear.objects.order_by("-year"))
        fiscal_year = selected_fiscal_year(request, years)
        lines = restrict(BudgetLine.objects.all(), request.user).filter(fiscal_year=fiscal_year)
        services = OrganisationUnit.objects.filter(
            pk__in=lines.exclude(service=None).values("service_id")
        ).order_by("name")
        service = next((s for s in services if s.pk == as_int(request.GET.get("service"))), None)
        section = request.GET.get("section")
        section = section if section in Section.values else ""
        if service is not None:
            lines = lines.filter(service=service)
        if section:
            lines = lines.filter(section=section)
        lines = with_execution_figures(
            lines.select_related("service", "programme").order_by(
                "section", "chapter", "nature", "function", "code"
            )
        )
        sections, total = group_lines(lines)
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
