"""Report helpers shared by modules: multi-sheet XLSX downloads and PDF page furniture."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from dpti.core.exports import workbook_response
from dpti.core.pdf import css_string


def test_report_workbook_keeps_numbers_and_writes_french_dates():
    """Amounts stay numbers, areas become numbers, dates show dd/mm/yyyy in Nouméa time."""
    moment = timezone.make_aware(datetime(2026, 3, 2, 23, 30), timezone.get_fixed_timezone(0))
    response = workbook_response(
        "rapport.xlsx",
        [
            (
                "Synthèse",
                [
                    ["Compte", "Montant", "Surface", "Date", "Horodatage"],
                    ["2183", 1_234_567, Decimal("12.50"), date(2026, 3, 2), moment],
                ],
            )
        ],
    )
    sheet = load_workbook(io.BytesIO(response.content))["Synthèse"]
    account, amount, area, day, stamp = (cell for cell in sheet[2])

    assert response["Content-Disposition"] == 'attachment; filename="rapport.xlsx"'
    assert (account.value, amount.value, area.value) == ("2183", 1_234_567, 12.5)
    assert day.value.date() == date(2026, 3, 2)
    assert day.number_format == "DD/MM/YYYY"
    assert stamp.value == datetime(2026, 3, 3, 10, 30)  # 23:30 UTC is 10:30 next day in Nouméa
    assert sheet["A1"].font.bold


def test_pdf_footer_text_is_escaped_for_css_not_for_javascript():
    """Quotes and '<' are CSS-escaped; accents, apostrophes and dashes stay as they are."""
    text = css_string('Congrès de la Nouvelle-Calédonie — l\'accueil "A" </style>')
    assert text == "Congrès de la Nouvelle-Calédonie — l'accueil \\22 A\\22  \\3C /style>"


def test_pdf_documents_embed_static_and_data_images_and_fetch_nothing_else():
    """A static image and a data: image are drawn; a remote address is never fetched."""
    import base64

    from dpti.core.pdf import local_files_fetcher

    fetcher = local_files_fetcher()
    static = fetcher.fetch("static:vendor/tabler/tabler.min.css")
    pixel = base64.b64encode(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
        b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    data = fetcher.fetch(f"data:image/gif;base64,{pixel.decode()}")

    assert static.read(20)
    assert data.read(6) == b"GIF89a"
    for refused in (
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "static:../../settings.py",
    ):
        try:
            fetcher.fetch(refused)
        except ValueError:
            continue
        raise AssertionError(f"{refused} was fetched")


def test_pdf_resources_are_given_by_name_and_unknown_ones_refused():
    """A `resource:<name>` URL reads the bytes given to the document; another name fails."""
    from dpti.core.pdf import local_files_fetcher

    fetcher = local_files_fetcher({"qr-0-0": (b"\x89PNG...", "image/png")})
    response = fetcher.fetch("resource:qr-0-0")
    assert response.read() == b"\x89PNG..."
    assert response.headers.get_content_type() == "image/png"
    try:
        fetcher.fetch("resource:qr-9-9")
    except ValueError:
        return
    raise AssertionError("an unknown resource was fetched")
