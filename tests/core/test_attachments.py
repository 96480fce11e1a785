"""Files and comments on any object: who may add, read, download and delete them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.attachments import delete_files_and_comments_of
from dpti.core.models import Attachment, Comment
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def add_url(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("attachment_add", args=[content_type.pk, obj.pk])


def comment_url(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("comment_add", args=[content_type.pk, obj.pk])


def upload(client, obj, name, content, description="", **headers):
    """POST a file to the object's attachments."""
    return client.post(
        add_url(obj),
        {"file": SimpleUploadedFile(name, content), "description": description},
        **headers,
    )


def stored_files(settings):
    """Every file under the test's media folder."""
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def french(message, **values):
    """The French translation of a source string, escaped as it appears in a page."""
    with translation.override("fr"):
        text = gettext(message)
    return escape(text % values if values else text)


def test_editor_uploads_a_file_and_a_reader_downloads_it(client_for, settings):
    """An editor attaches a PDF under a random name; a reader downloads it as an attachment."""
    editor = client_for(roles.ADMINISTRATOR)
    reader = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    assert 'name="file"' in editor.get(person.get_absolute_url()).content.decode()
    response = upload(editor, person, "Contrat signé.pdf", PDF, description="Contrat 2025")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_object == person
    assert attachment.original_name == "Contrat signé.pdf"
    assert attachment.description == "Contrat 2025"
    assert attachment.size == len(PDF)
    assert attachment.content_type_name == "application/pdf"
    assert attachment.created_by == editor.user
    assert "Contrat" not in attachment.file.name
    assert len(attachment.file.name) > 40
    assert default_storage.exists(attachment.file.name)
    page = reader.get(person.get_absolute_url())
    assert "Contrat signé.pdf" in page.content.decode()
    download = reader.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Contrat%20sign%C3%A9.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_htmx_upload_answers_the_refreshed_panel(client_for):
    """With htmx, the upload answers the panel listing the new file."""
    editor = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    response = upload(editor, person, "photo.png", PNG, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="attachments-panel"' in response.content.decode()
    assert "photo.png" in response.content.decode()
    assert Attachment.objects.filter(original_name="photo.png").count() == 1


def test_download_is_404_for_a_user_who_cannot_view_the_parent(client_for):
    """A contractor cannot download a file of another company's employee: 404, no content."""
    editor = client_for(roles.ADMINISTRATOR)
    contractor = client_for(roles.CONTRACTOR)
    other = PersonFactory(kind="contractor_staff", company=CompanyFactory(), unit=None)
    colleague = PersonFactory(
        kind="contractor_staff", company=contractor.user.person.company, unit=None
    )
    upload(editor, other, "secret.pdf", PDF)
    upload(editor, colleague, "planning.pdf", PDF)
    hidden = Attachment.objects.get(original_name="secret.pdf")
    visible = Attachment.objects.get(original_name="planning.pdf")
    assert contractor.get(reverse("attachment_download", args=[hidden.pk])).status_code == 404
    assert contractor.get(reverse("attachment_download", args=[visible.pk])).status_code == 200


def test_media_url_does_not_serve_attachments(client_for):
    """Files are never reachable under /media/: only the download view sends them."""
    editor = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    upload(editor, person, "rapport.pdf", PDF)
    attachment = Attachment.objects.get()
    assert editor.get(f"/media/{attachment.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("facture.pdf", EXE),  # a program renamed .pdf
        ("outil.exe", EXE),
        ("plan.svg", SVG),
        ("page.html", HTML),
        ("notes.txt", HTML),  # markup disguised as text
        ("image.png", PDF),  # a PDF renamed .png
    ],
)
def test_dangerous_or_mismatched_files_are_refused(client_for, settings, name, content):
    """Executables, SVG, HTML and files whose content lies about their type are refused."""
    editor = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    response = upload(editor, person, name, content, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    mismatch = french(
        "The content of « %(name)s » does not match its extension .%(ext)s: "
        "the file was not added.",
        name=name,
        ext=name.rsplit(".", 1)[1],
    )
    refused_type = french(
        "Files of this type are not accepted. Accepted types: %(types)s.", types=""
    )
    assert mismatch in body or refused_type.rstrip(".") in body
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_too_big_file_is_refused(client_for, settings):
    """A file above ATTACHMENT_MAX_BYTES is refused with its size and the limit."""
    settings.DPTI = {**settings.DPTI, "ATTACHMENT_MAX_BYTES": 100}
    editor = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    response = upload(editor, person, "gros.pdf", PDF + b"x" * 200, HTTP_HX_REQUEST="true")
    expected = french(
        "The file « %(name)s » is too big (%(size)s); the maximum is %(max)s.",
        name="gros.pdf",
        size="",
        max="",
    ).split("(")[0]
    assert expected in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_empty_file_is_refused(client_for, settings):
    """An empty file is refused with a message, nothing stored."""
    editor = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    response = upload(editor, person, "vide.pdf", b"", HTTP_HX_REQUEST="true")
    assert french("The file « %(name)s » is empty.", name="vide.pdf") in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_reader_cannot_upload(client_for, settings):
    """A user who may only view the object cannot attach a file to it."""
    reader = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    assert upload(reader, person, "note.pdf", PDF).status_code == 403
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []
    assert 'name="file"' not in reader.get(person.get_absolute_url()).content.decode()


def test_attachment_deletion_rights(client_for, settings, django_capture_on_commit_callbacks):
    """A reader may not delete a file; its author and the object's editors may."""
    author = client_for(roles.ADMINISTRATOR)
    other_editor = client_for(roles.ADMINISTRATOR)
    reader = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    upload(author, person, "a.pdf", PDF)
    upload(author, person, "b.pdf", PDF)
    first, second = Attachment.objects.order_by("pk")
    assert reader.post(reverse("attachment_delete", args=[first.pk])).status_code == 403
    assert Attachment.objects.count() == 2
    # The author keeps the right to delete his file even without edit rights on the object.
    author.user.groups.set(Group.objects.filter(name=roles.TECHNICIAN))
    with django_capture_on_commit_callbacks(execute=True):
        assert author.post(reverse("attachment_delete", args=[first.pk])).status_code == 302
        assert other_editor.post(reverse("attachment_delete", args=[second.pk])).status_code == 302
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_reader_comments_and_only_the_author_deletes(client_for):
    """Whoever may view an object may comment; only the author deletes his comment."""
    reader = client_for(roles.TECHNICIAN)
    other = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    assert reader.post(comment_url(person), {"text": "  Badge à renouveler.  "}).status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "Badge à renouveler."
    assert comment.created_by == reader.user
    assert other.post(reverse("comment_delete", args=[comment.pk])).status_code == 403
    assert Comment.objects.count() == 1
    assert reader.post(reverse("comment_delete", args=[comment.pk])).status_code == 302
    assert Comment.objects.count() == 0


def test_administrator_may_remove_any_comment(client_for):
    """Administrators moderate: they may delete someone else's comment."""
    reader = client_for(roles.TECHNICIAN)
    admin = client_for(roles.ADMINISTRATOR)
    person = PersonFactory()
    reader.post(comment_url(person), {"text": "Hors sujet"})
    comment = Comment.objects.get()
    assert admin.post(reverse("comment_delete", args=[comment.pk])).status_code == 302
    assert not Comment.objects.exists()


def test_empty_comment_is_refused(client_for):
    """A blank comment is refused with a message and nothing is saved."""
    reader = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    response = reader.post(comment_url(person), {"text": "   "}, HTTP_HX_REQUEST="true")
    assert french("Write a comment before sending it.") in response.content.decode()
    assert not Comment.objects.exists()


def test_contractor_cannot_comment_an_object_he_cannot_view(client_for):
    """A contractor's comment on another company's employee is a 404 and saves nothing."""
    contractor = client_for(roles.CONTRACTOR)
    other = PersonFactory(kind="contractor_staff", company=CompanyFactory(), unit=None)
    assert contractor.post(comment_url(other), {"text": "Bonjour"}).status_code == 404
    assert not Comment.objects.exists()


def test_comments_are_newest_first_with_local_date(client_for):
    """Comments show newest first, with their author and the Nouméa date and time."""
    reader = client_for(roles.TECHNICIAN)
    person = PersonFactory()
    reader.post(comment_url(person), {"text": "Premier"})
    reader.post(comment_url(person), {"text": "Second"})
    first = Comment.objects.get(text="Premier")
    Comment.objects.filter(pk=first.pk).update(
        created_at=datetime(2025, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    body = reader.get(person.get_absolute_url()).content.decode()
    assert body.index("Second") < body.index("Premier")
    assert "02/03/2025 10:30" in body  # 23:30 UTC is 10:30 the next day in Nouméa
    assert escape(str(reader.user)) in body


def test_files_and_comments_of_a_deleted_object_are_removed(
    client_for, settings, django_capture_on_commit_callbacks
):
    """Deleting an object's files and comments leaves no row and no stored file behind."""
    editor = client_for(roles.ADMINISTRATOR)
    person, other = PersonFactory(), PersonFactory()
    upload(editor, person, "a.pdf", PDF)
    upload(editor, other, "b.pdf", PDF)
    editor.post(comment_url(person), {"text": "À supprimer"})
    with django_capture_on_commit_callbacks(execute=True):
        delete_files_and_comments_of(person)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["b.pdf"]
    assert not Comment.objects.exists()
    assert len(stored_files(settings)) == 1
