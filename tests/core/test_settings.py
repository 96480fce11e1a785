"""Production configuration: safe defaults, deploy checks, static files, LDAP options."""

import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dpti.core import roles
from dpti.core.ldap_roles import apply_ldap_roles
from dpti.core.ldap_settings import configure_ldap, parse_role_groups
from dpti.core.models import User
from tests.factories import UserFactory

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


def settings_values(env, *names):
    """Values of settings in a fresh process with the given environment (last output line)."""
    code = "from django.conf import settings as s; print([" + ", ".join(names) + "])"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_has_debug_off_and_no_demo_mode():
    """Production is the default: DEBUG off, demo mode off, secure cookies, manifest storage."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DPTI_ENV"}
    assert settings_values(
        env,
        "s.DPTI_ENV",
        "s.DEBUG",
        "s.DPTI['DEMO_MODE']",
        "s.SESSION_COOKIE_SECURE",
        "s.CSRF_COOKIE_SECURE",
        "s.STORAGES['staticfiles']['BACKEND']",
    ) == str(
        [
            "production",
            False,
            False,
            True,
            True,
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ]
    )


def test_demo_mode_and_debug_only_in_local_mode():
    """DPTI_ENV=local (make run) turns on DEBUG and the demo accounts; the test mode does not."""
    values = ("s.DEBUG", "s.DPTI['DEMO_MODE']", "s.DATABASES['default']['ENGINE']")
    local = {"DPTI_ENV": "local", "DATABASE_URL": ""}
    assert settings_values(local, *values) == str([True, True, "django.db.backends.sqlite3"])
    assert settings_values({"DPTI_ENV": "test"}, *values[:2]) == str([False, False])


def test_an_unknown_mode_is_refused():
    """A misspelt DPTI_ENV stops the start instead of falling back silently."""
    result = manage("check", env={"DPTI_ENV": "prod"})
    assert result.returncode != 0
    assert "DPTI_ENV must be production, local or test" in result.stderr


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


@pytest.fixture
def fake_ldap_modules(monkeypatch):
    """Stand-ins for python-ldap and django_auth_ldap.config (the extra is not installed)."""
    fake_ldap = types.SimpleNamespace(SCOPE_SUBTREE=2, OPT_REFERRALS=8)
    fake_config = types.SimpleNamespace(
        LDAPSearch=lambda base, scope, query: ("search", base, scope, query),
        ActiveDirectoryGroupType=lambda: "active-directory-groups",
    )
    monkeypatch.setitem(sys.modules, "ldap", fake_ldap)
    monkeypatch.setitem(sys.modules, "django_auth_ldap", types.ModuleType("django_auth_ldap"))
    monkeypatch.setitem(sys.modules, "django_auth_ldap.config", fake_config)


def ldap_env(**values):
    """An `env(name, default)` reader over a dict, like the one of dpti/settings.py."""
    base = {
        "AUTH_LDAP_SERVER_URI": "ldaps://ad.congres.nc",
        "AUTH_LDAP_USER_SEARCH_BASE": "OU=Agents,DC=congres,DC=nc",
    }
    base.update(values)
    return lambda name, default=None: base.get(name) or default


def base_backends():
    """The AUTHENTICATION_BACKENDS of dpti/settings.py."""
    return {
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
    }


def test_ldap_settings_are_built_from_the_environment(fake_ldap_modules):
    """AUTH_LDAP_* variables give the search, attribute map, roles and the backend after axes."""
    settings_globals = base_backends()
    env = ldap_env(
        AUTH_LDAP_BIND_DN="CN=svc-dpti,OU=Services,DC=congres,DC=nc",
        AUTH_LDAP_START_TLS="on",
        AUTH_LDAP_GROUP_SEARCH_BASE="OU=Groupes,DC=congres,DC=nc",
        AUTH_LDAP_ROLE_GROUPS="technician=CN=Tech,OU=Groupes,DC=congres,DC=nc",
    )
    configure_ldap(settings_globals, env)
    configure_ldap(settings_globals, env)  # idempotent: the backend is inserted once
    assert settings_globals["AUTHENTICATION_BACKENDS"] == [
        "axes.backends.AxesStandaloneBackend",
        "django_auth_ldap.backend.LDAPBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert settings_globals["AUTH_LDAP_SERVER_URI"] == "ldaps://ad.congres.nc"
    assert settings_globals["AUTH_LDAP_BIND_DN"] == "CN=svc-dpti,OU=Services,DC=congres,DC=nc"
    assert settings_globals["AUTH_LDAP_START_TLS"] is True
    assert settings_globals["AUTH_LDAP_USER_SEARCH"] == (
        "search",
        "OU=Agents,DC=congres,DC=nc",
        2,
        "(sAMAccountName=%(user)s)",
    )
    assert settings_globals["AUTH_LDAP_USER_ATTR_MAP"] == {
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
    }
    assert settings_globals["AUTH_LDAP_GROUP_SEARCH"] == (
        "search",
        "OU=Groupes,DC=congres,DC=nc",
        2,
        "(objectClass=group)",
    )
    assert settings_globals["AUTH_LDAP_GROUP_TYPE"] == "active-directory-groups"
    assert settings_globals["DPTI_LDAP_ROLE_GROUPS"] == {
        "technician": "CN=Tech,OU=Groupes,DC=congres,DC=nc"
    }


def test_ldap_without_groups_keeps_roles_local(fake_ldap_modules):
    """Without a group search base, no group settings and no role mapping are set."""
    settings_globals = base_backends()
    configure_ldap(settings_globals, ldap_env(AUTH_LDAP_USER_FILTER="(uid=%(user)s)"))
    assert settings_globals["AUTH_LDAP_USER_SEARCH"][3] == "(uid=%(user)s)"
    assert settings_globals["AUTH_LDAP_START_TLS"] is False
    assert "AUTH_LDAP_GROUP_SEARCH" not in settings_globals
    assert "DPTI_LDAP_ROLE_GROUPS" not in settings_globals


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"AUTH_LDAP_USER_SEARCH_BASE": ""}, "AUTH_LDAP_USER_SEARCH_BASE must be set"),
        (
            {"AUTH_LDAP_GROUP_SEARCH_BASE": "OU=G,DC=nc", "AUTH_LDAP_ROLE_GROUPS": "chef=CN=X"},
            "unknown roles ['chef']",
        ),
        ({"AUTH_LDAP_ROLE_GROUPS": "technician=CN=Tech,DC=nc"}, "AUTH_LDAP_GROUP_SEARCH_BASE"),
    ],
)
def test_incomplete_ldap_settings_are_refused_with_a_clear_message(values, message, monkeypatch):
    """A missing search base or an unknown role stops the start, before python-ldap is needed."""
    monkeypatch.setitem(sys.modules, "ldap", None)  # importing it now would raise ImportError
    settings_globals = base_backends()
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        configure_ldap(settings_globals, ldap_env(**values))
    assert len(settings_globals["AUTHENTICATION_BACKENDS"]) == 2


@pytest.mark.django_db
def test_directory_groups_grant_and_withdraw_only_the_mapped_roles(settings):
    """At sign-in, mapped roles follow the directory groups; roles given by hand stay."""
    settings.DPTI_LDAP_ROLE_GROUPS = {
        roles.ADMINISTRATOR: "CN=DPTI-Admins,OU=Groupes,DC=congres,DC=nc",
        roles.TECHNICIAN: "CN=DPTI-Techniciens,OU=Groupes,DC=congres,DC=nc",
    }
    user = UserFactory(roles=[roles.TECHNICIAN, roles.DIRECTION])
    ldap_user = types.SimpleNamespace(group_dns=["cn=dpti-admins,ou=groupes,dc=congres,dc=nc"])
    apply_ldap_roles(sender=None, user=user, ldap_user=ldap_user)
    assert set(user.groups.values_list("name", flat=True)) == {
        roles.ADMINISTRATOR,
        roles.DIRECTION,
    }
    newcomer = User(username="jdupont")
    apply_ldap_roles(sender=None, user=newcomer, ldap_user=types.SimpleNamespace(group_dns=[]))
    assert User.objects.get(username="jdupont").groups.count() == 0


def environment_variables(path):
    """Names of the environment variables a Python file reads (env*(…), os.environ.get(…))."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        value = getattr(node.args[0], "value", None)
        if called in {"env", "env_bool", "env_list", "get"} and str(value).isupper():
            names.add(value)
    return names


def test_readme_documents_every_environment_variable():
    """Each variable read by the settings, LDAP or gunicorn files appears in the README."""
    readme = (ROOT / "README.md").read_text()
    read = set().union(
        *(
            environment_variables(ROOT / path)
            for path in (
                "dpti/settings.py",
                "dpti/core/ldap_settings.py",
                "deploy/gunicorn.conf.py",
            )
        )
    )
    assert {"DJANGO_SECRET_KEY", "AUTH_LDAP_ROLE_GROUPS", "GUNICORN_WORKERS"} <= read
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
