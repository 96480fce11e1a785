"""Label sheets of assets (QR code, number, name) and the address their QR codes open."""

import base64
import html
import io
import shutil
import subprocess

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from dpti.assets.labels import (
    FORMATS,
    QR_PIXELS_PER_MODULE,
    build_sheets,
    label_url_for,
    make_label,
    qr_image,
)
from dpti.core import roles
from dpti.directory.scoping import person_of
from tests.factories import AssetCategoryFactory, AssetFactory

pytestmark = pytest.mark.django_db
LABELS_URL = "/assets/labels/"


def french(message, **params):
    """The French text of an English source string."""
    with translation.override("fr"):
        text = gettext(message)
    return text % params if params else text


def label_numbers(response):
    """The inventory numbers printed by a PDF response, in their order on the sheets."""
    return [
        slot.label.number for sheet in response.context["sheets"] for slot in sheet if slot.label
    ]


def pdf_text(content):
    """The text of a PDF, read back by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def pdf_info(content):
    """pdfinfo's fields of a PDF (Pages, Page size…)."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    output = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def image_matrix(data_url):
    """The modules drawn by a label's QR image, read back pixel by pixel as rows of 0/1."""
    header, encoded = data_url.split(",", 1)
    assert header == "data:image/png;base64"
    image = Image.open(io.BytesIO(base64.b64decode(encoded))).convert("L")
    module = QR_PIXELS_PER_MODULE
    size = image.width // module
    assert image.width == image.height == size * module
    # The centre pixel of each module: dark (0) is a 1 of the QR matrix.
    return [
        [
            int(image.getpixel((x * module + module // 2, y * module + module // 2)) < 128)
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_labels_pdf_holds_only_the_filtered_assets(manager):
    """The PDF of a filtered list carries the labels of exactly the assets the filters keep."""
    chairs, screens = AssetCategoryFactory(), AssetCategoryFactory()
    kept = [AssetFactory(category=chairs, label=f"Chaise {n}") for n in range(3)]
    other = AssetFactory(category=screens, label="Écran 27 pouces")

    response = manager.get(LABELS_URL, {"category": chairs.pk, "format": "70x37"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert label_numbers(response) == sorted(a.inventory_number for a in kept)
    text = pdf_text(response.content)
    for asset in kept:
        assert asset.inventory_number in text
    assert other.inventory_number not in text
    assert "Congrès de la Nouvelle-Calédonie" in text


def test_requester_gets_labels_only_of_the_assets_he_holds(client_for):
    """A requester's labels are those of the assets he holds, whatever the selection asks."""
    requester = client_for(roles.REQUESTER)
    mine = AssetFactory(holder=person_of(requester.user))
    others = AssetFactory(), AssetFactory()

    response = requester.get(LABELS_URL, {"format": "70x37"})
    by_pk = requester.get(
        LABELS_URL, {"pk": [mine.pk, others[0].pk, others[1].pk], "format": "70x37"}
    )

    assert label_numbers(response) == [mine.inventory_number]
    assert label_numbers(by_pk) == [mine.inventory_number]


def test_labels_of_chosen_assets_by_pk(manager):
    """`pk` parameters (the asset page's Label button) print exactly those assets."""
    first, second, _third = AssetFactory(), AssetFactory(), AssetFactory()

    response = manager.get(LABELS_URL, {"pk": [second.pk, first.pk], "format": "99x38"})

    assert response.status_code == 200
    assert response.context["fmt"] == FORMATS["99x38"]
    assert label_numbers(response) == sorted([first.inventory_number, second.inventory_number])
    one = manager.get(LABELS_URL, {"pk": first.pk})
    assert one.context["count"] == 1
    assert one.context["back_url"] == reverse("assets:asset_detail", args=[first.pk])


def test_label_qr_code_encodes_the_scan_address_of_its_asset(manager, settings):
    """Each label's QR code encodes the site's scan address of its asset, error level M."""
    settings.DPTI = {**settings.DPTI, "SITE_URL": "https://dpti.example.nc/"}
    assets = [AssetFactory(inventory_number=f"2026-{n:06d}") for n in (7, 8)]

    response = manager.get(LABELS_URL, {"pk": [a.pk for a in assets], "format": "70x37"})

    labels = [slot.label for sheet in response.context["sheets"] for slot in sheet]
    for asset, label in zip(assets, labels, strict=True):
        url = label_url_for(asset)
        assert url == f"https://dpti.example.nc/assets/scan/{asset.inventory_number}/"
        assert label.url == url
        expected = segno.make(url, error="m", boost_error=False, micro=False)
        assert expected.error == "M"
        assert image_matrix(label.qr) == [list(row) for row in expected.matrix]
    assert image_matrix(labels[0].qr) != image_matrix(labels[1].qr)


def test_label_layout_keeps_long_numbers_and_names_inside_the_label(db):
    """A long number gets a smaller font to stay on one line; a long name is shortened."""
    fmt = FORMATS["70x37"]
    asset = AssetFactory(
        inventory_number="MOB-2026-INFORMATIQUE-001", label="Chaise de réunion empilable " * 7
    )

    label = make_label(asset, fmt)

    assert label.number_pt < fmt.number_pt
    assert len(label.number) * 0.602 * label.number_pt * 25.4 / 72 <= fmt.text_width
    assert len(label.text) <= 90
    assert label.text.endswith("…")
    assert qr_image(label.url) == label.qr


def test_start_position_leaves_the_first_places_blank(manager):
    """Starting at place N leaves N - 1 blank places, and the labels flow onto a new sheet."""
    assets = [AssetFactory() for _n in range(10)]

    response = manager.get(
        LABELS_URL, {"pk": [a.pk for a in assets], "format": "70x37", "start": 20}
    )

    sheets = response.context["sheets"]
    assert [slot.label for slot in sheets[0][:19]] == [None] * 19
    assert [slot.label.number for slot in sheets[0][19:]] == label_numbers(response)[:5]
    assert len(sheets) == 2
    assert len(sheets[1]) == 5
    # The 20th place of a 3 x 8 sheet is the 2nd column of the 7th row.
    assert (sheets[0][19].left, sheets[0][19].top) == (70, 0.5 + 6 * 37)
    assert (sheets[1][0].left, sheets[1][0].top) == (0, 0.5)
    info = pdf_info(response.content)
    assert int(info["Pages"]) == 2
    assert "595.276 x 841.89 pts (A4)" in info["Page size"]


def pdf_words(content):
    """{word: (xMin, yMin) in points} of the first page, read back by pdftotext -bbox."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    output = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = {}
    for line in output.splitlines():
        if "<word " in line:
            attributes = dict(
                part.split("=", 1) for part in line.split(">")[0].split()[1:] if "=" in part
            )
            word = html.unescape(line.split(">", 1)[1].rsplit("</word", 1)[0])
            words[word] = (
                float(attributes["xMin"].strip('"')),
                float(attributes["yMin"].strip('"')),
            )
    return words


def test_labels_are_drawn_at_their_places_with_their_qr_images(manager):
    """Each label's number is printed at its place's text column (the places are classes of
    the document's style sheet), and each label carries its own QR image."""
    assets = [AssetFactory(inventory_number=f"2026-{n:06d}") for n in range(5)]

    response = manager.get(LABELS_URL, {"pk": [a.pk for a in assets], "format": "70x37"})

    words = pdf_words(response.content)
    mm = 72 / 25.4
    # place 4 (0-based) of a 3 x 8 sheet: column 1, row 1 → left 70 mm, top 0.5 + 37 mm;
    # the number starts after padding 3 + QR 27 + padding 3 = 33 mm, below the top 5 mm.
    x, y = words["2026-000004"]
    assert abs(x - (70 + 33) * mm) < 1
    assert abs(y - (37.5 + 5) * mm) < 3  # the glyphs' box, within the line's leading
    x, _y = words["2026-000000"]
    assert abs(x - 33 * mm) < 1
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    listing = subprocess.run(
        ["pdfimages", "-list", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    images = [line.split() for line in listing.splitlines()[2:]]
    assert len(images) == 5
    # 8-bit grey, 4 pixels per module of a 29-module code (version 3, the scan address)
    qr = segno.make(label_url_for(assets[0]), error="m", boost_error=False, micro=False)
    assert {(row[3], row[4], row[5], row[7]) for row in images} == {
        (str(4 * qr.symbol_size(border=0)[0]),) * 2 + ("gray", "8")
    }


def test_qr_codes_are_kept_by_content_in_the_shared_cache(db, monkeypatch):
    """Once made, a QR code is read from the shared cache: no process makes it again."""
    from dpti.assets import labels

    texts = ["https://dpti.example.nc/assets/scan/2026-000901/", "https://x.nc/scan/2/"]
    labels.qr_png.cache_clear()
    made = labels.qr_pngs(texts)
    labels.qr_png.cache_clear()  # another process: only the shared cache knows them

    def refuse(*args, **kwargs):
        raise AssertionError("the QR code was made again")

    monkeypatch.setattr(labels.segno, "make", refuse)
    assert labels.qr_pngs(texts) == made
    assert labels.qr_image(texts[0]).startswith("data:image/png;base64,")


def test_build_sheets_refuses_a_place_outside_the_sheet(db):
    """The start place must exist on the sheet."""
    with pytest.raises(ValueError, match="between 1 and 14"):
        build_sheets([], FORMATS["99x38"], start=15)


def test_start_beyond_the_sheet_shows_the_form_again(manager):
    """A start place past the sheet's last place is refused with a French message, no PDF."""
    asset = AssetFactory()

    response = manager.get(LABELS_URL, {"pk": asset.pk, "format": "99x38", "start": 20})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert (
        french("This sheet has %(count)d places: choose a place from 1 to %(count)d.", count=14)
        in response.content.decode()
    )


def test_options_page_shows_the_count_and_keeps_the_selection(manager):
    """Without a format, a page shows the selection's size, the formats and keeps the filters."""
    category = AssetCategoryFactory()
    assets = [AssetFactory(category=category, status="in_stock") for _n in range(3)]
    AssetFactory(category=category, status="in_service")

    response = manager.get(LABELS_URL, {"category": category.pk, "status": "in_stock", "page": 2})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["count"] == 3
    page = html.unescape(response.content.decode())
    assert f'<input type="hidden" name="category" value="{category.pk}">' in page
    assert '<input type="hidden" name="status" value="in_stock">' in page
    assert 'name="page"' not in page
    assert 'value="70x37"' in page
    assert 'value="99x38"' in page
    assert french("Generate the PDF") in page
    for asset in assets:
        assert asset.inventory_number in page


def test_too_many_labels_are_refused_with_a_message(manager, settings):
    """Above the configured maximum, a French message asks to narrow the list; no PDF."""
    settings.DPTI = {**settings.DPTI, "LABEL_MAX_COUNT": 2}
    for _n in range(3):
        AssetFactory()

    response = manager.get(LABELS_URL, {"format": "70x37"})
    form_page = manager.get(LABELS_URL)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["message"] == french(
        "%(count)s labels are selected: at most %(max)s can be printed at once. "
        "Narrow the list (by building, room or category) and print it in parts.",
        count="3",
        max="2",
    )
    assert form_page.status_code == 400
    assert "form" not in form_page.context


def test_empty_selection_gets_a_message(manager):
    """A selection without any asset explains what to do instead of printing a blank sheet."""
    AssetFactory(status="in_stock")

    response = manager.get(LABELS_URL, {"status": "lost", "format": "70x37"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert french("No asset is selected: filter the list, then print its labels.") in (
        html.unescape(response.content.decode())
    )


def test_invalid_filter_is_reported_not_ignored(manager):
    """A filter value that cannot be read stops the print instead of printing everything."""
    AssetFactory()

    response = manager.get(LABELS_URL, {"status": "unknown-status", "format": "70x37"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_labels_need_the_right_to_see_assets(client_for):
    """A contractor, who sees no asset, may not open the label page."""
    AssetFactory()

    response = client_for(roles.CONTRACTOR).get(LABELS_URL)

    assert response.status_code == 403


def test_asset_list_print_button_carries_the_filters(manager):
    """The list's Print labels button sends the list's current filters to the label page."""
    category = AssetCategoryFactory()
    AssetFactory(category=category)

    response = manager.get(reverse("assets:asset_list"), {"category": category.pk})

    assert f'href="{LABELS_URL}?category={category.pk}"' in response.content.decode()


def test_scan_opens_the_asset_page(manager):
    """The QR code's address redirects to the asset's page."""
    asset = AssetFactory(inventory_number="2026-000042")

    response = manager.get(label_url_for(asset).split("127.0.0.1:8000", 1)[-1])

    assert response.status_code == 302
    assert response["Location"] == reverse("assets:asset_detail", args=[asset.pk])


def test_scan_of_an_unknown_or_hidden_asset_is_a_french_404(client_for):
    """An unknown number, or one the user may not see, answers 404 with a French message."""
    requester = client_for(roles.REQUESTER)
    hidden = AssetFactory(inventory_number="2026-000099")

    unknown = requester.get(reverse("assets:asset_scan", args=["9999-999999"]))
    not_his = requester.get(reverse("assets:asset_scan", args=[hidden.inventory_number]))

    assert unknown.status_code == 404
    assert french(
        "No asset with inventory number « %(number)s » is visible to you.", number="9999-999999"
    ) in html.unescape(unknown.content.decode())
    assert not_his.status_code == 404
    assert hidden.inventory_number in not_his.content.decode()


def test_scan_asks_to_sign_in_then_comes_back(db):
    """An anonymous scan goes to the sign-in page, which returns to the scanned address."""
    asset = AssetFactory(inventory_number="2026-000100")
    address = reverse("assets:asset_scan", args=[asset.inventory_number])

    response = Client().get(address)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={address}"
