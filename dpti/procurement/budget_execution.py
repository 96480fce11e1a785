"""Execution of a fiscal year's budget by section, chapter and line: the figures of the
budget execution page, its exports and the API."""

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from dpti.core.permissions import restrict
from dpti.directory.models import OrganisationUnit
from dpti.procurement.models import (
    BudgetAmendment,
    BudgetLine,
    Commitment,
    FiscalYear,
    Invoice,
    Section,
)

# The figures of a line, a chapter, a section and the whole year, in their column order.
FIGURES = ("voted_amount", "amendments_total", "open_credits", "committed_total", "paid_total")


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


def selected_fiscal_year(years, raw_year=None, raw_id=None):
    """The year asked for (?year=2026, or ?fiscal_year=<id> from the lines' list filter), or
    the latest open one, or the latest one."""
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


def budget_execution(user, year=None, fiscal_year_id=None, service_id=None, section=None):
    """The execution of a fiscal year's budget as the page shows it, for the lines the user
    may see: the year (`year`, `fiscal_year_id`, else the latest open one), the services that
    hold lines, the lines of one service and one section when asked for, grouped into
    sections and chapters with their subtotals and the year's total."""
    years = list(FiscalYear.objects.order_by("-year"))
    fiscal_year = selected_fiscal_year(years, year and str(year), fiscal_year_id)
    lines = restrict(BudgetLine.objects.all(), user).filter(fiscal_year=fiscal_year)
    services = OrganisationUnit.objects.filter(
        pk__in=lines.exclude(service=None).values("service_id")
    ).order_by("name")
    service = next((s for s in services if s.pk == as_int(service_id)), None)
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
    return {
        "fiscal_year": fiscal_year,
        "years": years,
        "services": services,
        "service": service,
        "section": section,
        "sections": sections,
        "total": total,
    }
