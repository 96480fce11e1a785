"""Inventory campaigns, their items and scans."""

from dpti.assets.models import (
    CampaignItem,
    CampaignScan,
    InventoryCampaign,
)
from dpti.assets.object_types.common import PROPERTY_EDITS, READ_INTERNAL
from dpti.core import roles
from dpti.core.registry import ObjectType, register


@register
class InventoryCampaignType(ObjectType):
    """Physical inventory campaigns."""

    model = InventoryCampaign
    domain = "assets"
    icon = "ti ti-clipboard-check"
    url_slug = "campaigns"
    list_columns = ("name", "status", "start_date", "end_date", "sites", "buildings")
    filter_fields = ("status", "start_date")
    search_fields = ("name",)
    form_fields = ("name", "start_date", "end_date", "sites", "buildings", "rooms", "notes")
    detail_fields = (
        "name",
        "status",
        "start_date",
        "end_date",
        "sites",
        "buildings",
        "rooms",
        "notes",
    )
    allow_import = False
    allow_bulk_edit = False
    m2m_history_fields = ("sites", "buildings", "rooms")
    permissions = {
        **PROPERTY_EDITS,
        roles.TECHNICIAN: "view",
    }

    def detail_actions(self, obj, user):
        from dpti.assets.campaigns import campaign_actions

        return campaign_actions(obj, user)

    def detail_panels(self, obj, request):
        from dpti.assets.campaigns import campaign_panels

        return campaign_panels(obj, request)


@register
class CampaignItemType(ObjectType):
    """The expected list of a campaign and the result of each count."""

    model = CampaignItem
    icon = "ti ti-list-check"
    url_slug = "campaign-items"
    read_only = True
    history = False
    in_global_search = False
    list_columns = (
        "__str__",
        "asset",
        "campaign",
        "expected_room",
        "is_expected",
        "result",
        "found_room",
        "counted_at",
        "counted_by",
        "move_applied",
    )
    default_columns = ("__str__", "expected_room", "result", "found_room", "counted_at")
    column_order_by = {"__str__": ("campaign__name", "asset__inventory_number")}
    filter_fields = ("campaign", "result", "is_expected", "expected_room", "found_room")
    search_fields = ("asset__inventory_number", "asset__label")
    detail_fields = list_columns[1:]
    select_related = ("asset", "campaign", "expected_room", "found_room", "counted_by")
    permissions = {**READ_INTERNAL}


@register
class CampaignScanType(ObjectType):
    """Every scan and manual entry made during campaigns, as typed on site."""

    model = CampaignScan
    icon = "ti ti-scan"
    url_slug = "campaign-scans"
    read_only = True
    history = False
    in_global_search = False
    list_columns = (
        "__str__",
        "scanned_at",
        "campaign",
        "room",
        "kind",
        "code",
        "asset",
        "description",
        "scanned_by",
        "resolved",
    )
    default_columns = ("__str__", "campaign", "kind", "asset", "scanned_by", "resolved")
    column_order_by = {"__str__": ("scanned_at", "id")}
    filter_fields = ("campaign", "room", "kind", "resolved")
    search_fields = ("code", "description")
    detail_fields = list_columns[1:]
    select_related = ("campaign", "room", "asset", "scanned_by")
    permissions = {**READ_INTERNAL}
