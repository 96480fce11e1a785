"""Reading the register of deadlines (échéancier): who sees what, filters, rows, feeds.

The rows themselves are written by `dpti.core.deadlines` whenever a source object is saved.
A user sees a deadline when he may view its source object: the permission gate `restrict`
is applied per object type, as a subquery, so the register costs the same number of queries
whatever its length.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dpti.core.models import CalendarToken, Deadline
from dpti.core.models.deadlines import new_calendar_secret
from dpti.core.permissions import restrict

# Horizon filter values → number of days ahead (None: no limit); "overdue" is special.
HORIZON_OVERDUE = "overdue"
HORIZON_ALL = "all"
HORIZONS = {
    HORIZON_OVERDUE: _("Overdue only"),
    "7": _("Next 7 days"),
    "30": _("Next 30 days"),
    "90": _("Next 90 days"),
    "365": _("Next 12 months"),
    HORIZON_ALL: _("All dates"),
}
DEFAULT_HORIZON = "90"
OWNER_ME = "me"
OWNER_NONE = "none"
FEED_WINDOW_DAYS = 365


def visible_deadlines(user, queryset=None):
    """The deadlines whose source object the user may view (one query, subqueries inside)."""
    from dpti.core.registry import registry

    queryset = Deadline.objects.all() if queryset is None else queryset
    types = list(registry)
    content_types = ContentType.objects.get_for_models(*[ot.model for ot in types])
    condition = Q()
    allowed_any = False
    for object_type in types:
        base = object_type.model._default_manager.all()
        allowed = restrict(base, user, "view")
        if allowed.query.is_empty():
            continue
        content_type_id = content_types[object_type.model].pk
        if allowed is base:
            # The gate left the queryset untouched: every object of the type is visible.
            condition |= Q(content_type_id=content_type_id)
        else:
            condition |= Q(content_type_id=content_type_id, object_id__in=allowed.values("pk"))
        allowed_any = True
    return queryset.filter(condition) if allowed_any else queryset.none()


def overdue_first(queryset, today=None):
    """Order a deadline queryset: overdue and not done first, then by due date."""
    today = today or timezone.localdate()
    rank = Case(
        When(done=False, due_date__lt=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(overdue_rank=rank).order_by("overdue_rank", "due_date", "title", "pk")


def filter_register(
    queryset,
    *,
    user,
    domain="",
    owner="",
    horizon=DEFAULT_HORIZON,
    include_done=False,
    today=None,
):
    """Apply the register's filters to a deadline queryset.

    `owner` is "" (everyone), "me", "none" (no owner) or a user id; `horizon` a key of
    HORIZONS: the overdue deadlines are part of every horizon.
    """
    today = today or timezone.localdate()
    if domain:
        queryset = queryset.filter(domain=domain)
    if owner == OWNER_ME:
        queryset = queryset.filter(owner=user)
    elif owner == OWNER_NONE:
        queryset = queryset.filter(owner__isnull=True)
    elif owner:
        queryset = queryset.filter(owner_id=owner)
    if horizon == HORIZON_OVERDUE:
        queryset = queryset.filter(done=False, due_date__lt=today)
    elif horizon != HORIZON_ALL:
        queryset = queryset.filter(due_date__lte=today + timedelta(days=int(horizon)))
    if not include_done:
        queryset = queryset.filter(done=False)
    return queryset


def domain_labels():
    """{domain slug: label} of the registered navigation domains."""
    from dpti.core.registry import registry

    return {domain.slug: domain.label for domain in registry.domains()}


def source_of(deadline):
    """(object type or None, detail path) of a deadline's source, without a query."""
    from dpti.core.registry import registry

    model = ContentType.objects.get_for_id(deadline.content_type_id).model_class()
    if model is None or model not in registry:
        return None, ""
    object_type = registry.get(model)
    return object_type, reverse(object_type.url_name("detail"), args=[deadline.object_id])


def decorate(deadlines, today=None):
    """Add what a page, a mail or a feed shows to each deadline: link, type, lateness."""
    today = today or timezone.localdate()
    labels = domain_labels()
    rows = list(deadlines)
    for deadline in rows:
        object_type, path = source_of(deadline)
        deadline.path = path
        deadline.absolute_url = absolute_url(path) if path else ""
        deadline.type_label = capfirst(str(object_type.verbose_name)) if object_type else ""
        deadline.domain_label = labels.get(deadline.domain, deadline.domain)
        deadline.is_overdue = not deadline.done and deadline.due_date < today
        deadline.days_late = (today - deadline.due_date).days if deadline.is_overdue else 0
        deadline.days_left = (deadline.due_date - today).days
    return rows


def absolute_url(path):
    """A full address for e-mails and calendar feeds, from settings.DPTI["SITE_URL"]."""
    return settings.DPTI["SITE_URL"].rstrip("/") + path


def site_host():
    """The host name of SITE_URL, used to make calendar UIDs globally unique."""
    from urllib.parse import urlsplit

    return urlsplit(settings.DPTI["SITE_URL"]).hostname or "dpti"


def owned_deadlines(user, *, until, today=None):
    """The user's own open deadlines due on or before `until`, visible to him, overdue first."""
    queryset = visible_deadlines(user).filter(owner=user, done=False, due_date__lte=until)
    return overdue_first(queryset.select_related("owner"), today)


# Calendar feed tokens ------------------------------------------------------------------------
def calendar_token(user):
    """The user's calendar feed token, or None."""
    return CalendarToken.objects.filter(user=user).first()


@transaction.atomic
def renew_calendar_token(user):
    """Create the user's feed secret, or replace it: the previous address stops working."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.secret = new_calendar_secret()
        token.save(update_fields=["secret"])
    return token


def revoke_calendar_token(user):
    """Delete the user's feed secret: his calendar address stops working."""
    CalendarToken.objects.filter(user=user).delete()


def feed_url(token):
    """The absolute address of a calendar feed."""
    return absolute_url(reverse("deadline_calendar_feed", args=[token.secret]))


def user_for_feed(secret):
    """The active user owning the secret, or None (unknown secret or inactive account)."""
    token = CalendarToken.objects.select_related("user").filter(secret=secret).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


def feed_deadlines(user, today=None):
    """What a personal feed holds: the user's open deadlines, from a year ago to a year ahead."""
    today = today or timezone.localdate()
    window = timedelta(days=FEED_WINDOW_DAYS)
    queryset = owned_deadlines(user, until=today + window, today=today)
    return decorate(queryset.filter(due_date__gte=today - window), today)


@dataclass
class RefreshResult:
    """What a rebuild of the register did."""

    objects: int
    before: int
    after: int
    removed_orphans: int


def refresh_all_deadlines():
    """Rebuild every deadline row from the registry's declarations; drop orphan rows."""
    from dpti.core.deadlines import sync_object_deadlines
    from dpti.core.registry import ObjectType, registry

    before = Deadline.objects.count()
    objects = removed = 0
    kept_types = []
    for object_type in registry:
        model = object_type.model
        content_type = ContentType.objects.get_for_model(model)
        if type(object_type).deadlines is ObjectType.deadlines:
            continue  # the type declares no deadline: its rows, if any, are orphans
        kept_types.append(content_type.pk)
        with transaction.atomic():
            for obj in model._default_manager.order_by("pk").iterator(chunk_size=500):
                sync_object_deadlines(obj)
                objects += 1
            # Rows of objects deleted without going through the services.
            deleted, _details = (
                Deadline.objects.filter(content_type=content_type)
                .exclude(object_id__in=model._default_manager.values("pk"))
                .delete()
            )
            removed += deleted
    deleted, _details = Deadline.objects.exclude(content_type_id__in=kept_types).delete()
    removed += deleted
    after = Deadline.objects.count()
    return RefreshResult(objects, before, after, removed)
