"""Sign-in, sign-out, password rules and login throttling."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dpti.core import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-test-2026"


def test_anonymous_user_is_sent_to_the_login_page(client):
    """Every page but the login page asks to sign in first."""
    response = client.get(reverse("directory:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_french_by_default(client):
    """The login page speaks French to a browser that asks for nothing in particular."""
    response = client.get(reverse("login"))
    with translation.override("fr"):
        expected = gettext("Sign in to your account")
    assert expected == "Connexion à votre compte"
    assert expected in response.content.decode()


def test_wrong_password_shows_a_french_error_and_does_not_sign_in(client):
    """A wrong password is refused with a message, and no session is opened."""
    user = UserFactory(roles=[roles.TECHNICIAN])
    response = client.post(reverse("login"), {"username": user.username, "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_signs_in_and_logout_needs_post(client):
    """A good password opens the home page; signing out is a POST that closes the session."""
    user = UserFactory(roles=[roles.TECHNICIAN])
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_repeated_failures(client, settings):
    """After the configured number of failures, even the right password is refused for a while."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(roles=[roles.TECHNICIAN])
    for _attempt in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "faux"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["court", "123456789012", "motdepasse"])
def test_weak_passwords_are_refused(password):
    """Passwords must be long, not only digits and not common."""
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    """A long passphrase satisfies the password rules."""
    validate_password("lagon-turquoise-nouméa-2026")


def test_language_can_be_switched_to_english(client):
    """English is available: choosing it (the user menu's buttons) changes the interface."""
    user = UserFactory(roles=[roles.TECHNICIAN])
    client.force_login(user)
    client.post(reverse("preferences"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "My deadlines" in response.content.decode()


def test_an_account_created_on_screen_cannot_sign_in_until_a_password_is_set(client_for):
    """A new account gets an unusable password; the administrator is offered to set one."""
    from dpti.core.models import User

    admin = client_for(roles.ADMINISTRATOR)
    admin.user.is_staff = True
    admin.user.save()
    response = admin.post(
        reverse("core:user_add"),
        {
            "username": "nouvel.agent",
            "first_name": "Nouvel",
            "last_name": "Agent",
            "email": "nouvel.agent@congres.nc",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="nouvel.agent")
    assert not created.has_usable_password()
    detail = admin.get(created.get_absolute_url()).content.decode()
    assert reverse("admin:auth_user_password_change", args=[created.pk]) in detail
    assert (
        admin.get(reverse("admin:auth_user_password_change", args=[created.pk])).status_code == 200
    )


def test_password_change_uses_dpti_pages_and_changes_the_password(client):
    """The password pages are DPTI's (menu, French, skip link), not the admin's look-alikes."""
    user = UserFactory(roles=[roles.TECHNICIAN])
    client.force_login(user)
    form = client.get(reverse("password_change"))
    assert form.templates[0].name == "core/account/password_change_form.html"
    assert 'id="main"' in form.content.decode()
    assert "admin/base.html" not in [t.name for t in form.templates]
    new_password = "un-autre-mot-de-passe-2026"
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert done.templates[0].name == "core/account/password_change_done.html"
    user.refresh_from_db()
    assert user.check_password(new_password)
