"""Payment delays and late-payment interest: worked examples computed by hand, then the same
rules through the write services (invoice statuses, refusals, suspensions, deadlines, the
nightly refresh and its command)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from dpti.core.display import format_xpf
from dpti.core.models import Deadline
from dpti.core.services import delete_object, save_object
from dpti.procurement import ordering, payments
from dpti.procurement.models import Invoice, LatePaymentRate, PaymentSuspension
from tests.factories import CompanyFactory, InvoiceFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db

D = date
# 1 000 000 XPF excl. tax at the TGC normal rate (11 %): 1 110 000 XPF incl. tax.
AMOUNT = 1_110_000


def french(message, **values):
    """The French text of an English source message (it must be translated), with its values."""
    with translation.override("fr"):
        text = gettext(message)
    assert text != message, f"not translated: {message}"
    return text % values if values else text


def delay(
    received_on, paid_on=None, service_done_on=None, suspensions=(), today=None, amount=AMOUNT
):
    """The rule with the installed reference data (30 days allowed, half-yearly rates)."""
    return payments.compute_delay(
        received_on=received_on,
        service_done_on=service_done_on,
        paid_on=paid_on,
        suspensions=list(suspensions),
        allowed_days=payments.allowed_days_on(received_on),
        amount_incl_tax=amount,
        rate_on=payments.rate_on,
        today=today,
    )


# --- Worked examples of the rule ------------------------------------------------------------


def test_an_invoice_paid_within_the_delay_owes_nothing():
    """Paid 23 days after receipt, within the 30 days allowed: no day late, no interest."""
    result = delay(D(2026, 3, 2), paid_on=D(2026, 3, 25), service_done_on=D(2026, 3, 2))
    assert result.start == D(2026, 3, 2)
    assert result.allowed_days == 30  # régime 2025-2026, 30 days
    assert result.due_on == D(2026, 4, 1)  # 02/03 + 30 days
    assert result.elapsed_days == 23  # 25 - 2
    assert (result.late_days, result.interest, result.indemnity) == (0, 0, 0)
    assert result.rate is None


def test_an_invoice_paid_late_owes_interest_and_the_indemnity():
    """Paid on 15/04 for a receipt on 02/03: 44 days, 14 late at 10.15 %, plus 4 773 XPF."""
    result = delay(D(2026, 3, 2), paid_on=D(2026, 4, 15), service_done_on=D(2026, 3, 2))
    assert result.due_on == D(2026, 4, 1)
    assert result.elapsed_days == 44  # 29 days to 31/03 + 15 in April
    assert result.late_days == 14  # 44 - 30
    assert result.rate == Decimal("10.15")  # first day late 02/04/2026: 2.15 + 8 points
    # 1 110 000 * 10.15 * 14 / 36 500 = 157 731 000 / 36 500 = 4 321.39… → 4 321
    assert result.interest == 4_321
    assert result.indemnity == 4_773


def test_the_delay_runs_from_the_service_done_when_it_is_later():
    """Received 02/03, service done 16/03, paid 30/04: the 30 days run from 16/03."""
    result = delay(D(2026, 3, 2), paid_on=D(2026, 4, 30), service_done_on=D(2026, 3, 16))
    assert result.start == D(2026, 3, 16)
    assert result.due_on == D(2026, 4, 15)  # 16/03 + 30
    assert result.elapsed_days == 45  # 15 days to 31/03 + 30 in April
    assert result.late_days == 15
    # 1 110 000 * 10.15 * 15 / 36 500 = 168 997 500 / 36 500 = 4 630.07… → 4 630
    assert result.interest == 4_630


def test_a_service_done_before_receipt_does_not_move_the_start():
    """Service done before the invoice arrived: the delay runs from the receipt."""
    result = delay(D(2026, 3, 2), paid_on=D(2026, 3, 20), service_done_on=D(2026, 2, 20))
    assert result.start == D(2026, 3, 2)
    assert result.elapsed_days == 18


def test_a_suspension_moves_the_due_date_and_is_not_counted():
    """Suspended from 10/03 to 20/03 (10 days): due 11/04 instead of 01/04, 39 days counted."""
    result = delay(
        D(2026, 3, 2),
        paid_on=D(2026, 4, 20),
        service_done_on=D(2026, 3, 2),
        suspensions=[(D(2026, 3, 10), D(2026, 3, 20))],
    )
    assert result.suspended_days == 10  # 20 - 10, the day of resumption not counted
    assert result.due_on == D(2026, 4, 11)  # 02/03 + 30 + 10
    assert result.elapsed_days == 39  # (29 + 20 = 49 days) - 10 suspended
    assert result.late_days == 9  # 39 - 30, or 20/04 - 11/04
    # 1 110 000 * 10.15 * 9 / 36 500 = 101 398 500 / 36 500 = 2 778.04… → 2 778
    assert result.interest == 2_778


def test_an_open_suspension_stops_the_clock_until_today():
    """Suspended since 10/03 and still on 30/04: 51 days suspended, 8 counted, nothing late."""
    result = delay(
        D(2026, 3, 2),
        service_done_on=D(2026, 3, 2),
        suspensions=[(D(2026, 3, 10), None)],
        today=D(2026, 4, 30),
    )
    assert result.suspended_days == 51  # 21 days to 31/03 + 30 in April
    assert result.elapsed_days == 8  # (29 + 30 = 59) - 51, i.e. 02/03 → 10/03
    assert result.due_on == D(2026, 5, 22)  # 02/03 + 30 + 51 = 02/03 + 81 days
    assert (result.late_days, result.interest) == (0, 0)


def test_a_suspension_before_the_delay_starts_does_not_count():
    """A suspension while the service was not done yet stops nothing: the delay had not begun."""
    result = delay(
        D(2026, 3, 2),
        paid_on=D(2026, 4, 30),
        service_done_on=D(2026, 3, 16),
        suspensions=[(D(2026, 3, 5), D(2026, 3, 10)), (D(2026, 3, 14), D(2026, 3, 20))],
    )
    # The first one ends before 16/03; of the second only 16/03 → 20/03 counts: 4 days.
    assert result.suspended_days == 4
    assert result.due_on == D(2026, 4, 19)  # 16/03 + 30 + 4
    assert result.late_days == 11  # 45 days - 4 - 30


def test_the_days_are_counted_across_the_year_end():
    """Received 15/12/2025, paid 20/02/2026: 67 days, 37 late at the rate of 15/01/2026."""
    # 2 000 000 XPF excl. tax at 11 %: 2 220 000 incl. tax.
    result = delay(D(2025, 12, 15), paid_on=D(2026, 2, 20), amount=2_220_000)
    assert result.due_on == D(2026, 1, 14)  # 15/12/2025 + 30 (16 days in December + 14)
    assert result.elapsed_days == 67  # 16 days to 31/12 + 31 in January + 20 in February
    assert result.late_days == 37
    assert result.rate == Decimal("10.15")  # 1st half of 2026: 2.15 + 8
    # 2 220 000 * 10.15 * 37 / 36 500 = 833 721 000 / 36 500 = 22 841.67… → 22 842
    assert result.interest == 22_842
    assert result.indemnity == 4_773
    assert result.interest + result.indemnity == 27_615


def test_the_rate_is_the_one_in_force_on_the_first_day_late():
    """A new rate from 1 January applies to an invoice whose first day late is 15/01/2026."""
    LatePaymentRate.objects.filter(valid_from=D(2026, 1, 1)).update(reference_rate=Decimal("3"))
    result = delay(D(2025, 12, 15), paid_on=D(2026, 2, 20), amount=2_220_000)
    assert result.rate == Decimal("11.00")  # 3 + 8, not the 10.15 of December 2025
    # 2 220 000 * 11 * 37 / 36 500 = 903 540 000 / 36 500 = 24 754.52… → 24 755
    assert result.interest == 24_755


def test_the_rate_does_not_change_with_the_payment_half_year():
    """Late from 20/06/2025, paid in August: the 1st-half rate (3.15 + 8) for every day late."""
    result = delay(D(2025, 5, 20), paid_on=D(2025, 8, 8), amount=AMOUNT)
    assert result.due_on == D(2025, 6, 19)  # 11 days to 31/05 + 19
    assert result.late_days == 50  # 11 days of June + 31 of July + 8 of August
    assert result.rate == Decimal("11.15")
    # 1 110 000 * 11.15 * 50 / 36 500 = 618 825 000 / 36 500 = 16 954.1… → 16 954
    assert result.interest == 16_954


def test_the_interest_is_rounded_half_up_to_the_franc():
    """x.5 goes up (never to the even franc), under .5 goes down, nothing when not late."""
    assert payments.late_interest(1_825, Decimal("10"), 5) == 3  # 1 825 * 10 * 5 / 36 500 = 2.5
    assert payments.late_interest(365, Decimal("10"), 5) == 1  # 0.5
    assert payments.late_interest(1_824, Decimal("10"), 5) == 2  # 2.4986…
    assert payments.late_interest(1_110_000, Decimal("10.15"), 0) == 0


# --- Through the write services -------------------------------------------------------------


@pytest.fixture
def order(db, normal_rate):
    """An order of 1 000 000 XPF excl. tax at 11 %: 1 110 000 incl. tax, issued on 5 January
    2026, before the invoices of these examples."""
    return PurchaseOrderFactory(
        amount_excl_tax=1_000_000, tax_rate=normal_rate, issued_on=D(2026, 1, 5)
    )


def new_invoice(order, normal_rate, **values):
    values.setdefault("supplier_reference", "F-2026-001")
    values.setdefault("received_on", D(2026, 3, 2))
    values.setdefault("amount_excl_tax", 1_000_000)
    return Invoice(order=order, tax_rate=normal_rate, **values)


def test_an_invoice_goes_from_received_to_certified_to_paid(order, normal_rate, buyer):
    """Saved with the order only, it takes the order's supplier; the service done certifies
    it; the payment closes it with its delay and interest."""
    invoice = save_object(new_invoice(order, normal_rate), user=buyer)
    invoice.refresh_from_db()
    assert invoice.number == "FAC-2026-00001"
    assert invoice.supplier_id == order.supplier_id
    assert invoice.status == Invoice.Status.RECEIVED
    assert invoice.amount_incl_tax == 1_110_000  # 1 000 000 + 11 %
    assert invoice.due_on == D(2026, 4, 1)
    invoice.service_done_on = D(2026, 3, 2)
    save_object(invoice, user=buyer)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CERTIFIED
    invoice.paid_on = D(2026, 4, 15)
    save_object(invoice, user=buyer)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.payment_days == 44  # 29 + 15
    assert invoice.late_days == 14
    assert invoice.late_interest == 4_321  # 1 110 000 * 10.15 * 14 / 36 500
    assert invoice.recovery_indemnity == 4_773


def test_a_rejected_invoice_runs_no_delay(order, normal_rate, buyer):
    """Returned to the supplier: status rejected, no due date, nothing owed."""
    invoice = save_object(new_invoice(order, normal_rate, is_rejected=True), user=buyer)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.REJECTED
    assert invoice.due_on is None
    assert (invoice.late_days, invoice.late_interest, invoice.recovery_indemnity) == (0, 0, 0)
    assert not Deadline.objects.filter(object_id=invoice.pk, kind="payment_due").exists()


def refused(invoice, buyer):
    """The French messages by field of a refused save."""
    with pytest.raises(ValidationError) as error, translation.override("fr"):
        save_object(invoice, user=buyer)
    return error.value.message_dict


def test_an_invoice_is_not_paid_before_the_service_is_done(order, normal_rate, buyer):
    """Paid without a service done, or before it: refused in French, nothing saved."""
    errors = refused(new_invoice(order, normal_rate, paid_on=D(2026, 3, 20)), buyer)
    assert errors["paid_on"] == [
        french("An invoice is paid only once the service done is certified.")
    ]
    errors = refused(
        new_invoice(order, normal_rate, service_done_on=D(2026, 3, 25), paid_on=D(2026, 3, 20)),
        buyer,
    )
    assert errors["paid_on"] == [
        french("The payment cannot precede the certification of the service.")
    ]
    assert not Invoice.objects.exists()


def test_a_rejected_invoice_is_not_paid(order, normal_rate, buyer):
    """Rejected and paid at once: refused on the payment date."""
    invoice = new_invoice(
        order, normal_rate, is_rejected=True, service_done_on=D(2026, 3, 2), paid_on=D(2026, 3, 9)
    )
    assert refused(invoice, buyer)["paid_on"] == [french("A rejected invoice is not paid.")]
    assert not Invoice.objects.exists()


def test_dates_in_the_future_are_refused(order, normal_rate, buyer):
    """Received, certified or paid tomorrow: each date refused."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = refused(new_invoice(order, normal_rate, received_on=tomorrow), buyer)
    assert errors["received_on"] == [french("This date is in the future.")]
    errors = refused(new_invoice(order, normal_rate, service_done_on=tomorrow), buyer)
    assert errors["service_done_on"] == [french("This date is in the future.")]
    assert not Invoice.objects.exists()


def test_the_invoices_of_an_order_stay_within_its_amount(order, normal_rate, buyer):
    """666 000 then 555 000 incl. tax on an order of 1 110 000: the second is refused."""
    save_object(new_invoice(order, normal_rate, amount_excl_tax=600_000), user=buyer)
    second = new_invoice(
        order, normal_rate, supplier_reference="F-2026-002", amount_excl_tax=500_000
    )
    errors = refused(second, buyer)
    # 600 000 * 1.11 = 666 000; 500 000 * 1.11 = 555 000; 666 000 + 555 000 = 1 221 000
    assert errors["amount_excl_tax"] == [
        french(
            "The invoices of order %(order)s would total %(total)s incl. tax, more than "
            "the %(ordered)s ordered.",
            order=order.number,
            total=format_xpf(1_221_000),
            ordered=format_xpf(1_110_000),
        )
    ]
    assert Invoice.objects.count() == 1


def test_a_rejected_invoice_does_not_use_the_order_amount(order, normal_rate, buyer):
    """A rejected invoice of the full amount leaves room for its corrected replacement."""
    save_object(new_invoice(order, normal_rate, is_rejected=True), user=buyer)
    save_object(new_invoice(order, normal_rate, supplier_reference="F-2026-002"), user=buyer)
    assert Invoice.objects.count() == 2


def test_the_supplier_must_be_the_orders(order, normal_rate, buyer):
    """Another company than the order's supplier: refused and named."""
    errors = refused(new_invoice(order, normal_rate, supplier=CompanyFactory()), buyer)
    assert errors["supplier"] == [
        french(
            "The order %(order)s was placed with %(supplier)s.",
            order=order.number,
            supplier=order.supplier,
        )
    ]
    assert not Invoice.objects.exists()


def test_an_invoice_without_order_needs_its_supplier(normal_rate, buyer):
    """No order and no supplier: refused on the supplier."""
    errors = refused(new_invoice(None, normal_rate), buyer)
    assert errors["supplier"] == [french("Give the supplier, or the order the invoice answers.")]
    assert not Invoice.objects.exists()


def test_a_refused_change_leaves_the_stored_invoice(order, normal_rate, buyer):
    """A payment refused on a saved invoice changes nothing stored."""
    invoice = save_object(new_invoice(order, normal_rate), user=buyer)
    invoice.paid_on = D(2026, 3, 20)  # no service done
    refused(invoice, buyer)
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.paid_on is None
    assert stored.status == Invoice.Status.RECEIVED
    assert stored.version == 1


def test_the_invoice_takes_the_orders_commitment(order, normal_rate, buyer):
    """The commitment of the order is set on its invoice."""
    commitment = ordering.sync_commitment(order)
    invoice = save_object(new_invoice(order, normal_rate), user=buyer)
    assert Invoice.objects.get(pk=invoice.pk).commitment_id == commitment.pk


def test_suspensions_recompute_their_invoice(order, normal_rate, buyer):
    """Adding, changing and deleting a suspension moves the invoice's due date and interest."""
    invoice = save_object(
        new_invoice(order, normal_rate, service_done_on=D(2026, 3, 2), paid_on=D(2026, 4, 20)),
        user=buyer,
    )
    invoice.refresh_from_db()
    assert (invoice.due_on, invoice.late_days) == (D(2026, 4, 1), 19)  # 49 - 30
    suspension = save_object(
        PaymentSuspension(
            invoice=invoice,
            suspended_on=D(2026, 3, 10),
            resumed_on=D(2026, 3, 20),
            reason="Attestation manquante",
        ),
        user=buyer,
    )
    assert suspension.days == 10
    invoice.refresh_from_db()
    assert (invoice.suspended_days, invoice.due_on, invoice.late_days) == (10, D(2026, 4, 11), 9)
    assert invoice.late_interest == 2_778  # 1 110 000 * 10.15 * 9 / 36 500 = 2 778.04
    suspension.resumed_on = D(2026, 3, 25)  # 15 days
    save_object(suspension, user=buyer)
    invoice.refresh_from_db()
    assert (invoice.suspended_days, invoice.due_on, invoice.late_days) == (15, D(2026, 4, 16), 4)
    # 1 110 000 * 10.15 * 4 / 36 500 = 45 066 000 / 36 500 = 1 234.68… → 1 235
    assert invoice.late_interest == 1_235
    delete_object(suspension, user=buyer)
    invoice.refresh_from_db()
    assert (invoice.suspended_days, invoice.due_on, invoice.late_days) == (0, D(2026, 4, 1), 19)
    # 1 110 000 * 10.15 * 19 / 36 500 = 214 063 500 / 36 500 = 5 864.75… → 5 865
    assert invoice.late_interest == 5_865


def test_the_payment_due_deadline_follows_the_invoice(order, normal_rate, buyer):
    """An unpaid invoice has a « payment due » deadline on its due date; paid, it has none."""
    invoice = save_object(
        new_invoice(order, normal_rate, service_done_on=D(2026, 3, 2)), user=buyer
    )
    deadline = Deadline.objects.get(object_id=invoice.pk, kind="payment_due")
    assert deadline.due_date == D(2026, 4, 1)
    assert deadline.domain == "procurement"
    assert format_xpf(1_110_000) in deadline.title
    invoice.paid_on = D(2026, 3, 30)
    save_object(invoice, user=buyer)
    assert not Deadline.objects.filter(object_id=invoice.pk, kind="payment_due").exists()


def unpaid_invoice(order, normal_rate, buyer):
    return save_object(new_invoice(order, normal_rate, service_done_on=D(2026, 3, 2)), user=buyer)


def test_the_nightly_refresh_counts_the_days_late_of_unpaid_invoices(order, normal_rate, buyer):
    """On 15/04 an unpaid invoice due 01/04 is 14 days late; paid and rejected ones are left."""
    unpaid = unpaid_invoice(order, normal_rate, buyer)
    paid = InvoiceFactory(received_on=D(2026, 3, 2), paid_on=D(2026, 3, 20), late_days=0)
    rejected = InvoiceFactory(received_on=D(2026, 1, 5), is_rejected=True, late_days=0)
    assert payments.refresh_unpaid(today=D(2026, 4, 1)) == 1  # due that day: 0 day late
    unpaid.refresh_from_db()
    assert (unpaid.late_days, unpaid.late_interest, unpaid.recovery_indemnity) == (0, 0, 0)
    assert payments.refresh_unpaid(today=D(2026, 4, 15)) == 1
    unpaid.refresh_from_db()
    assert unpaid.late_days == 14  # 15/04 - 01/04
    assert unpaid.late_interest == 4_321  # 1 110 000 * 10.15 * 14 / 36 500 = 4 321.39
    assert unpaid.recovery_indemnity == 4_773
    assert payments.refresh_unpaid(today=D(2026, 4, 15)) == 0  # nothing new the same day
    paid.refresh_from_db()
    rejected.refresh_from_db()
    assert paid.late_days == rejected.late_days == 0


def test_the_nightly_refresh_moves_the_deadline_of_an_open_suspension(order, normal_rate, buyer):
    """While suspended, the due date moves each day, and the deadline with it."""
    invoice = unpaid_invoice(order, normal_rate, buyer)
    PaymentSuspension.objects.create(
        invoice=invoice, suspended_on=D(2026, 3, 10), reason="Attestation manquante"
    )
    assert payments.refresh_unpaid(today=D(2026, 4, 30)) == 1
    invoice.refresh_from_db()
    assert invoice.due_on == D(2026, 5, 22)  # 02/03 + 30 + 51 days suspended
    assert invoice.late_days == 0
    deadline = Deadline.objects.get(object_id=invoice.pk, kind="payment_due")
    assert deadline.due_date == D(2026, 5, 22)


def test_the_refresh_command_says_in_french_how_many_invoices_changed(order, normal_rate, buyer):
    """manage.py refresh_payment_delays --date 2026-04-15: one invoice changed, said in French."""
    invoice = unpaid_invoice(order, normal_rate, buyer)
    Invoice.objects.filter(pk=invoice.pk).update(late_days=0, late_interest=0)
    out = io.StringIO()
    call_command("refresh_payment_delays", "--date", "2026-04-15", stdout=out)
    with translation.override("fr"):
        expected = translation.ngettext(
            "%(count)s unpaid invoice updated.", "%(count)s unpaid invoices updated.", 1
        ) % {"count": 1}
    assert expected != "1 unpaid invoice updated."
    assert out.getvalue().strip() == expected
    invoice.refresh_from_db()
    assert (invoice.late_days, invoice.late_interest) == (14, 4_321)
    out = io.StringIO()
    call_command("refresh_payment_delays", "--date", "2026-04-15", stdout=out)
    with translation.override("fr"):
        expected = translation.gettext("No unpaid invoice changed.")
    assert out.getvalue().strip() == expected


def test_the_refresh_command_refuses_a_bad_date(db):
    """A date that is not YYYY-MM-DD is refused in French."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("refresh_payment_delays", "--date", "15/04/2026")
    assert str(error.value) == french("Give the date as YYYY-MM-DD (e.g. 2026-04-15).")


def test_an_invoice_with_a_rate_not_in_force_on_its_date_is_refused(order, buyer):
    """The TGC rate must be in force on the invoice's date (its receipt when it has none)."""
    from tests.factories import TaxRateFactory

    ended = TaxRateFactory(label="Ancien taux", valid_from=D(2018, 10, 1), valid_to=D(2025, 12, 31))
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        save_object(new_invoice(order, ended), user=buyer)  # received on 02/03/2026
    assert refused.value.message_dict["tax_rate"] == [
        "Le taux «\u00a0Ancien taux (11 %)\u00a0» n'est pas en vigueur le 02/03/2026."
    ]
    assert not Invoice.objects.exists()
