"""Depreciation of movable assets: treatment, straight-line schedules (M52 and M57), asset panel.

The functions here are pure: they take an asset (saved or not), its accounting policy and,
when it matters, its disposal, and return frozen dataclasses. Nothing is stored: a schedule is
recomputed from the asset's value, dates and category whenever it is shown, so that a
corrected value or date changes every figure consistently.

Amounts are whole XPF. Rounding is half-up on integers (no float), and the last allowance
absorbs the rounding so that the allowances add up exactly to the value.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.assets.models import AccountingPolicy, DepreciationMethod, Disposal
from dpti.core.display import format_xpf, quoted

EXPENSED = "expensed"
NOT_DEPRECIATED = "not_depreciated"
ONE_YEAR = "one_year"
STRAIGHT_LINE = "straight_line"

RULE_LABELS = {
    EXPENSED: _("Operating expense"),
    NOT_DEPRECIATED: _("Not depreciated"),
    ONE_YEAR: _("Depreciated in one year"),
    STRAIGHT_LINE: _("Straight-line depreciation"),
}


@dataclass(frozen=True, slots=True)
class DefaultPolicy:
    """The rules applied when no accounting policy is in force on the acquisition date."""

    name: str = _("Built-in defaults (M52)")
    depreciation_method: str = DepreciationMethod.M52
    capitalisation_threshold: int = 59_666
    one_year_threshold: int = 0
    decision_reference: str = ""
    pk: None = None
    is_default: bool = True

    def get_depreciation_method_display(self):
        return DepreciationMethod(self.depreciation_method).label


DEFAULT_POLICY = DefaultPolicy()


@dataclass(frozen=True, slots=True)
class Treatment:
    """How an asset is accounted for; `reason` is the sentence that says why.

    The sentence is written only when shown: a register of 50 000 assets needs the rule of
    each, not 50 000 translated sentences.
    """

    rule: str
    duration: int | None
    why: str = ""
    facts: tuple = ()
    overridden: bool = False
    capitalised_anyway: bool = False

    @property
    def label(self):
        return RULE_LABELS[self.rule]

    @property
    def in_register(self):
        """Expensed goods are charges of the year: they never enter the register."""
        return self.rule != EXPENSED

    @property
    def is_depreciated(self):
        return self.rule in (ONE_YEAR, STRAIGHT_LINE)

    @property
    def reason(self):
        facts = {
            key: format_xpf(value) if key in ("value", "threshold") else value
            for key, value in self.facts
        }
        text = _reason_text(self.why) % facts
        if self.capitalised_anyway:
            text += " " + gettext("Its category is always capitalised, whatever the price.")
        return text


def _reason_text(why):
    texts = {
        "below_threshold": gettext(
            "Its value of %(value)s is below the capitalisation threshold of %(threshold)s "
            "(%(policy)s): an operating expense of its year, not recorded in the register of "
            "fixed assets."
        ),
        "category_not_depreciated": gettext(
            "The category « %(category)s » is not depreciated: the asset stays in the register "
            "at its value, without allowance."
        ),
        "one_year": gettext(
            "Its value of %(value)s is below the one-year threshold of %(threshold)s: "
            "depreciated in one year."
        ),
        "override": gettext(
            "Depreciated over %(years)s years instead of the %(default)s years of its category. "
            "Reason: %(reason)s"
        ),
        # A category saved without its duration (the form forbids it): depreciating over a
        # guessed duration would be worse than saying so.
        "no_duration": gettext(
            "The category « %(category)s » has no depreciation duration: no allowance is "
            "computed until it is given one."
        ),
        "category_duration": gettext(
            "Depreciated over %(years)s years, the duration of its category « %(category)s »."
        ),
    }
    return texts[why]


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One year of a schedule; `is_exit` marks the year the asset leaves the register."""

    year: int
    opening: int
    allowance: int
    cumulated: int
    closing: int
    is_exit: bool = False


@dataclass(frozen=True, slots=True)
class Schedule:
    """The depreciation schedule of an asset under a policy, cut at its decided disposal."""

    value: int
    policy: object
    treatment: Treatment
    rows: tuple[ScheduleRow, ...]
    exit_date: date | None = None
    exit_value: int | None = None  # net book value written off at the exit

    @property
    def method(self):
        return self.policy.depreciation_method

    @property
    def total_allowances(self):
        return sum(row.allowance for row in self.rows)

    def cumulated_before(self, year):
        """Cumulated depreciation at 1 January of the year."""
        return sum(row.allowance for row in self.rows if row.year < year)

    def allowance_in(self, year):
        """The allowance charged in the year (0 outside the schedule)."""
        return sum(row.allowance for row in self.rows if row.year == year)


def round_half_up(numerator, denominator):
    """numerator / denominator rounded half-up, on non-negative integers (no float error)."""
    return (2 * numerator + denominator) // (2 * denominator)


def days_in_year(year):
    return 366 if calendar.isleap(year) else 365


def policy_for(asset, policies=None):
    """The policy in force on the asset's acquisition date, or the built-in defaults.

    `policies` (any iterable of AccountingPolicy) lets a report choose in memory instead of
    asking the database once per asset; it must hold every policy.
    """
    day = asset.acquisition_date
    if policies is None:
        return AccountingPolicy.objects.in_force(day) or DEFAULT_POLICY
    candidates = [
        p for p in policies if p.valid_from <= day and (p.valid_to is None or p.valid_to >= day)
    ]
    if not candidates:
        return DEFAULT_POLICY
    return max(candidates, key=lambda p: p.valid_from)


def treatment(asset, policy):
    """The rule an asset follows under a policy (expensed, not depreciated, one year, duration)."""
    category = asset.category
    value = asset.value or 0
    below_threshold = value < policy.capitalisation_threshold
    if below_threshold and not category.always_capitalised:
        facts = (
            ("value", value),
            ("threshold", policy.capitalisation_threshold),
            ("policy", policy.name),
        )
        return Treatment(EXPENSED, None, "below_threshold", facts)
    if not category.is_depreciated:
        facts = (("category", category.name),)
        return Treatment(
            NOT_DEPRECIATED, None, "category_not_depreciated", facts, False, below_threshold
        )
    if policy.one_year_threshold > 0 and value < policy.one_year_threshold:
        facts = (
            ("value", value),
            ("threshold", policy.one_year_threshold),
        )
        return Treatment(ONE_YEAR, 1, "one_year", facts, False, below_threshold)
    if asset.duration_override:
        facts = (
            ("years", asset.duration_override),
            ("default", category.duration_years or "—"),
            ("reason", asset.override_reason or "—"),
        )
        return Treatment(
            STRAIGHT_LINE, asset.duration_override, "override", facts, True, below_threshold
        )
    if not category.duration_years:
        return Treatment(NOT_DEPRECIATED, None, "no_duration", (("category", category.name),))
    facts = (("years", category.duration_years), ("category", category.name))
    return Treatment(
        STRAIGHT_LINE, category.duration_years, "category_duration", facts, False, below_threshold
    )


_FROM_ASSET = object()


def decided_disposal(asset):
    """The asset's disposal when it is decided and dated (a proposal changes nothing)."""
    try:
        disposal = asset.disposal
    except ObjectDoesNotExist:
        return None
    if disposal is None or disposal.state != Disposal.State.DECIDED:
        return None
    return disposal if disposal.decision_date else None


def _planned_allowances(value, duration, method, start, acquisition_year):
    """(first year, allowances, rounded annual) of the full schedule, before any disposal."""
    annual = round_half_up(value, duration)
    if method == DepreciationMethod.M57:
        year_days = days_in_year(start.year)
        days = (date(start.year, 12, 31) - start).days + 1
        first = round_half_up(annual * days, year_days)
        # A partial first year pushes the remainder into one more calendar year.
        planned = [first] + [annual] * (duration if days < year_days else duration - 1)
        first_year = start.year
    else:
        planned = [annual] * duration
        first_year = acquisition_year + 1
    allowances = []
    remaining = value
    for index, amount in enumerate(planned):
        amount = remaining if index == len(planned) - 1 else min(amount, remaining)
        allowances.append(amount)
        remaining -= amount
        if remaining == 0:
            break
    return first_year, allowances, annual


def _exit_allowance(method, annual, start, exit_date, remaining):
    """The allowance of the exit year: none in M52; M57 counts the days up to the decision."""
    if method != DepreciationMethod.M57:
        return 0
    counted_from = max(date(exit_date.year, 1, 1), start)
    if exit_date < counted_from:
        return 0
    days = (exit_date - counted_from).days + 1
    return min(round_half_up(annual * days, days_in_year(exit_date.year)), remaining)


def compute_schedule(asset, policy, disposal=_FROM_ASSET):
    """The yearly rows of the asset's depreciation, ending at its decided disposal if any.

    `disposal` defaults to the asset's own decided disposal; pass None to ignore it, or a
    Disposal to try one out.
    """
    if disposal is _FROM_ASSET:
        disposal = decided_disposal(asset)
    elif disposal is not None and (
        disposal.state != Disposal.State.DECIDED or not disposal.decision_date
    ):
        disposal = None
    value = asset.value or 0
    rule = treatment(asset, policy)
    exit_date = disposal.decision_date if disposal else None
    if not rule.is_depreciated or value <= 0:
        exit_value = value if exit_date and rule.in_register else None
        return Schedule(value, policy, rule, (), exit_date, exit_value)

    method = policy.depreciation_method
    start = asset.start_of_service
    first_year, allowances, annual = _planned_allowances(
        value, rule.duration, method, start, asset.acquisition_date.year
    )
    rows = []
    cumulated = 0
    for offset, allowance in enumerate(allowances):
        year = first_year + offset
        if exit_date and year >= exit_date.year:
            break
        opening = value - cumulated
        cumulated += allowance
        rows.append(ScheduleRow(year, opening, allowance, cumulated, value - cumulated))
    exit_value = None
    if exit_date:
        opening = value - cumulated
        allowance = _exit_allowance(method, annual, start, exit_date, opening)
        cumulated += allowance
        exit_value = value - cumulated
        rows.append(
            ScheduleRow(exit_date.year, opening, allowance, cumulated, exit_value, is_exit=True)
        )
    return Schedule(value, policy, rule, tuple(rows), exit_date, exit_value)


def schedule_for(asset):
    """The schedule of a stored asset under the policy in force on its acquisition date."""
    return compute_schedule(asset, policy_for(asset))


def position_on(asset, schedule, day):
    """(whether the asset is in the register of fixed assets on `day`, its net book value then).

    As the register counts: an asset enters it on its acquisition date unless expensed, and
    leaves it on the date its disposal is decided; a year's allowance is charged on
    31 December, so between two year ends the value is that of the last one (on 31/12/Y it is
    the register's net book value at 31/12/Y). The value is None outside the register.
    """
    exit_date = schedule.exit_date
    if (
        not schedule.treatment.in_register
        or asset.acquisition_date > day
        or (exit_date is not None and exit_date <= day)
    ):
        return False, None
    cumulated = schedule.cumulated_before(day.year)
    if (day.month, day.day) == (12, 31):
        cumulated += schedule.allowance_in(day.year)
    return True, schedule.value - cumulated


def policy_sentence(policy, named=True):
    """Which rules were applied, in words, for the screen and the documents.

    `named=False` leaves out the word « policy » where the page already says it.
    """
    method = policy.get_depreciation_method_display()
    if getattr(policy, "is_default", False):
        return gettext(
            "No accounting policy is in force on the acquisition date: built-in defaults "
            "applied (%(method)s; capitalisation threshold %(threshold)s)."
        ) % {"method": method, "threshold": format_xpf(policy.capitalisation_threshold)}
    name = quoted(policy.name)
    text = gettext("Policy « %(name)s »") % {"name": policy.name} if named else name
    if policy.decision_reference:
        text += f" ({policy.decision_reference})"
    return text + " — " + method + "."


def schedule_panel(asset):
    """The 'Depreciation' card of an asset's page: treatment, rule applied and schedule."""
    schedule = schedule_for(asset)
    return {
        "title": gettext("Depreciation"),
        "id": "depreciation",
        "template": "assets/panels/depreciation.html",
        "context": {
            "schedule": schedule,
            "treatment": schedule.treatment,
            "policy_sentence": policy_sentence(schedule.policy),
            "start_of_service": asset.start_of_service,
            "current_year": timezone.localdate().year,
        },
    }
