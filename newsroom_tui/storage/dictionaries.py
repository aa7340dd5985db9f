"""The spelling dictionaries' files: which ones, read how fast, and the word lists the desk keeps.

Sources, per language: the system's Hunspell dictionary (`/usr/share/hunspell/en_US.*`, `bn_BD.*`) when
present, else the copy shipped in `newsroom_tui/dictionaries/` (xz-compressed; licences beside them);
then the desk's own additions shipped there (`en_desk.txt`, `bn_desk.txt`).  Expanding Hunspell's affixes
and normalising 280,000 words takes about a second, so the result is kept in the user cache dir as a
`marshal` file (no code runs when it is read, unlike pickle) named by a digest of the sources' paths,
sizes and modification times and the checker's version: a changed source builds a new one; reading it
takes a few tens of milliseconds.

The desk dictionary is `newsroom-words.txt` beside the store, shared by the whole desk (names and words
an editor added with a key or `newsroom words add`); the personal list is `words.txt` in the editor's
config dir.  Both are plain text, one word a line, written atomically under a file lock so that two
editors adding at once both keep their word.  The words a story ignores ("ignore in this story") are
`newsroom-spelling-ignored.json` beside it: per story id, kept across sessions and editors but outside the
story's versions (ignoring a word is not a change readers see, so it must not make a live story "changed").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import lzma
import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir

from newsroom_tui.storage.atomicfile import LockTimeout, PathLock, make_folder, os_reason, write_atomically
from newsroom_tui.text.spelling import (
    Lexicon,
    Speller,
    british_variants,
    expand_hunspell,
    normalise,
    parse_word_list,
)

APP_NAME = "newsroom"
LANGUAGES = ("en", "bn")
HUNSPELL_NAMES = {"en": "en_US", "bn": "bn_BD"}
SYSTEM_DIRS: tuple[Path, ...] = (Path("/usr/share/hunspell"),)
PACKAGED_DIR = Path(__file__).resolve().parent.parent / "dictionaries"
DESK_WORDS_NAME = "newsroom-words.txt"
IGNORED_NAME = "newsroom-spelling-ignored.json"
MAX_IGNORED_PER_STORY = 500
CACHE_VERSION = 6  # bump when normalise(), expand_hunspell() or the cache layout change
WORDS_LOCK_TIMEOUT = 5.0
MAX_WORD_LENGTH = 60
LICENCES = {
    "en": "SCOWL (permissive; en_US.LICENSE)",
    "bn": "GPL-2 (the LibreOffice Bengali list; bn_BD.COPYING)",
}


class DictionaryError(Exception):
    """A word list cannot be read or written; str() is one sentence saying why."""


@dataclass(frozen=True)
class Source:
    """Where one language's main dictionary comes from."""

    language: str
    dic: Path
    aff: Path | None
    origin: str  # "system" or "shipped"

    @property
    def licence(self) -> str:
        return LICENCES[self.language]


def find_source(language: str, system_dirs: tuple[Path, ...] | None = None) -> Source | None:
    """The system's Hunspell dictionary for `language` when there is one, else the shipped copy."""
    name = HUNSPELL_NAMES[language]
    for folder in system_dirs if system_dirs is not None else hunspell_dirs():
        dic = folder / f"{name}.dic"
        if dic.is_file():
            aff = folder / f"{name}.aff"
            return Source(language, dic, aff if aff.is_file() else None, "system")
    dic = PACKAGED_DIR / f"{name}.dic.xz"
    if dic.is_file():
        aff = PACKAGED_DIR / f"{name}.aff.xz"
        return Source(language, dic, aff if aff.is_file() else None, "shipped")
    return None


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".xz":
        data = lzma.decompress(data)
    return data.decode("utf-8", errors="replace")


def _stamp(paths: list[Path]) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for path in paths:
        info = path.stat()
        digest.update(f"{path.resolve()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def default_cache_dir() -> Path:
    """$NEWSROOM_SPELLING_CACHE, else the user cache dir."""
    folder = os.environ.get("NEWSROOM_SPELLING_CACHE")
    return Path(folder) if folder else Path(user_cache_dir(APP_NAME, appauthor=False))


def hunspell_dirs() -> tuple[Path, ...]:
    """Where system Hunspell dictionaries are looked for: $NEWSROOM_HUNSPELL_DIRS (colon-separated;
    empty: none, so only the shipped copies are used), else /usr/share/hunspell."""
    value = os.environ.get("NEWSROOM_HUNSPELL_DIRS")
    if value is None:
        return SYSTEM_DIRS
    return tuple(Path(part) for part in value.split(os.pathsep) if part)


def load_lexicon(
    language: str,
    *,
    cache_dir: Path | None = None,
    system_dirs: tuple[Path, ...] | None = None,
) -> Lexicon:
    """One language's lexicon, from the compiled cache when it is current, else built (and cached)."""
    source = find_source(language, system_dirs)
    extra = PACKAGED_DIR / f"{language}_desk.txt"
    inputs = [p for p in (source.dic if source else None, source.aff if source else None, extra) if p is not None]
    inputs = [p for p in inputs if p.is_file()]
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    cached = folder / f"spelling-{language}-{_stamp(inputs)}.marshal" if inputs else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            version, stored, stored_no_suggest = marshal.loads(cached.read_bytes())
            if version == CACHE_VERSION:
                return Lexicon(language, frozenset(stored), frozenset(stored_no_suggest), _keys_reader(cached))
    words: set[str] = set()
    no_suggest: set[str] = set()
    if source is not None:
        aff = _read_text(source.aff) if source.aff is not None else ""
        words, no_suggest = expand_hunspell(_read_text(source.dic), aff)
        if language == "en":
            words |= british_variants(words)
    if extra.is_file():
        words |= {normalise(word) for word in parse_word_list(extra.read_text(encoding="utf-8"))}
    lexicon = Lexicon(language, frozenset(words), frozenset(no_suggest))
    if cached is not None:
        _save_cache(cached, lexicon)
        lexicon.keys_loader = _keys_reader(cached)
    return lexicon


def _keys_path(cached: Path) -> Path:
    return cached.with_suffix(".keys")


def _keys_reader(cached: Path) -> Callable[[], dict[str, str] | None]:
    """Read the suggester's index from beside the word cache, building and caching it when missing."""

    def read() -> dict[str, str] | None:
        path = _keys_path(cached)
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            version, keys = marshal.loads(path.read_bytes())
            if version == CACHE_VERSION and isinstance(keys, dict):
                return keys
        return None

    return read


def _save_cache(path: Path, lexicon: Lexicon) -> None:
    """Best effort: a read-only or full cache dir only costs the next start the build again."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, marshal.dumps((CACHE_VERSION, tuple(lexicon.words), tuple(lexicon.no_suggest))))
        write_atomically(_keys_path(path), marshal.dumps((CACHE_VERSION, lexicon.build_keys())))
        for old in path.parent.glob(f"spelling-{lexicon.language}-*"):
            if old not in (path, _keys_path(path)):
                with contextlib.suppress(OSError):
                    old.unlink()


def cache_is_current(language: str, *, cache_dir: Path | None = None) -> bool:
    """Is there a compiled cache for `language`'s current sources (so loading takes milliseconds)?"""
    source = find_source(language)
    extra = PACKAGED_DIR / f"{language}_desk.txt"
    inputs = [p for p in (source.dic if source else None, source.aff if source else None, extra) if p is not None]
    inputs = [p for p in inputs if p.is_file()]
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    return bool(inputs) and (folder / f"spelling-{language}-{_stamp(inputs)}.marshal").is_file()


def build_caches(cache_dir: Path | None = None) -> None:
    """Compile both languages' caches (what `python -m newsroom_tui.storage.dictionaries` runs)."""
    for language in LANGUAGES:
        load_lexicon(language, cache_dir=cache_dir)


def load_speller(
    *,
    cache_dir: Path | None = None,
    system_dirs: tuple[Path, ...] | None = None,
    accepted: tuple[Path, ...] = (),
) -> Speller:
    """Both languages' dictionaries, and the words of the word lists in `accepted` (desk, personal)."""
    lexicons = {
        language: load_lexicon(language, cache_dir=cache_dir, system_dirs=system_dirs) for language in LANGUAGES
    }
    words: list[str] = []
    for path in accepted:
        words += WordList(path).words()
    return Speller(lexicons).with_accepted(words)


# -- the desk dictionary and the personal list --------------------------------------------------------------
def desk_words_path(db_path: Path) -> Path:
    """The desk dictionary: beside the store, so every editor of the desk reads the same one."""
    return db_path.parent / DESK_WORDS_NAME


def ignored_words_path(db_path: Path) -> Path:
    """The words each story ignores: beside the store, like the desk dictionary."""
    return db_path.parent / IGNORED_NAME


def personal_words_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "words.txt"


_HEADER = "# newsroom word list: one word a line (names, loanwords…); `newsroom words add WORD` adds one.\n"


class WordList:
    """A plain word list on disk: read it whole, add or remove a word atomically under a file lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def stamp(self) -> tuple[int, int] | None:
        """(size, mtime) to notice another editor's change cheaply; None when there is no file."""
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns)

    def words(self) -> list[str]:
        try:
            return parse_word_list(self.path.read_text(encoding="utf-8", errors="replace"))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise DictionaryError(f"Cannot read the word list {self.path}: {os_reason(error)}.") from error

    def add(self, word: str) -> bool:
        """Add `word`; False when it was there already (in any normal form)."""
        word = check_word(word)

        def adding(words: list[str]) -> list[str] | None:
            return None if normalise(word) in map(normalise, words) else [*words, word]

        return self._change(adding)

    def remove(self, word: str) -> bool:
        """Remove `word`; False when it was not there."""
        target = normalise(word.strip())
        return self._change(
            lambda words: [w for w in words if normalise(w) != target] if target in map(normalise, words) else None
        )

    def _change(self, edit: Callable[[list[str]], list[str] | None]) -> bool:
        def write() -> bool:
            changed = edit(self.words())
            if changed is None:
                return False
            body = "".join(f"{w}\n" for w in sorted(set(changed), key=lambda w: (normalise(w).casefold(), w)))
            write_atomically(self.path, (_HEADER + body).encode("utf-8"), like=os.stat(self.path))
            return True

        return locked_change(self.path, "the word list", write)


def locked_change(path: Path, what: str, change: Callable[[], bool]) -> bool:
    """Run `change` (read, edit, write) under an exclusive lock on `path` itself (`PathLock`: a replaced
    file is noticed by a waiter, which then locks the new one); a busy or unwritable file is one sentence.

    A new file takes its folder's group and read/write bits: a desk folder shared by a group gives a
    file the whole desk can write; a private folder a private file."""
    folder = path.parent
    try:
        make_folder(folder)
        lock = PathLock(path, timeout=WORDS_LOCK_TIMEOUT, create=True, mode=0o600, like=folder)
        lock.acquire()
        try:
            return change()
        finally:
            lock.release()
    except LockTimeout as error:
        raise DictionaryError(
            f"{what.capitalize()} {path} is busy (another editor is changing it); try again."
        ) from error
    except OSError as error:
        raise DictionaryError(f"Cannot write {what} {path}: {os_reason(error)}.") from error


def _is_word(word: str) -> bool:
    try:
        return check_word(word) == word
    except DictionaryError:
        return False


def check_word(word: str) -> str:
    """One word as a list takes it: no spaces, no control characters, not too long."""
    word = word.strip()
    if not word or any(char.isspace() for char in word):
        raise DictionaryError("A word list takes one word at a time, without spaces.")
    if any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in word) or "#" in word:
        raise DictionaryError(f"{word!r} has characters a word cannot have.")
    if len(word) > MAX_WORD_LENGTH:
        raise DictionaryError(f"That word is longer than {MAX_WORD_LENGTH} characters.")
    return word


class IgnoredWords:
    """The words each story ignores, one JSON file for the desk: {story id: [words]}, changed atomically
    under a lock on the file itself, as the word lists are; read again only when its size or time change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._table: dict[str, frozenset[str]] = {}

    def for_story(self, story_id: str) -> frozenset[str]:
        """What `story_id` ignores; nothing when the file is missing or damaged (the checks go on)."""
        try:
            info = self.path.stat()
        except OSError:
            return frozenset()
        stamp = (info.st_size, info.st_mtime_ns)
        if stamp != self._stamp:
            try:
                self._table = {key: frozenset(words) for key, words in self._read().items()}
            except DictionaryError:
                self._table = {}
            self._stamp = stamp
        return self._table.get(story_id, frozenset())

    def _read(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            reason = os_reason(error) if isinstance(error, OSError) else "it is not valid JSON"
            raise DictionaryError(f"Cannot read the ignored words {self.path}: {reason}.") from error
        if not isinstance(data, dict):
            raise DictionaryError(f"Cannot read the ignored words {self.path}: it is not a table of stories.")
        return {  # a hand-edited entry that is no word is dropped, not a reason to lose the rest
            str(key): [w for w in words if isinstance(w, str) and _is_word(w)][:MAX_IGNORED_PER_STORY]
            for key, words in data.items()
            if isinstance(words, list)
        }

    def ignore(self, story_id: str, word: str) -> bool:
        """`story_id` stops flagging `word`; False when it already did."""
        word = check_word(word)

        def adding(table: dict[str, list[str]]) -> bool:
            words = table.setdefault(story_id, [])
            if word in words:
                return False
            if len(words) >= MAX_IGNORED_PER_STORY:
                raise DictionaryError(
                    f"A story ignores at most {MAX_IGNORED_PER_STORY} words; add names to the desk dictionary."
                )
            words.append(word)
            return True

        return self._change(adding)

    def unignore(self, story_id: str, word: str) -> bool:
        """`story_id` flags `word` again; False when it did not ignore it."""
        word = word.strip()

        def removing(table: dict[str, list[str]]) -> bool:
            words = table.get(story_id, [])
            if word not in words:
                return False
            words.remove(word)
            if not words:
                del table[story_id]
            return True

        return self._change(removing)

    def _change(self, edit: Callable[[dict[str, list[str]]], bool]) -> bool:
        def write() -> bool:
            try:
                table = self._read()
            except DictionaryError:
                if self.path.stat().st_size:
                    raise  # a damaged file is never overwritten: the editor is told where it is
                table = {}  # the lock just created it, empty
            if not edit(table):
                return False
            body = json.dumps({key: sorted(words) for key, words in sorted(table.items())}, ensure_ascii=False)
            write_atomically(self.path, (body + "\n").encode("utf-8"), like=os.stat(self.path))
            self._stamp = None
            return True

        return locked_change(self.path, "the ignored words", write)


if __name__ == "__main__":  # the desk compiles the caches in a process of its own: seconds of CPU, once
    build_caches()
