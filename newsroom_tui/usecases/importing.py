"""Wire copy into the store: `newsroom import`, and the sample stories a new store starts with.

Imports are serialised across processes by an import lock beside the store: "is this file already
here?" and the save must not be split by another import of the same file (three concurrent imports
of 10 files once made 26 stories).  A re-imported file (same headline, same published stamp) is
skipped, and every story gets a slug from its headline that is free in the store and in the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story
    from newsroom_tui.storage.store import StoryStore

IMPORT_LOCK_TIMEOUT = 120.0  # seconds: another import of a big folder may be running


@dataclass
class ImportReport:
    """What an import did, file by file: `lines` for the editor (imported / skipped), `problems` one
    sentence per file that could not be read.  User text is in both: show them through `for_display`."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    saved: list[Story] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def import_files(store: StoryStore, settings: Settings, paths: Sequence[str], *, desk: str = "") -> ImportReport:
    """Import the wire files named (a folder: its *.txt files), under the import lock."""
    import filelock

    from newsroom_tui.formats.wire import wire_files

    report = ImportReport()
    missing = [path for path in paths if not Path(path).exists()]
    report.problems.extend(f"{path}: no such file or folder." for path in missing)
    files = wire_files(Path(path) for path in paths if path not in missing)
    if not files and not missing:
        raise UserError("No wire files (*.txt) found in " + ", ".join(paths) + ".")
    with filelock.FileLock(f"{settings.db_path}.import.lock", timeout=IMPORT_LOCK_TIMEOUT):
        store.refresh()
        _import_locked(store, settings, files, desk=desk, report=report)
    return report


def _import_locked(
    store: StoryStore, settings: Settings, files: Sequence[Path], *, desk: str, report: ImportReport
) -> None:
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file
    from newsroom_tui.storage.store import SlugTakenError

    imported = {(story.headline, story.created_at): story for story in store.list_stories()}
    for path in files:
        try:
            story = parse_wire_file(path, zone=settings.zone)
        except WireFormatError as error:
            report.problems.append(str(error))
            continue
        if desk:
            story = story.copy(desk=desk)
        duplicate = imported.get((story.headline, story.created_at))
        if duplicate is not None:
            report.lines.append(f"skipped   {duplicate.slug}  {path.name}: already in the store")
            continue
        [story] = assign_slugs(store, [story])
        try:
            saved = store.save(story, user=settings.user)
        except SlugTakenError:  # an editor took that slug in the desk a moment ago: pick the next one
            [story] = assign_slugs(store, [story.copy(slug="")])
            saved = store.save(story, user=settings.user)
        imported[(saved.headline, saved.created_at)] = saved
        report.saved.append(saved)
        report.lines.append(f"imported  {saved.slug}  {path.name}: {saved.headline}")


def assign_slugs(store: StoryStore, stories: list[Story]) -> list[Story]:
    """Give each imported story a slug from its headline, unique in the store and in the batch."""
    from newsroom_tui.text.slugs import alternative_slugs, slug_from_headline

    taken_in_batch: set[str] = set()

    def taken(slug: str) -> bool:
        return slug in taken_in_batch or store.slug_owner(slug) is not None

    result = []
    for story in stories:
        slug = slug_from_headline(story.headline) or "story"
        if taken(slug):
            alternatives = alternative_slugs(slug, taken, count=1)
            if not alternatives:
                raise UserError(f"No free slug near {slug!r}; give the story a slug by hand.")
            slug = alternatives[0]
        taken_in_batch.add(slug)
        result.append(story.copy(slug=slug))
    return result


def sample_story_files() -> list[tuple[str, str]]:
    """The sample stories shipped in the package, as (file name, text)."""
    from importlib import resources  # 10 ms of imports, for a new store only

    folder = resources.files("newsroom_tui.sample_stories")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".txt")
    )


def seed_samples_if_empty(store: StoryStore, settings: Settings) -> str | None:
    """On a new, empty store import the sample stories, so a first run shows how the desk works."""
    if not store.is_empty():
        return None
    import tomllib
    from importlib import resources

    from newsroom_tui.formats.wire import parse_wire

    desks = tomllib.loads(resources.files("newsroom_tui.sample_stories").joinpath("desks.toml").read_text("utf-8"))
    stories = [
        parse_wire(text, zone=settings.zone, name=name).copy(desk=desks.get(name, ""))
        for name, text in sample_story_files()
    ]
    saved = store.save_many(assign_slugs(store, stories), user=settings.user)
    return f"New store: imported {len(saved)} sample stories into {settings.db_path}."
