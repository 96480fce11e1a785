"""Viewsets generated from the registry: one REST endpoint per object type, no model code.

Every queryset goes through `restrict(object_type.get_queryset(), user, action)` with the action
of the HTTP method; writes run in a transaction through the core services.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.generics import get_object_or_404

from dpti.core.api.exceptions import Conflict
from dpti.core.api.figures import route_action
from dpti.core.api.permissions import RegistryPermission, action_for
from dpti.core.middleware import activate_language_of
from dpti.core.models import BaseModel
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from dpti.core.services import delete_object

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _format(template, values):
    return str(template) % {key: str(value) for key, value in values.items()}


lazy_format = lazy(_format, str)


def relations_to_load(object_type):
    """select_related / prefetch_related paths that keep a page of the serializer flat."""
    select, prefetch = [], []
    for name in object_type.get_form_fields():
        field = object_type.model._meta.get_field(name)
        if field.many_to_many:
            prefetch.append(name)
        elif field.is_relation:
            select.append(name)
    return select, prefetch


def ordering_fields(object_type):
    """Fields a list may be sorted by: the id, the plain form fields and the timestamps."""
    names = ["id"]
    for name in object_type.get_form_fields():
        if not object_type.model._meta.get_field(name).many_to_many:
            names.append(name)
    if issubclass(object_type.model, BaseModel):
        names += ["created_at", "updated_at"]
    return names


class ObjectViewSet(viewsets.ModelViewSet):
    """CRUD endpoint of one object type; `object_type` is set by `build_viewset`."""

    object_type = None
    permission_classes = [RegistryPermission]

    def initial(self, request, *args, **kwargs):
        """A caller authenticated by token is known only now: speak his chosen language."""
        super().initial(request, *args, **kwargs)
        activate_language_of(request, request.user)

    def get_queryset(self):
        """The type's queryset restricted for the user and the method's action."""
        object_type = self.object_type
        queryset = restrict(object_type.get_queryset(), self.request.user, action_for(self.request))
        select, prefetch = relations_to_load(object_type)
        if select:
            queryset = queryset.select_related(*select)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset

    def get_object(self):
        """The object, locked until the end of the write transaction for a change or delete."""
        queryset = self.filter_queryset(self.get_queryset())
        # Writes run in a transaction (see create/update/destroy); OPTIONS also asks for the
        # object of a PUT, outside any transaction, where a lock is neither needed nor allowed.
        if self.request.method in UNSAFE_METHODS and connection.in_atomic_block:
            queryset = queryset.select_for_update(of=("self",))
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return obj

    def get_view_name(self):
        """The type's name in the browsable API."""
        object_type = self.object_type
        if object_type is None:
            return super().get_view_name()
        name = object_type.verbose_name if self.detail else object_type.verbose_name_plural
        return capfirst(str(name))

    def get_view_description(self, html=False):
        """A translated description in the browsable API (docstrings are not translated)."""
        if self.object_type is None:
            return super().get_view_description(html)
        description = _format(
            _("Records of the type “%(plural)s”, limited to those your roles let you see."),
            {"plural": self.object_type.verbose_name_plural},
        )
        return escape(description) if html else description

    def check_in_scope(self, obj, action):
        """Refuse (and roll back) a write that puts the object outside the user's scope."""
        model = self.object_type.model
        if not restrict(
            model._default_manager.filter(pk=obj.pk), self.request.user, action
        ).exists():
            raise exceptions.PermissionDenied(
                _(
                    "You may only create or change records within your own scope: "
                    "this one would fall outside it. Nothing was saved."
                )
            )

    def create(self, request, *args, **kwargs):
        """Create in one transaction: a refusal after the save leaves nothing behind."""
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        """Update in one transaction, the row locked from the read to the save."""
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Delete in one transaction, the row locked."""
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer):
        """Save through the serializer (services), then check the new object is in scope."""
        self.check_in_scope(serializer.save(), "add")

    def perform_update(self, serializer):
        """Save through the serializer (services), then check the object stayed in scope."""
        self.check_in_scope(serializer.save(), "change")

    def perform_destroy(self, instance):
        """Delete through `delete_object`; a protected object answers 409."""
        try:
            delete_object(instance, user=self.request.user)
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from error


def schema_for(object_type, serializer_class):
    """drf-spectacular documentation of the generated endpoint: summaries and descriptions."""
    values = {"name": object_type.verbose_name, "plural": object_type.verbose_name_plural}
    conflict_on_change = OpenApiResponse(
        description=lazy_format(
            _("The %(name)s changed since the version sent: nothing was saved."), values
        )
    )
    protected = OpenApiResponse(
        description=lazy_format(
            _("Other records depend on this %(name)s: nothing was deleted."), values
        )
    )

    def describe(summary, description, **kwargs):
        return extend_schema(
            summary=lazy_format(summary, values),
            description=lazy_format(description, values),
            **kwargs,
        )

    return extend_schema_view(
        list=describe(
            _("List the %(plural)s"),
            _(
                "List the %(plural)s you may see. Filter with the parameters below (`q` searches "
                "the main text fields), sort with `ordering` (a field name, `-` first for "
                "descending) and page with `limit` and `offset`."
            ),
        ),
        retrieve=describe(_("Read a %(name)s"), _("Read one %(name)s.")),
        create=describe(
            _("Create a %(name)s"),
            _(
                "Create a %(name)s. The rules of the form apply: an invalid value answers 400 "
                "with the errors of each field, and nothing is saved."
            ),
        ),
        update=describe(
            _("Replace a %(name)s"),
            _(
                "Replace a %(name)s. Send back the `version` you read: when the record changed "
                "meanwhile, the answer is 409 with the current values and nothing is saved."
            ),
            responses={200: serializer_class, 409: conflict_on_change},
        ),
        partial_update=describe(
            _("Change a %(name)s"),
            _(
                "Change some fields of a %(name)s. Send back the `version` you read: when the "
                "record changed meanwhile, the answer is 409 and nothing is saved."
            ),
            responses={200: serializer_class, 409: conflict_on_change},
        ),
        destroy=describe(
            _("Delete a %(name)s"),
            _("Delete a %(name)s. Refused with 409 when other records depend on it."),
            responses={204: None, 409: protected},
        ),
    )


def build_viewset(object_type):
    """Build the viewset class of an object type."""
    serializer_class = object_type.serializer
    attrs = {
        "__doc__": type(object_type).__doc__,
        "__module__": __name__,
        "object_type": object_type,
        "serializer_class": serializer_class,
        "filterset_class": object_type.filterset,
        "ordering_fields": ordering_fields(object_type),
    }
    if object_type.read_only:
        attrs["http_method_names"] = ["get", "head", "options"]
    for route in registry.api_routes(object_type):
        attrs[route.attribute] = route_action(route)
    name = f"{object_type.app_label.capitalize()}{object_type.model.__name__}ViewSet"
    viewset = type(name, (ObjectViewSet,), attrs)
    viewset = extend_schema(tags=[capfirst(object_type.verbose_name_plural)])(viewset)
    return schema_for(object_type, serializer_class)(viewset)
