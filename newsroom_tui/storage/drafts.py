"""The recovery journal: unsaved edits kept safe on disk, without ever publishing or versioning them.

Why a separate, per-user folder.  Autosave must not create story versions (the store's history is what
editors saved on purpose) and must not show half-typed words to the rest of the desk, so drafts never
go near the store: each editor's drafts live in their own folder (platformdirs user state dir /
"recovery" by default, `NEWSROOM_RECOVERY` or the config's `[recovery] folder` to choose another),
readable by that user only.  One JSON file per story id (new, never-saved stories too) holds the
story's whole draft (`Story.to_dict()`), the version the editor started from, the store it belongs to,
who and when.

Why whole-file replacement.  A draft is written to a temporary file in the same folder, fsynced, and
renamed over the old one (then the folder is fsynced), so a kill or power cut leaves the previous draft
or the new one, never a torn mix.  Text is stored exactly: UTF-8 as itself, and a lone surrogate (which
UTF-8 cannot hold) as a JSON escape instead of an error.

Recovering.  At start-up `drafts(store_path)` lists what can be offered (unreadable files are reported,
never fatal); `draft_is_saved` says a draft's words are already in the store (the process died between
saving and discarding); `diff_against_store` gives the dialog its lines.  A recovered draft's story has
the version it was started from, so saving it over a newer version raises the store's ConflictError
like any other stale save.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_state_dir

from newsroom_tui.domain.config import APP_NAME, current_user
from newsroom_tui.domain.errors import RecoveryError
from newsroom_tui.domain.model import Story, now, parse_datetime
from newsroom_tui.storage.atomicfile import fsync_dir as _fsync_dir
from newsroom_tui.storage.atomicfile import os_reason as _reason
from newsroom_tui.storage.atomicfile import write_atomically

if TYPE_CHECKING:
    from newsroom_tui.domain.history import DiffLine

__all__ = [
    "RecoveredDraft",
    "RecoveryError",
    "RecoveryJournal",
    "RecoveryProblem",
    "RecoveryScan",
    "default_recovery_folder",
    "diff_against_store",
    "draft_is_saved",
    "recovery_folder_from",
]

RECOVERY_FORMAT = "newsroom-recovery-draft"
RECOVERY_VERSION = 1
_SUFFIX = ".json"
_TEMP_SUFFIX = ".part"
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
_MAX_DRAFT_BYTES = 64 * 1024 * 1024  # far above any story (pastes stop at 200,000 characters)
# A temporary older than this is a killed writer's leftover (a live write takes milliseconds).
LEFTOVER_AGE_SECONDS = 600.0


# -- where ----------------------------------------------------------------------------------------------
def default_recovery_folder() -> Path:
    """`NEWSROOM_RECOVERY`, else `<user state dir>/recovery` (`~/.local/state/newsroom/recovery`)."""
    chosen = os.environ.get("NEWSROOM_RECOVERY")
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_state_dir(APP_NAME, appauthor=False)) / "recovery"


def recovery_folder_from(settings: object) -> Path:
    """The config's `[recovery] folder` if set, else `default_recovery_folder()`."""
    sections = getattr(settings, "sections", None) or {}
    section = sections.get("recovery") if isinstance(sections, dict) else None
    folder = section.get("folder") if isinstance(section, dict) else None
    if isinstance(folder, str) and folder.strip() and not os.environ.get("NEWSROOM_RECOVERY"):
        return Path(folder).expanduser()
    return default_recovery_folder()


# -- what -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RecoveredDraft:
    """One draft from the journal, for the start-up offer."""

    story: Story  # the editor's whole story as it was; its version is `base_version`
    base_version: int  # the stored version the editor started from (0: a story never saved)
    store_path: Path | None
    saved_at: datetime
    user: str
    host: str
    pid: int
    path: Path  # the journal file

    @property
    def story_id(self) -> str:
        return self.story.id

    @property
    def is_new(self) -> bool:
        """A story that was never saved to the store."""
        return self.base_version == 0

    def describe(self, zone: tzinfo | None = None) -> str:
        """`“Padma Bridge toll…”: unsaved changes from 10:42 (on version 3)`."""
        when = self.saved_at.astimezone(zone).strftime("%H:%M, %d %b %Y").replace(" 0", " ")
        on = "a new story" if self.is_new else f"on version {self.base_version}"
        headline = self.story.headline or "(no headline)"
        return f"“{headline}”: unsaved changes from {when} ({on})"


@dataclass(frozen=True, slots=True)
class RecoveryProblem:
    """A journal file that could not be read; it is left where it is."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"The recovery file {self.path} cannot be read ({self.reason}); it was left where it is."


@dataclass(frozen=True, slots=True)
class RecoveryScan:
    drafts: list[RecoveredDraft]  # newest first
    problems: list[RecoveryProblem]


def _same_store(a: Path | str | None, b: Path | str | None) -> bool:
    if a is None or b is None:
        return False
    return os.path.realpath(a) == os.path.realpath(b)


def _encode(document: dict[str, Any]) -> bytes:
    try:
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate: keep it exactly, as a JSON escape
        return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii") + b"\n"


def _fingerprint(story: Story, base_version: int, store_path: str) -> str:
    """What a draft says, apart from when it was written: an unchanged draft is not written again."""
    text = json.dumps([story.to_dict(), base_version, store_path], ensure_ascii=True, sort_keys=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# -- the journal ------------------------------------------------------------------------------------------
class RecoveryJournal:
    """One user's drafts in one folder.  Not shared between users; safe across that user's processes."""

    def __init__(
        self,
        folder: Path | str | None = None,
        *,
        user: str | None = None,
        clock: Callable[[], datetime] = now,
        session: str | None = None,
    ) -> None:
        self.folder = Path(os.path.abspath(folder if folder is not None else default_recovery_folder()))
        self.user = user if user is not None else current_user()
        # With a session, each process writes its own file per story: one OS user with two desks open on
        # the same story must not have one session's save discard (or overwrite) the other's draft.
        self.session = session
        self.clock = clock
        self._written: dict[str, tuple[str, tuple[int, int, int]]] = {}
        # Files of other (ended) sessions this one recovered, by story id: `discard(id)` removes them too.
        self._adopted: dict[str, set[Path]] = {}

    def path_for(self, story_id: str) -> Path:
        """`<folder>/<story id>.json`; an id that is not a plain file name is hashed into one."""
        name = self._file_stem(story_id)
        if self.session:
            name = f"{name}.{self.session}"
        return self.folder / (name + _SUFFIX)

    def _file_stem(self, story_id: str) -> str:
        if _SAFE_NAME.fullmatch(story_id):
            return story_id
        return "id-" + hashlib.sha256(story_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def is_draft_file(self, path: Path | str) -> bool:
        """Whether `path` names a draft file in this journal's folder (what `discard_file` may remove)."""
        candidate = Path(path)
        name = candidate.name
        if not name.endswith(_SUFFIX) or name.startswith(".") or name == _SUFFIX:
            return False
        try:
            return os.path.realpath(candidate.parent) == os.path.realpath(self.folder) and not candidate.is_dir()
        except OSError:
            return False

    def discard_file(self, path: Path | str) -> bool:
        """Remove exactly one draft file found by `scan` (another session's, after recovering or declining it).

        False when it is gone already.  Raises RecoveryError for anything that is not a draft file in this
        journal's folder (the store, a folder, a file elsewhere): those are never removed.
        """
        if not self.is_draft_file(path):
            raise RecoveryError(f"{path} is not a recovery draft in {self.folder}; it was left where it is.")
        target = Path(os.path.abspath(path))
        try:
            os.unlink(target)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise RecoveryError(f"Could not remove the recovery copy {path}: {_reason(error)}.") from error
        finally:
            self._forget_path(target)
        _fsync_dir(self.folder)
        return True

    def discard_draft(self, draft: RecoveredDraft) -> bool:
        """Remove the file of a draft that was offered (recovered or declined); False when it is gone already."""
        return self.discard_file(draft.path)

    def adopt(self, draft: RecoveredDraft) -> None:
        """This session carries on a recovered draft: `discard(draft.story_id)` removes its file too.

        So however the draft is then dealt with (saved, discarded, kept mine, taken theirs, saved as a copy
        under a new id), discarding by the story id it was recovered under leaves nothing to offer again.
        """
        self._adopted.setdefault(draft.story_id, set()).add(Path(os.path.abspath(draft.path)))

    def _forget_path(self, path: Path) -> None:
        for story_id, (_, _) in list(self._written.items()):
            if self.path_for(story_id) == path:
                del self._written[story_id]
        for paths in self._adopted.values():
            paths.discard(path)

    # writing ------------------------------------------------------------------------------------------------
    def save_draft(self, story: Story, *, base_version: int, store_path: Path | str) -> bool:
        """Write the draft atomically; False when the same draft is already on disk (nothing written).

        Raises RecoveryError (disk full, read-only or missing folder…); the editor keeps the text.
        """
        target = self.path_for(story.id)
        store = os.path.abspath(store_path)
        fingerprint = _fingerprint(story, base_version, store)
        last = self._written.get(story.id)
        if last is not None and last[0] == fingerprint and last[1] == _identity(target):
            return False
        document = {
            "format": RECOVERY_FORMAT,
            "version": RECOVERY_VERSION,
            "story_id": story.id,
            "base_version": base_version,
            "store_path": store,
            "user": self.user,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "saved_at": self.clock().isoformat(),
            "story": story.to_dict(),
        }
        data = _encode(document)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(target, data, temp_suffix=_TEMP_SUFFIX, mode=0o600)
        except OSError as error:
            headline = story.headline or "the story"
            raise RecoveryError(
                f"Could not keep a recovery copy of “{headline}” in {self.folder}: {_reason(error)}. "
                f"Your text is still in the editor; save it to the store."
            ) from error
        self._written[story.id] = (fingerprint, _identity(target))
        return True

    def discard(self, story_id: str) -> bool:
        """Remove the story's draft: this session's file and any recovered file `adopt`ed for the story.

        After a save, or when the editor declines or throws the changes away.  False if there was none.
        Another running session's draft of the same story is left alone.
        """
        self._written.pop(story_id, None)
        removed = self.discard_file(self.path_for(story_id))
        for path in sorted(self._adopted.pop(story_id, set())):
            removed = self.discard_file(path) or removed
        return removed

    # reading ------------------------------------------------------------------------------------------------
    def load(self, story_id: str) -> RecoveredDraft | None:
        """The story's draft, or None; raises RecoveryError if the file is there but unreadable."""
        path = self.path_for(story_id)
        try:
            return _read_draft(path)
        except FileNotFoundError:
            return None
        except _Unreadable as problem:
            raise RecoveryError(str(RecoveryProblem(path, str(problem)))) from problem

    def scan(self, store_path: Path | str | None = None) -> RecoveryScan:
        """Every readable draft (only `store_path`'s if given), newest first, and the files that are not.

        Never raises for a bad file; a folder that cannot be listed is reported as a problem too.
        """
        drafts: list[RecoveredDraft] = []
        problems: list[RecoveryProblem] = []
        try:
            entries = sorted(os.scandir(self.folder), key=lambda entry: entry.name)
        except FileNotFoundError:
            return RecoveryScan([], [])
        except OSError as error:
            return RecoveryScan([], [RecoveryProblem(self.folder, f"the folder cannot be read: {_reason(error)}")])
        for entry in entries:
            if entry.name.startswith("."):
                if entry.name.endswith(_TEMP_SUFFIX):
                    self._remove_leftover(entry)
                continue
            if not entry.name.endswith(_SUFFIX):
                continue
            path = Path(entry.path)
            try:
                draft = _read_draft(path)
            except FileNotFoundError:
                continue  # discarded meanwhile
            except _Unreadable as problem:
                problems.append(RecoveryProblem(path, str(problem)))
                continue
            if store_path is None or _same_store(draft.store_path, store_path):
                drafts.append(draft)
        drafts.sort(key=lambda draft: draft.saved_at, reverse=True)
        return RecoveryScan(drafts, problems)

    def drafts_for(self, story_id: str, store_path: Path | str | None = None) -> list[RecoveredDraft]:
        """Every session's readable draft of one story (of `store_path` if given), newest first.

        For offering a kept draft again when its story is opened; only that story's files are read.
        """
        stem = self._file_stem(story_id)
        try:
            names = [
                entry.name
                for entry in os.scandir(self.folder)
                if entry.name.endswith(_SUFFIX) and (entry.name == stem + _SUFFIX or entry.name.startswith(stem + "."))
            ]
        except OSError:
            return []
        found: list[RecoveredDraft] = []
        for name in sorted(names):
            try:
                draft = _read_draft(self.folder / name)
            except (FileNotFoundError, _Unreadable):
                continue
            if draft.story_id == story_id and (store_path is None or _same_store(draft.store_path, store_path)):
                found.append(draft)
        found.sort(key=lambda draft: draft.saved_at, reverse=True)
        return found

    def drafts(self, store_path: Path | str | None = None) -> list[RecoveredDraft]:
        """`scan(store_path).drafts`: what to offer at start-up (see `scan` for the unreadable files)."""
        return self.scan(store_path).drafts

    def _remove_leftover(self, entry: os.DirEntry[str]) -> None:
        with contextlib.suppress(OSError):
            if time.time() - entry.stat(follow_symlinks=False).st_mtime > LEFTOVER_AGE_SECONDS:
                os.unlink(entry.path)


def _identity(path: Path) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _Unreadable(Exception):
    """Why a journal file cannot be read (a clause, not a sentence)."""


def _read_draft(path: Path) -> RecoveredDraft:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_DRAFT_BYTES + 1)
    except FileNotFoundError:
        raise
    except IsADirectoryError as error:
        raise _Unreadable("it is a folder") from error
    except OSError as error:
        raise _Unreadable(_reason(error)) from error
    if len(data) > _MAX_DRAFT_BYTES:
        raise _Unreadable("it is far too large to be a draft")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise _Unreadable("it is not UTF-8 text") from error
    except ValueError as error:
        raise _Unreadable("it is not whole JSON; perhaps cut short") from error
    if not isinstance(document, dict) or document.get("format") != RECOVERY_FORMAT:
        raise _Unreadable("it is not a newsroom recovery draft")
    version = document.get("version")
    if not isinstance(version, int) or version > RECOVERY_VERSION:
        raise _Unreadable(f"it was written by a newer newsroom (format {version!r})")
    base_version = document.get("base_version")
    raw_story = document.get("story")
    if not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 0:
        raise _Unreadable("its base version is missing")
    if not isinstance(raw_story, dict):
        raise _Unreadable("it holds no story")
    try:
        story = Story.from_dict(raw_story)
        saved_at = parse_datetime(str(document.get("saved_at")))
    except (TypeError, ValueError, KeyError) as error:
        raise _Unreadable(f"its story cannot be read: {error}") from error
    store = document.get("store_path")
    pid = document.get("pid")
    return RecoveredDraft(
        story=story,
        base_version=base_version,
        store_path=Path(store) if isinstance(store, str) and store else None,
        saved_at=saved_at,
        user=str(document.get("user") or ""),
        host=str(document.get("host") or ""),
        pid=pid if isinstance(pid, int) else 0,
        path=path,
    )


# -- comparing with the store -----------------------------------------------------------------------------
def draft_is_saved(draft: RecoveredDraft, stored: Story | None) -> bool:
    """Whether the store already holds everything the draft says (the process died after saving)."""
    from newsroom_tui.domain.history import changed_fields  # difflib and the history view: not at start-up

    return stored is not None and stored.version >= draft.base_version and not changed_fields(stored, draft.story)


def diff_against_store(draft: RecoveredDraft, stored: Story | None) -> list[str | DiffLine]:
    """Lines for the recovery dialog: what the draft would change in the story as the store has it now."""
    from newsroom_tui.domain.history import body_lines, diff_lines

    lines: list[str | DiffLine] = []
    if stored is None:
        lines.append("This story is not in the store: the recovered draft is all there is of it.")
        stored = Story(id=draft.story.id, headline="", language=draft.story.language, version=0)
    elif stored.version != draft.base_version:
        who = stored.updated_by or "another editor"
        lines.append(
            f"The store has version {stored.version} (last saved by {who}); this draft was started from "
            f"version {draft.base_version}, so saving it will be refused as a conflict."
        )
    # Metadata through the history view's wording; the body with labels that say which side is which.
    lines.extend(diff_lines(stored, draft.story.copy(body=stored.body)))
    lines.extend(
        body_lines(
            stored.body,
            draft.story.body,
            old_label=f"in the store (version {stored.version})" if stored.version else "(none)",
            new_label="in the recovered draft",
        )
    )
    if not lines:
        lines.append("The recovered draft says exactly what the store has.")
    return lines
