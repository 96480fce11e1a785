"""Figures of the assets module in the API: an asset's depreciation, the register of a year.

They come from the functions the pages use (`depreciation.schedule_for`, `position_on`,
`register_store.institution_register`): the API and the screens agree by construction.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dpti.assets.depreciation import policy_sentence, position_on, schedule_for
from dpti.assets.models import Asset
from dpti.assets.register import FIGURES, selected_year
from dpti.assets.register_store import institution_register
from dpti.core.api.figures import ApiReport, ApiRoute
from dpti.core.registry import registry

# --- An asset's depreciation ------------------------------------------------------------------


class DepreciationQuery(serializers.Serializer):
    """Query parameters of an asset's depreciation."""

    on = serializers.DateField(
        required=False,
        help_text=_(
            "Day of the net book value and of the presence in the register (YYYY-MM-DD); "
            "today by default."
        ),
    )


class ScheduleRowSerializer(serializers.Serializer):
    """One year of a depreciation schedule."""

    year = serializers.IntegerField(help_text=_("Calendar year."))
    opening = serializers.IntegerField(help_text=_("Net book value at 1 January (XPF)."))
    allowance = serializers.IntegerField(help_text=_("Allowance charged in the year (XPF)."))
    cumulated = serializers.IntegerField(
        help_text=_("Accumulated depreciation at 31 December (XPF).")
    )
    closing = serializers.IntegerField(help_text=_("Net book value at 31 December (XPF)."))
    is_exit = serializers.BooleanField(
        help_text=_("True for the year the asset leaves the register (decided disposal).")
    )


class AssetDepreciationSerializer(serializers.Serializer):
    """How an asset is accounted for and depreciated, as its page's « Depreciation » card."""

    rule = serializers.ChoiceField(
        choices=["expensed", "not_depreciated", "one_year", "straight_line"],
        help_text=_("Accounting treatment of the asset."),
    )
    rule_label = serializers.CharField(help_text=_("The treatment, in the site language."))
    reason = serializers.CharField(help_text=_("Why this treatment applies, in words."))
    duration_years = serializers.IntegerField(
        allow_null=True, help_text=_("Depreciation duration in years (null when none).")
    )
    duration_overridden = serializers.BooleanField(
        help_text=_("True when the asset's own duration replaces its category's.")
    )
    method = serializers.CharField(help_text=_("Depreciation method: m52 or m57."))
    policy = serializers.CharField(help_text=_("The accounting policy applied, in words."))
    start_of_service = serializers.DateField(
        help_text=_("Date of entry into service (the acquisition date when not given).")
    )
    value = serializers.IntegerField(help_text=_("Gross value (XPF)."))
    on = serializers.DateField(help_text=_("Day of net_book_value and in_register."))
    in_register = serializers.BooleanField(
        help_text=_("True when the asset is in the register of fixed assets on that day.")
    )
    net_book_value = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Net book value on that day (XPF): the value after the allowances of the years "
            "ended by then; null outside the register."
        ),
    )
    exit_date = serializers.DateField(
        allow_null=True, help_text=_("Date the asset left the register (decided disposal).")
    )
    exit_value = serializers.IntegerField(
        allow_null=True, help_text=_("Net book value written off at the exit (XPF).")
    )
    total_allowances = serializers.IntegerField(
        help_text=_("Sum of the schedule's allowances (XPF).")
    )
    schedule = ScheduleRowSerializer(many=True, help_text=_("The schedule, year by year."))


def asset_depreciation(asset, request, params):
    """The figures of the asset page's depreciation card, and its position on a day."""
    schedule = schedule_for(asset)
    treatment = schedule.treatment
    day = params.get("on") or timezone.localdate()
    in_register, net_book_value = position_on(asset, schedule, day)
    return {
        "rule": treatment.rule,
        "rule_label": str(treatment.label),
        "reason": treatment.reason,
        "duration_years": treatment.duration,
        "duration_overridden": treatment.overridden,
        "method": schedule.method,
        "policy": policy_sentence(schedule.policy),
        "start_of_service": asset.start_of_service,
        "value": schedule.value,
        "on": day,
        "in_register": in_register,
        "net_book_value": net_book_value,
        "exit_date": schedule.exit_date,
        "exit_value": schedule.exit_value,
        "total_allowances": schedule.total_allowances,
        "schedule": schedule.rows,
    }


registry.add_api_route(
    "assets.asset",
    ApiRoute(
        name="depreciation",
        compute=asset_depreciation,
        serializer=AssetDepreciationSerializer,
        query_serializer=DepreciationQuery,
        summary=_("Depreciation of an asset"),
        description=_(
            "The asset's accounting treatment and why, its depreciation schedule, and on a day "
            "(`on`, today by default) whether it is in the register of fixed assets and its "
            "net book value: the figures of the asset's page."
        ),
    ),
)


# --- The register of fixed assets -------------------------------------------------------------


class RegisterQuery(serializers.Serializer):
    """Query parameters of the register of fixed assets."""

    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        help_text=_("Year of the register; last year (the one being closed) by default."),
    )
    account = serializers.CharField(
        required=False,
        help_text=_("Number of an accounting account (2183…): only its figures in accounts."),
    )


def _figure_fields():
    labels = {
        "count": _("Assets held at 31 December."),
        "gross_start": _("Gross value at 1 January (XPF)."),
        "acquisitions": _("Acquisitions of the year (XPF)."),
        "exits": _("Gross value of the year's exits (XPF)."),
        "gross_end": _("Gross value at 31 December (XPF)."),
        "cum_start": _("Accumulated depreciation at 1 January (XPF)."),
        "allowance": _("Allowances of the year (XPF)."),
        "written_back": _("Depreciation written back on the exits (XPF)."),
        "cum_end": _("Accumulated depreciation at 31 December (XPF)."),
        "nbv_end": _("Net book value at 31 December (XPF)."),
        "sale_proceeds": _("Sale proceeds of the year's exits (XPF)."),
    }
    assert set(labels) == {"count", *FIGURES}
    return {name: serializers.IntegerField(help_text=text) for name, text in labels.items()}


RegisterTotalsSerializer = type(
    "RegisterTotalsSerializer",
    (serializers.Serializer,),
    {"__doc__": "Figures of the register (sums of its assets).", **_figure_fields()},
)
RegisterAccountSerializer = type(
    "RegisterAccountSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Figures of one accounting account in the register.",
        "account_id": serializers.IntegerField(help_text=_("Id of the accounting account.")),
        "number": serializers.CharField(help_text=_("Account number.")),
        "label": serializers.CharField(help_text=_("Account label.")),
        **_figure_fields(),
    },
)


class RegisterSerializer(serializers.Serializer):
    """The register of fixed assets (état de l'actif) of a year, by accounting account."""

    year = serializers.IntegerField(help_text=_("Year of the register."))
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the stored figures were computed.")
    )
    accounts = RegisterAccountSerializer(many=True, help_text=_("Figures by account."))
    total = RegisterTotalsSerializer(
        help_text=_("Figures of the whole register, whatever the account asked for.")
    )
    policies = serializers.ListField(
        child=serializers.CharField(), help_text=_("The accounting policies applied, in words.")
    )


def asset_register(request, params):
    """The register page's figures: the institution's stored register of the year."""
    today = timezone.localdate()
    year = selected_year(params.get("year"), today)
    register, computed_at = institution_register(year)
    accounts = register.accounts
    if params.get("account"):
        accounts = [totals for totals in accounts if totals.number == params["account"]]
    return {
        "year": year,
        "computed_at": computed_at,
        "accounts": accounts,
        "total": register.total,
        "policies": [policy_sentence(policy, named=False) for policy in register.policies],
    }


registry.add_api_report(
    ApiReport(
        app_label="assets",
        name="register",
        model=Asset,
        compute=asset_register,
        serializer=RegisterSerializer,
        query_serializer=RegisterQuery,
        summary=_("Register of fixed assets"),
        description=_(
            "The register of fixed assets (état de l'actif) of a year by accounting account, "
            "with the year's total: the figures of the register page."
        ),
    )
)
