"""The apps' layout rules that no linter checks: menus come from the declarations."""

import json
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from dpti.core.registry import registry

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: the test process has long imported every view through the URLs.
MENU_AT_START_UP = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "dpti.test_settings"
import django
django.setup()
from dpti.core.registry import registry
views = sorted(name for name in sys.modules if ".views" in name and name.startswith("dpti."))
print(json.dumps({"links": [link["url_name"] for link in registry.menu_links()], "views": views}))
"""


def test_menu_links_are_declared_before_any_view_is_imported():
    """Every menu link exists once the apps are ready, without importing a views module."""
    result = subprocess.run(
        [sys.executable, "-c", MENU_AT_START_UP],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    at_start_up = json.loads(result.stdout.strip().splitlines()[-1])
    assert at_start_up["views"] == []
    assert "procurement:spending" in at_start_up["links"]
    assert sorted(at_start_up["links"]) == sorted(
        link["url_name"] for link in registry.menu_links()
    )


def test_every_menu_link_resolves():
    """A declared menu link names a URL that exists."""
    for link in registry.menu_links():
        assert reverse(link["url_name"]).startswith("/")
