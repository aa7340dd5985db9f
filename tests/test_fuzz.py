"""Keep what holds: bounded, deterministic fuzzing of the wire importer and of the store opener (issue 11).

Seeded `random`, so a failure names its case and is replayed by its number.  A few hundred cases run in CI in
a few seconds; `NEWSROOM_FUZZ=N` runs N of each kind (e.g. `NEWSROOM_FUZZ=3000 pytest tests/test_fuzz.py`).

- Wire files (the seed stories, mangled): truncations, random bytes, NUL, invalid UTF-8, UTF-16/32, a BOM
  only, mixed line ends, a 5 MB file, impossible dates, mixed digit scripts, stray escapes.  Every file is
  imported (the story readable, no terminal control in it) or refused with one sentence, never a traceback,
  and a refused file leaves the store and its revisions byte-identical.
- Journals (a real store, damaged at random): each opens (and its stories and rows read, or are refused
  with one sentence) or is refused with one sentence, and a refused journal is left byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsroom_tui.storage.store import StoreError, StoryStore
from newsroom_tui.usecases.newsroom import Newsroom

from .factories import REPO, settings_for

CASES = int(os.environ.get("NEWSROOM_FUZZ", "0")) or None
WIRE_CASES = CASES or 300
JOURNAL_CASES = CASES or 200
SEEDS = sorted((REPO / "stories").glob("*.txt"))
DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
ESCAPES = ["\x1bP", "\x1b]0;PWNED\x07", "\x1b]", "\x1b[31m", "\x1b[2J", "\x9b", "\x9d", "\x1b_", "\x1bX", "\u202e"]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _random_bytes(rng: random.Random, data: bytes) -> bytes:
    return rng.randbytes(rng.randrange(2000))


def _nul(rng: random.Random, data: bytes) -> bytes:
    spots = sorted(rng.randrange(len(data)) for _ in range(rng.randint(1, 20)))
    out, last = [], 0
    for spot in spots:
        out += [data[last:spot], b"\x00" * rng.randint(1, 3)]
        last = spot
    return b"".join([*out, data[last:]])


def _invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    spot = rng.randrange(len(data))
    return data[:spot] + rng.choice([b"\xff", b"\xc3", b"\xe0\xa6", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"]) + data[spot:]


def _utf16_32(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8")
    return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"]))


def _bom_only(rng: random.Random, data: bytes) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf\n\n"])


def _line_ends(rng: random.Random, data: bytes) -> bytes:
    return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r", b"\n\r"]) for line in data.split(b"\n"))


def _dates(rng: random.Random, data: bytes) -> bytes:
    stamp = rng.choice(
        ["25:61, 31 February 2024", "09:45, 1 January 0001", "23:59, 31 December 9999", "09:45, 13 Smarch 2024",
         "09:45, 0 March 2024", "-1:00, 13 March 2024", "09:45, 13 March 99999999999", "০৯:৪৫, ৩১ ফেব্রুয়ারি ২০২৪"]
    )  # fmt: skip
    text = data.decode("utf-8")
    return text.replace("09:45, 13 March 2024", stamp, 1).replace("16:10, 13 March 2024", stamp).encode()


def _digits(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8")
    chars = [char.translate(DIGITS) if char.isdigit() and rng.random() < 0.5 else char for char in text]
    return "".join(chars).encode()


def _escapes(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8")
    for _ in range(rng.randint(1, 6)):
        spot = rng.randrange(len(text))
        text = text[:spot] + rng.choice(ESCAPES) + text[spot:]
    return text.encode("utf-8")


def _flips(rng: random.Random, data: bytes) -> bytes:
    mutable = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        mutable[rng.randrange(len(mutable))] = rng.randrange(256)
    return bytes(mutable)


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _truncate, _random_bytes, _nul, _invalid_utf8, _utf16_32, _bom_only, _line_ends, _dates, _digits, _escapes,
    _flips,
]  # fmt: skip


def wire_case(number: int) -> tuple[str, bytes]:
    rng = random.Random(number)
    seed = SEEDS[number % len(SEEDS)].read_bytes()
    mutation = MUTATIONS[number % len(MUTATIONS)]
    data = mutation(rng, seed)
    if rng.random() < 0.3:  # and a second mangling on top, now and then
        second = rng.choice(MUTATIONS)
        with contextlib.suppress(UnicodeDecodeError):  # a text mutation of bytes no longer text: keep the first
            data = second(rng, data or b"x")
            mutation = second
    return mutation.__name__, data


def store_files(db_path: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in db_path.parent.iterdir() if path.name.startswith("newsroom.json")}


def assert_one_sentence(message: str, what: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, (what, message)


def import_one(newsroom: Newsroom, db_path: Path, folder: Path, number: int, name: str, data: bytes) -> str:
    path = folder / f"case-{number}.txt"
    path.write_bytes(data)
    before = store_files(db_path)
    try:
        report = newsroom.import_files([path])
    except Exception as error:  # the point: nothing may escape
        raise AssertionError(f"case {number} ({name}) raised {error!r}") from error
    finally:
        path.unlink()
    (line,) = report.lines
    if line.kind == "failed":
        assert_one_sentence(line.message, f"case {number} ({name})")
        assert store_files(db_path) == before, f"case {number} ({name}): a refused file changed the store"
    elif line.kind == "imported":
        story = newsroom.store.find_by_slug(line.slug)
        assert story is not None and not story.has_terminal_control(), f"case {number} ({name})"
    return line.kind


def test_the_wire_importer_imports_or_refuses_every_mangled_file(tmp_path: Path) -> None:
    db_path = tmp_path / "store" / "newsroom.json"
    folder = tmp_path / "wire"
    folder.mkdir()
    kinds: dict[str, int] = {}
    with StoryStore(db_path) as store:
        newsroom = Newsroom(settings_for(db_path), store)
        for number in range(WIRE_CASES):
            name, data = wire_case(number)
            kind = import_one(newsroom, db_path, folder, number, name, data)
            kinds[kind] = kinds.get(kind, 0) + 1
        # One 5 MB file: a seed story with a paragraph repeated to 5 MB, imported or refused in good time.
        seed = SEEDS[0].read_bytes()
        paragraph = max(seed.split(b"\n"), key=len)
        big = seed.replace(paragraph, (paragraph + b"\n\n") * (5 * 1024 * 1024 // len(paragraph) + 1) + paragraph, 1)
        assert len(big) >= 5 * 1024 * 1024
        started = time.monotonic()
        import_one(newsroom, db_path, folder, -1, "5 MB", big)
        assert time.monotonic() - started < 20
    # Both outcomes are exercised (a re-import of the same story is "skipped", as it should be).
    taken = kinds.get("imported", 0) + kinds.get("skipped", 0)
    assert kinds.get("failed", 0) > WIRE_CASES // 10 and taken > WIRE_CASES // 10, kinds


# -- the store opener -------------------------------------------------------------------------------------------
def _damage(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    choice = rng.randrange(9)
    if choice == 0:  # truncate anywhere
        return data[: rng.randrange(len(data) + 1)]
    if choice == 1:  # flip bytes
        mutable = bytearray(data)
        for _ in range(rng.randint(1, 10)):
            mutable[rng.randrange(len(mutable))] = rng.randrange(256)
        return bytes(mutable)
    if choice == 2:  # cut a piece out
        start = rng.randrange(len(data))
        return data[:start] + data[start + rng.randint(1, 300) :]
    if choice == 3:  # garbage in the middle
        spot = rng.randrange(len(data))
        return data[:spot] + rng.randbytes(rng.randint(1, 200)) + data[spot:]
    if choice == 4:  # a line repeated or two swapped
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if rng.random() < 0.5:
            lines.insert(i, lines[j])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if choice == 5:  # deep nesting as a line
        lines.insert(rng.randrange(1, len(lines)), b"[" * rng.choice([10, 1000, 200_000]))
        return b"\n".join(lines)
    if choice == 6:  # a value replaced with a wrong type
        return data.replace(b'"body": "', rng.choice([b'"body": 5, "x": "', b'"body": [], "x": "']), 1)
    if choice == 7:  # a story replaced with a list, a number, null
        return data.replace(b'": {"headline"', rng.choice([b'": [1, {"headline"', b'": 7, "y": {"headline"']), 1)
    return data.replace(b'"id": "', b'"di": "', rng.randint(1, 3))  # ids gone


def test_the_store_opener_opens_or_refuses_every_damaged_journal(tmp_path: Path) -> None:
    good = tmp_path / "good" / "newsroom.json"
    with StoryStore(good) as store:
        newsroom = Newsroom(settings_for(good), store)
        newsroom.import_files(SEEDS[:6])
        for story in store.list_stories()[:3]:
            store.save(story.copy(body=story.body + "\n\nOne more paragraph."), user="desk")
    original = good.read_bytes()
    revisions = good.with_name("newsroom.json.revisions").read_bytes()
    outcomes: dict[str, int] = {}
    for number in range(JOURNAL_CASES):
        rng = random.Random(number)
        damaged = _damage(rng, original)
        case = tmp_path / f"case{number}"
        case.mkdir()
        db_path = case / "newsroom.json"
        db_path.write_bytes(damaged)
        db_path.with_name("newsroom.json.revisions").write_bytes(revisions)
        try:
            with StoryStore(db_path) as store:
                try:
                    store.list_stories()
                    store.story_rows()
                    outcome = "opened"
                except StoreError as error:
                    assert_one_sentence(str(error), f"journal case {number}")
                    outcome = "story refused"
        except StoreError as error:
            assert_one_sentence(str(error), f"journal case {number}")
            assert db_path.read_bytes() == damaged, f"journal case {number}: a refused journal was changed"
            outcome = "refused"
        except Exception as error:  # the point: nothing may escape
            raise AssertionError(f"journal case {number} raised {error!r}") from error
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        shutil.rmtree(case)
    assert outcomes.get("refused", 0) > JOURNAL_CASES // 10 and outcomes.get("opened", 0) > 0, outcomes


@pytest.mark.parametrize("number", [0, 1, 2])
def test_cases_are_deterministic(number: int) -> None:
    assert wire_case(number) == wire_case(number)
