"""Sites, buildings, floors and rooms."""

from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.attachments import gallery_panel
from dpti.core.registry import ObjectType, register
from dpti.estate.models import Building, Floor, Room, Site
from dpti.estate.object_types.common import ESTATE_PERMISSIONS, AreaSummaryMixin


@register
class SiteType(AreaSummaryMixin, ObjectType):
    """Sites of the institution."""

    model = Site
    domain = "estate"
    icon = "ti ti-map-pin"
    url_slug = "sites"
    list_columns = (
        "name",
        "code",
        "city",
        "tenure",
        "cadastral_reference",
        "total_area",
        "is_active",
    )
    default_columns = ("name", "code", "city", "tenure", "total_area")
    filter_fields = ("tenure", "city", "is_active")
    search_fields = ("name", "code", "address", "cadastral_reference")
    form_fields = (
        "code",
        "name",
        "address",
        "postal_code",
        "city",
        "latitude",
        "longitude",
        "cadastral_reference",
        "tenure",
        "land_area",
        "is_active",
        "notes",
    )
    detail_fields = (*form_fields[:10], "total_area", "is_active", "notes")
    bulk_edit_fields = ("tenure", "city", "is_active")
    import_key = "code"
    related_lists = (("buildings", _("Buildings")),)
    permissions = ESTATE_PERMISSIONS


@register
class BuildingType(AreaSummaryMixin, ObjectType):
    """Buildings, with their ERP classification."""

    model = Building
    domain = "estate"
    icon = "ti ti-building"
    url_slug = "buildings"
    list_columns = (
        "name",
        "code",
        "site",
        "kind",
        "year_built",
        "tenure",
        "is_erp",
        "erp_type",
        "erp_category",
        "total_area",
        "is_active",
    )
    default_columns = ("name", "code", "site", "kind", "is_erp", "total_area")
    filter_fields = ("site", "kind", "tenure", "is_erp", "erp_category", "is_active")
    search_fields = ("name", "code", "address", "cadastral_reference")
    form_fields = (
        "site",
        "code",
        "name",
        "kind",
        "year_built",
        "tenure",
        "cadastral_reference",
        "address",
        "latitude",
        "longitude",
        "is_erp",
        "erp_type",
        "erp_category",
        "is_active",
        "notes",
    )
    detail_fields = (*form_fields[:13], "total_area", "is_active", "notes")
    bulk_edit_fields = ("site", "kind", "tenure", "is_active")
    import_key = "code"
    related_lists = (("floors", _("Floors")), ("leases", _("Leases")))
    select_related = ("site",)
    permissions = ESTATE_PERMISSIONS


@register
class FloorType(AreaSummaryMixin, ObjectType):
    """Floors; their plans are attached as files on the floor's page."""

    model = Floor
    domain = "estate"
    icon = "ti ti-stack-2"
    url_slug = "floors"
    list_columns = ("__str__", "name", "building", "level", "total_area")
    default_columns = ("__str__", "level", "total_area")
    column_order_by = {"__str__": ("building__name", "level")}
    filter_fields = ("building", "building__site")
    search_fields = ("name", "building__name", "building__code")
    form_fields = ("building", "level", "name")
    detail_fields = ("building", "level", "name", "total_area")
    bulk_edit_fields = ()
    import_fields = ("building", "level", "name")
    related_lists = (("rooms", _("Rooms")),)
    select_related = ("building",)
    ordering = ("building__name", "level")
    permissions = ESTATE_PERMISSIONS

    def detail_panels(self, obj, request):
        return [
            gallery_panel(
                obj,
                _("Plans"),
                _(
                    "No plan yet: add the floor's plans (PDF or image) in the "
                    "« Files and comments » tab."
                ),
                with_pdf=True,
                panel_id="plans",
            )
        ]


@register
class RoomType(ObjectType):
    """Rooms; a room's page lists the assets located in it."""

    model = Room
    domain = "estate"
    icon = "ti ti-door"
    url_slug = "rooms"
    list_columns = (
        "code",
        "name",
        "floor",
        "floor__building",
        "use",
        "area",
        "capacity",
        "occupying_unit",
        "is_active",
    )
    default_columns = ("code", "name", "floor", "use", "area", "occupying_unit")
    filter_fields = (
        "floor__building__site",
        "floor__building",
        "floor",
        "use",
        "occupying_unit",
        "is_active",
    )
    search_fields = ("code", "name")
    form_fields = (
        "floor",
        "code",
        "name",
        "use",
        "area",
        "capacity",
        "occupying_unit",
        "is_active",
        "notes",
    )
    bulk_edit_fields = ("floor", "use", "occupying_unit", "is_active")
    import_key = "code"
    # Another import names a room by its code, or as « bâtiment + nom du local » (the
    # building's name or code), or by its name alone when no other room bears it.
    import_name_lookups = (
        ("floor__building__name", "name"),
        ("floor__building__code", "name"),
        "name",
    )
    related_lists = (("assets", _("Assets located here")),)
    select_related = ("floor__building",)
    permissions = {**ESTATE_PERMISSIONS, roles.REQUESTER: "view"}
