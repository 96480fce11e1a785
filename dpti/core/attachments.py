"""Files and comments on any registered object: the rules and the writes.

Who may do what is decided on the parent object, through `dpti.core.permissions`:

- see and download the files, read and write comments: users who may *view* the parent;
- attach a file: users who may *change* the parent;
- delete a file: its author, or users who may change the parent;
- delete a comment: its author (and administrators, to moderate).

A file is accepted only when its extension is on the allow-list AND its content, sniffed with
the `filetype` library, is of the kind the extension announces: a program renamed `.pdf` is
refused. It is stored under a random name, never served from the media URL, only through the
download view that checks the rights on the parent.
"""

import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dpti.core.models import Attachment, Comment
from dpti.core.permissions import can, restrict
from dpti.core.roles import ADMINISTRATOR

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192
COMMENT_MAX_LENGTH = 5000
ZIP = "application/zip"
OOXML = "application/vnd.openxmlformats-officedocument"
DOCX = f"{OOXML}.wordprocessingml.document"
XLSX = f"{OOXML}.spreadsheetml.sheet"
PPTX = f"{OOXML}.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
ZIP_FAMILY = frozenset({ZIP, DOCX, XLSX, PPTX, ODT, ODS, ODP})


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: the MIME type it is served with and what its content may be.

    `sniffed` is the set of MIME types `filetype` may report for it; an empty set means a
    plain-text kind, which has no signature and is checked as text instead.
    """

    mime: str
    sniffed: frozenset


# Office documents are zip archives; some producers order their entries so that `filetype`
# only sees a zip, which is accepted for them (a zip is on the list anyway).
ALLOWED_FILES = {
    "pdf": FileKind("application/pdf", frozenset({"application/pdf"})),
    "png": FileKind("image/png", frozenset({"image/png", "image/apng"})),
    "jpg": FileKind("image/jpeg", frozenset({"image/jpeg"})),
    "jpeg": FileKind("image/jpeg", frozenset({"image/jpeg"})),
    "gif": FileKind("image/gif", frozenset({"image/gif"})),
    "webp": FileKind("image/webp", frozenset({"image/webp"})),
    "docx": FileKind(DOCX, frozenset({DOCX, ZIP})),
    "xlsx": FileKind(XLSX, frozenset({XLSX, ZIP})),
    "odt": FileKind(ODT, frozenset({ODT, ZIP})),
    "ods": FileKind(ODS, frozenset({ODS, ZIP})),
    "zip": FileKind(ZIP, ZIP_FAMILY),
    "dwg": FileKind("image/vnd.dwg", frozenset({"image/vnd.dwg"})),
    "txt": FileKind("text/plain", frozenset()),
    "csv": FileKind("text/csv", frozenset()),
}
# Text files must not be markup a browser could run if it ever ignored the download headers.
MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body")


def accepted_extensions():
    """The accepted extensions, for the file input's `accept` attribute and the help text."""
    return sorted(ALLOWED_FILES)


def accept_attribute():
    """'.csv,.docx,…' for `<input type="file" accept=…>`."""
    return ",".join(f".{ext}" for ext in accepted_extensions())


def max_bytes():
    """The largest accepted file, in bytes (settings.DPTI["ATTACHMENT_MAX_BYTES"])."""
    return settings.DPTI["ATTACHMENT_MAX_BYTES"]


def clean_original_name(name):
    """The file name without any folder part or control characters, at most 255 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name or "fichier"


def extension_of(name):
    """The lower-case extension of a file name, without the dot."""
    return os.path.splitext(name)[1].lower().lstrip(".")


def _looks_like_text(head):
    """True for bytes that read as text (UTF-8 or Windows-1252) and are not markup."""
    if b"\x00" in head:
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(MARKUP_STARTS):
        return False
    # A full head may end inside a multi-byte character: leave its last bytes out.
    sample = head if len(head) < SNIFF_BYTES else head[:-4]
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_upload(uploaded):
    """Validate an uploaded file; return its FileKind or raise ValidationError (a clear one)."""
    name = clean_original_name(uploaded.name)
    if uploaded.size == 0:
        raise ValidationError(_("The file « %(name)s » is empty.") % {"name": name})
    if uploaded.size > max_bytes():
        raise ValidationError(
            _("The file « %(name)s » is too big (%(size)s); the maximum is %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(max_bytes()),
            }
        )
    kind = ALLOWED_FILES.get(extension_of(name))
    if kind is None:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(accepted_extensions())}
        )
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    guess = filetype.guess(head)
    if kind.sniffed:
        valid = guess is not None and guess.mime in kind.sniffed
    else:
        valid = guess is None and _looks_like_text(head)
    if not valid:
        raise ValidationError(
            _(
                "The content of « %(name)s » does not match its extension .%(ext)s: "
                "the file was not added."
            )
            % {"name": name, "ext": extension_of(name)}
        )
    return kind


def attach_file(*, obj, uploaded, user, description=""):
    """Check and store a file on an object; nothing is stored when the file is refused."""
    if not can(user, obj, "change"):
        raise ValidationError(_("You may not add files to this record."))
    description = (description or "").strip()
    if len(description) > 255:
        raise ValidationError(_("The description is limited to 255 characters."))
    kind = check_upload(uploaded)
    original_name = clean_original_name(uploaded.name)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        original_name=original_name,
        content_type_name=kind.mime,
        size=uploaded.size,
        description=description,
        created_by=user,
    )
    # A random stored name: nobody can guess the path of someone else's file.
    stored_name = f"{secrets.token_urlsafe(24)}.{extension_of(original_name)}"
    attachment.file.save(stored_name, uploaded, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def parent_of(content_type, object_id, user, action="view"):
    """The object a file or comment belongs to, if the user may do the action on it, else None.

    Only registered object types carry files and comments.
    """
    from dpti.core.registry import registry

    model = content_type.model_class()
    if model is None or model not in registry:
        return None
    queryset = restrict(registry.get(model).get_queryset(), user, action)
    return queryset.filter(pk=object_id).first()


def can_delete_attachment(user, attachment, parent):
    """Its author, or a user who may change the parent, may delete a file."""
    return (attachment.created_by_id is not None and attachment.created_by_id == user.pk) or can(
        user, parent, "change"
    )


def delete_attachment(*, attachment, parent, user):
    """Delete a file record, then its stored content once the deletion is committed."""
    if not can_delete_attachment(user, attachment, parent):
        raise ValidationError(_("Only its author or an editor of the record may delete a file."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_stored(storage, name))


def _delete_stored(storage, name):
    """Remove a stored file; a missing file is only logged."""
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete the stored file %s", name)


def add_comment(*, obj, text, user):
    """Add a comment to an object the user may view; an empty comment is refused."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment before sending it."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment is limited to %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}
        )
    if not can(user, obj, "view"):
        raise ValidationError(_("You may not comment on this record."))
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        text=text,
        created_by=user,
    )


def can_delete_comment(user, comment):
    """The author of a comment may delete it; administrators too, to moderate."""
    if comment.created_by_id is not None and comment.created_by_id == user.pk:
        return True
    return user.is_superuser or ADMINISTRATOR in user.role_names


def delete_comment(*, comment, user):
    """Delete a comment, if the user may."""
    if not can_delete_comment(user, comment):
        raise ValidationError(_("Only its author may delete a comment."))
    comment.delete()


def attachments_of(obj):
    """The files of an object, newest first, with their authors."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("created_by")


# Raster images (their type checked on upload) may be shown inside a page: a plan, a photo.
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}


def gallery_panel(obj, title, empty_text, with_pdf=False, panel_id="gallery", large=True):
    """A detail-page panel showing an object's attached images (and PDFs, when asked).

    Plans of a floor, photos of an asset: the files stay in the « Files and comments » tab,
    this only shows them where people look for them.
    """
    wanted = INLINE_TYPES | ({"application/pdf"} if with_pdf else set())
    files = list(attachments_of(obj).filter(content_type_name__in=wanted))
    for attachment in files:
        attachment.is_image = attachment.content_type_name in INLINE_TYPES
    return {
        "title": title,
        "template": "core/panels/gallery.html",
        "context": {
            "files": files,
            "empty_text": empty_text,
            # A plan is read at half the page width; photos are thumbnails, four in a row.
            "column_class": "col-12 col-md-6" if large else "col-6 col-md-3",
        },
        "id": panel_id,
    }


def comments_of(obj):
    """The comments of an object, newest first, with their authors."""
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("created_by")


def panel_context(user):
    """What the files-and-comments panel needs beyond the object: upload rules, moderation."""
    return {
        "attachment_accept": accept_attribute(),
        "attachment_extensions": ", ".join(accepted_extensions()),
        "attachment_max_bytes": max_bytes(),
        "can_moderate_comments": user.is_superuser or ADMINISTRATOR in user.role_names,
    }


def delete_files_and_comments_of(obj):
    """Remove the files (after commit) and comments of an object that is being deleted.

    Generic relations do not cascade: `services.delete_object` should call this so that no
    orphan file stays in the storage.
    """
    attachments = list(attachments_of(obj))
    for attachment in attachments:
        storage, name = attachment.file.storage, attachment.file.name
        transaction.on_commit(lambda storage=storage, name=name: _delete_stored(storage, name))
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    comments_of(obj).delete()
