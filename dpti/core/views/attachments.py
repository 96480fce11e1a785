"""Views of files and comments on any object: upload, download, delete, comment.

Each view resolves the parent object through the permission gate first: a user who may not
view the parent gets a 404, as if the file did not exist. With htmx the views answer the
refreshed panel; without it they redirect to the object's page with a message.
"""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from dpti.core import attachments as services
from dpti.core.models import Attachment, Comment
from dpti.core.permissions import abilities, can

logger = logging.getLogger(__name__)
PANEL_TEMPLATE = "core/includes/attachments.html"


def parent_or_404(content_type, object_id, user, action="view"):
    """The parent object if the user may do the action on it; 404 otherwise."""
    parent = services.parent_of(content_type, object_id, user, action)
    if parent is None:
        raise Http404
    return parent


def content_type_or_404(content_type_id):
    """The ContentType of the URL, or 404."""
    try:
        return ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc


class PanelView(LoginRequiredMixin, View):
    """Answer with the refreshed panel (htmx) or a redirect with a message (plain POST)."""

    http_method_names = ["post"]

    def respond(self, request, parent, *, error=None, notice=None):
        if request.htmx:
            context = {
                "object": parent,
                "content_type": ContentType.objects.get_for_model(parent),
                "attachments": services.attachments_of(parent),
                "comments": services.comments_of(parent),
                "abilities": abilities(request.user, parent),
                "panel_error": error,
                "panel_notice": notice,
                **services.panel_context(request.user),
            }
            return render(request, PANEL_TEMPLATE, context)
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return HttpResponseRedirect(parent.get_absolute_url() + "#tab-files")


class AttachmentAddView(PanelView):
    """Attach a file to an object; refused files leave nothing behind."""

    def post(self, request, content_type_id, object_id):
        parent = parent_or_404(content_type_or_404(content_type_id), object_id, request.user)
        if not can(request.user, parent, "change"):
            raise PermissionDenied
        uploaded = request.FILES.get("file")
        if uploaded is None:
            return self.respond(request, parent, error=_("Choose a file to attach."))
        try:
            attachment = services.attach_file(
                obj=parent,
                uploaded=uploaded,
                user=request.user,
                description=request.POST.get("description", ""),
            )
        except ValidationError as error:
            return self.respond(request, parent, error=" ".join(error.messages))
        return self.respond(
            request, parent, notice=_("File « %(name)s » added.") % {"name": attachment}
        )


class AttachmentDeleteView(PanelView):
    """Delete a file: its author or an editor of the object."""

    def post(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        parent = parent_or_404(attachment.content_type, attachment.object_id, request.user)
        if not services.can_delete_attachment(request.user, attachment, parent):
            raise PermissionDenied
        name = attachment.original_name
        services.delete_attachment(attachment=attachment, parent=parent, user=request.user)
        return self.respond(
            request, parent, notice=_("File « %(name)s » deleted.") % {"name": name}
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Send a file to a user who may view its object: a download, or a raster image inline."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        parent_or_404(attachment.content_type, attachment.object_id, request.user)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            logger.error("Stored file missing for attachment %s", attachment.pk)
            raise Http404 from exc
        inline = (
            request.GET.get("inline") == "1"
            and attachment.content_type_name in services.INLINE_TYPES
        )
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=attachment.original_name,
            content_type=attachment.content_type_name,
        )
        # Never let a browser render an uploaded file inside the application's origin.
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class CommentAddView(PanelView):
    """Write a comment on an object the user may view."""

    def post(self, request, content_type_id, object_id):
        parent = parent_or_404(content_type_or_404(content_type_id), object_id, request.user)
        try:
            services.add_comment(obj=parent, text=request.POST.get("text", ""), user=request.user)
        except ValidationError as error:
            return self.respond(request, parent, error=" ".join(error.messages))
        return self.respond(request, parent, notice=_("Comment added."))


class CommentDeleteView(PanelView):
    """Delete one's own comment."""

    def post(self, request, pk):
        comment = get_object_or_404(Comment, pk=pk)
        parent = parent_or_404(comment.content_type, comment.object_id, request.user)
        if not services.can_delete_comment(request.user, comment):
            raise PermissionDenied
        services.delete_comment(comment=comment, user=request.user)
        return self.respond(request, parent, notice=_("Comment deleted."))
