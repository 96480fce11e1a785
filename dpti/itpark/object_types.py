"""Registration of the IT and telecom park's object types."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register, registry
from dpti.directory.scoping import held_by_requester
from dpti.itpark import impact, network
from dpti.itpark.models import (
    Application,
    Device,
    InformationAsset,
    Interface,
    IpAddress,
    Licence,
    LicenceAssignment,
    OperatingProcedure,
    Prefix,
    TelecomLine,
    Vlan,
    Vrf,
)

registry.add_domain("itpark", _("IT and telecoms"), "ti ti-device-desktop", order=30)
registry.add_menu_link(
    "itpark",
    _("Licence compliance"),
    "itpark:licence_compliance",
    permission="itpark.view_licence",
    internal_only=True,
    order=5,
    icon="ti ti-scale",
)
registry.add_menu_link(
    "itpark",
    _("Telecom costs"),
    "itpark:telecom_costs",
    permission="itpark.view_telecomline",
    internal_only=True,
    order=6,
    icon="ti ti-receipt",
)

READ_INTERNAL = roles.grant(roles.INTERNAL_ROLES, "view")
IT_EDITS = {**READ_INTERNAL, roles.IT_MANAGER: "view add change delete"}
# Technicians keep the park's facts current: devices, their ports and addresses.
IT_AND_TECHNICIANS = {**IT_EDITS, roles.TECHNICIAN: "view add change"}


@register
class DeviceType(ObjectType):
    """Devices: IT facts beside the asset record of the physical item."""

    model = Device
    domain = "itpark"
    icon = "ti ti-device-desktop"
    url_slug = "devices"
    list_columns = (
        "name",
        "kind",
        "asset",
        "asset__serial_number",
        "asset__model_name",
        "asset__room",
        "asset__holder",
        "operating_system",
        "os_version",
        "cpu",
        "ram_gb",
        "disk_gb",
        "mac_addresses",
        "host",
        "support_end",
        "asset__warranty_end",
        "state",
    )
    default_columns = ("name", "kind", "asset__room", "asset__holder", "operating_system", "state")
    filter_fields = (
        "kind",
        "state",
        "asset__room__floor__building__site",
        "asset__room__floor__building",
        "asset__room",
        "asset__holder",
        "host",
        "operating_system",
        "support_end",
    )
    search_fields = ("name", "asset__inventory_number", "asset__serial_number", "mac_addresses")
    form_fields = (
        "name",
        "kind",
        "asset",
        "host",
        "operating_system",
        "os_version",
        "cpu",
        "cpu_cores",
        "ram_gb",
        "disk_gb",
        "mac_addresses",
        "support_contract",
        "support_end",
        "state",
        "notes",
    )
    bulk_edit_fields = ("kind", "state", "operating_system", "os_version", "support_end")
    import_key = "name"
    import_synonyms = {
        "name": ("Nom d'hôte", "Hostname", "Nom machine", "Nom du poste"),
        "asset": ("N° inventaire", "N° d'inventaire", "Inventaire"),
        "operating_system": ("OS", "Système", "Système d'exploitation"),
        "os_version": ("Version OS", "Version du système"),
        "ram_gb": ("RAM", "Mémoire", "Mémoire (Go)", "RAM (Go)"),
        "disk_gb": ("Disque", "Disque (Go)", "Stockage"),
        "mac_addresses": ("Adresse MAC", "MAC", "Adresses MAC"),
        "support_end": ("Fin de support", "Fin du support"),
    }
    related_lists = (
        ("interfaces", _("Interfaces")),
        ("ip_addresses", _("IP addresses")),
        ("guests", _("Virtual machines")),
        ("applications", _("Applications")),
        ("telecom_lines", _("Telecom lines")),
    )
    select_related = ("asset__room", "asset__holder", "host")
    column_labels = {
        "asset__serial_number": _("serial number"),
        "asset__model_name": _("model"),
        "asset__room": _("room"),
        "asset__holder": _("holder"),
        "asset__warranty_end": _("end of warranty"),
    }
    permissions = {**IT_AND_TECHNICIANS, roles.REQUESTER: "view"}
    create_children = (
        ("itpark.interface", "device", _("Add an interface")),
        ("itpark.ipaddress", "device", _("Add an IP address")),
    )

    def scope(self, queryset, user):
        """A requester sees the devices he holds."""
        return held_by_requester(queryset, user, "asset__holder")

    def detail_panels(self, obj, request):
        panels = (asset_panel(obj, request), impact.impact_panel(obj, request))
        return [panel for panel in panels if panel]

    def deadlines(self, obj):
        if not obj.support_end or obj.state == Device.State.DECOMMISSIONED:
            return []
        return [
            DeadlineSpec(
                "support_end",
                gettext("End of support of %(device)s") % {"device": obj},
                obj.support_end,
            )
        ]


def asset_panel(device, request):
    """The « Physical item » card of a device: where its asset is, its make, model, serial
    number, holder and warranty. One query, whatever the device."""
    from django.utils import timezone

    from dpti.assets.models import Asset
    from dpti.core.permissions import can

    if not device.asset_id:
        return None
    asset = (
        Asset.objects.select_related("room__floor__building__site", "holder", "holder_unit")
        .filter(pk=device.asset_id)
        .first()
    )
    if asset is None:
        return None
    return {
        "title": gettext("Physical item"),
        "template": "itpark/panels/device_asset.html",
        "context": {
            "asset": asset,
            "asset_url": asset.get_absolute_url() if can(request.user, asset, "view") else "",
            "warranty_over": bool(asset.warranty_end and asset.warranty_end < timezone.localdate()),
        },
        "id": "asset",
    }


@register
class InterfaceType(ObjectType):
    """Network interfaces and the links between them."""

    model = Interface
    domain = "itpark"
    icon = "ti ti-plug-connected"
    url_slug = "interfaces"
    list_columns = (
        "__str__",
        "device",
        "name",
        "kind",
        "link",
        "wall_socket",
        "vlan",
        "mac_address",
    )
    default_columns = ("__str__", "kind", "link", "wall_socket", "vlan")
    column_order_by = {"__str__": ("device__name", "name")}
    filter_fields = ("device", "kind", "vlan")
    search_fields = ("name", "device__name", "wall_socket", "mac_address")
    form_fields = (
        "device",
        "name",
        "kind",
        "mac_address",
        "link",
        "is_uplink",
        "wall_socket",
        "vlan",
        "description",
    )
    bulk_edit_fields = ("kind", "vlan")
    import_fields = (
        "device",
        "name",
        "kind",
        "mac_address",
        "is_uplink",
        "wall_socket",
        "vlan",
        "description",
    )
    select_related = ("device", "link__device", "vlan")
    permissions = IT_AND_TECHNICIANS

    def after_save(self, obj, previous, user):
        network.sync_link(obj, previous, user)


@register
class VrfType(ObjectType):
    """Routing contexts."""

    model = Vrf
    domain = "itpark"
    icon = "ti ti-route"
    url_slug = "vrfs"
    list_columns = ("name", "description")
    search_fields = ("name", "description")
    form_fields = ("name", "description")
    import_key = "name"
    related_lists = (("prefixes", _("IP prefixes")),)
    permissions = IT_EDITS


@register
class VlanType(ObjectType):
    """VLANs by site."""

    model = Vlan
    domain = "itpark"
    icon = "ti ti-topology-star"
    url_slug = "vlans"
    list_columns = ("__str__", "vid", "name", "site", "description")
    default_columns = ("__str__", "site", "description")
    column_order_by = {"__str__": ("vid", "name")}
    filter_fields = ("site",)
    search_fields = ("name", "description")
    form_fields = ("vid", "name", "site", "description")
    bulk_edit_fields = ("site",)
    related_lists = (("prefixes", _("IP prefixes")), ("interfaces", _("Interfaces")))
    select_related = ("site",)
    permissions = IT_EDITS


@register
class PrefixType(ObjectType):
    """IP prefixes with their utilisation."""

    model = Prefix
    domain = "itpark"
    icon = "ti ti-sitemap"
    url_slug = "prefixes"
    list_columns = ("prefix", "vrf", "vlan", "site", "utilisation", "description")
    filter_fields = ("vrf", "vlan", "site", "family")
    search_fields = ("prefix", "description")
    form_fields = ("prefix", "vrf", "vlan", "site", "description")
    bulk_edit_fields = ("vrf", "vlan", "site")
    select_related = ("vrf", "vlan", "site")
    ordering = ("family", "first_key")
    permissions = IT_EDITS

    def annotate_list(self, queryset):
        return network.with_utilisation(queryset)

    def display_utilisation(self, obj):
        return network.utilisation_display(obj)

    display_utilisation.label = _("utilisation")

    def detail_panels(self, obj, request):
        return [panel for panel in (network.prefix_panel(obj, request),) if panel]


@register
class IpAddressType(ObjectType):
    """IP addresses, unique per routing context."""

    model = IpAddress
    domain = "itpark"
    icon = "ti ti-network"
    url_slug = "ip-addresses"
    list_columns = (
        "address",
        "vrf",
        "device",
        "interface",
        "is_management",
        "dns_name",
        "status",
        "description",
    )
    default_columns = ("address", "vrf", "device", "dns_name", "status")
    filter_fields = ("vrf", "device", "status", "is_management", "family")
    search_fields = ("address", "dns_name", "description", "device__name")
    form_fields = (
        "address",
        "vrf",
        "device",
        "interface",
        "is_management",
        "dns_name",
        "status",
        "description",
    )
    # Headers of the address plans kept in spreadsheets.
    import_synonyms = {
        "address": ("Adresse IP", "IP", "Adresse", "IP address"),
        "dns_name": ("Nom DNS", "FQDN", "DNS"),
        "device": ("Équipement", "Machine", "Hôte", "Host"),
        "vrf": ("Contexte de routage", "Routage"),
        "is_management": ("Administration", "Adresse d'administration", "Management"),
        "description": ("Commentaire", "Usage", "Remarques"),
    }
    bulk_edit_fields = ("vrf", "status")
    select_related = ("vrf", "device", "interface__device")
    ordering = ("family", "key")
    # 10.0.0.9 before 10.0.0.10, along the list's index (as text: a sort of 200,000 rows).
    column_order_by = {"address": ("family", "key")}
    permissions = IT_AND_TECHNICIANS
    dependent_choices = {"interface": "device"}


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


@register
class TelecomLineType(ObjectType):
    """Telecom lines and links with their monthly cost."""

    model = TelecomLine
    domain = "itpark"
    icon = "ti ti-phone"
    url_slug = "telecom-lines"
    list_columns = (
        "identifier",
        "kind",
        "operator",
        "subscription",
        "monthly_cost",
        "holder",
        "unit",
        "device",
        "site",
        "sim_number",
        "start_date",
        "end_date",
        "status",
    )
    default_columns = ("identifier", "kind", "operator", "monthly_cost", "holder", "unit", "status")
    filter_fields = ("kind", "operator", "unit", "holder", "site", "status", "end_date")
    search_fields = ("identifier", "subscription", "sim_number", "contract_reference")
    form_fields = (
        "kind",
        "identifier",
        "operator",
        "subscription",
        "sim_number",
        "monthly_cost",
        "holder",
        "unit",
        "device",
        "site",
        "contract_reference",
        "start_date",
        "end_date",
        "status",
        "notes",
    )
    # A new tariff applies to many lines at once.
    bulk_edit_fields = ("operator", "unit", "status", "subscription", "monthly_cost")
    select_related = ("operator", "holder", "unit", "device", "site")
    permissions = {**IT_EDITS, roles.PROCUREMENT_MANAGER: "view", roles.REQUESTER: "view"}

    def scope(self, queryset, user):
        """A requester sees the lines he holds."""
        return held_by_requester(queryset, user, "holder")

    def deadlines(self, obj):
        if not obj.end_date or obj.status == TelecomLine.Status.TERMINATED:
            return []
        return [
            DeadlineSpec(
                "commitment_end",
                gettext("End of commitment of the line %(line)s") % {"line": obj},
                obj.end_date,
            )
        ]


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


# Categories of the default nomenclature whose assets are IT devices, and the device kind
# each suggests; the longest matching code prefix wins.
IT_CATEGORY_KINDS = {
    "INF": Device.Kind.WORKSTATION,
    "INF-PC": Device.Kind.WORKSTATION,
    "INF-ECR": Device.Kind.SCREEN,
    "INF-IMP": Device.Kind.PRINTER,
    "INF-SRV": Device.Kind.SERVER,
    "INF-RES": Device.Kind.SWITCH,
    "TEL": Device.Kind.SMARTPHONE,
}


# Words of an IT asset's label, make or model that tell its kind better than its category
# (« Postes de travail et portables » holds both): the first matching line wins.
IT_KIND_WORDS = (
    (Device.Kind.TABLET, ("tablette", "tablet", "ipad", "surface pro", "galaxy tab")),
    (Device.Kind.SMARTPHONE, ("smartphone", "téléphone portable", "iphone", "galaxy")),
    (Device.Kind.LAPTOP, ("portable", "laptop", "notebook", "macbook", "thinkpad", "elitebook")),
    (Device.Kind.LAPTOP, ("latitude", "probook", "zenbook", "vivobook")),
    (Device.Kind.PHONE, ("téléphone ip", "téléphone fixe", "poste téléphonique", "pieuvre")),
    (Device.Kind.SCREEN, ("écran", "moniteur", "monitor")),
    (Device.Kind.PRINTER, ("imprimante", "copieur", "printer")),
    (Device.Kind.FIREWALL, ("pare-feu", "firewall", "fortigate")),
    (Device.Kind.ROUTER, ("routeur", "router")),
    (Device.Kind.ACCESS_POINT, ("borne wi-fi", "point d'accès", "access point")),
    (Device.Kind.SWITCH, ("commutateur", "switch")),
    (Device.Kind.SERVER, ("serveur", "server")),
)


def it_kind_of(asset):
    """The device kind of an IT asset: from the words of its label, make and model, else the
    one its category suggests; None for a non-IT asset."""
    code = asset.category.code
    matches = [
        prefix for prefix in IT_CATEGORY_KINDS if code == prefix or code.startswith(prefix + "-")
    ]
    if not matches:
        return None
    text = f"{asset.label} {asset.brand} {asset.model_name}".casefold()
    for kind, words in IT_KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return IT_CATEGORY_KINDS[max(matches, key=len)]


def asset_it_actions(asset, user):
    """« IT details » on an asset's page: its device, or a form to record one."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from dpti.core.permissions import can, has_model_permission

    device = Device.objects.filter(asset=asset).first()
    if device is not None:
        if not can(user, device, "view"):
            return []
        return [
            {
                "label": _("IT details"),
                "url": reverse("itpark:device_detail", args=[device.pk]),
                "icon": "ti ti-device-desktop",
            }
        ]
    kind = it_kind_of(asset)
    if kind is None or asset.status == "disposed" or not has_model_permission(user, Device, "add"):
        return []
    query = urlencode({"asset": asset.pk, "kind": kind})
    return [
        {
            "label": _("Add IT details"),
            "url": f"{reverse('itpark:device_add')}?{query}",
            "icon": "ti ti-device-desktop-plus",
        }
    ]


registry.contribute_detail_actions("assets.asset", asset_it_actions)
