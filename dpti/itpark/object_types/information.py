"""Information assets (DICT) and operating procedures."""

from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.itpark.models import (
    InformationAsset,
    OperatingProcedure,
)
from dpti.itpark.object_types.common import IT_EDITS


@register
class InformationAssetType(ObjectType):
    """The register of information assets, classified DICT."""

    model = InformationAsset
    domain = "itpark"
    icon = "ti ti-database"
    url_slug = "information-assets"
    list_columns = (
        "name",
        "kind",
        "owner",
        "availability",
        "integrity",
        "confidentiality",
        "traceability",
        "personal_data",
        "retention",
    )
    filter_fields = ("kind", "owner", "personal_data", "confidentiality", "availability")
    search_fields = ("name", "description", "purpose")
    form_fields = (
        "name",
        "kind",
        "description",
        "owner",
        "applications",
        "availability",
        "integrity",
        "confidentiality",
        "traceability",
        "personal_data",
        "purpose",
        "retention",
    )
    bulk_edit_fields = ("kind", "owner")
    import_fields = tuple(f for f in form_fields if f != "applications")
    m2m_history_fields = ("applications",)
    select_related = ("owner",)
    permissions = IT_EDITS


@register
class OperatingProcedureType(ObjectType):
    """Operating procedures of the information system, with their review deadline."""

    model = OperatingProcedure
    domain = "itpark"
    icon = "ti ti-list-details"
    url_slug = "procedures"
    list_columns = ("title", "kind", "owner", "revision", "last_review", "next_review")
    filter_fields = ("kind", "owner", "next_review")
    search_fields = ("title", "summary")
    form_fields = (
        "title",
        "kind",
        "owner",
        "revision",
        "last_review",
        "next_review",
        "applications",
        "devices",
        "summary",
    )
    bulk_edit_fields = ("kind", "owner", "next_review")
    import_fields = ("title", "kind", "owner", "revision", "last_review", "next_review", "summary")
    m2m_history_fields = ("applications", "devices")
    select_related = ("owner",)
    permissions = {**IT_EDITS, roles.TECHNICIAN: "view"}

    def deadlines(self, obj):
        if not obj.next_review:
            return []
        return [
            DeadlineSpec(
                "review",
                gettext("Review of the procedure « %(title)s »") % {"title": obj.title},
                obj.next_review,
                owner=obj.owner.user if obj.owner_id and obj.owner.user_id else None,
            )
        ]
