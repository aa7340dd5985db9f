"""The recovery journal: drafts survive kills whole, bad files never stop the desk, text round-trips exactly."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsroom_tui.storage.drafts as recovery_module
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.drafts import (
    RecoveryError,
    RecoveryJournal,
    default_recovery_folder,
    diff_against_store,
    draft_is_saved,
    recovery_folder_from,
)

BANGLA = "পদ্মা সেতুর টোল জুলাই থেকে বাড়বে।\n\nযাত্রীরা উদ্বিগ্ন।"


@pytest.fixture
def journal(tmp_path: Path) -> RecoveryJournal:
    return RecoveryJournal(tmp_path / "recovery", user="rina")


def story(**changes: object) -> Story:
    values: dict[str, object] = {"headline": "Padma toll to fall", "slug": "padma-toll", "body": BANGLA, "version": 3}
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# -- saving and loading -----------------------------------------------------------------------------------------
def test_a_draft_round_trips_with_who_when_and_where(journal: RecoveryJournal, db_path: Path) -> None:
    draft = story(tags=["bridge", "সেতু"], history=[{"action": "submit", "by": "rina"}])
    assert journal.save_draft(draft, base_version=3, store_path=db_path) is True
    loaded = journal.load(draft.id)
    assert loaded is not None
    assert loaded.story == draft and loaded.base_version == 3 and not loaded.is_new
    assert loaded.store_path == db_path and loaded.user == "rina" and loaded.pid == os.getpid()
    assert (datetime.now(UTC) - loaded.saved_at).total_seconds() < 60
    assert loaded.path == journal.folder / f"{draft.id}.json"
    assert "পদ্মা" in loaded.path.read_text(encoding="utf-8"), "UTF-8 as itself, not \\u escapes"
    assert loaded.describe(UTC).startswith("“Padma toll to fall”: unsaved changes from ")
    assert os.stat(journal.folder).st_mode & 0o777 == 0o700, "one editor's drafts are theirs alone"
    assert os.stat(loaded.path).st_mode & 0o777 == 0o600
    assert journal.drafts(db_path) == [loaded]
    assert journal.drafts(db_path.parent / "other.json") == []
    assert journal.drafts() == [loaded]


def test_a_new_story_has_a_draft_too(journal: RecoveryJournal, db_path: Path) -> None:
    new = Story(headline="", body="half a sentence")
    journal.save_draft(new, base_version=0, store_path=db_path)
    [draft] = journal.drafts(db_path)
    assert draft.is_new and draft.story == new
    assert draft.describe().startswith("“(no headline)”") and "(a new story)" in draft.describe()


def test_drafts_are_newest_first_and_matched_by_real_store_path(tmp_path: Path, db_path: Path) -> None:
    times = iter([datetime(2024, 3, 14, 10, minute, tzinfo=UTC) for minute in (1, 3, 2)])
    journal = RecoveryJournal(tmp_path / "recovery", user="rina", clock=lambda: next(times))
    stories = [story(headline=name) for name in ("first", "second", "third")]
    for item in stories:
        journal.save_draft(item, base_version=3, store_path=db_path)
    link = tmp_path / "link-to-desk"
    link.symlink_to(db_path.parent, target_is_directory=True)
    assert [draft.story.headline for draft in journal.drafts(link / "newsroom.json")] == ["second", "third", "first"]


def test_an_unchanged_draft_is_not_written_again(journal: RecoveryJournal, db_path: Path) -> None:
    draft = story()
    assert journal.save_draft(draft, base_version=3, store_path=db_path) is True
    assert journal.save_draft(draft.copy(), base_version=3, store_path=db_path) is False
    assert journal.save_draft(draft.copy(body="more"), base_version=3, store_path=db_path) is True
    journal.path_for(draft.id).unlink()  # another of this user's processes discarded it
    assert journal.save_draft(draft.copy(body="more"), base_version=3, store_path=db_path) is True
    assert journal.load(draft.id) is not None


def test_discard(journal: RecoveryJournal, db_path: Path) -> None:
    draft = story()
    journal.save_draft(draft, base_version=3, store_path=db_path)
    assert journal.discard(draft.id) is True
    assert journal.load(draft.id) is None and journal.drafts() == []
    assert journal.discard(draft.id) is False
    assert journal.save_draft(draft, base_version=3, store_path=db_path) is True, "written again after discard"


def test_an_id_that_is_not_a_file_name_is_hashed(journal: RecoveryJournal, db_path: Path) -> None:
    odd = story(id="../../etc/passwd")
    journal.save_draft(odd, base_version=3, store_path=db_path)
    path = journal.path_for(odd.id)
    assert path.parent == journal.folder and path.name.startswith("id-")
    loaded = journal.load(odd.id)
    assert loaded is not None and loaded.story.id == "../../etc/passwd"


def test_default_folder_is_the_user_state_dir_or_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NEWSROOM_RECOVERY", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_recovery_folder() == tmp_path / "state" / "newsroom" / "recovery"
    configured = type("Settings", (), {"sections": {"recovery": {"folder": str(tmp_path / "mine")}}})()
    assert recovery_folder_from(configured) == tmp_path / "mine"
    monkeypatch.setenv("NEWSROOM_RECOVERY", str(tmp_path / "env"))
    assert default_recovery_folder() == tmp_path / "env"
    assert recovery_folder_from(configured) == tmp_path / "env", "the environment wins, as NEWSROOM_DB does"
    assert RecoveryJournal().folder == tmp_path / "env"


# -- damage and failure --------------------------------------------------------------------------------------------
def test_unreadable_files_are_reported_and_skipped(journal: RecoveryJournal, db_path: Path) -> None:
    good = story()
    journal.save_draft(good, base_version=3, store_path=db_path)
    whole = journal.path_for(good.id).read_bytes()
    folder = journal.folder
    (folder / "cut-short.json").write_bytes(whole[: len(whole) // 2])
    (folder / "binary.json").write_bytes(b"\x00\xff\xfe\x00" * 50)
    (folder / "not-utf8.json").write_bytes(json.dumps({"format": "x"}).encode() + b"\xff")
    (folder / "other.json").write_text(json.dumps({"hello": "world"}))
    (folder / "newer.json").write_text(json.dumps({"format": "newsroom-recovery-draft", "version": 99}))
    document = json.loads(whole)
    document["story"]["status"] = "half-published"
    (folder / "bad-story.json").write_text(json.dumps(document))
    document = json.loads(whole)
    del document["base_version"]
    (folder / "no-base.json").write_text(json.dumps(document))
    (folder / "folder.json").mkdir()
    (folder / "notes.txt").write_text("not ours, not a draft")
    scan = journal.scan()
    assert [draft.story for draft in scan.drafts] == [good]
    reasons = {problem.path.name: problem.reason for problem in scan.problems}
    assert reasons == {
        "bad-story.json": "its story cannot be read: its status is “half-published”, not a status",
        "binary.json": "it is not UTF-8 text",
        "cut-short.json": "it is not whole JSON; perhaps cut short",
        "folder.json": "it is a folder",
        "newer.json": "it was written by a newer newsroom (format 99)",
        "no-base.json": "its base version is missing",
        "not-utf8.json": "it is not UTF-8 text",
        "other.json": "it is not a newsroom recovery draft",
    }
    assert str(scan.problems[0]).endswith("; it was left where it is.")
    assert (folder / "cut-short.json").exists(), "never deleted: it may be the only copy of someone's words"
    (folder / "cut-short.json").rename(journal.path_for("abc"))
    with pytest.raises(RecoveryError, match=r"abc\.json cannot be read"):
        journal.load("abc")


def test_a_folder_that_cannot_be_listed_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "recovery"
    blocker.write_text("a file where the folder should be")
    journal = RecoveryJournal(blocker)
    scan = journal.scan()
    assert scan.drafts == [] and len(scan.problems) == 1 and "cannot be read" in scan.problems[0].reason
    with pytest.raises(RecoveryError, match="part of the path is a file") as caught:
        journal.save_draft(story(), base_version=3, store_path=tmp_path / "s.json")
    assert str(caught.value).startswith("Could not keep a recovery copy of “Padma toll to fall” in ")
    assert RecoveryJournal(tmp_path / "nothing-yet").scan().drafts == []


@pytest.mark.parametrize(
    ("patched", "code", "said"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.EDQUOT, "the disk quota is used up"),
        ("open", errno.EROFS, "read-only file system"),
        ("replace", errno.EACCES, "no permission to write there"),
    ],
)
def test_a_full_disk_or_read_only_folder_raises_a_clear_error_and_keeps_the_old_draft(
    journal: RecoveryJournal, db_path: Path, monkeypatch: pytest.MonkeyPatch, patched: str, code: int, said: str
) -> None:
    journal.save_draft(story(body="the old draft"), base_version=3, store_path=db_path)
    draft_id = journal.drafts()[0].story_id

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(recovery_module.os, patched, fail)
    with pytest.raises(RecoveryError, match=said) as caught:
        journal.save_draft(story(id=draft_id, body="the new words"), base_version=3, store_path=db_path)
    assert "Your text is still in the editor" in str(caught.value)
    monkeypatch.undo()
    loaded = journal.load(draft_id)
    assert loaded is not None and loaded.story.body == "the old draft"
    assert [path.name for path in journal.folder.iterdir()] == [f"{draft_id}.json"], "no temporary left"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_folder(journal: RecoveryJournal, db_path: Path) -> None:
    journal.folder.mkdir(mode=0o500)
    try:
        with pytest.raises(RecoveryError, match="no permission"):
            journal.save_draft(story(), base_version=3, store_path=db_path)
    finally:
        journal.folder.chmod(0o700)


def test_old_temporaries_are_cleaned_and_fresh_ones_kept(journal: RecoveryJournal, db_path: Path) -> None:
    journal.save_draft(story(), base_version=3, store_path=db_path)
    old = journal.folder / ".abc.json.123-beef.part"
    fresh = journal.folder / ".abc.json.456-cafe.part"
    old.write_text("{")
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    scan = journal.scan()
    assert len(scan.drafts) == 1 and scan.problems == []
    assert not old.exists() and fresh.exists(), "a live writer's temporary is left alone"


# -- comparing with the store ---------------------------------------------------------------------------------------
def test_diff_against_store(journal: RecoveryJournal, db_path: Path) -> None:
    stored = story(body="First paragraph.\n\nSecond paragraph.", updated_by="aziz")
    edited = stored.copy(headline="Padma toll to fall by a fifth", body="First paragraph.\n\nSecond, rewritten.")
    journal.save_draft(edited, base_version=3, store_path=db_path)
    draft = journal.drafts()[0]
    lines = [str(line) for line in diff_against_store(draft, stored)]
    assert lines == [
        "headline: Padma toll to fall → Padma toll to fall by a fifth",
        "body, in the store (version 3) → in the recovered draft:",
        "¶2- Second paragraph.",  # too little left in common: out and in, not a word soup
        "¶2+ Second, rewritten.",
    ]
    assert not draft_is_saved(draft, stored)

    newer = stored.copy(version=5, updated_by="aziz")
    assert diff_against_store(draft, newer)[0].startswith("The store has version 5 (last saved by aziz); this draft")
    assert diff_against_store(draft, None)[0].startswith("This story is not in the store")
    assert "body, (none) → in the recovered draft:" in map(str, diff_against_store(draft, None))

    saved = edited.copy(version=4, updated_by="rina")  # the process died between saving and discarding
    assert draft_is_saved(draft, saved)
    assert diff_against_store(draft, edited) == ["The recovered draft says exactly what the store has."]
    assert not draft_is_saved(draft, None)


# -- exact text ------------------------------------------------------------------------------------------------------
NASTY = st.one_of(
    st.sampled_from(["ঢাকা", "ক্ষ", "র‍্যাব", "কি\u200cন্তু", "।", "৳১২৩", "😀", "👩🏽‍💻", "🇧🇩", "e\u0301", "\u0301\u0308"]),
    st.sampled_from(["[bold]", "[/b]", "[link=x]", "[red]x[/]", "{x}", "<b>", "\\", '"']),
    st.sampled_from(["\x1b[31m", "\x1b]52;c;x\x07", "\x1bc", "\x9b2J"]),
    st.sampled_from(["\x00", "\x07", "\x7f", "\x9b", "\u202e", "\ufeff", "\r\n", "\r", "\t", "\n\n", "\u2028"]),
    st.text(st.characters(codec="utf-8"), max_size=12),
)
TEXT = st.lists(NASTY, max_size=20).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headline=TEXT, body=TEXT, byline=TEXT, tags=st.lists(TEXT, max_size=4))
def test_any_unicode_draft_round_trips_exactly_after_the_clean_step(
    journal: RecoveryJournal, db_path: Path, headline: str, body: str, byline: str, tags: list[str]
) -> None:
    draft = Story(headline=headline, body=body, byline=byline, tags=tags, ednote=body).cleaned()
    journal.save_draft(draft, base_version=0, store_path=db_path)
    loaded = journal.load(draft.id)
    assert loaded is not None and loaded.story == draft
    journal.discard(draft.id)


def test_even_uncleaned_text_with_lone_surrogates_round_trips(journal: RecoveryJournal, db_path: Path) -> None:
    raw = story(body="a\ud800b \udfff \x1b[2J \x00 ঢাকা 😀", headline="\u202eevil\r\n")
    journal.save_draft(raw, base_version=3, store_path=db_path)
    loaded = journal.load(raw.id)
    # What a journal file holds is cleaned when it is read, like anything stored (a hand edit, an older tool).
    assert loaded is not None and loaded.story == raw.cleaned()
    assert loaded.story.body == "a\ufffdb \ufffd   ঢাকা 😀" and loaded.story.headline == "evil"
    journal.path_for(raw.id).read_bytes().decode("utf-8")  # still valid UTF-8 on disk


# -- kill -9 --------------------------------------------------------------------------------------------------------
# Writes ever-changing drafts of one story in a loop, in small slow pieces so kills land mid-write, and
# prints "WROTE n" after each save_draft returns.
DRAFT_WRITER = r"""
import hashlib, random, sys, time
import newsroom_tui.storage.atomicfile as atomicfile
import newsroom_tui.storage.drafts as recovery
from newsroom_tui.domain.model import Story

real_write_all = atomicfile.write_all
def slowly(fd, data):
    for start in range(0, len(data), 4096):
        real_write_all(fd, data[start : start + 4096])
        time.sleep(0.0003)
atomicfile.write_all = slowly
folder, story_id, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
journal = recovery.RecoveryJournal(folder, user="rina")
words = "পদ্মা সেতুর টোল বাড়ছে the toll rises 😀 [b] ঢাকা".split()
previous = journal.load(story_id)
n = int(previous.story.ednote.split(":")[0]) if previous else 0
print("READY", n, flush=True)
while True:
    n += 1
    body = " ".join(rng.choice(words) for _ in range(rng.randint(500, 6000)))
    ednote = f"{n}:" + hashlib.sha256(body.encode()).hexdigest()[:16]
    draft = Story(id=story_id, headline=f"draft {n}", body=body, ednote=ednote)
    journal.save_draft(draft, base_version=7, store_path="/desk/newsroom.json")
    print("WROTE", n, flush=True)
"""


@pytest.mark.slow
def test_kill_9_while_writing_drafts_leaves_the_old_or_the_new_whole_draft(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    journal = RecoveryJournal(folder)
    story_id = "5f0c0ffee"
    rng = random.Random(4121)
    acknowledged, mid_write = 0, 0
    for run in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", DRAFT_WRITER, str(folder), story_id, str(run)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline() == f"READY {acknowledged}\n", "the child starts from the last whole draft"
        time.sleep(rng.uniform(0.05, 0.25))
        child.kill()
        child.wait()
        output = child.stdout.read()
        child.stdout.close()
        wrote = [int(line.split()[1]) for line in output.splitlines(keepends=True) if line.endswith("\n")]
        acknowledged = max(wrote, default=acknowledged)
        draft = journal.load(story_id)
        assert draft is not None, f"no draft after kill {run}"
        n, body_digest = draft.story.ednote.split(":")
        assert body_digest == digest(draft.story.body), "a whole draft, never a mix"
        assert draft.story.headline == f"draft {n}"
        assert int(n) in (acknowledged, acknowledged + 1), "the old draft or the new one"
        mid_write += int(n) == acknowledged + 1 or bool(list(folder.glob(".*.part")))
        acknowledged = int(n)
        assert journal.scan().problems == []
    print(f"\ndraft writer: 15 kill -9s, {acknowledged} drafts acknowledged, {mid_write} kills mid-write")
    assert acknowledged > 15, "the children did write"
    assert mid_write > 0, "some kills landed in the middle of a write"
