"""PDF documents (labels, registers, reports) rendered from Django templates by WeasyPrint.

WeasyPrint lays out HTML and CSS with the machine's Pango and fonts: no browser and no
network. Templates extend `core/pdf/base.html`, which sets the A4 page, the institution's
header and the page numbers. Static files (fonts, logo) are read from disk, never fetched.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PDF_MIME = "application/pdf"


def _local_files_only(url, *args, **kwargs):
    """WeasyPrint's URL fetcher limited to the app's static files (a closed network)."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            return default_url_fetcher(f"file://{path}", *args, **kwargs)
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF documents read no external resource: {url}")


def css_string(text):
    """Text safe inside a CSS string of a <style> element (the page footer).

    HTML escaping does not apply there (a style element is raw text): only the backslash, the
    quote and '<' (which could close the element) need escaping, as CSS hexadecimal escapes.
    """
    return "".join(f"\\{ord(char):X} " if char in '\\"<\n' else char for char in str(text))


def render_pdf(template_name, context, request=None):
    """The bytes of a PDF document rendered from a template."""
    from weasyprint import HTML

    institution, directorate = settings.DPTI["INSTITUTION_NAME"], settings.DPTI["DIRECTORATE_NAME"]
    context = {
        "institution": institution,
        "directorate": directorate,
        "page_footer_css": css_string(f"{institution} — {directorate}"),
        "printed_at": timezone.localtime(),
        **context,
    }
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_local_files_only, base_url="static:").write_pdf()


def pdf_response(template_name, context, filename, request=None, inline=True):
    """An HTTP response carrying a PDF (shown in the browser unless `inline` is False)."""
    response = HttpResponse(render_pdf(template_name, context, request), content_type=PDF_MIME)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
