"""Building blocks of the generic views."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from dpti.core.permissions import has_model_permission, restrict, user_is_scoped


class ObjectTypeMixin(LoginRequiredMixin):
    """A view bound to one registered object type (given by the URL factory)."""

    object_type = None
    action = "view"

    def check_model_permission(self, action=None):
        if not has_model_permission(
            self.request.user, self.object_type.model, action or self.action
        ):
            raise PermissionDenied

    def restricted_queryset(self, action=None):
        """The type's queryset limited to what the user may do: the one permission gate."""
        return restrict(self.object_type.get_queryset(), self.request.user, action or self.action)

    def get_object(self, pk, action=None, lock=False):
        queryset = self.restricted_queryset(action)
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        try:
            return queryset.get(pk=pk)
        except (self.object_type.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def list_url(self):
        return reverse(self.object_type.url_name("list"))

    def base_context(self):
        ot = self.object_type
        user = self.request.user
        return {
            "object_type": ot,
            "can_add": ot.allow_add and has_model_permission(user, ot.model, "add"),
            "can_change_any": has_model_permission(user, ot.model, "change"),
            "can_delete_any": has_model_permission(user, ot.model, "delete"),
            "list_url": self.list_url(),
        }


class InternalReportMixin(LoginRequiredMixin):
    """A page about all the records of a model (a register, a cost report, a compliance table).

    It needs the right to view the model and an internal role: a scoped user (requester,
    contractor) may view his own records, not what the institution owns or pays in all.
    """

    report_model = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and (
            not has_model_permission(user, self.report_model, "view") or user_is_scoped(user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
