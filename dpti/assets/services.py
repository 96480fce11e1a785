"""Writes of the assets module that touch several records: numbering, moves, disposals."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dpti.assets.models import Asset, AssetMovement, Disposal
from dpti.core.numbering import next_number, validate_pattern
from dpti.core.services import save_system_change

INVENTORY_PATTERN_NAMES = ("year", "category")
TRACKED_PLACES = (
    ("room", "from_room", "to_room"),
    ("holder", "from_holder", "to_holder"),
    ("holder_unit", "from_unit", "to_unit"),
)


def asset_places(asset):
    """The room, holder and holding service of an asset (their ids)."""
    return [getattr(asset, f"{field}_id") for field, _source, _target in TRACKED_PLACES]


def next_inventory_number(asset):
    """The next inventory number of the configured rule, for a new asset.

    The counter restarts for each acquisition year (and category, when the rule names it).
    """
    pattern = settings.DPTI["INVENTORY_NUMBER_PATTERN"]
    validate_pattern(pattern, INVENTORY_PATTERN_NAMES)
    if not asset.acquisition_date or not asset.category_id:
        # full_clean will name the missing fields; no number is spent on an invalid asset.
        raise ValidationError(
            _("The acquisition date and the category are needed to give an inventory number.")
        )
    return next_number(
        pattern,
        "asset",
        max_length=Asset._meta.get_field("inventory_number").max_length,
        year=asset.acquisition_date.year,
        category=asset.category.code,
    )


def record_movement(asset, previous, user, *, reason="", campaign=None):
    """Journal a change of room, holder or holding service (nothing when none changed)."""
    if previous is None:
        changed = [(field, None, getattr(asset, f"{field}_id")) for field, _f, _t in TRACKED_PLACES]
        changed = [c for c in changed if c[2] is not None]
    else:
        changed = [
            (field, getattr(previous, f"{field}_id"), getattr(asset, f"{field}_id"))
            for field, _f, _t in TRACKED_PLACES
            if getattr(previous, f"{field}_id") != getattr(asset, f"{field}_id")
        ]
    if not changed:
        return None
    movement = AssetMovement(
        asset=asset,
        reason=reason or (_("Entry into the register") if previous is None else ""),
        campaign=campaign,
        moved_by=user if user is not None and user.is_authenticated else None,
    )
    for field, source, target in TRACKED_PLACES:
        before = getattr(previous, f"{field}_id") if previous is not None else None
        after = getattr(asset, f"{field}_id")
        # Both ends are written even when unchanged, so each line reads on its own.
        setattr(movement, f"{source}_id", before)
        setattr(movement, f"{target}_id", after)
    movement.save()
    return movement


@transaction.atomic
def apply_disposal_state(disposal, user):
    """A decided disposal takes the asset out of the active register, out of its room and
    away from its holder and holding service (journaled as a move, and in the asset's history
    with the author); undoing it brings the asset back to stock."""
    asset = Asset.objects.select_for_update().get(pk=disposal.asset_id)
    if disposal.state == Disposal.State.DECIDED and (
        asset.status != Asset.Status.DISPOSED or any(asset_places(asset))
    ):
        asset.status = Asset.Status.DISPOSED
        for field, _source, _target in TRACKED_PLACES:
            setattr(asset, field, None)
        reason = _("Disposal decided")
        if disposal.decision_reference:
            reason = f"{reason} ({disposal.decision_reference})"
        # The asset type's after_save hook journals the move, with this reason.
        save_system_change(
            asset,
            ["status", *(f for f, _s, _t in TRACKED_PLACES)],
            user=user,
            context={"reason": reason},
        )
    elif disposal.state == Disposal.State.PROPOSED and asset.status == Asset.Status.DISPOSED:
        asset.status = Asset.Status.IN_STOCK
        save_system_change(asset, ["status"], user=user)


def close_open_policy_before(policy, user):
    """A new policy starting after the open-ended one in force closes it the day before.

    Adopting a new deliberation is then one record to add, not two to edit.
    """
    if policy.pk or policy.valid_from is None:
        return
    from dpti.assets.models import AccountingPolicy

    open_policy = (
        AccountingPolicy.objects.select_for_update()
        .filter(valid_to__isnull=True, valid_from__lt=policy.valid_from)
        .first()
    )
    if open_policy is not None:
        open_policy.valid_to = policy.valid_from - timedelta(days=1)
        save_system_change(open_policy, ["valid_to"], user=user)
