"""Application configuration of the core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Core app: patches django-tables2, registers audit logging and role synchronisation once
    every app is loaded."""

    name = "dpti.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from dpti.core import registry, roles, tables

        # Refused, and the start-up with it, on another release than the patch was written for.
        tables.patch_django_tables2()
        registry.registry.autodiscover()
        post_migrate.connect(roles.sync_roles_after_migrate)
        if getattr(settings, "DPTI_LDAP_ROLE_GROUPS", None):
            from django_auth_ldap.backend import populate_user

            from dpti.core.ldap_roles import apply_ldap_roles

            populate_user.connect(apply_ldap_roles)
