"""Import spaCy and jieba without the parts of them this tool never uses.

Start-up is a large part of a run on one small file, and most of it is imports:

- spaCy's ``__init__`` imports its whole command-line interface (typer, weasel,
  httpx, rich, jinja2 and more, about 0.3 s) only to re-export ``spacy.info``.
  ``import_spacy`` stands in a small ``spacy.cli`` for that one import and takes
  it away again at once, so ``import spacy.cli`` later loads the real one and
  ``spacy.info`` forwards to it. spaCy itself made the same change upstream
  (explosion/spaCy pull request 12962, "Load the cli module lazily for
  spacy.info"); this does it for the spaCy 3 releases that lack it. Should a
  spaCy release import anything else from ``spacy.cli`` while it loads, the stand-in
  is dropped and spaCy is imported as usual.
- jieba imports ``pkg_resources`` (about 0.2 s) only to open its bundled data
  files, and opens them by path when that import fails; ``import_jieba`` blocks
  that import for that moment only.

Both do nothing when the module is already loaded (something imported it first).
Extraction itself needs no spaCy (``matching``): it is imported, by ``import_spacy``,
only where the spaCy pipeline is asked for (``annotate``), and ``_startup.spacy``
imports it on first use.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, loading spaCy's command-line interface on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> ModuleType:
    """``import spacy`` without loading ``spacy.cli`` (see the module docstring)."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return importlib.import_module("spacy")
    cli = ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that spacy.cli.info can be found under it
    info = ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        spacy = importlib.import_module("spacy")
    except ImportError:
        spacy = None
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy is None:  # this spaCy needs more of its CLI while it loads
        return importlib.import_module("spacy")
    if getattr(spacy, "cli", None) is cli:
        delattr(spacy, "cli")
    return spacy


def import_jieba() -> ModuleType:
    """``import jieba`` without ``pkg_resources`` (see the module docstring)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return importlib.import_module("jieba")
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError on import
    try:
        return importlib.import_module("jieba")
    finally:
        del sys.modules["pkg_resources"]


def __getattr__(name: str) -> Any:
    """``_startup.spacy``: spaCy, imported by ``import_spacy`` on first use."""
    if name == "spacy":
        return import_spacy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
