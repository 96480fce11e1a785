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
from dpti.assets.models import AccountingPolicy, Asset, AssetCategory

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


# The columns the register reads, as plain rows: building 1 000 000 model instances (with
# their category, account and disposal) took two thirds of the time of a register.
REGISTER_COLUMNS = (
    "inventory_number",
    "label",
    "value",
    "acquisition_date",
    "service_date",
    "duration_override",
    "override_reason",
    "category_id",
    "disposal__state",
    "disposal__decision_date",
    "disposal__sale_price",
)
CATEGORY_COLUMNS = (
    "pk",
    "name",
    "is_depreciated",
    "duration_years",
    "always_capitalised",
    "account_id",
    "account__number",
    "account__label",
)


@dataclass(frozen=True, slots=True)
class LineAccount:
    pk: int
    number: str
    label: str


@dataclass(frozen=True, slots=True)
class LineCategory:
    """What a register line reads of a category (as `depreciation.treatment` does)."""

    pk: int
    name: str
    is_depreciated: bool
    duration_years: int | None
    always_capitalised: bool
    account: LineAccount


@dataclass(frozen=True, slots=True)
class LineDisposal:
    state: str
    decision_date: date | None
    sale_price: int


@dataclass(frozen=True, slots=True)
class LineAsset:
    """What a register line reads of an asset: the depreciation functions take it as an asset."""

    inventory_number: str
    label: str
    value: int
    acquisition_date: date
    service_date: date | None
    duration_override: int | None
    override_reason: str
    category: LineCategory
    disposal: LineDisposal | None

    @property
    def start_of_service(self):
        return self.service_date or self.acquisition_date


def register_assets(year, queryset=None):
    """The candidate assets of a year's register, by account then date, read as plain rows.

    Two queries (categories, assets), the assets in chunks so that memory stays flat.
    """
    queryset = Asset.objects.all() if queryset is None else queryset
    categories = {}
    for pk, name, depreciated, duration, capitalised, *account in AssetCategory.objects.values_list(
        *CATEGORY_COLUMNS
    ):
        categories[pk] = LineCategory(
            pk, name, depreciated, duration, capitalised, LineAccount(*account)
        )
    rows = (
        queryset.filter(acquisition_date__lte=date(year, 12, 31))
        .order_by("category__account__number", "acquisition_date", "inventory_number")
        .values_list(*REGISTER_COLUMNS)
    )
    for row in rows.iterator(chunk_size=5000):
        state, decision_date, sale_price = row[8:]
        yield LineAsset(
            *row[:7],
            category=categories[row[7]],
            disposal=None if state is None else LineDisposal(state, decision_date, sale_price),
        )


def register_lines(year, queryset=None, policies=None):
    """(asset line, policy) of every asset in the register of the year, one at a time."""
    policies = list(AccountingPolicy.objects.all()) if policies is None else policies
    for asset in register_assets(year, queryset):
        policy = policy_for(asset, policies)
        line = asset_year(asset, policy, year)
        if line is not None:
            yield line, policy


def build_register(year, queryset=None, with_lines=False):
    """The register of a year computed from a queryset of assets (all assets by default).

    Three queries (policies, categories, assets); `with_lines` keeps every asset's figures.
    The page reads the whole institution's register from `register_store` instead; this is
    the computation it is checked against, and the register of a subset of the assets.
    """
    register = Register(year=year, lines=[] if with_lines else None)
    by_account = {}
    used_policies = {}
    for line, policy in register_lines(year, queryset):
        account = line.asset.category.account
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


def selected_year(raw, today):
    """The year asked for, or last year (the one being closed) when missing or invalid."""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return today.year - 1
    return year if 1900 <= year <= today.year + 1 else today.year - 1


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


def detail_rows(year, lines):
    """The spreadsheet rows of every asset of the register, for the accountant to reconcile.

    `lines` may be a generator (`register_lines`): a million rows are never held at once.
    """
    headers = column_headers(year)[1:]
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
    for line in lines:
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
