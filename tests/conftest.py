"""Shared fixtures: one signed-in client per role, the role matrix, factories."""

import pytest
from django.test import Client

from dpti.core import roles
from tests.factories import CompanyFactory, PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached row counts (which turn big selects into
    key boxes) must not leak from a test that loaded the demo into the next one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(role, **kwargs):
    """A user holding one role; contractors and requesters get a linked person."""
    user = UserFactory(roles=[role] if role else [], **kwargs)
    if role == roles.CONTRACTOR:
        PersonFactory(user=user, kind="contractor_staff", company=CompanyFactory(), unit=None)
    elif role == roles.REQUESTER:
        PersonFactory(user=user)
    return user


@pytest.fixture
def user_with_role(db):
    """Factory fixture: user_with_role("technician")."""
    return make_user


@pytest.fixture
def client_for(db):
    """Factory fixture: a test client signed in with a new user of the given role."""

    def build(role, **kwargs):
        client = Client()
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return build


@pytest.fixture
def admin_client_dpti(client_for):
    """A client signed in as an administrator (role, not Django superuser)."""
    return client_for(roles.ADMINISTRATOR)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep on one xdist worker (`--dist loadgroup`) the tests of a module that loads data once
    for all its tests (a module-scoped fixture using the database, like the demo modules):
    spread over two workers, each would load it, and again whenever its tests came back after
    another module's. Tests already in a group (the registry matrix, per type) keep theirs."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        fixturedefs = getattr(item, "_fixtureinfo", None)
        if fixturedefs is None:
            continue
        for defs in fixturedefs.name2fixturedefs.values():
            if any(d.scope == "module" and "django_db_blocker" in d.argnames for d in defs):
                item.add_marker(pytest.mark.xdist_group(item.module.__name__))
                break
