"""Assets, their movements and disposals."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.assets import services
from dpti.assets.models import (
    Asset,
    AssetMovement,
    Disposal,
)
from dpti.assets.object_types.common import PROPERTY_EDITS, READ_INTERNAL
from dpti.core import roles
from dpti.core.attachments import gallery_panel
from dpti.core.deadlines import DeadlineSpec
from dpti.core.display import EMPTY
from dpti.core.permissions import has_model_permission
from dpti.core.registry import ObjectType, register
from dpti.directory.scoping import held_by_requester


@register
class AssetType(ObjectType):
    """Movable assets: one record per physical item, shared by IT, procurement and the fleet."""

    model = Asset
    domain = "assets"
    icon = "ti ti-armchair"
    url_slug = "assets"
    list_columns = (
        "inventory_number",
        "label",
        "category",
        "brand",
        "model_name",
        "serial_number",
        "acquisition_date",
        "value",
        "supplier",
        "room",
        "room__floor__building",
        "holder",
        "holder_unit",
        "condition",
        "status",
        "warranty_end",
        "order_reference",
        "budget_line",
    )
    default_columns = (
        "inventory_number",
        "label",
        "category",
        "acquisition_date",
        "value",
        "room",
        "holder",
        "status",
    )
    filter_fields = (
        "category",
        "category__account",
        "status",
        "condition",
        "room__floor__building__site",
        "room__floor__building",
        "room",
        "holder",
        "holder_unit",
        "supplier",
        "acquisition_date",
        "warranty_end",
    )
    search_fields = ("inventory_number", "label", "brand", "model_name", "serial_number")
    form_fields = (
        "inventory_number",
        "label",
        "category",
        "brand",
        "model_name",
        "serial_number",
        "acquisition_date",
        "service_date",
        "value",
        "supplier",
        "order_reference",
        "budget_line",
        "room",
        "holder",
        "holder_unit",
        "condition",
        "status",
        "warranty_end",
        "duration_override",
        "override_reason",
        "notes",
    )
    bulk_edit_fields = ("category", "room", "holder", "holder_unit", "condition", "status")
    detail_fields = (*form_fields[:17], "disposal", *form_fields[17:])
    import_key = "inventory_number"
    # Headers of the inventories kept before the system (French first, then English).
    import_synonyms = {
        "inventory_number": ("N° inventaire", "N° d'inventaire", "No inventaire", "Inventaire"),
        "label": ("Désignation", "Libellé du bien", "Description", "Designation"),
        "category": ("Famille", "Nature", "Type de bien", "Catégorie de bien"),
        "brand": ("Fabricant", "Constructeur", "Manufacturer"),
        "model_name": ("Référence modèle", "Modèle du bien"),
        "serial_number": ("N° de série", "N° série", "S/N", "Serial"),
        "acquisition_date": ("Date d'achat", "Acheté le", "Date acquisition", "Purchase date"),
        "service_date": ("Mise en service", "Date de mise en service"),
        "value": ("Valeur", "Prix", "Montant", "Valeur TTC", "Prix TTC", "Montant TTC"),
        "value:ht": ("Valeur HT", "Prix HT", "Montant HT", "Valeur d'achat HT", "Prix d'achat HT"),
        "supplier": ("Fournisseur", "Vendeur", "Vendor"),
        "order_reference": ("N° de commande", "Bon de commande", "Marché", "N° marché"),
        "room": ("Local", "Bureau", "Salle", "Emplacement", "Localisation", "Location"),
        "holder": ("Affecté à", "Utilisateur", "Attributaire", "Assigned to"),
        "holder_unit": ("Service", "Service affectataire", "Direction"),
        "condition": ("État du bien",),
        "warranty_end": ("Garantie jusqu'au", "Fin garantie", "Warranty"),
        "notes": ("Observations", "Commentaire", "Commentaires", "Remarques"),
    }
    # The value is kept including tax; a file may give it excluding tax, TGC taux normal
    # (the general rate for equipment) in force on the acquisition date added.
    import_excl_tax = {"value": ("TN", "acquisition_date")}
    related_lists = (("movements", _("Moves and assignments")),)
    select_related = ("category", "room", "holder", "disposal")
    column_labels = {"room__floor__building": _("building")}
    permissions = {
        **PROPERTY_EDITS,
        roles.IT_MANAGER: "view add change",
        roles.FLEET_MANAGER: "view add change",
        roles.REQUESTER: "view",
    }

    def display_disposal(self, obj):
        disposal = getattr(obj, "disposal", None) if obj.pk else None
        if disposal is None:
            return EMPTY
        text = f"{disposal.get_reason_display()} — {disposal.get_state_display()}"
        if disposal.decision_reference:
            text += f" ({disposal.decision_reference}"
            if disposal.decision_date:
                text += f", {disposal.decision_date:%d/%m/%Y}"
            text += ")"
        return format_html('<a href="{}">{}</a>', disposal.get_absolute_url(), text)

    display_disposal.label = _("disposal")

    def scope(self, queryset, user):
        """A requester sees the equipment assigned to him; a contractor none."""
        return held_by_requester(queryset, user, "holder")

    def before_save(self, obj, user):
        if not obj.inventory_number:
            obj.inventory_number = services.next_inventory_number(obj)

    def after_save(self, obj, previous, user):
        # A system change (an inventory campaign moving the asset) says why in its context.
        context = getattr(obj, "change_context", {})
        services.record_movement(
            obj, previous, user, reason=context.get("reason", ""), campaign=context.get("campaign")
        )

    def before_delete(self, obj, user):
        """A disposed asset (or one with a disposal under way) is kept for good: its number is
        never reused and the register keeps its trace."""
        if obj.status == Asset.Status.DISPOSED or Disposal.objects.filter(asset=obj).exists():
            raise ValidationError(
                _(
                    "The asset %(asset)s is disposed or being disposed: it is kept in the "
                    "register with its history and cannot be deleted."
                )
                % {"asset": obj.inventory_number}
            )

    def deadlines(self, obj):
        if not obj.warranty_end or obj.status == Asset.Status.DISPOSED:
            return []
        return [
            DeadlineSpec(
                "warranty_end",
                gettext("End of warranty of %(asset)s") % {"asset": obj},
                obj.warranty_end,
            )
        ]

    def list_actions(self, request):
        if not has_model_permission(request.user, Asset, "view"):
            return []
        return [
            {
                "label": _("Print labels"),
                "url": reverse("assets:labels"),
                "icon": "ti ti-qrcode",
                "testid": "print-labels",
            }
        ]

    def detail_actions(self, obj, user):
        actions = [
            {
                "label": _("Label"),
                "url": reverse("assets:labels") + f"?pk={obj.pk}",
                "icon": "ti ti-qrcode",
            }
        ]
        may_dispose = obj.status != Asset.Status.DISPOSED and not hasattr(obj, "disposal")
        if may_dispose and has_model_permission(user, Disposal, "add"):
            actions.append(
                {
                    "label": _("Dispose"),
                    "url": reverse("assets:asset_dispose", args=[obj.pk]),
                    "icon": "ti ti-recycle",
                }
            )
        return actions

    def detail_panels(self, obj, request):
        from dpti.assets.depreciation import schedule_panel

        photos = gallery_panel(
            obj,
            _("Photos"),
            _("No photo yet: add photos of the asset in the « Files and comments » tab."),
            panel_id="photos",
            large=False,
        )
        return [schedule_panel(obj), photos]


@register
class AssetMovementType(ObjectType):
    """The journal of moves and assignments, written by the system."""

    model = AssetMovement
    domain = "assets"
    icon = "ti ti-arrows-exchange"
    url_slug = "movements"
    read_only = True
    history = False
    in_global_search = False
    list_columns = (
        "__str__",
        "moved_at",
        "asset",
        "from_room",
        "to_room",
        "from_holder",
        "to_holder",
        "from_unit",
        "to_unit",
        "reason",
        "campaign",
        "moved_by",
    )
    default_columns = ("__str__", "moved_at", "from_room", "to_room", "from_holder", "to_holder")
    column_order_by = {"__str__": ("moved_at", "id")}
    filter_fields = ("asset", "campaign", "moved_at")
    search_fields = ("asset__inventory_number", "asset__label", "reason")
    detail_fields = list_columns[1:]
    select_related = (
        "asset",
        "from_room",
        "to_room",
        "from_holder",
        "to_holder",
        "from_unit",
        "to_unit",
        "campaign",
        "moved_by",
    )
    permissions = READ_INTERNAL


@register
class DisposalType(ObjectType):
    """Disposals (réformes): proposed, then decided by a reference and a date."""

    model = Disposal
    domain = "assets"
    icon = "ti ti-recycle"
    url_slug = "disposals"
    list_columns = (
        "__str__",
        "asset",
        "reason",
        "state",
        "decision_reference",
        "decision_date",
        "sale_price",
        "beneficiary",
        "campaign",
    )
    default_columns = ("__str__", "reason", "state", "decision_reference", "decision_date")
    column_order_by = {"__str__": ("asset__inventory_number",)}
    filter_fields = ("reason", "state", "decision_date", "campaign")
    search_fields = ("asset__inventory_number", "asset__label", "decision_reference", "beneficiary")
    form_fields = (
        "asset",
        "reason",
        "state",
        "decision_reference",
        "decision_date",
        "sale_price",
        "beneficiary",
        "notes",
    )
    bulk_edit_fields = ("state", "decision_reference", "decision_date")
    import_fields = form_fields
    select_related = ("asset", "campaign")
    permissions = PROPERTY_EDITS

    def after_save(self, obj, previous, user):
        services.apply_disposal_state(obj, user)
