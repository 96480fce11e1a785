"""Tables of object lists (django-tables2), generated from the registry."""

import importlib.metadata
from functools import lru_cache

import django_tables2 as tables
import django_tables2.utils
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dpti.core.display import format_number, format_plain, format_xpf, label_of
from dpti.core.fields import AmountField, resolve_field_path

# The release of django-tables2 the patch below was written for (requirements/*.txt pin it):
# it replaces `django_tables2.utils.signature`, which that release's `call_with_appropriate`
# looks up at each call. Another release may call it otherwise, or cache it itself: the patch
# is then refused rather than applied blind.
DJANGO_TABLES2_VERSION = "3.0.1"

_signature = django_tables2.utils.signature


@lru_cache(maxsize=4096)
def _signature_of(function, bound):
    return _signature(function.__get__(object()) if bound else function)


def cached_signature(fn):
    """django-tables2 inspects the signature of every render and link function for every cell
    (550 cells on a page of 50 assets); a function's signature never changes."""
    function = getattr(fn, "__func__", None)
    try:
        return _signature_of(function, True) if function is not None else _signature_of(fn, False)
    except TypeError:  # an unhashable callable
        return _signature(fn)


def installed_django_tables2():
    """The version of django-tables2 installed in the environment."""
    return importlib.metadata.version("django-tables2")


def patch_django_tables2(version=None):
    """Make django-tables2 remember signatures (`cached_signature`), if it is the release the
    patch was written for; otherwise raise ImproperlyConfigured saying what to check before
    moving `DJANGO_TABLES2_VERSION`. Called at start-up by the core's `ready`."""
    version = version or installed_django_tables2()
    if version != DJANGO_TABLES2_VERSION:
        raise ImproperlyConfigured(
            f"dpti.core.tables patches django_tables2.utils.signature for django-tables2 "
            f"{DJANGO_TABLES2_VERSION}, but django-tables2 {version} is installed. Check that "
            f"call_with_appropriate still reads utils.signature at each call (and that "
            f"dpti.core.exports and the table_body tag still match it), then set "
            f"DJANGO_TABLES2_VERSION to {version}; or install django-tables2=="
            f"{DJANGO_TABLES2_VERSION} (requirements/base.txt)."
        )
    django_tables2.utils.signature = cached_signature


class AmountColumn(tables.Column):
    """An XPF amount: right-aligned and grouped on screen, a plain number in exports."""

    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_xpf(value)

    def value(self, value):
        return value


class NumberColumn(tables.Column):
    """A decimal (an area, a coordinate): French comma on screen, a number in exports."""

    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_number(value)

    def value(self, value):
        return value


class LocalDateTimeColumn(tables.Column):
    """A date and time in Nouméa's time zone, written dd/mm/yyyy hh:mm."""

    attrs = {"td": {"class": "text-nowrap"}}

    def render(self, value):
        return format_plain(value)


class LocalDateColumn(tables.DateColumn):
    """A date written dd/mm/yyyy on screen and in exports (django-tables2 exports ISO)."""

    def __init__(self, format="d/m/Y", **kwargs):
        self.date_format = format
        super().__init__(format=format, **kwargs)

    def render(self, value, bound_column):
        # What django-tables2's template `{{ value|date:format|default:default }}` writes,
        # without compiling that template for every cell (150 times for a page of invoices).
        return date_filter(value, self.date_format) or bound_column.default

    def value(self, value, **kwargs):
        return value  # the export writes dates like every other date: dd/mm/yyyy


class BooleanColumn(tables.BooleanColumn):
    """Oui / Non written out, so that exports are readable."""

    def value(self, value, record=None, bound_column=None):
        return _("Yes") if value else _("No")


# What makes a control of the list table refresh the table in place through htmx (the page's
# `#object-table`, see core/htmx/table.html) and put its address in the address bar. Only the
# sorting headers (the <thead>) and the pagination carry it: a link in a row (the record, a
# related record) is an ordinary page change. Boosting the whole table swapped detail pages
# into the list (issue 12).
TABLE_REFRESH_ATTRS = {
    "hx-boost": "true",
    "hx-target": "#object-table",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
}


class ObjectTable(tables.Table):
    """Base table: a selection checkbox for bulk actions, Tabler styling; its sorting headers
    refresh it in place."""

    select = tables.CheckBoxColumn(
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        attrs={
            "th__input": {
                "class": "form-check-input",
                "data-select-all": "1",
                "aria-label": _("Select all"),
            },
            "td__input": {"class": "form-check-input", "name": "pk", "aria-label": _("Select")},
            "th": {"class": "w-1"},
        },
    )

    class Meta:
        attrs = {
            "class": "table table-vcenter card-table table-hover table-striped",
            "thead": TABLE_REFRESH_ATTRS,
        }
        template_name = "core/tables/table.html"
        empty_text = _("No record matches.")

    @classmethod
    def selectable_columns(cls):
        """[(name, header)] of the columns a user may show or hide."""
        return [
            (name, column.verbose_name or name)
            for name, column in cls.base_columns.items()
            if name != "select"
        ]


def _column_for(field, linkify):
    if isinstance(field, AmountField):
        return AmountColumn(verbose_name=field.verbose_name, linkify=linkify)
    if isinstance(field, models.DecimalField | models.FloatField):
        return NumberColumn(verbose_name=field.verbose_name, linkify=linkify)
    if isinstance(field, models.BooleanField):
        return BooleanColumn(verbose_name=field.verbose_name)
    if isinstance(field, models.DateTimeField):
        return LocalDateTimeColumn(verbose_name=field.verbose_name, linkify=linkify)
    if isinstance(field, models.DateField):
        return LocalDateColumn(verbose_name=field.verbose_name, linkify=linkify, format="d/m/Y")
    if isinstance(field, models.ManyToManyField):
        return tables.ManyToManyColumn(
            verbose_name=field.verbose_name,
            transform=label_of,
            linkify_item=hasattr(field.related_model, "get_absolute_url"),
        )
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        # The first column opens the row itself, even when it names a related record: a list
        # whose rows all led elsewhere (a disposal to its asset) had no way to open a record.
        return tables.Column(
            verbose_name=field.verbose_name,
            linkify=linkify or hasattr(field.related_model, "get_absolute_url"),
        )
    if isinstance(field, models.EmailField):
        return tables.EmailColumn(verbose_name=field.verbose_name)
    return None


def _renderer(display):
    def render(self, record):
        return display(record)

    return render


def build_table(object_type):
    """Build the table class of an object type from its `list_columns`."""
    model = object_type.model
    names = object_type.get_list_columns()
    attrs = {}

    def detail_url(record):
        return reverse(object_type.url_name("detail"), args=[record.pk])

    for index, name in enumerate(names):
        linkify = detail_url if index == 0 else False
        display = getattr(object_type, f"display_{name}", None)
        try:
            field = resolve_field_path(model, name)
        except FieldDoesNotExist:  # a property or annotation, not a field
            field = None
        if name == "__str__" and display is None:
            # The row's own name. django-tables2 reads the accessor "__str__" as a path of
            # empty names split on "__" and finds None: the name is written by str() instead.
            display = str
        if field is None:
            # A computed value (an annotation…), written by the type's `display_<name>`.
            label = getattr(display, "label", None) or object_type.column_labels.get(name)
            attrs[name] = tables.Column(
                linkify=linkify,
                orderable=(
                    name in object_type.sortable_annotations or name in object_type.column_order_by
                ),
                verbose_name=capfirst(model._meta.verbose_name) if name == "__str__" else label,
                empty_values=(),
            )
            if display is not None:
                attrs[f"render_{name}"] = _renderer(display)
            continue
        if "__" in name:  # a field of a related record: a plain column through the relation
            column = _column_for(field, linkify) or tables.Column(verbose_name=field.verbose_name)
            attrs[name] = column
            continue
        column = _column_for(field, linkify)
        if column is None and linkify:
            column = tables.Column(verbose_name=field.verbose_name, linkify=linkify)
        if column is not None:
            attrs[name] = column
    for name, order_by in object_type.column_order_by.items():
        if name not in attrs:  # a plain field's column, else built by Meta.fields
            field = resolve_field_path(model, name)
            attrs[name] = tables.Column(verbose_name=field.verbose_name)
        attrs[name].order_by = tables.utils.OrderByTuple(order_by)
    for column in attrs.values():
        if not isinstance(column, tables.Column):
            continue  # a render_<name> method
        # Headers start with a capital like those django-tables2 builds from Meta.fields;
        # capfirst (not str.capitalize) keeps the acronyms: « Taux de TGC ».
        if column.verbose_name is not None:
            column.verbose_name = capfirst(column.verbose_name)
    field_names = [n for n in names if n not in attrs]
    meta = type(
        "Meta",
        (ObjectTable.Meta,),
        {"model": model, "fields": field_names, "sequence": ("select", *names)},
    )
    attrs["Meta"] = meta
    return type(f"{model.__name__}Table", (ObjectTable,), attrs)


def related_fields_to_load(object_type, columns):
    """select_related / prefetch_related paths for the visible columns only."""
    select, prefetch = [], []
    for name in columns:
        try:
            field = resolve_field_path(object_type.model, name)
        except FieldDoesNotExist:
            continue
        if "__" in name:
            relation = name.rsplit("__", 1)[0] if not field.is_relation else name
            select.append(relation)
            continue
        if isinstance(field, models.ManyToManyField) or field.one_to_many:
            prefetch.append(name)
        elif field.is_relation:
            select.append(name)
    return select, prefetch
