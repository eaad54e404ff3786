"""How well and how fast separate-file translations are aligned, measured on pairs with known truth.

Interleaved bilingual documents (the seed clipping, the sample library, one public guide) already
say which Chinese block translates which English block. Cutting each into an English and a Chinese
block list gives a translation pair whose right alignment is known; perturbing it (two Chinese
paragraphs merged, an English paragraph dropped, an untranslated note inserted, a Chinese paragraph
split in two) gives the harder cases a real translator produces.

    python benchmarks/bench_align.py          # accuracy by group and by document; timing of a
                                              # 1,000- and a 2,000-block pair
    python benchmarks/bench_align.py --fit    # the length model's ratio and variance, measured

The tests import this module to assert on the same numbers.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.align import alignment, length_units
from corpus.loader import load_document
from corpus.model import Block, Document

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_000 = SHARED / "seeds" / "000_81a91a93a906ffc0.txt"
SAMPLE = REPO / "corpus" / "sample_library"
REALWORLD = SHARED / "realworld"
HELD_OUT = REALWORLD / "angular-cn" / "observables-in-angular.md"

# A unit of truth: the English blocks and the Chinese blocks that translate each other.
Unit = tuple[tuple[Block, ...], tuple[Block, ...]]

_SHARED_KINDS = {"code", "image", "rule", "html", "table"}
# Half of the notes say what they are; the other half must be found by what they do not match.
_NOTES_ZH = (
    "译者注：本文写于原作发表之时，文中的数字此后可能已有变化。",
    "（译注：这里保留了原文的说法，未作改动。）",
    "本文的中文译本由社区志愿者完成，如有错漏，欢迎在评论区指出。",
    "延伸阅读：关于开源许可证的更多讨论，可以参考本站的其他文章。",
)
_NOTES_EN = (
    "Editor's note: this section was updated after publication to correct a date.",
    "Thanks to the readers who sent corrections to an earlier version of this article.",
)


@dataclass(frozen=True)
class Case:
    """An English and a Chinese block list and the right alignment between them."""

    name: str
    en: tuple[Block, ...]
    zh: tuple[Block, ...]
    truth: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]


def load(path: Path) -> Document:
    doc = load_document(path, path.parent)
    if not isinstance(doc, Document):
        raise ValueError(f"{path}: {doc.reason}")
    return doc


def interleaved_documents() -> Iterator[tuple[str, Document]]:
    """(source name, document) for every interleaved document the length model is fitted on."""
    if SEED_000.exists():
        yield "seed 000", load(SEED_000)
    for path in sorted(SAMPLE.rglob("*")):
        if path.is_file():
            doc = load_document(path, SAMPLE)
            if isinstance(doc, Document) and _interleaved(doc):
                yield "sample", doc


def held_out_documents() -> Iterator[tuple[str, Document]]:
    """Interleaved documents the model was not fitted on."""
    if HELD_OUT.exists():
        yield "angular-cn", load(HELD_OUT)


def _interleaved(doc: Document) -> bool:
    pairs = sum(r.is_pair for r in doc.rows)
    return doc.lang == "bilingual" and pairs >= 0.5 * len(doc.rows)


def units_of(doc: Document) -> list[Unit]:
    """Cut an interleaved document into translation units; code and images appear on both sides."""
    units: list[Unit] = []
    for row in doc.rows:
        if row.en is not None and row.zh is not None:
            if row.en.line == row.zh.line and units and units[-1][1] == ():
                # "## Router" then "## 路由器 (router)": the loader splits the second heading in
                # two, but a Chinese file would hold it whole, as the translation of the first.
                units[-1] = (units[-1][0], (row.zh,))
            else:
                units.append(((row.en,), (row.zh,)))
            continue
        block = row.en or row.zh
        assert block is not None
        if block.lang == "none" or (block.kind in _SHARED_KINDS and block.lang == "en"):
            units.append(((block,), (block,)))
        elif row.en is not None:
            units.append(((block,), ()))
        else:
            units.append(((), (block,)))
    return units


def case_of(name: str, units: Sequence[Unit]) -> Case:
    en: list[Block] = []
    zh: list[Block] = []
    truth = []
    for e, z in units:
        truth.append(
            (tuple(range(len(en), len(en) + len(e))), tuple(range(len(zh), len(zh) + len(z))))
        )
        en.extend(e)
        zh.extend(z)
    return Case(name, tuple(en), tuple(zh), tuple(truth))


# Perturbations: each takes the units and a random source and returns new units.

Perturb = Callable[[list[Unit], random.Random], list[Unit]]


def _one_one(units: Sequence[Unit], i: int, kinds: set[str]) -> bool:
    """A translated pair of prose blocks of these kinds (not copied code or markup)."""
    e, z = units[i]
    return (
        len(e) == 1
        and len(z) == 1
        and e[0].kind in kinds
        and z[0].kind in kinds
        and e[0].lang == "en"
        and z[0].lang in ("zh", "mixed")
    )


def merge_zh(units: list[Unit], rng: random.Random) -> list[Unit]:
    """A translator joined two paragraphs into one."""
    candidates = [
        i
        for i in range(len(units) - 1)
        if _one_one(units, i, {"paragraph", "text"})
        and _one_one(units, i + 1, {"paragraph", "text"})
        and units[i][1][0].kind == units[i + 1][1][0].kind
    ]
    if not candidates:
        return units
    i = rng.choice(candidates)
    (ea,), (za,) = units[i]
    (eb,), (zb,) = units[i + 1]
    merged = Block(za.kind, za.text.rstrip() + zb.text.lstrip(), za.line, za.lang, za.level)
    return [*units[:i], ((ea, eb), (merged,)), *units[i + 2 :]]


def drop_en(units: list[Unit], rng: random.Random) -> list[Unit]:
    """The English file lost a paragraph the translation still has."""
    candidates = [i for i in range(len(units)) if _one_one(units, i, {"paragraph", "list_item"})]
    if not candidates:
        return units
    i = rng.choice(candidates)
    return [*units[:i], ((), units[i][1]), *units[i + 1 :]]


def insert_note(units: list[Unit], rng: random.Random) -> list[Unit]:
    """A note only one of the files has: a translator's note, or an editor's update."""
    i = rng.randrange(1, len(units) + 1)
    line = units[i - 1][0][0].line if units[i - 1][0] else 0
    if rng.random() < 0.7:
        note = Block("paragraph", rng.choice(_NOTES_ZH), line, "zh")
        unit: Unit = ((), (note,))
    else:
        note = Block("paragraph", rng.choice(_NOTES_EN), line, "en")
        unit = ((note,), ())
    return [*units[:i], unit, *units[i:]]


def split_zh(units: list[Unit], rng: random.Random) -> list[Unit]:
    """A translator broke one long paragraph in two at a sentence end."""
    candidates = []
    for i in range(len(units)):
        if _one_one(units, i, {"paragraph", "text"}):
            text = units[i][1][0].text
            ends = [k + 1 for k, ch in enumerate(text[:-1]) if ch in "。！？"]
            if ends:
                candidates.append((i, min(ends, key=lambda k: abs(k - len(text) / 2))))
    if not candidates:
        return units
    i, cut = rng.choice(candidates)
    (e,), (z,) = units[i]
    first = Block(z.kind, z.text[:cut], z.line, z.lang, z.level)
    second = Block(z.kind, z.text[cut:].lstrip(), z.line + 1, z.lang, z.level)
    return [*units[:i], ((e,), (first, second)), *units[i + 1 :]]


def _clean(units: list[Unit], rng: random.Random) -> list[Unit]:
    return units


def _all(units: list[Unit], rng: random.Random) -> list[Unit]:
    for perturb in (merge_zh, drop_en, insert_note, split_zh):
        units = perturb(units, rng)
    return units


# (name, perturbation, times applied per document)
CASES: tuple[tuple[str, Perturb, int], ...] = (
    ("clean cut", _clean, 1),
    ("merge 2 zh paragraphs", merge_zh, 3),
    ("drop an en paragraph", drop_en, 3),
    ("insert an untranslated note", insert_note, 3),
    ("split a zh paragraph", split_zh, 3),
    ("all of the above", _all, 2),
)
SEEDS = range(10)


def perturbed(units: Sequence[Unit], perturb: Perturb, times: int, seed: int) -> list[Unit]:
    rng = random.Random(seed)
    out = list(units)
    for _ in range(times):
        out = perturb(out, rng)
    return out


@dataclass(frozen=True)
class Score:
    right: int
    rows: int
    predicted: int
    right_predicted: int

    @property
    def share(self) -> float:
        return self.right / self.rows if self.rows else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.right + other.right,
            self.rows + other.rows,
            self.predicted + other.predicted,
            self.right_predicted + other.right_predicted,
        )


def evaluate(case: Case) -> Score:
    """Truth rows found exactly (same English and Chinese blocks) in the computed alignment."""
    predicted = {(b.en, b.zh) for b in alignment(case.en, case.zh)}
    truth = set(case.truth)
    right = len(truth & predicted)
    return Score(right, len(truth), len(predicted), right)


def accuracy(documents: Sequence[tuple[str, Document]], perturb: Perturb, times: int) -> Score:
    total = Score(0, 0, 0, 0)
    for name, doc in documents:
        units = units_of(doc)
        seeds = SEEDS if times else range(1)
        for seed in seeds if perturb is not _clean else range(1):
            total += evaluate(case_of(name, perturbed(units, perturb, times, seed)))
    return total


def accuracy_table() -> list[tuple[str, dict[str, Score]]]:
    fitted = list(interleaved_documents())
    held = list(held_out_documents())
    groups = {
        "seed 000": [d for d in fitted if d[0] == "seed 000"],
        "sample": [d for d in fitted if d[0] == "sample"],
        "held out": held,
    }
    table = []
    for name, perturb, times in CASES:
        scores = {g: accuracy(docs, perturb, times) for g, docs in groups.items() if docs}
        scores["all"] = sum(scores.values(), Score(0, 0, 0, 0))
        table.append((name, scores))
    return table


def accuracy_by_document() -> list[tuple[str, dict[str, Score]]]:
    """The same cases, for each document on its own: the goal holds for every one of them."""
    documents = [*interleaved_documents(), *held_out_documents()]
    return [
        (Path(doc.path).stem, {name: accuracy([(source, doc)], p, t) for name, p, t in CASES})
        for source, doc in documents
    ]


# The length model.


@dataclass(frozen=True)
class LengthFit:
    letters_per_han: float
    variance_per_letter: float
    pairs: int
    documents: int


def fit_length_model(slack: float = 12.0) -> LengthFit:
    """English letters ≈ r · Han + Latin kept in the Chinese, variance ∝ length (+ slack).

    r is pooled over every translated pair. The variance is measured per document and averaged
    over documents, not pairs: translators differ, and one long, tightly translated document
    should not make the model trust lengths more than the looser ones allow.
    """
    samples: dict[str, list[tuple[int, int, int]]] = {}
    for _, doc in interleaved_documents():
        for row in doc.rows:
            if row.en is None or row.zh is None:
                continue
            en_letters, en_han = length_units(row.en)
            zh_latin, han = length_units(row.zh)
            if en_han == 0 and han > 0:
                samples.setdefault(doc.path, []).append((en_letters, zh_latin, han))
    pooled = [s for doc_samples in samples.values() for s in doc_samples]
    r = sum(e - z for e, z, _ in pooled) / sum(h for _, _, h in pooled)
    per_doc = [
        statistics.fmean(
            (e - (z + r * h)) ** 2 / ((e + z + r * h) / 2 + slack) for e, z, h in doc_samples
        )
        for doc_samples in samples.values()
    ]
    return LengthFit(r, statistics.fmean(per_doc), len(pooled), len(per_doc))


# Speed.


def large_case(blocks: int = 2000) -> Case:
    """A long pair with every kind of perturbation, built from all the truth documents."""
    docs = [*interleaved_documents(), *held_out_documents()]
    units: list[Unit] = []
    seed = 0
    while sum(len(e) for e, _ in units) < blocks:
        for _, doc in docs:
            units.extend(perturbed(units_of(doc), _all, 2, seed))
            seed += 1
    en_count = 0
    for k, (e, _) in enumerate(units):
        en_count += len(e)
        if en_count >= blocks:
            units = units[: k + 1]
            break
    return case_of("large", units)


def time_alignment(case: Case, runs: int = 5) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run; on a shared machine the CPU time is the steadier."""
    times = []
    for _ in range(runs):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        alignment(case.en, case.zh)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fit", action="store_true", help="measure the length model")
    args = parser.parse_args(argv)
    if args.fit:
        fit = fit_length_model()
        print(f"pairs measured:        {fit.pairs} in {fit.documents} documents")
        print(f"letters per Han char:  {fit.letters_per_han:.3f}")
        print(f"variance per letter:   {fit.variance_per_letter:.3f}")
        return 0

    table = accuracy_table()
    groups = list(table[0][1])
    print(f"{'case':<30}" + "".join(f"{g:>18}" for g in groups))
    for name, scores in table:
        cells = "".join(
            f"{f'{s.right}/{s.rows} {100 * s.share:5.1f}%':>18}" for s in scores.values()
        )
        print(f"{name:<30}{cells}")
    print()
    by_document = accuracy_by_document()
    print(f"{'share of rows right':<34}" + "".join(f"{n.split()[0]:>8}" for n, _, _ in CASES))
    for stem, scores in by_document:
        cells = "".join(f"{100 * s.share:7.1f}%" for s in scores.values())
        print(f"{stem[:34]:<34}{cells}")
    print()
    for blocks in (1000, 2000):
        case = large_case(blocks)
        times = time_alignment(case, runs=7)
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        score = evaluate(case)
        print(
            f"{len(case.en)} English × {len(case.zh)} Chinese blocks: "
            f"wall median {1000 * statistics.median(wall):.0f} ms (best {1000 * min(wall):.0f}), "
            f"CPU median {1000 * statistics.median(cpu):.0f} ms (best {1000 * min(cpu):.0f}) "
            f"over {len(times)} runs; {100 * score.share:.1f}% of {score.rows} rows right"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
