"""The demo data set: accounts per role, a realistic directory, local mode only."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.models import Deadline, User
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry
from dpti.directory.models import Company, OrganisationUnit, Person
from dpti.sampledata.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def french(message):
    with translation.override("fr"):
        return gettext(message)


def test_demo_is_deterministic(settings):
    """The same seed gives the same people, companies and dates on every load."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}

    def snapshot():
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            data = (
                list(Person.objects.order_by("email").values_list("email", "unit__code", "phone")),
                list(Company.objects.order_by("ridet").values_list("ridet", "name", "city")),
            )
            transaction.set_rollback(True)
        return data

    first = snapshot()
    assert not Person.objects.exists()
    assert snapshot() == first


def test_if_empty_loads_into_an_empty_database(settings):
    """--if-empty loads the demo when the directory has no record yet."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert Person.objects.count() > 300
    assert User.objects.filter(username="admin").exists()


def test_if_empty_leaves_real_data_without_demo_accounts(settings):
    """A directory with real people gets no demo data and no demo account."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    PersonFactory()
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
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
    """--force is the explicit way around the refusal (a staging copy, never production)."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": False}
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="admin").exists()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, loaded as in local mode, once for the class using it; its output."""
    from django.conf import settings

    demo_mode = override_settings(DPTI={**settings.DPTI, "DEMO_MODE": True})
    with django_db_blocker.unblock(), demo_mode, transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.xdist_group("core-demo")
class TestTheLoadedDemo:
    """Tests that read the demo: loaded once for them all, each test in a savepoint of it."""

    def test_demo_creates_one_account_per_role_linked_to_a_person(self, demo):
        """Every role has a demo account in its group, each with a person in the directory."""
        for account in DEMO_ACCOUNTS:
            user = User.objects.get(username=account.username)
            assert set(user.groups.values_list("name", flat=True)) == {account.role}
            assert Person.objects.filter(user=user).exists()
            assert user.is_staff == (account.role == roles.ADMINISTRATOR)
            assert user.check_password(DEMO_PASSWORD)
        assert {a.role for a in DEMO_ACCOUNTS} == set(roles.ROLES)
        contractor = Person.objects.get(user__username="prestataire")
        assert contractor.company is not None

    def test_demo_prints_a_table_of_the_accounts(self, demo):
        """The command ends with one line per account: username, role label and what it shows."""
        lines = demo.splitlines()
        with translation.override("fr"):
            assert any(gettext("Username") in line and gettext("Role") in line for line in lines)
            for account in DEMO_ACCOUNTS:
                line = next(line for line in lines if line.split()[:1] == [account.username])
                assert str(roles.role_label(account.role)) in line
                assert str(account.purpose) in line
        assert DEMO_PASSWORD in demo

    def test_demo_directory_is_realistic(self, demo):
        """The institution's units, about 300 agents, 54 elected members, valid companies."""
        assert OrganisationUnit.objects.filter(code="DPTI", parent__code="SG").exists()
        assert Person.objects.filter(kind=Person.Kind.AGENT).count() >= 250
        assert Person.objects.filter(kind=Person.Kind.ELECTED).count() == 54
        assert Company.objects.count() >= 25  # the directory's 25, plus operators and publishers
        for company in Company.objects.all():
            company.full_clean()  # RIDET numbers and the rest pass the model's rules
        today = timezone.localdate()
        deadlines = Deadline.objects.filter(domain="directory")
        assert deadlines.filter(due_date__lt=today).exists()  # some overdue
        assert deadlines.filter(due_date__gte=today).exists()  # some to come
        assert Person.objects.exclude(access_until=None).exists()
        assert Person.objects.filter(kind=Person.Kind.CONTRACTOR_STAFF, company=None).count() == 0
        assert not Person.objects.exclude(email="").exclude(email__contains="@").exists()
        assert all(
            re.fullmatch(r"\d{2} \d{2} \d{2}", p)
            for p in Person.objects.values_list("phone", flat=True).exclude(phone="")
        )

    def test_if_empty_does_not_load_twice(self, demo):
        """--if-empty leaves existing data alone."""
        people = Person.objects.count()
        out = io.StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
        assert Person.objects.count() == people
        assert french("The database already holds data: nothing loaded.") in out.getvalue()

    @pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
    def test_every_demo_account_signs_in_and_opens_its_lists(self, demo, account):
        """Each demo account signs in with the demo password and opens the lists its role allows."""
        client = Client()
        response = client.post(
            reverse("login"), {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        user = User.objects.get(username=account.username)
        for object_type in registry:
            url = reverse(object_type.url_name("list"))
            expected = 200 if has_model_permission(user, object_type.model, "view") else 403
            assert client.get(url).status_code == expected, url
