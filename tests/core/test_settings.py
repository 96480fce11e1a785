"""Production configuration: safe defaults, deploy checks, static files, LDAP options."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpti.core.ldap_settings import parse_role_groups

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DPTI_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "dpti.congres.nc",
    "DATABASE_URL": "postgres://dpti:secret@127.0.0.1:5432/dpti",
}


def manage(*args, env):
    """Run manage.py in a clean process with the given environment."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DPTI_", "DJANGO_"))}
    full_env.update(env)
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_in_production_mode():
    """`check --deploy` finds nothing to fix with the production defaults."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    """Without DJANGO_SECRET_KEY, production stops with an explicit message."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_has_debug_off_and_no_demo_mode():
    """Production is the default: DEBUG off, demo mode off, secure cookies."""
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DPTI['DEMO_MODE'], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False True True"


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """Every file the vendored CSS refers to exists: the manifest storage accepts them all."""
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_role_groups_mapping_is_read_from_one_variable():
    """AUTH_LDAP_ROLE_GROUPS maps DPTI roles to directory groups, separated by semicolons."""
    value = "administrator=CN=DPTI-Admins,OU=Groupes,DC=congres,DC=nc; technician=CN=Tech,DC=nc"
    assert parse_role_groups(value) == {
        "administrator": "CN=DPTI-Admins,OU=Groupes,DC=congres,DC=nc",
        "technician": "CN=Tech,DC=nc",
    }
    assert parse_role_groups("") == {}


def test_ldap_backend_is_not_loaded_without_a_server():
    """Without AUTH_LDAP_SERVER_URI the LDAP backend is absent and python-ldap is not needed."""
    from django.conf import settings

    assert "django_auth_ldap.backend.LDAPBackend" not in settings.AUTHENTICATION_BACKENDS
    assert "ldap" not in sys.modules


def test_ldap_settings_are_built_from_the_environment(monkeypatch):
    """AUTH_LDAP_* variables give the search, attribute map, roles and the backend after axes."""
    import types

    fake_ldap = types.SimpleNamespace(SCOPE_SUBTREE=2, OPT_REFERRALS=8)
    fake_config = types.SimpleNamespace(
        LDAPSearch=lambda base, scope, query: ("search", base, scope, query),
        GroupOfNamesType=lambda: "group-of-names",
    )
    monkeypatch.setitem(sys.modules, "ldap", fake_ldap)
    monkeypatch.setitem(sys.modules, "django_auth_ldap", types.ModuleType("django_auth_ldap"))
    monkeypatch.setitem(sys.modules, "django_auth_ldap.config", fake_config)
    from dpti.core.ldap_settings import configure_ldap

    values = {
        "AUTH_LDAP_SERVER_URI": "ldaps://ad.congres.nc",
        "AUTH_LDAP_USER_SEARCH_BASE": "OU=Agents,DC=congres,DC=nc",
        "AUTH_LDAP_GROUP_SEARCH_BASE": "OU=Groupes,DC=congres,DC=nc",
        "AUTH_LDAP_ROLE_GROUPS": "technician=CN=Tech,OU=Groupes,DC=congres,DC=nc",
    }
    settings_globals = {
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
    }
    configure_ldap(settings_globals, lambda name, default=None: values.get(name, default))
    assert settings_globals["AUTHENTICATION_BACKENDS"][1] == "django_auth_ldap.backend.LDAPBackend"
    assert settings_globals["AUTH_LDAP_USER_SEARCH"] == (
        "search",
        "OU=Agents,DC=congres,DC=nc",
        2,
        "(sAMAccountName=%(user)s)",
    )
    assert settings_globals["DPTI_LDAP_ROLE_GROUPS"] == {
        "technician": "CN=Tech,OU=Groupes,DC=congres,DC=nc"
    }
    values["AUTH_LDAP_ROLE_GROUPS"] = "chef=CN=X"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        configure_ldap(settings_globals, lambda name, default=None: values.get(name, default))
