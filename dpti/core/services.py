"""Write paths shared by forms, the API and imports: one place for validation and locking."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from dpti.core.deadlines import delete_object_deadlines, sync_object_deadlines
from dpti.core.display import display_value, quoted
from dpti.core.models import BaseModel, ConcurrentEditError


def _differences(current, submitted):
    """Fields whose stored value differs from what the editor submitted."""
    differences = []
    for field in type(current)._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        stored, wanted = field.value_from_object(current), field.value_from_object(submitted)
        if stored != wanted:
            differences.append(
                (
                    str(field.verbose_name),
                    display_value(current, field),
                    display_value(submitted, field),
                )
            )
    return differences


@transaction.atomic
def save_object(obj, *, user, expected_version=None, clean=True, save_m2m=None):
    """Validate and save a business object, refusing a save based on a stale version.

    `expected_version` is the version the editor loaded; when it is no longer the stored one
    the save is refused with `ConcurrentEditError`, carrying what changed meanwhile.
    """
    from dpti.core.registry import registry

    object_type = registry.get(obj) if type(obj) in registry else None
    is_versioned = isinstance(obj, BaseModel)
    previous = None
    if obj.pk and not obj._state.adding:
        previous = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if previous is not None and is_versioned:
        if expected_version is not None and previous.version != int(expected_version):
            raise ConcurrentEditError(previous, _differences(previous, obj))
        obj.version = previous.version + 1
    if object_type is not None:
        object_type.before_save(obj, user)
    if clean:
        obj.full_clean()
    if is_versioned and user is not None and user.is_authenticated:
        if obj.pk is None or obj._state.adding:
            obj.created_by = user
        obj.updated_by = user
    obj.save()
    if save_m2m is not None:
        save_m2m()
    if object_type is not None:
        object_type.after_save(obj, previous, user)
    sync_object_deadlines(obj)
    return obj


def save_system_change(obj, fields, *, user):
    """Save fields the system changed on another record than the one being edited (a disposal
    marks its asset disposed, a new policy closes the previous one): the version grows, so an
    editor holding the old version is warned, and the author is recorded."""
    obj.version += 1
    obj.updated_by = user if user is not None and user.is_authenticated else None
    obj.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    return obj


def protected_message(error):
    """A French sentence naming the records that prevent a deletion."""
    blockers = list(error.args[1])[:5] if len(error.args) > 1 else []
    names = ", ".join(f"{b._meta.verbose_name} {quoted(b)}" for b in blockers)
    return _("This record cannot be deleted because other records depend on it: %(names)s.") % {
        "names": names
    }


@transaction.atomic
def delete_object(obj, *, user):
    """Delete an object, or raise ValidationError in French when others depend on it."""
    from dpti.core.attachments import delete_files_and_comments_of
    from dpti.core.registry import registry

    if type(obj) in registry:
        registry.get(obj).before_delete(obj, user)
    try:
        delete_object_deadlines(obj)
        delete_files_and_comments_of(obj)
        obj.delete()
    except (ProtectedError, RestrictedError) as error:
        transaction.set_rollback(True)
        raise ValidationError(protected_message(error)) from error
    if type(obj) in registry:
        registry.get(obj).after_delete(obj, user)


def dependent_objects(obj, limit=20):
    """Records that would block (protected) or disappear with (cascade) a deletion."""
    from django.contrib.admin.utils import NestedObjects
    from django.db import router

    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    cascade = []
    for model, instances in collector.model_objs.items():
        if model is type(obj) or model._meta.auto_created:
            continue
        cascade.extend(instances)
    return {
        "protected": list(collector.protected)[:limit],
        "cascade": cascade[:limit],
        "cascade_count": len(cascade),
    }


def update_fields_in_bulk(queryset, values, *, user):
    """Set the same field values on every object (bulk edit), validating each, all or nothing."""
    count = 0
    with transaction.atomic():
        for obj in queryset.select_for_update(of=("self",)):
            for name, value in values.items():
                field = obj._meta.get_field(name)
                if isinstance(field, models.ManyToManyField):
                    continue
                setattr(obj, name, value)
            save_object(obj, user=user)
            for name, value in values.items():
                field = obj._meta.get_field(name)
                if isinstance(field, models.ManyToManyField):
                    getattr(obj, name).set(value)
            count += 1
    return count


@transaction.atomic
def delete_in_bulk(queryset, *, user):
    """Delete every object of the queryset, or none when one of them is protected."""
    count = 0
    for obj in queryset:
        delete_object(obj, user=user)
        count += 1
    return count
