"""The one mechanism that decides what a user may see and do.

Every queryset a view, a viewset, an export or the search returns goes through `restrict`:
model permissions from the user's roles first, then the object type's `scope` for scoped roles
(requesters and contractors), which narrows the rows to those that concern the user.
"""

from dpti.core.roles import SCOPED_ROLES


def user_is_scoped(user):
    """True when every role of the user is a scoped one (and the user is not a superuser)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = user.role_names
    return bool(names) and names <= SCOPED_ROLES


def has_model_permission(user, model, action):
    """Whether the user's roles allow the action on the model at all."""
    opts = model._meta
    return user.is_authenticated and user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def readable_relation(user, model, path):
    """Whether a scoped user (requester, contractor) may read a value reached from `model`
    through `path` ('budget_line', 'lot__contract'…): only through the types he may view.

    His own order names its budget line, his invoice its commitment: those names are the
    institution's business, not his. Internal users read every name they are shown.
    """
    from django.core.exceptions import FieldDoesNotExist

    from dpti.core.registry import registry

    if not user_is_scoped(user):
        return True
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True  # a computed column
        if not field.is_relation:
            return True
        model = field.related_model
        if model in registry and not has_model_permission(user, model, "view"):
            return False
    return True


def restrict(queryset, user, action="view"):
    """Narrow a queryset to the rows the user may act on."""
    from dpti.core.registry import registry

    model = queryset.model
    if not has_model_permission(user, model, action):
        return queryset.none()
    if user_is_scoped(user) and model in registry:
        return registry.get(model).scope(queryset, user)
    return queryset


def can(user, obj, action):
    """Whether the user may do the action on this object (one query for scoped users)."""
    model = type(obj)
    if not has_model_permission(user, model, action):
        return False
    if not user_is_scoped(user):
        return True
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def abilities(user, obj):
    """The actions the user may do on the object, for templates and the API."""
    return {action: can(user, obj, action) for action in ("change", "delete")}
