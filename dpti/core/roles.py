"""Roles: the groups of permissions every account is given.

Each role is a Django group whose name is the role's code. Its model permissions come from the
`permissions` declared by every registered object type, so that a new module brings its own
rights; `sync_roles` rewrites the groups after each migration.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    """A role of the directorate's organisation."""

    code: str
    label: str
    description: str
    scoped: bool = False  # scoped roles see only the objects that concern them


ADMINISTRATOR = "administrator"
DIRECTION = "direction"
PROPERTY_MANAGER = "property_manager"
IT_MANAGER = "it_manager"
PROCUREMENT_MANAGER = "procurement_manager"
FLEET_MANAGER = "fleet_manager"
TECHNICIAN = "technician"
REQUESTER = "requester"
CONTRACTOR = "contractor"

ROLES = {
    role.code: role
    for role in [
        Role(ADMINISTRATOR, _("Administrator"), _("Manages accounts, roles and every record.")),
        Role(DIRECTION, _("Direction"), _("Reads everything and follows the dashboards.")),
        Role(PROPERTY_MANAGER, _("Property manager"), _("Manages buildings and movable assets.")),
        Role(IT_MANAGER, _("IT manager"), _("Manages the IT and telecom park.")),
        Role(PROCUREMENT_MANAGER, _("Procurement manager"), _("Manages contracts and budget.")),
        Role(FLEET_MANAGER, _("Fleet manager"), _("Manages the vehicle fleet.")),
        Role(TECHNICIAN, _("Technician"), _("Carries out work and updates equipment.")),
        Role(
            REQUESTER,
            _("Requester"),
            _("Agent or elected member: own requests, bookings and equipment."),
            scoped=True,
        ),
        Role(
            CONTRACTOR,
            _("External contractor"),
            _("Sees only what concerns his own company."),
            scoped=True,
        ),
    ]
}
MANAGERS = (PROPERTY_MANAGER, IT_MANAGER, PROCUREMENT_MANAGER, FLEET_MANAGER)
INTERNAL_ROLES = (ADMINISTRATOR, DIRECTION, *MANAGERS, TECHNICIAN)
ALL_ROLES = tuple(ROLES)
SCOPED_ROLES = frozenset(code for code, role in ROLES.items() if role.scoped)
ACTIONS = ("view", "add", "change", "delete")


def grant(roles, actions):
    """Build a permissions mapping giving the same actions to several roles."""
    return dict.fromkeys(roles, actions)


def role_label(code):
    """The translated label of a role code (the code itself if unknown)."""
    role = ROLES.get(code)
    return role.label if role else code


def permissions_by_role():
    """{role code: set of (app_label, codename)} gathered from the registry."""
    from dpti.core.registry import registry

    wanted = {code: set() for code in ROLES}
    for object_type in registry:
        declared = dict(object_type.permissions)
        # Administrators may do everything, except change what is only read (the audit log).
        declared[ADMINISTRATOR] = "view" if object_type.read_only else " ".join(ACTIONS)
        for role_code, actions in declared.items():
            for action in actions.split():
                wanted[role_code].add((object_type.app_label, f"{action}_{object_type.model_name}"))
    return wanted


def sync_roles(verbosity=0):
    """Create or update one group per role with exactly the permissions the registry declares."""
    from django.contrib.auth.models import Group, Permission

    wanted = permissions_by_role()
    all_perms = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for code, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=code)
        group.permissions.set([all_perms[key] for key in sorted(perms) if key in all_perms])
        if verbosity:
            print(f"role {code}: {len(perms)} permissions")  # noqa: T201


def sync_roles_after_migrate(sender, **kwargs):
    """post_migrate hook: once every app has its permissions, align the role groups."""
    from django.apps import apps

    # Django signals only the apps that have a models module: the last of those is the cue.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:
        sync_roles()
