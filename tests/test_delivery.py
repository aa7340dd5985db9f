"""Delivery: targets from the config, the outbox (atomic files), the webhook against a real HTTP server on
127.0.0.1 started here, and retrying pending deliveries."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.delivery import (
    DeliveryResult,
    OutboxTarget,
    PendingDeliveries,
    PendingFileError,
    WebhookTarget,
    default_outbox_path,
    deliver,
    deliver_pending,
    load_targets,
    pending_path,
    post_webhook,
    record_deliveries,
    write_atomically,
    write_outbox,
)
from newsroom_tui.domain.config import ConfigError, Settings, load_settings
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.workflow import apply_action
from newsroom_tui.storage.store import StoryNotFoundError, StoryStore

NOW = datetime(2024, 4, 26, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib honours *_proxy variables; the test server is on this machine."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def story(**changes: Any) -> Story:
    values: dict[str, Any] = {
        "id": "0123456789abcdef0123456789abcdef",
        "headline": "Padma bridge toll cut",
        "slug": "padma-bridge-toll-cut",
        "byline": "Staff Correspondent",
        "body": "The toll falls <b>10%</b> & more.\n\nSecond paragraph.",
        "status": Status.PUBLISHED,
        "created_at": NOW,
        "updated_at": NOW,
        "published_at": NOW,
        "version": 2,
    }
    values.update(changes)
    return Story(**values)


def make_settings(tmp_path: Path, sections: dict[str, Any] | None = None) -> Settings:
    return Settings(db_path=tmp_path / "store" / "newsroom.json", sections=sections or {})


def no_sleep(delays: list[float]) -> Any:
    return delays.append


# -- a real HTTP server ---------------------------------------------------------------------------------
class Receiver:
    """A webhook receiver on 127.0.0.1 that answers with the scripted status codes, then `then`."""

    def __init__(self, script: list[int], then: int = 200, delay: float = 0.0) -> None:
        self.script = list(script)
        self.then = then
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if receiver.delay:
                    time.sleep(receiver.delay)
                code = receiver.script.pop(0) if receiver.script else receiver.then
                try:
                    self.send_response(code)
                    if 300 <= code < 400:
                        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?token=secret"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Any]:
    made: list[Receiver] = []

    def start(script: list[int], then: int = 200, delay: float = 0.0) -> Receiver:
        made.append(Receiver(script, then, delay))
        return made[-1]

    yield start
    for each in made:
        each.close()


# -- targets --------------------------------------------------------------------------------------------
def test_default_targets_are_the_outbox_with_wire_ninjs_html(tmp_path):
    (target,) = load_targets(make_settings(tmp_path))
    assert isinstance(target, OutboxTarget)
    assert target.path == default_outbox_path() and target.path.name == "outbox"
    assert target.formats == ("wire", "ninjs", "html")


def test_targets_from_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        f'[targets.outbox]\npath = "{tmp_path / "out"}"\nformats = ["ninjs", "nitf", "markdown"]\n'
        '[targets.webhook]\nurl = "https://cms.example/hook"\ntimeout = 2.5\nretries = 1\n'
        'headers = { Authorization = "Bearer x" }\n',
        encoding="utf-8",
    )
    settings = load_settings(db=tmp_path / "s.json", config=config)
    outbox, webhook = load_targets(settings)
    assert outbox == OutboxTarget(path=tmp_path / "out", formats=("ninjs", "nitf", "markdown"))
    assert webhook == WebhookTarget(
        url="https://cms.example/hook", timeout=2.5, retries=1, headers=(("Authorization", "Bearer x"),)
    )
    assert pending_path(settings) == tmp_path / "s-deliveries.json"


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"targets": {"outbox": {"formats": ["pdf"]}}}, "formats has 'pdf'; the formats are wire"),
        ({"targets": {"outbox": {"formats": "wire"}}}, "formats must be a list"),
        ({"targets": {"outbox": {"colour": "red"}}}, "unknown settings: colour"),
        ({"targets": {"webhook": {"url": "file:///etc/passwd"}}}, "http:// or https://"),
        ({"targets": {"webhook": {"url": "http://x", "timeout": 0}}}, "timeout must be"),
        ({"targets": {"webhook": {"url": "http://x", "retries": -1}}}, "retries must be"),
        ({"targets": {"webhook": {"url": "http://x", "headers": {"a": 1}}}}, "headers must be"),
        ({"targets": {"ftp": {}}}, "unknown entries: ftp"),
    ],
)
def test_bad_target_settings_say_what_is_wrong(tmp_path, sections, message):
    with pytest.raises(ConfigError, match=message):
        load_targets(make_settings(tmp_path, sections))


def test_disabled_outbox(tmp_path):
    assert load_targets(make_settings(tmp_path, {"targets": {"outbox": {"enabled": False}}})) == []


# -- the outbox -----------------------------------------------------------------------------------------
def test_outbox_writes_one_file_per_format_named_by_slug(tmp_path):
    settings = make_settings(tmp_path)
    target = OutboxTarget(path=tmp_path / "out", formats=("wire", "ninjs", "html", "markdown", "nitf"))
    result = write_outbox(story(), target, settings, now=NOW)
    assert result.ok, result.message
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"padma-bridge-toll-cut.{ext}" for ext in ("html", "json", "md", "txt", "xml")]
    assert json.loads((tmp_path / "out" / "padma-bridge-toll-cut.json").read_text("utf-8"))["pubStatus"] == "usable"
    assert "&lt;b&gt;10%&lt;/b&gt;" in (tmp_path / "out" / "padma-bridge-toll-cut.html").read_text("utf-8")
    assert len(result.files) == 5


def test_republish_replaces_the_files_and_a_renamed_story_loses_its_old_ones(tmp_path):
    settings = make_settings(tmp_path)
    target = OutboxTarget(path=tmp_path / "out", formats=("ninjs", "html"))
    first = story()
    results = [write_outbox(first, target, settings, now=NOW)]
    delivered = record_deliveries(first, results, user="alice", now=NOW)
    corrected = delivered.copy(body="Corrected body.", slug="padma-toll-cut", status=Status.CORRECTED, version=3)
    assert write_outbox(corrected, target, settings, now=NOW).ok
    assert sorted(p.name for p in target.path.iterdir()) == ["padma-toll-cut.html", "padma-toll-cut.json"]
    item = json.loads((target.path / "padma-toll-cut.json").read_text("utf-8"))
    assert item["version"] == "3" and "Corrected body." in item["bodies"][1]["value"]


def test_a_kill_writes_a_kill_notice_in_the_same_formats(tmp_path):
    settings = make_settings(tmp_path)
    target = OutboxTarget(path=tmp_path / "out", formats=("wire", "ninjs", "nitf"))
    published = story()
    assert write_outbox(published, target, settings, now=NOW).ok
    killed = apply_action(published, "kill", user="alice", now=NOW, reason="Legal: wrong name")
    result = write_outbox(killed, target, settings, now=NOW)
    assert result.ok and "kill notice" in result.message
    item = json.loads((target.path / "padma-bridge-toll-cut.json").read_text("utf-8"))
    assert item["pubStatus"] == "canceled" and item["headlines"][0]["value"].startswith("KILL: ")
    assert "Legal: wrong name" in item["bodies"][1]["value"] and "10%" not in item["bodies"][1]["value"]
    assert "Legal: wrong name" in (target.path / "padma-bridge-toll-cut.txt").read_text("utf-8")
    assert 'management-status="canceled"' in (target.path / "padma-bridge-toll-cut.xml").read_text("utf-8")


def test_an_unpublished_story_is_withdrawn_from_the_outbox(tmp_path):
    settings = make_settings(tmp_path)
    target = OutboxTarget(path=tmp_path / "out", formats=("ninjs", "html"))
    assert write_outbox(story(), target, settings, now=NOW).ok
    result = write_outbox(story(status=Status.UNPUBLISHED), target, settings, now=NOW)
    assert result.ok and list(target.path.iterdir()) == []


def test_outbox_refuses_a_slug_that_is_not_a_file_name(tmp_path):
    settings = make_settings(tmp_path)
    result = write_outbox(story(slug="../../etc/x"), OutboxTarget(path=tmp_path / "out"), settings, now=NOW)
    assert not result.ok and "valid slug" in result.message and not (tmp_path / "out").exists()


def test_outbox_failure_is_a_result_not_an_exception(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = write_outbox(story(), OutboxTarget(path=blocker / "out"), make_settings(tmp_path), now=NOW)
    assert not result.ok and "could not be written" in result.message


def test_atomic_write_leaves_no_temporary_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "a.json"
    write_atomically(path, b"old")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


# -- the webhook ----------------------------------------------------------------------------------------
def test_webhook_posts_the_ninjs(tmp_path, receiver):
    server = receiver([])
    delays: list[float] = []
    result = post_webhook(story(), WebhookTarget(url=server.url), make_settings(tmp_path), sleep=no_sleep(delays))
    assert result.ok and result.status_code == 200 and result.attempts == 1 and delays == []
    (request,) = server.requests
    assert request["path"] == "/hook?token=secret"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request["body"])["uri"] == "urn:newsroom:0123456789abcdef0123456789abcdef"
    assert "secret" not in result.message


def test_webhook_retries_with_exponential_backoff_until_accepted(tmp_path, receiver):
    server = receiver([503, 500])
    delays: list[float] = []
    target = WebhookTarget(url=server.url, retries=3, backoff=0.5)
    result = post_webhook(story(), target, make_settings(tmp_path), sleep=no_sleep(delays))
    assert result.ok and result.attempts == 3 and len(server.requests) == 3
    assert delays == [0.5, 1.0]


def test_webhook_that_always_fails_gives_a_failed_result(tmp_path, receiver):
    server = receiver([], then=503)
    delays: list[float] = []
    target = WebhookTarget(url=server.url, retries=2, backoff=1.0)
    result = post_webhook(story(), target, make_settings(tmp_path), sleep=no_sleep(delays))
    assert not result.ok and result.attempts == 3 and result.status_code == 503 and delays == [1.0, 2.0]
    assert "after 3 attempts: HTTP 503" in result.message and "secret" not in result.message


def test_webhook_does_not_retry_a_refusal_or_follow_a_redirect(tmp_path, receiver):
    for code, words in ((400, "HTTP 400"), (301, "a redirect to http://127.0.0.1:1/elsewhere")):
        server = receiver([], then=code)
        delays: list[float] = []
        result = post_webhook(story(), WebhookTarget(url=server.url), make_settings(tmp_path), sleep=no_sleep(delays))
        assert not result.ok and result.attempts == 1 and delays == [] and words in result.message
        assert len(server.requests) == 1


def test_webhook_timeout_and_refused_connection(tmp_path, receiver):
    slow = receiver([], delay=1.0)
    result = post_webhook(
        story(), WebhookTarget(url=slow.url, timeout=0.2, retries=0), make_settings(tmp_path), sleep=no_sleep([])
    )
    assert not result.ok and "timed out" in result.message
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = post_webhook(
        story(), WebhookTarget(url=f"http://127.0.0.1:{port}/", retries=1, backoff=0), make_settings(tmp_path),
        sleep=no_sleep([]),
    )  # fmt: skip
    assert not result.ok and result.attempts == 2 and result.status_code is None


def test_webhook_gets_the_kill_notice(tmp_path, receiver):
    server = receiver([])
    killed = apply_action(story(), "kill", user="alice", now=NOW, reason="Legal")
    assert post_webhook(killed, WebhookTarget(url=server.url), make_settings(tmp_path), sleep=no_sleep([])).ok
    item = json.loads(server.requests[0]["body"])
    assert item["pubStatus"] == "canceled" and "Legal" in item["bodies"][1]["value"]


# -- delivering and pending deliveries ------------------------------------------------------------------
def test_deliver_queues_failures_and_the_caller_records_them(tmp_path, receiver):
    server = receiver([], then=503)
    settings = make_settings(tmp_path)
    targets = [OutboxTarget(path=tmp_path / "out"), WebhookTarget(url=server.url, retries=1)]
    pending = PendingDeliveries(tmp_path / "pending.json")
    results = deliver(story(), settings, now=NOW, targets=targets, sleep=no_sleep([]), pending=pending)
    assert [r.ok for r in results] == [True, False]
    (entry,) = pending.entries()
    assert (entry.story_id, entry.target, entry.version, entry.attempts) == (story().id, "webhook", 2, 2)
    recorded = record_deliveries(story(), results, user="alice", now=NOW)
    assert recorded.status is Status.PUBLISHED, "a failed delivery keeps the story published"
    assert [(e["action"], e["target"], e["ok"]) for e in recorded.history] == [
        ("deliver", "outbox", True), ("deliver", "webhook", False),
    ]  # fmt: skip


def test_deliver_pending_retries_with_the_current_story(tmp_path, receiver):
    server = receiver([503, 503])  # fails twice, then accepts
    settings = make_settings(tmp_path)
    targets = [WebhookTarget(url=server.url, retries=0)]
    pending = PendingDeliveries(tmp_path / "pending.json")
    with StoryStore(tmp_path / "s.json") as store:
        saved = store.save(story(version=0), user="alice")
        first = deliver(saved, settings, now=NOW, targets=targets, sleep=no_sleep([]), pending=pending)
        assert not first[0].ok and len(pending) == 1
        # Killed in the meantime: the retry sends the kill, not the stale copy.
        killed = store.save(apply_action(saved, "kill", user="alice", now=NOW, reason="Legal"), user="alice")
        again = deliver_pending(settings, store.get, now=NOW, targets=targets, sleep=no_sleep([]), pending=pending)
        assert not again[0].ok and pending.entries()[0].attempts == 2
        last = deliver_pending(settings, store.get, now=NOW, targets=targets, sleep=no_sleep([]), pending=pending)
        assert last[0].ok and last[0].version == killed.version and len(pending) == 0
    assert json.loads(server.requests[-1]["body"])["pubStatus"] == "canceled"


def test_deliver_pending_drops_what_can_no_longer_be_delivered(tmp_path):
    pending = PendingDeliveries(tmp_path / "pending.json")
    for target in ("webhook", "gone"):
        pending.add(DeliveryResult(target, False, "down", "abc", 1), now=NOW)
    pending.add(DeliveryResult("webhook", False, "down", "missing", 1), now=NOW)

    def lookup(story_id: str) -> Story:
        if story_id == "missing":
            raise StoryNotFoundError(story_id)
        return story(id=story_id)

    assert len(pending) == 3
    with socket.socket() as sock:  # nothing listens on the port: the one real retry fails fast
        sock.bind(("127.0.0.1", 0))
        targets = [WebhookTarget(url=f"http://127.0.0.1:{sock.getsockname()[1]}/", retries=0)]
    results = deliver_pending(make_settings(tmp_path), lookup, now=NOW, targets=targets, pending=pending)
    messages = sorted(r.message for r in results)
    assert any("no longer configured" in m for m in messages)
    assert any("no longer in the store" in m for m in messages)
    assert [(e.story_id, e.target) for e in pending.entries()] == [("abc", "webhook")]


def test_a_damaged_pending_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text("{not json")
    pending = PendingDeliveries(path)
    with pytest.raises(PendingFileError, match="damaged"):
        pending.entries()
    results = deliver(
        story(status=Status.UNPUBLISHED), make_settings(tmp_path), now=NOW,
        targets=[OutboxTarget(path=tmp_path / "out")], pending=pending,
    )  # fmt: skip
    assert results[0].ok and "damaged" in results[0].message
    assert path.read_text() == "{not json"


def test_pending_file_is_shared_between_instances(tmp_path):
    one, two = PendingDeliveries(tmp_path / "p.json"), PendingDeliveries(tmp_path / "p.json")
    one.add(DeliveryResult("webhook", False, "down", "a", 1), now=NOW)
    two.add(DeliveryResult("webhook", False, "down again", "a", 2), now=NOW)
    (entry,) = one.entries()
    assert entry.version == 2 and entry.attempts == 2 and entry.last_error == "down again"
    assert entry.since == NOW.isoformat()
    two.remove("a", "webhook")
    assert one.entries() == []


def post_to_a_dripping_server(tmp_path: Path, at_once: bytes, dripped: bytes) -> tuple[DeliveryResult, float]:
    """POST to a server that sends `at_once`, then `dripped` a byte every 0.2 s; the result and seconds taken."""
    import contextlib
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def drip() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(at_once)
            for byte in dripped:
                if stop.wait(0.2):
                    return
                with contextlib.suppress(OSError):
                    conn.sendall(bytes([byte]))

    threading.Thread(target=drip, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/ninjs"
    target = WebhookTarget(url=url, timeout=1.0, retries=0, backoff=0.0)
    started = time.monotonic()
    try:
        result = post_webhook(story(), target, make_settings(tmp_path))
    finally:
        stop.set()
        server.close()
    return result, time.monotonic() - started


def test_a_webhook_dripping_its_reply_is_cut_at_the_whole_call_deadline(tmp_path):
    """Issue 11, item 22: the timeout applied per socket read (100 bytes at 1 byte/s, timeout 3: 99 s)."""
    result, took = post_to_a_dripping_server(tmp_path, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", b"x" * 100)
    assert took < 5, "the whole call keeps to its deadline (the drip takes 20 s)"
    assert not result.ok and "timed out: no whole reply within 1 s" in result.message


def test_a_webhook_dripping_its_headers_is_cut_at_the_whole_call_deadline(tmp_path):
    """Issue 11, item 22 (headers): a status line and headers at a byte every 0.2 s kept the call going,
    since the socket timeout applies to each read; the deadline covers the whole call."""
    result, took = post_to_a_dripping_server(tmp_path, b"", b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 200 + b"\r\n\r\n")
    assert took < 5, "the whole call keeps to its deadline (the drip takes 45 s)"
    assert not result.ok and "timed out: no whole reply within 1 s" in result.message


def test_a_webhook_url_with_credentials_sends_basic_auth_and_never_shows_them(tmp_path, receiver):
    """Issue 11, item 24: `https://user:pass@host/` failed with "Name or service not known"."""
    import base64

    from newsroom_tui.delivery import load_targets

    hook = receiver([])
    url = hook.url.replace("http://", "http://desk%40portal:s%3Acret@")
    settings = make_settings(tmp_path, {"targets": {"webhook": {"url": url, "retries": 0}}})
    [target] = [t for t in load_targets(settings) if isinstance(t, WebhookTarget)]
    assert "s%3Acret" not in repr(target) and "s:cret" not in repr(target)
    result = post_webhook(story(), target, settings)
    assert result.ok, result.message
    sent = hook.requests[0]["headers"]["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"desk@portal:s:cret").decode()
    assert "cret" not in result.message and "desk%40portal" not in result.message


def test_credentials_in_the_url_and_an_authorization_header_are_refused(tmp_path):
    from newsroom_tui.delivery import load_targets
    from newsroom_tui.domain.config import ConfigError

    webhook = {"url": "https://a:b@cms.example/hook", "headers": {"Authorization": "Bearer x"}}
    with pytest.raises(ConfigError, match="either"):
        load_targets(make_settings(tmp_path, {"targets": {"webhook": webhook}}))
