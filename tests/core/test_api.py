"""Rules of the REST API, checked on the directory types."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.models import User
from dpti.core.registry import registry
from dpti.directory.models import Company, OrganisationUnit, Person, Team
from tests.conftest import make_user
from tests.factories import (
    CompanyFactory,
    OrganisationUnitFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-test-2026"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttling counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def list_url(model):
    return reverse(api_url_name(registry.get(model), "list"))


def detail_url(obj):
    return reverse(api_url_name(registry.get(obj), "detail"), args=[obj.pk])


def fr(message):
    """The French text of an English source message."""
    with translation.override("fr"):
        return gettext(message)


def person_payload(**overrides):
    """A valid person as the API takes it."""
    return {"last_name": "Wamytan", "first_name": "Rock", "kind": "agent", **overrides}


def grant_user(user, *codenames):
    """Give one account extra model permissions (besides its roles)."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


# Validation: the rules of the forms, answered as 400 with field errors -----------------------


def test_company_with_invalid_ridet_is_refused_with_field_error(client_for):
    """A RIDET number that is not 7+3 digits answers 400 on `ridet`; nothing is saved."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.post(
        list_url(Company), {"name": "Nickel SA", "ridet": "12AB567"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["ridet"] == [
        fr(
            "Enter a RIDET number of 7 digits followed by the 3-digit establishment number, "
            "for example 1234567.001."
        )
    ]
    assert not Company.objects.filter(name="Nickel SA").exists()


def test_company_ridet_is_normalised_by_the_model_rules(client_for):
    """A RIDET typed with a space is stored as 1234567.001, like through the form."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.post(
        list_url(Company), {"name": "Nickel SA", "ridet": "1234567 001"}, content_type=JSON
    )
    assert response.status_code == 201, response.json()
    assert response.json()["ridet"] == "1234567.001"
    company = Company.objects.get(name="Nickel SA")
    assert company.ridet == "1234567.001"
    assert company.created_by == client.user


def test_person_with_bad_email_is_refused(admin_client_dpti):
    """A malformed e-mail answers 400 on `email`; no person is created."""
    response = admin_client_dpti.post(
        list_url(Person), person_payload(email="pas-une-adresse"), content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert not Person.objects.filter(last_name="Wamytan").exists()


def test_person_model_constraint_is_checked_as_in_forms(admin_client_dpti):
    """A contractor's employee without a company breaks the model rule: 400, nothing saved."""
    response = admin_client_dpti.post(
        list_url(Person), person_payload(kind="contractor_staff"), content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        fr("A contractor's employee must belong to a company.")
    ]
    assert not Person.objects.filter(last_name="Wamytan").exists()


def test_duplicate_person_email_is_refused_with_the_model_message(admin_client_dpti):
    """Two people cannot share an e-mail address: 400 with the constraint's message."""
    PersonFactory(email="rock.wamytan@congres.nc")
    response = admin_client_dpti.post(
        list_url(Person), person_payload(email="rock.wamytan@congres.nc"), content_type=JSON
    )
    assert response.status_code == 400
    assert fr("A person with this e-mail address already exists.") in str(response.json())
    assert Person.objects.filter(email="rock.wamytan@congres.nc").count() == 1


def test_person_created_through_the_api_has_links_and_audit(admin_client_dpti):
    """A valid person is saved with its author; the answer carries names and links."""
    unit = OrganisationUnitFactory(name="Informatique", code="INFO")
    response = admin_client_dpti.post(
        list_url(Person), person_payload(unit=unit.pk, civility="mr"), content_type=JSON
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(last_name="Wamytan")
    data = response.json()
    assert data["id"] == person.pk
    assert data["display"] == str(person)
    assert data["unit_display"] == str(unit)
    assert data["civility_display"] == fr("Mr")
    assert data["url"].endswith(detail_url(person))
    assert data["web_url"].endswith(person.get_absolute_url())
    assert data["version"] == 1
    assert person.created_by == admin_client_dpti.user
    assert person.updated_by == admin_client_dpti.user


def test_team_members_are_written_as_a_list_of_ids(admin_client_dpti):
    """Many-to-many fields take ids and read back with their names."""
    unit = OrganisationUnitFactory()
    members = PersonFactory.create_batch(2)
    response = admin_client_dpti.post(
        list_url(Team),
        {"name": "Support", "unit": unit.pk, "members": [p.pk for p in members]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    team = Team.objects.get(name="Support")
    assert set(team.members.all()) == set(members)
    assert sorted(response.json()["members_display"]) == sorted(str(p) for p in members)


# Optimistic lock and protected deletion: 409 -------------------------------------------------


def test_stale_version_is_refused_with_409_and_current_values(admin_client_dpti):
    """A change based on an old version answers 409 with the current record; nothing saved."""
    person = PersonFactory(first_name="Marie")
    url = detail_url(person)
    first = admin_client_dpti.patch(
        url, {"first_name": "Marie-Claire", "version": 1}, content_type=JSON
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = admin_client_dpti.patch(url, {"first_name": "Périmée", "version": 1}, content_type=JSON)
    assert stale.status_code == 409
    data = stale.json()
    with translation.override("fr"):
        expected = gettext(
            "This record was changed by %(user)s since you read it (version %(version)s is now "
            "stored). Your changes have not been saved: read the current values, then send your "
            "changes again with the current version."
        ) % {"user": admin_client_dpti.user, "version": 2}
    assert data["detail"] == expected
    assert data["current"]["first_name"] == "Marie-Claire"
    assert data["current_version"] == 2
    assert any(d["submitted"] == "Périmée" for d in data["differences"])
    person.refresh_from_db()
    assert (person.first_name, person.version) == ("Marie-Claire", 2)


def test_update_with_the_current_version_is_saved(admin_client_dpti):
    """PUT with the stored version saves and bumps the version."""
    person = PersonFactory()
    payload = person_payload(email=person.email, version=person.version)
    response = admin_client_dpti.put(detail_url(person), payload, content_type=JSON)
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.last_name, person.version) == ("Wamytan", 2)


def test_protected_delete_answers_409_and_deletes_nothing(admin_client_dpti):
    """A unit that still has people cannot be deleted: 409 naming them, unit kept."""
    unit = OrganisationUnitFactory()
    person = PersonFactory(unit=unit)
    response = admin_client_dpti.delete(detail_url(unit))
    assert response.status_code == 409
    with translation.override("fr"):
        expected = gettext(
            "This record cannot be deleted because other records depend on it: %(names)s."
        ) % {"names": f"{Person._meta.verbose_name} «\u00a0{person}\u00a0»"}
    assert response.json()["detail"] == expected
    assert OrganisationUnit.objects.filter(pk=unit.pk).exists()


def test_free_object_is_deleted(admin_client_dpti):
    """A unit nothing depends on is deleted: 204 and gone."""
    unit = OrganisationUnitFactory()
    assert admin_client_dpti.delete(detail_url(unit)).status_code == 204
    assert not OrganisationUnit.objects.filter(pk=unit.pk).exists()


# Filters, quick search, ordering, pagination -------------------------------------------------


def names_of(response):
    assert response.status_code == 200, response.content
    return [row["last_name"] for row in response.json()["results"]]


def test_list_filters_match_the_list_page(client_for):
    """Choice, foreign-key and date-range filters apply as on the list page."""
    client = client_for(roles.TECHNICIAN)
    unit = OrganisationUnitFactory()
    PersonFactory(last_name="Gorodey", kind="elected", unit=unit)
    PersonFactory(last_name="Tjibaou", kind="agent", access_until=date(2026, 3, 1))
    PersonFactory(last_name="Lafleur", kind="agent", access_until=date(2026, 9, 1))
    url = list_url(Person)
    assert names_of(client.get(url, {"kind": "elected"})) == ["Gorodey"]
    assert names_of(client.get(url, {"unit": unit.pk})) == ["Gorodey"]
    assert names_of(client.get(url, {"access_until__gte": "2026-06-01"})) == ["Lafleur"]
    assert names_of(client.get(url, {"access_until__lte": "2026-06-01"})) == ["Tjibaou"]


def test_quick_search_ordering_and_pagination(client_for):
    """`q` matches every word, `ordering` sorts, `limit`/`offset` page the results."""
    client = client_for(roles.TECHNICIAN)
    for last_name in ("Naisseline", "Neaoutyine", "Ukeiwé"):
        PersonFactory(last_name=last_name, job_title="Chargé de mission")
    PersonFactory(last_name="Naisseline", first_name="Autre", job_title="Huissier")
    url = list_url(Person)
    assert names_of(client.get(url, {"q": "naisse mission"})) == ["Naisseline"]
    assert names_of(client.get(url, {"q": "mission", "ordering": "-last_name"})) == [
        "Ukeiwé",
        "Neaoutyine",
        "Naisseline",
    ]
    page = client.get(url, {"q": "mission", "ordering": "last_name", "limit": 2, "offset": 1})
    assert page.json()["count"] == 3
    assert names_of(page) == ["Neaoutyine", "Ukeiwé"]


def test_invalid_filter_value_answers_400(client_for):
    """A filter value that makes no sense is refused with a message, not ignored."""
    client = client_for(roles.TECHNICIAN)
    response = client.get(list_url(Person), {"access_until__gte": "pas-une-date"})
    assert response.status_code == 400
    assert "access_until__gte" in response.json()


# Authentication: session and token -----------------------------------------------------------


def test_anonymous_request_answers_401_with_a_message(client):
    """Without credentials the API answers 401 and says how to authenticate."""
    PersonFactory()
    response = client.get(list_url(Person))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    with translation.override("fr"):
        assert response.json()["detail"] == gettext("Authentication credentials were not provided.")


def test_token_is_issued_for_the_right_password_and_authenticates(client):
    """POST username+password returns the user's token, which then opens the API."""
    user = make_user(roles.TECHNICIAN)
    PersonFactory(last_name="Pidjot")
    response = client.post(
        reverse("api:token"), {"username": user.username, "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    listing = client.get(list_url(Person), HTTP_AUTHORIZATION=f"Token {token}")
    assert "Pidjot" in names_of(listing)


def test_wrong_password_gets_no_token(client):
    """A wrong password answers 400 and creates no token."""
    user = make_user(roles.TECHNICIAN)
    response = client.post(
        reverse("api:token"), {"username": user.username, "password": "faux"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=user).exists()


def test_unknown_token_is_refused(client):
    """A made-up token answers 401."""
    response = client.get(list_url(Person), HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert response.status_code == 401


def test_token_can_be_revoked(client):
    """DELETE on the token endpoint revokes it; the old key no longer opens the API."""
    user = make_user(roles.TECHNICIAN)
    token = Token.objects.create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.delete(reverse("api:token"), **auth).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get(list_url(Person), **auth).status_code == 401


def test_token_endpoint_is_throttled(client, monkeypatch):
    """Repeated password attempts on the token endpoint are slowed down (429)."""
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "3/minute"})
    user = make_user(roles.TECHNICIAN)
    payload = {"username": user.username, "password": "faux"}
    statuses = [
        client.post(reverse("api:token"), payload, content_type=JSON).status_code
        for _attempt in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    assert not Token.objects.filter(user=user).exists()


# Scoping: a contractor sees only what concerns his company -----------------------------------


def test_contractor_sees_only_his_company_and_its_staff(client_for):
    """A contractor lists his company's people and his own company, nothing else."""
    client = client_for(roles.CONTRACTOR)
    company = client.user.person.company
    colleague = PersonFactory(company=company, kind="contractor_staff", unit=None)
    other_company = CompanyFactory()
    PersonFactory(company=other_company, kind="contractor_staff", unit=None)
    PersonFactory()
    people = client.get(list_url(Person)).json()["results"]
    assert {row["id"] for row in people} == {client.user.person.pk, colleague.pk}
    companies = client.get(list_url(Company)).json()["results"]
    assert [row["id"] for row in companies] == [company.pk]


def test_contractor_gets_404_on_what_is_outside_his_scope(client_for):
    """Another company or its staff is not found for a contractor (404, not 403)."""
    client = client_for(roles.CONTRACTOR)
    other_company = CompanyFactory()
    stranger = PersonFactory(company=other_company, kind="contractor_staff", unit=None)
    assert client.get(detail_url(other_company)).status_code == 404
    assert client.get(detail_url(stranger)).status_code == 404
    assert client.get(detail_url(client.user.person.company)).status_code == 200


def test_contractor_may_not_write(client_for):
    """A contractor only reads: a change of his own company is refused (403)."""
    client = client_for(roles.CONTRACTOR)
    company = client.user.person.company
    response = client.patch(detail_url(company), {"name": "Renommée"}, content_type=JSON)
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.name != "Renommée"


def test_scoped_create_outside_scope_is_refused_and_rolled_back(client_for):
    """A scoped user allowed to add people cannot create one outside his company: 403."""
    client = client_for(roles.CONTRACTOR)
    grant_user(client.user, "add_person")
    response = client.post(list_url(Person), person_payload(unit=None), content_type=JSON)
    assert response.status_code == 403
    assert response.json()["detail"] == fr(
        "You may only create or change records within your own scope: "
        "this one would fall outside it. Nothing was saved."
    )
    assert not Person.objects.filter(last_name="Wamytan").exists()
    company = client.user.person.company
    inside = client.post(
        list_url(Person),
        person_payload(kind="contractor_staff", company=company.pk),
        content_type=JSON,
    )
    assert inside.status_code == 201, inside.json()
    assert Person.objects.get(last_name="Wamytan").company == company


def test_foreign_key_to_an_object_the_user_cannot_see_is_rejected(client_for):
    """A relation may only point to objects the user may view: 400, nothing saved."""
    client = client_for(roles.TECHNICIAN)
    grant_user(client.user, "add_person")
    hidden_account = UserFactory()  # technicians may not view user accounts
    unit = OrganisationUnitFactory()
    response = client.post(
        list_url(Person), person_payload(unit=unit.pk, user=hidden_account.pk), content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()) == ["user"]
    assert not Person.objects.filter(last_name="Wamytan").exists()


def test_contractor_cannot_link_another_company(client_for):
    """A contractor allowed to add people cannot attach them to a company he cannot see."""
    client = client_for(roles.CONTRACTOR)
    grant_user(client.user, "add_person")
    other = CompanyFactory()
    response = client.post(
        list_url(Person),
        person_payload(kind="contractor_staff", company=other.pk),
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "company" in response.json()
    assert not Person.objects.filter(company=other).exists()


# Root, schema and documentation --------------------------------------------------------------


def test_root_lists_only_the_endpoints_the_user_may_view(client_for, client):
    """GET /api/ lists the readable types: all for an administrator; for a contractor, his
    company's people and company, and the procurement records of his company's business."""
    admin = client_for(roles.ADMINISTRATOR).get(reverse("api:root")).json()
    assert {e["type"] for e in admin["endpoints"]} == {ot.label for ot in registry}
    contractor = client_for(roles.CONTRACTOR).get(reverse("api:root")).json()
    assert {e["type"] for e in contractor["endpoints"]} == {
        "directory.person",
        "directory.company",
        "procurement.contract",
        "procurement.contractlot",
        "procurement.amendment",
        "procurement.serviceorder",
        "procurement.purchaseorder",
        "procurement.invoice",
        "procurement.paymentsuspension",
    }
    anonymous = client.get(reverse("api:root")).json()
    assert anonymous["endpoints"] == []
    assert anonymous["docs"].endswith(reverse("api:docs"))


def test_schema_is_valid_openapi_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    assert "openapi: 3" in schema
    for object_type in registry:
        assert f"/api/{object_type.app_label}/{object_type.slug}/" in schema


def test_every_endpoint_has_a_tag_and_descriptions(client):
    """Each generated endpoint is tagged with its type's plural name and described."""
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    for object_type in registry:
        operations = schema["paths"][f"/api/{object_type.app_label}/{object_type.slug}/"]
        for operation in operations.values():
            assert operation["tags"] == [capfirst(str(object_type.verbose_name_plural))]
            assert operation["summary"]
            assert operation["description"]


ASSET_PATTERN = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def external_assets(html):
    """Script and style addresses that do not come from this site's static files."""
    return [
        url
        for url in ASSET_PATTERN.findall(html)
        if url.startswith(("http:", "https:", "//")) and not url.startswith("http://testserver/")
    ]


@pytest.mark.parametrize("url_name", ["api:docs", "api:redoc"])
def test_documentation_pages_use_only_local_assets(client, url_name):
    """Swagger UI and Redoc load their files from /static/, never from a CDN."""
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"""<script[^>]+src=["']([^"']+)""", html)
    assert scripts
    assert all(src.startswith("/static/") for src in scripts)
    assert external_assets(html) == []
    assert "fonts.googleapis.com" not in html
    # Files bundled in the viewers (Redoc's vendor logo) may not be fetched from elsewhere.
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data: blob:" in policy


def test_browsable_api_renders_with_local_assets(client_for):
    """The browsable API page renders for a browser, with DRF's own static files only."""
    client = client_for(roles.TECHNICIAN)
    TeamFactory()
    response = client.get(list_url(Team), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/rest_framework/" in html
    assert external_assets(html) == []
    assert str(Team._meta.verbose_name_plural).capitalize() in html
    root = client.get(reverse("api:root"), HTTP_ACCEPT="text/html").content.decode()
    description = fr(
        "The records your roles let you read, one endpoint per kind. Sign in with your "
        "session or send the header `Authorization: Token <key>` (key from auth/token/)."
    )
    assert escape(description) in root  # the `<key>` placeholder is text, not a tag


@pytest.mark.django_db(transaction=True)
def test_options_describes_an_endpoint_outside_a_transaction(client_for):
    """OPTIONS on a detail (which looks at the PUT form) answers 200, no lock error."""
    client = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    response = client.options(detail_url(person))
    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]
    assert Person.objects.filter(pk=person.pk).exists()


def test_account_created_through_the_api_has_roles_and_no_password_yet(admin_client_dpti):
    """An account can be created with its roles; it has no usable password until one is set."""
    technician = Group.objects.get(name=roles.TECHNICIAN)
    response = admin_client_dpti.post(
        list_url(User),
        {"username": "jwamytan", "last_name": "Wamytan", "groups": [technician.pk]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    account = User.objects.get(username="jwamytan")
    assert not account.has_usable_password()
    assert account.role_names == {roles.TECHNICIAN}
    with translation.override("fr"):
        assert response.json()["groups_display"] == [str(roles.role_label(roles.TECHNICIAN))]
