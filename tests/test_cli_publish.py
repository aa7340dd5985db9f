"""Publishing from the command line, as cron and scripts run it: real processes, a real outbox, a real
HTTP receiver on 127.0.0.1, and the store read back to see what each command left behind."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.workflow import refusal
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.usecases.errors import UserError
from newsroom_tui.usecases.times import parse_when

from .factories import run_newsroom, spelling_env

SLUG = "metro-rail-extends-hours-for-eid-rush"
EXTENSIONS = ("txt", "md", "html", "json", "xml")  # wire, markdown, html, ninjs, nitf
DHAKA = ZoneInfo("Asia/Dhaka")


def complete_story(**changes: Any) -> Story:
    """A story that passes every publish check; it has no summary, so publishing warns about that."""
    values: dict[str, Any] = {
        "headline": "Metro rail extends hours for Eid rush",
        "slug": SLUG,
        "byline": "Staff Correspondent",
        "body": "Trains will run until 11pm from Saturday, the operator said.\n\nThe change lasts a week.",
        "desk": "National",
        "sign_off": "Dhaka/Karim/NR",
    }
    values.update(changes)
    return Story(**values)


@dataclass
class Desk:
    """A store, a config file and an outbox in tmp_path, and a way to run `newsroom` against them."""

    tmp_path: Path
    webhook: str | None = None

    @property
    def db(self) -> Path:
        return self.tmp_path / "store" / "newsroom.json"

    @property
    def config(self) -> Path:
        return self.tmp_path / "config.toml"

    @property
    def outbox(self) -> Path:
        return self.tmp_path / "outbox"

    def write_config(self) -> None:
        text = f'[targets.outbox]\npath = "{self.outbox}"\nformats = ["wire", "markdown", "html", "ninjs", "nitf"]\n'
        if self.webhook:
            text += f'[targets.webhook]\nurl = "{self.webhook}"\nretries = 0\ntimeout = 5\n'
        self.config.write_text(text, encoding="utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # No proxy variables: the receiver is on this machine.
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.tmp_path), "LANG": "C.UTF-8",
               "NEWSROOM_DB": str(self.db), "NEWSROOM_CONFIG": str(self.config)}  # fmt: skip
        return run_newsroom(*args, env=env)

    def add(self, story: Story) -> Story:
        with StoryStore(self.db) as store:
            return store.save(story, user="tester")

    def story(self, slug: str = SLUG) -> Story:
        with StoryStore(self.db) as store:
            found = store.find_by_slug(slug)
        assert found is not None
        return found


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    made = Desk(tmp_path)
    made.write_config()
    return made


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# -- publish --------------------------------------------------------------------------------------------
def test_publish_a_complete_story_stamps_saves_and_writes_every_format(desk):
    desk.add(complete_story())
    result = desk.run("publish", SLUG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"published   {SLUG}  draft → published, version 2"
    assert f"  ok      outbox: Wrote the story to the outbox {desk.outbox}" in result.stdout
    assert "warning" in result.stderr and "no summary" in result.stderr  # shown, not blocking
    story = desk.story()
    assert story.status is Status.PUBLISHED and story.published_at is not None
    assert story.version == 2  # one version per action: the deliveries go to the delivery log (item 9)
    assert sorted(p.name for p in desk.outbox.iterdir()) == sorted(f"{SLUG}.{ext}" for ext in EXTENSIONS)
    ninjs = json.loads((desk.outbox / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert ninjs["pubStatus"] == "usable" and ninjs["version"] == "2"


def test_publish_lists_every_problem_and_changes_nothing(desk):
    desk.add(complete_story(byline="", body="", summary=""))
    result = desk.run("publish", SLUG)
    assert result.returncode == 1 and result.stdout == ""
    no_traceback(result)
    first, *rest = result.stderr.splitlines()
    assert first == f"newsroom: “Metro rail extends hours for Eid rush” ({SLUG}) cannot be published yet: 2 problems."
    assert "  - The story has no byline (e.g. News Desk or Staff Correspondent)." in rest
    assert "  - The story has no body text." in rest
    assert any("warning" in line and "no summary" in line for line in rest)
    story = desk.story()
    assert story.status is Status.DRAFT and story.version == 1
    assert not desk.outbox.exists()


def test_unknown_slug_and_help_for_every_command(desk):
    result = desk.run("publish", "no-such-story")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "no-such-story" in result.stderr
    commands = ["publish", "schedule", "deschedule", "publish-due", "correct", "unpublish", "kill", "spike",
                "unspike", "submit", "export", "deliver", "history", "restore"]  # fmt: skip
    for command in commands:
        shown = desk.run(command, "--help")
        assert shown.returncode == 0 and f"usage: newsroom {command}" in shown.stdout, command
        assert "--db" in shown.stdout and "--config" in shown.stdout


# -- kill, correct, unpublish, spike --------------------------------------------------------------------
def test_kill_needs_a_reason_and_sends_a_kill_notice(desk):
    desk.add(complete_story())
    assert desk.run("publish", SLUG).returncode == 0
    missing = desk.run("kill", SLUG)
    assert missing.returncode == 2 and "--reason" in missing.stderr
    killed = desk.run("kill", SLUG, "--reason", "Legal advice")
    assert killed.returncode == 0, killed.stderr
    assert killed.stdout.startswith(f"killed      {SLUG}  published → killed")
    assert "kill notice" in killed.stdout
    assert desk.story().status is Status.KILLED
    ninjs = json.loads((desk.outbox / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert ninjs["pubStatus"] == "canceled"
    assert "Legal advice" in (desk.outbox / f"{SLUG}.txt").read_text(encoding="utf-8")
    again = desk.run("publish", SLUG)
    assert again.returncode == 1 and "withdrawn for good" in again.stderr


def test_correct_republishes_and_unpublish_withdraws(desk):
    desk.add(complete_story())
    assert desk.run("publish", SLUG).returncode == 0
    corrected = desk.run("correct", SLUG, "--note", "The closing time was 11pm, not 10pm.")
    assert corrected.returncode == 0, corrected.stderr
    assert "published → corrected (correction 1)" in corrected.stdout
    story = desk.story()
    assert story.status is Status.CORRECTED and story.correction_sequence == 1
    ninjs = json.loads((desk.outbox / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert ninjs["version"] == str(story.version)  # the version the desk shows is the one that went out
    assert any(d.get("role") == "correction" for d in ninjs["descriptions"])
    withdrawn = desk.run("unpublish", SLUG)
    assert withdrawn.returncode == 0 and "Withdrawn from the outbox" in withdrawn.stdout
    assert list(desk.outbox.iterdir()) == []


def test_spike_then_unspike_restores_the_status_and_a_spiked_story_cannot_be_published(desk):
    desk.add(complete_story())
    assert desk.run("submit", SLUG).returncode == 0
    spiked = desk.run("spike", SLUG)
    assert spiked.returncode == 0 and "submitted → spiked" in spiked.stdout
    refused = desk.run("publish", SLUG)
    assert refused.returncode == 1
    no_traceback(refused)
    assert refused.stderr == f"newsroom: {refusal(desk.story(), 'publish')}\n"
    assert desk.run("unspike", SLUG).returncode == 0
    assert desk.story().status is Status.SUBMITTED


# -- export ---------------------------------------------------------------------------------------------
def test_export_every_format_to_stdout_and_to_a_file(desk, tmp_path):
    desk.add(complete_story())
    for fmt, ext in zip(["wire", "markdown", "html", "ninjs", "nitf"], EXTENSIONS, strict=True):
        shown = desk.run("export", SLUG, "--format", fmt)
        assert shown.returncode == 0, shown.stderr
        target = tmp_path / f"out.{ext}"
        written = desk.run("export", SLUG, "--format", fmt, "-o", str(target))
        assert written.returncode == 0 and written.stdout == "", written.stderr
        assert target.read_text(encoding="utf-8").rstrip("\n") == shown.stdout.rstrip("\n"), fmt
        assert "Metro rail extends hours" in shown.stdout
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["slugline"] == SLUG
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    unknown = desk.run("export", SLUG, "--format", "pdf")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


# -- the webhook and deliver --retry --------------------------------------------------------------------
class Receiver(ThreadingHTTPServer):
    """A webhook receiver that records what it is sent and answers 200."""

    daemon_threads = True

    def __init__(self, port: int) -> None:
        self.bodies: list[bytes] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", port), Handler)


@pytest.fixture
def closed_port() -> Iterator[socket.socket]:
    """A port bound but not listening: connections to it are refused, and nobody else can take it."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    yield holder
    holder.close()


def test_a_failed_webhook_does_not_fail_publish_and_deliver_retry_sends_it(tmp_path, closed_port):
    port = closed_port.getsockname()[1]
    desk = Desk(tmp_path, webhook=f"http://127.0.0.1:{port}/hook")
    desk.write_config()
    desk.add(complete_story())

    published = desk.run("publish", SLUG)
    assert published.returncode == 0, published.stderr
    assert "  ok      outbox:" in published.stdout
    assert f"  failed  webhook: The webhook http://127.0.0.1:{port}/hook did not take the story" in published.stdout
    assert "newsroom deliver --retry" in published.stderr
    assert desk.story().status is Status.PUBLISHED
    version = desk.story().version

    still_down = desk.run("deliver", "--retry")
    assert still_down.returncode == 1 and still_down.stdout.startswith(f"failed  {SLUG}  webhook:")
    assert desk.story().version == version  # a failed retry stays in the pending list, not in the story

    closed_port.close()
    receiver = Receiver(port)
    thread = threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        retried = desk.run("deliver", "--retry")
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join(timeout=5)
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.startswith(f"ok      {SLUG}  webhook: Delivered to the webhook")
    [body] = receiver.bodies
    assert json.loads(body)["slugline"] == SLUG and json.loads(body)["pubStatus"] == "usable"
    history = desk.run("history", SLUG)
    assert history.stdout.splitlines()[-1].endswith("delivered to webhook")

    nothing = desk.run("deliver", "--retry")
    assert nothing.returncode == 0 and nothing.stdout == "Nothing is waiting to be delivered.\n"


# -- history and restore --------------------------------------------------------------------------------
def test_history_lists_versions_diffs_them_and_restore_brings_back_an_old_body(desk):
    first = desk.add(complete_story(body="The first paragraph.\n\nThe old ending."))
    with StoryStore(desk.db) as store:
        store.save(first.copy(body="The first paragraph.\n\nA new ending."), user="rahim")
    assert desk.run("publish", SLUG).returncode == 0

    listed = desk.run("history", SLUG)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].split()[0] == "1" and "tester" in lines[0] and lines[0].endswith("created")
    assert "rahim" in lines[1] and lines[1].endswith("changed body")
    assert lines[2].endswith("published (draft → published); delivered to outbox")  # from the delivery log

    diff = desk.run("history", SLUG, "--diff", "1", "2")
    assert diff.returncode == 0
    assert diff.stdout == "body, version 1 → version 2:\n¶2  [-The old-]{+A new+} ending.\n"  # word by word
    missing = desk.run("history", SLUG, "--diff", "1", "9")
    assert missing.returncode == 1 and "its versions are 1 to 3" in missing.stderr

    restored = desk.run("restore", SLUG, "1")
    assert restored.returncode == 0, restored.stderr
    assert "version 1 as version 4" in restored.stdout
    assert "newsroom correct" in restored.stderr  # it is live: the restored words have not gone out
    story = desk.story()
    assert story.version == 4 and story.body.endswith("The old ending.") and story.status is Status.PUBLISHED


# -- schedule and publish-due ---------------------------------------------------------------------------
def test_schedule_refuses_a_past_or_bad_time_and_publish_due_publishes_when_due(desk):
    desk.add(complete_story())
    past = desk.run("schedule", SLUG, "--at", "2020-01-01 10:00")
    assert past.returncode == 1 and "has already passed" in past.stderr and past.stderr.count("\n") == 1
    bad = desk.run("schedule", SLUG, "--at", "2030-02-30 10:00")
    assert bad.returncode == 1 and "not a real date" in bad.stderr
    assert desk.run("schedule", SLUG, "--at", "tomorrow").returncode == 1

    at = (datetime.now(DHAKA) + timedelta(days=1)).replace(second=0, microsecond=0)
    scheduled = desk.run("schedule", SLUG, "--at", at.strftime("%Y-%m-%d %H:%M"))
    assert scheduled.returncode == 0, scheduled.stderr
    assert f"for {at:%Y-%m-%d %H:%M} (Asia/Dhaka)" in scheduled.stdout
    story = desk.story()
    assert story.status is Status.SCHEDULED and story.scheduled_at == at

    not_yet = desk.run("publish-due")
    assert not_yet.returncode == 0 and not_yet.stdout == "" and desk.story().status is Status.SCHEDULED
    due = desk.run("publish-due", "--now", (at + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"))
    assert due.returncode == 0, due.stderr
    assert due.stdout.startswith(f"published   {SLUG}  scheduled → published")
    assert desk.story().status is Status.PUBLISHED
    assert (desk.outbox / f"{SLUG}.json").exists()


def test_a_local_time_the_clocks_skip_is_refused():
    new_york = ZoneInfo("America/New_York")
    assert parse_when("2030-03-10 01:30", new_york, "The time").hour == 1
    with pytest.raises(UserError, match="does not exist in America/New_York"):
        parse_when("2030-03-10 02:30", new_york, "The time")
    assert parse_when("2030-03-10T02:30+00:00", new_york, "The time").utcoffset() == timedelta(0)


@pytest.mark.parametrize("typed", ["0001-01-01 00:00", "9999-12-31 23:59", "0001-01-01T00:00+05:00"])
def test_an_impossible_year_for_at_or_now_is_one_sentence(typed):
    """Issue 11, item 17: `schedule --at "0001-01-01 00:00"` and `publish-due --now …` overflowed."""
    with pytest.raises(UserError, match="outside the years a story can carry"):
        parse_when(typed, ZoneInfo("Asia/Dhaka"), "The time")


def test_a_time_alone_is_today_in_either_digit_script_and_a_passed_one_says_give_the_date():
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.usecases.times import parse_schedule_time, schedule_example

    settings = Settings()
    morning = datetime(2026, 12, 1, 9, 15, tzinfo=DHAKA)
    assert parse_schedule_time("18:00", settings, clock=lambda: morning) == datetime(2026, 12, 1, 18, 0, tzinfo=DHAKA)
    assert parse_schedule_time("১৮:৩০", settings, clock=lambda: morning) == datetime(2026, 12, 1, 18, 30, tzinfo=DHAKA)
    with pytest.raises(UserError, match=r"has already passed.*give tomorrow's date before it"):
        parse_schedule_time("08:00", settings, clock=lambda: morning)
    with pytest.raises(UserError, match="not a time of day"):
        parse_schedule_time("25:00", settings, clock=lambda: morning)
    assert schedule_example(settings, clock=lambda: morning) == "11:00"  # never an example in the past
    late = datetime(2026, 12, 1, 23, 10, tzinfo=DHAKA)
    assert schedule_example(settings, clock=lambda: late) == "2026-12-02 01:00"


def test_due_and_overdue_are_said_where_a_scheduled_story_shows():
    from newsroom_tui.domain.workflow import due_text

    now = datetime(2026, 12, 1, 13, 44, tzinfo=DHAKA)
    story = complete_story(status=Status.SCHEDULED, scheduled_at=datetime(2026, 12, 1, 18, 0, tzinfo=DHAKA))
    assert due_text(story, now=now, zone=DHAKA) == "due 18:00"
    assert due_text(story.copy(scheduled_at=datetime(2026, 12, 2, 9, 0, tzinfo=DHAKA)), now=now, zone=DHAKA) == (
        "due 02 Dec 09:00"
    )
    overdue = story.copy(scheduled_at=datetime(2026, 12, 1, 13, 43, tzinfo=DHAKA))
    assert due_text(overdue, now=now, zone=DHAKA) == "overdue since 13:43"
    assert due_text(complete_story(), now=now, zone=DHAKA) == ""


def test_publish_due_watch_publishes_each_story_once_when_it_falls_due_and_stops_on_sigterm(desk):
    """`newsroom schedule … --at 13:43` stayed scheduled at 13:44 until publish-due was run by hand.
    Two watchers on one store: the story goes out once."""
    import os
    import signal
    import sys
    import time

    desk.add(complete_story())
    at = (datetime.now(DHAKA) + timedelta(minutes=3)).replace(second=0, microsecond=0)
    assert desk.run("schedule", SLUG, "--at", at.strftime("%Y-%m-%d %H:%M")).returncode == 0
    with StoryStore(desk.db) as store:  # due in two seconds rather than up to a minute
        story = store.find_by_slug(SLUG)
        assert story is not None
        store.save(story.copy(scheduled_at=datetime.now(DHAKA) + timedelta(seconds=2)), user="tester")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(desk.tmp_path), "LANG": "C.UTF-8", "NEWSROOM_DB": str(desk.db),
           "NEWSROOM_CONFIG": str(desk.config), **spelling_env()}  # fmt: skip
    watchers = [
        subprocess.Popen(
            [sys.executable, "-m", "newsroom_tui", "publish-due", "--watch", "--every", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 30
        while desk.story().status is not Status.PUBLISHED and time.monotonic() < deadline:
            time.sleep(0.2)
        assert desk.story().status is Status.PUBLISHED
        time.sleep(2.5)  # both watchers look again
    finally:
        for watcher in watchers:
            os.kill(watcher.pid, signal.SIGTERM)
        outputs = [watcher.communicate(timeout=30) for watcher in watchers]
    assert [watcher.returncode for watcher in watchers] == [0, 0], outputs
    published = [entry for entry in desk.story().history if entry.get("action") == "publish"]
    assert len(published) == 1
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count(f"published   {SLUG}") == 1 and stdout.count("Stopped watching.") == 2
    # No traceback, and the loser of a race says nothing: only the publisher's own warnings.
    assert all(line.startswith("newsroom: warning:") for _, err in outputs for line in err.splitlines()), outputs
