"""Telecom costs: what the lines cost each month, by service charged, kind and operator.

A line is billed in a month from the month of its start date (always when it has none) and,
once terminated, until the month of its end date; a suspended line still costs its
subscription. A terminated line without an end date is taken as ended: nothing tells when it
was last billed, and counting it forever would inflate every month.

Every figure comes from one query over the lines (related rows joined), whatever the number of
services or operators: the report is computed in one pass in Python.
"""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext as _

from dpti.itpark.models import TelecomLine

Status = TelecomLine.Status


def month_start(day):
    """The first day of the month of `day`."""
    return day.replace(day=1)


def parse_month(raw, today):
    """'2026-03' → date(2026, 3, 1); the current month when missing or invalid."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= today.year + 5 else month_start(today)
    except ValueError:
        return month_start(today)


def billed_condition(first, last):
    """Q of the lines billed in the period from `first` (a 1st of month) to `last`."""
    started = Q(start_date__isnull=True) | Q(start_date__lte=last)
    ended = Q(status=Status.TERMINATED) & (Q(end_date__isnull=True) | Q(end_date__lt=first))
    return started & ~ended


def is_billed(line, month):
    """Whether the line is billed in the month starting on `month` (same rule as the Q)."""
    last = month + relativedelta(months=1, days=-1)
    if line.start_date and line.start_date > last:
        return False
    if line.status == Status.TERMINATED:
        return bool(line.end_date) and line.end_date >= month
    return True


@dataclass
class Group:
    """Lines grouped under one label (a service, a kind, an operator), with their cost."""

    key: object
    label: str
    count: int = 0
    total: int = 0


@dataclass
class CostReport:
    """The telecom costs of one month."""

    month: date
    lines: list = field(default_factory=list)
    services: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    operators: list = field(default_factory=list)
    total: int = 0

    @property
    def count(self):
        return len(self.lines)


def service_of(line):
    """The unit charged for a line: its own, else its holder's; None when neither."""
    if line.unit_id:
        return line.unit
    if line.holder_id and line.holder.unit_id:
        return line.holder.unit
    return None


def _add(groups, key, label, cost):
    group = groups.get(key)
    if group is None:
        group = groups[key] = Group(key, label)
    group.count += 1
    group.total += cost


def _by_cost(groups):
    """Dearest first; the label breaks ties so the order is stable."""
    return sorted(groups.values(), key=lambda group: (-group.total, str(group.label)))


def month_report(queryset, month):
    """The CostReport of the month starting on `month`, from the (restricted) line queryset."""
    last = month + relativedelta(months=1, days=-1)
    lines = list(
        queryset.filter(billed_condition(month, last))
        .select_related("unit", "holder__unit", "operator")
        .order_by("kind", "identifier")
    )
    report = CostReport(month=month, lines=lines)
    services, kinds, operators = {}, {}, {}
    kind_labels = dict(TelecomLine.Kind.choices)
    for line in lines:
        cost = line.monthly_cost or 0
        unit = service_of(line)
        _add(services, unit.pk if unit else None, str(unit) if unit else _("Not assigned"), cost)
        _add(kinds, line.kind, kind_labels.get(line.kind, line.kind), cost)
        operator = line.operator
        _add(
            operators,
            operator.pk if operator else None,
            str(operator) if operator else _("No operator"),
            cost,
        )
        report.total += cost
    report.services = _by_cost(services)
    # Kinds in their declared order, every kind shown (a zero says « none this month »).
    report.kinds = [kinds.get(value) or Group(value, label) for value, label in kind_labels.items()]
    report.operators = _by_cost(operators)
    return report


def year_trend(queryset, year):
    """[(first day of month, total cost)] for the twelve months of `year`, in one query."""
    first = date(year, 1, 1)
    last = date(year, 12, 31)
    rows = queryset.filter(billed_condition(first, last)).values_list(
        "start_date", "end_date", "status", "monthly_cost"
    )
    months = [date(year, number, 1) for number in range(1, 13)]
    totals = dict.fromkeys(months, 0)
    for start_date, end_date, status, cost in rows:
        line = TelecomLine(start_date=start_date, end_date=end_date, status=status)
        for month in months:
            if is_billed(line, month):
                totals[month] += cost or 0
    return list(totals.items())


def export_sheets(report, trend):
    """The sheets of the XLSX export: [(title, rows)], each header first."""

    def summary(groups, heading):
        yield [heading, _("Lines"), _("Monthly cost (XPF)")]
        for group in groups:
            yield [group.label, group.count, group.total]
        yield [_("Total"), report.count, report.total]

    def detail():
        yield [
            _("Number or identifier"),
            _("Kind"),
            _("Operator"),
            _("Subscription"),
            _("Holder"),
            _("Service charged"),
            _("Start date"),
            _("End of commitment"),
            _("Status"),
            _("Monthly cost (XPF)"),
        ]
        for line in report.lines:
            unit = service_of(line)
            yield [
                line.identifier,
                line.get_kind_display(),
                str(line.operator) if line.operator_id else "",
                line.subscription,
                str(line.holder) if line.holder_id else "",
                str(unit) if unit else _("Not assigned"),
                line.start_date,
                line.end_date,
                line.get_status_display(),
                line.monthly_cost,
            ]

    def trend_rows():
        yield [_("Month"), _("Monthly cost (XPF)")]
        for month, total in trend:
            yield [month.strftime("%m/%Y"), total]

    return [
        (_("By service"), summary(report.services, _("Service charged"))),
        (_("By kind"), summary(report.kinds, _("Kind"))),
        (_("By operator"), summary(report.operators, _("Operator"))),
        (_("Twelve months"), trend_rows()),
        (_("Lines"), detail()),
    ]
