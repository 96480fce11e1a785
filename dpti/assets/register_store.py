"""The stored register of fixed assets: built once, kept exact on every change, read in a query.

Computing a year's register from the assets costs a depreciation schedule per asset (50 s at
1 000 000 assets). Here the whole institution's register of every year is kept in a few
thousand `RegisterEntry` rows, one per (year, account, policy), holding what the assets add
to that year:

- flows, charged in their year: acquisitions, exits, allowance, written back, sale proceeds;
- changes of the stocks: +1 asset held the year it is acquired, -1 the year it leaves; its
  value enters the gross value at 1/1 the year after its acquisition and leaves it the year
  after its exit; each allowance enters the accumulated depreciation at 1/1 the next year…

The register of year Y sums the changes of the years up to Y and the flows of Y: one
aggregate query over those rows, whatever the number of assets. Since the entries are sums,
an asset's change is applied by adding its new entries and subtracting its old ones, in the
transaction that saves it (the store subscriptions declared in `object_types`); many assets
change at once only when a policy or a category's rule changes, and that deletes the
`RegisterBuild` mark: the next view rebuilds.

The schedules come from `dpti.assets.depreciation` as in `build_register`: assets that share
what a schedule depends on (category rule, value, policy, year — or day under M57 — of
acquisition and of exit) are grouped by the database and computed once.

Bulk writes send no signal (`bulk_create`, `queryset.update`): whoever uses them rebuilds
(the seeder, the demo) or calls `invalidate()`. A save outside any transaction still updates
the entries, but a rebuild starting between its commit and its entries could count it twice:
the application's saves are atomic (`save_object`, imports), and the nightly rebuild
(`manage.py refresh_asset_registers`) corrects any drift.
"""

import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone

from dpti.assets.depreciation import DEFAULT_POLICY, compute_schedule
from dpti.assets.models import (
    AccountingAccount,
    AccountingPolicy,
    Asset,
    AssetCategory,
    DepreciationMethod,
    Disposal,
    RegisterBuild,
    RegisterEntry,
)
from dpti.assets.register import FIGURES, AccountTotals, Register

# The stored columns, in the order of the lists built below.
COLUMNS = (
    "held_change",
    "lines_change",
    "gross_start_change",
    "cum_start_change",
    "acquisitions",
    "exits",
    "allowance",
    "written_back",
    "sale_proceeds",
)
HELD, LINES, GROSS, CUM, ACQUISITIONS, EXITS, ALLOWANCE, WRITTEN_BACK, SALE = range(len(COLUMNS))
CHANGES = COLUMNS[:4]
FLOWS = COLUMNS[4:]

# What a register line depends on; a save touching none of these changes no figure.
ASSET_FIELDS = frozenset(
    {"category", "category_id", "value", "acquisition_date", "service_date", "duration_override"}
)
DISPOSAL_FIELDS = frozenset({"asset", "asset_id", "state", "decision_date", "sale_price"})
CATEGORY_FIELDS = ("account_id", "is_depreciated", "duration_years", "always_capitalised")
POLICY_FIELDS = (
    "valid_from",
    "valid_to",
    "depreciation_method",
    "capitalisation_threshold",
    "one_year_threshold",
)


# --- Computing the entries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Category:
    is_depreciated: bool
    duration_years: int | None
    always_capitalised: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class _Asset:
    """What `compute_schedule` reads of an asset, for a group of alike assets."""

    value: int
    acquisition_date: date
    service_date: date | None
    duration_override: int | None
    category: _Category
    override_reason: str = ""

    @property
    def start_of_service(self):
        return self.service_date or self.acquisition_date


@dataclass(frozen=True, slots=True)
class _Decided:
    decision_date: date
    state: str = Disposal.State.DECIDED


@dataclass(frozen=True, slots=True)
class Rules:
    """The policies (newest first, the order `policy_for` ends up choosing in) and the
    categories' rules: two small queries, made once for a rebuild or a save."""

    policies: list
    categories: dict  # pk → (account pk, _Category)

    @classmethod
    def load(cls):
        policies = sorted(AccountingPolicy.objects.all(), key=lambda p: p.valid_from, reverse=True)
        rows = AssetCategory.objects.values_list(
            "pk", "account_id", "is_depreciated", "duration_years", "always_capitalised"
        )
        categories = {row[0]: (row[1], _Category(*row[2:])) for row in rows}
        return cls(policies, categories)


def _year(field):
    return Cast(ExtractYear(field), IntegerField())  # numeric in PostgreSQL: slower to group


def grouped_assets(queryset, policies):
    """Rows of alike assets with their count: what a schedule depends on, nothing more.

    The policy of each asset is chosen by the database as `policy_for` does (the newest in
    force on the acquisition date, 0 for the built-in defaults). Under M52 only the years of
    acquisition and exit matter; under M57 the days of entry into service and of exit too.
    """
    whens = []
    for policy in policies:  # newest first: the first matching one is the newest in force
        in_force = Q(acquisition_date__gte=policy.valid_from)
        if policy.valid_to is not None:
            in_force &= Q(acquisition_date__lte=policy.valid_to)
        whens.append(When(in_force, then=Value(policy.pk)))
    no_policy = Value(0, output_field=IntegerField())
    policy_key = Case(*whens, default=no_policy) if whens else no_policy
    m57 = [p.pk for p in policies if p.depreciation_method == DepreciationMethod.M57]
    if DEFAULT_POLICY.depreciation_method == DepreciationMethod.M57:
        m57.append(0)
    decided = Q(
        disposal__state=Disposal.State.DECIDED,
        disposal__decision_date__isnull=False,
    )
    annotations = {
        "policy_key": policy_key,
        "acquisition_year": _year("acquisition_date"),
        "exit_year": Case(When(decided, then=_year("disposal__decision_date"))),
        "sale": Case(When(decided, then=F("disposal__sale_price")), default=Value(0)),
    }
    if m57:
        under_m57 = Q(policy_key__in=m57)
        annotations["start"] = Case(
            When(under_m57, then=Coalesce("service_date", "acquisition_date"))
        )
        annotations["exit_date"] = Case(
            When(decided & under_m57, then=F("disposal__decision_date"))
        )
    else:
        annotations["start"] = Value(None, output_field=DateField())
        annotations["exit_date"] = Value(None, output_field=DateField())
    return (
        queryset.order_by()
        .annotate(**annotations)
        .values_list(
            "category_id",
            "value",
            "duration_override",
            "policy_key",
            "acquisition_year",
            "start",
            "exit_year",
            "exit_date",
            "sale",
        )
        .annotate(count=Count("pk"))
    )


def compute_entries(queryset=None, rules=None):
    """{(year, account pk, policy key): [figures in COLUMNS order]} of the assets.

    Follows `register.asset_year` line by line: an asset is in the register of year Y when
    acquired by 31/12/Y, capitalised, and not gone before 1/1/Y.
    """
    queryset = Asset.objects.all() if queryset is None else queryset
    rules = Rules.load() if rules is None else rules
    by_key = {p.pk: p for p in rules.policies}
    entries = {}

    def add(year, account, policy, column, amount):
        if amount:
            key = (year, account, policy)
            figures = entries.get(key)
            if figures is None:
                figures = entries[key] = [0] * len(COLUMNS)
            figures[column] += amount

    # A few tens of thousands of groups at most: read at once (a server-side cursor costs
    # 20 ms to open, too much for the save of one asset).
    for row in grouped_assets(queryset, rules.policies):
        category_id, value, override, policy_key = row[:4]
        acquired, start, exit_year, exit_date, sale, count = row[4:]
        if exit_year is not None and exit_year < acquired:
            continue  # out of every register: asset_year finds it gone before each year
        account, category = rules.categories[category_id]
        asset = _Asset(value or 0, date(acquired, 1, 1), start, override, category)
        decided = None
        if exit_year is not None:
            decided = _Decided(exit_date or date(exit_year, 12, 31))
        policy = by_key.get(policy_key, DEFAULT_POLICY)
        schedule = compute_schedule(asset, policy, decided)
        if not schedule.treatment.in_register:
            continue
        value = schedule.value * count
        add(acquired, account, policy_key, HELD, count)
        add(acquired, account, policy_key, LINES, count)
        add(acquired, account, policy_key, ACQUISITIONS, value)
        add(acquired + 1, account, policy_key, GROSS, value)
        written_back = 0
        for row_ in schedule.rows:
            allowance = row_.allowance * count
            if row_.year >= acquired:
                add(row_.year, account, policy_key, ALLOWANCE, allowance)
            # In the accumulated depreciation at 1/1 from the next year (or from the
            # acquisition year for an allowance dated before it).
            add(max(row_.year + 1, acquired), account, policy_key, CUM, allowance)
            written_back += allowance
        if exit_year is not None:
            add(exit_year, account, policy_key, HELD, -count)
            add(exit_year + 1, account, policy_key, LINES, -count)
            add(exit_year, account, policy_key, EXITS, value)
            add(exit_year + 1, account, policy_key, GROSS, -value)
            add(exit_year, account, policy_key, WRITTEN_BACK, written_back)
            add(exit_year + 1, account, policy_key, CUM, -written_back)
            add(exit_year, account, policy_key, SALE, (sale or 0) * count)
    return entries


# --- Reading a year ---------------------------------------------------------------------------


def current_build():
    """The mark of the last rebuild, or None when the stored register is stale."""
    return RegisterBuild.objects.order_by("-computed_at").first()


def stored_register(year):
    """The whole institution's register of a year from the stored entries (three queries)."""
    figures = {
        **{name: Coalesce(Sum(name), 0) for name in CHANGES},
        **{name: Coalesce(Sum(name, filter=Q(year=year)), 0) for name in FLOWS},
    }
    rows = (
        RegisterEntry.objects.filter(year__lte=year)
        .order_by()
        .values("account_id", "policy_key")
        .annotate(**figures)
    )
    by_account = {}
    used_policies = set()
    for row in rows:
        if row["lines_change"] <= 0:
            continue  # no asset of this account and policy in this year's register
        used_policies.add(row["policy_key"])
        sums = by_account.setdefault(row["account_id"], dict.fromkeys(COLUMNS, 0))
        for name in COLUMNS:
            sums[name] += row[name]
    accounts = AccountingAccount.objects.filter(pk__in=by_account).values_list(
        "pk", "number", "label"
    )
    register = Register(year=year)
    for pk, number, label in accounts:
        totals = AccountTotals(account_id=pk, number=number, label=label)
        _fill(totals, by_account[pk])
        register.accounts.append(totals)
        for name in ("count", *FIGURES):
            setattr(register.total, name, getattr(register.total, name) + getattr(totals, name))
    register.accounts.sort(key=lambda t: t.number)
    policies = {p.pk: p for p in AccountingPolicy.objects.filter(pk__in=used_policies - {0})}
    register.policies = sorted(
        [policies[pk] for pk in used_policies if pk in policies], key=lambda p: p.valid_from
    )
    if 0 in used_policies:
        register.policies.insert(0, DEFAULT_POLICY)
    return register


def _fill(totals, sums):
    totals.count = sums["held_change"]
    totals.gross_start = sums["gross_start_change"]
    totals.acquisitions = sums["acquisitions"]
    totals.exits = sums["exits"]
    totals.gross_end = totals.gross_start + totals.acquisitions - totals.exits
    totals.cum_start = sums["cum_start_change"]
    totals.allowance = sums["allowance"]
    totals.written_back = sums["written_back"]
    totals.cum_end = totals.cum_start + totals.allowance - totals.written_back
    totals.nbv_end = totals.gross_end - totals.cum_end
    totals.sale_proceeds = sums["sale_proceeds"]


def institution_register(year):
    """(register of the year, when its figures were computed), rebuilding them when stale."""
    build = current_build()
    if build is None:
        build = rebuild(only_if_stale=True)
    return stored_register(year), build.computed_at


# --- Writing ----------------------------------------------------------------------------------


def _lock_entries():
    """Keep every other writer of the entries out until the end of the transaction.

    A rebuild reads the assets after taking this lock: a save whose entries are already
    written is committed first (the rebuild sees it), a later one waits and adds its change
    to the rebuilt entries. Readers are not blocked.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {RegisterEntry._meta.db_table} IN EXCLUSIVE MODE")


def rebuild(only_if_stale=False):
    """Recompute every year's entries from all the assets, in one transaction; the new mark."""
    started = time.monotonic()
    with transaction.atomic():
        _lock_entries()
        if only_if_stale:
            build = current_build()
            if build is not None:  # rebuilt by another request while this one waited
                return build
        if connection.vendor == "postgresql":
            # Room to group a million assets in memory (1.4 s instead of 2.3 s with a sort
            # on disk at 1 000 000 assets); for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '128MB'")
        entries = compute_entries()
        RegisterEntry.objects.all().delete()
        RegisterEntry.objects.bulk_create(
            (
                RegisterEntry(
                    year=year,
                    account_id=account,
                    policy_key=policy,
                    **dict(zip(COLUMNS, figures, strict=True)),
                )
                for (year, account, policy), figures in sorted(entries.items())
            ),
            batch_size=2000,
        )
        RegisterBuild.objects.all().delete()
        return RegisterBuild.objects.create(
            computed_at=timezone.now(), seconds=round(time.monotonic() - started, 3)
        )


def invalidate():
    """Mark the stored register stale (a policy or a category rule changed): rebuilt when read.

    Deleting the entries also waits for a rebuild in progress, so that its result, maybe
    computed with the old rule, is not left marked valid.
    """
    RegisterEntry.objects.all().delete()
    RegisterBuild.objects.all().delete()


def apply_change(before, after):
    """Add the entries `after` and subtract the entries `before`, in one statement."""
    delta = {}
    for sign, entries in ((-1, before), (1, after)):
        for key, figures in entries.items():
            current = delta.setdefault(key, [0] * len(COLUMNS))
            for index, amount in enumerate(figures):
                current[index] += sign * amount
    rows = [(key, figures) for key, figures in sorted(delta.items()) if any(figures)]
    if not rows:
        return
    table = RegisterEntry._meta.db_table
    names = ("year", "account_id", "policy_key", *COLUMNS)
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(rows))
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COLUMNS)
    params = [value for key, figures in rows for value in (*key, *figures)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES {placeholders} "
            f"ON CONFLICT (year, account_id, policy_key) DO UPDATE SET {updates}",
            params,
        )


# --- Keeping the entries exact ------------------------------------------------------------------
# What the register watches is declared in `dpti.assets.object_types` (registry.keep_store).


def _asset_entries(asset_id, rules):
    return compute_entries(Asset.objects.filter(pk=asset_id), rules)


def asset_before(asset, deleting):
    """The asset's entries before the write (none for a new one)."""
    rules = Rules.load()
    known = asset.pk is not None and not asset._state.adding
    return rules, (_asset_entries(asset.pk, rules) if known else {})


def asset_after(asset, state, deleting):
    """Its entries go from those noted to the stored ones (none once deleted); a new asset
    has its key only now."""
    rules, before = state
    apply_change(before, {} if deleting else _asset_entries(asset.pk, rules))


def disposal_before(disposal, deleting):
    """The entries of the asset(s) the disposal concerns, before the write."""
    rules = Rules.load()
    assets = {disposal.asset_id}
    if not deleting and disposal.pk is not None and not disposal._state.adding:
        # A disposal moved to another asset changes both.
        stored = Disposal.objects.filter(pk=disposal.pk).values_list("asset_id", flat=True)
        assets.update(stored)
    return rules, {pk: _asset_entries(pk, rules) for pk in assets}


def disposal_after(disposal, state, deleting):
    """Each concerned asset's entries go from those noted to the stored ones."""
    rules, before = state
    for pk, entries in before.items():
        apply_change(entries, _asset_entries(pk, rules))


def _rule_changed(model, instance, fields):
    """Whether a saved category or policy changes any figure (a rename does not)."""
    if instance.pk is None or instance._state.adding:
        return model is AccountingPolicy  # a new policy may take over assets' dates
    stored = model.objects.filter(pk=instance.pk).values(*fields).first()
    if stored is None:
        return True
    return any(stored[name] != getattr(instance, name) for name in fields)


def category_before(category, deleting):
    """A category whose rule changes makes the whole register stale (True), a rename not."""
    return (not deleting and _rule_changed(AssetCategory, category, CATEGORY_FIELDS)) or None


def policy_before(policy, deleting):
    """A policy created, deleted or changed in its rules makes the whole register stale."""
    return (deleting or _rule_changed(AccountingPolicy, policy, POLICY_FIELDS)) or None


def rules_after(instance, stale, deleting):
    """Many assets' figures follow a rule: the register is rebuilt when next read."""
    invalidate()
