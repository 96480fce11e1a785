"""Applications, their licences and assignments."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.itpark import impact
from dpti.itpark.models import (
    Application,
    Licence,
    LicenceAssignment,
)
from dpti.itpark.object_types.common import IT_EDITS


@register
class ApplicationType(ObjectType):
    """The application catalogue."""

    model = Application
    domain = "itpark"
    icon = "ti ti-apps"
    url_slug = "applications"
    list_columns = (
        "name",
        "kind",
        "business_owner",
        "technical_owner",
        "vendor",
        "release",
        "hosting",
        "criticality",
        "users_count",
        "is_active",
    )
    default_columns = ("name", "kind", "business_owner", "hosting", "criticality", "users_count")
    filter_fields = ("kind", "hosting", "criticality", "vendor", "is_active")
    search_fields = ("name", "description", "release")
    form_fields = (
        "name",
        "kind",
        "description",
        "business_owner",
        "technical_owner",
        "vendor",
        "release",
        "hosting",
        "criticality",
        "users_count",
        "servers",
        "depends_on",
        "documentation_url",
        "is_active",
    )
    bulk_edit_fields = ("kind", "hosting", "criticality", "is_active")
    import_fields = (
        "name",
        "kind",
        "description",
        "business_owner",
        "technical_owner",
        "vendor",
        "release",
        "hosting",
        "criticality",
        "users_count",
        "documentation_url",
        "is_active",
    )
    import_key = "name"
    m2m_history_fields = ("servers", "depends_on")
    related_lists = (
        ("dependents", _("Applications depending on it")),
        ("licences", _("Licences")),
        ("procedures", _("Operating procedures")),
        ("information_assets", _("Information assets")),
    )
    select_related = ("business_owner", "technical_owner", "vendor")
    permissions = IT_EDITS

    def detail_panels(self, obj, request):
        return [panel for panel in (impact.impact_panel(obj, request),) if panel]


@register
class LicenceType(ObjectType):
    """Licences and subscriptions."""

    model = Licence
    domain = "itpark"
    icon = "ti ti-license"
    url_slug = "licences"
    list_columns = (
        "product",
        "licence_model",
        "quantity",
        "publisher",
        "application",
        "purchase_date",
        "renewal_date",
        "annual_cost",
        "contract_reference",
    )
    default_columns = ("product", "licence_model", "quantity", "renewal_date", "annual_cost")
    filter_fields = ("licence_model", "publisher", "application", "renewal_date")
    search_fields = ("product", "contract_reference")
    form_fields = (
        "product",
        "publisher",
        "application",
        "licence_model",
        "quantity",
        "purchase_date",
        "contract_reference",
        "renewal_date",
        "annual_cost",
        "notes",
    )
    bulk_edit_fields = ("publisher", "application", "renewal_date")
    related_lists = (("assignments", _("Assignments")),)
    select_related = ("publisher", "application")
    permissions = IT_EDITS

    def deadlines(self, obj):
        if not obj.renewal_date:
            return []
        return [
            DeadlineSpec(
                "renewal",
                gettext("Renewal of the licence %(product)s") % {"product": obj.product},
                obj.renewal_date,
            )
        ]


@register
class LicenceAssignmentType(ObjectType):
    """Who or what uses each licence."""

    model = LicenceAssignment
    domain = "itpark"
    icon = "ti ti-user-check"
    url_slug = "licence-assignments"
    list_columns = ("__str__", "licence", "person", "device", "quantity", "assigned_on")
    default_columns = ("__str__", "quantity", "assigned_on")
    column_order_by = {"__str__": ("licence__product", "person__last_name", "device__name")}
    filter_fields = ("licence", "person", "device")
    search_fields = ("licence__product", "person__last_name", "device__name")
    form_fields = ("licence", "person", "device", "quantity", "assigned_on")
    bulk_edit_fields = ("licence",)
    select_related = ("licence", "person", "device")
    permissions = IT_EDITS
