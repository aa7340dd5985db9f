"""`newsroom list --json`: each story's row as the list has it (not its body or history), newest first, one row
a line; the same bytes from a TinyDB journal and from PostgreSQL for the same stories; nothing a terminal acts
on, whatever a hand-edited row holds."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.backends import open_store
from newsroom_tui.text.safety import json_bytes_for_terminal, json_for_terminal
from newsroom_tui.usecases.listing import ROW_FIELDS, row_json, write_list_json

from .factories import make_story, run_newsroom

# What JSON and the terminal boundary both have business with, in text a save keeps (control is cleaned out):
# quotes, backslashes, Bengali with ZWJ and ZWNJ, a line separator, a non-breaking space and a dash.
AWKWARD = 'He said "toll" \\ not C:\\path ক্\u200dষ ক্\u200cষ \u2028 \u00a0 \u2014 end'


def _stories() -> list[Story]:
    base = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    return [
        make_story(headline=f"পদ্মা সেতুর টোল {n}", slug=f"padma-{n}", body="প্রথম অনুচ্ছেদ।\n\nদ্বিতীয়। " * n,
                   byline=AWKWARD if n == 2 else "নিজস্ব প্রতিবেদক", desk="National", status=status, language="bn",
                   scheduled_at=base + timedelta(hours=n) if status in (Status.SCHEDULED, Status.PUBLISHED) else None)
        for n, status in enumerate((Status.DRAFT, Status.SUBMITTED, Status.DRAFT, Status.SCHEDULED,
                                    Status.PUBLISHED, Status.SPIKED, Status.DRAFT))
    ] + [make_story(headline=AWKWARD, slug="awkward", body="One two three — four.", desk="Sports\\Desk")]  # fmt: skip


def _listed(location: str, *args: str) -> str:
    result = run_newsroom("--db", location, "list", "--json", *args, env={**os.environ})
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


def test_each_row_holds_the_list_fields_newest_first_without_body_or_history(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        saved = [store.save(story, user="rina") for story in _stories()]
        saved[0] = store.save(saved[0].copy(body="Now five words in it."), user="kamal")  # the newest
    listed = json.loads(_listed(str(db_path)))
    assert [row["slug"] for row in listed] == ["padma-0", "awkward", *(f"padma-{n}" for n in range(6, 0, -1))]
    first = listed[0]
    assert list(first) == list(ROW_FIELDS)  # these fields, in this order, and nothing else
    assert first == {
        "id": saved[0].id, "slug": "padma-0", "status": "draft", "headline": "পদ্মা সেতুর টোল 0", "desk": "National",
        "byline": "নিজস্ব প্রতিবেদক", "language": "bn", "version": 2, "updated_at": saved[0].updated_at.isoformat(),
        "updated_by": "kamal", "scheduled_at": None, "word_count": 5,
    }  # fmt: skip
    by_slug = {row["slug"]: row for row in listed}
    assert by_slug["awkward"]["headline"] == AWKWARD and by_slug["awkward"]["desk"] == "Sports\\Desk"
    assert by_slug["padma-2"]["byline"] == AWKWARD
    assert by_slug["padma-3"]["scheduled_at"] == "2026-03-01T12:00:00+00:00"  # scheduled: when it goes out
    assert by_slug["padma-4"]["scheduled_at"] is None  # published: the old schedule is not the list's business
    assert by_slug["padma-6"]["word_count"] == Story(body="প্রথম অনুচ্ছেদ।\n\nদ্বিতীয়। " * 6).word_count == 18

    drafts = json.loads(_listed(str(db_path), "--status", "draft"))
    assert [row["slug"] for row in drafts] == ["padma-0", "awkward", "padma-6", "padma-2"]
    assert json.loads(_listed(str(db_path), "--status", "killed")) == []


def test_the_output_is_one_row_a_line_and_an_empty_store_prints_an_empty_array(db_path: Path) -> None:
    assert _listed(str(db_path)) == "[]\n"
    with open_store(str(db_path)) as store:
        for story in _stories()[:3]:
            store.save(story, user="rina")
    lines = _listed(str(db_path)).split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""] and len(lines) == 3 + 3
    for line in lines[1:-3]:
        assert line.startswith('  {"id": "') and line.endswith("},")
    assert lines[-3].endswith("}")


def test_postgresql_prints_the_same_bytes_as_the_tinydb_journal_it_was_copied_from(db_path: Path, pg_url: str) -> None:
    with open_store(str(db_path)) as journal:
        for story in _stories():
            story = journal.save(story, user="rina")
            journal.save(story.copy(body=story.body + " আরও।"), user="kamal")
        histories = journal.histories([row.id for row in journal.story_rows()])
    with open_store(pg_url) as database:
        database.copy_in(histories)
    for args in ((), ("--status", "draft"), ("--status", "scheduled"), ("--status", "killed")):
        tinydb = _listed(str(db_path), *args)
        assert _listed(pg_url, *args) == tinydb, args
    assert tinydb == "[]\n" and _listed(pg_url).count('"id"') == len(_stories())


def test_the_servers_lines_are_the_ones_python_makes_from_the_rows(pg_url: str) -> None:
    """The SQL path (`PostgresStore.write_rows_json`) against the Python one (`row_json` of `read_rows`) on
    the same database: byte for byte, for every status and for none."""

    class RowsOnly:  # the store without its JSON writer: what usecases.listing does for any other store
        def __init__(self, store: Any) -> None:
            self.read_rows = store.read_rows

    with open_store(pg_url) as store:
        for story in _stories():
            store.save(story, user="rina")
        for status in (None, *Status):
            by_server, by_python = io.BytesIO(), io.BytesIO()
            assert write_list_json(store, status, by_server.write) == write_list_json(
                RowsOnly(store),  # type: ignore[arg-type]
                status,
                by_python.write,
            )
            assert by_server.getvalue() == by_python.getvalue(), status
            if status is None:
                everything = by_server.getvalue()
        rows = {row.slug: row for row in store.story_rows()}
    assert row_json(rows["awkward"]).encode() in everything


def test_a_hand_edited_row_reaches_the_terminal_escaped_and_reads_back_as_stored(pg_url: str) -> None:
    """A row the server made from text no save would keep (an UPDATE by hand): C0, DEL, C1, bidi overrides and
    an escape sequence come out as \\u escapes; a program reading the JSON gets what the row holds."""
    hostile = "Padma\u009b2J \x1b]0;PWNED\x07 toll\u202e sllot \x7f\x01\t\r\n\b\f ক্\u200dষ"
    with open_store(pg_url) as store:
        saved = store.save(make_story(headline="MARK", slug="padma-toll", body="Text."), user="seed")
        store._db.run(  # type: ignore[attr-defined]
            lambda conn: conn.execute(
                "UPDATE stories SET row_doc = jsonb_set(row_doc, '{headline}', to_jsonb(%s::text)) WHERE id = %s",
                (hostile, saved.id),
            ),
            write=True,
        )
    printed = _listed(pg_url)
    for char in ("\x1b", "\x07", "\x7f", "\x01", "\u009b", "\u202e", "\r", "\t"):
        assert char not in printed, repr(char)
    assert "\u200d" in printed, "ZWJ stays: Bengali conjuncts need it"
    assert "\\u009b2J \\u001b]0;PWNED\\u0007 toll\\u202e sllot \\u007f\\u0001\\t\\r\\n\\b\\f" in printed
    [row] = json.loads(printed)
    assert row["headline"] == hostile
    # Python's json with ensure_ascii=False writes it as the server did, once through the boundary.
    assert json_for_terminal(json.dumps(hostile, ensure_ascii=False)) in printed


@pytest.mark.parametrize(
    "text", ["plain ascii", "বাংলা ক্\u200dষ", "a \u2014 dash, \u00a0 and \ud55c", "C1\u0085 bidi\u2066 DEL\x7f \x1b[31m"]
)
def test_the_bytes_boundary_escapes_what_the_text_boundary_does(text: str) -> None:
    encoded = json.dumps({"headline": text}, ensure_ascii=False) + "\n"
    assert json_bytes_for_terminal(encoded.encode()) == json_for_terminal(encoded).encode()
    lone = '["\ud800"]\n'.encode("utf-8", "surrogatepass")  # what a journal's lone surrogate would make
    assert json_bytes_for_terminal(lone) == b'["\\ud800"]\n'
