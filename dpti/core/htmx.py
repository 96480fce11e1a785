"""Pages that answer htmx with a fragment of themselves: which requests get the fragment, and
the headers that keep a browser from ever showing that fragment as the page at its address.

A fragment and its page share one address (htmx pushes it into the address bar). Without
`Vary`, a browser's cache holds one answer per address, and Back/forward after a refresh in
place could replay the bare fragment without the layout; htmx's own history restore asks the
server for the page with `HX-Request` too, and must get the page, not the fragment.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_vary_headers

# The request headers `wants_fragment` reads: answers differ by them.
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")


def wants_fragment(request, target=None):
    """Whether to answer with the fragment: an htmx request (swapping into the element whose id
    is `target`, when given), and not htmx's history restore, which needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def vary_on_htmx(response, fragment=False):
    """Mark an answer that depends on the htmx headers; a fragment is never stored at all."""
    patch_vary_headers(response, VARY_HEADERS)
    if fragment:
        add_never_cache_headers(response)
    return response


def render_page_or_fragment(request, page_template, fragment_template, context, target=None):
    """The page, or its fragment for an htmx request into `target`, with the headers above."""
    fragment = wants_fragment(request, target)
    response = render(request, fragment_template if fragment else page_template, context)
    return vary_on_htmx(response, fragment)
