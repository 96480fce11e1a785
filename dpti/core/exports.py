"""CSV and XLSX export of a filtered list, with the columns the user sees."""

import csv
from datetime import date, datetime
from decimal import Decimal
from functools import partialmethod

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.text import capfirst, slugify
from django_tables2 import Column, ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A, signature
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dpti.core.display import format_plain

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _plain(value):
    if isinstance(value, bool | datetime | date):
        return format_plain(value)
    return "" if value is None else value


def table_rows(table):
    """Header then value rows of a django-tables2 table (all rows, not one page).

    The values are those of `Table.as_values()` (the columns' `value`, the table's
    `value_<name>` or `render_<name>`, choices' labels), cell for cell; but the way to each
    value is worked out once per column instead of once per cell (django-tables2 inspects
    the signature of the value method of every cell: 80 % of an export's time), and the
    records are read in chunks from the database rather than all held in memory.
    """
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name == "select")
    ]
    yield [capfirst(str(force_str(column.header, strings_only=True))) for column in columns]
    readers = [_CellReader(table, column) for column in columns]
    dates = {}  # a list has few distinct dates: each is written once
    for record in _records(table):
        yield [_export_value(force_str(read(record), strings_only=True), dates) for read in readers]


def _export_value(value, dates):
    """`_plain(value)`, a date's text remembered in `dates` (Django's date_format is slow)."""
    if type(value) is date:
        text = dates.get(value)
        if text is None:
            text = dates[value] = format_plain(value)
        return text
    return _plain(value)


EXPORT_CHUNK = 2000


def _records(table):
    """The table's records in its order, fetched a chunk at a time."""
    data = table.data.data
    if isinstance(data, QuerySet):
        return data.iterator(chunk_size=EXPORT_CHUNK)
    return iter(table.data)


def _bound_call(function, available):
    """`function(**kwargs)` with the arguments among `available` it takes, decided once.

    What django-tables2's `call_with_appropriate` does on every call: a function that asks
    for an argument it cannot be given is not called (None).
    """
    args, catch_all = signature(function)
    if catch_all:
        return function, tuple(available)
    if any(arg not in available for arg in args):
        return None, ()
    return function, tuple(arg for arg in available if arg in args)


class _CellReader:
    """The export value of one column for a record, as `BoundRow.get_cell_value` gives it."""

    ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")

    def __init__(self, table, bound_column):
        self.table, self.bound_column, self.name = table, bound_column, bound_column.name
        self.column = column = bound_column.column
        self.accessor = accessor = A(bound_column.accessor)
        path, _sep, self.remainder = accessor.rpartition(accessor.SEPARATOR)
        self.path_bits = A(path).bits if path else ()
        self.empty_values = column.empty_values
        self.many = isinstance(column, ManyToManyColumn)
        self.choices_by_model, self.labels_by_model = {}, {}
        function = bound_column.value
        if getattr(function, "__func__", None) is Column.value:
            # The column's plain `value` only calls its `render`: call `render` directly.
            function = column.render
        self.function, self.arguments = _bound_call(function, self.ARGUMENTS)

    def has_choices(self, record):
        """Whether the accessor ends on a field with choices (read once per model)."""
        model = type(record)
        if model not in self.choices_by_model:
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            self.choices_by_model[model] = bool(getattr(field, "choices", ()))
        return self.choices_by_model[model]

    def choice_labels(self, model):
        """(field, {value: label}) when the model's get_<field>_display is Django's own
        (it rebuilds the choices dict and translates the label on every call), else None."""
        if model not in self.labels_by_model:
            name = f"get_{self.remainder}_display"
            method = next((k.__dict__[name] for k in model.__mro__ if name in k.__dict__), None)
            labels = None
            if isinstance(method, partialmethod) and method.func is models.Model._get_FIELD_display:
                field = method.keywords["field"]
                labels = (
                    field,
                    {
                        key: force_str(label, strings_only=True)
                        for key, label in make_hashable(field.flatchoices)
                    },
                )
            self.labels_by_model[model] = labels
        return self.labels_by_model[model]

    def __call__(self, record):
        try:
            value = self.value_of(record)
        except _UnusualPathError:
            # A dictionary, a failing lookup, a link with a fixed text: the library's own way.
            return BoundRow(record, table=self.table).get_cell_value(self.name)
        if value in self.empty_values or (self.many and not value.exists()):
            return None
        if self.function is None:
            return None
        available = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "table": self.table,
        }
        if "bound_row" in self.arguments:
            available["bound_row"] = BoundRow(record, table=self.table)
        return self.function(**{name: available[name] for name in self.arguments})

    def value_of(self, record):
        """The value the accessor reaches: a choice's label, or the attribute at its end."""
        penultimate = _resolve(record, self.path_bits)
        if penultimate is None:
            if isinstance(self.column, BaseLinkColumn) and self.column.text is not None:
                raise _UnusualPathError
            return None
        if isinstance(penultimate, models.Model) and self.has_choices(record):
            labels = self.choice_labels(type(penultimate))
            if labels is not None:  # what Django's get_<field>_display gives, looked up once
                field, labels = labels
                value = make_hashable(getattr(penultimate, field.attname))
                return labels[value] if value in labels else force_str(value, strings_only=True)
            display = getattr(penultimate, f"get_{self.remainder}_display", None)
            if display is not None:
                return display()
        return _resolve(penultimate, (self.remainder,))


class _UnusualPathError(Exception):
    """A path that is not a plain chain of model attributes: let django-tables2 follow it."""


def _resolve(obj, bits):
    """`Accessor.resolve` for a chain of model instances (attributes read, callables called,
    stopping at None); anything else, or any error, raises _UnusualPathError."""
    current = obj
    for bit in bits:
        if not isinstance(current, models.Model) or hasattr(current, "__getitem__"):
            raise _UnusualPathError
        try:
            current = getattr(current, bit)
            if callable(current):
                if getattr(current, "alters_data", False):
                    raise _UnusualPathError
                if not getattr(current, "do_not_call_in_templates", False):
                    current = current()
        except Exception as error:
            raise _UnusualPathError from error
        if current is None:
            break
    return current


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
