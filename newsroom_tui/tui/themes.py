"""The desk's own themes, and the config's `theme` checked against the names the app knows.

Both are picked so that a 16-colour terminal (TERM=xterm, the Linux console, screen) keeps them readable:
Textual hands truecolour to Rich, which rounds each colour to the nearest of the 16, so every colour here
is near the ANSI colour it should become.  The focus colour ($primary) becomes cyan (dark) or blue
(light), never red, which reads as an error; errors become red and warnings yellow/brown, each unlike the
text; and the pane borders ($panel) stay visible against the background.
`tests/test_keymaps.py` renders the desk in 16 colours with each of them and checks just that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.theme import Theme

from newsroom_tui.domain.config import ConfigError, Settings

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "textual-dark"  # what the desk looked like before it had themes of its own

DESK_THEMES = (
    Theme(
        name="newsroom-dark",
        primary="#1FA5B8",  # cyan in 16 colours
        secondary="#5F7FD8",
        accent="#D9C040",  # yellow, not the orange that becomes bright red
        warning="#E0C040",  # bright yellow (the orange of textual-dark became bright red, as errors do)
        error="#F05A50",  # bright red
        success="#3CB85A",
        foreground="#E8E8E8",
        background="#0E1216",
        surface="#161B21",
        panel="#4A5560",  # grey borders: dark grey in 16 colours, visible on black
        dark=True,
        variables={"footer-key-foreground": "#3FC8DA", "block-cursor-text-style": "bold"},
    ),
    Theme(
        name="newsroom-light",
        primary="#0A3FA8",  # blue in 16 colours
        secondary="#2E6DB4",
        accent="#8A3A9E",  # magenta
        warning="#A05A00",  # the 16-colour yellow (brown)
        error="#B01E1E",  # red
        success="#1F7A2E",
        foreground="#141414",
        background="#F6F6F2",
        surface="#FFFFFF",
        panel="#A8AEB4",  # light grey borders on white
        dark=False,
        variables={"footer-key-foreground": "#0A3FA8", "block-cursor-text-style": "bold"},
    ),
)


def register_desk_themes(app: App[Any]) -> None:
    for theme in DESK_THEMES:
        app.register_theme(theme)


def theme_for(settings: Settings, app: App[Any]) -> str:
    """The config's theme if the app knows it (Textual's and the desk's); else ConfigError in one sentence."""
    name = settings.theme
    known = app.available_themes
    if name not in known:
        import difflib

        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "the palette's Change theme lists them"
        raise ConfigError(f"The config file {settings.config_path}: there is no theme {name!r} ({hint}).")
    return name
