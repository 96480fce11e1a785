"""API permissions: the same model permissions and scoping as the screens."""

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


class RegistryPermission(BasePermission):
    """Authenticated users whose roles allow the action on the viewset's model."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return has_model_permission(
            request.user, model, ACTION_BY_METHOD.get(request.method, "view")
        )
