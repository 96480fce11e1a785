"""Operating procedures: the review schedule, its deadline, and who may edit them."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.models import Deadline
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.itpark.models import OperatingProcedure
from tests.factories import OperatingProcedureFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def review_deadlines(procedure):
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(OperatingProcedure),
        object_id=procedure.pk,
        kind="review",
    )


def new_procedure(user, **values):
    procedure = OperatingProcedure(title="Sauvegarde des serveurs", **values)
    save_object(procedure, user=user)
    return procedure


def test_the_next_review_follows_the_last(client_for):
    """A next review on or before the last one is refused, in French through the form."""
    client = client_for(roles.IT_MANAGER)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        OperatingProcedure(title="Comptes", last_review=today, next_review=today).full_clean()
    assert "next_review" in error.value.message_dict

    response = client.post(
        reverse(registry.get(OperatingProcedure).url_name("add")),
        {
            "title": "Gestion des comptes",
            "kind": "accounts",
            "revision": "1.0",
            "last_review": today.strftime("%d/%m/%Y"),
            "next_review": (today - timedelta(days=1)).strftime("%d/%m/%Y"),
        },
    )

    assert response.status_code == 422
    assert escape(fr("The next review follows the last one.")) in response.content.decode()
    assert not OperatingProcedure.objects.exists()


def test_saving_a_procedure_creates_its_review_deadline_for_the_owners_account(user_with_role):
    """The review is a deadline owned by the owner's account, or by nobody without one."""
    manager = user_with_role(roles.IT_MANAGER)
    account = UserFactory()
    due = timezone.localdate() + timedelta(days=60)

    with_account = new_procedure(manager, owner=PersonFactory(user=account), next_review=due)
    without_account = new_procedure(manager, owner=PersonFactory(user=None), next_review=due)
    unscheduled = new_procedure(manager)

    deadline = review_deadlines(with_account).get()
    assert deadline.due_date == due
    assert deadline.owner == account
    assert deadline.domain == "itpark"
    assert "Sauvegarde des serveurs" in deadline.title
    assert review_deadlines(without_account).get().owner is None
    assert not review_deadlines(unscheduled).exists()


def test_a_past_review_shows_overdue_in_the_register(client_for):
    """A review due last week is marked late on /echeances/ (red date, « days late » badge)."""
    client = client_for(roles.IT_MANAGER)
    due = timezone.localdate() - timedelta(days=7)
    procedure = new_procedure(client.user, next_review=due)
    deadline = review_deadlines(procedure).get()

    response = client.get(reverse("deadlines"))

    content = response.content.decode()
    rows = {row.pk: row for row in response.context["rows"]}
    assert rows[deadline.pk].is_overdue
    assert rows[deadline.pk].days_late == 7
    assert response.context["overdue_count"] == 1
    assert 'data-testid="late-badge"' in content
    with translation.override("fr"):
        assert (
            translation.ngettext("%(counter)s day late", "%(counter)s days late", 7)
            % {"counter": 7}
            in content
        )


def test_recording_the_review_moves_the_deadline(client_for):
    """The next review set after a review moves the same deadline; no date removes it."""
    client = client_for(roles.IT_MANAGER)
    today = timezone.localdate()
    procedure = new_procedure(client.user, next_review=today - timedelta(days=3))
    deadline = review_deadlines(procedure).get()

    procedure.last_review = today
    procedure.next_review = today + timedelta(days=365)
    save_object(procedure, user=client.user)

    moved = review_deadlines(procedure).get()
    assert moved.pk == deadline.pk
    assert moved.due_date == today + timedelta(days=365)
    page = client.get(reverse("deadlines"), {"horizon": "overdue"})
    assert deadline.pk not in {row.pk for row in page.context["rows"]}

    procedure.next_review = None
    save_object(procedure, user=client.user)
    assert not review_deadlines(procedure).exists()


def test_a_technician_reads_procedures_but_cannot_edit_them(client_for):
    """List and page open (200); add and edit answer 403; the procedure is unchanged."""
    client = client_for(roles.TECHNICIAN)
    procedure = OperatingProcedureFactory(title="Restauration de la GED")
    object_type = registry.get(OperatingProcedure)
    edit_url = reverse(object_type.url_name("edit"), args=[procedure.pk])

    listing = client.get(reverse(object_type.url_name("list")))
    detail = client.get(reverse(object_type.url_name("detail"), args=[procedure.pk]))
    add = client.get(reverse(object_type.url_name("add")))
    edit = client.get(edit_url)
    post = client.post(
        edit_url,
        {"title": "Modifiée", "kind": "other", "revision": "2.0", "version": procedure.version},
    )

    assert listing.status_code == 200
    assert "Restauration de la GED" in listing.content.decode()
    assert detail.status_code == 200
    assert (add.status_code, edit.status_code, post.status_code) == (403, 403, 403)
    procedure.refresh_from_db()
    assert procedure.title == "Restauration de la GED"
