"""Telling people about their deadlines: the e-mail digest and the iCalendar feed."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from dpti.core.deadline_register import (
    absolute_url,
    decorate,
    feed_deadlines,
    owned_deadlines,
    site_host,
)

logger = logging.getLogger(__name__)


@dataclass
class DigestMessage:
    """One digest: its recipient, its deadlines and the e-mail built for them."""

    user: object
    deadlines: list
    email: EmailMultiAlternatives


@dataclass
class DigestResult:
    """What a digest run did."""

    messages: list = field(default_factory=list)
    sent: int = 0
    failed: int = 0


def digest_recipients(until):
    """Active users with an e-mail address who own an open deadline due by `until`."""
    return (
        get_user_model()
        .objects.filter(is_active=True, deadlines__done=False, deadlines__due_date__lte=until)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def build_digest(user, deadlines, days, today):
    """The e-mail (plain text and HTML) listing a user's deadlines, in the site's language."""
    overdue = [d for d in deadlines if d.is_overdue]
    upcoming = [d for d in deadlines if not d.is_overdue]
    site = settings.DPTI["SHORT_NAME"]
    context = {
        "user": user,
        "overdue": overdue,
        "upcoming": upcoming,
        "days": days,
        "today": today,
        "site_name": site,
        "dpti": settings.DPTI,
        "register_url": absolute_url(reverse("deadlines")) + "?owner=me",
    }
    subject = ngettext(
        "[%(site)s] %(count)s deadline to follow",
        "[%(site)s] %(count)s deadlines to follow",
        len(deadlines),
    ) % {"site": site, "count": len(deadlines)}
    if overdue:
        subject += " " + ngettext("(%(count)s overdue)", "(%(count)s overdue)", len(overdue)) % {
            "count": len(overdue)
        }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("core/emails/deadline_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    email.attach_alternative(
        render_to_string("core/emails/deadline_digest.html", context), "text/html"
    )
    return email


def send_deadline_digests(*, days=30, dry_run=False, today=None):
    """Send each owner one e-mail with his overdue deadlines and those due within `days`.

    Only deadlines the owner may still view are listed; an owner with none gets nothing.
    With `dry_run` the messages are built and returned but not sent.
    """
    today = today or timezone.localdate()
    until = today + timedelta(days=days)
    result = DigestResult()
    with translation.override(settings.LANGUAGE_CODE):
        for user in digest_recipients(until):
            deadlines = decorate(owned_deadlines(user, until=until, today=today), today)
            if not deadlines:
                continue
            message = DigestMessage(user, deadlines, build_digest(user, deadlines, days, today))
            result.messages.append(message)
            if dry_run:
                continue
            try:
                message.email.send()
            except (OSError, ConnectionError) as error:
                # One unreachable mailbox must not stop the others' digests.
                logger.error("Deadline digest to %s failed: %s", user.email, error)
                result.failed += 1
            else:
                result.sent += 1
    return result


def calendar_bytes(user, today=None):
    """The user's personal iCalendar feed: one all-day event per open deadline."""
    today = today or timezone.localdate()
    host = site_host()
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", f"-//{settings.DPTI['SHORT_NAME']}//Deadlines//FR")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add(
            "x-wr-calname",
            _("%(site)s deadlines of %(user)s")
            % {"site": settings.DPTI["SHORT_NAME"], "user": user},
        )
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        for deadline in feed_deadlines(user, today):
            calendar.add_component(deadline_event(deadline, host, stamp))
    return calendar.to_ical()


def deadline_event(deadline, host, stamp):
    """An all-day VEVENT whose UID follows the source object, so it survives a rebuild."""
    event = Event()
    event.add(
        "uid",
        f"deadline-{deadline.content_type_id}-{deadline.object_id}-{deadline.kind}@{host}",
    )
    event.add("dtstamp", stamp)
    event.add("dtstart", deadline.due_date)
    event.add("dtend", deadline.due_date + timedelta(days=1))
    event.add("summary", deadline.title)
    event.add("transp", "TRANSPARENT")
    description = [part for part in (deadline.type_label, deadline.absolute_url) if part]
    if description:
        event.add("description", "\n".join(description))
    if deadline.absolute_url:
        event.add("url", deadline.absolute_url)
    if deadline.domain_label:
        event.add("categories", [str(deadline.domain_label)])
    return event
