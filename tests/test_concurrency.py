"""Many processes at once: concurrent `newsroom import`s into one store, and an editor killed mid-save.

Figures are printed (`pytest -s tests/test_concurrency.py`) so a run can be reported.
"""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.formats.wire import export_wire, parse_wire_file
from newsroom_tui.storage.drafts import RecoveryJournal
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.text.slugs import slug_from_headline

pytestmark = pytest.mark.slow

DHAKA = ZoneInfo("Asia/Dhaka")
TOPICS = [
    "Padma Bridge toll for small trucks to fall",
    "Chattogram port handles record container volume",
    "Tigers clinch series in Sylhet",
    "ঢাকায় বায়ুর মান আবারও খারাপ",
    "চাঁদপুরে ইলিশের দাম কমেছে",
    "Power trade deal signed in Kathmandu",
]


def wire_batch(folder: Path, writer: int, count: int) -> list[Path]:
    """`count` distinct wire files for one writer, in the portal's layout (English and Bangla)."""
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        topic = TOPICS[(writer + n) % len(TOPICS)]
        bangla = not topic.isascii()
        headline = f"{topic} {writer}-{n}" if not bangla else f"{topic} {writer} {n}"
        published = datetime(2024, 3, 13, 3, 45, tzinfo=UTC) + timedelta(minutes=97 * writer + 7 * n)
        paragraphs = [
            f"Paragraph {k} from writer {writer}, file {n}: the desk's `copy` with an NBSP\u00a0inside."
            if not bangla
            else f"লেখক {writer}, ফাইল {n}, অনুচ্ছেদ {k}: পদ্মা সেতুর টোল কমছে।"
            for k in range(1, 5)
        ]
        story = Story(
            headline=headline,
            body="\n\n".join(paragraphs),
            byline="Staff Correspondent",
            source="newsroom.example",
            credit="BSS" if n % 2 else "",
            sign_off="Dhaka/Rafiqul/NR" if n % 3 else "",
            language="bn" if bangla else "en",
            created_at=published,
            updated_at=published + timedelta(minutes=n),
        )
        masthead = "নিউজরুম অনলাইন নিউজ পোর্টাল" if bangla else "Newsroom Online News Portal"
        text = export_wire(story, masthead=masthead, edition_city="Dhaka", zone=DHAKA, edition_date=published)
        path = folder / f"wire-{writer}-{n:02}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_concurrent_imports_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    writers, per_writer = 6, 10
    db = tmp_path / "desk" / "newsroom.json"
    batches = [wire_batch(tmp_path / f"wire-{writer}", writer, per_writer) for writer in range(writers)]
    expected = {
        (story.headline, story.created_at): story
        for story in (parse_wire_file(path, zone=DHAKA) for batch in batches for path in batch)
    }
    assert len(expected) == writers * per_writer
    assert len({slug_from_headline(headline) for headline, _ in expected}) == len(expected), "distinct slugs"

    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsroom_tui", "import", str(tmp_path / f"wire-{writer}"), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for writer in range(writers)
    ]
    results = [process.communicate(timeout=60) for process in processes]
    elapsed = time.monotonic() - started
    assert [process.returncode for process in processes] == [0] * writers, [err for _, err in results]
    assert all(err == "" for _, err in results)
    for out, _ in results:
        lines = out.splitlines()
        assert len(lines) == per_writer and all(line.startswith("imported  ") for line in lines)

    with StoryStore(db) as store:
        stories = store.list_stories()
        found = {(story.headline, story.created_at): story for story in stories}
        assert len(stories) == len(found) == len(expected), "none lost, none duplicated"
        assert found.keys() == expected.keys()
        for key, story in found.items():
            assert story.body == expected[key].body and story.version == 1
        assert len({story.slug for story in stories}) == len(stories)
        assert len({story.id for story in stories}) == len(stories)
        revisions = sum(len(store.revisions(story.id)) for story in stories)
    print(
        f"\nimport: {writers} processes x {per_writer} files at once, {len(stories)} stories written, "
        f"0 lost, 0 duplicated, {revisions} revisions, {elapsed:.2f} s wall"
    )

    again = subprocess.run(
        [sys.executable, "-m", "newsroom_tui", "import", *(str(tmp_path / f"wire-{w}") for w in range(writers)),
         "--db", str(db)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert again.stdout.count("skipped ") == len(expected)
    with StoryStore(db) as store:
        assert len(store) == len(expected), "importing everything again adds nothing"


def test_concurrent_imports_of_the_same_files_import_each_once(tmp_path: Path) -> None:
    db = tmp_path / "desk" / "newsroom.json"
    wire_batch(tmp_path / "wire", 0, 20)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsroom_tui", "import", str(tmp_path / "wire"), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=60)[1] for process in processes]
    with StoryStore(db) as store:
        headlines = [story.headline for story in store.list_stories()]
    assert len(headlines) == len(set(headlines)) == 20, f"{len(headlines)} stories from 20 files"
    assert [process.returncode for process in processes] == [0] * 4, errors


# An editor's process, as the desk will run it: takes the story's lock, offers (and here accepts) the
# recovery draft a killed predecessor left, then edits and saves in a loop, writing the recovery draft
# before each save and discarding it after.  "TYPED n" means edit n is safe on disk (in the journal);
# "SAVED n" means the store acknowledged it.  On SIGHUP it keeps what is typed, as the app's handler will.
EDITOR = r"""
import hashlib, os, random, signal, sys
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.drafts import RecoveryJournal, draft_is_saved
from newsroom_tui.storage.store import StoryStore

store_path, folder, story_id, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
words = "পদ্মা সেতুর টোল বাড়ছে the toll rises in July ঢাকা Dhaka 😀 [bold] e\u0301".split()
store = StoryStore(store_path)
journal = RecoveryJournal(folder, user="crash")
book = LockBook(store_path, user="crash")
result = book.acquire(story_id)
print("LOCK", int(result.ok), result.replaced.pid if result.replaced else 0, flush=True)
story = store.get(story_id)
draft = journal.load(story_id)
if draft is not None and not draft_is_saved(draft, story):
    if draft.base_version != story.version:
        print("CONFLICT", draft.base_version, story.version, flush=True)
        sys.exit(3)
    story = store.save(draft.story, user="crash")
    print("RECOVERED", story.ednote.split(":")[0], flush=True)
journal.discard(story_id)
n = int(story.ednote.split(":")[0])
current, base = story, story.version

def keep_what_is_typed(signum, frame):
    journal.save_draft(current, base_version=base, store_path=store_path)
    os._exit(129)

signal.signal(signal.SIGHUP, keep_what_is_typed)
print("READY", flush=True)
while True:
    n += 1
    paragraphs = (" ".join(rng.choice(words) for _ in range(rng.randint(5, 80))) for _ in range(rng.randint(1, 12)))
    body = "\n\n".join(paragraphs)
    base = story.version
    current = story.copy(body=body, ednote=f"{n}:" + hashlib.sha256(body.encode()).hexdigest()[:16])
    journal.save_draft(current, base_version=base, store_path=store_path)
    print("TYPED", n, flush=True)
    story = store.save(current, user="crash")
    print("SAVED", n, flush=True)
    journal.discard(story_id)
"""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def edit_number(story: Story) -> int:
    number, body_digest = story.ednote.split(":")
    assert body_digest == digest(story.body), "a whole story, never a torn one"
    return int(number)


def test_an_editor_killed_at_random_moments_never_loses_acknowledged_text(tmp_path: Path) -> None:
    db = tmp_path / "desk" / "newsroom.json"
    folder = tmp_path / "recovery"
    with StoryStore(db) as store:
        story_id = store.save(Story(headline="Padma toll", slug="padma-toll", body="", ednote=f"0:{digest('')}"),
                              user="parent").id  # fmt: skip
    journal = RecoveryJournal(folder)
    watcher = LockBook(db, user="desk-chief")
    rng = random.Random(20240314)
    typed = saved = from_journal = recovered = 0
    signals = {signal.SIGKILL: 0, signal.SIGHUP: 0}
    previous_pid = 0
    started = time.monotonic()
    runs = 24
    for run in range(runs):
        child = subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(db), str(folder), story_id, str(run)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        lock_line = child.stdout.readline().split()
        assert lock_line[:2] == ["LOCK", "1"], "the killed editor's lock was stale, so it could be had"
        assert int(lock_line[2]) == previous_pid, "and it names the dead process it replaced"
        seen: list[str] = []
        if rng.random() < 0.85:  # mostly mid-editing; sometimes still starting (recovering) when killed
            line = child.stdout.readline()
            while line.startswith("RECOVERED"):
                recovered += 1
                line = child.stdout.readline()
            assert line == "READY\n", line
            # Killed after a set number of acknowledged saves (so machine load cannot change how much is
            # saved), then either as soon as the next edit is typed (its save is under way: the text is in
            # the recovery journal only) or a random moment later.
            saves = rng.randint(1, 6)
            at_typed = rng.random() < 0.4
            while True:
                line = child.stdout.readline()
                assert line.endswith("\n"), f"editor {run} ended before it was killed"
                seen.append(line)
                acknowledged = sum(earlier.startswith("SAVED ") for earlier in seen)
                if acknowledged >= saves and (not at_typed or line.startswith("TYPED ")):
                    break
            if not at_typed:
                time.sleep(rng.uniform(0.0, 0.02))
        sent = rng.choice([signal.SIGKILL, signal.SIGHUP])
        child.send_signal(sent)
        signals[sent] += 1
        child.wait()
        assert child.returncode in (-signal.SIGKILL, -signal.SIGHUP, 129)
        output = "".join(seen) + child.stdout.read()
        child.stdout.close()
        previous_pid = child.pid
        for line in output.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut by the kill: never acknowledged
            word, *rest = line.split()
            if word == "TYPED":
                typed = max(typed, int(rest[0]))
            elif word == "SAVED":
                saved = max(saved, int(rest[0]))
            elif word == "RECOVERED":
                recovered += 1

        with StoryStore(db) as store:  # the store opens after every kill
            in_store = edit_number(store.get(story_id))
        scan = journal.scan()
        assert scan.problems == [], "every draft is whole"
        in_journal = max((edit_number(draft.story) for draft in scan.drafts), default=0)
        assert in_store >= saved, f"an acknowledged save was lost after kill {run}"
        assert max(in_store, in_journal) >= typed, f"acknowledged text was lost after kill {run}"
        from_journal += in_store < typed <= in_journal
        assert watcher.holder(story_id) is None, "a dead editor's lock is stale"
    elapsed = time.monotonic() - started
    print(
        f"\ncrash loop: {runs} kills ({signals[signal.SIGKILL]} SIGKILL, {signals[signal.SIGHUP]} SIGHUP) in "
        f"{elapsed:.1f} s; {typed} edits typed, {saved} saves acknowledged; after {from_journal} kills the latest "
        f"text was only in the recovery journal, {recovered} drafts recovered on restart; 0 lost"
    )
    assert saved > 50, "the editor did save"
    assert from_journal > 0, "some kills landed between the draft and the save"


def test_imports_through_a_symlink_and_the_real_path_exclude_each_other(tmp_path: Path) -> None:
    """Issue 11, item 1: the import lock was beside the path given, so an import through a link and one
    through the real path did not exclude each other (the store's own lock now lives on the journal)."""
    real = tmp_path / "desk" / "newsroom.json"
    link = tmp_path / "home" / "newsroom.json"
    link.parent.mkdir()
    wire_batch(tmp_path / "wire", 0, 20)
    StoryStore(real).close()
    link.symlink_to(real)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsroom_tui", "import", str(tmp_path / "wire"), "--db", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (link, real, link, real)
    ]
    errors = [process.communicate(timeout=60)[1] for process in processes]
    with StoryStore(real) as store:
        headlines = [story.headline for story in store.list_stories()]
    assert len(headlines) == len(set(headlines)) == 20, f"{len(headlines)} stories from 20 files"
    assert [process.returncode for process in processes] == [0] * 4, errors
    assert sorted(path.name for path in link.parent.iterdir()) == ["newsroom.json"], "nothing beside the link"
