"""The `?` screen: every key of the screen it was opened from, read from the live bindings.

Nothing here lists keys by hand, so the help cannot drift from what the keys do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from textual.app import App

OURS = ("tui.",)  # modules whose widgets' keys belong in the help


@dataclass(frozen=True, slots=True)
class KeyHelp:
    keys: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class KeyGroup:
    title: str
    keys: tuple[KeyHelp, ...]


EVERYWHERE = "Everywhere"


def humanize(class_name: str) -> str:
    """ "ReaderScreen" → "Reader", "BilingualView" → "Bilingual view"."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", class_name) or [class_name]
    if len(words) > 1 and words[-1] == "Screen":
        words = words[:-1]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def _own_bindings(cls: type) -> BindingsMap | None:
    own = cls.__dict__.get("BINDINGS")
    return BindingsMap(own) if own else None


def _group_of(cls: type, node: DOMNode) -> str | None:
    """The help section for bindings declared by `cls`; None for a toolkit widget's internals."""
    from textual.app import App

    if cls.__module__.startswith(OURS):
        title = getattr(cls, "HELP_GROUP", None)
        return title if isinstance(title, str) else humanize(cls.__name__)
    if isinstance(node, Screen | App):  # the toolkit's screen and app keys apply everywhere
        return EVERYWHERE
    return None


def _declared_by(node: DOMNode, key: str, action: str) -> type | None:
    """The most derived class of `node` whose own BINDINGS bind `key` to `action`."""
    for cls in type(node).__mro__:
        own = _own_bindings(cls)
        if own is None:
            continue
        if any(b.action == action for b in own.key_to_bindings.get(key, [])):
            return cls
    return None


def node_keys(node: DOMNode, app: App[object]) -> list[tuple[str, KeyHelp]]:
    """(section, keys) of one node's live, described bindings; keys doing one thing together."""
    by_action: dict[tuple[str, str, str], list[str]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            if not binding.description:
                continue
            cls = _declared_by(node, key, binding.action)
            group = _group_of(cls, node) if cls is not None else None
            if group is None:
                continue
            shown = app.get_key_display(Binding(key, binding.action, binding.description))
            keys = by_action.setdefault((group, binding.action, binding.description), [])
            if shown not in keys:
                keys.append(shown)
    return [
        (group, KeyHelp(tuple(keys), description))
        for (group, _, description), keys in by_action.items()
    ]


def binding_groups(screen: Screen[object], app: App[object]) -> list[KeyGroup]:
    """Keys of `screen` and its widgets (ours), then those that work everywhere."""
    nodes: list[DOMNode] = [screen]
    nodes += [w for w in screen.walk_children(with_self=False) if _is_ours(w)]
    nodes.append(app)
    groups: dict[str, list[KeyHelp]] = {}
    seen: set[tuple[str, str]] = set()
    for node in nodes:
        for title, item in node_keys(node, app):
            if (title, item.description) in seen:
                continue
            seen.add((title, item.description))
            groups.setdefault(title, []).append(item)
    if app.ENABLE_COMMAND_PALETTE:  # bound by the app outside BINDINGS
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        groups.setdefault(EVERYWHERE, []).append(
            KeyHelp((app.get_key_display(palette),), "Command palette")
        )
    if EVERYWHERE in groups:
        groups[EVERYWHERE] = groups.pop(EVERYWHERE)  # last
    return [KeyGroup(title, tuple(items)) for title, items in groups.items() if items]


def _is_ours(node: DOMNode) -> bool:
    return any(cls.__module__.startswith(OURS) for cls in type(node).__mro__)


def render_groups(groups: Iterable[KeyGroup], *, key_width: int = 14) -> Content:
    """The help text, with keys and headings styled by CSS variables, never by markup."""
    lines: list[Content] = []
    for group in groups:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(group.title, "bold $text-accent"))
        for item in group.keys:
            keys = Content.styled(" / ".join(item.keys), "bold $text-primary")
            lines.append(
                Content("  ")
                + keys.truncate(key_width, ellipsis=True, pad=True)
                + "  "
                + Content(item.description)
            )
    return Content("\n").join(lines)


class HelpScreen(Screen[None]):
    """Keys of the screen below, grouped by the part of the screen they act on."""

    HELP_GROUP: ClassVar[str] = "Help"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", show=True),
        Binding("down,j", "scroll('down')", "Scroll down", show=False),
        Binding("up,k", "scroll('up')", "Scroll up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("home,g", "scroll('home')", "Top", show=False),
        Binding("end,G", "scroll('end')", "Bottom", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        #help-title { width: 100%; height: 1; background: $panel; padding: 0 1; text-style: bold; }
        #help-scroll { width: 100%; padding: 1 2; }
        #help-intro { color: $text-muted; margin-bottom: 1; max-width: 76; }
        #help-groups {
            layout: grid;
            grid-size: 1;
            grid-rows: auto;
            grid-gutter: 1 4;
            height: auto;
        }
        &.-wide #help-groups { grid-size: 2; }
        .help-group { height: auto; }
    }
    """

    WIDE = 100  # columns from which the groups sit in two columns

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        groups = binding_groups(self.target, self.app)
        title = getattr(type(self.target), "HELP_GROUP", humanize(type(self.target).__name__))
        yield Static(Content(f"Keys — {title}"), id="help-title")
        with VerticalScroll(id="help-scroll"):
            yield Static(
                Content(
                    "ctrl+p opens the command palette: every action by name. "
                    "The mouse works too (click, wheel) but is never needed."
                ),
                id="help-intro",
            )
            with Container(id="help-groups"):
                for group in groups:
                    yield Static(render_groups([group]), classes="help-group")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= self.WIDE, "-wide")

    def help_text(self) -> str:
        """Everything the screen lists, as plain text."""
        return "\n\n".join(str(s.render()) for s in self.query(".help-group").results(Static))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }[where](animate=False)
