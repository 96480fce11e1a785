"""The demo command's decisions: local mode only, --force, --if-empty on real data, a fixed seed.

The demo as loaded is read by the tests of tests/demo/, which load it once per run.
"""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from dpti.core.models import User
from dpti.directory.models import Company, Person
from dpti.sampledata.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from dpti.sampledata.directory import demo as directory_demo
from dpti.sampledata.management.commands import load_demo as load_demo_command
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def french(message):
    with translation.override("fr"):
        return gettext(message)


def test_demo_is_deterministic():
    """The same seed gives the same people, companies and dates on every load (the demo
    directory, loaded after the accounts as `load_demo` does, then undone)."""

    def snapshot():
        with transaction.atomic():
            create_demo_accounts()
            directory_demo.load(stdout=io.StringIO())
            data = (
                list(Person.objects.order_by("email").values_list("email", "unit__code", "phone")),
                list(Company.objects.order_by("ridet").values_list("ridet", "name", "city")),
            )
            transaction.set_rollback(True)
        return data

    first = snapshot()
    assert len(first[0]) > 300
    assert first[1]
    assert not Person.objects.exists()
    assert snapshot() == first


def test_if_empty_leaves_real_data_without_demo_accounts(settings):
    """A directory with real people gets no demo data and no demo account."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    PersonFactory()
    with mock.patch.object(load_demo_command, "load_demo") as load:
        call_command("load_demo", "--if-empty", stdout=io.StringIO())
    load.assert_not_called()
    assert Person.objects.count() == 1
    assert not User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).exists()


def test_demo_refuses_production_mode(settings):
    """Demo accounts have a public password: the command refuses outside local mode."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": False}
    with pytest.raises(CommandError) as error:
        call_command("load_demo", stdout=io.StringIO())
    assert str(error.value) == french(
        "Demo data loads only in local mode (DPTI_ENV=local): demo accounts have "
        "a public password and must never exist in production."
    )
    assert not User.objects.exists()
    assert not Person.objects.exists()


def test_demo_loads_in_production_mode_only_when_forced(settings):
    """--force is the explicit way around the refusal (a staging copy, never production): the
    demo is loaded (tests/demo/ reads a loaded one) and the accounts are printed."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": False}
    out = io.StringIO()
    with mock.patch.object(load_demo_command, "load_demo") as load:
        call_command("load_demo", "--force", stdout=out)
    load.assert_called_once()
    assert DEMO_PASSWORD in out.getvalue()
