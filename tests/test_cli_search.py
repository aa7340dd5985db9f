"""`newsroom search QUERY [--json] [--limit N]`: real processes and in-process runs, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom_tui.entry import main
from newsroom_tui.storage.store import StoryStore

from .factories import make_story, plant_in_store, run_newsroom, store_with

FERRY_BODY = (
    "Ferries crossed the Padma again on Monday after a week of fog kept every boat at the ghat. "
    "The operator added two boats and said the bridge toll had pushed more lorries onto the river. " * 3
)


def seed(db_path: Path) -> None:
    """Three stories, saved oldest first (a save stamps updated_at)."""
    store_with(db_path, make_story(slug="toll", headline="Padma bridge toll rises", body="Cars pay more."))
    store_with(
        db_path,
        make_story(slug="toll-bn", headline="পদ্মা সেতুর টোল বা\u09dcছে", body="২০২৪ সালের জুলাই থেকে নতুন হার।", language="bn"),
    )
    store_with(
        db_path, make_story(slug="ferry", headline="Ferries run again", body=FERRY_BODY, byline="Staff Reporter")
    )


def search(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_newsroom("search", *args, "--db", str(db_path))


def test_a_line_per_hit_newest_first_with_the_snippet_under_it(db_path: Path) -> None:
    seed(db_path)
    result = search(db_path, "padma")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with StoryStore(db_path) as store:
        ferry = store.find_by_slug("ferry")
    assert ferry is not None
    local = ferry.updated_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Dhaka")).strftime("%Y-%m-%d %H:%M")
    assert lines[0] == f"ferry  draft  {local}  Ferries run again"  # the desk's zone (Asia/Dhaka by default)
    assert lines[1].startswith("    Ferries crossed the Padma again on Monday") and lines[1].endswith("…")
    assert lines[2].startswith("toll  draft  ") and lines[2].endswith("  Padma bridge toll rises")
    assert lines[3] == "    Cars pay more."
    assert len(lines) == 4  # the Bangla story spells Padma in Bengali
    assert result.stderr == ""


def test_json_lists_the_hits_and_bangla_matches_however_it_was_typed(db_path: Path) -> None:
    seed(db_path)
    result = search(db_path, "বা\u09a1\u09bcছে", "2024", "--json")  # ড় as ড + nukta; ASCII digits for ২০২৪
    assert result.returncode == 0, result.stderr
    [hit] = json.loads(result.stdout)
    assert set(hit) == {"id", "slug", "headline", "status", "updated_at", "snippet"}
    assert hit["slug"] == "toll-bn" and hit["status"] == "draft"
    assert hit["headline"] == "পদ্মা সেতুর টোল বা\u09dcছে" and hit["snippet"] == "২০২৪ সালের জুলাই থেকে নতুন হার।"
    with StoryStore(db_path) as store:
        stored = store.find_by_slug("toll-bn")
    assert stored is not None and hit["id"] == stored.id and hit["updated_at"] == stored.updated_at.isoformat()


def test_the_limit_bounds_the_hits(db_path: Path) -> None:
    seed(db_path)
    result = search(db_path, "padma", "--limit", "1", "--json")
    assert [hit["slug"] for hit in json.loads(result.stdout)] == ["ferry"]
    for limit in ("0", "-3", "100000"):
        refused = search(db_path, "padma", "--limit", limit)
        assert refused.returncode == 1 and refused.stdout == ""
        assert refused.stderr.startswith("newsroom: A search shows from 1 to 1000 stories;")
        assert refused.stderr.count("\n") == 1


def test_no_hits_is_one_sentence_and_exit_status_1_like_grep(db_path: Path) -> None:
    seed(db_path)
    for args in (("cricket",), ("cricket", "--json")):
        result = search(db_path, *args)
        assert result.returncode == 1
        assert result.stderr == "newsroom: No story matches 'cricket'.\n"
    assert search(db_path, "cricket", "--json").stdout == "[]\n"  # still JSON for a script
    assert search(db_path, "cricket").stdout == ""


def test_a_search_for_nothing_is_one_sentence(db_path: Path) -> None:
    seed(db_path)
    for query in ("", '""', "   "):
        result = search(db_path, query)
        assert result.returncode == 1, query
        assert result.stderr == 'newsroom: Give a word or a "quoted phrase" to search the archive for.\n'
    assert search(db_path, "x" * 501).stderr.startswith("newsroom: A search is at most 500 characters")


def test_an_argument_the_shell_kept_whole_is_a_phrase(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_path)

    def slugs(*args: str) -> list[str]:
        code = main(["search", *args, "--json", "--db", str(db_path)])
        found = [hit["slug"] for hit in json.loads(capsys.readouterr().out)]
        assert code == (0 if found else 1)
        return found

    assert slugs("toll", "bridge") == ["ferry", "toll"]  # two words, anywhere
    assert slugs("toll bridge") == []  # one argument with a space: a phrase
    assert slugs("padma bridge") == ["toll"]
    assert slugs('"padma bridge" toll') == ["toll"]  # quotes typed inside: read as typed


def test_what_a_store_holds_never_reaches_the_terminal_as_control_or_markup(db_path: Path) -> None:
    """A hand-edited store's escapes are neutralised; brackets that look like Rich markup print as typed."""
    store_with(db_path, make_story(slug="hostile", headline="MARKH", body="Padma [bold red]toll[/] MARKB rises"))
    plant_in_store(db_path, "MARKH", "Toll\x1b]0;PWNED\x07 \u202erises")
    plant_in_store(db_path, "MARKB", "\x1b[2J\u009b31m")
    for args in (("toll",), ("toll", "--json")):
        result = search(db_path, *args)
        assert result.returncode == 0, result.stderr
        for char in ("\x1b", "\x07", "\u009b", "\u202e"):
            assert char not in result.stdout, (args, repr(char))
        assert "[bold red]toll[/]" in result.stdout
    [hit] = json.loads(search(db_path, "toll", "--json").stdout)
    assert hit["snippet"] == "Padma [bold red]toll[/] rises"


def test_search_loads_no_desk_no_lock_and_no_renderer(db_path: Path) -> None:
    seed(db_path)
    code = (
        "import sys\n"
        "from newsroom_tui.entry import main\n"
        f"assert main(['search', 'padma', '--db', {str(db_path)!r}]) == 0\n"
        "heavy = ('textual', 'rich', 'filelock', 'newsroom_tui.delivery', 'newsroom_tui.formats.',"
        " 'newsroom_tui.storage.locks', 'newsroom_tui.tui')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "ferry  draft" in result.stdout
    assert result.stderr.strip() == "[]", result.stderr
