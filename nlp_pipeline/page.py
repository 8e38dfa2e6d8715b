"""Page: the scaffolding every self-contained HTML page of the tool shares (the `view`
pages and the `summarize --html` dashboard): head, the script-error trap the browser tests
read, body and scripts.

A page's own script ends by setting ``data-script-errors`` on the root element from
``window.__pageErrors`` (see ``ERRORS_SEEN``), so a test can tell that it ran and that
nothing before it failed.
"""

from __future__ import annotations

import html

__all__ = ["ERRORS_SEEN", "SCRIPT_ERRORS_CSS", "page"]

# The box the trap fills; each page's CSS includes it.
SCRIPT_ERRORS_CSS = (
    "#script-errors { background: #fee2e2; color: #991b1b; padding: 8px 20px;"
    " white-space: pre-wrap; }\n"
)

_TRAP = """
window.__pageErrors = [];
window.onerror = function (message, source, line) {
  window.__pageErrors.push(String(message) + " (line " + line + ")");
  document.documentElement.setAttribute("data-script-errors",
    String(window.__pageErrors.length));
  var box = document.getElementById("script-errors");
  if (box) { box.textContent = window.__pageErrors.join("\\n"); box.hidden = false; }
};
"""

# The statement a page's script ends with (before saying it is ready).
ERRORS_SEEN = """  document.documentElement.setAttribute("data-script-errors",
    String(window.__pageErrors.length));
"""


def page(title: str, body: str, css: str, script: str = "", body_class: str = "") -> str:
    """A whole page: ``css``, the error trap, ``body``, then ``script``."""
    body_tag = f'<body class="{body_class}">' if body_class else "<body>"
    script_tag = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title, quote=True)}</title>\n<style>{css}</style>\n"
        f"<script>{_TRAP}</script>\n</head>\n{body_tag}\n"
        '<div id="script-errors" hidden></div>\n'
        f"{body}\n{script_tag}\n</body>\n</html>\n"
    )
