"""A document view in a real browser: headless Chromium runs its script without errors.

Skipped where Chromium is not installed (``.ci/run`` installs Debian's ``chromium``).
The screenshot is kept in the test's ``tmp_path`` and, when the environment variable
``NLP_PIPELINE_ARTIFACTS`` names a folder, copied there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nlp_pipeline.view import render_document

from .test_view import DOC, RAW, records

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found (install Debian's 'chromium' package; .ci/run does)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--mute-audio",
]


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with ``args``; return its standard output."""
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dom_after(page: Path, tmp_path: Path, script: str) -> str:
    """The page's DOM once ``script`` (a ``<script>…</script>`` put at the end of its body)
    has run in headless Chromium."""
    html = page.read_text(encoding="utf-8").replace("</body>", script + "</body>")
    page.write_text(html, encoding="utf-8")
    return chromium(tmp_path, "--dump-dom", page.as_uri())


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / f"{DOC}.html"
    path.write_text(render_document(RAW, DOC, records(role="spent"), records()), encoding="utf-8")
    return path


def test_page_runs_without_script_errors_and_shows_highlights(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "#q3")
    assert 'data-view-ready="1"' in dom, "the page script did not finish"
    assert 'data-script-errors="0"' in dom
    assert re.search(r'<div id="script-errors" hidden="">\s*</div>', dom)
    assert 'data-highlights="4"' in dom
    assert dom.count('class="q k-') >= 4
    # "#q3" selected the money quantity: marked, and its record in the side panel
    selected = re.search(r'<span class="([^"]*)"[^>]*id="q3"[^>]*>5万元</span>', dom)
    assert selected is not None
    assert {"k-money", "st-attr", "sel"} <= set(selected.group(1).split())
    panel = dom[dom.index('<div id="panel">') : dom.index("<h2>Quantities</h2>")]
    assert "quantity q3" in panel and "spent" in panel and "院士专家进校园活动" in panel
    assert "role: gold 'grant', predicted 'spent'" in panel


def test_clicking_an_event_and_the_error_trap(page: Path, tmp_path: Path) -> None:
    clicks = (
        '<script>document.getElementById("e0").dispatchEvent('
        'new MouseEvent("click", {bubbles: true}));'
        'document.documentElement.setAttribute("data-panel", '
        'document.querySelector("#panel h2").textContent);'
        "noSuchFunction();</script>"
    )
    dom = dom_after(page, tmp_path, clicks)
    assert 'data-panel="event e0"' in dom
    text = dom[dom.index('<pre id="text">') : dom.index("</pre>")]
    related = re.findall(r'<span class="([^"]*)"[^>]*>(10余场|1500余人次|1名|5万元)</span>', text)
    assert len(related) == 4 and all("rel-q" in classes.split() for classes, _ in related)
    # the deliberate error is caught and shown: a script error cannot go unnoticed
    assert 'data-script-errors="1"' in dom
    assert "noSuchFunction" in dom[dom.index('<div id="script-errors"') :]


def test_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "view.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri() + "#q1")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    artifacts = os.environ.get("NLP_PIPELINE_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / "view-browser-test.png")


def test_a_finding_opens_with_its_figures_highlighted(tmp_path: Path) -> None:
    from nlp_pipeline.check import Evidence, Finding

    start = RAW.index("5万元")
    other = RAW.index("1名")
    figures = (Evidence("5万元", start, start + 3), Evidence("1名", other, other + 2))
    finding = Finding(DOC, "sum", "mismatch", 1, 2, "the parts do not add up", figures)
    path = tmp_path / f"{DOC}.html"
    path.write_text(render_document(RAW, DOC, records(), findings=[finding]), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", path.as_uri() + "#f0")
    assert 'data-script-errors="0"' in dom and 'data-findings="1"' in dom
    panel = dom[dom.index('<div id="panel">') : dom.index("<h2>Findings</h2>")]
    assert "finding f0: sum, mismatch" in panel and "the parts do not add up" in panel
    text = dom[dom.index('<pre id="text">') : dom.index("</pre>")]
    marked = re.findall(r'<span class="([^"]*)"[^>]*>(5万元|1名)</span>', text)
    assert len(marked) == 2 and all("sel" in classes.split() for classes, _ in marked)
