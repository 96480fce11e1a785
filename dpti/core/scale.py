"""Scale data: each app's `scale.seed(size=…, stdout=…)` fills the database in bulk.

Sizes are named; a module reads its own numbers from SIZES. Data are deterministic (fixed seeds)
so that two benchmark runs measure the same database.
"""

from dpti.core.registry import domain_app_modules

SIZES = ("tiny", "small", "medium", "large")


def scale_modules():
    """The `scale` modules of the domain apps, in app order."""
    return domain_app_modules("scale")


def batched(iterable, size):
    """Lists of at most `size` items, for bulk inserts that keep memory flat."""
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Progress:
    """A one-line progress report on the command line."""

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total, self.done, self.shown = stdout, label, total, 0, -1

    def advance(self, count):
        self.done += count
        percent = 100 * self.done // max(self.total, 1)
        if percent // 10 != self.shown // 10 or self.done == self.total:
            self.shown = percent
            self.stdout.write(f"  {self.label}: {self.done:,}/{self.total:,} ({percent} %)")


def page_url(name, params):
    """A bench page's address: URL name with positional arguments (a list of values) or a
    query (a dict or a list of (key, value) pairs)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    if isinstance(params, list) and params and not isinstance(params[0], tuple):
        return reverse(name, args=params)
    return reverse(name) + ("?" + urlencode(params) if params else "")


def answering_pages(client, candidates, probe=None):
    """[(label, url, row count)] of the candidate pages that answer 200 (each tried once).

    `candidates` are (label, URL name, params, row count); a page not built yet (no URL) or
    refusing is left out. `probe(name, params)` may give a cheaper address to try first.
    """
    from django.urls import NoReverseMatch

    found = []
    for label, name, params, count in candidates:
        try:
            url = page_url(name, params)
            trial = probe(name, params) if probe else url
        except NoReverseMatch:
            continue
        if client.get(trial).status_code == 200:
            found.append((label, url, count))
    return found
