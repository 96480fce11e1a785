"""The campaign's detail page: its buttons (by status and rights) and its progress panel.

The buttons are what to do next; the reports are links of the progress panel.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from dpti.assets.campaigns import progress
from dpti.assets.campaigns.services import (
    expected_assets,
    has_scope,
    may_count,
    may_manage,
    may_view,
    rooms_in_scope,
)
from dpti.assets.models import InventoryCampaign

Status = InventoryCampaign.Status


def _url(name, campaign):
    return reverse(f"assets:{name}", args=[campaign.pk])


def campaign_actions(campaign, user):
    """Buttons of the detail page, only those the user may use at this stage."""
    actions = []
    manager = may_manage(user)
    if campaign.status == Status.DRAFT and manager:
        actions.append(
            {
                "label": _("Start counting"),
                "url": _url("campaign_start", campaign),
                "icon": "ti ti-player-play",
            }
        )
    if may_count(user, campaign):
        actions.append(
            {"label": _("Count"), "url": _url("campaign_count", campaign), "icon": "ti ti-scan"}
        )
    if campaign.status != Status.DRAFT and manager:
        actions.append(
            {
                "label": _("Reconcile"),
                "url": _url("campaign_reconcile", campaign),
                "icon": "ti ti-list-check",
            }
        )
    if campaign.status == Status.COUNTING and manager:
        actions.append(
            {
                "label": _("Close the campaign"),
                "url": _url("campaign_close", campaign),
                "icon": "ti ti-lock",
            }
        )
    return actions


def campaign_panels(campaign, request):
    """A draft shows what its count would cover; a started campaign its progress by room."""
    user = request.user
    if not may_view(user):
        return []
    if campaign.status == Status.DRAFT:
        scoped = has_scope(campaign)
        context = {
            "has_scope": scoped,
            "rooms": rooms_in_scope(campaign).count() if scoped else 0,
            "assets": expected_assets(campaign).count() if scoped else 0,
            "start_url": _url("campaign_start", campaign) if may_manage(user) else "",
        }
        return [
            {
                "title": _("Scope of the count"),
                "template": "assets/panels/campaign_scope.html",
                "context": context,
                "id": "campaign-scope",
            }
        ]
    context = {
        "campaign": campaign,
        "summary": progress.summary(campaign),
        "rooms": progress.room_progress(campaign),
        "count_url": _url("campaign_count", campaign) if may_count(user, campaign) else "",
        "reconcile_url": _url("campaign_reconcile", campaign) if may_manage(user) else "",
        "pdf_url": _url("campaign_report_pdf", campaign),
        "xlsx_url": _url("campaign_report_xlsx", campaign),
    }
    return [
        {
            "title": _("Progress by room"),
            "template": "assets/panels/campaign_progress.html",
            "context": context,
            "id": "campaign-progress",
        }
    ]
