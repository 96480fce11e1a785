"""How DPTI drives Debian's Chromium: shared by the browser tests and the screenshot tool."""

import os

# Debian's package; DPTI_CHROMIUM points elsewhere (another distribution, or to try the skip).
CHROMIUM = os.environ.get("DPTI_CHROMIUM", "/usr/bin/chromium")
# No sandbox as root, and no background traffic: a closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
