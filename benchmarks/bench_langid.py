"""Language identification of short blocks: accuracy per language and time per block, for the
identifier the corpus uses (script first, then py3langid) and, when installed, lingua.

    python benchmarks/bench_langid.py [--lingua]

The blocks are the project's own (tests/fixtures/real/langid/blocks.tsv: language, tab, text).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from corpus.langid import identify

BLOCKS = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real" / "langid" / "blocks.tsv"
)


def load() -> list[tuple[str, str]]:
    rows = []
    for line in BLOCKS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def run(name: str, guess: Callable[[str], str], blocks: list[tuple[str, str]]) -> None:
    guess("Der erste Frost kam dieses Jahr früh.")  # load the model outside the timing
    start = time.perf_counter()
    answers = [guess(text) for _, text in blocks]
    per_block = (time.perf_counter() - start) / len(blocks) * 1e6
    right, total = Counter[str](), Counter[str]()
    for (lang, text), answer in zip(blocks, answers, strict=True):
        total[lang] += 1
        right[lang] += answer == lang
        if answer != lang:
            print(f"  {name}: {lang} read as {answer}: {text}")
    cells = " | ".join(f"{lang} {right[lang]}/{total[lang]}" for lang in total)
    print(f"| {name} | {sum(right.values())}/{len(blocks)} | {per_block:.0f} µs | {cells} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lingua", action="store_true", help="also measure lingua (slow to load)")
    args = parser.parse_args(argv)
    blocks = load()
    print("| identifier | right | per block | per language |\n|---|---|---|---|")
    run("corpus.langid", identify, blocks)
    if args.lingua:
        from lingua import LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().build()

        def lingua(text: str) -> str:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "?"

        run("lingua", lingua, blocks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
