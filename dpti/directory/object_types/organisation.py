"""Organisation units."""

from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.registry import ObjectType, register
from dpti.directory.models import OrganisationUnit
from dpti.directory.object_types.common import READ_INTERNAL


@register
class OrganisationUnitType(ObjectType):
    """Organisation units: the institution's tree of directorates, services and groups."""

    model = OrganisationUnit
    domain = "directory"
    icon = "ti ti-sitemap"
    url_slug = "units"
    list_columns = ("name", "code", "kind", "parent", "manager", "email", "phone", "is_active")
    default_columns = ("name", "code", "kind", "parent", "manager")
    filter_fields = ("kind", "parent", "is_active")
    search_fields = ("name", "code")
    form_fields = ("code", "name", "kind", "parent", "manager", "email", "phone", "is_active")
    bulk_edit_fields = ("kind", "parent", "is_active")
    import_key = "code"
    related_lists = (("children", _("Sub-units")), ("people", _("People")), ("teams", _("Teams")))
    select_related = ("parent", "manager")
    permissions = {**READ_INTERNAL, roles.REQUESTER: "view"}
