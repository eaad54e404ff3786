"""Generate a deterministic mixed English/Chinese library for the index benchmarks.

    python benchmarks/generate_corpus.py OUT [--docs 5000] [--seed 7]

Chinese sentences are drawn from jieba's own dictionary weighted by word frequency (so segmentation
behaves as on real text: common function words, two-character words, long compounds); English from
a fixed vocabulary with a Zipf-like weighting. Documents come in the shapes a real library holds:
interleaved bilingual Markdown with YAML frontmatter, English-only and Chinese-only Markdown
(headings, lists, tables, code), and plain-text clippings with a trailing hashtag line. A few
fixed phrases ("open source model", "开源模型"…) are sprinkled in so the benchmark queries have
known answers.
At the default 5,000 documents the library is a little over 50 MB.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from pathlib import Path

ENGLISH = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "will",
    "more",
    "can",
    "who",
    "said",
    "about",
    "up",
    "out",
    "them",
    "some",
    "could",
    "into",
    "than",
    "other",
    "time",
    "only",
    "new",
    "these",
    "two",
    "may",
    "first",
    "then",
    "do",
    "any",
    "like",
    "my",
    "now",
    "over",
    "such",
    "our",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "model",
    "models",
    "language",
    "data",
    "training",
    "open",
    "source",
    "weights",
    "release",
    "released",
    "research",
    "license",
    "commercial",
    "developer",
    "developers",
    "community",
    "meta",
    "llama",
    "system",
    "systems",
    "network",
    "networks",
    "learning",
    "machine",
    "deep",
    "neural",
    "parameter",
    "parameters",
    "benchmark",
    "benchmarks",
    "performance",
    "inference",
    "compute",
    "cost",
    "company",
    "companies",
    "market",
    "product",
    "products",
    "platform",
    "strategy",
    "strategic",
    "power",
    "control",
    "ecosystem",
    "cloud",
    "service",
    "services",
    "hardware",
    "chip",
    "chips",
    "memory",
    "token",
    "tokens",
    "context",
    "window",
    "dataset",
    "datasets",
    "evaluation",
    "safety",
    "alignment",
    "policy",
    "government",
    "regulation",
    "law",
    "public",
    "private",
    "access",
    "weight",
    "fine",
    "tuning",
    "tuned",
    "chat",
    "assistant",
    "agent",
    "agents",
    "tool",
    "tools",
    "code",
    "software",
    "engineer",
    "engineering",
    "paper",
    "papers",
    "result",
    "results",
    "method",
    "methods",
    "approach",
    "approaches",
    "problem",
    "problems",
    "question",
    "questions",
    "answer",
    "answers",
    "value",
    "values",
    "change",
    "changes",
    "growth",
    "scale",
    "scaling",
    "efficient",
    "efficiency",
    "quality",
    "speed",
    "fast",
    "slow",
    "large",
    "small",
    "big",
    "high",
    "low",
    "early",
    "late",
    "modern",
    "open",
    "closed",
    "free",
    "paid",
    "users",
    "user",
    "customer",
    "customers",
    "team",
    "teams",
    "leader",
    "leaders",
    "history",
    "future",
    "present",
    "idea",
    "ideas",
    "theory",
    "practice",
    "example",
    "examples",
    "case",
    "cases",
    "reason",
    "reasons",
    "effect",
    "effects",
    "cause",
    "impact",
    "important",
    "significant",
    "different",
    "similar",
    "common",
    "available",
    "possible",
    "general",
    "specific",
    "technical",
    "technology",
    "technologies",
    "science",
    "scientific",
    "analysis",
    "report",
    "reports",
    "article",
    "articles",
    "book",
    "books",
    "chapter",
    "chapters",
    "story",
    "stories",
    "reader",
    "readers",
    "writer",
    "search",
    "index",
    "query",
    "queries",
    "document",
    "documents",
    "library",
    "libraries",
    "text",
    "texts",
    "word",
    "words",
    "sentence",
    "translation",
    "translate",
    "translated",
    "english",
    "chinese",
    "bilingual",
    "paragraph",
    "paragraphs",
    "terminal",
    "interface",
    "design",
    "designed",
    "build",
    "building",
    "built",
    "run",
    "running",
    "runs",
    "test",
    "tests",
    "testing",
    "version",
    "versions",
    "update",
    "updates",
    "upgrade",
    "server",
    "servers",
    "client",
    "clients",
    "request",
    "requests",
    "response",
    "responses",
    "network",
    "protocol",
    "security",
    "privacy",
    "risk",
    "risks",
    "benefit",
    "benefits",
    "argue",
    "argued",
    "argument",
    "debate",
    "critics",
    "support",
    "supported",
    "invest",
    "investment",
    "investors",
    "revenue",
    "profit",
    "price",
    "prices",
    "economy",
    "economic",
    "growth",
    "global",
    "local",
    "national",
    "international",
    "china",
    "america",
    "europe",
    "japan",
    "india",
    "startup",
    "startups",
    "founder",
    "founders",
    "engineer",
]

PHRASES_EN = [
    "open source model",
    "large language model",
    "mixture of experts",
    "reinforcement learning from human feedback",
    "state-of-the-art",
    "open-weight",
    "GPT-4",
    "Llama 2",
]
PHRASES_ZH = [
    "开源模型",
    "人工智能",
    "大语言模型",
    "中国人民银行",
    "机器学习",
    "深度学习",
    "开源社区",
]

TAGS = [
    "AI", "Open Source", "open-source", "LLM", "Meta", "Llama", "Research", "Policy", "Economics",
    "History", "Programming", "Python", "Rust", "Databases", "Search", "Hardware", "Startups",
    "机器学习", "人工智能", "开源", "经济", "历史", "编程", "数据库", "读书笔记", "翻译", "科技",
    "Security", "Privacy", "Design", "Writing", "Science", "China", "Translation", "Tech",
]  # fmt: skip

ZH_PUNCT = "，，，，、；"
ZH_END = "。。。。！？"


class Vocab:
    """Chinese words from jieba's dictionary, sampled by frequency."""

    def __init__(self) -> None:
        import jieba

        words: list[str] = []
        cum: list[float] = []
        total = 0.0
        path = Path(jieba.__file__).parent / "dict.txt"
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 2:
                    continue
                word, freq = parts[0], int(parts[1])
                if freq < 300 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    continue
                total += freq**0.85
                words.append(word)
                cum.append(total)
        self.words, self.cum, self.total = words, cum, total
        # English: Zipf-like weights by position in the list.
        self.en_cum = list(itertools.accumulate(1.0 / (i + 8) for i in range(len(ENGLISH))))

    def zh_word(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rng.random() * self.total)]

    def en_word(self, rng: random.Random) -> str:
        return ENGLISH[bisect.bisect(self.en_cum, rng.random() * self.en_cum[-1])]


def zh_sentence(v: Vocab, rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(2, 4)):
        clause = "".join(v.zh_word(rng) for _ in range(rng.randint(3, 9)))
        if rng.random() < 0.08:
            clause += rng.choice(PHRASES_ZH)
        if rng.random() < 0.06:
            clause += " " + rng.choice(["Llama", "Meta", "GPT-4", "AI", "Python", "API"]) + " "
        parts.append(clause)
    return rng.choice(ZH_PUNCT).join(parts) + rng.choice(ZH_END)


def en_sentence(v: Vocab, rng: random.Random) -> str:
    words = [v.en_word(rng) for _ in range(rng.randint(8, 24))]
    if rng.random() < 0.12:
        words.insert(rng.randrange(len(words)), rng.choice(PHRASES_EN))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice("...?")


def paragraph(v: Vocab, rng: random.Random, lang: str) -> str:
    make = zh_sentence if lang == "zh" else en_sentence
    joiner = "" if lang == "zh" else " "
    return joiner.join(make(v, rng) for _ in range(rng.randint(2, 6)))


def title(v: Vocab, rng: random.Random, lang: str) -> str:
    if lang == "zh":
        return "".join(v.zh_word(rng) for _ in range(rng.randint(3, 7)))
    return " ".join(v.en_word(rng) for _ in range(rng.randint(3, 8))).title()


def frontmatter(v: Vocab, rng: random.Random, t: str, tags: list[str], date: str) -> str:
    lines = ["---", f'title: "{t}"', f"date: {date}"]
    if rng.random() < 0.5:
        lines.append("tags:")
        lines += [f"  - {tag}" for tag in tags]
    else:
        lines.append("tags: [" + ", ".join(f'"{tag}"' for tag in tags) + "]")
    if rng.random() < 0.4:
        lines.append(f"author: {v.en_word(rng).title()} {v.en_word(rng).title()}")
    lines.append("---\n")
    return "\n".join(lines)


def block(v: Vocab, rng: random.Random, lang: str) -> str:
    r = rng.random()
    if r < 0.08:
        return "#" * rng.randint(2, 3) + " " + title(v, rng, lang)
    if r < 0.14:
        return "\n".join(f"- {paragraph(v, rng, lang)[:120]}" for _ in range(rng.randint(2, 5)))
    if r < 0.16:
        return (
            "```python\n"
            + "\n".join(f"def {v.en_word(rng)}_{i}(x):\n    return x + {i}" for i in range(3))
            + "\n```"
        )
    if r < 0.18:
        head = "| " + " | ".join(v.en_word(rng) for _ in range(3)) + " |\n|---|---|---|\n"
        return head + "\n".join(
            "| " + " | ".join(title(v, rng, lang)[:12] for _ in range(3)) + " |" for _ in range(3)
        )
    if r < 0.22:
        return f"> {paragraph(v, rng, lang)}"
    return paragraph(v, rng, lang)


def document(v: Vocab, rng: random.Random, n: int, target: int) -> tuple[str, str]:
    """(relative path, text) of document number n, about `target` bytes long."""
    kind = rng.choices(["bi", "en", "zh", "clip", "mixed"], [30, 25, 25, 10, 10])[0]
    year = rng.randint(2015, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    tags = rng.sample(TAGS, rng.randint(1, 4))
    folder = f"{rng.choice(['notes', 'articles', 'clippings', 'books', '译文', '技术'])}/{year}"
    out: list[str] = []
    size = 0
    if kind == "clip":
        lang = rng.choice(["en", "zh"])
        t = title(v, rng, lang)
        out.append(f"All Articles\n{rng.randint(2, 15)} min read\n\n{t}\n")
        while size < target:
            p = paragraph(v, rng, lang)
            out.append(p)
            size += len(p.encode())
        out.append(" ".join("#" + tag.replace(" ", "") for tag in tags))
        return f"{folder}/{n:05d}.txt", "\n\n".join(out) + "\n"
    lang = "zh" if kind == "zh" else "en"
    t = title(v, rng, lang)
    out.append(frontmatter(v, rng, t.replace('"', ""), tags, date))
    out.append(f"# {t}")
    while size < target:
        if kind == "bi":
            en = block(v, rng, "en")
            zh = paragraph(v, rng, "zh")
            if en.startswith("#"):
                zh = en[: en.index(" ") + 1] + title(v, rng, "zh")
            parts = [en, zh]
        elif kind == "mixed":
            parts = [block(v, rng, rng.choice(["en", "zh"]))]
        else:
            parts = [block(v, rng, lang)]
        for p in parts:
            out.append(p)
            size += len(p.encode())
    return f"{folder}/{n:05d}.md", "\n\n".join(out) + "\n"


def generate(out: Path, docs: int, seed: int) -> int:
    v = Vocab()
    rng = random.Random(seed)
    total = 0
    for n in range(docs):
        target = int(min(max(rng.lognormvariate(8.95, 0.75), 800), 250_000))
        rel, text = document(v, rng, n, target)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    total = generate(args.out, args.docs, args.seed)
    print(f"{args.docs} documents, {total / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
