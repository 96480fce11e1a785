"""Purchase orders (bons de commande), invoices (factures) and the suspensions of their delay."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField, given_number_field
from dpti.core.models import BaseModel
from dpti.procurement.models.taxed import TaxedAmount


class PurchaseOrder(TaxedAmount, BaseModel):
    """A purchase order, against a contract lot or on its own; it commits its budget line for
    its amount including tax (a commitment is kept beside it)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    number = given_number_field(_("number"), _("An order with this number already exists."))
    issued_on = models.DateField(_("issued on"))
    object = models.CharField(_("object"), max_length=250)
    lot = models.ForeignKey(
        "procurement.ContractLot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("contract lot"),
    )
    supplier = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        blank=True,
        related_name="purchase_orders",
        verbose_name=_("supplier"),
        help_text=_("Left empty, the lot's holder when the order is placed against a lot."),
    )
    category = models.ForeignKey(
        "procurement.PurchaseCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("purchase category"),
        help_text=_("Counted in the category's yearly total (splitting check)."),
    )
    budget_line = models.ForeignKey(
        "procurement.BudgetLine",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("budget line"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    delivery_expected_on = models.DateField(_("delivery expected on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-issued_on", "-number"]
        indexes = [
            models.Index(fields=["lot", "status"], name="order_lot_status"),
            # the lists' default order, so that a page of 50 reads 50 rows
            models.Index(fields=["-issued_on", "-number"], name="order_recent"),
        ]

    def __str__(self):
        return f"{self.number} — {self.object}"

    def clean(self):
        from dpti.procurement import ordering

        ordering.check_order(self)


class Invoice(TaxedAmount, BaseModel):
    """An invoice: received, certified once the service was done, then paid. Its payment delay
    and the late-payment interest owed are computed by the rules (procurement.payments)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CERTIFIED = "certified", _("Service done certified")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    number = given_number_field(
        _("register number"), _("An invoice with this register number already exists.")
    )
    supplier = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        blank=True,
        related_name="invoices",
        verbose_name=_("supplier"),
        help_text=_("Left empty, the supplier of the order."),
    )
    supplier_reference = models.CharField(_("supplier's invoice number"), max_length=60)
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("purchase order"),
    )
    commitment = models.ForeignKey(
        "procurement.Commitment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("commitment"),
        help_text=_("The order's commitment when an order is given."),
    )
    issued_on = models.DateField(_("invoice date"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    service_done_on = models.DateField(
        _("service done on"),
        null=True,
        blank=True,
        help_text=_(
            "Day the service was completed and certified; when later than the receipt, the "
            "delay runs from it."
        ),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    is_rejected = models.BooleanField(
        _("rejected"), default=False, help_text=_("Returned to the supplier: no delay runs.")
    )
    # Computed by procurement.payments on every save (and each night for unpaid invoices).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    allowed_days = models.PositiveSmallIntegerField(
        _("payment delay allowed (days)"), null=True, blank=True, editable=False
    )
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0, editable=False)
    due_on = models.DateField(_("payment due on"), null=True, blank=True, editable=False)
    payment_days = models.PositiveIntegerField(
        _("payment delay (days)"), null=True, blank=True, editable=False
    )
    late_days = models.PositiveIntegerField(_("days late"), default=0, editable=False)
    late_interest = AmountField(_("late-payment interest (XPF)"), default=0, editable=False)
    recovery_indemnity = AmountField(_("recovery indemnity (XPF)"), default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "supplier_reference"],
                name="procurement_invoice_unique_supplier_reference",
                violation_error_message=_("This supplier's invoice is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=models.F("received_on")),
                name="procurement_invoice_paid_after_receipt",
                violation_error_message=_("An invoice cannot be paid before it is received."),
            ),
        ]
        indexes = [
            models.Index(fields=["paid_on"], name="invoice_paid_on"),
            # What the budget execution sums by commitment, read from the index alone.
            models.Index(
                fields=["commitment"],
                include=["amount_incl_tax"],
                condition=Q(paid_on__isnull=False),
                name="invoice_paid_by_commitment",
            ),
            models.Index(fields=["due_on"], name="invoice_due_on"),
            models.Index(fields=["-received_on", "-number"], name="invoice_recent"),
            models.Index(
                fields=["supplier", "-received_on", "-number"], name="invoice_supplier_recent"
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.supplier_reference}"

    def clean(self):
        from dpti.procurement import payments

        payments.check_invoice(self)


class PaymentSuspension(BaseModel):
    """A suspension of an invoice's payment delay (missing document, dispute): its days do not
    count in the delay."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="suspensions", verbose_name=_("invoice")
    )
    suspended_on = models.DateField(_("suspended on"))
    resumed_on = models.DateField(
        _("resumed on"),
        null=True,
        blank=True,
        help_text=_("The day the missing piece was received; empty while suspended."),
    )
    reason = models.CharField(_("reason"), max_length=250)
    days = models.PositiveIntegerField(_("days"), default=0, editable=False)

    class Meta:
        verbose_name = _("payment suspension")
        verbose_name_plural = _("payment suspensions")
        ordering = ["invoice", "suspended_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=models.F("suspended_on")),
                name="procurement_suspension_resumed_after_start",
                violation_error_message=_("The delay cannot resume before it was suspended."),
            )
        ]

    def __str__(self):
        return _("Suspension of %(invoice)s from %(day)s") % {
            "invoice": self.invoice.number,
            "day": self.suspended_on.strftime("%d/%m/%Y"),
        }

    def clean(self):
        if self.invoice_id is None or self.suspended_on is None:
            return
        errors = {}
        if self.suspended_on < self.invoice.received_on:
            errors["suspended_on"] = _("The delay cannot be suspended before the invoice arrived.")
        if self.invoice.paid_on and self.suspended_on > self.invoice.paid_on:
            errors["suspended_on"] = _("The invoice was already paid on that day.")
        end = self.resumed_on or self.suspended_on
        overlapping = (
            PaymentSuspension.objects.filter(invoice_id=self.invoice_id)
            .exclude(pk=self.pk)
            .filter(suspended_on__lte=end)
            .filter(Q(resumed_on__isnull=True) | Q(resumed_on__gte=self.suspended_on))
        )
        if overlapping.exists():
            errors["suspended_on"] = _("This period overlaps another suspension of the invoice.")
        if errors:
            raise ValidationError(errors)
        self.days = (self.resumed_on - self.suspended_on).days if self.resumed_on else 0
