"""The parsed query → Whoosh queries, and the literal evidence a hit is highlighted with.

Every word becomes a group that must match; a group is an OR over fields and forms:

* English: the stemmed term in the body, (boosted) in the title and in the author; joined
  words (open-source, GPT-4) are a phrase, so "open-source" finds "open source" and vice versa.
  While the user types (`typing=True`), the last word is also a `Completion`: the longer words
  it begins, ranked below the word itself (`qua` finds "quantisation" before a space is typed).
* Chinese: jieba's words as a phrase in the word field (ranked highest), OR the exact phrase of
  characters (any literal occurrence, whatever jieba made of the text), in body and title.

A row matches when every group matches its body or its document's title and at least one group
matches its body; a document's own record matches when every group matches its title. So a word
of the title plus a word of the paragraph finds the paragraph, and a title alone finds the document
once, not every row of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from whoosh import query as wq

from corpus.hanzi import variants
from corpus.tags import tag_key
from index.analysis.tokens import base_words, english_term, split_runs
from index.engine.schema import DOC, ROW
from index.query.language import And, Filter, Node, Not, Or, Text, is_lang, parse

TITLE_BOOST = 2.5
CHARS_BOOST = 0.5
COMPLETION_BOOST = 0.4  # a word the typed letters begin counts less than the word itself

Mode = str  # "row": body or title, "body", "title"


@dataclass
class Evidence:
    """What to highlight: stemmed English terms and prefixes, literal Chinese strings."""

    en_terms: set[str] = field(default_factory=set)
    en_prefixes: set[str] = field(default_factory=set)
    zh_literals: set[str] = field(default_factory=set)
    en_words: list[str] = field(default_factory=list)  # as typed, for "did you mean"
    en_forms: set[str] = field(default_factory=set)  # lowercased as typed: the exact forms
    partial: str | None = None  # the word being typed (lowercased), when it completes

    def empty(self) -> bool:
        return not (self.en_terms or self.en_prefixes or self.zh_literals)


@dataclass
class Compiled:
    query: wq.Query | None
    evidence: Evidence
    ignored: list[str]
    has_text: bool


class Completion(wq.Prefix):
    """The words of a field that begin with `text`, other than the word `text` itself (which the
    query holds beside it); `query.evaluate` picks the commonest."""


def compile_query(
    text: str, *, tags: Sequence[str] = (), lang: str | None = None, typing: bool = False
) -> Compiled:
    """`typing`: the text is still being typed, so its last word (unless a space follows it) also
    matches the words it begins."""
    parsed = parse(text)
    ignored = list(parsed.ignored)
    node = parsed.node
    if typing and node is not None and text[-1:].isalnum():
        node = _typing_last(node)
    extra: list[Node] = [Filter("tag", t) for t in tags if t.strip()]
    if lang:
        if is_lang(lang):
            extra.append(Filter("lang", lang.lower()))
        else:
            ignored.append(f"lang:{lang}")
    if extra:
        node = And(((node,) if node is not None else ()) + tuple(extra))
    evidence = Evidence()
    if node is None:
        return Compiled(None, evidence, ignored, False)
    _collect(node, evidence, negated=False)
    has_text = _has_positive_text(node, negated=False)
    doc_q = _build(node, "title")
    doc_q = wq.And([wq.Term("kind", DOC), doc_q]) if doc_q is not None else None
    if not has_text:
        return Compiled(doc_q, evidence, ignored, False)
    parts: list[wq.Query] = []
    single = _single_text(node)
    if single is not None:
        # One word or phrase (plus filters and exclusions): rows are those whose body has it (body
        # fields exist only on rows, so no kind filter); the title only adds to the score.
        word, rest = single
        body = _text(word, "body")
        title = _either(
            _forms(word, "title", "title_chars", TITLE_BOOST), _forms(word, "author", None, 1.0)
        )
        if body is not None:
            others = [q for q in (_build(n, "row") for n in rest) if q is not None]
            row_q: wq.Query = wq.And([body, *others]) if others else body
            parts.append(wq.AndMaybe(row_q, title) if title is not None else row_q)
    else:
        full = _build(node, "row")
        body_any = _any_body(node)
        if full is not None and body_any is not None:
            parts.append(wq.And([wq.Term("kind", ROW), full, body_any]))
    if doc_q is not None:
        parts.append(doc_q)
    if not parts:
        return Compiled(None, evidence, ignored, True)
    q = parts[0] if len(parts) == 1 else wq.Or(parts)
    return Compiled(q, evidence, ignored, True)


# --- building ------------------------------------------------------------------------------------


def _typing_last(node: Node) -> Node:
    """`node` with its last word marked partial, when that word is plain English being typed."""
    if isinstance(node, And | Or):
        last = _typing_last(node.items[-1])
        if last is node.items[-1]:
            return node
        return type(node)((*node.items[:-1], last))
    if isinstance(node, Text) and not (node.phrase or node.prefix):
        pieces = split_runs(node.text)
        if pieces and pieces[-1][0] == "en" and len(pieces) == 1:
            return replace(node, partial=True)
    return node


def _single_text(node: Node) -> tuple[Text, list[Node]] | None:
    """The one positive Text of an AND of it with filters and exclusions, and the rest."""
    items = list(node.items) if isinstance(node, And) else [node]
    texts = [n for n in items if isinstance(n, Text)]
    if len(texts) != 1 or texts[0].field is not None:
        return None
    rest = [n for n in items if n is not texts[0]]
    if not all(isinstance(n, Filter | Not) for n in rest):
        return None
    return texts[0], rest


def _build(node: Node, mode: Mode) -> wq.Query | None:
    """The query for `node` in `mode`; None where the node cannot match in this mode."""
    if isinstance(node, Text):
        return _text(node, mode)
    if isinstance(node, Filter):
        return _filter(node)
    if isinstance(node, Not):
        # In a row, "-word" means a paragraph without the word, whatever its document's title says.
        inner = _build(node.node, "body" if mode == "row" else mode)
        return wq.Not(inner) if inner is not None else None
    if isinstance(node, And):
        items = [_build(n, mode) for n in node.items]
        if any(q is None for q, n in zip(items, node.items, strict=True) if not isinstance(n, Not)):
            return None  # a required part cannot match here
        kept = [q for q in items if q is not None]
        if not kept:
            return None
        if all(isinstance(q, wq.Not) for q in kept):
            return None
        return kept[0] if len(kept) == 1 else wq.And(kept)
    if isinstance(node, Or):
        items = [q for q in (_build(n, mode) for n in node.items) if q is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else wq.Or(items)
    return None  # pragma: no cover


def _any_body(node: Node) -> wq.Query | None:
    """Matches rows whose body holds at least one of the positive words of the query."""
    leaves = [q for q in (_text(t, "body") for t in _positive_texts(node, False)) if q is not None]
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else wq.Or(leaves)


def _positive_texts(node: Node, negated: bool) -> Iterator[Text]:
    if isinstance(node, Text):
        if not negated:
            yield node
    elif isinstance(node, Not):
        yield from _positive_texts(node.node, not negated)
    elif isinstance(node, And | Or):
        for n in node.items:
            yield from _positive_texts(n, negated)


def _has_positive_text(node: Node, negated: bool) -> bool:
    return any(True for _ in _positive_texts(node, negated))


def _filter(node: Filter) -> wq.Query | None:
    if node.field == "tag":
        key = tag_key(node.value)
        return wq.Term("tag", key) if key else None
    if node.field == "lang":
        return wq.Term("lang", node.value)
    if node.field == "date":
        start, dots, end = node.value.partition("..")
        if not dots:
            return wq.Prefix("date", start)
        return wq.TermRange("date", start or None, (end + "\uffff") if end else None)
    return None  # pragma: no cover


def _text(node: Text, mode: Mode) -> wq.Query | None:
    if node.field == "author":
        return _forms(node, "author", None, 1.0)
    if node.field == "title" and mode == "body":
        return None
    if node.field == "title":
        return _forms(node, "title", "title_chars", 1.0)
    if mode == "title":
        return _either(_forms(node, "title", "title_chars", 1.0), _forms(node, "author", None, 1.0))
    body = _forms(node, "body", "body_chars", 1.0)
    if mode == "body":
        return body
    title = _forms(node, "title", "title_chars", TITLE_BOOST)
    author = _forms(node, "author", None, 1.0)
    forms = [q for q in (body, title, author) if q is not None]
    if not forms:
        return None
    return forms[0] if len(forms) == 1 else wq.Or(forms)


def _either(a: wq.Query | None, b: wq.Query | None) -> wq.Query | None:
    if a is None or b is None:
        return a or b
    return wq.Or([a, b])


def _forms(node: Text, words_field: str, chars_field: str | None, boost: float) -> wq.Query | None:
    """Every way `node` can match in one field pair."""
    pieces = split_runs(node.text)
    if not pieces:
        return None
    if node.partial and (words_field != "author" or node.field == "author"):
        # (Authors' names complete only after `author:`: every word would read that field.)
        low = pieces[0][1].lower()
        exact = wq.Term(words_field, english_term(low), boost=boost)
        return wq.Or([exact, Completion(words_field, low, boost=boost * COMPLETION_BOOST)])
    if node.prefix and len(pieces) == 1:
        lang, piece = pieces[0]
        if lang == "en":
            low = piece.lower()
            stem = english_term(piece)
            alts: list[wq.Query] = [wq.Prefix(words_field, low, boost=boost)]
            if stem != low:
                alts.append(wq.Prefix(words_field, stem, boost=boost))
            return alts[0] if len(alts) == 1 else wq.Or(alts)
        alts = [wq.Prefix(words_field, piece, boost=boost)]
        if chars_field:
            alts.append(_chars_phrase(chars_field, piece, boost * CHARS_BOOST))
        return wq.Or(alts)
    terms: list[str] = []
    for lang, piece in pieces:
        terms.extend([english_term(piece)] if lang == "en" else base_words(piece))
    words_q = _phrase(words_field, terms, boost)
    zh_pieces = [p for lang, p in pieces if lang == "zh"]
    if not zh_pieces or chars_field is None:
        return words_q
    if len(pieces) == 1:
        # Any literal occurrence matches (the phrase of characters); jieba's words only add to the
        # score, and the literal occurrence already places them: their positions need not be read.
        forms = variants(zh_pieces[0])  # 软件 also finds 軟體 (folded: 软体)
        grams = _chars_phrase(chars_field, forms[0], boost * CHARS_BOOST)
        if len(forms) > 1:
            others = [_chars_phrase(chars_field, f, boost * CHARS_BOOST) for f in forms[1:]]
            grams = wq.Or([grams, *others])
        if isinstance(words_q, wq.Phrase):
            words_q = wq.And([wq.Term(words_field, t, boost=boost) for t in terms])
        return wq.AndMaybe(grams, words_q)
    # Mixed scripts: adjacency in the word field, or each part where it literally occurs.
    parts: list[wq.Query] = []
    for lang, piece in pieces:
        if lang == "en":
            parts.append(wq.Term(words_field, english_term(piece), boost=boost))
        else:
            parts.append(_chars_phrase(chars_field, piece, boost * CHARS_BOOST))
    return wq.Or([words_q, wq.And(parts)])


def _phrase(fieldname: str, terms: list[str], boost: float) -> wq.Query:
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return wq.Phrase(fieldname, terms, boost=boost)


def _chars_phrase(fieldname: str, run: str, boost: float) -> wq.Query:
    """A literal Chinese string: its characters, adjacent (a single character: the term)."""
    return _phrase(fieldname, list(run), boost)


# --- evidence ------------------------------------------------------------------------------------


def _collect(node: Node, ev: Evidence, negated: bool) -> None:
    if isinstance(node, Not):
        _collect(node.node, ev, not negated)
    elif isinstance(node, And | Or):
        for n in node.items:
            _collect(n, ev, negated)
    elif isinstance(node, Text) and not negated:
        for lang, piece in split_runs(node.text):
            if lang == "zh":
                ev.zh_literals.update(variants(piece))
            elif node.prefix:
                ev.en_prefixes.add(piece.lower())
                ev.en_prefixes.add(english_term(piece))
            else:
                ev.en_terms.add(english_term(piece))
                ev.en_forms.add(piece.lower())
                if node.partial:
                    ev.en_prefixes.add(piece.lower())
                    ev.partial = piece.lower()
                if node.field is None and piece.isalpha():
                    ev.en_words.append(piece)
