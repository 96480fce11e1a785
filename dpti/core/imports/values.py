"""Reading one cell into the Python value a form field accepts.

Spreadsheets write the same value many ways ("oui", "X", TRUE; 03/02/2025, an Excel date
cell; "1 234 567 XPF"): each column gets a parser, built once per import, that turns any of
them into one value, or raises `CellError` with a message naming the bad value.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dpti.core.fields import AmountError, parse_amount
from dpti.core.imports import columns as kinds
from dpti.core.imports.columns import normalize

TRUE_WORDS = frozenset({"oui", "vrai", "yes", "true", "1", "x", "o", "y"})
FALSE_WORDS = frozenset({"non", "faux", "no", "false", "0", "n"})
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
SPACES = re.compile(r"\s+")  # includes no-break and narrow no-break spaces
# "5 mars 2024", "1er février 24", "12-Sept-2023", "March 5, 2024": dates people type out.
WRITTEN_DATE = re.compile(
    r"^(\d{1,2})(?:er|st|nd|rd|th)?[\s./-]*([^\d\s./-]+)[\s./,-]*(\d{2}|\d{4})$"
)
WRITTEN_DATE_MONTH_FIRST = re.compile(
    r"^([^\d\s./-]+)[\s./-]*(\d{1,2})(?:st|nd|rd|th)?[\s,]+(\d{4})$"
)
MONTHS = {
    # Folded (no accents, no case, no dots) French and English month names and abbreviations.
    **dict.fromkeys(("janvier", "janv", "jan", "january"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev", "february", "feb"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3),
    **dict.fromkeys(("avril", "avr", "april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "juil", "july", "jul"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "sept", "sep", "september"), 9),
    **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("decembre", "dec", "december"), 12),
}
EXCEL_MAX_SERIAL = 2958465  # 31/12/9999


class CellError(Exception):
    """A cell that cannot be read as its column's kind of value."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def is_empty(raw):
    """True for a blank cell."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw):
    """A cell as text: whole numbers without '.0', dates as dd/mm/yyyy."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        if raw.hour == raw.minute == raw.second == 0:
            return date_format(raw.date(), "d/m/Y")
        return date_format(raw, "d/m/Y H:i")
    if isinstance(raw, date):
        return date_format(raw, "d/m/Y")
    return str(raw).strip()


def parse_bool(raw):
    """oui/non, vrai/faux, yes/no, true/false, 1/0, x or an Excel TRUE/FALSE cell."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = normalize(as_text(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        _("“%(value)s” is not yes or no; write oui or non (or 1/0, x).") % {"value": as_text(raw)}
    )


def _from_excel_serial(raw):
    from openpyxl.utils.datetime import from_excel

    if isinstance(raw, bool) or not 0 < raw <= EXCEL_MAX_SERIAL:
        raise ValueError(raw)
    return from_excel(raw)


def _written_date(text):
    """A date whose month is written out ("5 mars 2024", "1er févr. 24"), or None."""
    found = WRITTEN_DATE.match(text)
    if found:
        day, month, year = found.groups()
    else:
        found = WRITTEN_DATE_MONTH_FIRST.match(text)
        if not found:
            return None
        month, day, year = found.groups()
    month = MONTHS.get(normalize(month))
    if month is None:
        return None
    year = int(year)
    if year < 100:
        year += 2000 if year < 70 else 1900  # the pivot strptime's %y uses
    return date(year, month, int(day))


def parse_date(raw):
    """dd/mm/yyyy, dd/mm/yy, yyyy-mm-dd, "5 mars 2024" or an Excel date cell."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        if isinstance(raw, int | float):
            return _from_excel_serial(raw).date()
        text = as_text(raw)
        written = _written_date(SPACES.sub(" ", text))
        if written is not None:
            return written
        # A CSV saved by Excel may add a midnight time to a date.
        text = text.split(" ", 1)[0] if " " in text else text
        if text.isdigit() and len(text) == 5:
            # A date cell a CSV export wrote as its Excel serial number.
            return _from_excel_serial(int(text)).date()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    except (ValueError, OverflowError):
        pass
    raise CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": as_text(raw)}
    )


def parse_datetime(raw):
    """A date and time (dd/mm/yyyy hh:mm), a date alone (midnight) or an Excel cell."""
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    try:
        if isinstance(raw, int | float):
            return _from_excel_serial(raw)
    except (ValueError, OverflowError):
        pass
    text = as_text(raw)
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        day = parse_date(text)
    except CellError:
        raise CellError(
            _("“%(value)s” is not a date and time; write it as dd/mm/yyyy hh:mm.") % {"value": text}
        ) from None
    return datetime(day.year, day.month, day.day)


def _number_text(raw):
    """Text of a number without spaces and currency ("1 234 567 XPF" → "1234567")."""
    text = SPACES.sub("", as_text(raw))
    currency = settings.DPTI.get("CURRENCY", "XPF")
    for suffix in (currency, "XPF", "FCFP", "CFP", "F"):
        if text.upper().endswith(suffix.upper()):
            text = text[: -len(suffix)]
            break
    return text


def parse_integer(raw):
    """A whole number: 1234567, "1 234 567", "1 234 567 XPF", an Excel number cell."""
    if isinstance(raw, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": as_text(raw)})
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _number_text(raw).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": as_text(raw)})
    return int(number)


def parse_amount_cell(raw):
    """An amount in XPF: 1234567, "1 234 567", "1 234 567 XPF", "1.234.567", a number cell;
    never a decimal (a franc CFP has no subdivision)."""
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    try:
        return parse_amount(raw if isinstance(raw, int) else as_text(raw))
    except AmountError as error:
        if error.code == "decimal":
            raise CellError(
                _("“%(value)s” has decimals: an amount in XPF is a whole number of francs.")
                % {"value": as_text(raw)}
            ) from None
        raise CellError(
            _("“%(value)s” is not an amount in XPF; write it as 6 000 000.")
            % {"value": as_text(raw)}
        ) from None


def parse_decimal(raw):
    """A number with a comma or a dot as decimal separator, spaces between thousands."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = _number_text(raw).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": as_text(raw)})
    return number


class ChoiceParser:
    """A choice given by its stored value or its label, in French or in English."""

    def __init__(self, model_field):
        self.by_name = {}
        self.labels = []
        for value, label in model_field.flatchoices:
            if value in (None, ""):
                continue
            self.labels.append(str(label))
            self.by_name.setdefault(normalize(value), value)
            for language in ("fr", "en"):
                with translation.override(language):
                    self.by_name.setdefault(normalize(str(label)), value)
            self.by_name.setdefault(normalize(str(label)), value)

    def __call__(self, raw):
        value = self.by_name.get(normalize(as_text(raw)))
        if value is None:
            raise CellError(
                _("“%(value)s” is not an allowed value. Allowed values: %(allowed)s.")
                % {"value": as_text(raw), "allowed": ", ".join(self.labels)}
            )
        return value


PARSERS = {
    kinds.BOOL: parse_bool,
    kinds.DATE: parse_date,
    kinds.DATETIME: parse_datetime,
    kinds.INTEGER: parse_integer,
    kinds.AMOUNT: parse_amount_cell,
    kinds.DECIMAL: parse_decimal,
    kinds.TEXT: as_text,
}


def make_parser(spec):
    """The function reading the cells of a column that holds plain values."""
    parse = ChoiceParser(spec.model_field) if spec.kind == kinds.CHOICE else PARSERS[spec.kind]
    # An empty yes/no cell means no, unless the field can say "unknown".
    empty = False if spec.kind == kinds.BOOL and not spec.model_field.null else ""

    def parser(raw):
        if is_empty(raw):
            return empty
        return parse(raw)

    return parser
