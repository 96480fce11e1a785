"""Devices (the IT record of an asset) and their interfaces; the IT actions on an asset's page."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register, registry
from dpti.directory.scoping import held_by_requester
from dpti.itpark import impact, network
from dpti.itpark.models import (
    Device,
    Interface,
)
from dpti.itpark.object_types.common import IT_AND_TECHNICIANS


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
