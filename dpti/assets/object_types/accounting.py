"""Accounts, depreciation policies and categories; the stored register follows their writes."""

from django.utils.translation import gettext_lazy as _

from dpti.assets import register_store, services
from dpti.assets.models import (
    AccountingAccount,
    AccountingPolicy,
    Asset,
    AssetCategory,
    Disposal,
)
from dpti.assets.object_types.common import PROPERTY_EDITS
from dpti.core.registry import ObjectType, register, registry


@register
class AccountingAccountType(ObjectType):
    """The chart of accounts used by the register of fixed assets."""

    model = AccountingAccount
    domain = "assets"
    icon = "ti ti-list-numbers"
    url_slug = "accounts"
    list_columns = ("number", "label", "is_active")
    filter_fields = ("is_active",)
    search_fields = ("number", "label")
    form_fields = ("number", "label", "is_active")
    bulk_edit_fields = ("is_active",)
    import_key = "number"
    related_lists = (("categories", _("Categories")),)
    reference_data = True
    permissions = PROPERTY_EDITS


@register
class AccountingPolicyType(ObjectType):
    """The assembly's accounting rules for assets, dated."""

    model = AccountingPolicy
    domain = "assets"
    icon = "ti ti-scale"
    url_slug = "policies"
    list_columns = (
        "name",
        "valid_from",
        "valid_to",
        "depreciation_method",
        "capitalisation_threshold",
        "one_year_threshold",
        "decision_reference",
    )
    filter_fields = ("depreciation_method",)
    search_fields = ("name", "decision_reference")
    form_fields = (
        "name",
        "decision_reference",
        "valid_from",
        "valid_to",
        "depreciation_method",
        "capitalisation_threshold",
        "one_year_threshold",
        "notes",
    )
    allow_import = False
    allow_bulk_edit = False
    reference_data = True
    permissions = PROPERTY_EDITS

    def before_save(self, obj, user):
        services.close_open_policy_before(obj, user)


@register
class AssetCategoryType(ObjectType):
    """The nomenclature of assets, each category with its account and duration."""

    model = AssetCategory
    domain = "assets"
    icon = "ti ti-category"
    url_slug = "categories"
    list_columns = (
        "code",
        "name",
        "parent",
        "account",
        "is_depreciated",
        "duration_years",
        "always_capitalised",
        "is_active",
    )
    filter_fields = ("parent", "account", "is_depreciated", "always_capitalised", "is_active")
    search_fields = ("code", "name")
    form_fields = (
        "code",
        "name",
        "parent",
        "account",
        "is_depreciated",
        "duration_years",
        "always_capitalised",
        "is_active",
    )
    bulk_edit_fields = ("parent", "account", "is_depreciated", "duration_years", "is_active")
    import_key = "code"
    import_name_lookups = ("name",)
    related_lists = (("children", _("Sub-categories")), ("assets", _("Assets")))
    select_related = ("parent", "account")
    reference_data = True
    permissions = PROPERTY_EDITS


# The stored register of fixed assets follows every save and deletion of what it sums.
for model, before, after, fields in (
    (Asset, register_store.asset_before, register_store.asset_after, register_store.ASSET_FIELDS),
    (
        Disposal,
        register_store.disposal_before,
        register_store.disposal_after,
        register_store.DISPOSAL_FIELDS,
    ),
    (AssetCategory, register_store.category_before, register_store.rules_after, None),
    (AccountingPolicy, register_store.policy_before, register_store.rules_after, None),
):
    registry.keep_store(
        "asset_register",
        model,
        before=before,
        after=after,
        loaded=register_store.invalidate,  # rows loaded as stored: rebuilt when next read
        fields=fields,
    )
