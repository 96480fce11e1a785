"""Purchase orders, invoices and payment suspensions."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core.deadlines import DeadlineSpec
from dpti.core.display import format_xpf
from dpti.core.registry import ObjectType, register
from dpti.procurement import budgeting, ordering, payments
from dpti.procurement.models import Invoice, PaymentSuspension, PurchaseOrder
from dpti.procurement.numbers import next_invoice_number, next_order_number
from dpti.procurement.object_types.common import (
    CONTRACTOR_READS,
    PROCUREMENT_EDITS,
    scope_to_contractor,
)


@register
class PurchaseOrderType(ObjectType):
    """Purchase orders, each committing its budget line."""

    model = PurchaseOrder
    domain = "procurement"
    icon = "ti ti-receipt"
    url_slug = "orders"
    list_columns = (
        "number",
        "object",
        "issued_on",
        "lot",
        "lot__contract",
        "supplier",
        "category",
        "budget_line",
        "amount_excl_tax",
        "tax_rate",
        "amount_incl_tax",
        "status",
        "delivery_expected_on",
    )
    default_columns = ("number", "object", "issued_on", "supplier", "amount_incl_tax", "status")
    column_labels = {"lot__contract": _("contract")}
    filter_fields = (
        "supplier",
        "lot__contract",
        "lot",
        "category",
        "budget_line",
        "budget_line__fiscal_year",
        "status",
        "issued_on",
    )
    search_fields = ("number", "object", "supplier__name", "lot__contract__reference")
    form_fields = (
        "number",
        "issued_on",
        "object",
        "lot",
        "supplier",
        "category",
        "budget_line",
        "amount_excl_tax",
        "tax_rate",
        "status",
        "delivery_expected_on",
        "notes",
    )
    detail_fields = (*form_fields[:9], "amount_incl_tax", *form_fields[9:])
    bulk_edit_fields = ("status",)
    import_key = "number"
    related_lists = (("invoices", _("Invoices")),)
    select_related = ("lot__contract", "supplier", "category", "budget_line", "tax_rate")
    permissions = {**PROCUREMENT_EDITS, **CONTRACTOR_READS}

    def scope(self, queryset, user):
        """A contractor sees the orders placed with his company."""
        return scope_to_contractor(queryset, user, company_path="supplier")

    def before_save(self, obj, user):
        if not obj.number and obj.issued_on:
            obj.number = next_order_number(obj.issued_on)
        if obj.lot_id and obj.supplier_id is None:
            obj.supplier_id = obj.lot.holder_id
        budgeting.lock_and_check_order(obj)

    def after_save(self, obj, previous, user):
        ordering.sync_commitment(obj)


@register
class InvoiceType(ObjectType):
    """Invoices, their payment delay and the late-payment interest owed."""

    model = Invoice
    domain = "procurement"
    icon = "ti ti-file-invoice"
    url_slug = "invoices"
    list_columns = (
        "number",
        "supplier",
        "supplier_reference",
        "order",
        "commitment",
        "issued_on",
        "received_on",
        "service_done_on",
        "amount_excl_tax",
        "amount_incl_tax",
        "status",
        "due_on",
        "paid_on",
        "payment_days",
        "late_days",
        "late_interest",
        "recovery_indemnity",
    )
    default_columns = (
        "number",
        "supplier",
        "supplier_reference",
        "received_on",
        "amount_incl_tax",
        "status",
        "due_on",
        "paid_on",
        "late_days",
        "late_interest",
    )
    filter_fields = (
        "supplier",
        "status",
        "order",
        "commitment__budget_line",
        "commitment__budget_line__fiscal_year",
        "received_on",
        "due_on",
        "paid_on",
        "late_days",
    )
    search_fields = ("number", "supplier_reference", "supplier__name", "payment_reference")
    form_fields = (
        "number",
        "supplier",
        "supplier_reference",
        "order",
        "commitment",
        "issued_on",
        "received_on",
        "amount_excl_tax",
        "tax_rate",
        "service_done_on",
        "paid_on",
        "payment_reference",
        "is_rejected",
        "notes",
    )
    detail_fields = (
        *form_fields[:9],
        "amount_incl_tax",
        "status",
        "service_done_on",
        "allowed_days",
        "suspended_days",
        "due_on",
        "paid_on",
        "payment_reference",
        "payment_days",
        "late_days",
        "late_interest",
        "recovery_indemnity",
        "is_rejected",
        "notes",
    )
    bulk_edit_fields = ()
    import_key = "number"
    related_lists = (("suspensions", _("Payment suspensions")),)
    select_related = ("supplier", "order", "commitment", "tax_rate")
    permissions = {**PROCUREMENT_EDITS, **CONTRACTOR_READS}

    def scope(self, queryset, user):
        """A contractor sees his company's invoices and their payment."""
        return scope_to_contractor(queryset, user, company_path="supplier")

    def detail_panels(self, obj, request):
        from dpti.procurement.views.payments import invoice_panels

        return invoice_panels(obj, request)

    def before_save(self, obj, user):
        if not obj.number and obj.received_on:
            obj.number = next_invoice_number(obj.received_on)

    def deadlines(self, obj):
        if obj.paid_on or obj.is_rejected or not obj.due_on:
            return []
        return [
            DeadlineSpec(
                "payment_due",
                gettext("Pay the invoice %(number)s of %(supplier)s (%(amount)s)")
                % {
                    "number": obj.supplier_reference,
                    "supplier": obj.supplier,
                    "amount": format_xpf(obj.amount_incl_tax),
                },
                obj.due_on,
                owner=obj.created_by,  # who recorded the invoice follows its payment
            )
        ]


@register
class PaymentSuspensionType(ObjectType):
    """Suspensions of invoices' payment delay."""

    model = PaymentSuspension
    domain = "procurement"
    icon = "ti ti-player-pause"
    url_slug = "payment-suspensions"
    in_global_search = False
    list_columns = ("__str__", "invoice", "suspended_on", "resumed_on", "days", "reason")
    default_columns = ("__str__", "suspended_on", "resumed_on", "days", "reason")
    column_order_by = {"__str__": ("invoice__number", "suspended_on")}
    filter_fields = ("invoice", "suspended_on")
    search_fields = ("reason", "invoice__number", "invoice__supplier_reference")
    form_fields = ("invoice", "suspended_on", "resumed_on", "reason")
    detail_fields = ("invoice", "suspended_on", "resumed_on", "days", "reason")
    bulk_edit_fields = ()
    select_related = ("invoice",)
    permissions = {**PROCUREMENT_EDITS, **CONTRACTOR_READS}

    def scope(self, queryset, user):
        return scope_to_contractor(queryset, user, company_path="invoice__supplier")

    def after_save(self, obj, previous, user):
        payments.invoice_suspensions_changed(obj.invoice, user)

    def after_delete(self, obj, user):
        payments.invoice_suspensions_changed(obj.invoice, user)
