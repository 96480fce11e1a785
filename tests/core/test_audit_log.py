"""The audit trail can be queried by the direction and the administrators, never changed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dpti.core import roles
from dpti.directory.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LIST = "auditlog:logentry_list"


def edit_phone(client, person, phone):
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "kind": "agent",
        "email": person.email,
        "phone": phone,
        "is_active": "on",
        "version": person.version,
        "unit": person.unit_id,
    }
    assert client.post(reverse("directory:person_edit", args=[person.pk]), data).status_code == 302


def test_changes_are_found_by_author_type_and_object(client_for):
    """The log lists who changed what; it filters by author and type and searches by object."""
    editor = client_for(roles.ADMINISTRATOR)
    other = client_for(roles.ADMINISTRATOR)
    # First names fixed: a random « Laurent » would match the search for the other person.
    watched = PersonFactory(last_name="Tjibaou", first_name="Marie", phone="27 00 00")
    unrelated = PersonFactory(last_name="Laurent", first_name="Paul")
    edit_phone(editor, watched, "24 37 00")
    edit_phone(other, unrelated, "25 00 00")
    reader = client_for(roles.DIRECTION)
    person_type = ContentType.objects.get_for_model(Person).pk
    page = reader.get(
        reverse(LIST), {"actor": editor.user.pk, "content_type": person_type, "action": 1}
    ).content.decode()
    assert "TJIBAOU" in page
    assert "LAURENT" not in page
    page = reader.get(reverse(LIST), {"q": "Laurent"}).content.decode()
    assert "LAURENT" in page
    assert "TJIBAOU" not in page


def test_the_log_cannot_be_changed_even_by_an_administrator(client_for):
    """No screen or API call edits or deletes an audit entry."""
    admin = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    edit_phone(admin, person, "24 37 00")
    entry_id = admin.get(reverse("api:auditlog-logentry-list")).json()["results"][0]["id"]
    detail = reverse("api:auditlog-logentry-detail", args=[entry_id])
    assert admin.delete(detail).status_code in (403, 405)
    assert admin.patch(
        detail, {"object_repr": "x"}, content_type="application/json"
    ).status_code in (
        403,
        405,
    )
    assert admin.get(reverse("auditlog:logentry_detail", args=[entry_id])).status_code == 200


def test_agents_and_technicians_cannot_read_the_log(client_for):
    """The log is for the direction and the administrators."""
    for role in (roles.TECHNICIAN, roles.REQUESTER, roles.CONTRACTOR):
        assert client_for(role).get(reverse(LIST)).status_code == 403


def test_the_global_search_leaves_the_log_to_its_own_list(client_for):
    """Searching everywhere finds the person, not the audit entries that mention him."""
    admin = client_for(roles.ADMINISTRATOR)
    PersonFactory(last_name="Wenceslas")
    page = admin.get(reverse("search"), {"q": "Wenceslas"}).content.decode()
    assert page.count('data-testid="search-group"') == 1
    assert f'href="{reverse("directory:person_list")}?q=Wenceslas"' in page
