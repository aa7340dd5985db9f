"""The desk's keys by binding id: where each is bound, the shipped keymaps, `[keys]` checks, and key names.

Every desk binding has an id, and `PLACES` lists them, by where they are bound, with their default keys.
It is data and not a walk over the classes' `BINDINGS` because reading those would import every screen at
start-up (about 60 ms, measured); `tests/test_keymaps.py` holds the two together.  A keymap (`keymap =
"nano"` in the config, then the `[keys]` table over it) maps binding ids to keys; Textual applies it to the
bindings of every node (`App.set_keymap`), so the key bar shows the new key, and everything else that names
a key asks `key_name` or `key_shown` here, which read the same keymap.

Only `textual.keys` (plain tables) is imported: this module is read before the first screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.keys import REPLACED_KEYS, Keys, _character_to_key, key_to_character

from newsroom_tui.domain.config import ConfigError, Settings

if TYPE_CHECKING:
    from textual.app import App

# Place -> binding id -> its default keys (as in BINDINGS).  A place is one set of bindings that are live
# together; "app" and "desk" are live together everywhere on the desk (`CLASH_GROUPS`).
PLACES: dict[str, dict[str, str]] = {
    "app": {"quit": "ctrl+q", "help": "f1", "palette": "ctrl+p"},
    "desk": {
        "new-story": "ctrl+n",
        "save": "ctrl+s",
        "show-stories": "f2",
        "show-body": "f3",
        "show-metadata": "f4",
        "preview": "f5",
        "status-filter": "f8",
        "publish": "f9",
        "desk-actions": "f10",
        "history": "f12",
        "filter": "ctrl+l",
        "find": "ctrl+f",
        "external-editor": "ctrl+o",
        "next-finding": "ctrl+g",
        "fix-finding": "ctrl+r",
        "fix-all": "ctrl+t",
        "spelling": "f7",
        "search-archive": "f6",
        "spelling-add-desk": "ctrl+f7",
        "spelling-add-personal": "shift+f7",
    },
    "story-list": {
        "list-up": "up",
        "list-down": "down",
        "list-page-up": "pageup",
        "list-page-down": "pagedown",
        "list-first": "home",
        "list-last": "end",
        "open-story": "enter",
        "list-help": "question_mark",
    },
    "find-bar": {
        "find-close": "escape",
        "find-replace": "ctrl+r",
        "find-replace-all": "ctrl+t",
        "find-previous": "ctrl+b",
        "find-case": "f6",
        "find-word": "f7",
    },
    "preview": {
        "preview-close": "escape,f5",
        "preview-up": "up",
        "preview-down": "down",
        "preview-page-up": "pageup",
        "preview-page-down": "pagedown,space",
        "preview-top": "home",
        "preview-bottom": "end",
    },
    "history": {
        "history-close": "escape,f12",
        "history-compare": "c",
        "history-mark": "space",
        "history-restore": "r",
    },
    "archive-search": {"search-close": "escape", "search-results": "down"},
    "status-filter": {"status-filter-cancel": "escape"},
    "publish-dialog": {"publish-confirm": "p,enter", "publish-cancel": "escape,c"},
    "kill-dialog": {"kill-cancel": "escape"},
    "prompt-dialog": {"prompt-cancel": "escape"},
    "help-screen": {"help-close": "escape,f1,q,question_mark"},
}
CLASH_GROUPS: tuple[tuple[str, ...], ...] = (
    ("app", "desk"),
    *((place,) for place in PLACES if place not in ("app", "desk")),
)
BINDING_IDS: dict[str, str] = {binding_id: place for place, ids in PLACES.items() for binding_id in ids}
POSITIONS: dict[str, int] = {binding_id: index for ids in PLACES.values() for index, binding_id in enumerate(ids)}

# The shipped keymaps: binding id -> keys, over the defaults.  A key the body or a form field uses itself
# (ctrl+k, ctrl+w, ctrl+x…) only reaches a desk binding that is a priority one (find, filter, quit, help…).
KEYMAPS: dict[str, dict[str, str]] = {
    "default": {},
    # nano's habits: ^O writes out, ^W is Where Is, ^\ replaces, ^G is help, ^X exits, ^T runs a command
    # (here: the body in $EDITOR), ^_ goes to a line (here: the next copy-desk check).
    "nano": {
        "save": "ctrl+o,ctrl+s",
        "find": "ctrl+w,ctrl+f",
        "find-replace": "ctrl+backslash,ctrl+r",
        "help": "f1,ctrl+g",
        "quit": "ctrl+x,ctrl+q",
        "external-editor": "ctrl+t",
        "next-finding": "ctrl+underscore",
        "fix-all": "f11",
    },
}
KEYBOARD_CHARACTERS = 0x2000  # Latin, Bengali and the other scripts' letters; emoji and symbols lie above
# Keys Textual binds on every screen without an id: a desk binding on one would take it away silently.
RESERVED = {
    "tab": "moves to the next field",
    "shift+tab": "moves to the previous field",
    "ctrl+i": "moves to the next field (it is tab)",
    "ctrl+c": "copies in the body and the fields",
}
# Keys the body (TextArea) and the form's fields (Input) bind themselves (ctrl, alt and function keys; held to
# Textual's classes by tests/test_keymaps.py).  A desk binding that is not a priority one never fires while
# one of them has the focus: `preview = "ctrl+e"` showed in the key bar and did nothing in the body.
EDITING_KEYS = frozenset(
    {
        "alt+backspace", "alt+delete", "ctrl+a", "ctrl+backspace", "ctrl+c", "ctrl+d", "ctrl+e", "ctrl+k",
        "ctrl+left", "ctrl+right", "ctrl+shift+a", "ctrl+shift+k", "ctrl+shift+left", "ctrl+shift+right",
        "ctrl+u", "ctrl+v", "ctrl+w", "ctrl+x", "ctrl+y", "ctrl+z", "f6", "f7",
    }
)  # fmt: skip
# The app's and the desk's bindings that are priority ones (they fire wherever the focus is).
PRIORITY_IDS = frozenset(
    {
        "quit", "help", "palette", "new-story", "filter", "find", "search-archive", "show-stories", "show-body",
        "show-metadata", "spelling", "spelling-add-desk", "spelling-add-personal",
    }
)  # fmt: skip
ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value.rpartition("+")[2] for key in Keys) | {"space", "enter", "tab", "backspace"}


def valid_key(key: str) -> bool:
    """Whether `key` is a key name Textual can report: `ctrl+s`, `f10`, `question_mark`, `?`, `escape`…"""
    *modifiers, base = key.split("+")
    if not base or any(modifier not in MODIFIERS for modifier in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED_KEYS:
        return True
    character = character_of(base)  # `question_mark`, `slash`, `latin_small_letter_e_with_acute`; not `banana` (🍌)
    return character is not None and ord(character) < KEYBOARD_CHARACTERS and _character_to_key(character) == base


def character_of(key: str) -> str | None:
    """The character a key types (`slash` is `/`), or None (`ctrl+s`, `f10`, `escape`)."""
    if "+" in key:
        return None
    character = key_to_character(REPLACED_KEYS.get(key, key))  # Textual's own misses `slash`, `minus`…
    return character if character is not None and character.isprintable() else None


def normal_keys(keys: str) -> list[str]:
    """The keys of a comma-separated list as Textual names them (`?` -> `question_mark`)."""
    return [_character_to_key(key) if len(key) == 1 else key for key in (part.strip() for part in keys.split(","))]


def keymap_for(settings: Settings) -> dict[str, str]:
    """The keymap the config asks for (`keymap`, then `[keys]` over it), checked; raises ConfigError in one
    sentence naming the file and the id or key that is wrong."""
    where = f"The config file {settings.config_path}"
    name = settings.keymap
    if name not in KEYMAPS:
        raise ConfigError(f"{where}: keymap must be one of {', '.join(sorted(KEYMAPS))}, not {name!r}.")
    keymap = dict(KEYMAPS[name])
    table: Mapping[str, Any] = settings.sections.get("keys", {})
    for binding_id, value in table.items():
        if binding_id not in BINDING_IDS:
            import difflib

            close = difflib.get_close_matches(binding_id, BINDING_IDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (the README's keys table lists them)"
            raise ConfigError(f"{where}: [keys] names an unknown binding {binding_id!r}{hint}.")
        keys = ",".join(value) if isinstance(value, list) else str(value)
        for written, key in zip((part.strip() for part in keys.split(",")), normal_keys(keys), strict=True):
            if not valid_key(key):
                raise ConfigError(
                    f"{where}: [keys] {binding_id} = {written!r} is not a key name (write e.g. ctrl+s, f10, escape, "
                    "question_mark)."
                )
            if BINDING_IDS[binding_id] in ("app", "desk") and key in RESERVED:
                raise ConfigError(
                    f"{where}: [keys] {binding_id} = {written!r} is the key that {RESERVED[key]}; give it another key."
                )
            if BINDING_IDS[binding_id] in ("app", "desk") and character_of(key) is not None:
                raise ConfigError(
                    f"{where}: [keys] {binding_id} = {written!r} is a character one types, so the body and the fields "
                    "would lose it; give desk keys ctrl, alt or a function key (e.g. alt+e, f11)."
                )
            if BINDING_IDS[binding_id] in ("app", "desk") and binding_id not in PRIORITY_IDS and key in EDITING_KEYS:
                raise ConfigError(
                    f"{where}: [keys] {binding_id} = {written!r} is a key the body and the form's fields use "
                    "themselves, so it would do nothing there; give it another key (e.g. alt+e, f11)."
                )
        keymap[binding_id] = ",".join(normal_keys(keys))
    _check_clashes(where, keymap)
    return keymap


def _check_clashes(where: str, keymap: Mapping[str, str]) -> None:
    for group in CLASH_GROUPS:
        owner: dict[str, str] = {}
        for place in group:
            for binding_id, default in PLACES[place].items():
                for key in normal_keys(keymap.get(binding_id, default)):
                    other = owner.setdefault(key, binding_id)
                    if other != binding_id:
                        if other in keymap and binding_id not in keymap:
                            binding_id, other = other, binding_id  # the one the keymap moved first
                        raise ConfigError(
                            f"{where}: [keys] puts {binding_id!r} and {other!r} on the same key {key!r} "
                            f"({where_bound(place)}); give one of them another key."
                        )


def where_bound(place: str) -> str:
    return "on the desk" if place in ("app", "desk") else f"in the {place.replace('-', ' ')}"


def live_keys(app: App[Any], binding_id: str) -> list[str]:
    """The keys bound to `binding_id` now: the app's keymap, else the default."""
    keys = app._keymap.get(binding_id)  # Textual keeps the keymap there; it applies it to copies of the bindings
    if keys:
        return normal_keys(keys)
    place = BINDING_IDS.get(binding_id)
    return normal_keys(PLACES[place][binding_id]) if place is not None else []


def key_shown(app: App[Any], binding_id: str, default: str = "") -> str:
    """The first key of `binding_id` as the key bar shows it (`^s`, `f10`)."""
    from textual.binding import Binding

    keys = live_keys(app, binding_id)
    return app.get_key_display(Binding(keys[0], "")) if keys else default


def key_name(app: App[Any], binding_id: str, default: str = "") -> str:
    """The first key of `binding_id` as a sentence names it: `ctrl+s`, `F10`, `shift+F7`, `?`."""
    keys = live_keys(app, binding_id)
    return spoken(keys[0]) if keys else default


def spoken(key: str) -> str:
    """A Textual key name as the desk's sentences write it: `ctrl+s`, `F10`, `shift+F7`, `?`, `Escape`."""
    *modifiers, base = key.split("+")
    if base[:1] == "f" and base[1:].isdigit():
        base = base.upper()
    elif len(base) > 1:
        character = character_of(base)  # `question_mark` is `?`; `escape` is a control character: its name
        if character is not None and not character.isspace():
            base = character
        elif base in ARROWS:
            base = ARROWS[base]
        elif not modifiers:
            base = base.capitalize()  # Enter, Escape, Home: as the desk's sentences always wrote them
    return "+".join([*modifiers, base])


def read_only_note(app: App[Any]) -> str:
    """Why typing does nothing in a story another editor has, and the key that takes it over."""
    return f"Read-only: another editor has this story ({key_name(app, 'desk-actions')} then o takes it over)."
