"""Who the audit trail names as the author of a write.

auditlog's middleware reads `request.user` before the view runs: a session user is known then,
but an API client signing each request with a token is authenticated later, by DRF, so its
writes were recorded without an author. `save_object` and the other core write paths name the
author themselves through `acting_as`, whatever the path (API, form, import, bulk, command).
"""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor

# Marks a context opened by `acting_as`: it is live (its receiver connected) until the block
# ends, when the value before it is restored. The middleware's context gives no such sign: it
# stays in the thread's context after its request, its receiver gone.
OWN = "dpti_acting_as"


@contextmanager
def acting_as(user):
    """Record the user as the actor of every history entry written inside the block.

    The request's remote address is kept. The context in force before is restored on exit:
    auditlog's own `set_actor` leaves its inner context behind, and the outer block's later
    writes would lose their author. A block inside another one for the same user costs
    nothing. A missing or anonymous user changes nothing (a system job).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    current = auditlog_value.get(None) or {}
    actor = current.get("actor")
    if current.get(OWN) and actor is not None and actor.pk == user.pk:
        yield
        return
    # A placeholder taken only for its token: `set_actor` replaces the value without one.
    token = auditlog_value.set({"signal_duid": None})
    try:
        with set_actor(
            user, remote_addr=current.get("remote_addr"), remote_port=current.get("remote_port")
        ):
            auditlog_value.get()[OWN] = True
            yield
    finally:
        auditlog_value.reset(token)
