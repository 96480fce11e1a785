"""Roles from directory groups at LDAP sign-in (used only when LDAP is configured)."""

from django.conf import settings
from django.contrib.auth.models import Group


def roles_from_groups(mapping, group_dns):
    """The role codes whose mapped directory group is among the user's groups (any case)."""
    member_of = {dn.strip().lower() for dn in group_dns}
    return {role for role, group_dn in mapping.items() if group_dn.strip().lower() in member_of}


def apply_ldap_roles(sender, user=None, ldap_user=None, **kwargs):
    """django-auth-ldap `populate_user` hook: roles of the mapping follow the user's groups.

    Only the roles named in AUTH_LDAP_ROLE_GROUPS are managed by the directory: they are
    granted or withdrawn at every sign-in. Roles outside the mapping, given by hand in DPTI,
    are left as they are.
    """
    mapping = getattr(settings, "DPTI_LDAP_ROLE_GROUPS", None)
    if not mapping or ldap_user is None:
        return
    wanted = roles_from_groups(mapping, ldap_user.group_dns)
    if user.pk is None:
        user.save()  # a first sign-in: the account must exist before it joins groups
    managed = Group.objects.filter(name__in=mapping)
    user.groups.remove(*[group for group in managed if group.name not in wanted])
    user.groups.add(*[group for group in managed if group.name in wanted])
