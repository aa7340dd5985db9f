"""Keys and looks of one's own (issue 13): binding ids, `keymap` and `[keys]` in the config, themes."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.config import ConfigError, Settings, load_settings
from newsroom_tui.domain.model import Story
from newsroom_tui.tui import keymaps
from newsroom_tui.tui.keymaps import BINDING_IDS, KEYMAPS, PLACES, keymap_for, spoken, valid_key
from tests.factories import make_app, run_newsroom, screen_text, until
from tests.tmux import base_env, needs_tmux

STORY = Story(headline="Tigers clinch series", slug="tigers-clinch-series", body="The body.")


def place_classes() -> dict[str, type[Any]]:
    """Where each place of `PLACES` is bound."""
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.screens.archive_search import ArchiveSearchScreen
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.help import HelpScreen
    from newsroom_tui.tui.screens.history import HistoryScreen
    from newsroom_tui.tui.screens.preview import PreviewScreen
    from newsroom_tui.tui.screens.publishing import KillScreen, PromptScreen, PublishScreen
    from newsroom_tui.tui.screens.status_filter import StatusFilterScreen
    from newsroom_tui.tui.widgets.find_bar import FindBar
    from newsroom_tui.tui.widgets.story_list import StoryList

    return {
        "app": NewsroomApp,
        "desk": DeskScreen,
        "story-list": StoryList,
        "find-bar": FindBar,
        "preview": PreviewScreen,
        "history": HistoryScreen,
        "archive-search": ArchiveSearchScreen,
        "status-filter": StatusFilterScreen,
        "publish-dialog": PublishScreen,
        "kill-dialog": KillScreen,
        "prompt-dialog": PromptScreen,
        "help-screen": HelpScreen,
    }


def ids_and_keys(bindings: Any) -> dict[str, str]:
    """binding id -> its keys, from a class's BINDINGS."""
    found: dict[str, str] = {}
    for binding in bindings:
        assert binding.id, f"{binding.key} → {binding.action} has no id"
        assert binding.id not in found, f"{binding.id} twice"
        found[binding.id] = binding.key
    return found


def test_the_catalogue_is_the_bindings_themselves() -> None:
    """`PLACES` (read at start-up without importing every screen) says what each class binds, no more."""
    assert set(place_classes()) == set(PLACES)
    for place, cls in place_classes().items():
        assert list(ids_and_keys(cls.BINDINGS).items()) == list(PLACES[place].items()), place  # in order
    assert len(BINDING_IDS) == sum(len(ids) for ids in PLACES.values()), "an id in two places"


def textual_bindings(cls: type[Any]) -> set[tuple[str, str]]:
    """(key, action) of what `cls` inherits from Textual's classes (Screen's tab, ScrollView's arrows…)."""
    from textual.binding import Binding

    found: set[tuple[str, str]] = set()
    for base in cls.__mro__:
        if not base.__module__.startswith("newsroom_tui"):
            for binding in base.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.update((key.strip(), binding.action) for key in binding.key.split(","))
    return found


async def test_every_binding_of_a_running_desk_has_an_id_unique_to_its_place(desk_with) -> None:
    """Walk the live desk (list, body, form, find bar open): every binding of the desk's own widgets has an id,
    one id means one action, and no id is used in two places."""
    async with desk_with(STORY) as (app, pilot):
        await pilot.press("f3", "ctrl+f")
        await until(pilot, lambda: bool(app.screen.query("FindBar")), "the find bar")
        seen: dict[str, str] = {}
        ours = 0
        for node in [app, *app.screen.walk_children(with_self=True)]:
            if not type(node).__module__.startswith("newsroom_tui"):
                continue  # Textual's widgets (TextArea, Input…): their keys are theirs
            actions: dict[str, str] = {}
            textuals = textual_bindings(type(node))
            for key, bindings in node._bindings.key_to_bindings.items():
                for binding in bindings:
                    if binding.system or ((key, binding.action) in textuals and binding.id is None):
                        continue  # Textual's own (ctrl+c: how to quit; tab), not the desk's
                    ours += 1
                    assert binding.id, f"{type(node).__name__}: {key} → {binding.action} has no id"
                    assert actions.setdefault(binding.id, binding.action) == binding.action, binding.id
                    owner = seen.setdefault(binding.id, type(node).__name__)
                    assert owner == type(node).__name__, f"{binding.id} in {owner} and {type(node).__name__}"
        assert ours >= 30
        assert {"save", "quit", "help", "find-replace", "open-story"} <= set(seen)


# -- the config ----------------------------------------------------------------------------------------------------
def settings_from(tmp_path: Path, text: str) -> Settings:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return load_settings(config=config)


def test_keys_table_and_keymap_are_read_and_merged(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        'keymap = "nano"\ntheme = "newsroom-light"\n'
        '[keys]\nsave = "alt+s"\npublish = ["ctrl+b", "shift+f9"]\nlist-help = "?,/"\n',
    )
    assert settings.keymap == "nano" and settings.theme == "newsroom-light"
    keymap = keymap_for(settings)
    assert keymap["save"] == "alt+s", "[keys] goes over the shipped keymap"
    assert keymap["find"] == KEYMAPS["nano"]["find"]
    assert keymap["publish"] == "ctrl+b,shift+f9", "a list"
    assert keymap["list-help"] == "question_mark,slash", "characters as Textual names them"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[keys]\nsavee = "f11"', "unknown binding 'savee' (did you mean 'save'?)"),
        ('[keys]\nzzzz = "f11"', "unknown binding 'zzzz' (the README's keys table lists them)"),
        ('[keys]\nsave = "ctrl+banana"', "[keys] save = 'ctrl+banana' is not a key name"),
        ('[keys]\nsave = "cmd+s"', "[keys] save = 'cmd+s' is not a key name"),
        ('[keys]\nsave = "f2,"', "[keys] save = '' is not a key name"),
        ('[keys]\nsave = "f9"', "puts 'save' and 'publish' on the same key 'f9' (on the desk)"),
        ('[keys]\npreview = "ctrl+e"', "preview = 'ctrl+e' is a key the body and the form's fields use themselves"),
        ('[keys]\npublish = "ctrl+q"', "puts 'publish' and 'quit' on the same key 'ctrl+q' (on the desk)"),
        ('[keys]\nfind-case = "f7"', "on the same key 'f7' (in the find bar)"),
        ('[keys]\nfind = "/"', "[keys] find = '/' is a character one types"),
        ('[keys]\nsave = "space"', "[keys] save = 'space' is a character one types"),
        ('[keys]\nsave = "tab"', "[keys] save = 'tab' is the key that moves to the next field"),
        ('keymap = "emacs"', "keymap must be one of default, nano, not 'emacs'"),
    ],
)
def test_a_wrong_keymap_is_one_sentence_naming_the_file(tmp_path: Path, text: str, says: str) -> None:
    settings = settings_from(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        keymap_for(settings)
    message = str(error.value)
    assert says in message
    assert str(tmp_path / "config.toml") in message
    assert message.count(".") >= 1 and "\n" not in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[keys]\nsave = 5", "[keys] save must be a key or a list of keys"),
        ("[keys]\nsave = []", "[keys] save must be a key or a list of keys"),
        ('[keys]\nsave = "\\u001b[31m"', "[keys] save must be text without control characters"),
        ("keymap = 3", "keymap must be a line of text"),
        ("theme = true", "theme must be a line of text"),
    ],
)
def test_a_wrong_type_in_the_keys_is_caught_when_the_config_is_read(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=r"^The config file .*") as error:
        settings_from(tmp_path, text)
    assert says in str(error.value)


def test_shipped_keymaps_are_valid_and_clash_free() -> None:
    for name, keymap in KEYMAPS.items():
        assert set(keymap) <= set(BINDING_IDS), name
        assert all(valid_key(key) for keys in keymap.values() for key in keymaps.normal_keys(keys)), name
        assert keymap_for(Settings(keymap=name)) == keymap


def test_key_names() -> None:
    for good in (
        "ctrl+s",
        "f10",
        "shift+f7",
        "question_mark",
        "escape",
        "enter",
        "space",
        "ctrl+backslash",
        "a",
        "slash",
    ):
        assert valid_key(good), good
    for bad in ("", "ctrl+", "banana", "cmd+s", "ctrl+ctrl+s", "f99x", " "):
        assert not valid_key(bad), bad
    assert [spoken(k) for k in ("ctrl+s", "f10", "shift+f7", "question_mark", "escape", "slash", "down")] == [
        "ctrl+s",
        "F10",
        "shift+F7",
        "?",
        "Escape",
        "/",
        "↓",
    ]


def test_a_wrong_key_stops_the_desk_with_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nsave = "ctrl+banana"\n', encoding="utf-8")
    done = run_newsroom("--db", str(tmp_path / "store.json"), env={"NEWSROOM_CONFIG": str(config), "TERM": "xterm"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"newsroom: The config file {config}: [keys] save = 'ctrl+banana' is not a key name "
        "(write e.g. ctrl+s, f10, escape, question_mark)."
    )


def test_an_unknown_theme_stops_the_desk_with_one_sentence(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "newsroom-drak"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"there is no theme 'newsroom-drak' \(did you mean 'newsroom-dark'\?\)"):
        make_app(tmp_path / "s.json", settings={"theme": "newsroom-drak", "config_path": config})


# -- a remap is shown everywhere a key is named, and the old key is gone --------------------------------------------
REMAP = {"keys": {"save": "f11", "help": "ctrl+k", "find-replace": "ctrl+y"}}


def help_text(screen: Any) -> str:
    """The whole help, scrolled or not, as text."""
    import io

    from rich.console import Console

    console = Console(width=120, file=io.StringIO(), record=True, color_system=None)
    console.print(screen._text())
    return console.export_text()


async def test_a_remapped_key_is_shown_everywhere_and_the_old_key_no_longer_works(desk_with) -> None:
    from newsroom_tui.tui.screens.help import HelpScreen
    from newsroom_tui.tui.widgets.key_bar import KeyBar

    async with desk_with(STORY, settings={"sections": REMAP}, notifications=True) as (app, pilot):
        desk = app.screen
        bar = desk.query_one(KeyBar)
        await until(pilot, lambda: ("f11", "f11", "Save", True) in bar.keys, "the key bar shows f11 Save")
        assert not any(key[0] == "ctrl+s" for key in bar.keys)
        assert "f11 Save" in screen_text(app)

        palette = {command.title: command.help for command in app.get_system_commands(desk)}
        assert palette["Save story"].endswith("(f11)") and palette["Help: keys"].endswith("(^k)")

        await pilot.press("f3", "end", "X", "ctrl+s")  # the old key: nothing saved
        await pilot.pause()
        assert desk.dirty and app.store.get(desk.story.id).version == 1, "ctrl+s still saves"
        await pilot.press("f11")
        await until(pilot, lambda: app.store.get(desk.story.id).version == 2, "f11 saves")

        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen), "F1 still opens the help"
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "ctrl+k opens the help")
        lines = help_text(app.screen).splitlines()
        save_line = next(line for line in lines if "save a new version" in line)
        assert "f11" in save_line and "^s" not in save_line
        assert any("^k" in line and "this help" in line for line in lines)
        assert any("^y" in line and "replace this match" in line for line in lines)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is desk, "the help closes")

        await pilot.press("ctrl+f")  # the find bar: its message and its placeholder name the new key
        await until(pilot, lambda: bool(desk.query("FindBar")), "the find bar")
        assert desk.query_one("#find-replacement").placeholder == "replacement (ctrl+y one, ctrl+t all)"
        await pilot.press("z", "z", "z", "ctrl+r")
        await pilot.pause()
        assert not any("then replaces it" in n.message for n in app._notifications), "ctrl+r still replaces"
        await pilot.press("ctrl+y")
        await until(
            pilot,
            lambda: any(n.message == "Enter finds a match first; ctrl+y then replaces it." for n in app._notifications),
            "the message names ctrl+y",
        )


async def test_the_nano_keymap_saves_with_ctrl_o_and_finds_with_ctrl_w_in_the_body(desk_with) -> None:
    async with desk_with(STORY, settings={"keymap": "nano"}) as (app, pilot):
        desk = app.screen
        await pilot.press("f3", "end", "Y", "ctrl+o")
        await until(pilot, lambda: app.store.get(desk.story.id).version == 2, "ctrl+o writes out")
        await pilot.press("ctrl+w")  # nano's Where Is, ahead of the body's delete-a-word
        await until(pilot, lambda: bool(desk.query("FindBar")) and desk.query_one("FindBar").display, "ctrl+w finds")
        assert desk.editor_pane.body.text.endswith("Y")
        assert "Stories F2" in screen_text(app) or app.size.width < 110


# -- themes --------------------------------------------------------------------------------------------------------
RED_16 = {1, 9}


def in_16_colours(color: Any) -> int | None:
    """The ANSI colour (0-15) a truecolour becomes on a 16-colour terminal, as Rich rounds it; None: the default."""
    from rich.color import ColorSystem, ColorType

    if color is None or color.type is ColorType.DEFAULT:
        return None
    return int(color.downgrade(ColorSystem.STANDARD).number)


def cells_16(app: Any) -> list[list[tuple[str, int | None, int | None]]]:
    """Every cell of the screen: (character, foreground, background) in 16 colours."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row = []
        for segment in strip:
            style = segment.style
            fg = in_16_colours(style.color if style else None)
            bg = in_16_colours(style.bgcolor if style else None)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            row.extend((char, fg, bg) for char in segment.text)
        rows.append(row)
    return rows


@pytest.mark.parametrize("theme", ["newsroom-dark", "newsroom-light"])
async def test_the_desk_themes_stay_readable_in_16_colours(desk_with, theme: str) -> None:
    """Rendered as a 16-colour terminal shows it: every character differs from its background, the focused
    pane's border is not red, and errors, warnings and the focus differ from the text and the background."""
    from rich.color import Color

    async with desk_with(STORY, size=(80, 24), settings={"theme": theme}) as (app, pilot):
        assert app.theme == theme
        await pilot.press("f3")
        await pilot.pause()
        unreadable = [
            (y, x, char)
            for y, row in enumerate(cells_16(app))
            for x, (char, fg, bg) in enumerate(row)
            if not char.isspace() and char != "▏" and fg is not None and fg == bg  # ▏: the key bar's faint separator
        ]
        assert not unreadable, f"{theme}: text in its background's colour at {unreadable[:5]}"

        pane = app.screen.query_one("#editor-pane")
        corner = cells_16(app)[pane.region.y][pane.region.x]
        assert corner[0] == "╭" and corner[1] not in RED_16, f"{theme}: the focused border is red ({corner})"
        variables = app.get_css_variables()

        def ansi(name: str) -> int | None:
            return in_16_colours(Color.parse(variables[name]))

        text, background = ansi("foreground"), ansi("background")
        for name in ("error", "warning", "primary", "panel"):
            assert ansi(name) not in (text, background), f"{theme}: ${name} looks like the text or the background"
        assert ansi("primary") not in RED_16, f"{theme}: the focus colour is red"
        assert ansi("error") in RED_16, f"{theme}: an error is not red"
        assert ansi("warning") != ansi("error")


async def test_the_palette_changes_the_theme_and_the_pick_is_kept_until_the_config_changes(
    desk_with, tmp_path: Path, db_path: Path
) -> None:
    from textual.command import CommandList, CommandPalette

    from newsroom_tui.storage.desk_state import desk_state_path

    config = tmp_path / "config.toml"
    config.write_text('theme = "newsroom-dark"\n', encoding="utf-8")
    before = config.read_bytes()
    async with desk_with(STORY, settings={"theme": "newsroom-dark", "config_path": config}) as (app, pilot):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Change theme" in titles and "Theme" not in titles, "one theme entry, the desk's"
        assert titles.index("Change theme") > titles.index("Quit"), "after the desk's own entries"
        app.action_change_theme()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the theme picker")
        await pilot.press(*"newsroom-l")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count == 1, "one theme found")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "newsroom-light", "the theme changes")
        await until(pilot, lambda: desk_state_path().exists(), "the pick is kept")
    assert config.read_bytes() == before, "the user's config is never rewritten"

    app = make_app(db_path, settings={"theme": "newsroom-dark", "config_path": config})
    assert app.theme == "newsroom-light", "the pick holds at the next start"
    app.close_store()
    app = make_app(db_path, settings={"theme": "textual-light", "config_path": config})
    assert app.theme == "textual-light", "a changed config wins over the old pick"
    app.close_store()
    desk_state_path().write_text("{not json", encoding="utf-8")
    app = make_app(db_path, settings={"theme": "newsroom-dark", "config_path": config})
    assert app.theme == "newsroom-dark", "a damaged state file is as none"
    app.close_store()


# -- a real terminal: TERM=xterm (16 colours) and the nano keymap --------------------------------------------------
@needs_tmux
def test_nano_keys_and_a_desk_theme_in_a_real_16_colour_terminal(tmp_path: Path, tmux: Any) -> None:
    """Through tmux: ctrl+o, ctrl+w and ctrl+x arrive (raw mode: no flow control or signals eat them), the key
    bar names them, and the focused pane's border is drawn in cyan, not red, in 16 colours."""
    from newsroom_tui.storage.store import StoryStore

    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        [story] = store.save_many([STORY], user="seed")
    config = tmp_path / "config.toml"
    config.write_text('[newsroom]\nkeymap = "nano"\ntheme = "newsroom-dark"\n', encoding="utf-8")
    env = {**base_env(tmp_path), "TERM": "xterm", "NEWSROOM_CONFIG": str(config)}
    term = tmux(120, 40)
    term.start(f"{sys.executable} -m newsroom_tui --db {db}", env)
    term.wait_for("1 story ", "^o Save", "^x Quit")
    term.keys("Enter")
    term.wait_for("✓ saved")
    term.type(" More.")
    term.wait_for("● unsaved")
    term.keys("C-o")
    term.wait_for("✓ saved")
    with StoryStore(db) as store:
        assert "More." in store.get(story.id).body
    colours = term.run("capture-pane", "-p", "-e", "-t", "desk")
    corner = next(line for line in colours.splitlines() if "Body" in line and "╭" in line)
    sgr = re.findall(r"\x1b\[([0-9;]*)m╭─(?:\x1b\[[0-9;]*m)? Body", corner)
    assert sgr, corner
    codes = set(sgr[-1].split(";"))
    assert codes & {"36", "96"} and not codes & {"31", "91"}, f"the focused border's colour: {sgr[-1]}"
    assert not re.search(r"38;[25];", colours), "more than 16 colours were sent to TERM=xterm"
    term.keys("C-w")
    term.wait_for("text to find")
    term.keys("Escape")
    term.keys("C-x")
    deadline = time.monotonic() + 20
    while "^o Save" in term.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "^o Save" not in term.screen(), "ctrl+x did not quit"


def test_the_editing_keys_and_the_priority_ids_are_textuals_and_the_desks() -> None:
    """EDITING_KEYS and PRIORITY_IDS are data (read before the first screen); held here to the classes."""
    from textual.binding import Binding
    from textual.widgets import Input, TextArea

    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.keymaps import EDITING_KEYS, PRIORITY_IDS
    from newsroom_tui.tui.screens.desk import DeskScreen

    bound = set()
    for cls in (TextArea, Input):
        for binding in cls.BINDINGS:
            keys = binding.key if isinstance(binding, Binding) else binding[0]
            bound |= {key.strip() for key in keys.split(",")}
    assert {key for key in bound if key.startswith(("ctrl+", "alt+", "f"))} <= EDITING_KEYS
    priority = {
        binding.id
        for cls in (NewsroomApp, DeskScreen)
        for binding in cls.BINDINGS
        if isinstance(binding, Binding) and binding.priority and binding.id
    }
    assert priority == PRIORITY_IDS


def test_no_shipped_keymap_puts_a_desk_key_where_the_body_would_swallow_it() -> None:
    from newsroom_tui.tui.keymaps import EDITING_KEYS, KEYMAPS, PLACES, PRIORITY_IDS, normal_keys

    for name, keymap in KEYMAPS.items():
        for place in ("app", "desk"):
            for binding_id, default in PLACES[place].items():
                if binding_id in PRIORITY_IDS:
                    continue
                keys = set(normal_keys(keymap.get(binding_id, default)))
                assert not keys & EDITING_KEYS, (name, binding_id, keys & EDITING_KEYS)
