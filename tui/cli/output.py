"""Shared output helpers: the JSON shape of a document, and finding the document a user named."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from corpus.coverage import coverage
from corpus.errors import LibraryError
from corpus.model import Document
from corpus.text import clean

_SURROGATE = re.compile("[\ud800-\udfff]")


def doc_fields(doc: Document) -> dict[str, Any]:
    """The document fields of the stable `--json` contract (without its rows)."""
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "title_alt": doc.title_alt,
        "date": doc.date,
        "tags": list(doc.tags),
        "author": doc.author,
        "source": doc.source,
        "lang": doc.lang,
        "rows": len(doc.rows),
        "warnings": list(doc.warnings),
        "files": list(doc.files),
        "coverage": round(coverage(doc), 4),
    }


def print_json(value: object) -> None:
    """One JSON value, valid UTF-8 whatever it holds: a file name's undecodable bytes (lone
    surrogates) become U+FFFD."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    sys.stdout.write(_SURROGATE.sub("\ufffd", text) + "\n")


def find_document(documents: list[Document], name: str, root: Path) -> Document:
    """A document by id, by path (relative to the library, or absolute inside it), or by a
    title prefix that only one document has."""
    for doc in documents:
        if name == doc.id:
            return doc
    wanted = name.replace("\\", "/").removeprefix("./")
    candidate = Path(name).expanduser()
    if candidate.is_absolute():
        with contextlib.suppress(ValueError):
            wanted = candidate.resolve().relative_to(root.resolve()).as_posix()
    for doc in documents:
        if wanted == doc.path or wanted in doc.files:
            return doc
    key = name.casefold().strip()
    matches = [
        d
        for d in documents
        if d.title.casefold().startswith(key) or (d.title_alt or "").casefold().startswith(key)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LibraryError(f"no document matches {name!r} (try `llama-reader docs`)")
    listed = "\n".join(f"  {d.id}  {d.title}" for d in matches[:10])
    raise LibraryError(f"{len(matches)} documents match {name!r}; name one by id:\n{listed}")


def terminal_safe(text: str) -> str:
    """Text from a file or the user, fit to print on a terminal: no escape sequences."""
    return clean(text)


def write_output(path: Path, text: str, library: Path | None) -> None:
    """Write an export the user asked for; never inside the library, which is only read."""
    target = path.expanduser().resolve()
    root = library.resolve() if library is not None else None
    if root is not None and (target == root or root in target.parents):
        raise LibraryError(f"will not write inside the library ({root}): choose another path")
    try:
        target.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from exc
