"""What a detail page shows: fields written for people, related lists, history, files."""

import json
from functools import partial

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from dpti.core.attachments import panel_context as attachment_panel_context
from dpti.core.display import EMPTY, display_value, logged_value
from dpti.core.fields import AmountField
from dpti.core.models import Attachment, Comment, Deadline
from dpti.core.permissions import has_model_permission, readable_relation, restrict

HISTORY_LIMIT = 50
RELATED_LIMIT = 10
# A related list longer than this says « more than » instead of its exact length.
RELATED_COUNT_LIMIT = 1000


def field_html(obj, field, user):
    """A field value as HTML: links for relations, e-mails and web addresses."""
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        target = getattr(obj, field.name, None)
        if target is None:
            return EMPTY
        url = getattr(target, "get_absolute_url", lambda: "")()
        if url and has_model_permission(user, type(target), "view"):
            return format_html('<a href="{}">{}</a>', url, target)
        return str(target)
    value = getattr(obj, field.name, None)
    if isinstance(field, models.JSONField):
        return json_html(value)
    if value and isinstance(field, models.EmailField):
        return format_html('<a href="mailto:{0}">{0}</a>', value)
    if value and isinstance(field, models.URLField):
        return format_html('<a href="{0}" rel="noopener">{0}</a>', value)
    if isinstance(field, models.BooleanField):
        css = "bg-green-lt" if value else "bg-secondary-lt"
        return format_html('<span class="badge {}">{}</span>', css, display_value(obj, field))
    if isinstance(field, AmountField):
        return format_html('<span class="text-nowrap">{}</span>', display_value(obj, field))
    return display_value(obj, field)


def json_html(value):
    """Structured data as a small table: one row per key, lists written 'a → b'."""
    if not value:
        return EMPTY
    if not isinstance(value, dict):
        return format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False))
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td></tr>",
        (
            (
                key,
                " → ".join(logged_value(v) for v in item)
                if isinstance(item, list)
                else logged_value(item),
            )
            for key, item in value.items()
        ),
    )
    return format_html('<table class="table table-sm mb-0">{}</table>', rows)


def detail_fields(object_type, obj, user):
    """[(label, html, field name)] of the fields the type shows on its detail page."""
    rows = []
    for name in object_type.get_detail_fields():
        # A type may write a field its own way with a `display_<field>(obj)` method, or show a
        # computed value (a total surface…) with a method carrying a `label` attribute.
        custom = getattr(object_type, f"display_{name}", None)
        if custom is not None and hasattr(custom, "label"):
            rows.append((custom.label, custom(obj), name))
            continue
        field = obj._meta.get_field(name)
        if field.is_relation and not readable_relation(user, type(obj), name):
            continue
        html = custom(obj) if custom else field_html(obj, field, user)
        rows.append((field.verbose_name, html, name))
    return rows


def first_rows_and_total(queryset, limit):
    """The first `limit` rows and how many there are in all: one query when they all fit.

    The rows are read with one more than the page: when that one is missing, the page holds
    them all and its length is the total; only a longer list pays a COUNT. (A window count,
    COUNT(*) OVER (), would cost one query always, but PostgreSQL must then read every related
    row before the LIMIT: a category's page took 2.5 s over its 100,000 assets.)
    """
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    # Counted up to a bound: the badge says « plus de 1 000 » rather than counting the
    # 100,000 assets of a category on every view of its page (100 ms at the large size).
    return rows[:limit], queryset[: RELATED_COUNT_LIMIT + 1].count()


def related_lists(object_type, obj, user):
    """Tables of the records that point to the object, limited to what the user sees."""
    from dpti.core.registry import registry

    lists = []
    for accessor, title in object_type.related_lists:
        manager = getattr(obj, accessor)
        model = manager.model
        if not has_model_permission(user, model, "view"):
            continue  # a list the user may never read is not shown empty either
        queryset = restrict(manager.all(), user, "view")
        related_type = registry.get(model) if model in registry else None
        if related_type is not None and related_type.select_related:
            # The related rows' names often read their parents (a floor names its building).
            queryset = queryset.select_related(*related_type.select_related)
        list_url = ""
        if related_type is not None:
            from django.urls import reverse

            field_name = manager.field.name if hasattr(manager, "field") else None
            if field_name and field_name in related_type.filter_fields:
                list_url = f"{reverse(related_type.url_name('list'))}?{field_name}={obj.pk}"
        objects, total = first_rows_and_total(queryset, RELATED_LIMIT)
        lists.append(
            {
                "title": title,
                "objects": objects,
                "total": total,
                "more_than": total > RELATED_COUNT_LIMIT and RELATED_COUNT_LIMIT,
                "list_url": list_url,
            }
        )
    return lists


def history(obj):
    """The audit trail entries of the object, newest first, each with `display_changes`."""
    entries = list(
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")  # changes_display_dict reads the type
        .order_by("-timestamp")[:HISTORY_LIMIT]
    )
    with_readable_relations(entries)
    return entries


# auditlog writes an empty value as the text "None".
AUDITLOG_EMPTY = "None"


def with_readable_relations(entries):
    """Give each entry `display_changes`: its changes as people read them, [before, after].

    auditlog names a changed relation by fetching the related record, one query per value
    and per entry; here the records of all the entries come in one query per related model
    (with what their names read), and an empty or deleted one is said in French.
    """
    from dpti.core.registry import registry

    wanted = {}  # related model → {pk as stored}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items() if model else ():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.ForeignKey | models.OneToOneField):
                stored = {str(v) for v in values if v is not None and str(v) != AUDITLOG_EMPTY}
                wanted.setdefault(field.related_model, set()).update(stored)
    names = {}
    for related_model, keys in wanted.items():
        manager = related_model._default_manager
        if related_model in registry and registry.get(related_model).select_related:
            manager = manager.select_related(*registry.get(related_model).select_related)
        pks = set()
        for key in keys:
            try:
                pks.add(related_model._meta.pk.to_python(key))
            except ValidationError:
                continue
        for pk, record in manager.in_bulk(pks).items():
            names[(related_model, str(pk))] = str(record)

    def related_name(entry, field, value):
        if value == AUDITLOG_EMPTY:
            return ""
        try:
            pk = field.related_model._meta.pk.to_python(value)
        except ValidationError:
            return value  # a name written as such (older or seeded entries)
        return names.get((field.related_model, str(pk))) or _("%(value)s (deleted)") % {
            "value": value
        }

    for entry in entries:
        # auditlog's own method, answered from the names fetched above.
        entry._get_changes_display_for_fk_field = partial(related_name, entry)
        entry.display_changes = {
            label: ["" if value == AUDITLOG_EMPTY else value for value in values]
            for label, values in entry.changes_display_dict.items()
        }
    return entries


def detail_context(object_type, obj, request):
    """Everything the generic detail template needs."""
    from dpti.core.registry import registry

    content_type = ContentType.objects.get_for_model(obj)
    generic = {"content_type": content_type, "object_id": obj.pk}
    return {
        "fields": detail_fields(object_type, obj, request.user),
        "related_lists": related_lists(object_type, obj, request.user),
        "history": history(obj) if object_type.history else [],
        "attachments": Attachment.objects.filter(**generic).select_related("created_by"),
        "comments": Comment.objects.filter(**generic).select_related("created_by"),
        "deadlines": Deadline.objects.filter(**generic).order_by("due_date"),
        "content_type": content_type,
        "panels": registry.detail_panels(object_type, obj, request),
        **attachment_panel_context(request.user),
    }
