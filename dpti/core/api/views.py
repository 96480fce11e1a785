"""API pages that are not object endpoints: the root, token sign-in, documentation."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from dpti.core.api.figures import may_read_report
from dpti.core.api.serializers import api_url_name
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry

TOKEN_THROTTLE_SCOPE = "auth_token"

REPORT_FIELDS = {
    "name": serializers.CharField(help_text=_("Name of the report, in the site language.")),
    "url": serializers.URLField(),
}
ENDPOINT_FIELDS = {
    "type": serializers.CharField(help_text=_("Key of the object type: app.model.")),
    "name": serializers.CharField(help_text=_("Name of the records, in the site language.")),
    "url": serializers.URLField(),
}


def described(text, html):
    """A view description for the browsable API, escaped when it goes into HTML."""
    return escape(str(text)) if html else str(text)


class ApiRootView(APIView):
    """Entry point: the endpoints the user may read, and the documentation links."""

    permission_classes = [AllowAny]

    def get_view_name(self):
        return str(_("DPTI API"))

    def get_view_description(self, html=False):
        return described(
            _(
                "The records your roles let you read, one endpoint per kind. Sign in with your "
                "session or send the header `Authorization: Token <key>` (key from auth/token/)."
            ),
            html,
        )

    @extend_schema(
        summary=_("API root"),
        responses=inline_serializer(
            "ApiRoot",
            {
                "endpoints": inline_serializer("ApiEndpoint", ENDPOINT_FIELDS, many=True),
                "reports": inline_serializer("ApiReportLink", REPORT_FIELDS, many=True),
                "token": serializers.URLField(),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
                "redoc": serializers.URLField(),
            },
        ),
        tags=["API"],
    )
    def get(self, request):
        """List the object endpoints and the reports the user may view."""
        user = request.user

        def absolute(url_name):
            return request.build_absolute_uri(reverse(url_name))

        endpoints = [
            {
                "type": object_type.label,
                "name": capfirst(str(object_type.verbose_name_plural)),
                "url": absolute(api_url_name(object_type, "list")),
            }
            for object_type in sorted(registry, key=lambda ot: (ot.app_label, ot.slug))
            if has_model_permission(user, object_type.model, "view")
        ]
        reports = [
            {
                "name": capfirst(str(report.summary)),
                "url": absolute(f"api:{report.url_name}"),
            }
            for report in registry.api_reports()
            if may_read_report(user, report)
        ]
        return Response(
            {
                "endpoints": endpoints,
                "reports": reports,
                "token": absolute("api:token"),
                "schema": absolute("api:schema"),
                "docs": absolute("api:docs"),
                "redoc": absolute("api:redoc"),
            }
        )


class TokenView(ObtainAuthToken):
    """POST username and password to get your API token; DELETE (signed in) revokes it."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = TOKEN_THROTTLE_SCOPE

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_view_name(self):
        return str(_("API token"))

    def get_view_description(self, html=False):
        return described(
            _(
                "Send your username and password (POST) to receive your token, then the header "
                "`Authorization: Token <key>` with each request. DELETE revokes the token."
            ),
            html,
        )

    @extend_schema(
        summary=_("Get your token"),
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("ApiToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(description=_("Wrong username or password.")),
        },
        tags=["API"],
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        """Exchange a username and password for the user's token (created on first use)."""
        return super().post(request, *args, **kwargs)

    @extend_schema(
        summary=_("Revoke your token"),
        request=None,
        responses={204: None},
        tags=["API"],
    )
    def delete(self, request, *args, **kwargs):
        """Revoke the signed-in user's token; a new POST gives a new one."""
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# The documentation pages load only this site's files: Redoc's bundle, for one, shows a logo
# from its vendor's CDN, which the browser is told not to fetch.
LOCAL_ONLY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    ]
)


class LocalAssetsOnlyMixin:
    """Send a Content-Security-Policy that keeps a documentation page off every CDN."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = LOCAL_ONLY_POLICY
        return response


class DocsView(LocalAssetsOnlyMixin, SpectacularSwaggerView):
    """Swagger UI served from the drf-spectacular-sidecar static files."""


class RedocView(LocalAssetsOnlyMixin, SpectacularRedocView):
    """Redoc served from the sidecar static files, without web fonts from a CDN."""

    template_name = "core/api/redoc.html"
