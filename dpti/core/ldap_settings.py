"""Optional LDAP / Active Directory sign-in, configured by environment variables.

Enabled when AUTH_LDAP_SERVER_URI is set; needs the optional extra `ldap` (django-auth-ldap,
which builds python-ldap against libldap2-dev and libsasl2-dev). Accounts are created at their
first sign-in; DPTI roles can follow directory groups through AUTH_LDAP_ROLE_GROUPS.
"""

DEFAULT_USER_FILTER = "(sAMAccountName=%(user)s)"


def parse_role_groups(value):
    """'administrator=CN=DPTI-Admins,OU=Groupes,DC=congres,DC=nc;technician=CN=…' → dict."""
    mapping = {}
    for item in (value or "").split(";"):
        if "=" in item:
            role, group_dn = item.split("=", 1)
            mapping[role.strip()] = group_dn.strip()
    return mapping


def configure_ldap(settings_globals, env):
    """Add the LDAP backend and its settings to the settings module's globals."""
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

    from dpti.core.roles import ROLES

    settings_globals["AUTH_LDAP_SERVER_URI"] = env("AUTH_LDAP_SERVER_URI")
    settings_globals["AUTH_LDAP_BIND_DN"] = env("AUTH_LDAP_BIND_DN", "")
    settings_globals["AUTH_LDAP_BIND_PASSWORD"] = env("AUTH_LDAP_BIND_PASSWORD", "")
    settings_globals["AUTH_LDAP_START_TLS"] = env("AUTH_LDAP_START_TLS", "") in {"1", "true", "yes"}
    settings_globals["AUTH_LDAP_USER_SEARCH"] = LDAPSearch(
        env("AUTH_LDAP_USER_SEARCH_BASE", ""),
        ldap.SCOPE_SUBTREE,
        env("AUTH_LDAP_USER_FILTER", DEFAULT_USER_FILTER),
    )
    settings_globals["AUTH_LDAP_USER_ATTR_MAP"] = {
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
    }
    settings_globals["AUTH_LDAP_CONNECTION_OPTIONS"] = {ldap.OPT_REFERRALS: 0}
    role_groups = parse_role_groups(env("AUTH_LDAP_ROLE_GROUPS", ""))
    unknown = set(role_groups) - set(ROLES)
    if unknown:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"AUTH_LDAP_ROLE_GROUPS names unknown roles: {sorted(unknown)}")
    if env("AUTH_LDAP_GROUP_SEARCH_BASE"):
        settings_globals["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(
            env("AUTH_LDAP_GROUP_SEARCH_BASE"), ldap.SCOPE_SUBTREE, "(objectClass=group)"
        )
        settings_globals["AUTH_LDAP_GROUP_TYPE"] = GroupOfNamesType()
        settings_globals["AUTH_LDAP_FIND_GROUP_PERMS"] = False
    if role_groups:
        # Each sign-in puts the account in the DPTI roles whose directory group it belongs to.
        settings_globals["DPTI_LDAP_ROLE_GROUPS"] = role_groups
    backends = settings_globals["AUTHENTICATION_BACKENDS"]
    if "django_auth_ldap.backend.LDAPBackend" not in backends:
        # After django-axes (throttling applies to LDAP sign-ins too), before the local accounts.
        backends.insert(1, "django_auth_ldap.backend.LDAPBackend")
