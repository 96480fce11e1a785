"""Full-page screenshots of a running DPTI, on a desktop and a phone screen, for UI reviews.

The script starts nothing: point it at a running server, give an account, and list pages.
Each page is a "shot" written  NAME=PATH|STEP|STEP...  (NAME and steps are optional):

  /directory/people/                                  the people list
  detail=/directory/people/|follow:#object-table tbody td a   the first person of the list
  history=/directory/people/|follow:#object-table tbody td a|click:a[href="#tab-history"]
  errors=/directory/people/add/|fill:#id_email=bad|click:main form button[type=submit]
  menu=/|menu                                         the sidebar menu opened on a phone

Steps: follow:<css> opens the link of the first matching element; click:<css> clicks it;
fill:<css>=<text> types into a field (the text follows the last "=");
upload:<css>=<file> picks a file for a file input;
menu opens the collapsed sidebar (phone only); wait:<ms> pauses.
Without shots, the foundation's review set (SHOTS below) is taken.

    .venv/bin/python scripts/screenshots.py --username admin --password demo-dpti-2026
    .venv/bin/python scripts/screenshots.py -u admin -p ... /directory/companies/ "x=/|menu"

Files are screenshots/<name>-<viewport>.png; JavaScript errors and HTTP errors are listed.
Chromium is Debian's (/usr/bin/chromium), as in the browser tests.
"""

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Run as a plain script from the repository: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dpti.core.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS

OUTPUT = Path(__file__).resolve().parent.parent / "screenshots"
FIRST_ROW_LINK = "#object-table tbody td a"
SHOTS = [
    "home=/",
    "menu=/|menu",
    "people=/directory/people/",
    f"person-details=/directory/people/|follow:{FIRST_ROW_LINK}",
    f'person-history=/directory/people/|follow:{FIRST_ROW_LINK}|click:a[href="#tab-history"]',
    f'person-files=/directory/people/|follow:{FIRST_ROW_LINK}|click:a[href="#tab-files"]',
    f"person-edit-errors=/directory/people/|follow:{FIRST_ROW_LINK}"
    "|follow:.page-header a[href$='/edit/']"
    "|fill:#id_email=not-an-address|fill:#id_phone=abc|click:main form button[type=submit]",
    "columns-modal=/directory/people/|click:[data-bs-target='#columns-modal']|wait:400",
    "companies=/directory/companies/",
    f"unit-detail=/directory/units/?q=SIT|follow:{FIRST_ROW_LINK}",
    f"unit-delete-refused=/directory/units/?q=SIT|follow:{FIRST_ROW_LINK}"
    "|follow:.page-header a[href$='/delete/']",
    "search=/recherche/?q=mar",
    "import=/directory/people/import/",
]


@dataclass
class Shot:
    """One screenshot: a file name, the path to open and the steps to play before shooting."""

    name: str
    path: str
    steps: list = field(default_factory=list)

    @classmethod
    def parse(cls, spec):
        """Read 'NAME=PATH|STEP|STEP'; the name defaults to the path made file-safe."""
        head, *steps = spec.split("|")
        name, _, path = head.partition("=") if "=" in head.split("?")[0] else ("", "", head)
        if not name:
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        return cls(name=name, path=path, steps=steps)


def play(page, base_url, step, viewport_name):
    """Play one step of a shot on the page."""
    verb, _, argument = step.partition(":")
    if verb == "follow":
        href = page.locator(argument).first.get_attribute("href")
        if not href:
            raise RuntimeError(f"no link matches {argument!r} on {page.url}")
        page.goto(href if href.startswith("http") else f"{base_url}{href}")
    elif verb == "click":
        page.locator(argument).first.click()
        page.wait_for_load_state("networkidle")
    elif verb == "fill":
        selector, _, text = argument.rpartition("=")  # selectors hold "=" more often
        page.locator(selector).first.fill(text)
    elif verb == "upload":
        selector, _, file_path = argument.rpartition("=")
        page.locator(selector).first.set_input_files(file_path)
    elif verb == "menu":
        toggler = page.locator(".navbar-toggler").first
        if viewport_name == "phone" and toggler.is_visible():
            toggler.click()
            page.locator("#sidebar-menu.show").wait_for()
    elif verb == "wait":
        page.wait_for_timeout(int(argument or 300))
    else:
        raise RuntimeError(f"unknown step {step!r}")


def sign_in(page, base_url, username, password, shot_name):
    """Sign in through the login page, shooting it first; stop if the account is refused."""
    page.goto(f"{base_url}/connexion/")
    page.screenshot(path=shot_name, full_page=True)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/connexion/" in page.url:
        sys.exit(f"Sign-in refused for {username!r} on {base_url}: check the account.")


def take(browser, args, viewport_name, shots):
    """Every shot on one viewport, in one signed-in browser context; returns the problems."""
    problems = []
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name], locale="fr-FR", timezone_id="Pacific/Noumea"
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))

    def note_http_error(response):
        # The edit form with errors answers 422 on purpose; a missing favicon is harmless.
        if response.status >= 400 and response.status != 422 and "favicon" not in response.url:
            problems.append(f"HTTP {response.status} {response.url}")

    page.on("response", note_http_error)
    sign_in(
        page,
        args.base_url,
        args.username,
        args.password,
        args.output / f"login-{viewport_name}.png",
    )
    for shot in shots:
        target = args.output / f"{shot.name}-{viewport_name}.png"
        try:
            page.goto(f"{args.base_url}{shot.path}")
            for step in shot.steps:
                play(page, args.base_url, step, viewport_name)
            page.screenshot(path=target, full_page=True)
            sys.stdout.write(f"  {target.relative_to(args.output.parent)}\n")
        except (PlaywrightError, RuntimeError, OSError) as problem:
            problems.append(f"{shot.name} ({viewport_name}): {problem}")
    context.close()
    return problems


def main(argv=None):
    """Parse the arguments, shoot every page on every viewport, list the problems seen."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shots", nargs="*", help="NAME=PATH|STEP... (default: the review set)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8100")
    parser.add_argument("-u", "--username", default="admin")
    parser.add_argument("-p", "--password", default="demo-dpti-2026")
    parser.add_argument("--viewport", choices=[*VIEWPORTS, "all"], default="all")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    args.base_url = args.base_url.rstrip("/")
    args.output = args.output.resolve()
    args.output.mkdir(parents=True, exist_ok=True)
    shots = [Shot.parse(spec) for spec in (args.shots or SHOTS)]
    viewports = list(VIEWPORTS) if args.viewport == "all" else [args.viewport]
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport_name in viewports:
            sys.stdout.write(f"{viewport_name}:\n")
            problems += take(browser, args, viewport_name, shots)
        browser.close()
    for problem in problems:
        sys.stderr.write(f"! {problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
