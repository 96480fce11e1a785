"""Journey 1: signing in through the real login page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fr, sign_in, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_is_refused_then_the_right_one_opens_the_home_page(
    page, live_server, admin_user
):
    """A wrong password shows the error and keeps the visitor out; the right one opens home."""
    sign_in(page, live_server.url, admin_user.username, password="pas-le-bon")
    expect(page.get_by_role("alert")).to_contain_text(
        fr("Wrong username or password. Note that both fields are case-sensitive.")
    )
    assert page.url.startswith(f"{live_server.url}/connexion/")
    expect(page.get_by_label(fr("Username"))).to_have_value(admin_user.username)

    submit_login(page, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Hello %(name)s", name=admin_user.first_name)
    )
    expect(page.get_by_role("complementary", name=fr("Main menu"))).to_be_attached()
    admin_user.refresh_from_db()
    assert admin_user.last_login is not None
