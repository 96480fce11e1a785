"""PDF documents (labels, registers, reports) rendered from Django templates by WeasyPrint.

WeasyPrint lays out HTML and CSS with the machine's Pango and fonts: no browser and no
network. Templates extend `core/pdf/base.html`, which sets the A4 page, the institution's
header and the page numbers. Static files (fonts, logo) are read from disk, never fetched.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PDF_MIME = "application/pdf"


RESOURCE_SCHEME = "resource:"


def local_files_fetcher(resources=None):
    """WeasyPrint's URL fetcher limited to data: URLs and the app's static files.

    The application runs on a closed network: a document never fetches anything remote. A
    `static:<path>` URL (the base URL of every document) resolves through the static finders.
    `resources` maps the names of `resource:<name>` URLs to (bytes, MIME type): images made
    for the document (QR codes), given to WeasyPrint as they are rather than as data: URLs
    that the HTML parser reads and urllib decodes again, image by image.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    resources = resources or {}

    class LocalFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(RESOURCE_SCHEME):
                name = url.removeprefix(RESOURCE_SCHEME)
                if name not in resources:
                    raise ValueError(f"No resource {url}")
                body, mime_type = resources[name]
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
            if url.startswith("static:"):
                try:
                    path = finders.find(url.removeprefix("static:").lstrip("/"))
                except SuspiciousFileOperation:  # a path climbing out of the static folders
                    path = None
                if not path:
                    raise ValueError(f"No static file {url}")
                return super().fetch(Path(path).as_uri(), headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDF documents read no external resource: {url}")

    return LocalFilesFetcher(allowed_protocols={"data", "file"})


def css_string(text):
    """Text safe inside a CSS string of a <style> element (the page footer).

    HTML escaping does not apply there (a style element is raw text): only the backslash, the
    quote and '<' (which could close the element) need escaping, as CSS hexadecimal escapes.
    """
    return "".join(f"\\{ord(char):X} " if char in '\\"<\n' else char for char in str(text))


def render_pdf(template_name, context, request=None, resources=None):
    """The bytes of a PDF document rendered from a template (`resources`: see
    local_files_fetcher)."""
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
    fetcher = local_files_fetcher(resources)
    return HTML(string=html, url_fetcher=fetcher, base_url="static:").write_pdf()


def pdf_response(template_name, context, filename, request=None, inline=True):
    """An HTTP response carrying a PDF (shown in the browser unless `inline` is False)."""
    response = HttpResponse(render_pdf(template_name, context, request), content_type=PDF_MIME)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
