"""Translation pairs as the index holds them, and which documents an update must rebuild so the
index holds exactly the pairs the library's files now make."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from corpus.pairs import PairInfo, find_pairs
from index.storage.file_stamps import FileRecord


def regroup(
    files: dict[str, FileRecord], fresh: dict[str, PairInfo], reload: set[str]
) -> tuple[list[tuple[str, str]], set[str]]:
    """The library's translation pairs, and `reload` grown by every file whose document must be
    rebuilt for the index to hold exactly those pairs.

    `files` are the stored file records (path → info) of the files that exist now, `fresh` the
    pairing facts of files just read again (they replace what `files` says), `reload` the files
    that will be indexed again anyway (their old documents are dropped)."""
    infos: dict[str, PairInfo] = {}
    for path, rec in files.items():
        if path in fresh:
            infos[path] = fresh[path]
        elif rec.pair is not None:
            infos[path] = rec.pair
    for path, info in fresh.items():
        infos.setdefault(path, info)
    pairs = find_pairs(infos.values())
    partner: dict[str, str] = {}
    for en, zh in pairs:
        partner[en], partner[zh] = zh, en
    members: dict[str, set[str]] = defaultdict(set)  # doc id → its files, as stored
    for path, rec in files.items():
        if rec.doc:
            members[rec.doc].add(path)
    reload = set(reload)
    grew = True
    while grew:
        grew = False
        for path, rec in files.items():
            if path in reload:
                continue
            stored = members[rec.doc] if rec.doc else {path}
            wanted = {path, partner[path]} if path in partner else {path}
            if stored != wanted or stored & reload:
                reload |= stored | wanted
                grew = True
    return pairs, reload


def stored_pairs(files: dict[str, FileRecord], paths: Iterable[str]) -> list[tuple[str, str]]:
    """The translation pairs among `paths` as the index holds them: two files of one document."""
    members: dict[str, list[FileRecord]] = defaultdict(list)
    for p in paths:
        if files[p].doc:
            members[files[p].doc].append(files[p])
    pairs: list[tuple[str, str]] = []
    for group in members.values():
        if len(group) == 2:
            a, b = group
            pairs.append((a.path, b.path) if a.pair and a.pair.lang == "en" else (b.path, a.path))
    return sorted(pairs)
