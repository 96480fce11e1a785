"""Reading an uploaded CSV or XLSX file as a header and numbered rows.

Rows are streamed, never held all at once, so that a large file costs little memory. Every
problem with the file itself (kind, size, encoding, header) is raised as `ImportFileError` with a
message for the person who uploaded it.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_COLUMNS = 200
EXTENSIONS = ("csv", "xlsx")


class ImportFileError(Exception):
    """The file cannot be imported at all; the messages say why."""

    def __init__(self, *messages):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


def extension_of(name):
    """The lower-case extension of a file name, without the dot."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(name, size):
    """Refuse a file by its name and size before reading it."""
    if extension_of(name) not in EXTENSIONS:
        raise ImportFileError(
            _("Only CSV (.csv) and Excel (.xlsx) files can be imported; “%(name)s” is neither.")
            % {"name": name}
        )
    if not size:
        raise ImportFileError(_("The file is empty."))
    limit = settings.DPTI["IMPORT_MAX_BYTES"]
    if size > limit:
        raise ImportFileError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def is_blank(value):
    """True for an empty cell (None or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Sheet:
    """The header of a file and a way to stream its data rows.

    `rows()` yields `(row_number, values)` where the number is the one a spreadsheet shows
    (the header is usually row 1) and `values` has at least one entry per header cell (more
    when the row runs past the header, which the engine reports).
    """

    header: list
    header_row: int
    estimated_rows: int | None
    _rows: object = field(repr=False, default=None)
    _close: object = field(repr=False, default=None)

    def rows(self):
        """Stream the data rows, padded to the header's width."""
        width = len(self.header)
        for number, values in self._rows:
            values = list(values)
            if len(values) < width:
                values += [None] * (width - len(values))
            yield number, values

    def close(self):
        """Release the underlying workbook, if any."""
        if self._close:
            self._close()


def _first_row(numbered_rows):
    """The first non-blank row (the header) and the iterator positioned after it."""
    for number, values in numbered_rows:
        if any(not is_blank(v) for v in values):
            return number, list(values)
    raise ImportFileError(_("The file is empty."))


def _header_cells(values):
    """Header cells as stripped text, with trailing empty cells dropped."""
    cells = ["" if is_blank(v) else str(v).strip() for v in values]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            _("The file has %(count)d columns; at most %(max)d are accepted.")
            % {"count": len(cells), "max": MAX_COLUMNS}
        )
    return cells


def _decode(content):
    """CSV text: UTF-8 (with or without BOM), or the Windows encoding French Excel writes."""
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("This file is not a text CSV file."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(text):
    """Semicolon or comma, whichever the header line uses more (outside quotes)."""
    first_line = text.split("\n", 1)[0]
    unquoted = "".join(part for i, part in enumerate(first_line.split('"')) if i % 2 == 0)
    return ";" if unquoted.count(";") >= unquoted.count(",") and ";" in unquoted else ","


def read_csv(content):
    """A Sheet over CSV bytes."""
    text = _decode(content)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = ((index, row) for index, row in enumerate(reader, start=1))
    try:
        header_row, header = _first_row(numbered)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from error
    estimated = max(text.count("\n") - header_row + (0 if text.endswith("\n") else 1), 0)

    def rows():
        try:
            yield from numbered
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file cannot be read after row %(row)d: %(error)s")
                % {"row": reader.line_num, "error": error}
            ) from error

    return Sheet(_header_cells(header), header_row, estimated, rows())


def read_xlsx(content):
    """A Sheet over the first worksheet of XLSX bytes (read-only, values not formulas)."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) file."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        worksheet = workbook.worksheets[0]
    except Exception as error:
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) file.")) from error
    numbered = (
        (index, row) for index, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
    )
    try:
        header_row, header = _first_row(numbered)
    except ImportFileError:
        workbook.close()
        raise
    try:
        estimated = max(worksheet.max_row - header_row, 0)
    except (TypeError, ValueError):
        estimated = None  # the file does not record its dimensions
    return Sheet(_header_cells(header), header_row, estimated, numbered, workbook.close)


def read_sheet(name, content):
    """Check then open an uploaded file given its name and its bytes."""
    check_upload(name, len(content))
    if extension_of(name) == "xlsx":
        return read_xlsx(content)
    return read_csv(content)
