"""Inventory campaigns (being built)."""


def campaign_actions(campaign, user):
    return []


def campaign_panels(campaign, request):
    return []
