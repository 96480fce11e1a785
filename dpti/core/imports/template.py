"""The XLSX template of an import: the columns to fill, and a sheet explaining each of them."""

import io
import re

from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dpti.core.fields import AmountField
from dpti.core.imports import columns as kinds
from dpti.core.imports.columns import import_columns, related_key
from dpti.core.imports.lookups import lookup_fields, name_lookups

SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="E6EEF8")
LIST_LIMIT = 255  # Excel's limit on the text of an in-cell list


def _sheet_title(text):
    return SHEET_TITLE_FORBIDDEN.sub(" ", str(text))[:31] or "Import"


def _path_label(model, path):
    """A lookup path as a person reads it: a field's name, or the related record's type."""
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    if relations:
        return str(model._meta.verbose_name)
    return str(model._meta.get_field(last).verbose_name)


def _name_lookup_labels(model):
    """The ways a cell may name a record besides its key: « building + name », « name »…"""
    labels = []
    for entry in name_lookups(model):
        label = " + ".join(_path_label(model, path) for path in entry)
        if label not in labels:
            labels.append(label)
    return [f"« {label} »" if " + " in label else label for label in labels]


def _related_description(spec):
    related = spec.model_field.related_model
    key = related_key(related)
    name = related._meta.verbose_name
    if key:
        key_name = related._meta.get_field(key).verbose_name
        text = _("The %(key)s of the %(type)s.") % {"type": name, "key": key_name}
        names = _name_lookup_labels(related)
        if names:
            text += " " + _("Or its %(names)s; a name two records share is refused.") % {
                "names": get_text_list(names, _("or"))
            }
    elif lookup_fields(related):
        names = get_text_list(
            [str(related._meta.get_field(f).verbose_name) for f in lookup_fields(related)],
            _("or"),
        )
        text = _("The %(fields)s of the %(type)s, or its name as displayed.") % {
            "type": name,
            "fields": names,
        }
    else:
        text = _("The name of the %(type)s as displayed, or its number.") % {"type": name}
    if spec.kind == kinds.MANY:
        text += " " + _("Several values are separated by semicolons (;).")
    return text


def describe(spec):
    """What a column expects, in a sentence for the person filling the file."""
    kind = spec.kind
    if kind == kinds.BOOL:
        return _("Yes or no: oui/non, vrai/faux, 1/0 or x. Empty means no.")
    if kind == kinds.DATE:
        return _("A date written dd/mm/yyyy, or an Excel date.")
    if kind == kinds.DATETIME:
        return _("A date and time written dd/mm/yyyy hh:mm, or an Excel date.")
    if kind in (kinds.INTEGER, kinds.AMOUNT):
        text = _("A whole number; spaces between thousands are allowed (1 234 567).")
        if isinstance(spec.model_field, AmountField):
            text += " " + _("Amount in XPF.")
        return text
    if kind == kinds.DECIMAL:
        return _("A number; comma or dot as decimal separator.")
    if kind == kinds.CHOICE:
        labels = [str(label) for value, label in spec.model_field.flatchoices if value != ""]
        return _("One of: %(values)s.") % {"values": ", ".join(labels)}
    if kind in (kinds.FOREIGN_KEY, kinds.MANY):
        return _related_description(spec)
    max_length = getattr(spec.model_field, "max_length", None)
    if max_length:
        return _("Text, at most %(count)d characters.") % {"count": max_length}
    return _("Text.")


def template_workbook(object_type):
    """A workbook whose first sheet has the import header and the second explains it."""
    specs = import_columns(object_type)
    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(capfirst(str(object_type.verbose_name_plural)))
    bold = Font(bold=True)
    for index, spec in enumerate(specs, start=1):
        cell = data.cell(row=1, column=index, value=spec.label)
        cell.font = bold
        cell.fill = REQUIRED_FILL if spec.required else HEADER_FILL
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, min(len(spec.label) + 4, 40))
        if spec.kind == kinds.CHOICE:
            labels = [str(label) for value, label in spec.model_field.flatchoices if value != ""]
            formula = '"' + ",".join(label.replace('"', "") for label in labels) + '"'
            if len(formula) <= LIST_LIMIT and "," not in "".join(labels):
                validation = DataValidation(type="list", formula1=formula, allow_blank=True)
                validation.add(f"{letter}2:{letter}5000")
                data.add_data_validation(validation)
    data.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(_sheet_title(_("Columns")))
    headings = [_("Column"), _("Required"), _("What to write"), _("Notes")]
    help_sheet.append(headings)
    for cell in help_sheet[1]:
        cell.font = bold
        cell.fill = HEADER_FILL
    for spec in specs:
        notes = [str(spec.model_field.help_text)] if spec.model_field.help_text else []
        if spec.is_key:
            notes.insert(
                0,
                _(
                    "Identifies the record: a row whose value matches an existing record "
                    "updates it; otherwise the row creates a new record."
                ),
            )
        help_sheet.append(
            [spec.label, _("Yes") if spec.required else _("No"), describe(spec), " ".join(notes)]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            _(
                "Headers may be written in French or in English, in any case. Columns left out "
                "keep their current value on updated records and their default on new ones."
            )
        ]
    )
    for letter, width in zip("ABCD", (30, 12, 60, 60), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


def template_bytes(object_type):
    """The template as XLSX bytes."""
    buffer = io.BytesIO()
    template_workbook(object_type).save(buffer)
    return buffer.getvalue()
