"""Run: one document through every stage, the one function the CLI, the worker pool
and the Dask engine all call.

``process_document`` takes a ``Document`` (from ingest) and returns its activity
records; ``process_file`` reads a path first and never raises for bad input: it
returns ``(records, None)`` or ``([], "what is wrong")``.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from . import formats
from .ingest import Document, IngestError, read_document
from .limits import FileTimeout, time_limit
from .patterns import PatternError
from .records import extract_document
from .schema import ActivityRecord

__all__ = ["process_document", "process_file"]


def process_document(document: Document) -> list[ActivityRecord]:
    """Every record of one document: segment, annotate, assemble."""
    return extract_document(document)


def process_file(
    path: Path,
    debug: bool = False,
    save_text: Path | None = None,
    timeout: float | None = None,
) -> tuple[list[ActivityRecord], str | None]:
    """Records of one file, or an error message; never raises for bad input.

    With ``save_text``, the raw text the spans index is also written to that folder.
    ``timeout`` (seconds) bounds the file's processing: past it, the file fails.
    """
    try:
        with time_limit(timeout):
            document = read_document(path)
            if save_text is not None:
                formats.save_text(document, save_text)
            return process_document(document), None
    except (IngestError, FileTimeout) as exc:
        return [], str(exc)
    except OSError as exc:
        return [], f"cannot save text to {save_text}: {exc.strerror or exc}"
    except PatternError:
        raise
    except RecursionError:
        return [], "input too deeply nested to process"
    except MemoryError:
        return [], "out of memory while processing this file"
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        if debug:
            traceback.print_exc()
        return [], f"internal error: {type(exc).__name__}: {exc}"
