"""API permissions: the same role permissions and scoping as the screens.

`RegistryPermission` answers whether the user's roles allow the action on the model at all
(403 otherwise); which rows he may act on is decided by the viewset's queryset, always built
through `dpti.core.permissions.restrict` (404 for a row outside his scope).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from dpti.core.permissions import has_model_permission

ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def action_for(request):
    """The permission action (view, add, change, delete) an HTTP method asks for."""
    return ACTION_BY_METHOD.get(request.method, "view")


def view_model(view):
    """The model a view serves: its object type's, or its queryset's."""
    object_type = getattr(view, "object_type", None)
    if object_type is not None:
        return object_type.model
    return getattr(getattr(view, "queryset", None), "model", None)


class RegistryPermission(BasePermission):
    """Authenticated users whose roles allow the action on the view's model."""

    message = _("Your roles do not allow this action on this kind of record.")

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        action = action_for(request)
        object_type = getattr(view, "object_type", None)
        if action == "add" and object_type is not None and not object_type.allow_add:
            self.message = _("Records of this kind cannot be created.")
            return False
        model = view_model(view)
        if model is None:
            return True
        return has_model_permission(request.user, model, action)
