"""Issue 13's command line: "whole 50–70-character slugs are required (`newsroom export padma` → "There is no
story…"): accept a unique prefix, and say "did you mean" otherwise.  `list` has ragged columns and no desk or
byline; `export` has no default format; there is no `mark-edited`, no `unlock`/take-over." """

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.cli.main import main
from newsroom_tui.domain.model import Status
from newsroom_tui.text.columns import cell_width
from tests.factories import make_story, run_newsroom, store_with

LONG = "padma-bridge-toll-for-small-trucks-to-fall-by-a-fifth-from-april"


@pytest.fixture
def desk_store(db_path):  # type: ignore[no-untyped-def]
    return store_with(
        db_path,
        make_story(headline="Padma Bridge toll for small trucks to fall by a fifth", slug=LONG, desk="National",
                   byline="Staff Correspondent", body="Tolls fall."),
        make_story(headline="Padma Bridge toll for small trucks to fall by a fifth", slug=LONG + "-2",
                   desk="National", byline="Rafiqul Islam"),
        make_story(headline="চাঁদপুরে ইলিশের দাম চড়া, হতাশ ক্রেতারা আর বিক্রেতারা দুজনেই", slug="chandpure-ilish",
                   desk="Business", byline="চাঁদপুর প্রতিনিধি"),
        make_story(headline="Chattogram port handles a record", slug="chattogram-port", desk="Business"),
        make_story(headline="Spiked story", slug="spiked-story", status=Status.SPIKED),
    )  # fmt: skip


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_unique_start_of_a_slug_will_do_and_anything_else_says_did_you_mean(db_path, desk_store, capsys):
    db = ("--db", str(db_path))
    code, out, _ = run(capsys, "export", "chandpure", *db)
    assert code == 0 and "চাঁদপুরে ইলিশের দাম চড়া" in out
    code, out, err = run(capsys, "export", "padma", *db)
    assert code == 1 and "'padma' is the start of 2 slugs" in err
    assert f"did you mean {LONG} or {LONG}-2?" in err
    code, out, err = run(capsys, "export", "ch", *db)
    assert "did you mean chandpure-ilish or chattogram-port?" in err
    code, out, err = run(capsys, "history", "chatogram", *db)
    assert code == 1 and "There is no story with the slug 'chatogram'" in err and "did you mean chattogram-port?" in err
    code, out, err = run(capsys, "export", "zzzz", *db)
    assert code == 1 and "did you mean" not in err, "nothing close: no guess"
    # The whole slug still wins over being a prefix of a longer one.
    code, out, _ = run(capsys, "export", LONG, "--format", "ninjs", *db)
    assert code == 0 and f'"slugline": "{LONG}"' in out
    # A command that only reads takes it, and says which story; one that changes a story wants the whole
    # slug (tests/test_whole_slugs.py).
    code, out, err = run(capsys, "check", "--no-spelling", "chandp", *db)
    assert code == 0 and "neither a file" not in err and "chandp → chandpure-ilish" in err, err
    code, out, err = run(capsys, "submit", "chatt", *db)
    assert code == 1 and "Give the whole slug" in err and "“chattogram-port”" in err, err


def test_more_than_three_starting_so_are_offered_three_and_another(db_path, capsys):
    store_with(db_path, *(make_story(slug=f"budget-{n}") for n in range(5)))
    code, _, err = run(capsys, "export", "budg", "--db", str(db_path))
    assert code == 1
    assert "is the start of 5 slugs" in err and "budget-0, budget-1, budget-2 or another?" in err


def test_export_without_a_format_is_the_wire_text(db_path, desk_store, capsys):
    code, plain, _ = run(capsys, "export", "chattogram", "--db", str(db_path))
    code2, wire, _ = run(capsys, "export", "chattogram", "--format", "wire", "--db", str(db_path))
    assert code == code2 == 0 and plain == wire and "Chattogram port handles a record" in plain
    shown = " ".join(run_newsroom("export", "--help").stdout.split())
    assert "default: wire" in shown and "without --format: the wire text" in shown


def test_list_lines_up_its_columns_to_the_width(db_path, desk_store, settings=None):
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.usecases.listing import list_lines
    from tests.factories import settings_for

    with StoryStore(db_path) as store:
        stories = [story for story in store.list_stories() if story.status is not Status.SPIKED]
    for width in (80, 100, 160):
        lines = list_lines(stories, settings_for(db_path), width=width)
        assert len({cell_width(line) for line in lines}) == 1, f"ragged at {width}: {lines}"
        assert all(cell_width(line) <= width for line in lines), width
        assert any(line.startswith("draft  ") for line in lines)
    wide = list_lines(stories, settings_for(db_path), width=160)
    assert any("National" in line and "Rafiqul Islam" in line and "from-april-2 " in line for line in wide)
    narrow = list_lines(stories, settings_for(db_path), width=100)
    cut = [line.split()[1] for line in narrow if line.split()[1].startswith("padma")]
    assert all("…" in slug for slug in cut) and any(slug.endswith("april-2") for slug in cut), "the end shows"
    assert not any("Rafiqul" in line for line in narrow), "the byline gives way to the headline first"
    assert "chattogram-port " in next(line for line in narrow if "Chattogram" in line), "short slugs whole"
    # Bangla is cut between clusters and padded by the cells a terminal draws.
    assert any("চাঁদপুরে" in line for line in narrow)


def test_list_leaves_out_spiked_and_killed_unless_asked(db_path, desk_store):
    listed = run_newsroom("list", "--db", str(db_path))
    assert listed.returncode == 0 and "spiked-story" not in listed.stdout
    assert "1 story spiked or killed not shown; --all shows them." in listed.stderr
    assert len(listed.stdout.splitlines()) == 4
    assert all(cell_width(line) <= 100 for line in listed.stdout.splitlines()), "100 columns when not a terminal"
    everything = run_newsroom("list", "--all", "--db", str(db_path))
    assert "spiked-story" in everything.stdout and everything.stderr == ""
    assert "spiked-story" in run_newsroom("list", "--status", "spiked", "--db", str(db_path)).stdout


def test_mark_edited_is_a_command(db_path, desk_store, capsys):
    code, out, err = run(capsys, "mark-edited", "chandpure-ilish", "--db", str(db_path))
    assert code == 0 and "marked as edited" in out and "draft → edited" in out, err


def test_unlock_takes_the_story_from_the_editor_who_has_it_open(db_path, desk_store, rina, capsys):
    from newsroom_tui.cli import commands
    from tests.factories import settings_for

    story = desk_store[3]
    assert rina.acquire(story.id).ok
    refused = run_newsroom("unlock", "chattogram-port", "--db", str(db_path))
    assert refused.returncode == 1 and "rina" in refused.stderr and "--yes" in refused.stderr
    assert rina.heartbeat() == [], "refused: she still has it"
    asked: list[str] = []
    assert commands.unlock(settings_for(db_path), "chattogram-port", ask=lambda q: asked.append(q) or False) == 0
    assert asked and "rina" in asked[0] and "Take it from them? [y/N]" in asked[0]
    assert rina.heartbeat() == []
    done = run_newsroom("unlock", "chattogram-port", "--yes", "--db", str(db_path))
    assert done.returncode == 0 and "unlocked    chattogram-port  taken from rina" in done.stdout, done.stderr
    assert rina.heartbeat() == [story.id], "her desk learns at its next heartbeat that it lost the story"
    nobody = run_newsroom("unlock", "chandpure-ilish", "--db", str(db_path))
    assert nobody.returncode == 0 and "there is nothing to unlock" in nobody.stdout


def test_list_says_when_a_scheduled_story_goes_out_or_that_it_is_overdue(db_path, capsys):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    later = datetime.now(UTC) + timedelta(days=2)
    store_with(
        db_path,
        make_story(headline="Budget speech", slug="budget", status=Status.SCHEDULED, scheduled_at=later),
        make_story(headline="Hilsa ban", slug="hilsa", status=Status.SCHEDULED,
                   scheduled_at=datetime.now(UTC) - timedelta(minutes=3)),
    )  # fmt: skip
    code, out, _ = run(capsys, "list", "--db", str(db_path))
    due = later.astimezone(ZoneInfo("Asia/Dhaka")).strftime("%d %b %H:%M")
    assert code == 0
    assert f"due {due}" in next(line for line in out.splitlines() if "budget" in line)
    assert "overdue since" in next(line for line in out.splitlines() if "hilsa" in line)


def test_an_export_never_overwrites_the_store_or_a_file_beside_it(db_path, desk_store, tmp_path):
    """An export typed onto the store (or a link to it) would replace every story with one story's text."""
    before = db_path.read_bytes()
    link = tmp_path / "story.txt"
    link.symlink_to(db_path)
    for target in (db_path, link, db_path.with_name(db_path.name + ".revisions")):
        done = run_newsroom("export", "chattogram", "-o", str(target), "--db", str(db_path))
        assert done.returncode == 1, done.stdout
        assert "is part of the story store" in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before and link.is_symlink()
    for beside in ("newsroom-deliveries.json", "newsroom-words.txt", ".newsroom.json.rows"):
        done = run_newsroom("export", "chattogram", "-o", str(db_path.with_name(beside)), "--db", str(db_path))
        assert done.returncode == 1 and "is part of the story store" in done.stderr, beside
    weekly = db_path.with_name("newsroom-weekly.txt")  # an editor's own file beside the store is fine
    assert run_newsroom("export", "chattogram", "-o", str(weekly), "--db", str(db_path)).returncode == 0
    assert "Chattogram" in weekly.read_text(encoding="utf-8")


def test_a_lock_file_that_cannot_be_written_is_one_sentence_not_a_traceback(
    db_path, desk_store, rina, capsys, monkeypatch
):
    from newsroom_tui.domain.errors import LockError
    from newsroom_tui.usecases.newsroom import Newsroom

    assert rina.acquire(desk_store[3].id).ok

    def refuse(self, story_id):  # type: ignore[no-untyped-def]
        raise LockError("The lock file newsroom.json.locks.json cannot be written: permission denied.")

    monkeypatch.setattr(Newsroom, "take_over", refuse)
    code, _out, err = run(capsys, "unlock", "chattogram-port", "--yes", "--db", str(db_path))
    assert (
        code == 1 and err == "newsroom: The lock file newsroom.json.locks.json cannot be written: permission denied.\n"
    )


def test_the_man_page_into_a_closed_pipe_is_no_traceback(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        f"{sys.executable} -m newsroom_tui man | head -1", shell=True, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.startswith(".TH") and "Traceback" not in done.stderr


@given(st.text(alphabet=st.characters(max_codepoint=127, blacklist_characters="\r"), max_size=40), st.integers(-1, 42))
def test_an_ascii_cut_is_the_cluster_walks_cut(text: str, width: int) -> None:
    """`fit`'s short way for ASCII (a character a cell and a cluster) cuts where the walk by clusters does."""
    from newsroom_tui.text import columns
    from newsroom_tui.text.graphemes import next_boundary

    def walked(text: str, width: int) -> str:
        if width <= 0:
            return ""
        if sum(map(columns.char_cells, text)) <= width:
            return text
        used = end = 0
        while end < len(text):
            following = next_boundary(text, end)
            cells = sum(map(columns.char_cells, text[end:following]))
            if used + cells > width - 1:
                break
            used, end = used + cells, following
        return text[:end].rstrip() + columns.ELLIPSIS

    assert columns.fit(text, width) == walked(text, width)
    assert columns.cell_width(text) == sum(map(columns.char_cells, text))
