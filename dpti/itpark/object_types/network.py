"""IP addressing: VRFs, VLANs, prefixes and addresses."""

from django.utils.translation import gettext_lazy as _

from dpti.core.registry import ObjectType, register
from dpti.itpark import network
from dpti.itpark.models import (
    IpAddress,
    Prefix,
    Vlan,
    Vrf,
)
from dpti.itpark.object_types.common import IT_AND_TECHNICIANS, IT_EDITS


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
