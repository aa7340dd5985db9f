"""Export formats: one registry, so the command line, the outbox and the UI offer the same list.

`export(story, "ninjs", settings)` renders a story; `FORMATS[name]` says the file extension and media
type.  Each format's module is imported on first use, so importing the wire parser (the command line's
import path) does not also load markdown-it and the XML writer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.domain.model import Story

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings

__all__ = ["FORMATS", "Format", "UnknownFormatError", "export", "extension", "get_format"]


class UnknownFormatError(ValueError):
    """A format name that is not in the registry; str() lists the ones that are."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"There is no export format {name!r}; the formats are {', '.join(FORMATS)}.")


@dataclass(frozen=True, slots=True)
class Format:
    """An export format: its name, file extension (no dot), media type and renderer."""

    name: str
    extension: str
    media_type: str
    render: Callable[[Story, Settings, datetime | None], str]
    description: str = ""


def _wire(story: Story, settings: Settings, now: datetime | None) -> str:
    from newsroom_tui.formats.wire import export_wire

    language = story.language
    return export_wire(
        story,
        masthead=settings.masthead(language),
        edition_city=settings.edition_city(language),
        zone=settings.zone,
        edition_date=now,
    )


def send_ednote(settings: Settings) -> bool:
    """`[export] send_ednote`: whether ninjs and NITF carry the editor's note to partners.  Off unless a
    desk turns it on, as the form's "for the desk, never published" promises."""
    from newsroom_tui.domain.config import ConfigError

    where = str(settings.config_path or "the config file")
    table = settings.sections.get("export", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [export] must be a table.")
    unknown = sorted(set(table) - {"send_ednote"})
    if unknown:
        raise ConfigError(f"{where}: [export] has an unknown setting {unknown[0]!r}.")
    value = table.get("send_ednote", False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: [export] send_ednote must be true or false.")
    return value


def _simple(module: str, function: str) -> Callable[[Story, Settings, datetime | None], str]:
    def render(story: Story, settings: Settings, now: datetime | None) -> str:
        exporter = getattr(importlib.import_module(f"newsroom_tui.formats.{module}"), function)
        return str(exporter(story, zone=settings.zone))

    render.__name__ = f"_{module}"
    return render


def _partner(module: str, function: str) -> Callable[[Story, Settings, datetime | None], str]:
    """ninjs and NITF: what partners receive, so the editor's note only when the desk sends it."""

    def render(story: Story, settings: Settings, now: datetime | None) -> str:
        exporter = getattr(importlib.import_module(f"newsroom_tui.formats.{module}"), function)
        return str(exporter(story, zone=settings.zone, ednote=send_ednote(settings)))

    render.__name__ = f"_{module}"
    return render


def _html(story: Story, settings: Settings, now: datetime | None) -> str:
    from newsroom_tui.formats.html import export_html

    return export_html(story, zone=settings.zone, site_name=settings.masthead(story.language))


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("wire", "txt", "text/plain; charset=utf-8", _wire, "the portal's wire text"),
        Format("markdown", "md", "text/markdown; charset=utf-8", _simple("markdown", "export_markdown"),
               "Markdown with YAML front matter (Hugo, Jekyll)"),
        Format("html", "html", "text/html; charset=utf-8", _html, "a standalone HTML5 article page"),
        Format("ninjs", "json", "application/json", _partner("ninjs", "export_ninjs"), "IPTC ninjs 3.1 JSON"),
        Format("nitf", "xml", "application/xml", _partner("nitf", "export_nitf"), "IPTC NITF 3.6 XML"),
    )
}  # fmt: skip


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(name) from None


def extension(name: str) -> str:
    """The file extension (without the dot) for format `name`: `ninjs` -> `json`."""
    return get_format(name).extension


def export(story: Story, fmt: str, settings: Settings, *, now: datetime | None = None) -> str:
    """`story` in format `fmt`, with the desk's zone and masthead; `now` is the wire edition's date."""
    return get_format(fmt).render(story, settings, now)
