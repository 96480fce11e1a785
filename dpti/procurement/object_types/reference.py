"""Reference data: TGC rates, procurement rules and thresholds, interest rates, categories."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import ObjectType, register, registry
from dpti.procurement.models import (
    LatePaymentRate,
    ProcedureThreshold,
    ProcurementRules,
    PurchaseCategory,
    TaxRate,
)
from dpti.procurement.object_types.common import REFERENCE_PERMISSIONS


class ReferenceType(ObjectType):
    """Dated reference data shipped with a new installation and edited as data."""

    domain = "procurement"
    reference_data = True
    allow_bulk_edit = False
    permissions = REFERENCE_PERMISSIONS


@register
class TaxRateType(ReferenceType):
    """TGC rates with their validity."""

    model = TaxRate
    icon = "ti ti-percentage"
    url_slug = "tax-rates"
    list_columns = ("label", "code", "rate", "valid_from", "valid_to")
    filter_fields = ("code",)
    search_fields = ("code", "label")
    form_fields = ("code", "label", "rate", "valid_from", "valid_to")
    # A code is unique only within a period (TS again for a later rate): not an import key,
    # but an import cell may name a rate by its code (the one in force today).
    import_lookup_fields = ("code",)


def tax_rate_periods(code):
    """The periods of a TGC rate code, for the imports of amounts given excluding tax."""
    return TaxRate.objects.filter(code__iexact=code).values_list("valid_from", "valid_to", "rate")


registry.provide_tax_rates(tax_rate_periods)


@register
class ProcurementRulesType(ReferenceType):
    """The procurement rules in force by period, with their thresholds."""

    model = ProcurementRules
    icon = "ti ti-scale"
    url_slug = "procurement-rules"
    list_columns = (
        "name",
        "decision_reference",
        "valid_from",
        "valid_to",
        "payment_delay_days",
        "amendment_limit_supplies",
        "amendment_limit_works",
    )
    default_columns = ("name", "decision_reference", "valid_from", "valid_to")
    search_fields = ("name", "decision_reference")
    form_fields = (
        "name",
        "decision_reference",
        "valid_from",
        "valid_to",
        "amendment_limit_supplies",
        "amendment_limit_works",
        "amendment_single_max",
        "framework_max_years",
        "guarantee_retention_max",
        "payment_delay_days",
        "notes",
    )
    related_lists = (("thresholds", _("Procedure thresholds")),)


@register
class ProcedureThresholdType(ReferenceType):
    """The bands of amounts of each set of rules and the procedure each one requires."""

    model = ProcedureThreshold
    icon = "ti ti-stairs"
    url_slug = "procedure-thresholds"
    in_global_search = False
    list_columns = (
        "__str__",
        "rules",
        "applies_to",
        "max_amount",
        "max_included",
        "procedure",
        "obligation",
    )
    default_columns = ("__str__", "applies_to", "max_amount", "max_included", "procedure")
    column_order_by = {"__str__": ("rules__name", "applies_to", "max_amount")}
    filter_fields = ("rules", "applies_to", "procedure")
    search_fields = ("obligation",)
    form_fields = ("rules", "applies_to", "max_amount", "max_included", "procedure", "obligation")
    select_related = ("rules",)


@register
class LatePaymentRateType(ReferenceType):
    """Late-payment interest rates and recovery indemnity by period."""

    model = LatePaymentRate
    icon = "ti ti-clock-dollar"
    url_slug = "late-payment-rates"
    in_global_search = False
    list_columns = (
        "valid_from",
        "valid_to",
        "reference_rate",
        "margin_points",
        "recovery_indemnity",
        "decision_reference",
    )
    form_fields = (
        "valid_from",
        "valid_to",
        "reference_rate",
        "margin_points",
        "recovery_indemnity",
        "decision_reference",
    )


@register
class PurchaseCategoryType(ReferenceType):
    """The nomenclature of homogeneous purchases."""

    model = PurchaseCategory
    icon = "ti ti-category-2"
    url_slug = "purchase-categories"
    allow_bulk_edit = True
    list_columns = ("code", "label", "kind", "is_active")
    filter_fields = ("kind", "is_active")
    search_fields = ("code", "label")
    form_fields = ("code", "label", "kind", "is_active", "notes")
    bulk_edit_fields = ("kind", "is_active")
    import_key = "code"
    related_lists = (
        ("needs", _("Purchase needs")),
        ("contracts", _("Contracts")),
        ("orders", _("Orders outside contracts")),
    )
