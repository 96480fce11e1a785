"""The demo data set: accounts per role, a realistic directory, local mode only."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from dpti.core import roles
from dpti.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from dpti.core.models import Deadline, User
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry
from dpti.directory.models import Company, OrganisationUnit, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    """The demo data set, loaded as in local mode."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_creates_one_account_per_role_linked_to_a_person(demo):
    """Every role has a demo account in its group, each with a person in the directory."""
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert set(user.groups.values_list("name", flat=True)) == {account.role}
        assert Person.objects.filter(user=user).exists()
        assert account.username in demo
    assert {a.role for a in DEMO_ACCOUNTS} == set(roles.ROLES)
    contractor = Person.objects.get(user__username="prestataire")
    assert contractor.company is not None


def test_demo_directory_is_realistic(demo):
    """The institution's units, about 300 agents, 54 elected members, valid companies."""
    assert OrganisationUnit.objects.filter(code="DPTI", parent__code="SG").exists()
    assert Person.objects.filter(kind=Person.Kind.AGENT).count() >= 250
    assert Person.objects.filter(kind=Person.Kind.ELECTED).count() == 54
    assert Company.objects.count() == 25
    for company in Company.objects.all():
        company.full_clean()  # RIDET numbers and the rest pass the model's rules
    assert Deadline.objects.filter(domain="directory").exists()


def test_if_empty_does_not_load_twice(demo):
    """--if-empty leaves existing data alone."""
    people = Person.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Person.objects.count() == people
    assert "rien à faire" in out.getvalue()


def test_demo_refuses_production_mode(settings):
    """Demo accounts have a public password: the command refuses outside local mode."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": False}
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_signs_in_and_opens_its_lists(demo, account):
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
