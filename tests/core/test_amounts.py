"""Amounts in XPF: typed as people write them (« 6 000 000 »), shown grouped by thousands, and
bounded by the model field (no negative amount) on every write path: form, API, import, bulk
edit. Checked on telecom lines, whose monthly cost is an amount that cannot be negative."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.fields import AmountError, parse_amount
from dpti.core.models import ImportJob
from dpti.core.registry import registry
from dpti.itpark.models import TelecomLine
from tests.factories import TelecomLineFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
NBSP, NARROW = "\u00a0", "\u202f"
SPACED = [
    "6 000 000",
    f"6{NBSP}000{NBSP}000",
    f"6{NARROW}000{NARROW}000",
    "6000000",
    "6 000 000 XPF",
    "6.000.000",
]


def fr(message, **values):
    """The French text of an English source message."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


NEGATIVE = "An amount cannot be negative."
DECIMAL = "An amount in XPF has no decimals: enter a whole number of francs."
INVALID = "Enter an amount in XPF as a whole number, for example 6 000 000."


@pytest.fixture
def admin(client_for):
    return client_for(roles.ADMINISTRATOR)


def line_form(**values):
    """The add form of a telecom line, filled."""
    return {"kind": "mobile", "identifier": "78 12 34", "status": "active", **values}


# Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*SPACED, "6 000 000 F CFP", "6000000,00", "+6000000"])
def test_amounts_are_read_as_people_write_them(text):
    """Spaces of every kind, the currency and dots between thousands are read as 6 000 000."""
    assert parse_amount(text) == 6_000_000


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("6,5", "decimal"),
        ("6.5", "decimal"),
        ("6,000", "decimal"),
        ("six", "invalid"),
        ("1e6", "invalid"),
    ],
)
def test_decimals_and_garbage_are_refused(text, code):
    """A franc CFP has no subdivision: decimals are refused, never rounded nor guessed."""
    with pytest.raises(AmountError) as error:
        parse_amount(text)
    assert error.value.code == code


# Form ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", SPACED)
def test_form_saves_a_spaced_amount(admin, text):
    """The add form takes « 6 000 000 » with any kind of space, the currency or dots."""
    response = admin.post(reverse("itpark:telecomline_add"), line_form(monthly_cost=text))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TelecomLine.objects.get().monthly_cost == 6_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [("-5", NEGATIVE), ("-6 000 000", NEGATIVE), ("6,5", DECIMAL), ("six", INVALID)],
)
def test_form_refuses_a_negative_or_decimal_amount_in_french(admin, text, message):
    """A negative, decimal or unreadable amount is refused with a French message; nothing saved."""
    response = admin.post(reverse("itpark:telecomline_add"), line_form(monthly_cost=text))
    assert response.status_code == 422
    assert escape(fr(message)) in response.content.decode()
    assert not TelecomLine.objects.exists()


def test_form_shows_the_amount_grouped_in_a_text_box(admin):
    """The edit form shows « 6 000 000 » in a text box with a digits keyboard, not a number
    input (which can neither show nor take the spaces); it marks the field as not negative."""
    line = TelecomLineFactory(monthly_cost=6_000_000)
    page = admin.get(reverse("itpark:telecomline_edit", args=[line.pk])).content.decode()
    start = page.index('name="monthly_cost"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    assert f'value="6{NARROW}000{NARROW}000"' in tag
    assert 'type="text"' in tag
    assert 'inputmode="numeric"' in tag
    assert 'data-amount-min="0"' in tag


def test_edit_form_refusal_keeps_the_stored_amount(admin):
    """A negative amount typed on the edit form leaves the stored amount as it was."""
    line = TelecomLineFactory(monthly_cost=4_500)
    data = line_form(identifier=line.identifier, monthly_cost="-4 500", version=line.version)
    response = admin.post(reverse("itpark:telecomline_edit", args=[line.pk]), data)
    assert response.status_code == 422
    assert escape(fr(NEGATIVE)) in response.content.decode()
    line.refresh_from_db()
    assert line.monthly_cost == 4_500


# API -----------------------------------------------------------------------------------------


def api_list():
    return reverse(api_url_name(registry.get(TelecomLine), "list"))


def api_detail(line):
    return reverse(api_url_name(registry.get(TelecomLine), "detail"), args=[line.pk])


@pytest.mark.parametrize("value", [6_000_000, "6 000 000", f"6{NARROW}000{NARROW}000 XPF"])
def test_api_takes_a_number_or_a_spaced_amount(admin, value):
    """The API takes a JSON number or the amount written as on the screens; it answers a number."""
    payload = {"kind": "mobile", "identifier": "78 12 34", "monthly_cost": value}
    response = admin.post(api_list(), payload, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert response.json()["monthly_cost"] == 6_000_000
    assert TelecomLine.objects.get().monthly_cost == 6_000_000


@pytest.mark.parametrize(("value", "message"), [(-5, NEGATIVE), ("-5", NEGATIVE), ("6,5", DECIMAL)])
def test_api_refuses_a_negative_or_decimal_amount(admin, value, message):
    """A negative or decimal amount is refused (400, French message on the field); nothing saved."""
    payload = {"kind": "mobile", "identifier": "78 12 34", "monthly_cost": value}
    response = admin.post(api_list(), payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["monthly_cost"] == [fr(message)]
    assert not TelecomLine.objects.exists()


def test_api_change_to_a_negative_amount_changes_nothing(admin):
    """A PATCH with a negative amount is refused and the stored amount stays."""
    line = TelecomLineFactory(monthly_cost=4_500)
    response = admin.patch(api_detail(line), {"monthly_cost": -1}, content_type=JSON)
    assert response.status_code == 400
    line.refresh_from_db()
    assert (line.monthly_cost, line.version) == (4_500, 1)


# Import --------------------------------------------------------------------------------------


def import_file(client, rows):
    """Upload a CSV of telecom lines (dry run) and return its job."""
    content = "kind;identifier;monthly_cost\n" + "".join(f"mobile;{i};{c}\n" for i, c in rows)
    client.post(
        reverse("itpark:telecomline_import"),
        {"file": SimpleUploadedFile("lignes.csv", content.encode())},
    )
    return ImportJob.objects.order_by("-pk").first()


def test_import_reads_spaced_amounts(admin):
    """An import file's amounts written « 6 000 000 », with the currency or dots, are stored."""
    job = import_file(
        admin,
        [
            ("78 00 01", "6 000 000"),
            ("78 00 02", f"6{NARROW}000{NARROW}000 XPF"),
            ("78 00 03", "6.000.000"),
        ],
    )
    assert job.status == ImportJob.Status.VALIDATED, job.report
    response = admin.post(reverse("itpark:telecomline_import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert list(TelecomLine.objects.values_list("monthly_cost", flat=True)) == [6_000_000] * 3


def test_import_refuses_a_negative_or_decimal_amount_and_saves_nothing(admin):
    """A negative or decimal amount makes its row fail; the import, all or nothing, saves none."""
    job = import_file(admin, [("78 00 01", "6 000 000"), ("78 00 02", "-5"), ("78 00 03", "6,5")])
    assert job.status == ImportJob.Status.INVALID
    rows = {row["row"]: " ".join(row["errors"]) for row in job.report["rows"]}
    assert fr(NEGATIVE) in rows[3]
    assert (
        fr("“%(value)s” has decimals: an amount in XPF is a whole number of francs.", value="6,5")
        in rows[4]
    )
    admin.post(reverse("itpark:telecomline_import_commit", args=[job.pk]))
    assert not TelecomLine.objects.exists()


# Bulk edit -----------------------------------------------------------------------------------


def test_bulk_edit_sets_a_spaced_amount(admin):
    """Bulk edit takes « 12 000 » and sets it on every selected line."""
    lines = TelecomLineFactory.create_batch(2, monthly_cost=4_500)
    response = admin.post(
        reverse("itpark:telecomline_bulk_edit"),
        {"pk": [line.pk for line in lines], "apply": "1", "monthly_cost": f"12{NBSP}000"},
    )
    assert response.status_code == 302
    assert set(TelecomLine.objects.values_list("monthly_cost", flat=True)) == {12_000}


def test_bulk_edit_refuses_a_negative_amount_and_changes_nothing(admin):
    """A negative amount in bulk edit is refused in French; no line is changed."""
    lines = TelecomLineFactory.create_batch(2, monthly_cost=4_500)
    response = admin.post(
        reverse("itpark:telecomline_bulk_edit"),
        {"pk": [line.pk for line in lines], "apply": "1", "monthly_cost": "-12 000"},
    )
    assert response.status_code == 422
    assert escape(fr(NEGATIVE)) in response.content.decode()
    assert set(TelecomLine.objects.values_list("monthly_cost", "version")) == {(4_500, 1)}
