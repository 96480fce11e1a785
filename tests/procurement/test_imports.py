"""Taking over existing lists: contracts, then their lots, then invoices, by the generic import.

Related records are named as people know them: a contract by its reference, a company by its
RIDET number, an order by its number, a TGC rate by its code. A file with a bad row saves
nothing and answers one French message per bad row (row, column, reason).
"""

import io
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.imports.lookups import RelatedLookup
from dpti.core.imports.values import CellError
from dpti.core.models import ImportJob
from dpti.procurement.models import (
    Contract,
    ContractLot,
    Invoice,
    LatePaymentRate,
    ProcurementRules,
    TaxRate,
)
from tests.factories import (
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    PurchaseOrderFactory,
    TaxRateFactory,
)

pytestmark = pytest.mark.django_db


def french(message, **values):
    """The French translation of a source string, formatted."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def header(model, *names):
    """The French column titles of fields, as a person would type them."""
    with translation.override("fr"):
        return [capfirst(str(model._meta.get_field(n).verbose_name)) for n in names]


def csv_bytes(rows):
    """A semicolon CSV, as Excel writes it in French."""
    text = "\n".join(";".join(str(cell) for cell in row) for row in rows) + "\n"
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def run_import(client, model_name, rows):
    """Upload a file to a type's import page; the job with its dry-run report."""
    response = client.post(
        reverse(f"procurement:{model_name}_import"),
        {"file": SimpleUploadedFile("liste.csv", csv_bytes(rows))},
    )
    assert response.status_code == 302
    return ImportJob.objects.order_by("-pk").first()


def confirm(client, model_name, job):
    """Press « Confirm the import » and reload the job."""
    client.post(reverse(f"procurement:{model_name}_import_commit", args=[job.pk]))
    job.refresh_from_db()
    return job


def errors_of(job):
    """{row number: [messages]} of the report's bad rows."""
    return {row["row"]: row["errors"] for row in job.report["rows"] if row["errors"]}


@pytest.fixture
def buyer_client(client_for):
    return client_for(roles.PROCUREMENT_MANAGER)


@pytest.fixture
def companies():
    """The two holders the files name by RIDET."""
    return {
        "froid": CompanyFactory(name="Froid Services", ridet="1234567.001"),
        "net": CompanyFactory(name="Net Calédonie", ridet="7654321.002"),
    }


def test_contracts_then_their_lots_are_taken_over(buyer_client, companies):
    """Contracts are created with their end date; lots find their contract by reference and
    their holder by RIDET, and get their amount including TGC."""
    with translation.override("fr"):
        maintenance = str(Contract._meta.get_field("kind").choices[3][1])
        consultation = Contract(procedure="consultation").get_procedure_display()
        in_force = Contract(status="in_force").get_status_display()
    contracts = [
        header(
            Contract,
            "reference",
            "object",
            "kind",
            "procedure",
            "status",
            "notified_on",
            "start_date",
            "duration_months",
            "tax_rate",
        ),
        [
            "2025-M-001",
            "Maintenance climatisation",
            maintenance,
            consultation,
            in_force,
            "15/01/2025",
            "01/02/2025",
            "24",
            "TN",
        ],
        [
            "2025-M-002",
            "Nettoyage",
            "services",
            "consultation",
            "in_force",
            "20/01/2025",
            "01/03/2025",
            "12",
            "tn",
        ],
    ]
    job = run_import(buyer_client, "contract", contracts)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert confirm(buyer_client, "contract", job).status == ImportJob.Status.DONE
    first = Contract.objects.get(reference="2025-M-001")
    normal = TaxRate.objects.get(code="TN")
    assert (first.kind, first.procedure, first.status) == (
        "maintenance",
        "consultation",
        "in_force",
    )
    assert first.tax_rate == normal
    # 01/02/2025 + 24 months - 1 day = 31/01/2027; 01/03/2025 + 12 months - 1 day = 28/02/2026.
    assert first.end_date == date(2027, 1, 31)
    assert Contract.objects.get(reference="2025-M-002").end_date == date(2026, 2, 28)

    lots = [
        header(ContractLot, "contract", "number", "title", "holder", "amount_excl_tax", "tax_rate"),
        ["2025-M-001", "1", "Bâtiment Vauban", "1234567.001", "12 000 000", "TN"],
        ["2025-m-001", "2", "Bâtiment Sud", "7654321.002", "3 500 000", "TN"],
        ["2025-M-002", "1", "Nettoyage", "1234567.001", "2 000 000", "TN"],
    ]
    job = run_import(buyer_client, "contractlot", lots)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert confirm(buyer_client, "contractlot", job).status == ImportJob.Status.DONE
    vauban = ContractLot.objects.get(contract=first, number=1)
    assert vauban.holder == companies["froid"]
    # 12 000 000 + 11 % (1 320 000) = 13 320 000 XPF incl. TGC.
    assert vauban.amount_incl_tax == 13_320_000
    assert ContractLot.objects.get(contract=first, number=2).holder == companies["net"]
    assert ContractLot.objects.count() == 3


def test_bad_lots_are_named_by_row_and_column_and_nothing_is_saved(buyer_client, companies):
    """Unknown contract, unknown RIDET and a repeated lot number are each reported on their
    row and column; the good row is not saved either."""
    contract = ContractFactory(reference="2025-M-010")
    lots = [
        header(ContractLot, "contract", "number", "title", "holder", "amount_excl_tax", "tax_rate"),
        ["2025-M-010", "1", "Bon lot", "1234567.001", "1 000 000", "TN"],
        ["2025-M-999", "1", "Marché inconnu", "1234567.001", "1 000 000", "TN"],
        ["2025-M-010", "2", "Titulaire inconnu", "9999999.001", "1 000 000", "TN"],
        ["2025-M-010", "1", "Numéro répété", "7654321.002", "1 000 000", "TN"],
    ]
    job = run_import(buyer_client, "contractlot", lots)
    confirm(buyer_client, "contractlot", job)

    errors = errors_of(job)
    [contract_label, holder_label] = header(ContractLot, "contract", "holder")
    assert job.status == ImportJob.Status.INVALID
    assert set(errors) == {3, 4, 5}
    assert errors[3] == [
        f"{contract_label}\u00a0: "
        + french(
            "No %(type)s has the %(key)s “%(value)s”.",
        )
        % {"type": french("contract"), "key": french("reference"), "value": "2025-M-999"}
    ]
    assert errors[4] == [
        f"{holder_label}\u00a0: "
        + french("No %(type)s has the %(key)s “%(value)s”.")
        % {"type": french("company"), "key": french("RIDET number"), "value": "9999999.001"}
    ]
    assert len(errors[5]) == 1
    assert french("This contract already has a lot with this number.") in errors[5][0]
    assert not ContractLot.objects.filter(contract=contract).exists()


@pytest.fixture
def orders(companies):
    """An order with Froid Services on a lot it holds, and one with Net Calédonie."""
    rate = TaxRateFactory(rate=Decimal("11"))
    froid_lot = ContractLotFactory(holder=companies["froid"], tax_rate=rate)
    net_lot = ContractLotFactory(holder=companies["net"], tax_rate=rate)
    return {
        "froid": PurchaseOrderFactory(
            number="BC-2025-0001",
            lot=froid_lot,
            issued_on=date(2025, 2, 1),
            amount_excl_tax=1_000_000,
            tax_rate=rate,
        ),
        "net": PurchaseOrderFactory(
            number="BC-2025-0002",
            lot=net_lot,
            issued_on=date(2025, 2, 1),
            amount_excl_tax=1_000_000,
            tax_rate=rate,
        ),
    }


INVOICE_COLUMNS = (
    "supplier",
    "order",
    "supplier_reference",
    "issued_on",
    "received_on",
    "amount_excl_tax",
    "tax_rate",
    "service_done_on",
    "paid_on",
)


def test_invoices_are_taken_over_with_their_delay_and_interest(buyer_client, companies, orders):
    """An invoice named by its order takes the order's supplier; its delay, days late and
    late-payment interest are computed as on the screen."""
    rows = [
        header(Invoice, *INVOICE_COLUMNS),
        # Received and certified 10/03/2025, paid 24/04/2025: 45 days.
        [
            "",
            "BC-2025-0001",
            "F-118",
            "05/03/2025",
            "10/03/2025",
            "200 000",
            "TN",
            "10/03/2025",
            "24/04/2025",
        ],
        # No order: the supplier by RIDET; certified after the receipt, not paid.
        ["7654321.002", "", "N-7", "01/04/2025", "02/04/2025", "50 000", "TS", "12/04/2025", ""],
    ]
    job = run_import(buyer_client, "invoice", rows)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert confirm(buyer_client, "invoice", job).status == ImportJob.Status.DONE

    paid = Invoice.objects.get(supplier_reference="F-118")
    allowed = ProcurementRules.objects.in_force(date(2025, 3, 10)).payment_delay_days
    assert paid.supplier == companies["froid"]
    assert paid.status == Invoice.Status.PAID
    assert paid.number  # given by the register on save
    # 200 000 XPF + TGC 11 % = 222 000 XPF.
    assert paid.amount_incl_tax == 222_000
    # From 10/03/2025 to 24/04/2025: 21 + 24 = 45 days; late = 45 - allowed (30).
    assert paid.payment_days == 45
    assert paid.due_on == date(2025, 3, 10) + timedelta(days=allowed)
    assert paid.late_days == 45 - allowed == 15
    rate = LatePaymentRate.objects.in_force(paid.due_on + timedelta(days=1))
    assert rate is not None
    # 222 000 * rate * 15 / 36 500, rounded half up to the franc.
    expected = (Decimal(222_000) * rate.rate * 15 / Decimal(36_500)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    assert paid.late_interest == expected
    assert paid.recovery_indemnity == rate.recovery_indemnity

    unpaid = Invoice.objects.get(supplier_reference="N-7")
    assert unpaid.supplier == companies["net"]
    assert unpaid.order is None
    assert unpaid.tax_rate == TaxRate.objects.get(code="TS")
    # 50 000 + 22 % = 61 000; the delay runs from the certification (12/04/2025), the later.
    assert unpaid.amount_incl_tax == 61_000
    assert unpaid.status == Invoice.Status.CERTIFIED
    assert unpaid.due_on == date(2025, 4, 12) + timedelta(days=allowed)


def test_bad_invoices_answer_one_french_error_per_row_and_save_nothing(
    buyer_client, companies, orders
):
    """Unknown RIDET, an order of another supplier and a payment before receipt are reported
    on their row and column; the good first row is not saved either."""
    rows = [
        header(Invoice, *INVOICE_COLUMNS),
        ["", "BC-2025-0001", "F-200", "", "10/03/2025", "100 000", "TN", "10/03/2025", ""],
        ["9999999.001", "", "X-1", "", "10/03/2025", "100 000", "TN", "", ""],
        ["7654321.002", "BC-2025-0001", "N-8", "", "10/03/2025", "100 000", "TN", "", ""],
        ["", "BC-2025-0002", "N-9", "", "10/03/2025", "100 000", "TN", "10/03/2025", "01/03/2025"],
    ]
    job = run_import(buyer_client, "invoice", rows)
    confirm(buyer_client, "invoice", job)

    supplier, paid_on = header(Invoice, "supplier", "paid_on")
    errors = errors_of(job)
    assert job.status == ImportJob.Status.INVALID
    assert set(errors) == {3, 4, 5}
    assert errors[3] == [
        f"{supplier}\u00a0: "
        + french("No %(type)s has the %(key)s “%(value)s”.")
        % {"type": french("company"), "key": french("RIDET number"), "value": "9999999.001"}
    ]
    assert errors[4] == [
        f"{supplier}\u00a0: "
        + french("The order %(order)s was placed with %(supplier)s.")
        % {"order": "BC-2025-0001", "supplier": companies["froid"]}
    ]
    assert errors[5] == [
        f"{paid_on}\u00a0: " + french("An invoice cannot be paid before it is received.")
    ]
    assert not Invoice.objects.exists()


def test_a_tax_rate_code_names_the_rate_in_force_today():
    """A TGC code shared by an old and a current rate names the current one; a code no rate
    bears is refused in French."""
    old = TaxRateFactory(
        code="TX",
        label="Ancien taux",
        rate=Decimal("5"),
        valid_from=date(2000, 1, 1),
        valid_to=date(2009, 12, 31),
    )
    current = TaxRateFactory(
        code="TX", label="Taux actuel", rate=Decimal("6"), valid_from=date(2010, 1, 1)
    )
    lookup = RelatedLookup(TaxRate.objects.all())
    lookup.preload(["tx", "ZZ"])

    assert lookup("tx") == current
    assert lookup("Ancien taux (5 %)") == old
    with pytest.raises(CellError):
        lookup("ZZ")
    assert TaxRate.objects.filter(code="TX").count() == 2


def test_the_templates_name_the_columns_and_explain_the_keys(buyer_client):
    """The downloadable examples of contracts, lots and invoices list their columns in French
    and tell how to name a contract, a holder, an order and a TGC rate."""
    explanations = {}
    for name in ("contract", "contractlot", "invoice"):
        response = buyer_client.get(reverse(f"procurement:{name}_import_template"))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content))
        help_sheet = workbook.worksheets[1]
        explanations[name] = {row[0]: row[2] for row in help_sheet.iter_rows(values_only=True)}
        first_row = [c.value for c in workbook.worksheets[0][1]]
        assert first_row[0], name
    [reference, tax_rate] = header(Contract, "reference", "tax_rate")
    [holder] = header(ContractLot, "holder")
    [order, supplier] = header(Invoice, "order", "supplier")
    assert reference in explanations["contract"]
    assert explanations["contract"][tax_rate] == french(
        "The %(fields)s of the %(type)s, or its name as displayed."
    ) % {"fields": french("code"), "type": french("TGC rate")}
    assert french("RIDET number") in explanations["contractlot"][holder]
    assert french("number") in explanations["invoice"][order]
    assert french("RIDET number") in explanations["invoice"][supplier]
    # Computed fields are not columns to fill.
    assert header(Invoice, "late_interest")[0] not in explanations["invoice"]
