"""Stores kept exact by every save and deletion of the records they sum: subscriptions.

A derived store (the register of fixed assets sums every asset's schedule) must follow each
change of its records whatever the path: a form, the API, an import, a service calling
`save()`. The module that owns the store declares what it watches through the registry
(`registry.keep_store`); core connects Django's model signals once for it, and handles what
every store needs alike: saves that touch none of the watched fields, loads of raw rows
(`loaddata`), and the state noted before a write and used after it. Bulk writes
(`bulk_create`, `queryset.update`) send no signal: whoever makes them rebuilds the store.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


@dataclass(frozen=True)
class StoreSubscription:
    """What a store watches of one model and how it follows a write.

    `before(instance, deleting)` runs before the write and returns the state the store needs
    afterwards (the figures the record gave before), or None when the write changes nothing
    for it; `after(instance, state, deleting)` applies the change once the write is done,
    in the same transaction. `loaded()` runs for a raw row (fixtures), which cannot be
    followed row by row. `fields`: a save naming `update_fields` none of which is here
    changes nothing.
    """

    store: str
    model: type
    before: Callable
    after: Callable
    loaded: Callable | None = None
    fields: frozenset | None = None

    @property
    def key(self):
        return f"dpti-store:{self.store}:{self.model._meta.label_lower}"

    def connect(self):
        """Connect the four model signals (once: the dispatch ids are the subscription's)."""
        pre_save.connect(self._before_save, sender=self.model, dispatch_uid=f"{self.key}:ps")
        post_save.connect(self._after_save, sender=self.model, dispatch_uid=f"{self.key}:as")
        pre_delete.connect(self._before_delete, sender=self.model, dispatch_uid=f"{self.key}:pd")
        post_delete.connect(self._after_delete, sender=self.model, dispatch_uid=f"{self.key}:ad")

    def _note(self, instance, state):
        instance.__dict__.setdefault("_store_states", {})[self.key] = state

    def _take(self, instance):
        return instance.__dict__.get("_store_states", {}).pop(self.key, None)

    def _before_save(self, sender, instance, raw=False, update_fields=None, **kwargs):
        untouched = (
            self.fields is not None
            and update_fields is not None
            and self.fields.isdisjoint(update_fields)
        )
        self._note(instance, None if raw or untouched else self.before(instance, False))

    def _after_save(self, sender, instance, raw=False, **kwargs):
        if raw:
            if self.loaded is not None:
                self.loaded()
            return
        state = self._take(instance)
        if state is not None:
            self.after(instance, state, False)

    def _before_delete(self, sender, instance, **kwargs):
        self._note(instance, self.before(instance, True))

    def _after_delete(self, sender, instance, **kwargs):
        state = self._take(instance)
        if state is not None:
            self.after(instance, state, True)
