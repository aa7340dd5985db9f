"""Settings: one typed object from the TOML config file plus environment overrides.

Where things live (platformdirs): the store in the user data dir, the config in the user config dir.
`NEWSROOM_DB` or `--db` choose another store; `NEWSROOM_CONFIG` another config file.  Any of them (and
the config's `[store] url`) may name a PostgreSQL database by a libpq URL instead of a file: then
`store_url` holds it and `db_path` is a name on this machine for what stays local (the recovery journal's
key, the row cache and word list beside it), which is never a store itself.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir

from newsroom_tui.domain.location import is_database_url, local_name_for, redact_url
from newsroom_tui.text.safety import clean_line

APP_NAME = "newsroom"
STORE_FILE_NAME = "newsroom.json"


class ConfigError(Exception):
    """The config file cannot be used; the message says which file and what is wrong."""


@dataclass(slots=True)
class Settings:
    """Everything a desk can configure.  Defaults suit the sample Dhaka desk."""

    db_path: Path = field(default_factory=lambda: default_store_path())
    # A libpq URL when the store is a PostgreSQL database (then db_path is only this machine's name for it).
    store_url: str | None = None
    timezone: str = "Asia/Dhaka"
    headline_limit: int = 110
    summary_limit: int = 300
    masthead_en: str = "Newsroom Online News Portal"
    masthead_bn: str = "নিউজরুম অনলাইন নিউজ পোর্টাল"
    edition_city_en: str = "Dhaka"
    edition_city_bn: str = "ঢাকা"
    desks: tuple[str, ...] = (
        "National",
        "International",
        "Politics",
        "Business",
        "Sports",
        "Entertainment",
        "Technology",
        "Opinion",
        "Country",
        "Education",
    )
    cursor_blink: bool = False  # off by default: a blinking cursor sends bytes over SSH while idle
    autosave_seconds: float = 1.0  # unsaved text goes to the recovery journal this long after typing stops
    # The desk's keys and looks: a shipped keymap (`[keys]` goes over it) and a theme, by name.  The names
    # are the desk's (tui/keymaps.py, tui/themes.py), checked when the desk starts; here only their form.
    keymap: str = "default"
    theme: str = "textual-dark"
    user: str = field(default_factory=lambda: current_user())
    config_path: Path | None = None
    # Other tables of the config file (`[copydesk]`, `[targets.outbox]`…), for the features that own them.
    sections: dict[str, Any] = field(default_factory=dict)

    @property
    def store_location(self) -> str:
        """What the storage factory opens: the database URL, else the journal file's path."""
        return self.store_url if self.store_url is not None else str(self.db_path)

    @property
    def store_label(self) -> str:
        """The store as messages name it: the path, or the URL without its password."""
        return redact_url(self.store_url) if self.store_url is not None else str(self.db_path)

    def use_store(self, location: str | os.PathLike[str]) -> None:
        """Point at another store: a libpq URL (a database) or a file path."""
        if is_database_url(location):
            url = str(location)
            self.store_url = url
            self.db_path = local_store_folder() / local_name_for(url)
        else:
            self.store_url = None
            self.db_path = Path(location).expanduser()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def masthead(self, language: str) -> str:
        return self.masthead_bn if language == "bn" else self.masthead_en

    def edition_city(self, language: str) -> str:
        return self.edition_city_bn if language == "bn" else self.edition_city_en


def current_user() -> str:
    """The OS user (the SSH login), recorded on every save."""
    # LOGNAME and USER are whatever the environment says: escape sequences in them once set a colleague's
    # window title through the conflict dialog, so the name is cleaned where it is read.
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = os.environ.get("USER") or ""
    return clean_line(name) or "unknown"


def default_store_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / STORE_FILE_NAME


def local_store_folder() -> Path:
    """Where a database's local side (see `Settings.store_url`) is named from."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "databases"


def default_config_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_settings(db: str | os.PathLike[str] | None = None, config: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from (lowest first) defaults, the config file, `NEWSROOM_DB`, then `db`."""
    config_path = Path(config or os.environ.get("NEWSROOM_CONFIG") or default_config_path())
    values: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    if config_path.exists():
        values, sections = _read_config(config_path)
    configured = values.pop("db_path", None)
    settings = Settings(**values, config_path=config_path, sections=sections)
    url = sections.get("store", {}).get("url")
    env_db = os.environ.get("NEWSROOM_DB")
    if db is not None:
        settings.use_store(db)
    elif env_db:
        settings.use_store(env_db)
    elif isinstance(url, str):
        settings.use_store(url)
    elif configured is not None:
        settings.use_store(configured)
    try:
        settings.zone  # noqa: B018 - fail early with a clear message
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{config_path}: unknown time zone {settings.timezone!r}.") from error
    return settings


def _read_config(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    import tomllib  # only when there is a config file: 10 ms of the start-up otherwise

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read the config file {path}: {error}.") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"The config file {path} is not valid TOML: {error}.") from error
    section = raw.get("newsroom", raw)
    if not isinstance(section, dict):
        raise ConfigError(f"The config file {path}: [newsroom] must be a table of settings.")
    sections = {key: value for key, value in raw.items() if key != "newsroom" and isinstance(value, dict)}
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(value, dict):
            continue  # other tables belong to the features that own them (targets, copy desk…)
        if key not in known or key in ("config_path", "user", "sections"):
            raise ConfigError(f"The config file {path} has an unknown setting {key!r}.")
        values[key] = _checked(path, key, value)
    if "keys" in sections:
        _keys_table(path, sections["keys"])
    for table, checks in _SECTION_CHECKS.items():
        if table in sections:
            for key, value in sections[table].items():
                if key not in checks:
                    raise ConfigError(f"The config file {path} has an unknown setting {key!r} in [{table}].")
                checks[key](path, f"[{table}] {key}", value)
    return values, sections


# -- what each setting may be: checked when the file is read, so a wrong type is one sentence naming the
# key, not a crash (or a desk spinning on `autosave_seconds = -1`) much later.
def _problem(path: Path, key: str, wanted: str, value: object) -> ConfigError:
    from newsroom_tui.text.safety import for_display

    shown = repr(value) if not isinstance(value, str) else f'"{for_display(value)}"'
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ConfigError(f"The config file {path}: {key} must be {wanted}, not {shown}.")


def _text(path: Path, key: str, value: object, *, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _problem(path, key, f"a line of text of at most {limit} characters", value)
    from newsroom_tui.text.safety import has_terminal_control

    if has_terminal_control(value):
        raise _problem(path, key, "text without control characters", value)
    return value


def _whole_number(path: Path, key: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _problem(path, key, f"a whole number from {low} to {high:,}", value)
    return value


def _number(path: Path, key: str, value: object, low: float, high: float, unit: str) -> float:
    import math

    wanted = f"a number of {unit} from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _problem(path, key, wanted, value)
    if not low <= value <= high:
        raise _problem(path, key, wanted, value)
    return float(value)


def _flag(path: Path, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _problem(path, key, "true or false", value)
    return value


def _desks(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > 200:
        raise _problem(path, key, 'a list of desk names, e.g. ["National", "Sports"]', value)
    return tuple(_text(path, f"each of {key}", item, limit=60) for item in value)


def _checked(path: Path, key: str, value: object) -> Any:
    if key == "db_path":
        text = _text(path, key, value, limit=4096)
        return text if is_database_url(text) else Path(text).expanduser()
    if key in ("headline_limit", "summary_limit"):
        return _whole_number(path, key, value, 10, 10_000)
    if key == "autosave_seconds":
        return _number(path, key, value, 0.1, 3600, "seconds")
    if key == "cursor_blink":
        return _flag(path, key, value)
    if key == "desks":
        return _desks(path, key, value)
    if key in ("keymap", "theme"):
        return _text(path, key, value, limit=60)
    return _text(path, key, value)  # timezone, mastheads, edition cities


def _keys_table(path: Path, table: dict[str, Any]) -> None:
    """`[keys]`: binding id = "key" or "key,key" or a list of keys.  Which ids and key names exist is the
    desk's to say (tui/keymaps.py, when it starts); here, that each value is text a keymap can hold."""
    for binding_id, value in table.items():
        keys = value if isinstance(value, list) else [value]
        if not keys or not all(isinstance(key, str) for key in keys):
            raise _problem(
                path, f"[keys] {binding_id}", 'a key or a list of keys, e.g. "ctrl+s" or ["f2", "ctrl+2"]', value
            )
        for key in keys:
            _text(path, f"[keys] {binding_id}", key, limit=100)


def _folder(path: Path, key: str, value: object) -> None:
    _text(path, key, value, limit=4096)


def _minutes(path: Path, key: str, value: object) -> None:
    _number(path, key, value, 1, 24 * 60, "minutes")


def _database_url(path: Path, key: str, value: object) -> None:
    text = _text(path, key, value, limit=4096)
    if not is_database_url(text):
        raise ConfigError(
            f"The config file {path}: {key} must be a PostgreSQL URL (postgresql://user@host/database), "
            f"not {redact_url(text)!r}."
        )


_SECTION_CHECKS: dict[str, dict[str, Any]] = {
    "store": {"url": _database_url},
    "recovery": {"folder": _folder},
    "locks": {"expiry_minutes": _minutes},
}
