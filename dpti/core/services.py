"""Write paths shared by forms, the API and imports: one place for validation and locking."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from dpti.core.audit import acting_as
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
    the save is refused with `ConcurrentEditError`, carrying what changed meanwhile. The user
    is the author the history names for this save and for what its hooks write.
    """
    with acting_as(user):
        return _save_object(obj, user, expected_version, clean, save_m2m)


def _save_object(obj, user, expected_version, clean, save_m2m):
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
    sync_object_deadlines(obj, created=previous is None)
    return obj


@transaction.atomic
def save_system_change(obj, fields, *, user, context=None):
    """Save fields the system changed on another record than the one being edited (a disposal
    marks its asset disposed, a new policy closes the previous one): the version grows, so an
    editor holding the old version is warned, and the author is recorded.

    The type's `after_save` hook runs as for any save (an asset moved by an inventory campaign
    journals its movement) and the record's deadlines follow its new values, so no caller syncs
    them by hand. `context` ({"reason": …}) is left on the object as `change_context` while
    the hooks run, for a hook that records why the system changed it.
    """
    from dpti.core.registry import registry

    with acting_as(user):
        previous = type(obj)._default_manager.filter(pk=obj.pk).first()
        obj.version += 1
        obj.updated_by = user if user is not None and user.is_authenticated else None
        obj.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
        if type(obj) in registry:
            obj.change_context = context or {}
            try:
                registry.get(obj).after_save(obj, previous, user)
            finally:
                del obj.change_context
        sync_object_deadlines(obj)
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
    from dpti.core.registry import registry

    with acting_as(user):
        _delete_object(obj, user, registry)


def _delete_object(obj, user, registry):
    from dpti.core.attachments import delete_files_and_comments_of

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
    # One audit context for the whole edit rather than one per object.
    with transaction.atomic(), acting_as(user):
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
    with acting_as(user):
        for obj in queryset:
            delete_object(obj, user=user)
            count += 1
    return count
