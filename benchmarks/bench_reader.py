"""Reader cost against document length: a 20-row and a 20,000-row document, headless.

    python benchmarks/bench_reader.py [--size 160x45] [--pages 30] [--runs 3]

For each document it prints the time from creating the app to the first painted line of the
reader ("first screen", wall time), and the CPU time of one page-down including the key event,
the scroll and the repaint of the whole screen ("per page-down"). The
long document pages into rows it has never drawn, so every step wraps fresh paragraphs; the short
one only has a couple of pages, so it pages down and back up. The reader draws only the rows on
screen, so the long document should cost about the same as the short one (the check: within 1.5×).

Rows are built from real bilingual paragraphs (an English paragraph and its Chinese translation),
each numbered so no two rows are the same string and no cache can share work between them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App

from corpus.model import Block, Document, Row
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView

PAIRS = [
    (
        "Llama 2 is a commercially-available open-source model from **Meta** that builds on "
        "LLaMA, the “academic-use only” model that was, in reality, generally available to "
        "anyone who could click a download link.",
        "Llama 2 是 Meta 的一个商业开源模型，它建立在 LLaMA 的基础上，LLaMA 是“仅限学术使用”的"
        "模型，实际上，任何可以点击下载链接的人都可以使用。",
    ),
    (
        "At a high level, many are familiar with strategic open-source from big technology "
        "companies — products like Android, Chrome, and Visual Studio Code. But why exactly "
        "would Meta make the weights of the Llama 2 commercially available?",
        "在高层次上，许多人熟悉大型科技公司的战略开源——Android、Chrome 和 Visual Studio Code "
        "等产品。但是，为什么 Meta 会让 Llama 2 的权重可以商用呢？",
    ),
    (
        "The framework in [A Short Taxonomy of Open-Source Strategies](https://example.com/t) "
        "identifies seven categories of strategic power from open source: hiring, marketing, "
        "go-to-market (complement), go-to-market (free tier), reducing a competitor’s moat, "
        "goodwill, and standards lobbying.",
        "《开源战略简短分类法》中的框架确定了开源的七种战略力量：招聘、营销、上市（补充）、"
        "上市（免费层）、削弱竞争对手的护城河、商誉和标准游说。",
    ),
    (
        "- You have proprietary data but not enough resources or expertise to use it well.",
        "- 你拥有专有数据，但没有足够的资源或专业知识来充分利用它。",
    ),
    (
        "Reduce competitor’s moat. Llama 2 hurts two kinds of competitors. The first is "
        "companies with proprietary models. The second is any company that sits in the serving "
        "stack but needs to organically build its audience.",
        "削弱竞争对手的护城河。Llama 2 伤害了两类竞争对手：第一类是拥有专有模型的公司；第二类"
        "是处于服务栈之中、却需要自己慢慢积累用户的公司。",
    ),
    (
        "> Open models let researchers inspect the weights, reproduce results and build on "
        "each other’s work without asking anyone for permission.",
        "> 开放的模型让研究者可以检查权重、复现结果，并在彼此的工作之上继续构建，而无需征得任何"
        "人的许可。",
    ),
]


def make_document(rows: int) -> Document:
    out: list[Row] = []
    for i in range(rows):
        if i % 25 == 0:
            out.append(
                Row(
                    Block("heading", f"## Part {i // 25 + 1}: why open weights", i, "en", 2),
                    Block("heading", f"## 第 {i // 25 + 1} 部分：为什么开放权重", i, "zh", 2),
                )
            )
            continue
        en, zh = PAIRS[i % len(PAIRS)]
        kind = (
            "list_item" if en.startswith("- ") else "quote" if en.startswith(">") else ("paragraph")
        )
        en = f"{en} (Paragraph {i}.)"
        zh = f"{zh}（第 {i} 段。）"
        out.append(Row(Block(kind, en, i, "en"), Block(kind, zh, i, "zh")))  # type: ignore[arg-type]
    return Document(
        id=f"bench{rows:07d}",
        path=f"bench-{rows}.md",
        title=f"Benchmark document, {rows} rows",
        rows=tuple(out),
        lang="bilingual",
    )


class BenchApp(App[None]):
    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.first_paint: float | None = None

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.document, start_row=0))


async def measure(document: Document, size: tuple[int, int], pages: int) -> tuple[float, float]:
    """(seconds to the first painted reader line, median seconds per page)."""
    app = BenchApp(document)
    original = BilingualView.render_line

    def render_line(view: BilingualView, y: int):  # type: ignore[no-untyped-def]
        strip = original(view, y)
        if app.first_paint is None and view.row_layout.configured:
            app.first_paint = time.perf_counter()
        return strip

    BilingualView.render_line = render_line  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        async with app.run_test(size=size) as pilot:
            while app.first_paint is None:
                await pilot.pause()
            first = app.first_paint - start
            view = app.screen.query_one(BilingualView)
            steps: list[float] = []
            for _ in range(pages):
                key = "pagedown"
                if round(view.scroll_y) >= view.max_scroll_y:
                    key = "home"  # a short document: back to the top, untimed
                    await pilot.press(key)
                    await pilot.pause()
                    key = "pagedown"
                # CPU time, not wall time: Pilot sleeps while it waits for the app to go idle,
                # which would swamp the few milliseconds a page actually costs.
                t = time.process_time()
                await pilot.press(key)
                await pilot.pause()
                steps.append(time.process_time() - t)
            return first, statistics.median(steps)
    finally:
        BilingualView.render_line = original  # type: ignore[method-assign]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="160x45", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--pages", type=int, default=30, help="page-downs to time")
    parser.add_argument("--runs", type=int, default=3, help="runs per document (median kept)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ["LLAMA_READER_DATA"] = tempfile.mkdtemp(prefix="bench-reader-")

    short, long = make_document(20), make_document(20_000)
    await measure(short, (width, height), 3)  # warm up imports, CSS and the console
    results: dict[str, list[tuple[float, float]]] = {"20 rows": [], "20,000 rows": []}
    for _ in range(args.runs):  # interleaved, so drift affects both alike
        results["20 rows"].append(await measure(short, (width, height), args.pages))
        results["20,000 rows"].append(await measure(long, (width, height), args.pages))

    print(f"reader at {width}x{height}, {args.pages} page-downs, median of {args.runs} runs")
    print(f"{'document':<14}{'first screen':>16}{'per page-down':>18}")
    med: dict[str, tuple[float, float]] = {}
    for name, runs in results.items():
        first = statistics.median(r[0] for r in runs)
        page = statistics.median(r[1] for r in runs)
        med[name] = (first, page)
        print(f"{name:<14}{first * 1000:>13.1f} ms{page * 1000:>15.2f} ms")
    (s_first, s_page), (l_first, l_page) = med["20 rows"], med["20,000 rows"]
    first_ratio, page_ratio = l_first / s_first, l_page / s_page
    print(f"{'long / short':<14}{first_ratio:>15.2f}×{page_ratio:>17.2f}×")
    ok = first_ratio <= 1.5 and page_ratio <= 1.5
    print("within 1.5×: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
