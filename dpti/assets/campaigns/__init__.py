"""Physical inventory campaigns: expected lists, counting on site, reconciliation, report.

A campaign in draft names its scope (sites, buildings, rooms). Starting the count snapshots
the expected list (one `CampaignItem` per active asset of the scope); agents then scan labels
room by room (`scanning`); the property manager reconciles what was found elsewhere, missing
or unknown (`services`) and closes the campaign; the report (`report`) keeps the result.
"""

from dpti.assets.campaigns.hooks import campaign_actions, campaign_panels

__all__ = ["campaign_actions", "campaign_panels"]
