"""Demo data: one account per role, then each app's own `demo.load`, in app order.

Demo accounts exist only in local mode (`DPTI_ENV=local`): the command refuses to run in
production unless forced, because their password is public. Core creates the accounts; each
domain app's `demo` module links them to its own records (the directory gives each one a
person), so core never imports a domain app.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.models import User
from dpti.core.registry import registry
from dpti.sampledata.discovery import app_modules

DEMO_PASSWORD = "demo-dpti-2026"


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in: its username, role, person's name and what it shows."""

    username: str
    role: str
    first_name: str
    last_name: str
    purpose: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin", roles.ADMINISTRATOR, "Sylvie", "Tein", _("everything, accounts and roles")
    ),
    DemoAccount("direction", roles.DIRECTION, "Jean-Marc", "Kasarhérou", _("reads everything")),
    DemoAccount("patrimoine", roles.PROPERTY_MANAGER, "Hélène", "Gomès", _("buildings and assets")),
    DemoAccount("informatique", roles.IT_MANAGER, "Thierry", "Wakolo", _("IT and telecoms")),
    DemoAccount(
        "achats",
        roles.PROCUREMENT_MANAGER,
        "Nadia",
        "Lauouvea",
        _("budget, contracts, orders, invoices"),
    ),
    DemoAccount("flotte", roles.FLEET_MANAGER, "Patrick", "Taputu", _("vehicle fleet")),
    DemoAccount("technicien", roles.TECHNICIAN, "Kévin", "Hnawia", _("work orders, equipment")),
    DemoAccount("agent", roles.REQUESTER, "Marie", "Néaoutyine", _("own requests and equipment")),
    DemoAccount("elu", roles.REQUESTER, "Louis", "Wamytan", _("elected member: own requests")),
    DemoAccount("prestataire", roles.CONTRACTOR, "Stéphane", "Martin", _("his company only")),
]


def create_demo_accounts():
    """Create (or reset) one account per role with the public demo password."""
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    accounts = []
    for demo in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.email = f"{demo.username}@demo.congres.nc"
        user.is_staff = demo.role == roles.ADMINISTRATOR  # the Django admin, for the lead
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[demo.role]])
        accounts.append(user)
    return accounts


def app_demo_modules():
    """The `demo` modules of the domain apps, in app order."""
    return app_modules("demo")


def has_domain_data():
    """Whether a domain app already holds records (then `--if-empty` loads nothing).

    Any registered type of a domain app counts (the directory's people first of all), so that
    the demo is never mixed into a database that already has real or benchmark data; the
    reference data every installation starts with does not.
    """
    for object_type in registry:
        app_name = apps.get_app_config(object_type.app_label).name
        is_domain = app_name.startswith("dpti.") and app_name != "dpti.core"
        if object_type.reference_data or not is_domain:
            continue
        if object_type.model._default_manager.exists():
            return True
    return False


def demo_accounts_exist():
    """Whether the demo accounts were created (a database loaded by an earlier run)."""
    return User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).exists()


@transaction.atomic
def load_demo(*, stdout):
    """Create the demo accounts then every app's demo data, all or nothing."""
    roles.sync_roles()
    create_demo_accounts()
    for module in app_demo_modules():
        module.load(stdout=stdout)
    # Work over every app's data once all is loaded (an app may add to another's records).
    for module in app_demo_modules():
        if hasattr(module, "finish"):
            module.finish(stdout=stdout)
