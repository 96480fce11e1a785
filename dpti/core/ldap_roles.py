"""Roles from directory groups at LDAP sign-in (used only when LDAP is configured)."""

from django.conf import settings
from django.contrib.auth.models import Group


def apply_ldap_roles(sender, user=None, ldap_user=None, **kwargs):
    """django-auth-ldap `populate_user` hook: set the roles mapped from the user's groups."""
    mapping = getattr(settings, "DPTI_LDAP_ROLE_GROUPS", None)
    if not mapping or ldap_user is None:
        return
    member_of = {dn.lower() for dn in ldap_user.group_dns}
    wanted = [role for role, group_dn in mapping.items() if group_dn.lower() in member_of]
    if user.pk is None:
        user.save()
    user.groups.set(Group.objects.filter(name__in=wanted))
