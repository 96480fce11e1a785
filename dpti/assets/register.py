"""The register of fixed assets (état de l'actif) of a year, by accounting account.

For a year Y, every capitalised asset acquired by 31/12/Y and not disposed before 1/1/Y gives
one line of figures; the lines add up by account and in a grand total. The identities

    gross at 31/12 = gross at 1/1 + acquisitions - exits
    cumulated at 31/12 = cumulated at 1/1 + allowance - written back
    net book value at 31/12 = gross at 31/12 - cumulated at 31/12

hold on every line, hence on every total. The figures come from `dpti.assets.depreciation`,
recomputed from the assets: the register agrees with each asset's page by construction.
"""

from dataclasses import dataclass, field, fields
from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext

from dpti.assets.depreciation import compute_schedule, decided_disposal, policy_for
from dpti.assets.models import AccountingPolicy, Asset

FIGURES = (
    "gross_start",
    "acquisitions",
    "exits",
    "gross_end",
    "cum_start",
    "allowance",
    "written_back",
    "cum_end",
    "nbv_end",
    "sale_proceeds",
)


@dataclass(frozen=True, slots=True)
class AssetYear:
    """The figures of one asset in the register of a year."""

    asset: Asset
    schedule: object
    gross_start: int
    acquisitions: int
    exits: int
    gross_end: int
    cum_start: int
    allowance: int
    written_back: int
    cum_end: int
    nbv_end: int
    sale_proceeds: int
    leaves: bool = False  # gone out during the year (even at a value of 0)

    @property
    def in_register_at_end(self):
        """Still in the register on 31 December (not gone out during the year)."""
        return not self.leaves

    @property
    def exit_date(self):
        return self.schedule.exit_date if self.leaves else None


@dataclass
class Totals:
    """Sums of the figures of several assets; `count` is the assets still held at 31/12."""

    count: int = 0
    gross_start: int = 0
    acquisitions: int = 0
    exits: int = 0
    gross_end: int = 0
    cum_start: int = 0
    allowance: int = 0
    written_back: int = 0
    cum_end: int = 0
    nbv_end: int = 0
    sale_proceeds: int = 0

    def add(self, line):
        self.count += 1 if line.in_register_at_end else 0
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(line, name))

    def figures(self):
        return {f.name: getattr(self, f.name) for f in fields(Totals)}


@dataclass
class AccountTotals(Totals):
    """The totals of one accounting account."""

    account_id: int | None = None
    number: str = ""
    label: str = ""


@dataclass
class Register:
    """The register of a year: one total per account, the grand total, optionally the lines."""

    year: int
    accounts: list = field(default_factory=list)
    total: Totals = field(default_factory=Totals)
    policies: list = field(default_factory=list)
    lines: list | None = None


def asset_year(asset, policy, year):
    """The figures of an asset in the register of a year, or None when it is not in it.

    Out of the register: expensed goods, assets acquired after 31/12 of the year, assets
    whose decided disposal precedes 1/1 of the year.
    """
    if asset.acquisition_date > date(year, 12, 31):
        return None
    disposal = decided_disposal(asset)
    schedule = compute_schedule(asset, policy, disposal)
    if not schedule.treatment.in_register:
        return None
    exit_date = schedule.exit_date
    if exit_date and exit_date.year < year:
        return None
    value = schedule.value
    exits_now = bool(exit_date and exit_date.year == year)
    gross_start = value if asset.acquisition_date.year < year else 0
    acquisitions = value if asset.acquisition_date.year == year else 0
    exits = value if exits_now else 0
    cum_start = schedule.cumulated_before(year)
    allowance = schedule.allowance_in(year)
    written_back = cum_start + allowance if exits_now else 0
    gross_end = gross_start + acquisitions - exits
    cum_end = cum_start + allowance - written_back
    return AssetYear(
        asset=asset,
        schedule=schedule,
        gross_start=gross_start,
        acquisitions=acquisitions,
        exits=exits,
        gross_end=gross_end,
        cum_start=cum_start,
        allowance=allowance,
        written_back=written_back,
        cum_end=cum_end,
        nbv_end=gross_end - cum_end,
        sale_proceeds=(disposal.sale_price or 0) if exits_now else 0,
        leaves=exits_now,
    )


# The columns the register reads: loading only these (no timestamps, notes…) halves the time
# spent turning 50 000 rows into objects.
REGISTER_FIELDS = (
    "inventory_number",
    "label",
    "value",
    "acquisition_date",
    "service_date",
    "duration_override",
    "override_reason",
    "category__name",
    "category__is_depreciated",
    "category__duration_years",
    "category__always_capitalised",
    "category__account__number",
    "category__account__label",
    "disposal__state",
    "disposal__decision_date",
    "disposal__sale_price",
    "disposal__asset",
)


def register_queryset(year, queryset=None):
    """The candidate assets of a year's register in one query (account and disposal joined)."""
    queryset = Asset.objects.all() if queryset is None else queryset
    return (
        queryset.filter(acquisition_date__lte=date(year, 12, 31))
        .select_related("category__account", "disposal")
        .only(*REGISTER_FIELDS)
        .order_by("category__account__number", "acquisition_date", "inventory_number")
    )


def build_register(year, queryset=None, with_lines=False):
    """The register of a year from a queryset of assets (all assets by default).

    One query for the policies, one for the assets, read in chunks so that 50 000 assets
    stay within memory and time; `with_lines` keeps every asset's figures (for the detail
    sheet of the spreadsheet).
    """
    policies = list(AccountingPolicy.objects.all())
    register = Register(year=year, lines=[] if with_lines else None)
    by_account = {}
    used_policies = {}
    for asset in register_queryset(year, queryset).iterator(chunk_size=2000):
        policy = policy_for(asset, policies)
        line = asset_year(asset, policy, year)
        if line is None:
            continue
        account = asset.category.account
        totals = by_account.get(account.pk)
        if totals is None:
            totals = by_account[account.pk] = AccountTotals(
                account_id=account.pk, number=account.number, label=account.label
            )
        totals.add(line)
        register.total.add(line)
        used_policies[policy.pk] = policy
        if with_lines:
            register.lines.append(line)
    register.accounts = sorted(by_account.values(), key=lambda t: t.number)
    register.policies = list(used_policies.values())
    return register


def column_headers(year):
    """(figure, header) of the register's columns, dated for the year."""
    start, end = f"01/01/{year}", f"31/12/{year}"
    return [
        ("count", gettext("Assets at %(day)s") % {"day": end}),
        ("gross_start", gettext("Gross value at %(day)s") % {"day": start}),
        ("acquisitions", gettext("Acquisitions %(year)s") % {"year": year}),
        ("exits", gettext("Exits %(year)s (gross)") % {"year": year}),
        ("gross_end", gettext("Gross value at %(day)s") % {"day": end}),
        ("cum_start", gettext("Depreciation at %(day)s") % {"day": start}),
        ("allowance", gettext("Allowance %(year)s") % {"year": year}),
        ("written_back", gettext("Depreciation written back on exits")),
        ("cum_end", gettext("Depreciation at %(day)s") % {"day": end}),
        ("nbv_end", gettext("Net book value at %(day)s") % {"day": end}),
        ("sale_proceeds", gettext("Sale proceeds %(year)s") % {"year": year}),
    ]


def summary_rows(register):
    """The spreadsheet rows of the summary by account, header first, total last."""
    headers = column_headers(register.year)
    yield [gettext("Account"), gettext("Account label"), *(label for _name, label in headers)]
    for totals in register.accounts:
        yield [totals.number, totals.label, *(getattr(totals, name) for name, _l in headers)]
    yield [gettext("Total"), "", *(getattr(register.total, name) for name, _l in headers)]


def detail_rows(register):
    """The spreadsheet rows of every asset of the register, for the accountant to reconcile."""
    headers = column_headers(register.year)[1:]
    field_names = ("inventory_number", "label", "category")
    yield [
        *(capfirst(Asset._meta.get_field(name).verbose_name) for name in field_names),
        gettext("Account"),
        capfirst(Asset._meta.get_field("acquisition_date").verbose_name),
        gettext("Value (XPF)"),
        gettext("Rule"),
        gettext("Duration (years)"),
        gettext("Method"),
        *(label for _name, label in headers),
        gettext("Exit"),
    ]
    for line in register.lines or ():
        asset, schedule = line.asset, line.schedule
        yield [
            asset.inventory_number,
            asset.label,
            asset.category.name,
            asset.category.account.number,
            asset.acquisition_date,
            schedule.value,
            str(schedule.treatment.label),
            schedule.treatment.duration or "",
            schedule.method.upper() if schedule.treatment.is_depreciated else "",
            *(getattr(line, name) for name, _l in headers),
            line.exit_date or "",
        ]
