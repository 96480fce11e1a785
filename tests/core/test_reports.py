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
