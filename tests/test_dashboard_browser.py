"""The dashboard in a real browser: table, charts and links, and no script errors.

Skipped where Chromium is not installed (``.ci/run`` installs Debian's ``chromium``).
The screenshot is kept in ``tmp_path`` and, when ``NLP_PIPELINE_ARTIFACTS`` names a
folder, copied there (``docs/img/dashboard.png`` is one).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from nlp_pipeline.dashboard import write_dashboard
from nlp_pipeline.summarize import summarize

from .summary_fixtures import reports
from .test_view_browser import CHROMIUM, chromium, dom_after

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found (install Debian's 'chromium' package; .ci/run does)",
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    table = summarize((r.profile, r.records) for r in reports())
    return write_dashboard(table, tmp_path / "html", tmp_path / "view")


def test_table_charts_and_links_without_script_errors(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert 'data-dashboard-ready="1"' in dom, "the page script did not finish"
    assert 'data-script-errors="0"' in dom
    assert 'data-rows="5"' in dom and 'data-shown="5"' in dom
    rows = re.findall(r'<tr data-genre="[^"]*">', dom)
    assert len(rows) == 5
    links = re.findall(r'<a class="view" href="([^"]+)">', dom)
    assert sorted(links) == sorted(
        f"../view/{d}.html"
        for d in ("jianghan-2023", "jianghan-2024", "putuo-finance-2022", "putuo-finance-2024")
        + ("lusong-2024",)
    )
    for chart in ("chart-spending", "chart-execution", "chart-sangong", "chart-activities"):
        section = dom[dom.index(f'id="{chart}"') :]
        section = section[: section.index("</section>")]
        assert "<svg" in section and section.count('class="bar"') >= 4, chart


def test_sorting_and_filtering(page: Path, tmp_path: Path) -> None:
    actions = (
        "<script>"
        'var th = Array.prototype.find.call(document.querySelectorAll("#reports th"),'
        ' function (t) { return t.textContent === "execution_rate"; });'
        'th.dispatchEvent(new MouseEvent("click", {bubbles: true}));'
        'th.dispatchEvent(new MouseEvent("click", {bubbles: true}));'
        'document.documentElement.setAttribute("data-first",'
        ' document.querySelector("#reports tbody tr td").textContent);'
        'var f = document.getElementById("filter"); f.value = "江汉";'
        'f.dispatchEvent(new Event("input"));'
        "</script>"
    )
    dom = dom_after(page, tmp_path, actions)
    assert 'data-script-errors="0"' in dom
    assert 'data-sorted="execution_rate:-1"' in dom
    assert 'data-first="jianghan-2024"' in dom  # 100 % executed: first when descending
    assert 'data-shown="2"' in dom


def test_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1500,1020", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    artifacts = os.environ.get("NLP_PIPELINE_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / "dashboard.png")
