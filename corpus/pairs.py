"""Translations kept in separate files: which files translate each other, and one document per pair.

Sites and repositories name translations by convention: `index.en.md` beside `index.zh-cn.md`
(Hugo, Zola), `content/en/x.md` beside `content/zh/x.md`, `docs/x.md` beside `docs/zh/x.md` or
`i18n/zh-Hans/docusaurus-plugin-content-docs/current/x.md` (Docusaurus), `README.md` beside
`README.zh-CN.md` or `README_zh.md`. Frontmatter can also say it outright: the same
`translationKey`, a `translation_of` / `original` path, or an `original_title` equal to the other
file's title. Links in frontmatter are trusted before names.

Pairing needs only a few facts per file (`PairInfo`), small enough for the index to store, so an
incremental update can re-pair files without reading the library again.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from corpus.align import LOW_CONFIDENCE, align_blocks
from corpus.langcodes import language_of_code
from corpus.loader import doc_id
from corpus.model import Block, Document
from corpus.tags import unique_tags

# Folders that hold translations rather than content: `i18n/zh/...`, `locales/zh-CN/...`.
_CONTAINERS = {"i18n", "l10n", "locale", "locales", "translations", "lang", "langs", "languages"}
# Docusaurus keeps translated docs and blog posts under plugin folders inside i18n/<locale>/.
_DOCUSAURUS = {
    ("docusaurus-plugin-content-docs", "current"): "docs",
    ("docusaurus-plugin-content-blog",): "blog",
    ("docusaurus-plugin-content-pages",): "src/pages",
}
_LANG_KEYS = ("lang", "language", "languagecode", "language_code", "locale", "languagename")
_KEY_KEYS = ("translationkey", "translation_key", "translation-key", "i18n_key")
_OF_KEYS = ("translation_of", "translationof", "translation-of", "original", "original_path")
_ORIGINAL_TITLE_KEYS = ("original_title", "originaltitle")
_NESTS = ("params", "extra")
# Folders a project keeps its translated README in, away from the English one at its root.
_README_FOLDERS = {"docs", "doc", ".github", "translations", "i18n", "lang", "langs", "readme"}
_SIMPLIFIED_FIRST = ("zh-cn", "zh_cn", "zh-hans", "zh_hans", "zh", "cn", "chs", "chinese", "zh-sg")
_TITLE_NOISE = re.compile(r"[\s\"'“”‘’《》「」:：?？!！.,，。-]+")


@dataclass(frozen=True, slots=True)
class PairInfo:
    """What pairing needs to know about one library file."""

    path: str
    lang: str  # "en", "zh", "bilingual", or another language code the file declares
    title: str
    title_alt: str | None = None
    translation_key: str | None = None
    translation_of: str | None = None  # a path, as the frontmatter wrote it
    original_title: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairInfo:
        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        return cls(
            path=str(data["path"]),
            lang=str(data["lang"]),
            title=str(data.get("title") or ""),
            title_alt=text("title_alt"),
            translation_key=text("translation_key"),
            translation_of=text("translation_of"),
            original_title=text("original_title"),
        )


def pair_info(doc: Document) -> PairInfo:
    """The pairing facts of a document read from one file."""
    meta = doc.meta or {}
    of = _meta_text(meta, _OF_KEYS)
    if of is not None and "://" in of:  # `original: https://…` names the source page, not a file
        of = None
    return PairInfo(
        path=doc.path,
        lang=_declared_lang(doc),
        title=doc.title,
        title_alt=doc.title_alt,
        translation_key=_meta_text(meta, _KEY_KEYS),
        translation_of=of,
        original_title=_meta_text(meta, _ORIGINAL_TITLE_KEYS),
    )


def _declared_lang(doc: Document) -> str:
    """The file's language: a text translated paragraph by paragraph never pairs; otherwise its
    name, then its frontmatter, then its content decide. A `README.zh.md` that keeps whole
    sections in English may read as sections in turn on its own: its name still says it is the
    translation of `README.md`."""
    if doc.lang == "bilingual" and _translated_in_place(doc):
        return "bilingual"
    path = posixpath.normpath(doc.path)
    mark = _name_mark(path)
    if mark is None:
        folders = reversed(posixpath.dirname(path).split("/"))
        mark = next((c for c in folders if _lang_of(c) in ("en", "zh")), None)
    if mark is not None and (doc.lang != "bilingual" or _lang_of(mark) in ("en", "zh")):
        return _lang_of(mark) or doc.lang
    if doc.lang == "bilingual":
        return "bilingual"
    declared = _meta_text(doc.meta or {}, _LANG_KEYS)
    if declared is not None:
        lang = _lang_of(declared.strip())
        if lang in ("en", "zh"):
            return lang
    return doc.lang


def _translated_in_place(doc: Document) -> bool:
    """Pairs the file itself holds (a paragraph and its translation next to each other, or in
    one block), not pairs of sections the aligner matched or a heading named in both languages."""
    for row in doc.rows:
        if row.en is None or row.zh is None or row.confidence is not None:
            continue
        if not (row.kind == "heading" and row.en.line == row.zh.line):
            return True
    return False


def _lang_of(code: str) -> str | None:
    return language_of_code(code)


def _name_mark(path: str) -> str | None:
    """The language marker of a file name (`index.zh-cn.md` → `zh-cn`), if any."""
    split = _split_mark(_stem(posixpath.basename(path)))
    if split is None:
        return None
    base, sep, code = split
    # Other languages only by the Hugo dot (`index.ja.md`) or on a README (`README_ja.md`):
    # `do-it.md` is not Italian.
    if _lang_of(code) not in ("en", "zh") and sep != "." and not _is_readme(base):
        return None
    return code


def _split_mark(stem: str) -> tuple[str, str, str] | None:
    """(base, separator, code) of a stem that ends in a language code: `README-zh_CN`,
    `index.ja`, `notes_en`; a code with its region (`zh-CN`) before the region alone (`CN`)."""
    cuts = [i for i, ch in enumerate(stem) if ch in "._-"]
    for i in cuts[-2:]:
        code = stem[i + 1 :]
        if i > 0 and _lang_of(code) is not None:
            return stem[:i], stem[i], code
    return None


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


def _is_readme(base: str) -> bool:
    return base.lower() == "readme"


def _meta_text(meta: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    """A text value stored under one of `keys`, at the top level or in Hugo/Zola tables."""
    scopes: list[Mapping[str, Any]] = [meta]
    scopes += [v for k, v in meta.items() if str(k).casefold() in _NESTS and isinstance(v, Mapping)]
    for key in keys:
        for scope in scopes:
            for k, v in scope.items():
                if (
                    str(k).casefold() == key
                    and isinstance(v, str | int)
                    and not isinstance(v, bool)
                ):
                    text = " ".join(str(v).split())
                    if text:
                        return text
    return None


# Finding pairs.


def find_pairs(infos: Iterable[PairInfo]) -> list[tuple[str, str]]:
    """(English path, Chinese path) of every pair of files that translate each other."""
    files = sorted(infos, key=lambda f: f.path)
    by_path = {f.path: f for f in files}
    taken: set[str] = set()
    pairs: list[tuple[str, str]] = []

    def add(a: PairInfo, b: PairInfo) -> None:
        if a.path in taken or b.path in taken or {a.lang, b.lang} != {"en", "zh"}:
            return
        en, zh = (a, b) if a.lang == "en" else (b, a)
        pairs.append((en.path, zh.path))
        taken.update((a.path, b.path))

    # 1. The same translationKey.
    keyed: dict[str, list[PairInfo]] = defaultdict(list)
    for f in files:
        if f.translation_key:
            keyed[f.translation_key].append(f)
    for group in keyed.values():
        _pair_group(group, add)
    # 2. A path to the original.
    for f in files:
        if f.translation_of:
            other = _resolve(f.translation_of, f.path, by_path)
            if other is not None and other.path != f.path:
                add(f, other)
    # 3. original_title equal to the other file's title (when exactly one file has that title).
    titled: dict[str, list[PairInfo]] = defaultdict(list)
    for f in files:
        titled[_title_key(f.title)].append(f)
    for f in files:
        if f.original_title and f.path not in taken:
            matches = [g for g in titled.get(_title_key(f.original_title), []) if g.path != f.path]
            if len(matches) == 1:
                add(f, matches[0])
    # 4. File and folder names.
    named: dict[str, list[PairInfo]] = defaultdict(list)
    for f in files:
        if f.path not in taken:
            named[pair_key(f.path)].append(f)
    for group in named.values():
        if len(group) > 1:
            _pair_group(group, add)
    # 5. A README translated into `docs/README-ZH.md` (or `.github/…`) beside the root README.
    lifted: dict[str, list[PairInfo]] = defaultdict(list)
    for f in files:
        if f.path not in taken:
            lifted[_lifted_readme_key(f.path) or pair_key(f.path)].append(f)
    for group in lifted.values():
        if len(group) > 1:
            _pair_group(group, add)
    return sorted(pairs)


def _lifted_readme_key(path: str) -> str | None:
    """The pairing key of the README one folder up, for a README marked with a language in a
    docs-like folder; None for any other file."""
    folder, name = posixpath.split(posixpath.normpath(path))
    parent, here = posixpath.split(folder)
    split = _split_mark(_stem(name))
    if here.lower() not in _README_FOLDERS or split is None or not _is_readme(split[0]):
        return None
    return pair_key(posixpath.join(parent, "README.md"))


def _pair_group(group: Sequence[PairInfo], add: Callable[[PairInfo, PairInfo], None]) -> None:
    """Pair the likeliest English and Chinese files of a group that share a key."""
    en = sorted((f for f in group if f.lang == "en"), key=_en_preference)
    zh = sorted((f for f in group if f.lang == "zh"), key=_zh_preference)
    for a, b in zip(en, zh, strict=False):
        add(a, b)


def _en_preference(f: PairInfo) -> tuple[int, str]:
    mark = _name_mark(f.path)
    return (0 if mark and _lang_of(mark) == "en" else 1, f.path)


def _zh_preference(f: PairInfo) -> tuple[int, str]:
    """Simplified Chinese before traditional: the reader pairs one translation per original."""
    mark = (_name_mark(f.path) or _folder_mark(f.path) or "").lower()
    return (0 if mark in _SIMPLIFIED_FIRST or not mark else 1, f.path)


def _folder_mark(path: str) -> str | None:
    return next((c for c in posixpath.dirname(path).split("/") if _lang_of(c) == "zh"), None)


def pair_key(path: str) -> str:
    """The path with every language marker taken out: translations of one text share it, so
    files with the same key belong in the same batch when a library is read in parts."""
    parts = posixpath.normpath(path).split("/")
    folders, name = parts[:-1], parts[-1]
    kept: list[str] = []
    k = 0
    while k < len(folders):
        part = folders[k]
        nxt = folders[k + 1] if k + 1 < len(folders) else None
        if part.lower() in _CONTAINERS and nxt is not None and _lang_of(nxt):
            k += 2
            for plugin, target in _DOCUSAURUS.items():
                if tuple(folders[k : k + len(plugin)]) == plugin:
                    kept.append(target)
                    k += len(plugin)
                    break
            continue
        if _lang_of(part) not in ("en", "zh"):
            kept.append(part)
        k += 1
    stem = _stem(name)
    split = _split_mark(stem)
    if split is not None and _name_mark(name) is not None:
        stem = split[0]
    if _is_readme(stem):
        stem = "readme"
    return "/".join([*kept, stem])


def _resolve(target: str, source: str, by_path: Mapping[str, PairInfo]) -> PairInfo | None:
    """The file a `translation_of` value names: relative to the file, or to the library root."""
    target = target.strip().split("#", 1)[0]
    bases = [posixpath.join(posixpath.dirname(source), target), target.lstrip("/")]
    for base in bases:
        path = posixpath.normpath(base)
        for candidate in (path, path + ".md", posixpath.join(path, "index.md")):
            if candidate in by_path:
                return by_path[candidate]
    return None


def _title_key(title: str) -> str:
    return _TITLE_NOISE.sub(" ", title).strip().casefold()


# One document per pair.


def merge_pair(en_doc: Document, zh_doc: Document) -> Document:
    """One bilingual document from an English file and its Chinese translation."""
    zh_blocks = [replace(b, file=zh_doc.path) for b in _blocks(zh_doc, "zh")]
    rows = align_blocks(_blocks(en_doc, "en"), zh_blocks)
    warnings = [f"{en_doc.path}: {w}" for w in en_doc.warnings]
    warnings += [f"{zh_doc.path}: {w}" for w in zh_doc.warnings]
    paired = [r for r in rows if r.is_pair]
    unsure = sum(1 for r in paired if r.confidence is not None and r.confidence < LOW_CONFIDENCE)
    if paired and unsure / len(paired) > 0.25:
        warnings.append(
            f"{unsure} of {len(paired)} paragraph pairs are uncertain: "
            "the translation may not follow the original closely"
        )
    files = tuple(
        dict.fromkeys((*(en_doc.files or (en_doc.path,)), *(zh_doc.files or (zh_doc.path,))))
    )
    return Document(
        id=doc_id(f"{en_doc.path}\n{zh_doc.path}"),
        path=en_doc.path,
        title=en_doc.title,
        rows=tuple(rows),
        title_alt=zh_doc.title if zh_doc.title != en_doc.title else en_doc.title_alt,
        date=_earliest(en_doc.date, zh_doc.date),
        tags=unique_tags((*en_doc.tags, *zh_doc.tags)),
        author=en_doc.author or zh_doc.author,
        source=en_doc.source or zh_doc.source,
        lang="bilingual",
        warnings=tuple(warnings),
        files=files,
        format="markdown" if "markdown" in (en_doc.format, zh_doc.format) else "text",
        meta=dict(en_doc.meta),
    )


def _files(doc: Document) -> tuple[str, ...]:
    return doc.files or (doc.path,)


def _blocks(doc: Document, lang: str) -> list[Block]:
    """A file's blocks in reading order (by line: rows the loader paired section against
    section hold blocks far apart); a heading the loader split in two is read whole, in the
    file's own language."""
    blocks: list[Block] = []
    for row in doc.rows:
        if row.en is not None and row.zh is not None and row.en.line == row.zh.line:
            blocks.append(row.en if lang == "en" else row.zh)
        else:
            blocks.extend(row.blocks)
    return sorted(blocks, key=lambda b: b.line)


def _earliest(a: str | None, b: str | None) -> str | None:
    """The original's date: the earlier of the two (a translation appears after its original)."""
    if a is None or b is None:
        return a or b
    return b if b[:10] < a[:10] else a


def group_documents(docs: Sequence[Document]) -> list[Document]:
    """The library's documents with each translation pair merged into one, listed where its
    first file was."""
    return group_by_pairs(docs, find_pairs(pair_info(d) for d in docs))


def group_by_pairs(docs: Sequence[Document], pairs: Iterable[tuple[str, str]]) -> list[Document]:
    """`docs` with each of these (English path, Chinese path) pairs merged into one document; a
    pair with a file missing from `docs` is ignored. For callers that found the pairs over more
    files than they load at once (the index pairs the whole library, then loads it in batches)."""
    by_path = {d.path: d for d in docs}
    partner: dict[str, tuple[str, str]] = {}
    for en, zh in pairs:
        if en in by_path and zh in by_path:
            partner[en] = partner[zh] = (en, zh)
    out: list[Document] = []
    done: set[tuple[str, str]] = set()
    for doc in docs:
        pair = partner.get(doc.path)
        if pair is None:
            out.append(doc)
        elif pair not in done:
            done.add(pair)
            out.append(merge_pair(by_path[pair[0]], by_path[pair[1]]))
    return out
