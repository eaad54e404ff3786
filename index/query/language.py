"""The search box's language, parsed leniently into a small syntax tree (no Whoosh here).

    llama 开源                 both words (AND)
    llama OR alpaca            either
    -meta   NOT meta           without
    "open source"  "开源模型"   phrase
    optim*                     prefix
    tag:AI  tag:"open source"  lang:en|zh|bilingual  title:…  author:…
    date:2023  date:2023-07..2024-04  date:2023..  date:..2024-04

Nothing a user types raises: an unbalanced quote or parenthesis, a lone operator or an unknown field
is read as plain words (or dropped, for a bare operator) and listed in `Parsed.ignored` so the
caller can say what was not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FILTER_FIELDS = ("tag", "lang", "date")
TEXT_FIELDS = ("title", "author")
LANGS = ("en", "zh", "bilingual", "other")  # other: any language but English and Chinese


def is_lang(value: str) -> bool:
    """A value `lang:` accepts: one of LANGS, or another language's ISO 639-1 code (`ja`)."""
    value = value.lower()
    return value in LANGS or (len(value) == 2 and value.isascii() and value.isalpha())


_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE_SPEC = re.compile(rf"^(?P<a>{_DATE})?(?:(?P<dots>\.\.)(?P<b>{_DATE})?)?$")
_FIELD = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
_SCHEMES = ("http", "https", "ftp", "mailto", "file")


@dataclass(frozen=True, slots=True)
class Text:
    """Words to find. `field` None means body and title; `phrase` keeps them adjacent."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    partial: bool = False  # the word still being typed: also the start of longer words


@dataclass(frozen=True, slots=True)
class Filter:
    field: str  # tag | lang | date
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


Node = Text | Filter | Not | And | Or


@dataclass
class Parsed:
    node: Node | None
    ignored: list[str] = field(default_factory=list)


# --- lexer ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # word | quoted | lp | rp | or | not | neg | field
    text: str = ""
    name: str = ""  # for field tokens


def _lex(query: str, ignored: list[str]) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()（）":
            toks.append(_Tok("lp" if ch in "(（" else "rp", ch))
            i += 1
        elif ch in '"“”':
            end = _closing_quote(query, i + 1)
            if end < 0:
                ignored.append('"')
                i += 1
                continue
            toks.append(_Tok("quoted", query[i + 1 : end]))
            i = end + 1
        elif ch in "-－" and (i + 1 >= n or query[i + 1].isspace()):
            ignored.append("-")
            i += 1
        elif ch in "-－" and (not toks or _boundary(query, i)):
            toks.append(_Tok("neg", "-"))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()（）"“”':
                j += 1
            word = query[i:j]
            i = j
            if word == "OR" or word == "|":
                toks.append(_Tok("or", word))
            elif word == "NOT":
                toks.append(_Tok("not", word))
            elif word in ("AND", "&&", "+"):
                continue  # AND is what words do anyway
            else:
                m = _FIELD.match(word)
                if m and m.group(1).lower() not in _SCHEMES:
                    name, value = m.group(1).lower(), m.group(2)
                    if name in FILTER_FIELDS or name in TEXT_FIELDS:
                        toks.append(_Tok("field", value, name))
                        continue
                    ignored.append(f"{m.group(1)}:")
                    toks.extend(_Tok("word", w) for w in (m.group(1), value) if w)
                    continue
                toks.append(_Tok("word", word))
    return toks


def _closing_quote(query: str, start: int) -> int:
    for j in range(start, len(query)):
        if query[j] in '"“”':
            return j
    return -1


def _boundary(query: str, i: int) -> bool:
    return i == 0 or query[i - 1].isspace() or query[i - 1] in "(（"


# --- parser --------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok], ignored: list[str]) -> None:
        self.toks = toks
        self.i = 0
        self.ignored = ignored
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        items: list[Node] = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                items.append(node)
            tok = self.peek()
            if tok is not None and tok.kind == "rp":
                self.ignored.append(tok.text)
                self.next()
        return _and(items)

    def parse_or(self) -> Node | None:
        branches: list[Node] = []
        first = self.parse_and()
        if first is not None:
            branches.append(first)
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.next()
            nxt = self.parse_and()
            if nxt is None or not branches:
                self.ignored.append(tok.text)
            if nxt is not None:
                branches.append(nxt)
        if not branches:
            return None
        return branches[0] if len(branches) == 1 else Or(tuple(branches))

    def parse_and(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rp"):
            node = self.parse_unary()
            if node is not None:
                items.append(node)
        return _and(items)

    def parse_unary(self) -> Node | None:
        tok = self.next()
        if tok.kind in ("not", "neg"):
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "rp", "not", "neg"):
                self.ignored.append(tok.text)
                return None
            inner = self.parse_unary()
            if inner is None:
                self.ignored.append(tok.text)
                return None
            return Not(inner)
        if tok.kind == "lp":
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            closing = self.peek()
            if closing is not None and closing.kind == "rp":
                self.next()
            else:
                self.ignored.append(tok.text)
            return inner
        if tok.kind == "word":
            return _word(tok.text)
        if tok.kind == "quoted":
            text = tok.text.strip()
            return Text(text, phrase=True) if text else None
        if tok.kind == "field":
            return self.field(tok)
        return None  # pragma: no cover - every kind is handled above

    def field(self, tok: _Tok) -> Node | None:
        value = tok.text
        if not value:
            nxt = self.peek()
            if nxt is not None and nxt.kind == "quoted":
                value = self.next().text.strip()
            if not value:
                self.ignored.append(f"{tok.name}:")
                return None
            phrase = True
        else:
            phrase = False
        if tok.name == "tag":
            return Filter("tag", value)
        if tok.name == "lang":
            if is_lang(value):
                return Filter("lang", value.lower())
            self.ignored.append(f"lang:{value}")
            return None
        if tok.name == "date":
            if DATE_SPEC.match(value) and value != "..":
                return Filter("date", value)
            self.ignored.append(f"date:{value}")
            return None
        if phrase:
            return Text(value, field=tok.name, phrase=True)
        node = _word(value)
        return Text(node.text, field=tok.name, prefix=node.prefix)


def _word(text: str) -> Text:
    if text.endswith("*") and len(text.rstrip("*")) > 0:
        return Text(text.rstrip("*"), prefix=True)
    return Text(text.strip("*") or text)


def _and(items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


MAX_QUERY_CHARS = 1_000  # a pasted page is not a query: the rest is ignored, and said so
MAX_DEPTH = 32  # nested groups and negations deeper than this are read flat


def parse(query: str) -> Parsed:
    ignored: list[str] = []
    if len(query) > MAX_QUERY_CHARS:
        ignored.append(f"the {len(query) - MAX_QUERY_CHARS:,} characters past the first 1,000")
        query = query[:MAX_QUERY_CHARS]
    toks = _flatten(_lex(query, ignored), ignored)
    node = _Parser(toks, ignored).parse()
    return Parsed(node, ignored)


def _flatten(toks: list[_Tok], ignored: list[str]) -> list[_Tok]:
    """Drop the parentheses (and their closing ones) and the negations nested deeper than
    MAX_DEPTH, so the recursive parser stays shallow whatever the query."""
    out: list[_Tok] = []
    depth = 0
    dropped_open = 0  # parentheses dropped and not yet closed
    negations = 0  # negations in a row
    noted = False
    for tok in toks:
        if tok.kind == "lp":
            if depth >= MAX_DEPTH:
                dropped_open += 1
                noted = True
                continue
            depth += 1
        elif tok.kind == "rp":
            if dropped_open:
                dropped_open -= 1
                continue
            depth = max(0, depth - 1)
        if tok.kind in ("not", "neg"):
            negations += 1
            if negations > MAX_DEPTH:
                noted = True
                continue
        else:
            negations = 0
        out.append(tok)
    if noted:
        ignored.append(f"nesting deeper than {MAX_DEPTH} levels")
    return out
