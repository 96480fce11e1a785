"""Registration of the core's own object types: user accounts."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.models import User
from dpti.core.registry import ObjectType, register, registry

registry.add_domain("administration", _("Administration"), "ti ti-settings", order=900)
registry.add_domain("planning", _("Planning"), "ti ti-calendar-event", order=5)
registry.add_menu_link("planning", _("Deadlines"), "deadlines", icon="ti ti-calendar-due", order=10)


@register
class UserType(ObjectType):
    """User accounts and their roles; only administrators manage them."""

    model = User
    domain = "administration"
    icon = "ti ti-user-shield"
    url_slug = "accounts"
    list_columns = (
        "username",
        "first_name",
        "last_name",
        "email",
        "groups",
        "is_active",
        "last_login",
    )
    default_columns = ("username", "first_name", "last_name", "email", "groups", "is_active")
    filter_fields = ("is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    form_fields = ("username", "first_name", "last_name", "email", "groups", "is_active")
    detail_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "groups",
        "is_active",
        "last_login",
        "date_joined",
    )
    bulk_edit_fields = ("is_active",)
    import_key = "username"
    m2m_history_fields = ("groups",)
    allow_bulk_delete = False
    permissions = {roles.DIRECTION: "view"}

    def detail_actions(self, obj, user):
        """Administrators set passwords in the technical administration (Django admin)."""
        if not (user.is_staff and user.has_perm("core.change_user")):
            return []
        return [
            {
                "label": _("Set the password"),
                # Django's UserAdmin names this URL after auth.User whatever the user model.
                "url": reverse("admin:auth_user_password_change", args=[obj.pk]),
                "icon": "ti ti-key",
            }
        ]


registry.add_menu_link(
    "administration",
    _("Roles and permissions"),
    "roles",
    permission="core.view_user",
    icon="ti ti-lock-access",
    order=10,
)


@register
class AuditLogType(ObjectType):
    """The audit trail of every business object, searchable; nobody may change it."""

    model = LogEntry
    domain = "administration"
    icon = "ti ti-history"
    url_slug = "audit-log"
    read_only = True
    history = False
    in_global_search = False

    def display_changes(self, obj):
        """The changed fields by their names on screen (auditlog's display dict), old → new."""
        from dpti.core.detail import json_html

        return json_html(obj.changes_display_dict)

    def display_entry(self, obj):
        """The entry's time to the second and its number: several entries share a minute
        (a bulk edit, an import), and only the number tells them apart."""
        from dpti.core.display import format_plain

        return _("%(when)s (no. %(number)s)") % {
            "when": format_plain(obj.timestamp) + obj.timestamp.strftime(":%S"),
            "number": obj.pk,
        }

    display_entry.label = _("entry")

    list_columns = (
        "entry",
        "timestamp",
        "actor",
        "action",
        "content_type",
        "object_repr",
        "changes_text",
    )
    default_columns = ("entry", "actor", "action", "content_type", "object_repr")
    column_order_by = {"entry": ("timestamp", "id")}
    filter_fields = ("action", "actor", "content_type", "timestamp")
    search_fields = ("object_repr", "changes_text", "actor__username", "actor__last_name")
    detail_fields = (
        "timestamp",
        "actor",
        "action",
        "content_type",
        "object_repr",
        "object_pk",
        "changes",
        "remote_addr",
    )
    select_related = ("actor", "content_type")
    permissions = {roles.DIRECTION: "view"}
