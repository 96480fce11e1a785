"""Who the audit trail names as the author of a write.

auditlog's middleware reads `request.user` before the view runs: a session user is known then,
but an API client signing each request with a token is authenticated later, by DRF, so its
writes were recorded without an author. `save_object` and the other core write paths name the
author themselves through `acting_as`, whatever the path (API, form, import, bulk, command).
"""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor


def _same_user(actor, user):
    return actor is not None and getattr(actor, "pk", None) == user.pk


@contextmanager
def acting_as(user):
    """Record the user as the actor of every history entry written inside the block.

    Inside a request the middleware's context (remote address, correlation) is kept and only
    its actor is set; outside any request (a command, a background import) a context is opened
    for the block. Either way the context in force before is restored on exit: auditlog's own
    `set_actor` would leave its inner context behind, and the outer block's later writes would
    lose their author. A missing or anonymous user changes nothing (a system job).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    current = auditlog_value.get(None)
    if current is not None and "signal_duid" in current:
        if _same_user(current.get("actor"), user):
            yield
            return
        token = auditlog_value.set({**current, "actor": user})
        try:
            yield
        finally:
            auditlog_value.reset(token)
        return
    # A placeholder taken only for its token: `set_actor` replaces the value without one.
    token = auditlog_value.set({"signal_duid": None})
    try:
        with set_actor(user):
            yield
    finally:
        auditlog_value.reset(token)
