"""The app's two themes, and which one a launch starts with.

Ours are warm dark and light palettes; on a terminal of 16 colours Textual's ANSI themes are used
instead (our colours would be rounded to a patchwork of the terminal's palette).
"""

from __future__ import annotations

import os
from collections.abc import Container

from textual.theme import Theme

THEME_ENV = "LLAMA_READER_THEME"
ANSI_DARK, ANSI_LIGHT = "ansi-dark", "ansi-light"  # Textual's themes in the terminal's palette

DARK = Theme(
    name="llama-dark",
    primary="#E0A458",
    secondary="#7FB7BE",
    accent="#F2C14E",
    foreground="#E6E1D6",
    background="#1C1B19",
    surface="#23211E",
    panel="#302C27",
    warning="#F2A541",
    error="#E5625E",
    success="#8DB580",
    dark=True,
)
LIGHT = Theme(
    name="llama-light",
    primary="#9A5B13",
    secondary="#2F6F73",
    accent="#A0521A",
    foreground="#2A2620",
    background="#FBF8F1",
    surface="#F4EFE4",
    panel="#E6DDCA",
    warning="#A8650F",
    error="#B83A3A",
    success="#3F7D3F",
    dark=False,
)
THEMES = (DARK, LIGHT)


def initial_theme(available: Container[str], remembered: object, color_system: str | None) -> str:
    """$LLAMA_READER_THEME, else the theme last chosen, else ours — or, on a terminal of 16
    colours, the terminal's own palette."""
    chosen = os.environ.get(THEME_ENV) or remembered
    if isinstance(chosen, str) and chosen in available:
        return chosen
    if color_system in ("standard", "windows"):
        return ANSI_DARK
    return DARK.name


def opposite_theme(theme: str, *, dark: bool) -> str:
    """The light theme for a dark one and the other way round (ANSI themes stay ANSI)."""
    opposite = {DARK.name: LIGHT.name, LIGHT.name: DARK.name}
    opposite |= {ANSI_DARK: ANSI_LIGHT, ANSI_LIGHT: ANSI_DARK}
    return opposite.get(theme, LIGHT.name if dark else DARK.name)
