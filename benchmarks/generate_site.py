"""Generate a deterministic Hugo site published in many languages, for the load benchmark.

    python benchmarks/generate_site.py OUT [--pages 100] [--seed 7]
    python benchmarks/bench_load.py --keep OUT

Each page bundle holds `index.<lang>.md` in fourteen languages (English, Simplified and Traditional
Chinese, Japanese, Korean, German, French, Spanish, Italian, Portuguese, Russian, Bulgarian, Greek,
Polish); paragraphs are drawn from the project's own language-identification blocks
(tests/fixtures/real/langid/blocks.tsv). 100 pages make 1,400 files.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from pathlib import Path

BLOCKS = Path(__file__).resolve().parents[1] / "tests/fixtures/real/langid/blocks.tsv"
LANGS = {
    "en": "en", "zh-cn": "zh", "zh-tw": "zh", "ja": "ja", "ko": "ko", "de": "de", "fr": "fr",
    "es": "es", "it": "it", "pt": "pt", "ru": "ru", "bg": "bg", "el": "el", "pl": "pl",
}  # fmt: skip


def sentences() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for line in BLOCKS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lang, text = line.split("\t", 1)
            found[lang].append(text)
    return found


def page(rng: random.Random, pool: list[str], n: int) -> str:
    title = rng.choice(pool)
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    parts = [f'---\ntitle: "{title}"\ndate: {date}\n---\n']
    for k in range(rng.randint(8, 16)):
        if k % 5 == 4:
            parts.append(f"## {rng.choice(pool)}\n")
        sep = "" if pool[0][-1] in "。！？" else " "
        parts.append(sep.join(rng.choice(pool) for _ in range(rng.randint(3, 7))) + "\n")
    return "\n".join(parts) + f"\n<!-- page {n} -->\n"


def generate(out: Path, pages: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = sentences()
    for n in range(pages):
        bundle = out / "content" / "posts" / f"post-{n:04d}"
        bundle.mkdir(parents=True, exist_ok=True)
        for code, lang in LANGS.items():
            (bundle / f"index.{code}.md").write_text(page(rng, pool[lang], n), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.pages, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
