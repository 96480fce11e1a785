"""The interface speaks French whatever the browser's language; English only to those who
chose it in their preferences."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.models import User
from dpti.core.registry import registry
from dpti.itpark.models import TelecomLine
from tests.factories import TelecomLineFactory

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def test_an_english_browser_gets_french_pages(client, client_for):
    """Accept-Language: en no longer turns the pages into English, signed in or not."""
    login = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert fr("Sign in to your account") in login.content.decode()
    assert '<html lang="fr">' in login.content.decode()
    technician = client_for(roles.TECHNICIAN)
    home = technician.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr">' in home.content.decode()
    assert "My deadlines" not in home.content.decode()
    assert home["Content-Language"] == "fr"


def test_a_user_who_chose_english_gets_english(client_for):
    """English is the person's choice, kept on his account, whatever his browser says."""
    technician = client_for(roles.TECHNICIAN)
    User.objects.filter(pk=technician.user.pk).update(language="en")
    home = technician.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert '<html lang="en">' in home.content.decode()
    assert "My deadlines" in home.content.decode()


def test_the_preferences_page_saves_the_language(client_for):
    """The preferences page, in French, offers the language; choosing English is kept on the
    account and the next page is in English; choosing French again goes back."""
    agent = client_for(roles.REQUESTER)
    page = agent.get(reverse("preferences")).content.decode()
    assert escape(fr("Interface language")) in page
    assert re.search(r'value="fr"[^>]*checked', page)
    assert "English" in page  # each language in its own words
    response = agent.post(reverse("preferences"), {"language": "en"})
    assert response.status_code == 302
    agent.user.refresh_from_db()
    assert agent.user.language == "en"
    assert "Interface language" in agent.get(reverse("preferences")).content.decode()
    agent.post(reverse("preferences"), {"language": "fr"})
    agent.user.refresh_from_db()
    assert agent.user.language == "fr"


def test_an_unknown_language_is_refused(client_for):
    """Only the offered languages can be chosen; the account keeps its choice."""
    agent = client_for(roles.REQUESTER)
    response = agent.post(reverse("preferences"), {"language": "de"})
    assert response.status_code == 200
    agent.user.refresh_from_db()
    assert agent.user.language == ""


def test_the_api_speaks_the_token_holders_language(client, client_for):
    """A call authenticated by token (known only to the API view) gets its user's language;
    without a choice, French."""
    admin = client_for(roles.ADMINISTRATOR)
    line = TelecomLineFactory(monthly_cost=4_500)
    url = reverse(api_url_name(registry.get(TelecomLine), "detail"), args=[line.pk])
    token = Token.objects.create(user=admin.user)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    french = client.patch(url, {"monthly_cost": -1}, content_type="application/json", **headers)
    assert french.json()["monthly_cost"] == [fr("An amount cannot be negative.")]
    User.objects.filter(pk=admin.user.pk).update(language="en")
    english = client.patch(url, {"monthly_cost": -1}, content_type="application/json", **headers)
    assert english.json()["monthly_cost"] == ["An amount cannot be negative."]
