"""First rules of the directory screens."""

import pytest
from django.urls import reverse

from dpti.core import roles
from dpti.directory.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_person_edit_with_stale_version_is_refused(client_for):
    """A second save based on an old version is refused with a French message; nothing saved."""
    client = client_for(roles.ADMINISTRATOR)
    person = PersonFactory(first_name="Marie")
    url = reverse("directory:person_edit", args=[person.pk])
    data = {
        "last_name": person.last_name,
        "first_name": "Marie-Claire",
        "kind": "agent",
        "email": person.email,
        "is_active": "on",
        "version": person.version,
    }
    assert client.post(url, data).status_code == 302
    data["first_name"] = "Périmée"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "pendant que vous le modifiiez" in response.content.decode()
    assert Person.objects.get(pk=person.pk).first_name == "Marie-Claire"
