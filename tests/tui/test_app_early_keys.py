"""Every key of the library screen is safe at any moment: in the first frames (before the screen
has its widgets), while the first index build runs, and right after quitting starts. A `/`
pressed 0.1 s after launch once ended the app with a traceback."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from tests.tui_fixtures import SAMPLE, FakeIndex, isolate_app_env, make_app, send_keys_at_once
from tui.app import LlamaReaderApp
from tui.screens.library import LibraryScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.record_list import RecordList
from tui.widgets.search_box import SearchBox

QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}


def library_keys() -> list[str]:
    """One key per action the library screen offers: its own, its list's and the app's."""
    keys: dict[str, str] = {}
    for owner in (LibraryScreen, DocumentList, RecordList, LlamaReaderApp, App):
        for binding in Binding.make_bindings(owner.BINDINGS):  # type: ignore[arg-type]
            keys.setdefault(f"{owner.__name__}.{binding.action}", binding.key)
    keys["command_palette"] = LlamaReaderApp.COMMAND_PALETTE_BINDING
    return sorted(set(keys.values()) - QUIT_KEYS)


def char_of(key: str) -> str | None:
    return {"slash": "/", "question_mark": "?"}.get(key, key if len(key) == 1 else None)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def test_the_key_list_covers_the_screen() -> None:
    keys = library_keys()
    assert {"slash", "s", "t", "l", "r", "question_mark", "ctrl+p", "enter", "down"} <= set(keys)


async def launch_and_press(key: str, tmp_path: Path) -> LlamaReaderApp:
    index = FakeIndex(SAMPLE, built=False, delay=0.2)  # a first build of about two seconds
    app = make_app(SAMPLE, index, tmp_path)
    pressed = False

    def press_first(message: Message) -> None:
        # The first message the app handles comes before the library screen is composed.
        nonlocal pressed
        if not pressed and app._driver is not None:
            pressed = True
            send_keys_at_once(app, [(key, char_of(key))])

    async with app.run_test(size=(80, 24), message_hook=press_first) as pilot:
        deadline = time.monotonic() + 20
        while not index.update_started.is_set():  # the build is running
            assert time.monotonic() < deadline, "the first build never started"
            await pilot.pause(0.02)
        assert not index.built
        send_keys_at_once(app, [(key, char_of(key))])
        await pilot.pause(0.1)
        assert app.is_running, f"{key} during the build ended the app"
        send_keys_at_once(app, [("ctrl+q", None), (key, char_of(key)), (key, char_of(key))])
        quit_at = time.monotonic()
        while app.is_running:
            assert time.monotonic() - quit_at < 5, f"{key} after ctrl+q kept the app running"
            await pilot.pause(0.02)
    return app


@pytest.mark.parametrize("key", library_keys())
def test_a_key_at_launch_during_the_build_and_after_quitting_is_safe(
    key: str, tmp_path: Path
) -> None:
    app = asyncio.run(asyncio.wait_for(launch_and_press(key, tmp_path), 60))
    assert app._exception is None, f"{key}: {app._exception!r}"
    assert app.return_code == 0


def test_slash_typed_ahead_at_launch_lands_in_the_search_box(tmp_path: Path) -> None:
    """The keys are held until the screen is ready, not dropped: `/la` typed at once searches."""

    async def run() -> str:
        app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
        pressed = False

        def type_first(message: Message) -> None:
            nonlocal pressed
            if not pressed and app._driver is not None:
                pressed = True
                send_keys_at_once(app, [("slash", "/"), ("l", "l"), ("a", "a")])

        async with app.run_test(size=(80, 24), message_hook=type_first) as pilot:
            screen = app.library_screen
            deadline = time.monotonic() + 20
            while not (screen.query(SearchBox) and screen.query_one(SearchBox).value):
                assert time.monotonic() < deadline, "the typed keys never reached the box"
                await pilot.pause(0.02)
            await pilot.pause(0.1)
            return screen.query_one(SearchBox).value

    assert asyncio.run(run()) == "la"
