"""Which language a document is in, when it is neither English nor Chinese.

Scripts decide what they can on their own: kana is Japanese, Hangul Korean, Han without either
Chinese. Text in an alphabet goes to py3langid (langid.py's model of 97 languages: 91 of 92 right
on the project's short test blocks, about 1 µs a character, against lingua's 91 at 1.7 ms a block
and 35 s to load). Only a few hundred characters of a document's prose are classified, so reading a
library stays fast; the model loads once per process (from the user cache: `langid_model`), on
the first document that needs it (a reader that cannot wait gets PENDING for its language).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from corpus.language import strip_non_prose
from corpus.model import DocLang, Row

# Enough prose to identify a language with confidence, little enough to keep loading fast.
SAMPLE_CHARS = 240
# Below this many letters, or this confidence, an alphabetic text is taken as English, the
# library's own language: a README of names and badges must not become Romanian, nor "The
# aardvark wakes." Afrikaans. A document needs a sentence's worth; a block, a few words.
_MIN_LETTERS = 8
_MIN_DOCUMENT_LETTERS = 24
_MIN_CONFIDENCE = 0.5
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EAST = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")
_MD_MARKS = re.compile(r"[#*_>|`~\[\]()!-]+")
# Languages the model writes with codes the project does not use.
_SAME_AS = {"yue": "zh", "wuu": "zh", "zxx": "en"}


# A document's `lang` while the model it needs is not loaded yet (see `document_language`).
PENDING: DocLang = ""

_model: Any = None
_loading = threading.Lock()  # the app's threads may read documents at once


class _NotLoaded(Exception):
    """The model is needed and not loaded, and the caller would rather not wait for it."""


def _identifier(*, wait: bool = True) -> Any:
    global _model
    if _model is None:
        if not wait:
            raise _NotLoaded
        with _loading:
            if _model is None:
                from corpus.langid_model import load

                _model = load()
    return _model


def script_language(text: str) -> str | None:
    """ "ja", "ko" or "zh" when an East Asian script carries the text, else None."""
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    han = len(_HAN.findall(text))
    letters = len(_LETTER.findall(text))
    east = kana + hangul + han
    if not east or east * 3 < letters - east:  # mostly an alphabet (weighted as in rows.py)
        return None
    if hangul >= max(kana, han * 0.5):
        return "ko"
    if kana >= 0.15 * (kana + han):
        return "ja"
    return "zh"


def identify(text: str, *, min_letters: int = _MIN_LETTERS, wait: bool = True) -> str:
    """The ISO 639-1 code of the language `text` is written in; "en" when it cannot tell.
    Raises _NotLoaded when the model is needed, not loaded, and not `wait`."""
    prose = strip_non_prose(text)
    if _EAST.search(prose):
        script = script_language(prose)
        if script is not None:
            return script
    prose = " ".join(_MD_MARKS.sub(" ", prose[: SAMPLE_CHARS * 2]).split())[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(prose))
    if letters < min_letters and len(_LATIN.findall(prose)) * 2 >= letters:
        return "en"
    code, confidence = _identifier(wait=wait).classify(prose)
    code = _SAME_AS.get(code, code)
    latin = len(_LATIN.findall(prose)) * 2 >= letters
    if code != "en" and latin and confidence < _MIN_CONFIDENCE:
        return "en"
    return str(code)


def sample(texts: Iterable[str], limit: int = SAMPLE_CHARS * 3) -> str:
    """The first `limit` characters of prose of a document's blocks."""
    taken: list[str] = []
    size = 0
    for text in texts:
        prose = strip_non_prose(text).strip()
        if not prose:
            continue
        taken.append(prose)
        size += len(prose)
        if size >= limit:
            break
    return "\n".join(taken)[:limit]


_PROSE_KINDS = {"paragraph", "list_item", "quote", "text", "heading"}


def document_language(rows: Sequence[Row], lang: DocLang, *, wait: bool = True) -> DocLang:
    """A document's `lang` given the English/Chinese/bilingual verdict of its rows: another
    language's code where its prose is in one (`de`, `ru`, `ja`), else that verdict. Without
    `wait`, PENDING when telling needs the model and it is still loading (half a second that a
    list of titles need not wait for)."""
    if lang == "bilingual":
        return lang
    texts = (b.text for row in rows for b in row.blocks if b.kind in _PROSE_KINDS)
    prose = sample(texts)
    if lang == "zh":
        # Han carries the text: only kana or Hangul can make it another language.
        if not (_KANA.search(prose) or _HANGUL.search(prose)):
            return "zh"
        return script_language(prose) or "zh"
    try:
        code = identify(prose, min_letters=_MIN_DOCUMENT_LETTERS, wait=wait)
    except _NotLoaded:
        return PENDING
    return "en" if code == "zh" else code
