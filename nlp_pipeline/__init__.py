"""nlp_pipeline: grounded activity records from Chinese government work reports.

The public API::

    from nlp_pipeline import extract_text, extract_file, to_dataframe

    records = extract_file("report.txt")        # list[ActivityRecord]
    records = extract_text(text, "my-doc")      # the same for text in memory
    frame = to_dataframe(records)               # one row per quantity (pandas)

Each record follows SCHEMA.md; ``record.to_dict()`` is its JSON form.
"""

from __future__ import annotations

from pathlib import Path

from .ingest import IngestError, document_from_text, read_document
from .io import to_dataframe
from .records import extract_document
from .schema import ActivityRecord, DateMention, Event, Mention, Quantity

__all__ = [
    "ActivityRecord",
    "DateMention",
    "Event",
    "IngestError",
    "Mention",
    "Quantity",
    "extract_file",
    "extract_text",
    "to_dataframe",
]
__version__ = "0.1.0"


def extract_text(text: str, doc_id: str = "document") -> list[ActivityRecord]:
    """Activity records of a text already in memory; spans index ``text``."""
    return extract_document(document_from_text(text, doc_id))


def extract_file(path: str | Path) -> list[ActivityRecord]:
    """Activity records of one file; raises ``IngestError`` for unusable input."""
    return extract_document(read_document(path))
