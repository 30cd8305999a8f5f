"""The Snakemake report seen in a real browser: Debian's Chromium, driven by Playwright (a test
dependency, imported only here). Used by the browser test (tests/workflow/test_workflow.py) and by
``make screenshot``, which keeps one screenshot per release under ``results/screenshots/`` for the
README.

Run: ``python -m netclean_survey.release.report_view results/report.html results/screenshots/netclean-2018.png``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
# What the README's screenshot shows: a table of the release, in place.
SCREENSHOT_ITEM = ("Tables", "2018, English", "In which country do you work?")


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM if (path := shutil.which(name))), None)


def chromium_or_reason() -> tuple[str | None, str]:
    """Chromium's path, installing Debian's package when it is missing and this user may
    (root with apt-get); otherwise None and why not, for a test's skip."""
    found = find_chromium()
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "no chromium on PATH and no apt-get to install Debian's chromium"
    if os.geteuid() != 0:
        return None, "no chromium on PATH; installing Debian's chromium needs root (apt-get install chromium)"
    installed = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], capture_output=True, text=True)
    if installed.returncode != 0:
        last = (installed.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"apt-get install chromium failed: {last}"
    return find_chromium(), ""


def show_item(page, category: str, subcategory: str, label: str):
    """Navigate the report as a reader does (category, subcategory, the item's eye button) and
    return where the item is shown: the frame of an HTML page, or the page itself for an image."""
    page.get_by_text(category, exact=True).first.click()
    page.get_by_text(subcategory, exact=True).first.click()
    page.locator("tr", has_text=label).first.locator("a[iconname=eye]").click()
    page.wait_for_load_state()
    iframe = page.locator("iframe")
    if iframe.count():
        iframe.first.wait_for(state="visible")
        return page.frame_locator("iframe").first
    return page


def open_report(playwright, report: Path, chromium: str):
    browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(Path(report).resolve().as_uri())
    return browser, page


def screenshot(report: Path, out: Path, chromium: str) -> Path:
    """A PNG of the report showing :data:`SCREENSHOT_ITEM`."""
    from playwright.sync_api import sync_playwright

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser, page = open_report(playwright, report, chromium)
        try:
            shown = show_item(page, *SCREENSHOT_ITEM)
            shown.locator("td").first.wait_for(state="visible")
            page.screenshot(path=str(out))
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"error: {args.report}: no report: make it first with `make report`", file=sys.stderr)
        return 1
    chromium, reason = chromium_or_reason()
    if chromium is None:
        print(f"error: cannot take the screenshot: {reason}", file=sys.stderr)
        return 1
    print(screenshot(args.report, args.out, chromium))
    return 0


if __name__ == "__main__":
    sys.exit(main())
