"""Commitments never exceed what their budget line has available: through the form, the API,
an import, an order's own commitment and two orders placed at the same instant."""

import io
import threading
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.display import format_xpf
from dpti.core.models import ImportJob
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.procurement.models import (
    BudgetAmendment,
    BudgetLine,
    Commitment,
    FiscalYear,
    PaymentCredit,
    PurchaseOrder,
)
from tests.conftest import make_user
from tests.factories import (
    BudgetAmendmentFactory,
    BudgetLineFactory,
    CommitmentFactory,
    CompanyFactory,
    FiscalYearFactory,
    PaymentCreditFactory,
    ProgrammeAuthorisationFactory,
)

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
DAY = date(YEAR, 6, 15)
JSON = "application/json"


def french(message, **values):
    """The French text of an English source message, with its values."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def refusal(line, available, requested):
    """The French refusal of a commitment beyond a line's available credits."""
    return french(
        "Insufficient credits on the line %(line)s: %(available)s available, %(amount)s requested.",
        line=line.code,
        available=format_xpf(available),
        amount=format_xpf(requested),
    )


def available(line):
    return BudgetLine.objects.with_execution().get(pk=line.pk).available


@pytest.fixture
def line(db):
    """A line of 1 000 000 XPF voted, raised by a DM of 200 000: 1 200 000 open."""
    budget_line = BudgetLineFactory(
        fiscal_year=FiscalYear.objects.get_or_create(year=YEAR, defaults={"status": "open"})[0],
        code=f"{YEAR}-F-011-6156",
        voted_amount=1_000_000,
    )
    BudgetAmendmentFactory(budget_line=budget_line, amount=200_000, decided_on=DAY)
    return budget_line


@pytest.fixture
def manager(client_for):
    return client_for(roles.PROCUREMENT_MANAGER)


def new_order(line, amount_excl_tax, normal_rate, **values):
    """An order outside contracts (TGC 11 %), not yet saved."""
    return PurchaseOrder(
        issued_on=values.pop("issued_on", DAY),
        object=values.pop("object", "Fournitures de bureau"),
        supplier=values.pop("supplier", None) or CompanyFactory(),
        budget_line=line,
        amount_excl_tax=amount_excl_tax,
        tax_rate=normal_rate,
        **values,
    )


# Commitments entered directly ---------------------------------------------------------------


def test_a_commitment_within_the_available_credits_is_saved(line, buyer):
    """Exactly what is available may be committed; the line then has nothing left."""
    CommitmentFactory(budget_line=line, amount=300_000, committed_on=DAY)
    # 1 000 000 voted + 200 000 DM - 300 000 committed = 900 000 available
    commitment = save_object(
        Commitment(budget_line=line, committed_on=DAY, object="Loyer", amount=900_000), user=buyer
    )
    assert commitment.number.startswith(f"ENG-{YEAR}-")
    assert available(line) == 0


def test_a_commitment_beyond_the_credits_is_refused_through_the_form(line, manager):
    """The add form answers the French refusal on the amount and saves nothing."""
    CommitmentFactory(budget_line=line, amount=300_000, committed_on=DAY)
    response = manager.post(
        reverse("procurement:commitment_add"),
        {
            "budget_line": line.pk,
            "committed_on": DAY.strftime("%d/%m/%Y"),
            "object": "Maintenance des climatiseurs",
            "amount": "900001",
            "status": "active",
        },
    )
    assert response.status_code == 422
    # 1 200 000 open - 300 000 committed = 900 000 available, 900 001 asked
    assert refusal(line, 900_000, 900_001) in unescape(response.content.decode())
    assert not Commitment.objects.filter(object="Maintenance des climatiseurs").exists()
    assert available(line) == 900_000


def test_a_commitment_beyond_the_credits_is_refused_through_the_api(line, manager):
    """POST /api/procurement/commitments/ answers 400 with the refusal on `amount`."""
    url = reverse(api_url_name(registry.get(Commitment), "list"))
    assert url == "/api/procurement/commitments/"
    payload = {
        "budget_line": line.pk,
        "committed_on": DAY.isoformat(),
        "object": "Licences bureautiques",
        "amount": 1_200_001,
    }
    response = manager.post(url, payload, content_type=JSON)
    assert response.status_code == 400
    # nothing committed yet: 1 000 000 + 200 000 = 1 200 000 available
    assert response.json()["amount"] == [refusal(line, 1_200_000, 1_200_001)]
    assert not Commitment.objects.exists()

    payload["amount"] = 1_200_000
    response = manager.post(url, payload, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert Commitment.objects.get().amount == 1_200_000


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_rows(client, rows):
    """Upload commitments, confirm when the dry run passed, and return the job."""
    header = ["number", "budget_line", "committed_on", "object", "amount"]
    content = xlsx([header, *rows])
    client.post(
        reverse("procurement:commitment_import"),
        {"file": SimpleUploadedFile("engagements.xlsx", content)},
    )
    job = ImportJob.objects.order_by("-pk").first()
    if job.status == ImportJob.Status.VALIDATED:
        client.post(reverse("procurement:commitment_import_commit", args=[job.pk]))
        job.refresh_from_db()
    return job


def row_errors(job):
    return [message for row in job.report["rows"] for message in row["errors"]]


def test_an_imported_commitment_beyond_the_credits_is_refused(line, manager):
    """An import row above the available credits is an error and nothing is imported."""
    job = import_rows(
        manager,
        [
            ["ENG-IMP-1", line.code, DAY, "Entretien des espaces verts", 200_000],
            ["ENG-IMP-2", line.code, DAY, "Nettoyage des locaux", 1_300_000],
        ],
    )
    assert job.status == ImportJob.Status.INVALID
    # 1 200 000 available for the second row on its own: 1 300 000 is refused
    assert any(refusal(line, 1_200_000, 1_300_000) in error for error in row_errors(job))
    assert not Commitment.objects.exists()


def test_imported_rows_that_together_exceed_the_credits_are_refused(line, manager):
    """Two rows of 700 000 each fit alone but not together (1 200 000 open): none is saved."""
    job = import_rows(
        manager,
        [
            ["ENG-IMP-1", line.code, DAY, "Entretien des espaces verts", 700_000],
            ["ENG-IMP-2", line.code, DAY, "Nettoyage des locaux", 700_000],
        ],
    )
    assert job.status != ImportJob.Status.DONE
    # after the first row, 1 200 000 - 700 000 = 500 000 remain for the second one
    assert any(refusal(line, 500_000, 700_000) in error for error in row_errors(job))
    assert not Commitment.objects.exists()
    assert available(line) == 1_200_000


def test_a_closed_fiscal_year_takes_no_commitment(buyer):
    """Nothing may be committed on a line of a closed year."""
    closed = FiscalYearFactory(year=YEAR - 1, status=FiscalYear.Status.CLOSED)
    old_line = BudgetLineFactory(fiscal_year=closed, voted_amount=1_000_000)
    with pytest.raises(ValidationError) as error:
        save_object(
            Commitment(
                budget_line=old_line,
                committed_on=date(YEAR - 1, 12, 1),
                object="Reliquat",
                amount=10_000,
            ),
            user=buyer,
        )
    assert error.value.message_dict["committed_on"] == [
        french("The fiscal year %(year)s is closed.", year=YEAR - 1)
    ]
    assert not Commitment.objects.exists()


def test_a_commitment_dated_outside_the_line_year_is_refused(line, buyer, normal_rate):
    """A commitment or an order dated in another year than its line's is refused."""
    message = french("This date is not in the fiscal year %(year)s of the budget line.", year=YEAR)
    with pytest.raises(ValidationError) as error:
        save_object(
            Commitment(
                budget_line=line, committed_on=date(YEAR + 1, 1, 2), object="Loyer", amount=1
            ),
            user=buyer,
        )
    assert error.value.message_dict["committed_on"] == [message]
    with pytest.raises(ValidationError) as error:
        save_object(
            new_order(line, 1_000, normal_rate, issued_on=date(YEAR - 1, 12, 31)), user=buyer
        )
    assert error.value.message_dict["issued_on"] == [message]
    assert not Commitment.objects.exists()
    assert not PurchaseOrder.objects.exists()


def test_a_cancelled_commitment_frees_its_credits(line, buyer):
    """Cancelling a direct commitment gives its amount back to the line."""
    commitment = save_object(
        Commitment(budget_line=line, committed_on=DAY, object="Loyer", amount=1_000_000),
        user=buyer,
    )
    assert available(line) == 200_000  # 1 200 000 - 1 000 000
    commitment.status = Commitment.Status.CANCELLED
    save_object(commitment, user=buyer)
    assert available(line) == 1_200_000


# Orders and their own commitment ------------------------------------------------------------


def test_an_order_commits_its_amount_including_tax(line, buyer, normal_rate):
    """An order of 500 000 excl. tax at 11 % commits 555 000 on its line."""
    order = save_object(new_order(line, 500_000, normal_rate), user=buyer)
    commitment = Commitment.objects.get(order=order)
    assert commitment.amount == 555_000  # 500 000 + 11 % = 555 000
    assert (commitment.budget_line, commitment.committed_on) == (line, DAY)
    assert available(line) == 645_000  # 1 200 000 - 555 000


def test_an_order_beyond_the_credits_is_refused_through_the_form(line, manager, normal_rate):
    """The order form refuses an amount incl. tax above what is available; nothing saved."""
    supplier = CompanyFactory()
    response = manager.post(
        reverse("procurement:purchaseorder_add"),
        {
            "issued_on": DAY.strftime("%d/%m/%Y"),
            "object": "Serveurs",
            "supplier": supplier.pk,
            "budget_line": line.pk,
            "amount_excl_tax": "1100000",
            "tax_rate": normal_rate.pk,
            "status": "issued",
        },
    )
    assert response.status_code == 422
    # 1 100 000 + 11 % = 1 221 000 requested, 1 200 000 available
    assert refusal(line, 1_200_000, 1_221_000) in unescape(response.content.decode())
    assert not PurchaseOrder.objects.exists()
    assert not Commitment.objects.exists()


def test_an_order_beyond_the_credits_is_refused_through_the_api(line, manager, normal_rate):
    """POST /api/procurement/orders/ answers 400 on the amount; no order, no commitment."""
    url = reverse(api_url_name(registry.get(PurchaseOrder), "list"))
    assert url == "/api/procurement/orders/"
    payload = {
        "issued_on": DAY.isoformat(),
        "object": "Serveurs",
        "supplier": CompanyFactory().pk,
        "budget_line": line.pk,
        "amount_excl_tax": 1_100_000,
        "tax_rate": normal_rate.pk,
    }
    response = manager.post(url, payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["amount_excl_tax"] == [refusal(line, 1_200_000, 1_221_000)]
    assert not PurchaseOrder.objects.exists()
    assert not Commitment.objects.exists()


def test_an_order_raised_or_lowered_is_checked_without_its_own_commitment(line, buyer, normal_rate):
    """Editing an order counts the credits it already holds as its own."""
    order = save_object(new_order(line, 500_000, normal_rate), user=buyer)  # 555 000 committed
    CommitmentFactory(budget_line=line, amount=400_000, committed_on=DAY)
    # available: 1 200 000 - 555 000 - 400 000 = 245 000; the order may grow to
    # 245 000 + 555 000 = 800 000 incl. tax, i.e. 720 720 excl. tax (800 000 / 1.11 = 720 720.7)
    order.amount_excl_tax = 720_720  # 720 720 + 79 279 (11 %, rounded) = 799 999
    save_object(order, user=buyer)
    assert Commitment.objects.get(order=order).amount == 799_999
    assert available(line) == 1  # 1 200 000 - 799 999 - 400 000

    order.amount_excl_tax = 721_000  # 721 000 + 79 310 = 800 310 > 800 000
    with pytest.raises(ValidationError) as error:
        save_object(order, user=buyer)
    assert error.value.message_dict["amount_excl_tax"] == [refusal(line, 800_000, 800_310)]
    order.refresh_from_db()
    assert order.amount_excl_tax == 720_720
    assert Commitment.objects.get(order=order).amount == 799_999

    order.amount_excl_tax = 100_000  # lowered: 111 000 committed
    save_object(order, user=buyer)
    assert Commitment.objects.get(order=order).amount == 111_000
    assert available(line) == 689_000  # 1 200 000 - 111 000 - 400 000


def test_a_cancelled_order_frees_its_credits(line, buyer, normal_rate):
    """Cancelling an order cancels its commitment; its credits may be ordered again."""
    first = save_object(new_order(line, 1_000_000, normal_rate), user=buyer)  # 1 110 000
    with pytest.raises(ValidationError):
        save_object(new_order(line, 500_000, normal_rate), user=buyer)  # 555 000 > 90 000
    first.status = PurchaseOrder.Status.CANCELLED
    save_object(first, user=buyer)
    assert Commitment.objects.get(order=first).status == Commitment.Status.CANCELLED
    assert available(line) == 1_200_000
    second = save_object(new_order(line, 500_000, normal_rate), user=buyer)
    assert available(line) == 645_000  # 1 200 000 - 555 000

    # the cancelled order cannot come back: 1 110 000 asked, 645 000 left
    first.status = PurchaseOrder.Status.ISSUED
    with pytest.raises(ValidationError) as error:
        save_object(first, user=buyer)
    assert error.value.message_dict["amount_excl_tax"] == [refusal(line, 645_000, 1_110_000)]
    assert Commitment.objects.get(order=first).status == Commitment.Status.CANCELLED
    assert Commitment.objects.get(order=second).status == Commitment.Status.ACTIVE


def test_an_order_commitment_cannot_be_edited_directly(line, buyer, manager, normal_rate):
    """The commitment of an order follows it: a direct change is refused, by form and API."""
    order = save_object(new_order(line, 100_000, normal_rate), user=buyer)
    commitment = Commitment.objects.get(order=order)
    message = french(
        "This commitment follows the order %(order)s: change the order instead.",
        order=order.number,
    )
    commitment.amount = 1
    with pytest.raises(ValidationError) as error:
        save_object(commitment, user=buyer)
    assert error.value.messages == [message]

    url = reverse(api_url_name(registry.get(Commitment), "detail"), args=[commitment.pk])
    response = manager.patch(url, {"amount": 1}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [message]
    assert Commitment.objects.get(pk=commitment.pk).amount == 111_000  # 100 000 + 11 %


# Budget amendments and AP/CP ----------------------------------------------------------------


def test_a_decrease_below_what_is_committed_is_refused(line, buyer):
    """A DM may remove credits down to what is committed, not below."""
    CommitmentFactory(budget_line=line, amount=900_000, committed_on=DAY)
    decrease = BudgetAmendment(budget_line=line, reference="DM 2", decided_on=DAY, amount=-300_001)
    with pytest.raises(ValidationError) as error:
        save_object(decrease, user=buyer)
    # 1 200 000 open - 300 001 = 899 999 left for 900 000 committed
    assert error.value.message_dict["amount"] == [
        french(
            "This decrease would leave %(open)s of open credits for %(committed)s "
            "already committed.",
            open=format_xpf(899_999),
            committed=format_xpf(900_000),
        )
    ]
    assert not BudgetAmendment.objects.filter(reference="DM 2").exists()
    decrease.amount = -300_000
    save_object(decrease, user=buyer)
    assert available(line) == 0  # 1 000 000 + 200 000 - 300 000 - 900 000


def test_an_amendment_edited_down_is_checked_against_its_former_amount(line, buyer):
    """Changing the +200 000 DM to -1 is checked on the voted credits alone."""
    CommitmentFactory(budget_line=line, amount=1_000_000, committed_on=DAY)
    amendment = BudgetAmendment.objects.get(budget_line=line)
    amendment.amount = -1  # 1 000 000 - 1 = 999 999 < 1 000 000 committed
    with pytest.raises(ValidationError):
        save_object(amendment, user=buyer)
    assert BudgetAmendment.objects.get(pk=amendment.pk).amount == 200_000
    amendment.amount = 0
    save_object(amendment, user=buyer)
    assert available(line) == 0  # 1 000 000 + 0 - 1 000 000


def test_payment_credits_cannot_exceed_the_authorisation(buyer):
    """The CP of an AP of 10 000 000 may total 10 000 000, never more."""
    authorisation = ProgrammeAuthorisationFactory(amount=10_000_000)
    PaymentCreditFactory(authorisation=authorisation, year=YEAR, amount=6_000_000)
    credit = PaymentCredit(authorisation=authorisation, year=YEAR + 1, amount=4_000_001)
    with pytest.raises(ValidationError) as error:
        save_object(credit, user=buyer)
    # 6 000 000 + 4 000 001 = 10 000 001 > 10 000 000
    assert error.value.message_dict["amount"] == [
        french(
            "The payment credits would total %(total)s, more than the authorised %(authorised)s.",
            total=format_xpf(10_000_001),
            authorised=format_xpf(10_000_000),
        )
    ]
    assert PaymentCredit.objects.filter(authorisation=authorisation).count() == 1
    credit.amount = 4_000_000
    save_object(credit, user=buyer)
    assert PaymentCredit.objects.filter(authorisation=authorisation).count() == 2


def test_an_authorisation_cannot_be_lowered_below_its_payment_credits(buyer):
    """Lowering an AP under the CP already planned is refused."""
    authorisation = ProgrammeAuthorisationFactory(amount=10_000_000)
    PaymentCreditFactory(authorisation=authorisation, year=YEAR, amount=6_000_000)
    PaymentCreditFactory(authorisation=authorisation, year=YEAR + 1, amount=3_000_000)
    authorisation.amount = 8_999_999  # 6 000 000 + 3 000 000 = 9 000 000 planned
    with pytest.raises(ValidationError) as error:
        save_object(authorisation, user=buyer)
    assert error.value.message_dict["amount"] == [
        french(
            "The payment credits already planned total %(total)s, more than %(authorised)s.",
            total=format_xpf(9_000_000),
            authorised=format_xpf(8_999_999),
        )
    ]
    authorisation.refresh_from_db()
    assert authorisation.amount == 10_000_000


# Two orders at the same instant -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
def test_two_simultaneous_orders_cannot_share_the_last_credits(normal_rate):
    """Two orders of 60 % of the credits each, at once: one is saved, the other refused."""
    line = BudgetLineFactory(
        fiscal_year=FiscalYear.objects.get_or_create(year=YEAR, defaults={"status": "open"})[0],
        voted_amount=1_110_000,
    )
    buyer = make_user(roles.PROCUREMENT_MANAGER)
    supplier = CompanyFactory()
    barrier = threading.Barrier(2)
    saved, refused, errors = [], [], []

    def order(number):
        try:
            barrier.wait(timeout=10)
            # 600 000 + 11 % = 666 000, 60 % of the 1 110 000 available. Numbered here: the
            # order counter's own lock would otherwise serialise the two saves before the check.
            order = new_order(line, 600_000, normal_rate, supplier=supplier, number=number)
            saved.append(save_object(order, user=buyer))
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=order, args=(f"BC-T-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(saved) == 1
    assert len(refused) == 1
    # the second one sees 1 110 000 - 666 000 = 444 000 left for 666 000
    assert refused[0].message_dict["amount_excl_tax"] == [refusal(line, 444_000, 666_000)]
    assert PurchaseOrder.objects.filter(budget_line=line).count() == 1
    assert Commitment.objects.filter(budget_line=line).count() == 1
    assert available(line) == 444_000


def test_deleting_an_increase_below_what_is_committed_is_refused(line, buyer):
    """Removing the DM of +200 000 would leave 1 000 000 open for 1 100 000 committed: refused,
    the DM stays; once the commitment is lowered to 1 000 000 the DM may go."""
    from dpti.core.services import delete_object

    commitment = CommitmentFactory(budget_line=line, amount=1_100_000, committed_on=DAY)
    dm = BudgetAmendment.objects.get(budget_line=line)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        delete_object(dm, user=buyer)
    assert (
        french(
            "This decrease would leave %(open)s of open credits for %(committed)s "
            "already committed.",
            open=format_xpf(1_000_000),
            committed=format_xpf(1_100_000),
        )
        in refused.value.messages
    )
    assert BudgetAmendment.objects.filter(pk=dm.pk).exists()
    commitment.amount = 1_000_000
    save_object(commitment, user=buyer)
    delete_object(dm, user=buyer)
    assert not BudgetAmendment.objects.filter(pk=dm.pk).exists()
    assert available(line) == 0  # 1 000 000 voted - 1 000 000 committed


def test_an_order_commitment_cannot_be_deleted_alone(line, buyer, normal_rate, manager):
    """The commitment of an order goes with its order: deleting it alone is refused (the
    generic delete page says why) and the order keeps it."""
    order = new_order(line, 100_000, normal_rate)
    save_object(order, user=buyer)
    commitment = order.commitment
    url = reverse(registry.get(Commitment).url_name("delete"), args=[commitment.pk])
    response = manager.post(url, follow=True)
    assert Commitment.objects.filter(pk=commitment.pk, order=order).exists()
    assert french(
        "This commitment follows the order %(order)s: cancel the order instead.",
        order=order.number,
    ) in unescape(response.content.decode())
