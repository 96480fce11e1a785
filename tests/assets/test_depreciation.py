"""Depreciation rules: treatment, straight-line schedules in M52 and M57, disposals, panel.

Most tests build unsaved objects (factories' `build`): the schedule functions are pure, so
the worked examples run without the database. The arithmetic is written beside each one.
"""

import itertools
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dpti.assets import depreciation
from dpti.assets.depreciation import (
    DEFAULT_POLICY,
    EXPENSED,
    NOT_DEPRECIATED,
    ONE_YEAR,
    STRAIGHT_LINE,
    compute_schedule,
    policy_for,
    round_half_up,
    treatment,
)
from dpti.assets.models import AccountingPolicy, AssetCategory, Disposal
from dpti.core import roles
from dpti.core.registry import registry
from dpti.core.services import save_object
from tests.factories import (
    AccountingPolicyFactory,
    AssetCategoryFactory,
    AssetFactory,
    DisposalFactory,
)

M52 = AccountingPolicyFactory.build(name="M52 test", depreciation_method="m52")
M57 = AccountingPolicyFactory.build(name="M57 test", depreciation_method="m57")


def build_asset(value, acquired, years=5, service=None, **category):
    """An unsaved asset of an unsaved category depreciated over `years`."""
    category.setdefault("duration_years", years)
    return AssetFactory.build(
        value=value,
        acquisition_date=acquired,
        service_date=service,
        category=AssetCategoryFactory.build(**category),
    )


def allowances(schedule):
    return [(row.year, row.allowance) for row in schedule.rows]


def decided(asset, day, **kwargs):
    return DisposalFactory.build(
        asset=asset, state=Disposal.State.DECIDED, decision_date=day, **kwargs
    )


def test_round_half_up_on_integers():
    """Halves round up, everything else to the nearest XPF, without float error."""
    assert round_half_up(5, 2) == 3  # 2.5 → 3
    assert round_half_up(7, 2) == 4  # 3.5 → 4
    assert round_half_up(100_000, 3) == 33_333  # 33 333.33 → 33 333
    assert round_half_up(200_000, 3) == 66_667  # 66 666.67 → 66 667
    assert round_half_up(10**18 + 1, 2) == 5 * 10**17 + 1  # 5e17 + 0.5 → up, exactly


def test_m52_five_years_full_allowances_from_the_year_after_acquisition():
    """M52: 1 000 000 XPF bought 15/03/2024 over 5 years gives 200 000 in 2025…2029."""
    asset = build_asset(1_000_000, date(2024, 3, 15), years=5)
    schedule = compute_schedule(asset, M52)
    # 1 000 000 / 5 = 200 000; no prorata, first year = 2024 + 1.
    assert allowances(schedule) == [(year, 200_000) for year in range(2025, 2030)]
    assert [row.opening for row in schedule.rows] == [1_000_000, 800_000, 600_000, 400_000, 200_000]
    assert [row.cumulated for row in schedule.rows][-1] == 1_000_000
    assert schedule.rows[-1].closing == 0
    assert schedule.treatment.rule == STRAIGHT_LINE
    assert schedule.exit_date is None


def test_last_year_absorbs_the_rounding():
    """100 000 XPF over 3 years: 33 333, 33 333, then 33 334 so that the total is exact."""
    schedule = compute_schedule(build_asset(100_000, date(2024, 6, 1), years=3), M52)
    # 100 000 / 3 = 33 333.33 → 33 333; last = 100 000 - 2 * 33 333 = 33 334.
    assert allowances(schedule) == [(2025, 33_333), (2026, 33_333), (2027, 33_334)]
    assert schedule.total_allowances == 100_000


def test_m57_prorata_from_entry_into_service_on_1_july():
    """M57: service on 01/07/2025 (365-day year) charges 184/365 of the annual, one more year."""
    asset = build_asset(1_000_000, date(2025, 6, 10), years=5, service=date(2025, 7, 1))
    schedule = compute_schedule(asset, M57)
    # Annual 1 000 000 / 5 = 200 000. 01/07 → 31/12 inclusive = 31+31+30+31+30+31 = 184 days.
    # 2025: 200 000 * 184 / 365 = 100 821.92 → 100 822.
    # 2026…2029: 200 000 each (cumulated 900 822); 2030: 1 000 000 - 900 822 = 99 178.
    assert allowances(schedule) == [
        (2025, 100_822),
        (2026, 200_000),
        (2027, 200_000),
        (2028, 200_000),
        (2029, 200_000),
        (2030, 99_178),
    ]
    assert schedule.total_allowances == 1_000_000


def test_m57_prorata_uses_the_rounded_annual_and_the_remainder():
    """M57: 100 000 over 3 years from 01/07/2025 gives 16 803, 33 333, 33 333, 16 531."""
    asset = build_asset(100_000, date(2025, 7, 1), years=3)  # service = acquisition date
    schedule = compute_schedule(asset, M57)
    # Annual 33 333; 2025: 33 333 * 184 / 365 = 16 803.48 → 16 803.
    # 2028: 100 000 - 16 803 - 2 * 33 333 = 16 531.
    assert allowances(schedule) == [(2025, 16_803), (2026, 33_333), (2027, 33_333), (2028, 16_531)]


def test_m57_service_on_1_january_has_exactly_duration_years():
    """M57: service on 01/01/2025 is a full first year: 5 * 200 000 in 2025…2029."""
    asset = build_asset(1_000_000, date(2024, 12, 20), years=5, service=date(2025, 1, 1))
    schedule = compute_schedule(asset, M57)
    # 01/01 → 31/12 = 365/365 of 200 000 = 200 000; five rows, no sixth year.
    assert allowances(schedule) == [(year, 200_000) for year in range(2025, 2030)]


def test_m57_leap_year_counts_366_days():
    """M57: service 01/07/2024 in a leap year: 200 000 * 184 / 366 = 100 546.45 → 100 546."""
    asset = build_asset(1_000_000, date(2024, 7, 1), years=5)
    assert compute_schedule(asset, M57).rows[0].allowance == 100_546


def test_one_year_threshold_depreciates_in_one_year():
    """Under the one-year threshold: duration 1 (M52: all in the next year; M57: prorata)."""
    policy_m52 = AccountingPolicyFactory.build(one_year_threshold=200_000)
    asset = build_asset(150_000, date(2024, 5, 10), years=5)
    schedule = compute_schedule(asset, policy_m52)
    assert schedule.treatment.rule == ONE_YEAR
    assert schedule.treatment.duration == 1
    assert allowances(schedule) == [(2025, 150_000)]

    policy_m57 = AccountingPolicyFactory.build(
        depreciation_method="m57", one_year_threshold=200_000
    )
    asset = build_asset(150_000, date(2025, 10, 1), years=5)
    # 01/10 → 31/12 = 31+30+31 = 92 days: 150 000 * 92 / 365 = 37 808.22 → 37 808;
    # 2026: 150 000 - 37 808 = 112 192.
    assert allowances(compute_schedule(asset, policy_m57)) == [(2025, 37_808), (2026, 112_192)]


def test_one_year_threshold_zero_means_no_such_rule():
    """A threshold of 0 (the default) never shortens the duration."""
    schedule = compute_schedule(build_asset(60_000, date(2024, 1, 1), years=3), M52)
    assert schedule.treatment.rule == STRAIGHT_LINE
    assert allowances(schedule) == [(2025, 20_000), (2026, 20_000), (2027, 20_000)]


def test_below_capitalisation_threshold_is_expensed():
    """59 665 XPF < 59 666: an operating expense, no schedule, not in the register."""
    asset = build_asset(59_665, date(2024, 2, 1))
    schedule = compute_schedule(asset, DEFAULT_POLICY)
    assert schedule.treatment.rule == EXPENSED
    assert not schedule.treatment.in_register
    assert schedule.rows == ()
    with translation.override("en"):
        reason = treatment(asset, DEFAULT_POLICY).reason
    assert "59\u202f665\u202fXPF" in reason
    assert "59\u202f666\u202fXPF" in reason


def test_threshold_value_itself_is_capitalised():
    """Exactly 59 666 XPF is not below the threshold: capitalised and depreciated."""
    schedule = compute_schedule(build_asset(59_666, date(2024, 2, 1), years=2), DEFAULT_POLICY)
    # 59 666 / 2 = 29 833 in 2025 and 2026.
    assert allowances(schedule) == [(2025, 29_833), (2026, 29_833)]


def test_always_capitalised_category_is_depreciated_whatever_the_price():
    """Software at 30 000 XPF (always capitalised, 2 years) is depreciated: 15 000 * 2."""
    asset = build_asset(30_000, date(2025, 3, 20), years=2, always_capitalised=True)
    schedule = compute_schedule(asset, DEFAULT_POLICY)
    assert schedule.treatment.rule == STRAIGHT_LINE
    assert allowances(schedule) == [(2026, 15_000), (2027, 15_000)]


def test_non_depreciated_category_stays_at_value():
    """A work of art (not depreciated) is in the register with no allowance."""
    asset = build_asset(
        5_000_000, date(2010, 5, 5), years=None, is_depreciated=False, always_capitalised=True
    )
    schedule = compute_schedule(asset, M52)
    assert schedule.treatment.rule == NOT_DEPRECIATED
    assert schedule.treatment.in_register
    assert schedule.rows == ()
    assert schedule.cumulated_before(2030) == 0


def test_duration_override_replaces_the_category_and_says_why():
    """An override of 4 years on a 10-year category: 1 200 000 / 4 = 300 000 a year."""
    asset = build_asset(1_200_000, date(2024, 4, 1), years=10)
    asset.duration_override = 4
    asset.override_reason = "Usage intensif en salle de séance"
    schedule = compute_schedule(asset, M52)
    assert schedule.treatment.overridden
    assert schedule.treatment.duration == 4
    assert "Usage intensif en salle de séance" in schedule.treatment.reason
    assert allowances(schedule) == [(year, 300_000) for year in range(2025, 2029)]


def test_m52_disposal_exits_at_net_book_value_without_allowance_that_year():
    """M52: decided disposal on 20/06/2027: allowances 2025, 2026 only; exits at 600 000."""
    asset = build_asset(1_000_000, date(2024, 3, 15), years=5)
    schedule = compute_schedule(asset, M52, decided(asset, date(2027, 6, 20)))
    # 2025 and 2026: 200 000 each; 2027: no allowance; NBV at 1/1/2027 = 1 000 000 - 400 000.
    assert allowances(schedule) == [(2025, 200_000), (2026, 200_000), (2027, 0)]
    exit_row = schedule.rows[-1]
    assert exit_row.is_exit
    assert (exit_row.opening, exit_row.cumulated, exit_row.closing) == (600_000, 400_000, 600_000)
    assert schedule.exit_value == 600_000
    assert schedule.exit_date == date(2027, 6, 20)


def test_m57_disposal_prorates_the_exit_year_to_the_decision_date():
    """M57: service 01/07/2025, disposal 31/03/2027: 90/365 of the annual in 2027, then exit."""
    asset = build_asset(1_000_000, date(2025, 7, 1), years=5)
    asset.disposal = decided(asset, date(2027, 3, 31))  # read from the asset by default
    schedule = compute_schedule(asset, M57)
    # 2025: 100 822 (see above); 2026: 200 000;
    # 2027: 01/01 → 31/03 = 31+28+31 = 90 days: 200 000 * 90 / 365 = 49 315.07 → 49 315.
    # Cumulated 100 822 + 200 000 + 49 315 = 350 137; exits at 1 000 000 - 350 137 = 649 863.
    assert allowances(schedule) == [(2025, 100_822), (2026, 200_000), (2027, 49_315)]
    assert schedule.rows[-1].is_exit
    assert schedule.rows[-1].cumulated == 350_137
    assert schedule.exit_value == 649_863


def test_m57_disposal_in_the_service_year_counts_from_the_service_date():
    """M57: in service 01/07/2025, disposed 30/09/2025: 92 days of 365, never the full year."""
    asset = build_asset(1_000_000, date(2025, 7, 1), years=5)
    schedule = compute_schedule(asset, M57, decided(asset, date(2025, 9, 30)))
    # 01/07 → 30/09 = 31+31+30 = 92 days: 200 000 * 92 / 365 = 50 410.96 → 50 411.
    assert allowances(schedule) == [(2025, 50_411)]
    assert schedule.exit_value == 949_589


def test_disposal_after_full_depreciation_exits_at_zero():
    """A fully depreciated asset disposed later leaves at a net book value of 0."""
    asset = build_asset(100_000, date(2018, 1, 10), years=2)
    schedule = compute_schedule(asset, M52, decided(asset, date(2024, 5, 5)))
    # 2019, 2020: 50 000 each; 2024: exit row with nothing left.
    assert allowances(schedule) == [(2019, 50_000), (2020, 50_000), (2024, 0)]
    assert schedule.exit_value == 0


def test_m52_disposal_in_the_acquisition_year_exits_at_full_value():
    """M52: bought and disposed the same year: no allowance at all, exits at its value."""
    asset = build_asset(500_000, date(2025, 2, 1), years=5)
    schedule = compute_schedule(asset, M52, decided(asset, date(2025, 11, 30)))
    assert allowances(schedule) == [(2025, 0)]
    assert schedule.exit_value == 500_000


def test_proposed_disposal_changes_nothing():
    """Only a decided disposal counts: a proposal (even dated) leaves the schedule whole."""
    asset = build_asset(1_000_000, date(2024, 3, 15), years=5)
    whole = compute_schedule(asset, M52, None)
    proposal = DisposalFactory.build(
        asset=asset, state=Disposal.State.PROPOSED, decision_date=date(2026, 1, 15)
    )
    assert compute_schedule(asset, M52, proposal) == whole
    asset.disposal = proposal
    assert compute_schedule(asset, M52) == whole
    assert whole.exit_date is None


@pytest.mark.parametrize("method", ["m52", "m57"])
def test_allowances_always_add_up_to_the_value(method):
    """Over many values, durations and dates: allowances ≥ 0, consecutive years, exact total."""
    policy = AccountingPolicyFactory.build(depreciation_method=method)
    values = [1, 2, 3, 7, 59_666, 100_000, 123_457, 999_999, 10_000_001]
    durations = [1, 2, 3, 4, 7, 10, 30]
    days = [date(2023, 1, 1), date(2024, 2, 29), date(2024, 12, 31), date(2025, 7, 1)]
    for value, years, day in itertools.product(values, durations, days):
        asset = build_asset(value, day, years=years, always_capitalised=True)
        schedule = compute_schedule(asset, policy)
        assert schedule.total_allowances == value, (value, years, day)
        assert all(row.allowance >= 0 for row in schedule.rows)
        assert [row.year for row in schedule.rows] == list(
            range(schedule.rows[0].year, schedule.rows[0].year + len(schedule.rows))
        )
        for row in schedule.rows:
            assert row.closing == row.opening - row.allowance == value - row.cumulated


def test_policy_for_picks_the_policy_in_force_on_the_acquisition_date():
    """In memory: the policy valid on the acquisition date; none → the built-in defaults."""
    old = AccountingPolicyFactory.build(
        pk=1, valid_from=date(2000, 1, 1), valid_to=date(2024, 12, 31)
    )
    new = AccountingPolicyFactory.build(
        pk=2, depreciation_method="m57", valid_from=date(2025, 1, 1), valid_to=None
    )
    assert policy_for(build_asset(100_000, date(2024, 12, 31)), [old, new]) is old
    assert policy_for(build_asset(100_000, date(2025, 1, 1)), [old, new]) is new
    assert policy_for(build_asset(100_000, date(1999, 6, 1)), [old, new]) is DEFAULT_POLICY
    with translation.override("en"):
        assert "built-in defaults" in depreciation.policy_sentence(DEFAULT_POLICY)


@pytest.mark.django_db
def test_new_policy_applies_to_acquisitions_from_its_start():
    """A M57 policy saved from 01/01/2025 closes the default M52 one; older assets keep M52."""
    policy = AccountingPolicy(
        name="Passage à la M57",
        valid_from=date(2025, 1, 1),
        depreciation_method="m57",
        capitalisation_threshold=59_666,
    )
    save_object(policy, user=None)
    default = AccountingPolicy.objects.exclude(pk=policy.pk).get()
    assert default.valid_to == date(2024, 12, 31)
    category = AssetCategory.objects.get(code="MOB")  # reference data: 10 years
    before = AssetFactory(category=category, value=1_000_000, acquisition_date=date(2024, 12, 31))
    after = AssetFactory(category=category, value=1_000_000, acquisition_date=date(2025, 7, 1))
    assert depreciation.schedule_for(before).rows[0].year == 2025  # M52: from the next year
    first = depreciation.schedule_for(after).rows[0]
    # M57: 100 000 * 184 / 365 = 50 410.96 → 50 411 in 2025.
    assert (first.year, first.allowance) == (2025, 50_411)


def detail_url(asset):
    return reverse(registry.get(type(asset)).url_name("detail"), args=[asset.pk])


@pytest.mark.django_db
def test_asset_page_shows_the_schedule_with_the_rule(client_for):
    """The asset page has the depreciation card: rule, policy, one row a year, this year marked."""
    this_year = timezone.localdate().year
    asset = AssetFactory(
        category=AssetCategory.objects.get(code="INF-PC"),  # 4 years, account 2183
        value=400_000,
        acquisition_date=date(this_year - 2, 5, 1),
    )
    client = client_for(roles.PROPERTY_MANAGER)
    response = client.get(detail_url(asset))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="depreciation-panel" data-rule="straight_line"' in html
    with translation.override("fr"):
        assert str(depreciation.RULE_LABELS[STRAIGHT_LINE]) in html
    assert "Instruction M52" in html  # the default policy of the reference data
    for year in range(this_year - 1, this_year + 3):
        assert f'data-year="{year}"' in html
    assert f'<tr data-year="{this_year}" class="table-active' in html
    assert "100\u202f000\u202fXPF" in html  # 400 000 / 4


@pytest.mark.django_db
def test_expensed_asset_page_only_explains_why(client_for):
    """An expensed asset shows the sentence and no schedule table."""
    asset = AssetFactory(category=AssetCategory.objects.get(code="MOB-SIE"), value=45_000)
    response = client_for(roles.PROPERTY_MANAGER).get(detail_url(asset))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="expensed"' in html
    assert "45\u202f000\u202fXPF" in html
    assert 'data-testid="depreciation-table"' not in html


@pytest.mark.django_db
def test_asset_page_shows_the_exit_of_a_decided_disposal(client_for):
    """A decided disposal shows the exit year and the net book value written off."""
    asset = AssetFactory(
        category=AssetCategory.objects.get(code="MOB"),  # 10 years
        value=1_000_000,
        acquisition_date=date(2020, 3, 1),
    )
    DisposalFactory(
        asset=asset,
        state=Disposal.State.DECIDED,
        decision_reference="Arrêté 2024-12",
        decision_date=date(2024, 6, 1),
    )
    html = client_for(roles.PROPERTY_MANAGER).get(detail_url(asset)).content.decode()
    # 2021, 2022, 2023: 100 000 each; 2024 exit at 1 000 000 - 300 000 = 700 000.
    assert 'data-testid="depreciation-exit"' in html
    assert "700\u202f000\u202fXPF" in html
    assert 'data-year="2024"' in html
    assert 'data-year="2025"' not in html
