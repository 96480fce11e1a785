"""Pages of inventory campaigns: counting on a phone, reconciliation, confirmations, report."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from dpti.assets.campaigns import progress, report, services
from dpti.assets.campaigns.scanning import counting_page_texts, record_scan
from dpti.assets.models import Asset, CampaignScan, InventoryCampaign
from dpti.core.exports import workbook_response
from dpti.core.pdf import pdf_response
from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry
from dpti.core.views.generic import ObjectEditView

Status = InventoryCampaign.Status
LEVELS = {
    "success": messages.SUCCESS,
    "warning": messages.WARNING,
    "danger": messages.ERROR,
    "info": messages.INFO,
}


class CampaignView(LoginRequiredMixin, View):
    """A page about one campaign the user may read."""

    def get_campaign(self, pk):
        if not services.may_view(self.request.user):
            raise PermissionDenied
        campaign = (
            restrict(InventoryCampaign.objects.all(), self.request.user, "view")
            .filter(pk=pk)
            .first()
        )
        if campaign is None:
            raise Http404
        return campaign

    def countable_rooms(self, campaign):
        return restrict(services.counting_rooms(campaign), self.request.user, "view")


def _room_context(campaign, room):
    return {"campaign": campaign, "room": room, **progress.room_items(campaign, room)}


class CountView(CampaignView):
    """The phone page of agents: choose the room, then scan or type each label."""

    def get(self, request, pk):
        campaign = self.get_campaign(pk)
        if not services.may_count(request.user, campaign):
            raise PermissionDenied
        rooms = list(self.countable_rooms(campaign))
        room = next((r for r in rooms if str(r.pk) == request.GET.get("room", "")), None)
        config = {
            "campaign": campaign.pk,
            "scanUrl": reverse("assets:campaign_scan", args=[campaign.pk]),
            "roomUrl": reverse("assets:campaign_count_room", args=[campaign.pk, 0]),
            "jsqrUrl": static("vendor/jsqr/jsQR.js"),
            "rooms": [{"id": r.pk, "code": r.code} for r in rooms],
            "texts": counting_page_texts(),
        }
        context = {
            "campaign": campaign,
            "rooms": rooms,
            "room": room,
            "config": config,
            "client_id": uuid.uuid4(),
            **(_room_context(campaign, room) if room else {}),
        }
        return render(request, "assets/campaign_count.html", context)


class CountRoomView(CampaignView):
    """The expected list of one room, as the counting page refreshes it after each entry."""

    def get(self, request, pk, room_pk):
        campaign = self.get_campaign(pk)
        if not services.may_count(request.user, campaign):
            raise PermissionDenied
        room = self.countable_rooms(campaign).filter(pk=room_pk).first()
        if room is None:
            raise Http404
        return render(request, "assets/campaign_count_room.html", _room_context(campaign, room))


class ScanView(CampaignView):
    """Record one entry (JSON from the counting page's script, or a plain form without it)."""

    def post(self, request, pk):
        is_json = request.content_type == "application/json"
        try:
            campaign = self.get_campaign(pk)
            if not services.may_count(request.user, campaign):
                raise PermissionDenied
        except PermissionDenied:
            if is_json:
                return JsonResponse({"message": _("Counting is closed for you.")}, status=403)
            raise
        try:
            data = json.loads(request.body) if is_json else request.POST
            client_id = uuid.UUID(str(data.get("client_id", "")))
            room = self.countable_rooms(campaign).filter(pk=int(data.get("room") or 0)).first()
            if room is None:
                raise ValidationError(_("Choose a room of the campaign first."))
            outcome = record_scan(
                campaign,
                room=room,
                client_id=client_id,
                user=request.user,
                code=str(data.get("code") or ""),
                description=str(data.get("description") or ""),
            )
        except (ValueError, AttributeError, ValidationError) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else _("Invalid entry.")
            if is_json:
                return JsonResponse({"message": text, "level": "danger"}, status=400)
            messages.error(request, text)
            return HttpResponseRedirect(reverse("assets:campaign_count", args=[campaign.pk]))
        if is_json:
            return JsonResponse(outcome.as_json())
        messages.add_message(request, LEVELS[outcome.level], outcome.message)
        url = reverse("assets:campaign_count", args=[campaign.pk])
        return HttpResponseRedirect(f"{url}?room={room.pk}")


class ReconcileView(CampaignView):
    """The property manager's page: missing, moved and unknown items, and what to do."""

    def get(self, request, pk):
        campaign = self.get_campaign(pk)
        if not services.may_manage(request.user) or campaign.status == Status.DRAFT:
            raise PermissionDenied
        context = {
            "campaign": campaign,
            "summary": progress.summary(campaign),
            **progress.reconciliation(campaign),
            "is_counting": campaign.status == Status.COUNTING,
            "can_add_asset": has_model_permission(request.user, Asset, "add"),
        }
        return render(request, "assets/campaign_reconcile.html", context)


class ActionView(CampaignView):
    """A manager's action: GET (or a POST without `confirm`) asks, a confirmed POST acts.

    The action runs in one transaction (the services are atomic) and reports a message.
    """

    statuses = (Status.COUNTING, Status.CLOSED)
    title = ""
    button = ""
    button_class = "btn-primary"
    back = "campaign_reconcile"

    def check(self, campaign):
        if not services.may_manage(self.request.user) or campaign.status not in self.statuses:
            raise PermissionDenied

    def describe(self, campaign):
        """Context of the confirmation: a `question`, optional `objects` and `hidden` fields."""
        return {}

    def perform(self, campaign):
        """Do the action; return the success message."""
        raise NotImplementedError

    def back_url(self, campaign):
        return reverse(f"assets:{self.back}", args=[campaign.pk])

    def confirm(self, campaign):
        context = {
            "campaign": campaign,
            "title": self.title,
            "button": self.button,
            "button_class": self.button_class,
            "back_url": self.back_url(campaign),
            "hidden": [],
            **self.describe(campaign),
        }
        return render(self.request, "assets/campaign_confirm.html", context)

    def get(self, request, pk, **kwargs):
        campaign = self.get_campaign(pk)
        self.check(campaign)
        return self.confirm(campaign)

    def post(self, request, pk, **kwargs):
        campaign = self.get_campaign(pk)
        self.check(campaign)
        if request.POST.get("confirm") != "1":
            return self.confirm(campaign)
        try:
            messages.success(request, self.perform(campaign))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(self.back_url(campaign))


class StartView(ActionView):
    statuses = (Status.DRAFT,)
    back = "inventorycampaign_detail"
    button = gettext_lazy("Start counting")

    def describe(self, campaign):
        if not services.has_scope(campaign):
            question = _("Choose at least one site, building or room before starting the count.")
            return {"title": _("Start counting"), "question": question, "disabled": True}
        count = services.expected_assets(campaign).count()
        question = ngettext(
            "The expected list will hold the %(count)s active asset of the scope. "
            "Agents can then count.",
            "The expected list will hold the %(count)s active assets of the scope. "
            "Agents can then count.",
            count,
        ) % {"count": count}
        return {"title": _("Start counting"), "question": question}

    def perform(self, campaign):
        count = services.start_counting(campaign, self.request.user)
        return ngettext(
            "Counting started: %(count)s item expected.",
            "Counting started: %(count)s items expected.",
            count,
        ) % {"count": count}


class StopView(ActionView):
    statuses = (Status.COUNTING,)
    button = gettext_lazy("Stop counting")
    button_class = "btn-warning"

    def describe(self, campaign):
        pending = campaign.items.filter(result="pending").count()
        question = ngettext(
            "The %(count)s item not yet counted will be marked missing. An item scanned later "
            "still leaves the missing list.",
            "The %(count)s items not yet counted will be marked missing. An item scanned later "
            "still leaves the missing list.",
            pending,
        ) % {"count": pending}
        return {"title": _("Stop counting"), "question": question}

    def perform(self, campaign):
        count = services.stop_counting(campaign, self.request.user)
        return ngettext(
            "%(count)s item marked missing.", "%(count)s items marked missing.", count
        ) % {"count": count}


class CloseView(StopView):
    back = "inventorycampaign_detail"
    button = gettext_lazy("Close the campaign")
    button_class = "btn-danger"

    def describe(self, campaign):
        context = super().describe(campaign)
        context["title"] = _("Close the campaign")
        context["question"] += " " + _("No entry will be accepted any more.")
        missing, unknown = services.untreated(campaign)
        if missing or unknown:
            # Closing leaves them undecided for good: the manager ticks that he knows.
            context["warning"] = services.untreated_message(missing, unknown)
            context["acknowledge"] = _("Close the campaign with these items not dealt with")
        return context

    def perform(self, campaign):
        services.close_campaign(
            campaign,
            self.request.user,
            accept_untreated=self.request.POST.get("accept_untreated") == "1",
        )
        return _("The campaign is closed.")


class ApplyMovesView(ActionView):
    button = gettext_lazy("Apply all moves")

    def describe(self, campaign):
        items = services.pending_moves(campaign).select_related(
            "asset", "expected_room", "found_room"
        )
        objects = [
            _("%(asset)s: %(origin)s → %(target)s")
            % {"asset": i.asset, "origin": i.expected_room or "—", "target": i.found_room}
            for i in items
        ]
        question = _(
            "Each asset below will be placed in the room where it was found; the move is "
            "journalled with this campaign."
        )
        if not objects:
            question = _("Every move of this campaign has already been applied.")
        return {"title": _("Apply all moves"), "question": question, "objects": objects}

    def perform(self, campaign):
        count = services.apply_moves(campaign, self.request.user)
        if not count:
            return _("No asset to move: the register already matches the count.")
        return ngettext(
            "%(count)s asset moved in the register.",
            "%(count)s assets moved in the register.",
            count,
        ) % {"count": count}


class DisposeMissingView(ActionView):
    button = gettext_lazy("Send to disposal")
    button_class = "btn-danger"

    def chosen_ids(self):
        if self.request.POST.get("all") == "1":
            return None
        return [int(v) for v in self.request.POST.getlist("pk") if v.isdigit()]

    def items(self, campaign):
        ids = self.chosen_ids()
        items = services.missing_items(campaign).select_related("asset", "expected_room")
        return items if ids is None else items.filter(pk__in=ids)

    def describe(self, campaign):
        items = list(self.items(campaign))
        hidden = [("pk", i.pk) for i in items] if self.chosen_ids() is not None else [("all", 1)]
        question = _(
            "These assets will be declared lost and a disposal for loss will be proposed for "
            "each; the disposal is decided later."
        )
        if not items:
            question = _("Select at least one missing item without a disposal.")
        return {
            "title": _("Send missing items to disposal"),
            "question": question,
            "objects": [f"{i.asset} ({i.expected_room or '—'})" for i in items],
            "hidden": hidden,
            "disabled": not items,
        }

    def perform(self, campaign):
        count = services.send_missing_to_disposal(
            campaign, self.request.user, item_ids=self.chosen_ids()
        )
        if not count:
            return _("No missing item left to send to disposal.")
        return ngettext("%(count)s disposal proposed.", "%(count)s disposals proposed.", count) % {
            "count": count
        }


class ResolveScanView(ActionView):
    button = gettext_lazy("Mark resolved")

    def scan(self, campaign):
        scan = CampaignScan.objects.filter(campaign=campaign, pk=self.kwargs["scan_pk"]).first()
        if scan is None:
            raise Http404
        return scan

    def describe(self, campaign):
        scan = self.scan(campaign)
        question = _(
            "Mark « %(entry)s » (room %(room)s) as dealt with: record the asset or correct "
            "its label first if needed."
        ) % {"entry": scan.code or scan.description, "room": scan.room.code}
        return {"title": _("Mark resolved"), "question": question}

    def perform(self, campaign):
        scan = services.resolve_scan(campaign, self.kwargs["scan_pk"], self.request.user)
        return _("« %(entry)s » marked resolved.") % {"entry": scan.code or scan.description}


class AssetFromScanView(ObjectEditView):
    """« Create the asset » from an unknown entry: the generic asset form, pre-filled from the
    entry; once saved, the entry is linked to the asset and dealt with, in the same
    transaction."""

    def dispatch(self, request, campaign_pk, scan_pk):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        campaign = restrict(InventoryCampaign.objects.all(), request.user).filter(pk=campaign_pk)
        self.campaign = campaign.first()
        if self.campaign is None:
            raise Http404
        if not services.may_manage(request.user) or self.campaign.status == Status.DRAFT:
            raise PermissionDenied
        self.scan = (
            CampaignScan.objects.filter(campaign=self.campaign, pk=scan_pk)
            .exclude(kind=CampaignScan.Kind.ASSET)
            .select_related("room")
            .first()
        )
        if self.scan is None:
            raise Http404
        if self.scan.resolved or self.scan.asset_id:
            messages.info(request, _("This entry was already dealt with."))
            return HttpResponseRedirect(self.reconcile_url())
        return super().dispatch(request)

    def reconcile_url(self):
        return reverse("assets:campaign_reconcile", args=[self.campaign.pk]) + "#unknown"

    def initial_values(self, request):
        return services.asset_values_from_scan(self.scan, self.campaign)

    def success_url(self, saved):
        return self.reconcile_url()

    def cancel_url(self, obj):
        return self.reconcile_url()

    def form_saved(self, saved):
        services.record_scan_as_asset(self.campaign, self.scan.pk, saved, self.request.user)


class ReportView(CampaignView):
    """The campaign report as a PDF (A4) or an XLSX workbook."""

    fmt = "pdf"

    def get(self, request, pk):
        campaign = self.get_campaign(pk)
        if not services.may_view(request.user) or campaign.status == Status.DRAFT:
            raise PermissionDenied
        if self.fmt == "xlsx":
            return workbook_response(
                report.report_filename(campaign, "xlsx"), report.workbook_sheets(campaign)
            )
        return pdf_response(
            "assets/pdf/campaign_report.html",
            report.pdf_context(campaign),
            report.report_filename(campaign, "pdf"),
            request=request,
        )


urlpatterns = [
    path("campaigns/<int:pk>/count/", CountView.as_view(), name="campaign_count"),
    path(
        "campaigns/<int:pk>/count/rooms/<int:room_pk>/",
        CountRoomView.as_view(),
        name="campaign_count_room",
    ),
    path("campaigns/<int:pk>/scan/", ScanView.as_view(), name="campaign_scan"),
    path("campaigns/<int:pk>/start/", StartView.as_view(), name="campaign_start"),
    path("campaigns/<int:pk>/stop/", StopView.as_view(), name="campaign_stop"),
    path("campaigns/<int:pk>/close/", CloseView.as_view(), name="campaign_close"),
    path("campaigns/<int:pk>/reconcile/", ReconcileView.as_view(), name="campaign_reconcile"),
    path(
        "campaigns/<int:pk>/reconcile/apply-moves/",
        ApplyMovesView.as_view(),
        name="campaign_apply_moves",
    ),
    path(
        "campaigns/<int:pk>/reconcile/dispose/",
        DisposeMissingView.as_view(),
        name="campaign_dispose_missing",
    ),
    path(
        "campaigns/<int:pk>/reconcile/scans/<int:scan_pk>/resolve/",
        ResolveScanView.as_view(),
        name="campaign_resolve_scan",
    ),
    path(
        "campaigns/<int:campaign_pk>/reconcile/scans/<int:scan_pk>/create-asset/",
        AssetFromScanView.as_view(object_type=registry.get(Asset)),
        name="campaign_scan_asset",
    ),
    path(
        "campaigns/<int:pk>/report.pdf", ReportView.as_view(fmt="pdf"), name="campaign_report_pdf"
    ),
    path(
        "campaigns/<int:pk>/report.xlsx",
        ReportView.as_view(fmt="xlsx"),
        name="campaign_report_xlsx",
    ),
]
