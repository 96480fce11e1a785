"""People and teams."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.directory.models import Person, Team
from dpti.directory.object_types.common import READ_INTERNAL
from dpti.directory.scoping import company_of


@register
class PersonType(ObjectType):
    """People: agents, elected members and contractors' staff."""

    model = Person
    domain = "directory"
    icon = "ti ti-users"
    url_slug = "people"
    list_columns = (
        "__str__",
        "last_name",
        "first_name",
        "kind",
        "job_title",
        "unit",
        "company",
        "email",
        "phone",
        "mobile",
        "office",
        "user",
        "access_until",
        "is_active",
    )
    default_columns = ("__str__", "kind", "unit", "email", "phone")
    column_order_by = {"__str__": ("last_name", "first_name")}
    filter_fields = ("kind", "unit", "company", "is_active", "access_until")
    search_fields = ("last_name", "first_name", "email", "job_title", "phone", "mobile")
    form_fields = (
        "civility",
        "last_name",
        "first_name",
        "kind",
        "job_title",
        "unit",
        "company",
        "email",
        "phone",
        "mobile",
        "office",
        "user",
        "access_until",
        "is_active",
        "notes",
    )
    bulk_edit_fields = ("kind", "unit", "company", "is_active", "access_until")
    import_key = "email"
    import_synonyms = {
        "last_name": ("Nom de famille", "NOM usuel"),
        "email": ("Courriel", "Mail", "Adresse mail", "Adresse électronique"),
        "unit": ("Service", "Direction", "Unité"),
        "phone": ("Téléphone", "Tél.", "Poste"),
        "notes": ("Remarques", "Observations", "Commentaire"),
    }
    # Another import names a person by e-mail or as « NOM Prénom » (or « Prénom NOM »).
    import_name_lookups = (("last_name", "first_name"), ("first_name", "last_name"))
    related_lists = (("teams", _("Teams")), ("managed_units", _("Units headed")))
    select_related = ("unit", "company")
    permissions = {
        **READ_INTERNAL,
        roles.REQUESTER: "view",
        roles.CONTRACTOR: "view",
    }

    def scope(self, queryset, user):
        """A contractor sees his company's staff; a requester the whole phone book."""
        if roles.CONTRACTOR in user.role_names:
            return queryset.filter(company_id=company_of(user))
        return queryset

    def deadlines(self, obj):
        if not obj.access_until or not obj.is_active:
            return []
        return [
            DeadlineSpec(
                "access_end",
                gettext("End of access: %(person)s") % {"person": obj},
                obj.access_until,
            )
        ]


@register
class TeamType(ObjectType):
    """Teams inside organisation units."""

    model = Team
    domain = "directory"
    icon = "ti ti-users-group"
    url_slug = "teams"
    list_columns = ("name", "unit", "leader", "members")
    default_columns = ("name", "unit", "leader")
    filter_fields = ("unit", "leader")
    search_fields = ("name", "description")
    form_fields = ("name", "unit", "leader", "members", "description")
    bulk_edit_fields = ("unit",)
    import_fields = ("name", "unit", "leader", "description")
    m2m_history_fields = ("members",)
    select_related = ("unit", "leader")
    permissions = {**READ_INTERNAL, roles.REQUESTER: "view"}
