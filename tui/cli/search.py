"""`llama-reader search`: full-text search from the shell, as plain lines or one JSON object."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from pathlib import Path
from typing import Any

from corpus.text import printable
from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser(
        "search",
        help="search the library (English and Chinese)",
        description='Words are ANDed; OR, -word/NOT, "phrases", prefix*, tag:, '
        "lang:en|zh|bilingual, title:, author:, date:2023, date:2023-07..2024-04.",
    )
    add_common_arguments(p, subcommand=True)
    p.add_argument(
        "query",
        nargs="+",
        help="what to look for: every word must match; a quoted argument of several words is a "
        "phrase",
    )
    p.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only documents with tag T"
    )
    p.add_argument(
        "--lang",
        metavar="L",
        help="only documents in this language: en, zh, bilingual, other, or an ISO 639-1 code",
    )
    p.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N hits (20)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from corpus.library import resolve_library
    from index.library_index import LibraryIndex

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    index_dir = getattr(args, "index_dir", None)
    ix = LibraryIndex(library, Path(index_dir) if index_dir else None)
    if not ix.is_current():
        # A first build under way in another process: answer at once from its last commit.
        building = ix.coverage().partial
        summary = ix.update(wait=0.0 if building else None)
        for message in summary.messages:
            if not (summary.locked and building):  # the partial note below says it
                print(f"llama-reader: {message}", file=sys.stderr)
    query = query_text(args.query)
    results = ix.search(query, tags=args.tag, lang=args.lang, limit=max(args.limit, 0), repair=True)
    for note in results.notes:
        print(f"llama-reader: {note}", file=sys.stderr)
    if results.coverage is not None:
        print(f"llama-reader: {_partial_note(results.coverage)}", file=sys.stderr)
    for part in results.ignored:
        print(f"llama-reader: ignored {printable(repr(part))} in the query", file=sys.stderr)
    if args.json:
        from tui.cli.output import print_json

        print_json(_as_json(results, ix.root))
        return 0 if results.total else 1
    _print_human(results, ix.root)
    return 0 if results.total else 1


_SYNTAX = re.compile(r'["“”()（）*:]|(?:^|\s)(?:OR|NOT|AND|\||&&|\+|-\S)')


def query_text(words: list[str]) -> str:
    """The arguments as one query, as ripgrep users expect: `search open source` finds both words,
    and one argument of several plain words (the shell's quotes, `search "open source"`) is a
    phrase. An argument written in the query language (`"a b" OR c`, `tag:x`) is kept as it is."""
    parts = []
    for word in words:
        several = sum(1 for w in word.split() if any(ch.isalnum() for ch in w)) > 1
        plain = several and not _SYNTAX.search(word)
        parts.append(f'"{word.strip()}"' if plain else word)
    return " ".join(parts)


def source_file(root: Path, rel: str) -> str:
    """A hit's file as a path the shell can open from here (relative when under the current
    folder, like ripgrep's)."""
    path = root / rel
    with contextlib.suppress(ValueError, OSError):
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    return str(path)


def _as_json(results: Any, root: Path) -> dict[str, Any]:
    out = {
        "query": results.query,
        "total": results.total,
        "hits": [
            {
                "id": h.id,
                "path": h.path,
                "title": h.title,
                "row": h.row + 1 if h.lang != "title" else None,
                "lang": h.lang,
                "en": h.en,
                "zh": h.zh,
                "snippet": h.snippet,
                "score": round(h.score, 4),
                "file": str((root / h.file).absolute()),
                "line": h.line,
            }
            for h in results.hits
        ],
        "facets": {"tags": dict(results.tag_facets)},
        "ignored": list(results.ignored),
        "notes": list(results.notes),
    }
    if results.coverage is not None:  # only from a partial index
        c = results.coverage
        out["coverage"] = {
            "partial": True,
            "documents": c.documents,
            "files": c.files,
            "files_total": c.files_total,
        }
    return out


def _partial_note(coverage: Any) -> str:
    of = f" of {coverage.files_total:,}" if coverage.files_total else ""
    return (
        f"the index is partial (a first build is under way or was stopped): these results "
        f"cover {coverage.documents:,} documents, {coverage.files:,}{of} files"
    )


def _print_human(results: Any, root: Path) -> None:
    """Like ripgrep: the document (title and path) once, then a `file:line: row N · snippet` line
    per hit, which `$EDITOR +line file` and editors' quickfix lists can open."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    color = console.is_terminal
    last: str | None = None
    for hit in results.hits:
        if hit.id != last:
            if last is not None:
                console.print()
            head = Text()
            head.append(printable(hit.title), style="bold magenta" if color else "")
            head.append(f"  {printable(hit.path)}", style="dim" if color else "")
            console.print(head)
            last = hit.id
        line = Text()
        where = f"{printable(source_file(root, hit.file))}:{hit.line}:" if hit.line else ""
        line.append(where, style="green" if color else "")
        label = f"row {hit.row + 1} · " if hit.lang != "title" else "title · "
        line.append(f" {label}" if where else label, style="dim" if color else "")
        snippet = Text(hit.snippet)  # document text: control characters removed when read
        if color:
            for start, end in hit.spans:
                snippet.stylize("bold red", start, end)
        line.append_text(snippet)
        console.print(line)
    shown = len(results.hits)
    if results.total == 0:
        tail = "no matches"
        if results.suggestion:
            tail += f"; did you mean: {printable(results.suggestion)}"
        print(tail, file=sys.stderr)
    elif shown < results.total:
        print(f"{shown} of {results.total} matching rows shown (--limit)", file=sys.stderr)
