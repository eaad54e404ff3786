"""Regenerate every screenshot in screenshots/ (SVG) from the bundled sample library.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--library PATH] [--only NAME ...]

Each picture is the real app, made by `tui.app.build_app` and driven headless through Textual's
pilot at 80×24 and 120×40: the library, search results, the reader side by side and interleaved,
the help screen, the library in the light theme, and the reader's study aids (the sentence cursor,
study mode, the dictionary popup). The index and the reading state live in a temp
dir, so the pictures never depend on (or change) the user's own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tui.app import LlamaReaderApp, build_app  # noqa: E402

SIZES = ((80, 24), (120, 40))
SAMPLE = REPO / "corpus" / "sample_library"
SEARCH = "open weights"
READ_TITLE = "The Week LLaMA Got Out"

Scene = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None], delay: float = 0.0) -> None:
    await pilot.pause(delay)
    app = pilot.app
    assert isinstance(app, LlamaReaderApp)
    while not app.library_screen.index_idle:  # first launch: the index is being built
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def library(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def search(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, SEARCH)
    await settle(pilot, 0.4)


async def open_reader(pilot: Pilot[None]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, LlamaReaderApp)
    docs = app.library_screen.doc_list
    docs.cursor = next(i for i, d in enumerate(docs.documents) if d.title == READ_TITLE)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("j", "j")
    await settle(pilot)


async def interleaved(pilot: Pilot[None]) -> None:
    await open_reader(pilot)
    await pilot.press("m")
    await settle(pilot)


async def sentence(pilot: Pilot[None]) -> None:
    await open_reader(pilot)
    await pilot.press("right_parenthesis", "right_parenthesis")
    await settle(pilot)


async def study(pilot: Pilot[None]) -> None:
    await open_reader(pilot)
    await pilot.press("h", "space", "j")  # Chinese hidden, the row read shown again
    await settle(pilot)


async def dictionary(pilot: Pilot[None]) -> None:
    from tui.screens.dictionary import DictionaryScreen
    from tui.widgets.bilingual_view import BilingualView

    await open_reader(pilot)
    view = pilot.app.screen.query_one(BilingualView)
    await pilot.press("w")
    while view.word is None or view.word[0] != "zh":  # on to the sentence's Chinese words
        await pilot.press("w")
        await pilot.pause(0.05)
    await pilot.press("d")
    while not isinstance(pilot.app.screen, DictionaryScreen) or pilot.app.screen.entries is None:
        await pilot.pause(0.05)
    await settle(pilot)


async def help_screen(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def light(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)


SCENES: dict[str, Scene] = {
    "library": library,
    "search": search,
    "reader-side-by-side": open_reader,
    "reader-interleaved": interleaved,
    "help": help_screen,
    "library-light": light,
    "reader-sentence": sentence,
    "reader-study": study,
    "reader-dictionary": dictionary,
}


async def shoot(
    library_path: Path, index_dir: Path, name: str, scene: Scene, size: tuple[int, int], out: Path
) -> Path:
    app = build_app(library_path, index_dir, remember_settings=False)
    async with app.run_test(size=size) as pilot:
        await scene(pilot)
        path = out / f"{name}-{size[0]}x{size[1]}.svg"
        app.save_screenshot(filename=path.name, path=str(out))
    return path


async def main_async(
    library_path: Path, out: Path, index_dir: Path, only: list[str] | None = None
) -> list[Path]:
    written = []
    for name, scene in SCENES.items():
        if only and name not in only:
            continue
        for size in SIZES:
            written.append(await shoot(library_path, index_dir, name, scene, size, out))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--library", type=Path, default=SAMPLE)
    parser.add_argument("--only", nargs="+", choices=sorted(SCENES), help="just these pictures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llama-shots-") as tmp:
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        os.environ["LLAMA_READER_THEME"] = "llama-dark"  # the pictures, whatever $TERM says
        os.environ["LLAMA_READER_DATA"] = str(Path(tmp) / "data")
        os.environ["LLAMA_READER_LOG"] = str(Path(tmp) / "app.log")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        from tui.quiet import route_logs_to_file

        route_logs_to_file()
        written = asyncio.run(main_async(args.library, args.out, Path(tmp) / "index", args.only))
    for path in written:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
