"""Template filters for local formats and generic pages."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _

from dpti.core.display import format_xpf, logged_value
from dpti.core.roles import role_label

register = template.Library()


@register.filter
def xpf(amount):
    """1234567 → 1 234 567 XPF."""
    return format_xpf(amount)


@register.filter
def logged(value):
    """A value of the audit log as a reader reads it: « — » for the log's "None"."""
    return logged_value(value)


@register.filter
def roles_display(user):
    """The translated names of the user's roles."""
    if user.is_superuser and not user.role_names:
        return "Superuser"
    return ", ".join(str(role_label(name)) for name in sorted(user.role_names))


@register.simple_tag
def type_url(object_type, action, pk=None):
    """The URL of a generic view of an object type."""
    try:
        return reverse(object_type.url_name(action), args=[pk] if pk else None)
    except NoReverseMatch:
        return ""


@register.filter
def verbose_name(obj):
    """The translated type name of a model instance."""
    return obj._meta.verbose_name


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def bootstrap_widget(bound_field):
    """Render a form field with the Bootstrap class that fits its widget."""
    from django import forms

    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})


@register.filter
def object_url(obj):
    """The detail page of an object, whether or not its model defines get_absolute_url."""
    from dpti.core.registry import registry

    return registry.url_of(obj)


@register.simple_tag
def calendar_labels():
    """The date picker's words for screen readers (dpti.js), in the page's language."""
    labels = {
        "application": _("Calendar"),
        "navigation": _("Change the month or the year"),
        "arrowPrev": {
            "month": _("Previous month"),
            "year": _("Previous years"),
            "week": _("Previous week"),
        },
        "arrowNext": {"month": _("Next month"), "year": _("Next years"), "week": _("Next week")},
        "month": _("Choose the month; shown now:"),
        "months": _("Months"),
        "year": _("Choose the year; shown now:"),
        "years": _("Years"),
        "week": _("Days of the week"),
        "dates": _("Days of the month"),
    }
    return json_script(labels, "dpti-calendar-labels")
