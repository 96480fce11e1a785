"""Computed figures in the API: what a detail page or a report page shows, readable as JSON.

A module declares them in its `api.py` (imported by the registry's autodiscovery), calling the
same domain functions as its pages, never computing a figure a second way:

- `ApiRoute`, through `registry.add_api_route(label, route)`: a figure of one object, read at
  `/api/<app>/<type>/<pk>/<name>/` (an asset's depreciation, an invoice's delay). The object
  is looked up in the type's queryset restricted for the user, as the object's own endpoint:
  no view right on the type answers 403, an object outside the user's scope 404.
- `ApiReport`, through `registry.add_api_report(report)`: a report about all the records of a
  model, read at `/api/reports/<app>/<name>/` (the register of fixed assets, the budget
  execution). Same rights as the report page: the right to view the model and an internal
  role (a requester or a contractor is refused, 403).

Query parameters are declared by a serializer: validated (400 with the errors of each
parameter) and listed in the OpenAPI schema; responses are documented by their serializer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from dpti.core.permissions import has_model_permission, user_is_scoped

# The schema's section of the reports, in the site language as the object types' sections.
REPORTS_TAG = _("Reports")


@dataclass(frozen=True)
class ApiRoute:
    """A figure of one object of a type, read at /api/<app>/<type>/<pk>/<name>/.

    `compute(obj, request, params)` returns what `serializer` reads; `params` are the query
    parameters validated by `query_serializer` (an empty dict without one).
    """

    name: str
    compute: Callable
    serializer: type
    summary: str
    description: str = ""
    query_serializer: type | None = None

    @property
    def attribute(self):
        """The viewset method's name (a route named 'delay-explanation' → 'delay_explanation')."""
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class ApiReport:
    """A report about the records of `model`, read at /api/reports/<app_label>/<name>/.

    `compute(request, params)` returns what `serializer` reads.
    """

    app_label: str
    name: str
    model: type
    compute: Callable
    serializer: type
    summary: str
    description: str = ""
    query_serializer: type | None = None

    @property
    def url_name(self):
        return f"report-{self.app_label}-{self.name}"

    @property
    def path(self):
        return f"reports/{self.app_label}/{self.name}/"


def read_params(query_serializer, request):
    """The validated query parameters; a wrong one answers 400 with its error."""
    if query_serializer is None:
        return {}
    serializer = query_serializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _documented(summary, description, query_serializer, serializer, extra_responses, **kwargs):
    return extend_schema(
        summary=summary,
        description=description or None,
        parameters=[query_serializer] if query_serializer is not None else None,
        responses={200: serializer, **extra_responses},
        filters=False,
        **kwargs,
    )


def route_action(route):
    """The viewset method answering a route: the object read as its own endpoint reads it."""

    def handler(self, request, pk=None):
        # The type's restricted queryset, without the list's filters (?year= on a route is the
        # route's own parameter, not a filter of the list).
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        self.check_object_permissions(request, obj)
        params = read_params(route.query_serializer, request)
        data = route.compute(obj, request, params)
        return Response(route.serializer(data, context=self.get_serializer_context()).data)

    handler.__name__ = handler.__qualname__ = route.attribute
    handler.__doc__ = str(route.summary)
    handler = action(
        detail=True,
        methods=["get"],
        url_path=route.name,
        url_name=route.name,
        serializer_class=route.serializer,
        pagination_class=None,
        filter_backends=[],
    )(handler)
    # Documented around the action (drf-spectacular reads an action's own decorator there).
    return _documented(
        route.summary,
        route.description,
        route.query_serializer,
        route.serializer,
        {
            400: OpenApiResponse(description=_("A query parameter is not valid.")),
            404: OpenApiResponse(description=_("No such record among those you may see.")),
        },
    )(handler)


def may_read_report(user, report):
    """The rights of a report page: view the model, and hold an internal role."""
    return bool(
        user
        and user.is_authenticated
        and has_model_permission(user, report.model, "view")
        and not user_is_scoped(user)
    )


class ReportPermission(BasePermission):
    """A report's endpoint answers those who may open its page (`may_read_report`)."""

    message = _(
        "Your roles do not allow this report: it needs the right to view these records and an "
        "internal role."
    )

    def has_permission(self, request, view):
        return may_read_report(request.user, view.report)


class ReportView(APIView):
    """Base of the report endpoints; `report` is set by `build_report_view`."""

    report = None
    permission_classes = [ReportPermission]

    def get_view_name(self):
        return capfirst(str(self.report.summary))

    def get_view_description(self, html=False):
        text = str(self.report.description)
        return escape(text) if html else text

    def get(self, request):
        params = read_params(self.report.query_serializer, request)
        data = self.report.compute(request, params)
        return Response(self.report.serializer(data, context={"request": request}).data)


def build_report_view(report):
    """The APIView class of a report, documented in the OpenAPI schema under « Reports »."""
    name = "".join(part.capitalize() for part in (report.app_label, *report.name.split("-")))

    def get(self, request):
        return ReportView.get(self, request)

    view = type(f"{name}ReportView", (ReportView,), {"report": report, "__doc__": report.summary})
    # A function of its own: drf-spectacular keeps the documentation on the function object.
    view.get = _documented(
        report.summary,
        report.description,
        report.query_serializer,
        report.serializer,
        {
            400: OpenApiResponse(description=_("A query parameter is not valid.")),
            403: OpenApiResponse(description=_("Your roles do not allow this report.")),
        },
        tags=[REPORTS_TAG],
        operation_id=f"reports_{report.app_label}_{report.name.replace('-', '_')}",
    )(get)
    return view
