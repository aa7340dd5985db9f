"""Spelling for both front ends: the dictionaries loaded once per process, the desk dictionary and the
editor's own list kept current, and `newsroom words add/remove/list`.

The desk loads the dictionaries in a worker after its first screen (`load`), so nothing waits for them;
until then `speller(wait=False)` is None and the checks simply have no spelling findings.  The command
line waits (`wait=True`): from the compiled cache that is well under a tenth of a second.  Another
editor's `newsroom words add` is picked up by the next check: the word lists' size and time are looked
at (a stat each), and only a change re-reads them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.contract import IgnoredWordStore, Store, WordStore
    from newsroom_tui.text.spelling import Speller

LISTS = ("desk", "personal")
DATABASE_LOOK_SECONDS = 3.0  # how stale a desk on PostgreSQL lets the shared words get (another editor's add)


@dataclass(frozen=True)
class WordsChange:
    """What `add`/`remove` did, as one sentence for the editor."""

    changed: bool
    message: str


class SpellingService:
    """One per process (the Newsroom's `spelling`): load once, then hand out a current speller."""

    def __init__(self, settings: Settings, *, cache_dir: Path | None = None, store: Store | None = None) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        # The store, when open: a database's word lists then share its connection (not one each).
        self.store = store
        self._base: Speller | None = None
        self._current: Speller | None = None
        self._stamps: tuple[object, ...] | None = None
        self._loading = threading.Lock()
        self._ignored: IgnoredWordStore | None = None
        self._lists: dict[str, WordStore] = {}
        # A database store is asked in a thread, never on the check's own (the desk's UI) thread: what
        # the check uses is what the last look found (`_in_background`).
        self._looked_at = 0.0
        self._looking = False
        self._ignored_seen: dict[str, frozenset[str]] = {}
        # The desk sets this: it compiles a missing cache in a child process (the CLI just compiles), and
        # asks a database for the shared words in a thread (the CLI just waits).
        self.compile_elsewhere = False

    # -- the word lists -----------------------------------------------------------------------------
    def word_list(self, which: str) -> WordStore:
        if which not in self._lists:
            self._lists[which] = self._open_list(which)
        return self._lists[which]

    def _open_list(self, which: str) -> WordStore:
        """Made once: a database's list keeps its connection (one per check was one connection per check)."""
        from newsroom_tui.storage.dictionaries import WordList, desk_words_path, personal_words_path

        if which == "desk":
            if self.settings.store_url is not None:  # a newsroom on PostgreSQL: the desk's words are there
                from newsroom_tui.storage.backends import desk_words_for

                return desk_words_for(self.settings.store_url, store=self.store)
            return WordList(desk_words_path(self.settings.db_path))
        if which == "personal":
            return WordList(personal_words_path())
        raise UserError(f"There is no word list called {which!r}: say desk or personal.")

    def add(self, word: str, which: str = "desk") -> WordsChange:
        return self._change(word, which, adding=True)

    def remove(self, word: str, which: str = "desk") -> WordsChange:
        return self._change(word, which, adding=False)

    def _change(self, word: str, which: str, *, adding: bool) -> WordsChange:
        from newsroom_tui.storage.dictionaries import DictionaryError
        from newsroom_tui.storage.store import StoreError

        words = self.word_list(which)
        name = "the desk dictionary" if which == "desk" else "your own word list"
        try:
            changed = words.add(word) if adding else words.remove(word)
        except (DictionaryError, StoreError) as error:
            raise UserError(str(error)) from error
        word = word.strip()
        if adding:
            message = f"Added {word!r} to {name} ({words.path})." if changed else f"{word!r} is already in {name}."
        else:
            message = f"Removed {word!r} from {name}." if changed else f"{word!r} is not in {name}."
        self._stamps = None  # the next check reads the lists again
        return WordsChange(changed, message)

    # -- what one story ignores ----------------------------------------------------------------------
    def _ignored_words(self) -> IgnoredWordStore:
        if self._ignored is None:
            from newsroom_tui.storage.dictionaries import IgnoredWords, ignored_words_path

            if self.settings.store_url is not None:
                from newsroom_tui.storage.backends import ignored_words_for

                self._ignored = ignored_words_for(self.settings.store_url, store=self.store)
            else:
                self._ignored = IgnoredWords(ignored_words_path(self.settings.db_path))
        return self._ignored

    def ignored(self, story_id: str) -> frozenset[str]:
        """The words `story_id` no longer flags (every editor's "ignore in this story", kept).  For a
        database store, what the last look in a thread found (nothing until it has looked)."""
        if self.settings.store_url is None or not self.compile_elsewhere:
            # A file's stat is cheap enough for every check; the command line may wait for the database.
            return self._ignored_words().for_story(story_id)
        if story_id not in self._ignored_seen:
            self._ignored_seen[story_id] = frozenset()
            self._looked_at = 0.0  # a story just opened: look now
        self._in_background()
        return self._ignored_seen[story_id]

    def ignore(self, story_id: str, word: str) -> WordsChange:
        return self._ignore(story_id, word, ignoring=True)

    def unignore(self, story_id: str, word: str) -> WordsChange:
        return self._ignore(story_id, word, ignoring=False)

    def _ignore(self, story_id: str, word: str, *, ignoring: bool) -> WordsChange:
        from newsroom_tui.storage.dictionaries import DictionaryError
        from newsroom_tui.storage.store import StoreError

        book = self._ignored_words()
        try:
            changed = book.ignore(story_id, word) if ignoring else book.unignore(story_id, word)
            if self.settings.store_url is not None:
                self._ignored_seen[story_id] = book.for_story(story_id)
        except (DictionaryError, StoreError) as error:
            raise UserError(str(error)) from error
        word = word.strip()
        if ignoring:
            done = f"{word!r} is ignored in this story, for every editor."
            message = done if changed else f"{word!r} is already ignored here."
        else:
            message = f"{word!r} is checked again in this story." if changed else f"{word!r} was not ignored here."
        return WordsChange(changed, message)

    def words(self, which: str = "desk") -> list[str]:
        from newsroom_tui.storage.dictionaries import DictionaryError
        from newsroom_tui.storage.store import StoreError

        try:
            return self.word_list(which).words()
        except (DictionaryError, StoreError) as error:
            raise UserError(str(error)) from error

    # -- the speller ---------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._base is not None

    def load(self) -> Speller:
        """Load both dictionaries (the compiled cache, or built and cached: seconds, once)."""
        with self._loading:
            if self._base is None:
                from newsroom_tui.storage.dictionaries import load_speller

                if self.compile_elsewhere:
                    self._compile_in_a_process()
                self._base = load_speller(cache_dir=self.cache_dir)
        speller = self.speller(wait=True)
        assert speller is not None
        return speller

    def _compile_in_a_process(self) -> None:
        """The first start ever (or after a dictionary changed) compiles the caches: about five seconds
        of CPU, done in a child process so the desk's own thread keeps the keyboard quick.  Best effort:
        if it fails, `load_speller` compiles in this process instead."""
        import os
        import subprocess
        import sys

        from newsroom_tui.storage.dictionaries import LANGUAGES, cache_is_current

        if all(cache_is_current(language, cache_dir=self.cache_dir) for language in LANGUAGES):
            return
        env = dict(os.environ)
        if self.cache_dir is not None:
            env["NEWSROOM_SPELLING_CACHE"] = str(self.cache_dir)
        try:
            subprocess.run(
                [sys.executable, "-m", "newsroom_tui.storage.dictionaries"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return

    def speller(self, *, wait: bool = True) -> Speller | None:
        """The speller with the desk's and the editor's words as they are now; None while the
        dictionaries are not loaded and `wait` is False."""
        if self._base is None:
            if not wait:
                return None
            return self.load()
        if self.settings.store_url is not None and self._current is not None and self.compile_elsewhere:
            self._in_background()
            return self._current
        return self._rebuild()

    def _in_background(self) -> None:
        """Look at the database's words again in a thread, at most every DATABASE_LOOK_SECONDS: a check
        (0.4 s after typing, on the desk's UI thread) never waits for the network, nor for a database
        that is away (its connection attempt takes up to 5 s)."""
        if self._looking or time.monotonic() - self._looked_at < DATABASE_LOOK_SECONDS:
            return
        self._looking = True

        def look() -> None:
            try:
                self._rebuild()
                book = self._ignored_words()
                for story_id in list(self._ignored_seen):
                    self._ignored_seen[story_id] = book.for_story(story_id)
            except Exception:  # a look that fails keeps what the last one found
                pass
            finally:
                self._looked_at = time.monotonic()
                self._looking = False

        threading.Thread(target=look, name="newsroom-words", daemon=True).start()

    def _rebuild(self) -> Speller:
        assert self._base is not None
        lists = [self.word_list(which) for which in LISTS]
        stamps = tuple(words.stamp() for words in lists)
        if self._current is None or stamps != self._stamps:
            accepted: list[str] = []
            for words in lists:
                try:
                    accepted += words.words()
                except Exception:  # an unreadable list must not stop the checks
                    continue
            self._current = self._base.with_accepted(accepted)
            self._stamps = stamps
        return self._current

    def sources(self) -> list[str]:
        """One line per language: where its dictionary comes from and under which licence."""
        from newsroom_tui.storage.dictionaries import LANGUAGES, find_source

        lines = []
        for language in LANGUAGES:
            source = find_source(language)
            name = "English" if language == "en" else "Bangla"
            if source is None:
                lines.append(f"{name}: no dictionary found (only the desk's own words).")
            else:
                lines.append(f"{name}: {source.dic} ({source.origin}), licence {source.licence}.")
        return lines
