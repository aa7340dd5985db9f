"""Settings: one typed object from the TOML config file plus environment overrides.

Where things live (platformdirs): the store in the user data dir, the config in the user config dir.
`NEWSROOM_DB` or `--db` choose another store; `NEWSROOM_CONFIG` another config file.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "newsroom"
STORE_FILE_NAME = "newsroom.json"


class ConfigError(Exception):
    """The config file cannot be used; the message says which file and what is wrong."""


@dataclass(slots=True)
class Settings:
    """Everything a desk can configure.  Defaults suit the sample Dhaka desk."""

    db_path: Path = field(default_factory=lambda: default_store_path())
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
    user: str = field(default_factory=lambda: current_user())
    config_path: Path | None = None
    # Other tables of the config file (`[copydesk]`, `[targets.outbox]`…), for the features that own them.
    sections: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def masthead(self, language: str) -> str:
        return self.masthead_bn if language == "bn" else self.masthead_en

    def edition_city(self, language: str) -> str:
        return self.edition_city_bn if language == "bn" else self.edition_city_en


def current_user() -> str:
    """The OS user (the SSH login), recorded on every save."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


def default_store_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / STORE_FILE_NAME


def default_config_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_settings(db: str | os.PathLike[str] | None = None, config: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from (lowest first) defaults, the config file, `NEWSROOM_DB`, then `db`."""
    config_path = Path(config or os.environ.get("NEWSROOM_CONFIG") or default_config_path())
    values: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    if config_path.exists():
        values, sections = _read_config(config_path)
    settings = Settings(**values, config_path=config_path, sections=sections)
    env_db = os.environ.get("NEWSROOM_DB")
    if db is not None:
        settings.db_path = Path(db).expanduser()
    elif env_db:
        settings.db_path = Path(env_db).expanduser()
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
    sections = {key: value for key, value in raw.items() if key != "newsroom" and isinstance(value, dict)}
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(value, dict):
            continue  # other tables belong to the features that own them (targets, copy desk…)
        if key not in known or key in ("config_path", "user", "sections"):
            raise ConfigError(f"The config file {path} has an unknown setting {key!r}.")
        if key == "db_path":
            value = Path(str(value)).expanduser()
        elif key == "desks":
            value = tuple(str(v) for v in value)
        values[key] = value
    return values, sections
