"""Information assets: DICT classification and the purpose of personal data."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.registry import registry
from dpti.itpark.models import InformationAsset
from tests.factories import InformationAssetFactory

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def asset_form(**values):
    """A valid information asset as the generic form posts it."""
    return {
        "name": "Fichier des agents",
        "kind": "data",
        "availability": "2",
        "integrity": "3",
        "confidentiality": "4",
        "traceability": "2",
        **values,
    }


def test_personal_data_needs_the_purpose_of_its_processing(client_for):
    """Personal data without a purpose is refused in French; with one it is saved."""
    client = client_for(roles.IT_MANAGER)
    url = reverse(registry.get(InformationAsset).url_name("add"))

    refused = client.post(url, asset_form(personal_data="on", purpose="  "))
    assert refused.status_code == 422
    assert escape(fr("Personal data needs the purpose of its processing.")) in (
        refused.content.decode()
    )
    assert not InformationAsset.objects.exists()

    accepted = client.post(url, asset_form(personal_data="on", purpose="Paie des agents"))
    assert accepted.status_code == 302
    saved = InformationAsset.objects.get()
    assert saved.personal_data
    assert saved.purpose == "Paie des agents"


def test_data_that_is_not_personal_needs_no_purpose(client_for):
    """Without personal data the purpose may stay empty."""
    client = client_for(roles.IT_MANAGER)

    response = client.post(reverse(registry.get(InformationAsset).url_name("add")), asset_form())

    assert response.status_code == 302
    assert InformationAsset.objects.get().purpose == ""


def test_the_dict_code_sums_up_the_four_levels():
    """Availability, integrity, confidentiality, traceability read « D3 I2 C4 T1 »."""
    asset = InformationAssetFactory(availability=3, integrity=2, confidentiality=4, traceability=1)

    assert asset.dict_code == "D3 I2 C4 T1"
    assert InformationAssetFactory().dict_code == "D2 I2 C2 T2"


def test_the_list_filters_by_confidentiality(client_for):
    """?confidentiality=4 lists only the very confidential assets."""
    client = client_for(roles.DIRECTION)
    InformationAssetFactory(name="Dossiers médicaux", confidentiality=4)
    InformationAssetFactory(name="Ordres du jour publics", confidentiality=1)

    response = client.get(
        reverse(registry.get(InformationAsset).url_name("list")), {"confidentiality": 4}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Dossiers médicaux" in content
    assert "Ordres du jour publics" not in content


def test_the_api_returns_the_dict_levels(client_for):
    """The API gives the four levels as numbers, and refuses a level above 4."""
    client = client_for(roles.IT_MANAGER)
    asset = InformationAssetFactory(availability=3, integrity=2, confidentiality=4, traceability=1)
    object_type = registry.get(InformationAsset)

    data = client.get(reverse(api_url_name(object_type, "detail"), args=[asset.pk])).json()
    refused = client.post(
        reverse(api_url_name(object_type, "list")),
        {"name": "Badges", "confidentiality": 5},
        content_type="application/json",
    )

    levels = [
        data[name] for name in ("availability", "integrity", "confidentiality", "traceability")
    ]
    assert levels == [3, 2, 4, 1]
    assert refused.status_code == 400
    assert "confidentiality" in refused.json()
    assert InformationAsset.objects.count() == 1
