"""CSV and XLSX export of a filtered list, with the columns the user sees."""

import csv
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _plain(value):
    from dpti.core.display import format_plain

    if isinstance(value, bool | datetime | date):
        return format_plain(value)
    return "" if value is None else value


def table_rows(table):
    """Header then value rows of a django-tables2 table (all rows, not one page)."""
    rows = table.as_values(exclude_columns=("select",))
    yield [capfirst(str(header)) for header in next(rows)]
    for row in rows:
        yield [_plain(value) for value in row]


def export_filename(object_type, extension):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{slugify(str(object_type.verbose_name_plural))}-{stamp}.{extension}"


def csv_response(object_type, table):
    """Stream a CSV file (semicolon-separated, UTF-8 with BOM, as French spreadsheets expect)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in table_rows(table):
            yield writer.writerow([str(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(object_type, "csv")}"'
    )
    return response


def xlsx_workbook(title, rows):
    """A write-only workbook (constant memory) whose first row is a bold header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0:
            header = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append([_cell_value(v) for v in row])
    return workbook


def xlsx_response(object_type, table):
    """An XLSX file of the table, numbers kept as numbers."""
    import io

    from django.http import HttpResponse

    workbook = xlsx_workbook(str(object_type.verbose_name_plural), table_rows(table))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(object_type, "xlsx")}"'
    )
    return response


def export_response(object_type, table, fmt):
    """The export of the table in the requested format."""
    return xlsx_response(object_type, table) if fmt == "xlsx" else csv_response(object_type, table)


def workbook_response(filename, sheets):
    """An XLSX download of several sheets: [(title, rows)], each `rows` header first.

    For reports (a register, a campaign) whose rows are not a list page's table. Numbers
    stay numbers, so the accountant can add them up.
    """
    import io

    from django.http import HttpResponse

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        for index, row in enumerate(rows):
            if index == 0:
                header = [WriteOnlyCell(sheet, value=str(value)) for value in row]
                for cell in header:
                    cell.font = bold
                sheet.append(header)
            else:
                sheet.append([_dated_cell(sheet, _cell_value(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _dated_cell(sheet, value):
    """A date cell that a French spreadsheet shows as dd/mm/yyyy (and still sorts as a date)."""
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY"
    return cell


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _plain(value)
    if isinstance(value, Decimal):
        return float(value)  # an area or a rate: a number the spreadsheet can add up
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # spreadsheets know no zones
    if isinstance(value, int | float | date | datetime):
        return value
    return str(value)
