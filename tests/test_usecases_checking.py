"""The copy desk's `check` use case without a process: typed reports, file positions, in-place fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.errors import NotFound
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.usecases.checking import check
from newsroom_tui.usecases.newsroom import Newsroom

WIRE = """Newsroom Online News Portal

Dhaka  Friday, 26 April 2024

Metro rail extends hours for Eid rush

Staff Correspondent || newsroom.example

Published: 08:15, 26 April 2024
Metro rail extends hours for Eid rush

Trains will run until 11pm from Saturday, the operator said.

He said "we looked" and left.

Dhaka/Karim/NR
"""


def no_store() -> Newsroom:
    raise AssertionError("a file check must not open the store")


def test_a_wire_files_findings_carry_its_own_line_and_column(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "metro.txt"
    path.write_text(WIRE, encoding="utf-8")
    report = check(Settings(db_path=db_path, user="desk"), [str(path)], no_store)
    quotes = [line for line in report.lines if "straight" in line.lower() or "quote" in line.lower()]
    assert quotes, report.lines
    line_number = WIRE.split("\n").index('He said "we looked" and left.') + 1
    column = 'He said "we looked" and left.'.index('"') + 1  # 1-based, as linters print them
    assert quotes[0].startswith(f"{path}:{line_number}:{column}: "), quotes[0]
    assert report.found and report.failed and not report.problems


def test_fix_rewrites_only_the_changed_lines_and_keeps_crlf_and_the_bom(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "metro.txt"
    path.write_bytes(("\ufeff" + WIRE.replace("\n", "\r\n")).encode("utf-8"))
    check(Settings(db_path=db_path, user="desk"), [str(path)], no_store, fix=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig")
    assert "He said \u201cwe looked\u201d and left." in text
    assert text.replace("\u201c", '"').replace("\u201d", '"') == WIRE.replace("\n", "\r\n")
    assert not list(tmp_path.glob(".*.tmp")), "replaced atomically, no leftovers"


def test_a_story_by_slug_is_fixed_as_one_new_version(db_path: Path) -> None:
    settings = Settings(db_path=db_path, user="desk")
    with StoryStore(db_path) as store:
        story = store.save(Story(headline="Looked", slug="looked", body='He said "we looked".'), user="desk")
    report = check(settings, ["looked"], lambda: Newsroom(settings, StoryStore(db_path)), fix=True)
    with StoryStore(db_path) as store:
        fixed = store.get(story.id)
    assert fixed.version == story.version + 1 and "\u201cwe looked\u201d" in fixed.body
    assert not any("looked/body" in line and "quote" in line.lower() for line in report.lines)


def test_an_unknown_name_is_neither_a_file_nor_a_slug(db_path: Path) -> None:
    settings = Settings(db_path=db_path, user="desk")
    with pytest.raises(NotFound, match="neither a file nor the slug"):
        check(settings, ["no-such-story"], lambda: Newsroom(settings, StoryStore(db_path)))
