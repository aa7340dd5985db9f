"""Control sequences in every input an editor does not control, and not one reaches a terminal (issue 11).

Every story field, a colleague's user name, file names an agency chose, config values, a webhook server's
reply and the `--db` path carry escape sequences (title and clipboard writes, a screen clear, an 8-bit CSI,
bidi overrides).  Every line the command line prints and every frame the desk draws is then scanned for
C0 and C1 controls, DEL and bidi controls: the one boundary (`text.safety`) must have neutralised them all,
while ZWJ/ZWNJ, which Bengali needs, pass.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore
from tests.factories import REPO, plant_in_store, run_newsroom, screen_text, until

# A title change, a clipboard write, a screen clear, 8-bit CSI, bidi override and isolate, a bell.
HOSTILE = "\x1b]0;PWNED\x07\x1b]52;c;aGk=\x07\x1b[2J\x9b31m\u202eevil\u2066\x07"
# What a file name can hold of it (no NUL, no slash).
HOSTILE_NAME = "\x1b]0;PWNED\x07\u202eeil"
# Anything a terminal acts on: C0 but newline and tab, DEL, C1, bidi embeddings/overrides/isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FIELDS = ("headline", "summary", "byline", "source", "dateline", "credit", "sign_off", "desk", "ednote")


def assert_clean(text: str, where: str) -> None:
    found = CONTROL.search(text)
    if found is not None:
        start = max(0, found.start() - 40)
        raise AssertionError(f"{where}: {found.group()!r} reached the terminal in …{text[start : found.end() + 40]!r}")


@pytest.fixture
def hostile_home(tmp_path: Path) -> Path:
    """A folder whose very name is hostile: the `--db` path shows it."""
    home = tmp_path / f"desk{HOSTILE_NAME}"
    home.mkdir()
    return home


def hostile_story(**changes: Any) -> Story:
    values: dict[str, Any] = {name: f"{name.upper()}MARK" for name in FIELDS}
    values.update(slug="toll-cut", body="BODYMARK one.\n\nক্\u200dষ two.", tags=["TAGMARK", "toll"])
    values.update(changes)
    return Story(**values)


def plant_everywhere(db: Path) -> None:
    """Put HOSTILE into every text field and tag as stored, as a hand edit or an older tool would."""
    for name in (*FIELDS, "body", "tag"):
        plant_in_store(db, f"{name.upper()}MARK", f"{name} {HOSTILE}")


class HostileReceiver(ThreadingHTTPServer):
    """A webhook whose status line and headers carry escape sequences."""

    daemon_threads = True

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reason = "Bad\x1b]0;PWNED\x07 \x9b2J gateway\u202e"
                self.wfile.write(f"HTTP/1.1 502 {reason}\r\nX-Evil: \x1b[2J\r\nContent-Length: 0\r\n\r\n".encode())

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture
def hostile_webhook() -> Iterator[HostileReceiver]:
    server = HostileReceiver()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_no_cli_output_carries_terminal_control(hostile_home: Path, hostile_webhook: HostileReceiver) -> None:
    db = hostile_home / f"store{HOSTILE_NAME}.json"
    config = hostile_home / "config.toml"
    outbox = json.dumps(str(hostile_home / "outbox"))  # JSON's \u escapes are TOML's too
    config.write_text(
        f'[targets.webhook]\nurl = "{hostile_webhook.url}"\nretries = 0\n[targets.outbox]\npath = {outbox}\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "LOGNAME": f"rina{HOSTILE}",
        "USER": f"rina{HOSTILE}",
        "NEWSROOM_RECOVERY": str(hostile_home / "recovery"),
        "NEWSROOM_CONFIG": str(config),
        "NEWSROOM_DB": str(db),
    }
    with StoryStore(db) as store:
        store.save(hostile_story(), user="seed")
        store.save(hostile_story(headline="Second HEADLINEMARK", slug="second"), user="seed")
    plant_everywhere(db)

    wire = hostile_home / "wire"
    wire.mkdir()
    seed = (REPO / "stories" / "padma-bridge-toll.txt").read_text("utf-8")
    lines = seed.split("\n")
    lines[3] = lines[3] + " " + HOSTILE  # the headline line of the wire copy
    (wire / f"{HOSTILE_NAME}.txt").write_text("\n".join(lines), encoding="utf-8")
    (wire / f"broken{HOSTILE_NAME}.txt").write_text("garbage\n", encoding="utf-8")

    commands = [
        ["import", str(wire)],
        ["check", *map(str, sorted(wire.iterdir()))],
        ["list"],
        ["list", "--json"],
        ["check", "toll-cut"],
        ["check", "toll-cut", "--format", "json"],
        *(["export", "toll-cut", "--format", fmt] for fmt in ("wire", "ninjs", "html", "nitf", "markdown")),
        ["submit", "toll-cut"],
        ["history", "toll-cut"],
        ["history", "toll-cut", "1", "2"],
        ["restore", "toll-cut", "1"],
        ["publish", "second"],
        ["deliver", "--retry"],
        ["publish", "no-such-story"],
        ["--db", str(hostile_home / f"missing{HOSTILE_NAME}" / "x.json"), "list"],
    ]
    seen = ""
    for args in commands:
        result = run_newsroom(*args, env=env)
        for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
            assert "Traceback" not in stream, (args, stream)
            assert_clean(stream, f"newsroom {' '.join(args)} ({name})")
        seen += result.stdout + result.stderr
    assert "PWNED" in seen and "evil" in seen, "the hostile text is still shown, neutralised"
    assert "502" in seen, "the webhook's refusal was reported"
    listed = run_newsroom("list", "--json", env=env)
    assert {row["slug"] for row in json.loads(listed.stdout)} >= {"toll-cut", "second"}

    bad_configs = [
        '[newsroom]\nmasthead_en = "Portal\\u001b]0;PWNED\\u0007"\n',
        '[newsroom]\n"\\u001b]0;PWNED\\u0007" = 1\n',
        '[newsroom]\ndesks = ["Sports\\u009b2J"]\n',
        '[targets.webhook]\nurl = "http://cms.example/\\u001b]0;PWNED\\u0007"\n',
    ]
    for text in bad_configs:
        config.write_text(text, encoding="utf-8")
        result = run_newsroom("list", env=env)
        assert result.returncode != 0 or "PWNED" not in result.stdout, text
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream, (text, stream)
            assert_clean(stream, f"config {text!r}")


async def test_no_desk_frame_carries_terminal_control(hostile_home: Path) -> None:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.widgets.story_list import StoryList

    db = hostile_home / f"store{HOSTILE_NAME}.json"
    with StoryStore(db) as store:
        locked = store.save(hostile_story(), user=f"rina{HOSTILE}")
        mine = store.save(hostile_story(headline="Second HEADLINEMARK", slug="second"), user=f"rina{HOSTILE}")
    plant_everywhere(db)
    colleague = LockBook(db, user=f"rina{HOSTILE}", pid=1)  # pid 1 is alive: the lock is live
    colleague.acquire(locked.id)

    settings = Settings(db_path=db, user="desk", sections={})
    app = NewsroomApp(store=StoryStore(db), settings=settings, open_story_id=locked.id)
    frames: dict[str, str] = {}
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.read_only), "the story opens read-only")
        await pilot.pause()
        frames["read-only story"] = screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        frames["preview"] = screen_text(app)
        await pilot.press("escape", "f12")
        await pilot.pause()
        frames["history"] = screen_text(app)
        await pilot.press("escape", "f2")
        await pilot.pause()
        frames["list"] = screen_text(app)
        # The second story: typed into, then saved by the colleague meanwhile: the conflict dialog.
        listing = app.screen.query_one(StoryList)
        for key in ("up", "down", "down"):  # to the second story's row, wherever the list sorts it
            if listing.highlighted_id == mine.id:
                break
            await pilot.press(key)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.story.id == mine.id, "the second story opens")
        await pilot.press("f3", "end", "x", "y")
        with StoryStore(db) as other:
            other.save(other.get(mine.id).copy(summary="theirs"), user=f"rina{HOSTILE}")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        frames["conflict"] = screen_text(app)
        assert app.screen is not app.desk, "the conflict dialog is up"
    colleague.release_all()
    for where, text in frames.items():
        assert_clean(text, f"the desk's {where} frame")
    assert "READ-ONLY" in frames["read-only story"] and "rina" in frames["read-only story"]
    assert "evil" in frames["read-only story"], "the text around the escapes is shown"
    assert "rina" in frames["conflict"]


def test_whatever_a_command_prints_passes_the_boundary(tmp_path: Path, monkeypatch, capsys) -> None:
    """By construction, not by each print remembering: a command that prints raw text still cannot send
    terminal control (stdout and stderr are `TerminalStream`s while a command runs)."""
    import sys

    from newsroom_tui.cli import commands
    from newsroom_tui.cli.main import main

    def careless_list(*args: Any, **kwargs: Any) -> int:
        print(f"raw {HOSTILE} ক্\u200dষ")
        print(f"raw {HOSTILE}", file=sys.stderr)
        return 0

    monkeypatch.setattr(commands, "list_", careless_list)
    assert main(["list", "--db", str(tmp_path / "n.json")]) == 0
    printed = capsys.readouterr()
    for stream in (printed.out, printed.err):
        assert_clean(stream, "a careless print")
        assert "PWNED" in stream and "\u241b" in stream, "neutralised visibly, not dropped"
    assert "ক্\u200dষ" in printed.out, "ZWJ passes"
    assert not isinstance(sys.stdout, type(None)) and type(sys.stdout).__name__ != "TerminalStream", "restored"
