"""One route for side effects: every write names its author in the history, a system change
runs the type's hooks and deadlines, and a rule broken after the form's validation is shown
on the form."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from dpti.assets.models import Asset, Disposal
from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.models import Deadline
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.directory.models import Company
from tests.conftest import make_user
from tests.factories import (
    AssetCategoryFactory,
    AssetFactory,
    CompanyFactory,
    DisposalFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


def history(obj):
    """The history entries of an object, oldest first."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("pk")


# --- Authorship -------------------------------------------------------------------------------


def test_token_api_writes_name_the_tokens_user(client):
    """Create, change and delete through the API with a token: each history entry names the
    token's user (the session middleware knew no user) and keeps the client's address."""
    user = make_user(roles.ADMINISTRATOR)
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}
    url = reverse(api_url_name(registry.get(Company), "list"))
    created = client.post(url, {"name": "Nickel SA", "ridet": "1234567.001"}, JSON, **auth)
    assert created.status_code == 201, created.content
    company = Company.objects.get(pk=created.json()["id"])
    detail = reverse(api_url_name(registry.get(Company), "detail"), args=[company.pk])
    changed = client.patch(detail, {"name": "Nickel Pacifique", "version": 1}, JSON, **auth)
    assert changed.status_code == 200, changed.content
    assert client.delete(detail, **auth).status_code == 204
    entries = list(history(company))
    assert [entry.action for entry in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert [entry.actor_id for entry in entries] == [user.pk] * 3
    assert {entry.remote_addr for entry in entries} == {"127.0.0.1"}
    assert not Company.objects.filter(pk=company.pk).exists()


def test_a_save_outside_any_request_names_its_user():
    """A command or a background job saving through `save_object` is attributed too, and
    leaves no author behind for a later plain save."""
    user = make_user(roles.PROCUREMENT_MANAGER)
    company = save_object(Company(name="Cobalt SARL", ridet="7654321.001"), user=user)
    assert history(company).get().actor_id == user.pk
    company.city = "Koné"
    company.save()
    assert history(company).last().actor_id is None


def test_a_nested_save_gives_the_request_its_author_back():
    """Inside a request's audit context (a session user), a save for another user names that
    user, and the request's later writes are again the session user's."""
    session_user = make_user(roles.ADMINISTRATOR)
    other = make_user(roles.PROCUREMENT_MANAGER)
    with set_actor(session_user, remote_addr="10.0.0.5"):
        company = save_object(Company(name="Chrome SA", ridet="1112223.001"), user=other)
        company.city = "Bourail"
        company.save()
    first, second = history(company)
    assert (first.actor_id, first.remote_addr) == (other.pk, "10.0.0.5")
    assert (second.actor_id, second.remote_addr) == (session_user.pk, "10.0.0.5")


# --- System changes ---------------------------------------------------------------------------


def test_a_system_change_follows_the_types_deadlines_and_hooks():
    """Deciding a disposal marks its asset disposed (a system change): the asset's warranty
    deadline goes away without the caller syncing it, and its history names the author."""
    user = make_user(roles.PROPERTY_MANAGER)
    today = timezone.localdate()
    asset = save_object(
        AssetFactory.build(
            category=AssetCategoryFactory(), room=RoomFactory(), warranty_end=today + timedelta(90)
        ),
        user=user,
    )
    asset_type = ContentType.objects.get_for_model(Asset)
    deadlines = Deadline.objects.filter(content_type=asset_type, object_id=asset.pk)
    assert list(deadlines.values_list("kind", flat=True)) == ["warranty_end"]
    disposal = DisposalFactory.build(
        asset=asset,
        state=Disposal.State.DECIDED,
        decision_reference="Arrêté 2026-01",
        decision_date=today,
    )
    save_object(disposal, user=user)
    asset.refresh_from_db()
    assert asset.status == Asset.Status.DISPOSED
    assert asset.version == 2
    assert not deadlines.exists()
    assert history(asset).last().actor_id == user.pk


# --- The edit form ----------------------------------------------------------------------------


def fr(message):
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def refusing_company_hook(monkeypatch):
    """Company saves refused after the form's validation, on a field the form does not show
    (as a hook or the model's complete validation may)."""
    company_type = registry.get(Company)

    def refuse(error):
        def before_save(obj, user):
            raise ValidationError(error)

        monkeypatch.setattr(company_type, "before_save", before_save)

    return refuse


def edit(client, company, **values):
    data = {
        "name": company.name,
        "ridet": company.ridet,
        "city": company.city,
        "is_supplier": "on",
        "version": company.version,
        **values,
    }
    url = reverse(registry.get(Company).url_name("edit"), args=[company.pk])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")


def test_an_error_on_a_field_outside_the_form_is_shown_on_the_form(
    client_for, refusing_company_hook
):
    """A model error naming a field the form lacks answers the form again (not a 500), the
    field named in French with its message; nothing is saved."""
    refusing_company_hook({"created_by": "Auteur refusé pour ce fournisseur."})
    company = CompanyFactory(name="Ancien nom")
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = edit(client, company, name="Nouveau nom")
    assert response.status_code == 422
    errors = response.context["form"].non_field_errors()
    created_by = str(Company._meta.get_field("created_by").verbose_name)
    with translation.override("fr"):
        expected = fr("%(field)s: %(message)s") % {
            "field": fr(created_by).capitalize(),
            "message": "Auteur refusé pour ce fournisseur.",
        }
    assert list(errors) == [expected]
    assert "Auteur refusé pour ce fournisseur." in response.content.decode()
    company.refresh_from_db()
    assert (company.name, company.version) == ("Ancien nom", 1)


def test_a_non_field_error_of_the_save_is_shown_on_the_form(client_for, refusing_company_hook):
    """A refusal without a field, raised while saving, is written on top of the form."""
    refusing_company_hook("Ce fournisseur est bloqué.")
    company = CompanyFactory(name="Ancien nom")
    response = edit(client_for(roles.PROCUREMENT_MANAGER), company, name="Nouveau nom")
    assert response.status_code == 422
    assert list(response.context["form"].non_field_errors()) == ["Ce fournisseur est bloqué."]
    assert Company.objects.get(pk=company.pk).name == "Ancien nom"


def test_an_error_on_a_shown_field_stays_on_that_field(client_for, refusing_company_hook):
    """A refusal naming a field of the form is shown beside that field."""
    refusing_company_hook({"name": "Nom refusé."})
    company = CompanyFactory(name="Ancien nom")
    response = edit(client_for(roles.PROCUREMENT_MANAGER), company, name="Nouveau nom")
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["Nom refusé."]
    assert Company.objects.get(pk=company.pk).name == "Ancien nom"
