"""Review finding: a command that changes a story acted on any unique start of its slug, so `newsroom kill padma
--reason …` killed whichever story happened to be the only one starting so.  A writer now needs the whole slug
and names the story it could have meant; a reader may take a unique start, but says on stderr which story."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.cli.main import main
from newsroom_tui.domain.model import Status
from newsroom_tui.storage.store import StoryStore
from tests.factories import make_story, ready_story, settings_for, store_with

SLUG = "padma-ferry-fares-cut"
REFUSAL = f"newsroom: No story has the slug “padma”; did you mean “{SLUG}”? Give the whole slug.\n"

# Every command that changes or removes a story, or takes its lock, with what else it needs.
WRITERS = [
    ("publish", "padma"),
    ("schedule", "padma", "--at", "2031-01-01 09:00"),
    ("deschedule", "padma"),
    ("correct", "padma", "--note", "a fare"),
    ("unpublish", "padma"),
    ("kill", "padma", "--reason", "wrong"),
    ("spike", "padma"),
    ("unspike", "padma"),
    ("submit", "padma"),
    ("mark-edited", "padma"),
    ("restore", "padma", "1"),
    ("unlock", "padma", "--yes"),
    ("check", "--fix", "--no-spelling", "padma"),
    ("words", "add", "ফেরিঘাট", "--story", "padma"),
    ("words", "remove", "ফেরিঘাট", "--story", "padma"),
]

READERS = [
    ("export", "padma"),
    ("history", "padma"),
    ("check", "--no-spelling", "padma"),
    ("words", "list", "--story", "padma"),
]


@pytest.fixture
def db(db_path: Path) -> tuple[str, str]:
    store_with(
        db_path,
        ready_story(headline="Padma ferry fares cut", slug=SLUG, body="Fares fall  on Monday."),
        make_story(headline="Chattogram port", slug="chattogram-port"),
    )
    return ("--db", str(db_path))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", WRITERS, ids=lambda command: " ".join(command[:2]))
def test_a_command_that_changes_a_story_wants_the_whole_slug(
    command: tuple[str, ...], db: tuple[str, str], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with StoryStore(db_path) as store:
        before = store.find_by_slug(SLUG)
    code, out, err = run(capsys, *command, *db)
    assert (code, out, err) == (1, "", REFUSAL)
    with StoryStore(db_path) as store:
        after = store.find_by_slug(SLUG)
    assert after == before, "nothing changed"


def test_the_whole_slug_still_does_it(db: tuple[str, str], db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "spike", SLUG, *db)
    assert code == 0 and "spiked" in out and "→ " not in err.split("spiked")[0], err
    with StoryStore(db_path) as store:
        story = store.find_by_slug(SLUG)
    assert story is not None and story.status is Status.SPIKED


def test_a_writer_given_a_start_several_slugs_share_names_them_all(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_with(db_path, *(make_story(slug=f"budget-{n}") for n in range(4)))
    code, _, err = run(capsys, "spike", "budget", "--db", str(db_path))
    assert code == 1
    assert err == (
        "newsroom: No story has the slug “budget”; did you mean “budget-0”, “budget-1”, “budget-2” or another? "
        "Give the whole slug.\n"
    )


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_command_that_only_reads_takes_a_unique_start_and_says_which_story(
    command: tuple[str, ...], db: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *command, *db)
    assert f"newsroom: padma → {SLUG}\n" in err, err
    assert "Give the whole slug" not in err and (code == 0 or "NR" in out), (code, out, err)
    whole = [SLUG if word == "padma" else word for word in command]
    _, _, err = run(capsys, *whole, *db)
    assert "→" not in err, "the whole slug is not announced"


def test_the_desk_opened_on_a_start_says_which_story(db: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    started = []
    code = main(["open", "padma", *db], open_desk=lambda start: started.append(start) or 0)
    err = capsys.readouterr().err
    assert code == 0 and f"newsroom: padma → {SLUG}\n" in err
    [start] = started
    assert start.startup_note == f"padma → {SLUG}"
    assert start.store is not None and start.store.get(start.open_story_id).slug == SLUG
    start.store.close()


def test_the_rule_is_the_use_cases_for_both_front_ends(db_path: Path, db: tuple[str, str]) -> None:
    from newsroom_tui.usecases.errors import NotFound
    from newsroom_tui.usecases.newsroom import Newsroom

    with StoryStore(db_path) as store:
        newsroom = Newsroom(settings_for(db_path), store)
        with pytest.raises(NotFound) as refused:
            newsroom.find("padma")
        assert str(refused.value) == REFUSAL.removeprefix("newsroom: ").strip()
        assert newsroom.find(SLUG).slug == SLUG
        found = newsroom.look_up("padma")
        assert (found.story.slug, found.note) == (SLUG, f"padma → {SLUG}")
        assert newsroom.look_up(SLUG).note is None
