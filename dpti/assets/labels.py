"""Sheets of adhesive labels for assets: a QR code that opens the asset, its number, its name.

The builder only computes what goes where (pages, positions in millimetres, the QR code of each
label); the template `assets/pdf/labels.html` draws it and WeasyPrint makes the PDF. Positions
are absolute so that the print lands on the pre-cut labels of the sheet whatever the content.
"""

import base64
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dpti.core.pdf import render_pdf

# Refused above this many labels in one PDF (DPTI["LABEL_MAX_COUNT"] overrides it): a
# larger batch takes minutes in the web request; print it in several selections.
DEFAULT_MAX_COUNT = 3000
# A label's name is cut to about two lines; the template clips the rest exactly.
LABEL_TEXT_MAX_CHARS = 90
QR_ERROR_LEVEL = "m"  # 15 % of the code may be scratched and still read
QR_PIXELS_PER_MODULE = 4
# QR codes are kept in the shared cache by content: a code depends only on its text, and
# choosing its best mask is most of a label's cost (5 ms each, 2.5 s for 500 labels).
QR_CACHE_SECONDS = 90 * 24 * 3600
MONO_ADVANCE = 0.602  # width of a DejaVu Sans Mono glyph, in em
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class LabelFormat:
    """One kind of A4 sheet of pre-cut labels; every length in millimetres."""

    key: str
    name: str
    columns: int
    rows: int
    width: float
    height: float
    left: float  # from the sheet's left edge to the first column
    top: float  # from the sheet's top edge to the first row
    column_gap: float = 0
    row_gap: float = 0
    padding: float = 3  # inside a label, kept blank: the print may shift by a millimetre
    qr_size: float = 27
    number_pt: float = 14  # the largest size; long numbers get smaller to fit the line
    text_pt: float = 8.5
    small_pt: float = 6

    @property
    def per_sheet(self):
        return self.columns * self.rows

    def position(self, index):
        """(left, top) of the index-th label of a sheet (0-based), filled row by row."""
        row, column = divmod(index, self.columns)
        return (
            round(self.left + column * (self.width + self.column_gap), 2),
            round(self.top + row * (self.height + self.row_gap), 2),
        )

    @property
    def text_left(self):
        """Where the text column starts: after the QR code and its quiet zone."""
        return round(self.padding + self.qr_size + self.padding, 2)

    @property
    def text_width(self):
        return round(self.width - self.text_left - self.padding, 2)

    @property
    def qr_top(self):
        return round((self.height - self.qr_size) / 2, 2)


FORMATS = {
    fmt.key: fmt
    for fmt in (
        # The common 24-per-sheet label (70 x 37 mm, 3 x 8, no side margin, 0.5 mm top).
        LabelFormat(
            key="70x37",
            name=_("70 x 37 mm — 24 labels per sheet (3 x 8)"),
            columns=3,
            rows=8,
            width=70,
            height=37,
            left=0,
            top=0.5,
        ),
        # The 14-per-sheet label (99.1 x 38.1 mm, 2 x 7, gutter 2.5 mm), larger for furniture.
        LabelFormat(
            key="99x38",
            name=_("99.1 x 38.1 mm — 14 labels per sheet (2 x 7)"),
            columns=2,
            rows=7,
            width=99.1,
            height=38.1,
            left=4.65,
            top=15.15,
            column_gap=2.5,
            padding=4,
            qr_size=30,
            number_pt=18,
            text_pt=10,
            small_pt=7,
        ),
    )
}
DEFAULT_FORMAT = "70x37"


def max_label_count():
    """The largest number of labels printed at once (setting DPTI["LABEL_MAX_COUNT"])."""
    return int(settings.DPTI.get("LABEL_MAX_COUNT", DEFAULT_MAX_COUNT))


@lru_cache(maxsize=4096)
def qr_png(data):
    """The QR code of a text, as a black and white PNG (4 pixels per module, no border).

    A bitmap rather than SVG: WeasyPrint draws a thousand SVG paths three times slower. The
    template scales it without smoothing, so the print stays sharp at any size. 8-bit grey
    rather than 1-bit: WeasyPrint would convert a 1-bit image to colour and encode it again.
    Cached in the process: the same labels are often printed again.
    """
    from PIL import Image

    code = segno.make(data, error=QR_ERROR_LEVEL, boost_error=False, micro=False)
    size = len(code.matrix)
    dark = bytes(0 if module else 255 for row in code.matrix for module in row)
    image = Image.frombytes("L", (size, size), dark)
    scaled = size * QR_PIXELS_PER_MODULE
    image = image.resize((scaled, scaled), Image.Resampling.NEAREST)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def qr_cache_key(data):
    digest = hashlib.sha256(data.encode()).hexdigest()
    return f"assets:label-qr:{QR_ERROR_LEVEL}:{QR_PIXELS_PER_MODULE}:{digest}"


def qr_pngs(texts):
    """{text: PNG of its QR code} for many texts: read from the shared cache in one call, the
    missing ones made and stored."""
    keys = {text: qr_cache_key(text) for text in texts}
    found = cache.get_many(list(keys.values()))
    made = {key: qr_png(text) for text, key in keys.items() if key not in found}
    if made:
        cache.set_many(made, timeout=QR_CACHE_SECONDS)
    return {text: found.get(key) or made[key] for text, key in keys.items()}


def png_data_url(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_image(data):
    """The QR code of a text, as a data: URL of its PNG."""
    return png_data_url(qr_pngs([data])[data])


def number_size(number, label_format):
    """The font size (pt) that writes an inventory number on one line of the text column.

    A monospace glyph is 0.602 em wide: a 25-character number gets a smaller size than the
    usual 11-character one, never less than 6 pt.
    """
    fitting = label_format.text_width / (max(len(number), 1) * MONO_ADVANCE * MM_PER_PT)
    return max(6.0, min(label_format.number_pt, int(fitting * 10) / 10))


def shorten(text, limit=LABEL_TEXT_MAX_CHARS):
    """The text cut at a word boundary before `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


@dataclass(frozen=True)
class Label:
    """What one label shows; `url` is exactly what its QR code encodes."""

    number: str
    text: str
    url: str
    png: bytes  # the QR code image
    number_pt: float

    @property
    def qr(self):
        """The QR code image as a data: URL."""
        return png_data_url(self.png)


@dataclass(frozen=True)
class Slot:
    """A place on a sheet and its label (None when left blank)."""

    left: float
    top: float
    label: Label | None


def make_label(asset, label_format, png=None):
    """The label of one asset (`png`: its QR code, when already made)."""

    url = label_url_for(asset)
    return Label(
        number=asset.inventory_number,
        text=shorten(asset.label),
        url=url,
        png=png or qr_pngs([url])[url],
        number_pt=number_size(asset.inventory_number, label_format),
    )


def build_sheets(assets, label_format, start=1):
    """The sheets of labels for the assets, in order, the first `start - 1` places left blank.

    `start` lets a partly used sheet go through the printer again. Returns a list of sheets,
    each a list of the Slot objects that carry a label or are blank before the first one.
    """
    if not 1 <= start <= label_format.per_sheet:
        raise ValueError(f"start must be between 1 and {label_format.per_sheet}")

    assets = list(assets)
    pngs = qr_pngs([label_url_for(asset) for asset in assets])
    slots = [None] * (start - 1) + [
        make_label(asset, label_format, pngs[label_url_for(asset)]) for asset in assets
    ]
    sheets = []
    for first in range(0, len(slots), label_format.per_sheet):
        chunk = slots[first : first + label_format.per_sheet]
        sheets.append(
            [Slot(*label_format.position(index), label) for index, label in enumerate(chunk)]
        )
    return sheets


def render_labels_pdf(sheets, label_format, outline=False, request=None):
    """The PDF bytes of label sheets.

    The QR images are handed to WeasyPrint as `resource:qr-<sheet>-<place>` (core's fetcher
    reads nothing remote), the places of a sheet are classes of the style sheet rather than
    a style attribute per label: half of WeasyPrint's work for 500 labels (CPU 3.6 → 2.0 s
    under load), the document being the same.
    """
    resources = {
        f"qr-{sheet_index}-{place}": (slot.label.png, "image/png")
        for sheet_index, sheet in enumerate(sheets)
        for place, slot in enumerate(sheet)
        if slot.label
    }
    context = {
        "sheets": sheets,
        "fmt": label_format,
        "outline": outline,
        "positions": [label_format.position(i) for i in range(label_format.per_sheet)],
    }
    return render_pdf("assets/pdf/labels.html", context, request=request, resources=resources)


def label_url_for(asset):
    """The address a label's QR code carries: scanning it opens the asset's page."""
    return settings.DPTI["SITE_URL"].rstrip("/") + reverse(
        "assets:asset_scan", args=[asset.inventory_number]
    )
