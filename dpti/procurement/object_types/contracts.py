"""Purchase needs, contracts, lots, amendments and service orders."""

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.procurement import amendments, procedures
from dpti.procurement.models import Amendment, Contract, ContractLot, PurchaseNeed, ServiceOrder
from dpti.procurement.numbers import next_contract_reference, next_need_reference
from dpti.procurement.object_types.common import (
    CONTRACT_READ,
    CONTRACTOR_READS,
    PROCUREMENT_EDITS,
    READERS,
    contractor_company,
    held_lots_contracts,
    scope_to_contractor,
)


@register
class PurchaseNeedType(ObjectType):
    """Purchase needs and the procedure the rules require for them."""

    model = PurchaseNeed
    domain = "procurement"
    icon = "ti ti-shopping-cart-question"
    url_slug = "needs"
    list_columns = (
        "reference",
        "object",
        "category",
        "operation",
        "estimated_amount",
        "needed_on",
        "requesting_unit",
        "budget_line",
        "year_total",
        "required_procedure",
        "splitting_suspected",
        "status",
    )
    default_columns = (
        "reference",
        "object",
        "category",
        "estimated_amount",
        "required_procedure",
        "splitting_suspected",
        "status",
    )
    filter_fields = (
        "category",
        "category__kind",
        "status",
        "required_procedure",
        "splitting_suspected",
        "requesting_unit",
        "needed_on",
    )
    search_fields = ("reference", "object", "operation")
    form_fields = (
        "reference",
        "object",
        "category",
        "operation",
        "estimated_amount",
        "needed_on",
        "budget_line",
        "requesting_unit",
        "status",
        "notes",
    )
    detail_fields = (
        *form_fields[:9],
        "year_total",
        "required_procedure",
        "splitting_suspected",
        "notes",
    )  # the reason is the « Procédure requise » card
    bulk_edit_fields = ("status", "requesting_unit")
    import_key = "reference"
    related_lists = (("contracts", _("Contracts")),)
    select_related = ("category", "budget_line", "requesting_unit")
    # Every manager expresses needs; the procurement manager decides them.
    permissions = {
        **PROCUREMENT_EDITS,
        **roles.grant(READERS[1:], "view add change"),
    }

    def detail_panels(self, obj, request):
        from dpti.procurement.views.procedure import need_panels

        return need_panels(obj, request)

    def before_save(self, obj, user):
        if not obj.reference and obj.needed_on:
            obj.reference = next_need_reference(obj.needed_on)
        procedures.assess_need(obj)


@register
class ContractType(ObjectType):
    """Public contracts (marchés), their consumption and deadlines."""

    model = Contract
    domain = "procurement"
    icon = "ti ti-file-certificate"
    url_slug = "contracts"
    list_columns = (
        "reference",
        "object",
        "kind",
        "category",
        "procedure",
        "is_framework",
        "status",
        "notified_on",
        "start_date",
        "end_date",
        "renewals_done",
        "renewals_allowed",
        "manager",
    )
    default_columns = ("reference", "object", "kind", "procedure", "status", "end_date")
    filter_fields = (
        "kind",
        "category",
        "procedure",
        "is_framework",
        "status",
        "manager",
        "lots__holder",
        "end_date",
        "buildings",
    )
    search_fields = ("reference", "object", "lots__holder__name", "lots__title")
    form_fields = (
        "reference",
        "object",
        "kind",
        "category",
        "procedure",
        "need",
        "is_framework",
        "status",
        "notified_on",
        "start_date",
        "duration_months",
        "renewals_allowed",
        "renewal_months",
        "renewals_done",
        "renewal_notice_months",
        "tax_rate",
        "price_revision",
        "price_revision_clause",
        "guarantee_retention",
        "advance_rate",
        "manager",
        "buildings",
        "assets",
        "applications",
        "notes",
    )
    detail_fields = (*form_fields[:14], "end_date", *form_fields[14:])
    bulk_edit_fields = ("status", "manager")
    import_key = "reference"
    import_synonyms = {
        "reference": ("N° de marché", "N° marché", "Référence marché", "N° du marché"),
        "object": ("Objet du marché", "Intitulé", "Libellé"),
        "notified_on": ("Date de notification", "Notifié le", "Notification"),
        "start_date": ("Date de début", "Début", "Date d'effet"),
        "duration_months": ("Durée (mois)", "Durée en mois", "Durée"),
        "tax_rate": ("TGC", "Taux TGC", "Taux de TGC"),
        "manager": ("Gestionnaire", "Suivi par", "Responsable"),
    }
    m2m_history_fields = ("buildings", "assets", "applications")
    related_lists = (
        ("lots", _("Lots")),
        ("amendments", _("Amendments")),
        ("service_orders", _("Service orders")),
        ("commitments", _("Commitments")),
    )
    select_related = ("category", "manager", "tax_rate")
    permissions = {**CONTRACT_READ, **CONTRACTOR_READS}
    create_children = (
        ("procurement.contractlot", "contract", _("Add a lot")),
        ("procurement.amendment", "contract", _("Add an amendment")),
        ("procurement.purchaseorder", "lot__contract", _("Add a purchase order")),
    )

    def scope(self, queryset, user):
        """A contractor sees the contracts where his company holds a lot."""
        return scope_to_contractor(queryset, user, contract_path="pk")

    def detail_panels(self, obj, request):
        from dpti.procurement.views.contracts import contract_panels

        return contract_panels(obj, request)

    def detail_actions(self, obj, user):
        from dpti.procurement.views.contracts import contract_actions

        return contract_actions(obj, user)

    def before_save(self, obj, user):
        if not obj.reference:
            from django.utils import timezone

            obj.reference = next_contract_reference(obj.notified_on or timezone.localdate())

    def deadlines(self, obj):
        if obj.status not in (Contract.Status.IN_FORCE, Contract.Status.PREPARATION):
            return []
        specs = []
        if obj.renewal_decision_date:
            specs.append(
                DeadlineSpec(
                    "renewal_decision",
                    gettext("Decide the renewal of the contract %(contract)s")
                    % {"contract": obj.reference},
                    obj.renewal_decision_date,
                    owner=obj.manager.user if obj.manager_id and obj.manager.user_id else None,
                )
            )
        if obj.end_date:
            specs.append(
                DeadlineSpec(
                    "contract_end",
                    gettext("End of the contract %(contract)s") % {"contract": obj.reference},
                    obj.end_date,
                    owner=obj.manager.user if obj.manager_id and obj.manager.user_id else None,
                )
            )
        return specs


@register
class ContractLotType(ObjectType):
    """Lots of contracts and their holders."""

    model = ContractLot
    domain = "procurement"
    icon = "ti ti-packages"
    url_slug = "lots"
    list_columns = (
        "__str__",
        "contract",
        "number",
        "title",
        "holder",
        "amount_excl_tax",
        "tax_rate",
        "amount_incl_tax",
        "minimum_excl_tax",
        "maximum_excl_tax",
    )
    default_columns = ("__str__", "holder", "amount_excl_tax", "maximum_excl_tax")
    column_order_by = {"__str__": ("contract__reference", "number")}
    filter_fields = ("contract", "holder", "contract__is_framework", "contract__status")
    search_fields = ("title", "contract__reference", "holder__name")
    form_fields = (
        "contract",
        "number",
        "title",
        "holder",
        "amount_excl_tax",
        "tax_rate",
        "minimum_excl_tax",
        "maximum_excl_tax",
    )
    detail_fields = (*form_fields[:6], "amount_incl_tax", *form_fields[6:])
    bulk_edit_fields = ("holder", "tax_rate")
    # Headers of the contract lists kept by the services before the system.
    import_synonyms = {
        "contract": ("N° de marché", "N° marché", "Référence du marché", "Marché"),
        "number": ("N° de lot", "N° lot", "Lot"),
        "title": ("Intitulé du lot", "Objet du lot", "Désignation du lot"),
        "holder": ("Titulaire", "Attributaire", "Entreprise", "Prestataire"),
        "amount_excl_tax": ("Montant HT", "Montant hors taxes", "Montant du lot HT"),
        "tax_rate": ("TGC", "Taux TGC", "Taux de TGC"),
    }
    related_lists = (("orders", _("Purchase orders")), ("amendments", _("Amendments")))
    select_related = ("contract", "holder", "tax_rate")
    permissions = {**CONTRACT_READ, **CONTRACTOR_READS}
    create_children = (("procurement.purchaseorder", "lot", _("Add a purchase order")),)

    def scope(self, queryset, user):
        """A contractor sees the lots his company holds."""
        return scope_to_contractor(queryset, user, company_path="holder")

    def detail_panels(self, obj, request):
        from dpti.procurement.views.contracts import lot_panels

        return lot_panels(obj, request)

    def after_save(self, obj, previous, user):
        amendments.refresh_cumulative(obj.contract)


def _contract_part_scope(queryset, user):
    """Amendments and service orders a contractor sees: those of his lots, and those of the
    whole contract where he holds a lot."""
    company_id = contractor_company(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(
        Q(lot__holder_id=company_id)
        | Q(lot__isnull=True, contract__in=held_lots_contracts(company_id))
    )


@register
class AmendmentType(ObjectType):
    """Amendments (avenants) and their cumulative increase."""

    model = Amendment
    domain = "procurement"
    icon = "ti ti-file-plus"
    url_slug = "amendments"
    list_columns = (
        "__str__",
        "contract",
        "lot",
        "number",
        "signed_on",
        "object",
        "amount_excl_tax",
        "extension_months",
        "cumulative_percent",
        "beyond_limit",
    )
    default_columns = (
        "__str__",
        "signed_on",
        "object",
        "amount_excl_tax",
        "cumulative_percent",
        "beyond_limit",
    )
    column_order_by = {"__str__": ("contract__reference", "number")}
    filter_fields = ("contract", "beyond_limit", "signed_on")
    search_fields = ("object", "contract__reference")
    form_fields = (
        "contract",
        "lot",
        "number",
        "signed_on",
        "object",
        "amount_excl_tax",
        "extension_months",
        "justification",
    )
    detail_fields = (*form_fields[:7], "cumulative_percent", "beyond_limit", "justification")
    bulk_edit_fields = ()
    select_related = ("contract", "lot")
    permissions = {**PROCUREMENT_EDITS, **CONTRACTOR_READS}
    dependent_choices = {"lot": "contract"}

    def scope(self, queryset, user):
        return _contract_part_scope(queryset, user)

    def after_save(self, obj, previous, user):
        amendments.contract_amendments_changed(obj.contract, user)

    def after_delete(self, obj, user):
        amendments.contract_amendments_changed(obj.contract, user)


@register
class ServiceOrderType(ObjectType):
    """Service orders (ordres de service)."""

    model = ServiceOrder
    domain = "procurement"
    icon = "ti ti-player-play"
    url_slug = "service-orders"
    list_columns = (
        "__str__",
        "contract",
        "lot",
        "number",
        "kind",
        "issued_on",
        "effective_on",
        "object",
    )
    default_columns = ("__str__", "kind", "issued_on", "effective_on", "object")
    column_order_by = {"__str__": ("contract__reference", "number")}
    filter_fields = ("contract", "kind", "issued_on")
    search_fields = ("object", "contract__reference")
    form_fields = ("contract", "lot", "number", "kind", "issued_on", "effective_on", "object")
    bulk_edit_fields = ()
    select_related = ("contract", "lot")
    permissions = {**PROCUREMENT_EDITS, **CONTRACTOR_READS}
    dependent_choices = {"lot": "contract"}

    def scope(self, queryset, user):
        return _contract_part_scope(queryset, user)
