"""Gold documents: where the text each gold file annotates is found, and reading it.

A gold folder's documents are found in two places:

- ``GOLD/docs.json``, a manifest for documents that live outside the repository (the
  corpora in ``../shared/``, which the project may read but not redistribute)::

      {"state-council-2016-review": {
           "path": "../../shared/corpus-extra/state-council-work-report-2016.txt",
           "sha256": "…", "range": [53, 5009]},
       "putuo-finance-bureau-2024-final-accounts": {
           "path": "../../shared/corpus-pdf/putuo-finance-bureau-2024-final-accounts.pdf",
           "sha256": "…"}}

  ``path`` is relative to the folder holding ``docs.json`` (or absolute); ``sha256``
  is that of the file's bytes, so a changed source is caught before it is scored;
  ``range`` (optional) cuts an excerpt ``[start, end)`` out of the file's text as read,
  and every span of the gold file then indexes the excerpt.
- otherwise the docs folder (``GOLD/docs`` or ``--docs``): the file whose name without
  extension is the doc_id.

``locate`` says where a doc_id's text is; ``load`` reads it into a ``Document`` whose
``doc_id`` is the gold file's and whose ``raw`` is the string the gold spans index.
Problems are ``GoldError`` (one line, naming the manifest and what is wrong) or
``IngestError`` (the source cannot be read).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ingest import Document, document_from_text, raw_text, read_bytes

MANIFEST = "docs.json"


class GoldError(ValueError):
    """A gold or prediction file cannot be read; the message is ``path:line: problem``."""


@dataclass(frozen=True)
class GoldDocument:
    """Where one gold document's text comes from."""

    doc_id: str
    path: Path
    sha256: str | None = None
    range: tuple[int, int] | None = None
    manifest: Path | None = None

    @property
    def where(self) -> str:
        """The place a problem with this document is reported against."""
        return str(self.manifest) if self.manifest is not None else str(self.path)


def read_manifest(gold_dir: Path) -> dict[str, GoldDocument]:
    """The documents ``GOLD/docs.json`` names (empty where there is no manifest)."""
    manifest = gold_dir / MANIFEST
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{manifest}: cannot read the manifest: {exc}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{manifest}: must be a JSON object of doc_id -> {{path, sha256}}")
    return {doc_id: _entry(manifest, doc_id, entry) for doc_id, entry in data.items()}


def _entry(manifest: Path, doc_id: str, entry: Any) -> GoldDocument:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise GoldError(f"{manifest}: {doc_id!r} needs a 'path' string")
    sha = entry.get("sha256")
    if sha is not None and not (isinstance(sha, str) and len(sha) == 64):
        raise GoldError(f"{manifest}: {doc_id!r}: 'sha256' must be 64 hex digits")
    cut = entry.get("range")
    span: tuple[int, int] | None = None
    if cut is not None:
        if (
            not isinstance(cut, list)
            or len(cut) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in cut)
            or not 0 <= cut[0] < cut[1]
        ):
            raise GoldError(f"{manifest}: {doc_id!r}: 'range' must be [start, end), start < end")
        span = (cut[0], cut[1])
    path = Path(entry["path"])
    if not path.is_absolute():
        path = manifest.parent / path
    return GoldDocument(doc_id, path, sha, span, manifest)


def locate(gold_dir: Path, docs_dir: Path, doc_id: str) -> GoldDocument | None:
    """Where ``doc_id``'s text is: the manifest first, then the docs folder."""
    found = read_manifest(gold_dir).get(doc_id)
    if found is not None:
        return found
    if not docs_dir.is_dir():
        return None
    matches = sorted(p for p in docs_dir.iterdir() if p.is_file() and p.stem == doc_id)
    return GoldDocument(doc_id, matches[0]) if matches else None


def load_raw(source: GoldDocument) -> str:
    """The text the gold spans index: the file as read, checked and cut as the manifest says."""
    if not source.path.is_file():
        raise GoldError(
            f"{source.where}: {source.doc_id}: source file {source.path} is missing"
            + (" (is ../shared/ beside the repository?)" if source.manifest else "")
        )
    data = read_bytes(source.path)
    if source.sha256 is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256.lower():
            raise GoldError(
                f"{source.where}: {source.doc_id}: sha256 of {source.path} is {digest}, "
                f"the manifest says {source.sha256}: the source changed"
            )
    raw = raw_text(data, source.path)[0]
    if source.range is not None:
        start, end = source.range
        if end > len(raw):
            raise GoldError(
                f"{source.where}: {source.doc_id}: range [{start}, {end}) lies outside "
                f"{source.path} ({len(raw)} characters)"
            )
        raw = raw[start:end]
    return raw


def load(source: GoldDocument) -> Document:
    """The gold document as a ``Document`` to extract from (doc_id from the gold file)."""
    doc = document_from_text(load_raw(source), source.doc_id)
    doc.path = source.path
    return doc
