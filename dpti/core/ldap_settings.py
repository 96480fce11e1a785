"""Optional LDAP / Active Directory sign-in, configured by environment variables.

Enabled when AUTH_LDAP_SERVER_URI is set (dpti/settings.py calls `configure_ldap` only then, so
python-ldap is never imported otherwise); needs the optional extra `ldap` (django-auth-ldap,
which builds python-ldap against Debian's libldap2-dev and libsasl2-dev). Accounts are created
at their first sign-in with their first name, last name and e-mail from the directory; DPTI roles
can follow directory groups through AUTH_LDAP_ROLE_GROUPS (see dpti/core/ldap_roles.py).
"""

from django.core.exceptions import ImproperlyConfigured

DEFAULT_USER_FILTER = "(sAMAccountName=%(user)s)"
DEFAULT_GROUP_FILTER = "(objectClass=group)"
LDAP_BACKEND = "django_auth_ldap.backend.LDAPBackend"
TRUE_VALUES = {"1", "true", "yes", "on"}


def parse_role_groups(value):
    """'administrator=CN=DPTI-Admins,OU=Groupes,DC=congres,DC=nc;technician=CN=…' → dict.

    Only the first '=' of each item separates the role code from the group's DN, which holds
    '=' signs of its own.
    """
    mapping = {}
    for item in (value or "").split(";"):
        if "=" in item:
            role, group_dn = item.split("=", 1)
            if role.strip() and group_dn.strip():
                mapping[role.strip()] = group_dn.strip()
    return mapping


def check_role_groups(role_groups, group_search_base):
    """Refuse a mapping that names unknown roles or that cannot be resolved."""
    from dpti.core.roles import ROLES

    unknown = sorted(set(role_groups) - set(ROLES))
    if unknown:
        raise ImproperlyConfigured(
            f"AUTH_LDAP_ROLE_GROUPS names unknown roles {unknown}; known roles: {sorted(ROLES)}."
        )
    if role_groups and not group_search_base:
        raise ImproperlyConfigured(
            "AUTH_LDAP_ROLE_GROUPS needs AUTH_LDAP_GROUP_SEARCH_BASE (where the groups are)."
        )


def configure_ldap(settings_globals, env):
    """Add the LDAP backend and its settings to the settings module's globals.

    `env(name, default)` reads one environment variable. The backend goes right after
    django-axes, so that failed directory sign-ins are throttled too, and before the local
    accounts, which keep working (a local administrator can still sign in if the directory is
    down).
    """
    user_search_base = env("AUTH_LDAP_USER_SEARCH_BASE", "")
    if not user_search_base:
        raise ImproperlyConfigured(
            "AUTH_LDAP_USER_SEARCH_BASE must be set with AUTH_LDAP_SERVER_URI "
            "(for example OU=Agents,DC=congres,DC=nc)."
        )
    group_search_base = env("AUTH_LDAP_GROUP_SEARCH_BASE", "")
    role_groups = parse_role_groups(env("AUTH_LDAP_ROLE_GROUPS", ""))
    check_role_groups(role_groups, group_search_base)

    import ldap
    from django_auth_ldap.config import ActiveDirectoryGroupType, LDAPSearch

    settings_globals["AUTH_LDAP_SERVER_URI"] = env("AUTH_LDAP_SERVER_URI")
    settings_globals["AUTH_LDAP_BIND_DN"] = env("AUTH_LDAP_BIND_DN", "")
    settings_globals["AUTH_LDAP_BIND_PASSWORD"] = env("AUTH_LDAP_BIND_PASSWORD", "")
    settings_globals["AUTH_LDAP_START_TLS"] = (
        env("AUTH_LDAP_START_TLS", "").strip().lower() in TRUE_VALUES
    )
    settings_globals["AUTH_LDAP_USER_SEARCH"] = LDAPSearch(
        user_search_base,
        ldap.SCOPE_SUBTREE,
        env("AUTH_LDAP_USER_FILTER", DEFAULT_USER_FILTER),
    )
    settings_globals["AUTH_LDAP_USER_ATTR_MAP"] = {
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
    }
    settings_globals["AUTH_LDAP_ALWAYS_UPDATE_USER"] = True
    # Active Directory answers referrals the client cannot follow anonymously.
    settings_globals["AUTH_LDAP_CONNECTION_OPTIONS"] = {ldap.OPT_REFERRALS: 0}
    if group_search_base:
        settings_globals["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(
            group_search_base,
            ldap.SCOPE_SUBTREE,
            env("AUTH_LDAP_GROUP_FILTER", DEFAULT_GROUP_FILTER),
        )
        settings_globals["AUTH_LDAP_GROUP_TYPE"] = ActiveDirectoryGroupType()
        # Django permissions come from DPTI roles only, never from directory group names.
        settings_globals["AUTH_LDAP_FIND_GROUP_PERMS"] = False
        settings_globals["AUTH_LDAP_MIRROR_GROUPS"] = False
        if env("AUTH_LDAP_REQUIRE_GROUP"):
            settings_globals["AUTH_LDAP_REQUIRE_GROUP"] = env("AUTH_LDAP_REQUIRE_GROUP")
    if role_groups:
        # Read by dpti.core.ldap_roles at each sign-in (connected in CoreConfig.ready).
        settings_globals["DPTI_LDAP_ROLE_GROUPS"] = role_groups
    backends = settings_globals["AUTHENTICATION_BACKENDS"]
    if LDAP_BACKEND not in backends:
        axes_position = next(
            (i for i, backend in enumerate(backends) if backend.startswith("axes.")), -1
        )
        backends.insert(axes_position + 1, LDAP_BACKEND)
