"""Split a document into its metadata block and body, recovering what it can from broken blocks.

Real clippers write YAML that no parser accepts (`key:"value"` with no space, see seed 003). A
document is never rejected for that: the valid fields are recovered line by line, the whole body is
kept, and the document carries a warning saying what was guessed.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Literal

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

FrontFormat = Literal["yaml", "toml", "json"]

_YAML_FENCE = re.compile(r"^---[ \t]*$")
_YAML_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(.*)$")
_TOML_KEY = re.compile(r"^([A-Za-z_][\w.-]*|\"[^\"]+\")[ \t]*=(.*)$")
_TOML_TABLE = re.compile(r"^\[([^\[\]]+)\][ \t]*$")


class _TOMLHandler(BaseHandler):
    """python-frontmatter's TOML handler needs the `toml` package; the standard library suffices."""

    FM_BOUNDARY = re.compile(r"^\+{3}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        raise NotImplementedError("llama-reader never writes documents")


@dataclass(slots=True)
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    format: FrontFormat | None = None
    warnings: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> FrontMatter:
    lines = text.split("\n")
    first = lines[0] if lines else ""
    if _YAML_FENCE.match(first):
        return _fenced(text, lines, "yaml", _YAML_END)
    if _TOML_FENCE.match(first):
        return _fenced(text, lines, "toml", _TOML_FENCE)
    if first.strip() == "{":
        return _json_block(text, lines)
    return FrontMatter({}, text, 1)


def _fenced(text: str, lines: list[str], fmt: FrontFormat, end: re.Pattern[str]) -> FrontMatter:
    close = next((i for i in range(1, len(lines)) if end.match(lines[i])), None)
    if close is None:
        return FrontMatter(
            {},
            text,
            1,
            warnings=[
                f"{fmt.upper()} frontmatter is never closed; the whole file is shown as text"
            ],
        )
    raw = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    body_line = close + 2
    handler: BaseHandler = YAMLHandler() if fmt == "yaml" else _TOMLHandler()
    try:
        meta = handler.load(raw) if raw.strip() else {}
    except Exception as exc:  # any parser error: recover instead
        recovered, skipped = (_recover_yaml if fmt == "yaml" else _recover_toml)(raw)
        if not recovered and fmt == "yaml" and not _TOP_KEY.match(raw.strip() or "-"):
            # A leading `---` rule followed by prose, not metadata at all.
            return FrontMatter({}, text, 1)
        message = f"{fmt.upper()} frontmatter is not valid ({_first_line(exc)})"
        message += f"; recovered {len(recovered)} field(s) line by line"
        if skipped:
            message += f", could not read: {', '.join(skipped)}"
        return FrontMatter(recovered, body, body_line, fmt, [message])
    if not isinstance(meta, dict):
        return FrontMatter({}, text, 1)
    return FrontMatter(dict(meta), body, body_line, fmt)


def _json_block(text: str, lines: list[str]) -> FrontMatter:
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "}"), None)
    if close is None:
        return FrontMatter({}, text, 1)
    try:
        post = frontmatter.loads(text, handler=JSONHandler())
        meta = post.metadata
    except Exception:
        try:
            meta = json.loads("\n".join(lines[: close + 1]))
        except ValueError as exc:
            return FrontMatter(
                {}, text, 1, warnings=[f"JSON frontmatter is not valid ({_first_line(exc)})"]
            )
    if not isinstance(meta, dict):
        return FrontMatter({}, text, 1)
    return FrontMatter(dict(meta), "\n".join(lines[close + 1 :]), close + 2, "json")


def _chunks(raw: str, key_re: re.Pattern[str]) -> list[list[str]]:
    """Group lines into top-level entries: a key line plus the indented lines under it."""
    chunks: list[list[str]] = []
    for line in raw.split("\n"):
        if line[:1] == "\t" and key_re.match(line.lstrip("\t")):
            # `date: 2021-06-12` then `\ttags: [...]`: a scalar (or nothing) has no children, so
            # a tab-indented key starts an entry of its own.
            head = key_re.match(chunks[-1][0]) if chunks else None
            if not chunks or (head and head.group(2).strip()):
                chunks.append([line.lstrip("\t")])
                continue
        indented = line[:1] in (" ", "\t")
        continues = indented or not line.strip() or line.lstrip().startswith("-")
        if chunks and continues and (indented or not key_re.match(line)):
            chunks[-1].append(line)
            continue
        chunks.append([line])
    return chunks


def _recover_yaml(raw: str) -> tuple[dict[str, Any], list[str]]:
    meta: dict[str, Any] = {}
    skipped: list[str] = []
    for chunk in _chunks(raw, _TOP_KEY):
        head = chunk[0]
        m = _TOP_KEY.match(head)
        if not m:
            if head.strip() and not head.lstrip().startswith("#"):
                skipped.append(_clip(head))
            continue
        key, rest = m.group(1), m.group(2)
        value = _yaml_value(key, rest, chunk[1:])
        if value is _FAILED:
            skipped.append(key)
        else:
            meta[key] = value
    return meta, skipped


_FAILED = object()


def _yaml_value(key: str, rest: str, more: list[str]) -> Any:
    detabbed = [line.replace("\t", "  ") for line in more]  # YAML forbids tab indentation
    attempts = [
        f"{key}: {rest.strip()}\n" + "\n".join(more),  # the usual fault: no space after the colon
        f"{key}: {rest.strip()}\n" + "\n".join(detabbed),
        f"{key}: {rest}\n" + "\n".join(more),
    ]
    for attempt in attempts:
        try:
            loaded = yaml.safe_load(attempt)
        except yaml.YAMLError:
            continue
        if isinstance(loaded, dict) and key in loaded:
            return loaded[key]
    stripped = rest.strip()
    closing = {"[": "]", "{": "}"}.get(stripped[:1])
    if closing and not more and closing not in stripped:  # `tags: [unclosed`
        try:
            loaded = yaml.safe_load(f"{key}: {stripped}{closing}")
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict) and key in loaded:
            return loaded[key]
    if stripped and not more:
        return stripped.strip("\"'")
    return _FAILED


def _recover_toml(raw: str) -> tuple[dict[str, Any], list[str]]:
    meta: dict[str, Any] = {}
    skipped: list[str] = []
    table: dict[str, Any] = meta
    for line in raw.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if m := _TOML_TABLE.match(stripped):
            table = meta
            for part in m.group(1).split("."):
                inner = table.setdefault(part.strip().strip('"'), {})
                if not isinstance(inner, dict):  # `a = 1` then `[a.b]`: the table is lost
                    skipped.append(_clip(stripped))
                    inner = {}
                table = inner
            continue
        try:
            table.update(tomllib.loads(stripped))
        except tomllib.TOMLDecodeError:
            key = _TOML_KEY.match(stripped)
            if key:
                table[key.group(1).strip('"')] = key.group(2).strip().strip("\"'")
            else:
                skipped.append(_clip(stripped))
    return meta, skipped


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0]
    return _clip(text or type(exc).__name__, 80)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
