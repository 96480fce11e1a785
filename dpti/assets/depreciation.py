"""Depreciation schedules (being built)."""


def schedule_panel(asset):
    return {"title": "", "template": "assets/panels/empty.html", "context": {}}
