"""Keeping the register of deadlines in step with the objects that declare them."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation


@dataclass(frozen=True)
class DeadlineSpec:
    """One dated obligation an object type declares for one of its objects."""

    kind: str  # stable code, unique per object (e.g. "certificates")
    title: str
    due_date: date
    owner: object = None  # a user account, or None
    done: bool = False


def sync_object_deadlines(obj, created=False):
    """Upsert the object's deadlines and drop the ones it no longer declares.

    A record just `created` has none stored yet: no need to look (an import of new rows saves
    one query per row).
    """
    from dpti.core.models import Deadline
    from dpti.core.registry import registry

    if type(obj) not in registry:
        return
    object_type = registry.get(obj)
    # Titles are stored text: write them in the site's language, whoever edits the object.
    with translation.override(settings.LANGUAGE_CODE):
        specs = {spec.kind: spec for spec in object_type.deadlines(obj) if spec.due_date}
    if created and not specs:
        return
    content_type = ContentType.objects.get_for_model(obj)
    stored = Deadline.objects.none() if created else Deadline.objects.all()
    existing = {d.kind: d for d in stored.filter(content_type=content_type, object_id=obj.pk)}
    for kind, deadline in existing.items():
        if kind not in specs:
            deadline.delete()
    for kind, spec in specs.items():
        values = {
            "domain": object_type.domain or object_type.app_label,
            "title": spec.title[:255],
            "due_date": spec.due_date,
            "owner": spec.owner,
            "done": spec.done,
        }
        deadline = existing.get(kind)
        if deadline is None:
            Deadline.objects.create(
                content_type=content_type, object_id=obj.pk, kind=kind, **values
            )
        elif any(getattr(deadline, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(deadline, key, value)
            deadline.save()


def delete_object_deadlines(obj):
    """Remove the deadlines of an object about to be deleted."""
    from dpti.core.models import Deadline

    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()
