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


def shared_data_group(item):
    """The xdist group of a test that reads data loaded once for several tests, or None.

    A module- or package-scoped fixture using the database (the registry matrices' rows, the
    demo of tests/demo/) loads its data once for the tests of its module or package: spread over
    two workers, each would load it, and again whenever its tests came back after others.
    """
    fixtureinfo = getattr(item, "_fixtureinfo", None)
    if fixtureinfo is None:
        return None
    groups = {"module": item.module.__name__, "package": item.module.__package__}
    for defs in fixtureinfo.name2fixturedefs.values():
        for fixturedef in defs:
            if fixturedef.scope in groups and "django_db_blocker" in fixturedef.argnames:
                return groups[fixturedef.scope]
    return None


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Before every other plugin: keep on one xdist worker (`--dist loadgroup`) the tests that
    share data loaded once (`shared_data_group`); tests already in a group (the registry
    matrices, per type) keep theirs. After every plugin, pytest's own ordering by fixture
    parameters included: the registry matrices run type after type (`type_by_type`)."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = shared_data_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    result = yield
    from tests.registry_support import type_by_type

    type_by_type(items)
    return result


# How many times the run loaded the whole demo (`load_demo` went past its checks), reported at
# its end: once, for tests/demo/.
DEMO_LOADS = {"count": 0}


@pytest.fixture(scope="session", autouse=True)
def _count_demo_loads():
    """Count the whole demo loads of the run (of this process, an xdist worker)."""
    from dpti.sampledata.management.commands import load_demo as command

    original = command.load_demo

    def counted(**kwargs):
        DEMO_LOADS["count"] += 1
        return original(**kwargs)

    command.load_demo = counted
    yield
    command.load_demo = original


def pytest_sessionfinish(session):
    """On an xdist worker, hand the worker's count to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["demo_loads"] = DEMO_LOADS["count"]


class _WorkerCounts:
    """xdist controller hook: add up the workers' counts (a plugin, since the hook exists only
    with xdist)."""

    @staticmethod
    def pytest_testnodedown(node, error):
        DEMO_LOADS["count"] += getattr(node, "workeroutput", {}).get("demo_loads", 0)


def pytest_configure(config):
    """Register the plugins of the run: the xdist group fix (tests/xdist_groups.py), the count
    of demo loads on the xdist controller."""
    from tests import xdist_groups

    if not config.pluginmanager.is_registered(xdist_groups):
        config.pluginmanager.register(xdist_groups, "dpti-xdist-groups")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerCounts(), "dpti-demo-load-count")


def pytest_terminal_summary(terminalreporter):
    """Say how many times the run loaded the demo: the figure to keep at one for tests/demo/."""
    terminalreporter.write_line(f"demo loads: {DEMO_LOADS['count']}")
