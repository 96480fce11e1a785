"""Template filters for local formats and generic pages."""

from django import template
from django.urls import NoReverseMatch, reverse

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
