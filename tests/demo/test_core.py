"""The demo data set as loaded: accounts per role, a realistic directory, --if-empty."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.models import Deadline, User
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry
from dpti.directory.models import Company, OrganisationUnit, Person
from dpti.sampledata.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def french(message):
    with translation.override("fr"):
        return gettext(message)


def test_if_empty_loaded_the_demo_into_the_empty_database(demo):
    """--if-empty loads the demo when the directory has no record yet (the package's demo was
    loaded so, into the empty test database): people, accounts, and the accounts' table."""
    assert french("The database already holds data: nothing loaded.") not in demo.output
    assert Person.objects.count() > 300
    assert User.objects.filter(username="admin").exists()
    assert set(demo.seconds_by_app) >= {"directory", "estate", "assets", "itpark", "procurement"}


def test_demo_creates_one_account_per_role_linked_to_a_person():
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


def test_demo_prints_a_table_of_the_accounts(demo):
    """The command ends with one line per account: username, role label and what it shows."""
    lines = demo.output.splitlines()
    with translation.override("fr"):
        assert any(gettext("Username") in line and gettext("Role") in line for line in lines)
        for account in DEMO_ACCOUNTS:
            line = next(line for line in lines if line.split()[:1] == [account.username])
            assert str(roles.role_label(account.role)) in line
            assert str(account.purpose) in line
    assert DEMO_PASSWORD in demo.output


def test_demo_directory_is_realistic():
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


def test_if_empty_does_not_load_twice(settings):
    """--if-empty leaves existing data alone (in local mode, as `make run` calls it)."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    people = Person.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Person.objects.count() == people
    assert french("The database already holds data: nothing loaded.") in out.getvalue()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_signs_in_and_opens_its_lists(account):
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
