"""The register of deadlines: sync from objects, visibility, filters, digest, calendar feed."""

import re
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.models import CalendarToken, Deadline
from dpti.core.services import delete_object, save_object
from tests.conftest import make_user
from tests.factories import CompanyFactory, DeadlineFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    """The date n days from today (negative: in the past)."""
    return today() + timedelta(days=n)


def row_ids(response):
    """The deadline ids listed by the register page, in order."""
    return [int(pk) for pk in re.findall(r'data-deadline="(\d+)"', response.content.decode())]


def test_company_certificates_date_drives_its_deadline(client_for):
    """Setting, changing, clearing the certificates date and deleting the company sync the row."""
    admin = make_user(roles.ADMINISTRATOR)
    company = CompanyFactory(certificates_valid_until=None)
    company.certificates_valid_until = days(20)
    save_object(company, user=admin)
    deadline = Deadline.objects.get()
    assert deadline.content_object == company
    assert deadline.kind == "certificates"
    assert deadline.due_date == days(20)
    assert deadline.domain == "directory"
    assert company.name in deadline.title
    company.certificates_valid_until = days(40)
    save_object(company, user=admin)
    assert Deadline.objects.get().pk == deadline.pk
    assert Deadline.objects.get().due_date == days(40)
    company.certificates_valid_until = None
    save_object(company, user=admin)
    assert not Deadline.objects.exists()
    company.certificates_valid_until = days(5)
    save_object(company, user=admin)
    assert Deadline.objects.count() == 1
    delete_object(company, user=admin)
    assert not Deadline.objects.exists()


def test_register_lists_only_deadlines_of_objects_the_user_may_view(client_for):
    """A contractor sees his company's deadline only; a technician sees them all."""
    admin = make_user(roles.ADMINISTRATOR)
    contractor = client_for(roles.CONTRACTOR)
    technician = client_for(roles.TECHNICIAN)
    own = contractor.user.person.company
    other = CompanyFactory()
    for company in (own, other):
        company.certificates_valid_until = days(10)
        save_object(company, user=admin)
    own_row = Deadline.objects.get(object_id=own.pk)
    other_row = Deadline.objects.get(object_id=other.pk)
    assert row_ids(contractor.get(reverse("deadlines"))) == [own_row.pk]
    assert set(row_ids(technician.get(reverse("deadlines")))) == {own_row.pk, other_row.pk}


def test_requester_does_not_see_company_deadlines(client_for):
    """Requesters see no company, hence no company deadline, but a person's they may view."""
    requester = client_for(roles.REQUESTER)
    company_row = DeadlineFactory(source=CompanyFactory())
    person_row = DeadlineFactory(source=PersonFactory())
    ids = row_ids(requester.get(reverse("deadlines")))
    assert person_row.pk in ids
    assert company_row.pk not in ids


def test_overdue_deadlines_come_first_with_days_late(client_for):
    """Overdue rows come first (oldest first) with a red late badge, then by due date."""
    client = client_for(roles.TECHNICIAN)
    later = DeadlineFactory(due_date=days(5))
    late = DeadlineFactory(due_date=days(-3))
    soon = DeadlineFactory(due_date=days(1))
    very_late = DeadlineFactory(due_date=days(-10))
    response = client.get(reverse("deadlines"))
    assert row_ids(response) == [very_late.pk, late.pk, soon.pk, later.pk]
    body = response.content.decode()
    assert body.count('data-testid="late-badge"') == 2
    assert re.search(r'late-badge">\s*10\b', body)


def test_register_filters(client_for):
    """Domain, owner, horizon and 'include done' filters narrow the rows."""
    client = client_for(roles.TECHNICIAN)
    colleague = make_user(roles.TECHNICIAN)
    mine = DeadlineFactory(owner=client.user, due_date=days(3))
    theirs = DeadlineFactory(owner=colleague, due_date=days(20))
    nobody = DeadlineFactory(owner=None, due_date=days(-2))
    far = DeadlineFactory(owner=None, due_date=days(200), domain="administration")
    done = DeadlineFactory(owner=client.user, due_date=days(1), done=True)
    url = reverse("deadlines")

    def rows(**params):
        return set(row_ids(client.get(url, params)))

    assert rows() == {mine.pk, theirs.pk, nobody.pk}  # default: 90 days, not done
    assert rows(owner="me") == {mine.pk}
    assert rows(owner=str(colleague.pk)) == {theirs.pk}
    assert rows(owner="none", horizon="all") == {nobody.pk, far.pk}
    assert rows(horizon="overdue") == {nobody.pk}
    assert rows(horizon="7") == {mine.pk, nobody.pk}
    assert rows(horizon="all", domain="administration") == {far.pk}
    assert rows(owner="me", done="on") == {mine.pk, done.pk}
    # An unknown owner is reported; the other filters still apply.
    response = client.get(url, {"owner": "999999", "horizon": "overdue"})
    assert set(row_ids(response)) == {nobody.pk}
    assert 'class="text-danger small"' in response.content.decode()


def test_register_query_count_does_not_grow_with_rows(client_for):
    """The page costs the same number of queries for 2 or 12 rows, scoped user or not."""
    for role in (roles.TECHNICIAN, roles.CONTRACTOR):
        client = client_for(role)
        company = client.user.person.company if role == roles.CONTRACTOR else None

        def source(company=company):
            if company is None:
                return PersonFactory()
            return PersonFactory(kind="contractor_staff", company=company, unit=None)

        for _row in range(2):
            DeadlineFactory(source=source(), owner=client.user)
        client.get(reverse("deadlines"))  # warm the per-process caches
        with CaptureQueriesContext(connection) as few:
            assert len(row_ids(client.get(reverse("deadlines")))) >= 2
        for _row in range(10):
            DeadlineFactory(source=source(), owner=client.user)
        with CaptureQueriesContext(connection) as many:
            assert len(row_ids(client.get(reverse("deadlines")))) >= 12
        assert len(many) == len(few), role


def test_register_export_csv_lists_visible_rows(client_for):
    """The CSV export holds the filtered, visible rows with absolute links."""
    contractor = client_for(roles.CONTRACTOR)
    visible = DeadlineFactory(source=contractor.user.person.company, title="Attestations ACME")
    DeadlineFactory(source=CompanyFactory(), title="Attestations AUTRE")
    response = contractor.get(reverse("deadlines"), {"export": "csv"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert visible.title in content
    assert "Attestations AUTRE" not in content
    assert "http://" in content or "https://" in content


def test_menu_has_a_planning_entry_to_the_register(client_for):
    """Every signed-in user finds the register under the Planning menu."""
    client = client_for(roles.REQUESTER)
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("deadlines")}"' in body


def test_digest_sends_one_email_per_owner_with_his_items(settings):
    """Each owner gets one e-mail: overdue and upcoming within the horizon, visible, open."""
    settings.DPTI = {**settings.DPTI, "SITE_URL": "https://dpti.example.nc"}
    alice = make_user(roles.TECHNICIAN)
    bruno = make_user(roles.TECHNICIAN)
    requester = make_user(roles.REQUESTER)
    inactive = make_user(roles.TECHNICIAN, is_active=False)
    no_mail = make_user(roles.TECHNICIAN, email="")
    overdue = DeadlineFactory(owner=alice, due_date=days(-4), title="Contrôle extincteurs")
    upcoming = DeadlineFactory(owner=alice, due_date=days(12), title="Fin du bail")
    DeadlineFactory(owner=alice, due_date=days(45), title="Trop loin")
    DeadlineFactory(owner=alice, due_date=days(2), done=True, title="Déjà fait")
    DeadlineFactory(owner=bruno, due_date=days(30), title="Renouvellement licence")
    DeadlineFactory(owner=requester, source=CompanyFactory(), title="Invisible pour lui")
    DeadlineFactory(owner=requester, due_date=days(1), title="Badge visiteur")
    DeadlineFactory(owner=inactive, title="Compte désactivé")
    DeadlineFactory(owner=no_mail, title="Sans adresse")
    out = StringIO()
    call_command("send_deadline_digest", "--days", "30", stdout=out)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == sorted([alice.email, bruno.email, requester.email])
    alice_mail = by_recipient[alice.email]
    assert overdue.title in alice_mail.body
    assert upcoming.title in alice_mail.body
    assert "Trop loin" not in alice_mail.body
    assert "Déjà fait" not in alice_mail.body
    assert alice_mail.body.index(overdue.title) < alice_mail.body.index(upcoming.title)
    link = "https://dpti.example.nc" + overdue.content_object.get_absolute_url()
    assert link in alice_mail.body
    html, mime = alice_mail.alternatives[0]
    assert mime == "text/html"
    assert f'href="{link}"' in html
    requester_mail = by_recipient[requester.email].body
    assert "Badge visiteur" in requester_mail
    assert "Invisible pour lui" not in requester_mail
    assert "3 e-mail(s) sent" in out.getvalue()


def test_digest_dry_run_sends_nothing():
    """With --dry-run the digest lists the recipients and sends no e-mail."""
    alice = make_user(roles.TECHNICIAN)
    DeadlineFactory(owner=alice, due_date=days(3))
    out = StringIO()
    call_command("send_deadline_digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert alice.email in out.getvalue()
    assert "none sent" in out.getvalue()


def feed(client, secret):
    return client.get(reverse("deadline_calendar_feed", args=[secret]))


def test_calendar_feed_holds_the_users_open_deadlines(client_for, client):
    """The feed lists the owner's open deadlines of the coming year as all-day events."""
    owner = client_for(roles.TECHNICIAN)
    other = make_user(roles.TECHNICIAN)
    first = DeadlineFactory(owner=owner.user, due_date=days(-3), title="En retard")
    second = DeadlineFactory(owner=owner.user, due_date=days(60), title="Dans deux mois")
    DeadlineFactory(owner=owner.user, due_date=days(400), title="Trop loin")
    DeadlineFactory(owner=owner.user, due_date=days(5), done=True)
    DeadlineFactory(owner=other, due_date=days(5))
    assert owner.post(reverse("deadline_calendar"), {"action": "create"}).status_code == 302
    token = CalendarToken.objects.get(user=owner.user)
    response = feed(client, token.secret)  # an anonymous calendar client
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    by_summary = {str(event["SUMMARY"]): event for event in events}
    assert by_summary[first.title]["DTSTART"].dt == first.due_date
    assert by_summary[second.title]["DTSTART"].dt == second.due_date
    assert by_summary[second.title]["DTEND"].dt == second.due_date + timedelta(days=1)
    assert str(by_summary[first.title]["URL"]).endswith(first.content_object.get_absolute_url())
    uids = {str(event["UID"]) for event in events}
    assert len(uids) == 2
    assert uids == {
        str(e["UID"]) for e in Calendar.from_ical(feed(client, token.secret).content).walk("VEVENT")
    }


def test_regenerating_the_calendar_address_revokes_the_old_one(client_for, client):
    """After regeneration the old address answers 404 and the new one works."""
    owner = client_for(roles.TECHNICIAN)
    owner.post(reverse("deadline_calendar"), {"action": "create"})
    old_secret = CalendarToken.objects.get(user=owner.user).secret
    assert feed(client, old_secret).status_code == 200
    page = owner.get(reverse("deadlines")).content.decode()
    assert old_secret in page
    owner.post(reverse("deadline_calendar"), {"action": "regenerate"})
    new_secret = CalendarToken.objects.get(user=owner.user).secret
    assert new_secret != old_secret
    assert feed(client, old_secret).status_code == 404
    assert feed(client, new_secret).status_code == 200
    owner.post(reverse("deadline_calendar"), {"action": "revoke"})
    assert not CalendarToken.objects.filter(user=owner.user).exists()
    assert feed(client, new_secret).status_code == 404


def test_inactive_users_feed_answers_404(client):
    """The feed of a deactivated account is gone."""
    user = make_user(roles.TECHNICIAN)
    token = CalendarToken.objects.create(user=user)
    assert feed(client, token.secret).status_code == 200
    user.is_active = False
    user.save()
    assert feed(client, token.secret).status_code == 404


def test_refresh_deadlines_rebuilds_the_register():
    """refresh_deadlines creates missing rows, drops stale and orphan ones, prints counts."""
    company = CompanyFactory(certificates_valid_until=days(30))  # saved without the services
    stale = DeadlineFactory(source=PersonFactory(), kind="no_longer_declared")
    orphan = DeadlineFactory(source=TeamFactory())  # teams declare no deadline
    assert not Deadline.objects.filter(object_id=company.pk, kind="certificates").exists()
    out = StringIO()
    call_command("refresh_deadlines", stdout=out)
    assert Deadline.objects.filter(object_id=company.pk, kind="certificates").exists()
    assert not Deadline.objects.filter(pk__in=[stale.pk, orphan.pk]).exists()
    assert "before" in out.getvalue()
    assert "after" in out.getvalue()


def test_register_export_xlsx_is_a_workbook_of_the_rows(client_for):
    """The XLSX export opens as a workbook: a header then one line per visible deadline."""
    client = client_for(roles.TECHNICIAN)
    rows = [DeadlineFactory(due_date=days(n)) for n in (-1, 4)]
    response = client.get(reverse("deadlines"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 3
    assert [line[1] for line in values[1:]] == [row.title for row in rows]
    assert values[1][6] == 1  # days late, kept as a number
