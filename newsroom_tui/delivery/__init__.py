"""Delivery: putting a published (or killed, or withdrawn) story where readers and subscribers get it.

Targets come from the config file::

    [targets.outbox]            # always on unless `enabled = false`
    path = "/srv/newsroom/outbox"          # default: <user data dir>/outbox
    formats = ["wire", "ninjs", "html"]    # any of formats.FORMATS

    [targets.webhook]           # only when configured
    url = "https://cms.example/api/ninjs"
    timeout = 10                # seconds per attempt
    retries = 3                 # attempts after the first; waits backoff, 2 x backoff, 4 x backoff…
    backoff = 1.0
    headers = { Authorization = "Bearer …" }

    [targets]
    pending = "/srv/newsroom/pending-deliveries.json"   # default: beside the store

What each status delivers: a live story its copy; a killed story a kill notice (pubStatus canceled) in
the same formats and under the same names, so subscribers replace what they have; any other status
(unpublished, spiked) withdraws it: the outbox removes its files and the webhook receives the ninjs
with pubStatus withheld.

Outbox files are `<slug>.<ext>`, written atomically (temporary file in the same folder, fsync,
`os.replace`, folder fsync), so a reader of the folder never sees half a file and a republish replaces
the old files in one step.

Failed deliveries are kept in a small pending-list file beside the store rather than only in story
history: retrying them then needs no scan of every story, marking one done never saves the story
(so it never bumps the version under an editor who has it open), and several editors' processes
share it under a file lock, as they share the store.  `deliver_pending` retries them with the story's
*current* state, so a story killed since a failed publish sends the kill, not the stale copy.  The
caller records each result in the store's delivery log (`StoryStore.log_deliveries`, not a new
version: the version that went out stays the version the desk shows), so the history view shows what
went where.  Stores written before the log hold the same entries in `story.history`; both are read.

Any exception a target raises is a failed delivery of that target (queued, logged, reported), never
a traceback: the story has already changed, and the other targets must still get it.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from newsroom_tui import formats
from newsroom_tui.domain.config import APP_NAME, ConfigError, Settings
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.workflow import history_entry, kill_notice, record_event
from newsroom_tui.storage.atomicfile import LockTimeout, PathLock, real_path, write_atomically
from newsroom_tui.storage.atomicfile import fsync_dir as _fsync_dir
from newsroom_tui.storage.contract import PendingQueue
from newsroom_tui.storage.store import StoreError, StoryNotFoundError
from newsroom_tui.text.safety import clean_text
from newsroom_tui.text.slug_pattern import SLUG_PATTERN

__all__ = [
    "DEFAULT_OUTBOX_FORMATS",
    "DeliveryResult",
    "OutboxTarget",
    "PendingDeliveries",
    "PendingDelivery",
    "PendingFileError",
    "Target",
    "WebhookTarget",
    "default_outbox_path",
    "deliver",
    "deliver_pending",
    "load_targets",
    "log_entries",
    "pending_path",
    "post_webhook",
    "record_deliveries",
    "write_atomically",
    "write_outbox",
]

DEFAULT_OUTBOX_FORMATS = ("wire", "ninjs", "html")
LIVE = frozenset({Status.PUBLISHED, Status.CORRECTED})
PENDING_FORMAT = "newsroom-pending-deliveries"
USER_AGENT = "newsroom/0.1 (+ninjs webhook)"
# Status codes worth trying again: the receiver is busy or broken for now, not refusing the story.
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})

Sleep = Callable[[float], None]


# -- targets --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OutboxTarget:
    """A folder that receives one file per format per story, named by slug."""

    path: Path
    formats: tuple[str, ...] = DEFAULT_OUTBOX_FORMATS
    name: str = "outbox"


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """A URL that receives the story's ninjs JSON by POST."""

    url: str
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0
    # Never in a repr or a message: they hold tokens and basic-auth passwords.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    name: str = "webhook"


Target = OutboxTarget | WebhookTarget


def default_outbox_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "outbox"


def pending_path(settings: Settings) -> Path:
    """Where failed deliveries wait: `[targets] pending`, else `<store stem>-deliveries.json` beside the store.

    Not `<store name>.…`: the store removes leftover `.<store name>.*.tmp` files, which would match
    this file's temporaries.
    """
    configured = _targets_section(settings).get("pending")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise _config_error(settings, "[targets] pending must be a file path.")
        return Path(configured).expanduser()
    store = real_path(settings.db_path)  # beside the real file: a symlinked store has one queue
    return store.with_name(f"{store.stem}-deliveries.json")


def load_targets(settings: Settings) -> list[Target]:
    """The configured targets, outbox first; raises ConfigError naming the file and the bad setting."""
    section = _targets_section(settings)
    unknown = set(section) - {"outbox", "webhook", "pending"}
    if unknown:
        raise _config_error(settings, f"[targets] has unknown entries: {', '.join(sorted(unknown))}.")
    targets: list[Target] = []
    outbox = _table(settings, section, "outbox")
    if outbox.get("enabled", True):
        targets.append(_outbox_target(settings, outbox))
    webhook = _table(settings, section, "webhook")
    if webhook and webhook.get("enabled", True):
        targets.append(_webhook_target(settings, webhook))
    return targets


def _targets_section(settings: Settings) -> Mapping[str, Any]:
    section = settings.sections.get("targets", {})
    if not isinstance(section, Mapping):
        raise _config_error(settings, "[targets] must be a table.")
    return section


def _table(settings: Settings, section: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    table = section.get(name, {})
    if not isinstance(table, Mapping):
        raise _config_error(settings, f"[targets.{name}] must be a table.")
    return table


def _config_error(settings: Settings, message: str) -> ConfigError:
    where = settings.config_path or "the config file"
    return ConfigError(f"{where}: {message}")


def _check_keys(settings: Settings, table: Mapping[str, Any], name: str, allowed: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise _config_error(settings, f"[targets.{name}] has unknown settings: {', '.join(sorted(unknown))}.")
    if not isinstance(table.get("enabled", True), bool):
        raise _config_error(settings, f"[targets.{name}] enabled must be true or false.")


def _outbox_target(settings: Settings, table: Mapping[str, Any]) -> OutboxTarget:
    _check_keys(settings, table, "outbox", {"path", "formats", "enabled"})
    raw_path = table.get("path")
    if raw_path is None:
        path = default_outbox_path()
    elif isinstance(raw_path, str) and raw_path.strip():
        path = Path(raw_path).expanduser()
    else:
        raise _config_error(settings, "[targets.outbox] path must be a folder path.")
    names = table.get("formats", list(DEFAULT_OUTBOX_FORMATS))
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        example = list(DEFAULT_OUTBOX_FORMATS)
        raise _config_error(settings, f"[targets.outbox] formats must be a list such as {example}.")
    unknown = [n for n in names if n not in formats.FORMATS]
    if unknown:
        raise _config_error(
            settings,
            f"[targets.outbox] formats has {', '.join(map(repr, unknown))}; "
            f"the formats are {', '.join(formats.FORMATS)}.",
        )
    return OutboxTarget(path=path, formats=tuple(dict.fromkeys(names)))


def _webhook_target(settings: Settings, table: Mapping[str, Any]) -> WebhookTarget:
    _check_keys(settings, table, "webhook", {"url", "timeout", "retries", "backoff", "headers", "enabled"})
    url = table.get("url")
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if not isinstance(url, str) or parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _config_error(settings, "[targets.webhook] url must be an http:// or https:// address.")
    try:
        port = parts.port  # raises for a port out of range
    except ValueError:
        port = -1
    if port == -1 or any(char.isspace() for char in url):
        raise _config_error(settings, "[targets.webhook] url must be an address without spaces and a port 1-65535.")
    timeout, retries, backoff = table.get("timeout", 10.0), table.get("retries", 3), table.get("backoff", 1.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 600:
        # nan and inf are floats too: nan slipped past "<= 0" and raised inside urllib after the publish
        raise _config_error(settings, "[targets.webhook] timeout must be a number of seconds from 0 to 600.")
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
        raise _config_error(settings, "[targets.webhook] retries must be a whole number from 0 to 10.")
    if isinstance(backoff, bool) or not isinstance(backoff, int | float) or backoff < 0:
        raise _config_error(settings, "[targets.webhook] backoff must be a number of seconds, 0 or more.")
    headers = table.get("headers", {})
    if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
        raise _config_error(settings, "[targets.webhook] headers must be a table of strings.")
    url, authorization = _split_credentials(url)
    pairs = tuple((str(k), v) for k, v in headers.items())
    if authorization is not None:
        if any(key.lower() == "authorization" for key, _ in pairs):
            raise _config_error(
                settings, "[targets.webhook] takes either a user:password@ in the url or an Authorization header."
            )
        pairs += (("Authorization", authorization),)
    return WebhookTarget(url=url, timeout=float(timeout), retries=retries, backoff=float(backoff), headers=pairs)


def _split_credentials(url: str) -> tuple[str, str | None]:
    """`https://user:pass@host/…` as the URL without them and a basic-auth header value.

    urllib would send `user:pass@host` to the resolver as a host name ("Name or service not known"); the
    password is percent-decoded as RFC 3986 says, and is never shown (`_shown_url` drops it too).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    pair = f"{urllib.parse.unquote(parts.username or '')}:{urllib.parse.unquote(parts.password or '')}"
    netloc = parts.netloc.rpartition("@")[2]
    bare = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return bare, "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


# -- results --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What one target did with one version of a story; `message` is one sentence for the desk."""

    target: str
    ok: bool
    message: str
    story_id: str
    version: int
    slug: str = ""
    attempts: int = 1
    files: tuple[Path, ...] = ()
    status_code: int | None = None

    def history_fields(self) -> dict[str, str | int | bool | None]:
        """The extra keys of this result's history entry."""
        return {"target": self.target, "ok": self.ok, "slug": self.slug, "version": self.version}


def log_entries(story: Story, results: Iterable[DeliveryResult], *, user: str, now: datetime) -> list[dict[str, Any]]:
    """One `deliver` entry per result, as the store's delivery log keeps them (history entries' shape)."""
    return [
        history_entry(
            "deliver",
            from_status=story.status,
            to_status=story.status,
            user=user,
            now=now,
            note=result.message,
            **result.history_fields(),
        )
        for result in results
    ]


def record_deliveries(story: Story, results: Iterable[DeliveryResult], *, user: str, now: datetime) -> Story:
    """A copy of `story` with one `deliver` history entry per result (the caller saves it)."""
    for result in results:
        story = record_event(story, "deliver", user=user, now=now, note=result.message, **result.history_fields())
    return story


# -- what a status delivers -----------------------------------------------------------------------------
def _payload(story: Story) -> Story | None:
    """The story to send: itself when live, a kill notice when killed, None to withdraw it."""
    if story.status in LIVE:
        return story
    if story.status is Status.KILLED:
        return kill_notice(story)
    return None


DeliveryLog = Iterable[Mapping[str, Any]]


def _delivered_slugs(story: Story, log: DeliveryLog = ()) -> list[str]:
    """Slugs the outbox holds files for, from the delivery log and (older stores) the story's history:
    a renamed story's old files must go too."""
    seen: dict[str, None] = {}
    for entry in (*story.history, *log):
        if entry.get("action") == "deliver" and entry.get("target") == "outbox" and entry.get("ok"):
            slug = entry.get("slug")
            if isinstance(slug, str) and SLUG_PATTERN.fullmatch(slug):
                seen[slug] = None
    return list(seen)


# -- the outbox -----------------------------------------------------------------------------------------


def write_outbox(
    story: Story, target: OutboxTarget, settings: Settings, *, now: datetime, log: DeliveryLog = ()
) -> DeliveryResult:
    """Write (or withdraw) the story's files in the outbox folder; never raises for I/O problems.

    `log` is the story's delivery log (`StoryStore.delivery_log`): where it went out under other slugs.
    """
    slug = story.slug

    def result(ok: bool, message: str, files: tuple[Path, ...] = ()) -> DeliveryResult:
        return DeliveryResult(target.name, ok, message, story.id, story.version, slug=slug, files=files)

    if not SLUG_PATTERN.fullmatch(slug):
        return result(False, f"The outbox needs a valid slug to name the files; “{slug}” is not one.")
    payload = _payload(story)
    earlier = [s for s in _delivered_slugs(story, log) if s != slug]
    extensions = [formats.extension(fmt) for fmt in target.formats]
    if payload is None:
        write_as, remove = [], [slug, *earlier]  # withdrawn: every name it went out as
    elif story.status is Status.KILLED:
        write_as, remove = [slug, *earlier], []  # the notice replaces the copy under every name
    else:
        write_as, remove = [slug], earlier  # live: a renamed story's old files go
    try:
        target.path.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for fmt, ext in zip(target.formats, extensions, strict=True):
            if not write_as or payload is None:
                break
            data = formats.export(payload, fmt, settings, now=now).encode("utf-8")
            for each in write_as:
                path = target.path / f"{each}.{ext}"
                write_atomically(path, data)
                written.append(path)
        removed = _remove(target.path, remove, extensions)
    except OSError as error:
        return result(False, f"The outbox {target.path} could not be written: {error.strerror or error}.")
    if payload is None:
        return result(True, f"Withdrawn from the outbox {target.path} ({len(removed)} files removed).")
    what = "kill notice" if story.status is Status.KILLED else "story"
    return result(True, f"Wrote the {what} to the outbox {target.path} as {', '.join(extensions)}.", tuple(written))


def _remove(folder: Path, slugs: Iterable[str], extensions: Iterable[str]) -> list[Path]:
    removed: list[Path] = []
    for slug in slugs:
        for ext in extensions:
            path = folder / f"{slug}.{ext}"
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    if removed:
        _fsync_dir(folder)
    return removed


# -- the webhook ----------------------------------------------------------------------------------------
class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """urllib turns a redirected POST into a GET without the story; a redirect is a failure instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Deadline:
    """One attempt's whole-call deadline.

    A socket timeout applies to each read, so a server dripping its status line, headers or body a byte at
    a time kept a call going for minutes.  Every connection the attempt opens is watched; at the deadline
    its socket is shut down, which ends any read in progress.
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.passed = False
        self._timers: list[threading.Timer] = []

    def watch(self, sock: socket.socket) -> None:
        def cut() -> None:
            self.passed = True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(0.0, self.at - time.monotonic()), cut)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    class Watched(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.deadline), req)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        _RefuseRedirects, _DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline)
    )


def _shown_url(url: str) -> str:
    """The URL without credentials or query string, which may hold a token."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


MAX_REPLY_BYTES = 64 * 1024  # what a webhook may say back: a 500 MB reply once took 1 GB of memory


def _timed_out(target: WebhookTarget) -> str:
    return f"timed out: no whole reply within {target.timeout:g} s"


class _SlowReply(OSError):
    """The reply kept coming past the whole call's deadline (a server dripping a byte a second)."""


def _drain(response: Any, *, deadline: float) -> None:
    """Read the reply, at most MAX_REPLY_BYTES, by the deadline: the socket timeout alone applies to each
    read, so 100 bytes at one a second with `timeout = 3` took 99 s."""
    read = 0
    while read < MAX_REPLY_BYTES:
        if time.monotonic() > deadline:
            raise _SlowReply("timed out")
        chunk = response.read1(min(8192, MAX_REPLY_BYTES - read))
        if not chunk:
            return
        read += len(chunk)


def post_webhook(
    story: Story, target: WebhookTarget, settings: Settings, *, sleep: Sleep = time.sleep
) -> DeliveryResult:
    """POST the story's ninjs; retry what may pass later with exponential backoff; never raises for I/O."""
    payload = _payload(story) or story  # withdrawn stories go as they are: ninjs says withheld
    body = formats.export(payload, "ninjs", settings).encode("utf-8")
    url, authorization = _split_credentials(target.url)  # a target made in code, not from the config
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **dict(target.headers)}
    if authorization is not None:
        headers.setdefault("Authorization", authorization)
    shown = _shown_url(url)
    problem = ""
    code: int | None = None
    attempts = 0
    for attempt in range(target.retries + 1):
        if attempt:
            sleep(target.backoff * 2 ** (attempt - 1))
        attempts = attempt + 1
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        retryable = True
        deadline = _Deadline(target.timeout)
        try:
            with _opener(deadline).open(request, timeout=target.timeout) as response:
                code = response.status
                _drain(response, deadline=deadline.at)
        except urllib.error.HTTPError as error:
            code = error.code
            with contextlib.suppress(OSError):
                error.read(MAX_REPLY_BYTES)
            error.close()
            retryable = code in _RETRYABLE
            location = error.headers.get("Location") if error.headers else None
            problem = f"HTTP {code} {error.reason}" + (f" (a redirect to {location})" if location else "")
        except (urllib.error.URLError, OSError) as error:
            code = None
            reason = getattr(error, "reason", error)
            problem = _timed_out(target) if isinstance(error, _SlowReply) else f"{reason}" or type(error).__name__
        except (http.client.HTTPException, ValueError) as error:  # a garbage status line, 200 headers…
            code = None
            problem = f"the server's reply could not be read ({type(error).__name__}: {error})"
        else:
            if deadline.passed:  # cut while the reply was still coming: the server may not have it all
                problem = _timed_out(target)
            elif 200 <= code < 300:
                return DeliveryResult(
                    target.name,
                    True,
                    f"Delivered to the webhook {shown} (HTTP {code}, attempt {attempts}).",
                    story.id,
                    story.version,
                    slug=story.slug,
                    attempts=attempts,
                    status_code=code,
                )
            else:
                problem, retryable = f"HTTP {code}", False
        finally:
            deadline.cancel()
        if deadline.passed:
            code, problem = None, _timed_out(target)
        if not retryable:
            break
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    return DeliveryResult(
        target.name,
        False,
        f"The webhook {shown} did not take the story after {tries}: {problem}.",
        story.id,
        story.version,
        slug=story.slug,
        attempts=attempts,
        status_code=code,
    )


# -- delivering -----------------------------------------------------------------------------------------
def _deliver_one(
    story: Story, target: Target, settings: Settings, *, now: datetime, sleep: Sleep, log: DeliveryLog = ()
) -> DeliveryResult:
    """One target; whatever it raises (a format bug, a full disk in the middle of an export…) is a failed
    delivery of that target, queued like any other, never a traceback that loses the others."""
    try:
        if isinstance(target, OutboxTarget):
            return write_outbox(story, target, settings, now=now, log=log)
        return post_webhook(story, target, settings, sleep=sleep)
    except Exception as error:  # any failure of one target is that target's failed delivery
        reason = str(error) or type(error).__name__
        return DeliveryResult(
            target.name,
            False,
            f"The {target.name} target failed: {reason}.",
            story.id,
            story.version,
            slug=story.slug,
        )


def deliver(
    story: Story,
    settings: Settings,
    *,
    now: datetime,
    targets: list[Target] | None = None,
    sleep: Sleep = time.sleep,
    pending: PendingDeliveries | None = None,
    log: DeliveryLog = (),
) -> list[DeliveryResult]:
    """Deliver the saved story to every target; failures are queued for `deliver_pending`.

    Call it after saving a publish, correct, kill or unpublish: the version sent is the saved one.
    `log` is the story's delivery log, so a withdrawal finds every name it went out under.
    """
    targets = load_targets(settings) if targets is None else targets
    queue = pending if pending is not None else PendingDeliveries.of(settings)
    log = list(log)
    results = [_deliver_one(story, target, settings, now=now, sleep=sleep, log=log) for target in targets]
    return [_track(queue, result, now=now) for result in results]


def deliver_pending(
    settings: Settings,
    lookup: Callable[[str], Story | None],
    *,
    now: datetime,
    targets: list[Target] | None = None,
    sleep: Sleep = time.sleep,
    pending: PendingDeliveries | None = None,
    log_of: Callable[[str], DeliveryLog] | None = None,
) -> list[DeliveryResult]:
    """Retry every queued delivery with the story's current state (`lookup(id)`, e.g. `store.get`).

    `log_of(id)` gives a story's delivery log (`StoryStore.delivery_log`) for withdrawals.

    A story that is gone, or a target no longer configured, leaves the queue with a failed result
    saying so.
    """
    targets = load_targets(settings) if targets is None else targets
    by_name = {target.name: target for target in targets}
    queue = pending if pending is not None else PendingDeliveries.of(settings)
    results: list[DeliveryResult] = []
    for entry in queue.entries():
        target = by_name.get(entry.target)
        try:
            story = lookup(entry.story_id)
        except StoryNotFoundError:
            story = None
        if story is None or target is None:
            queue.remove(entry.story_id, entry.target)
            why = "the story is no longer in the store" if story is None else "that target is no longer configured"
            message = f"Dropped a pending delivery: {why}."
            results.append(DeliveryResult(entry.target, False, message, entry.story_id, entry.version))
            continue
        log = list(log_of(story.id)) if log_of is not None else []
        result = _deliver_one(story, target, settings, now=now, sleep=sleep, log=log)
        results.append(_track(queue, result, now=now))
    return results


def _track(queue: PendingDeliveries, result: DeliveryResult, *, now: datetime) -> DeliveryResult:
    """Queue a failure, clear a success; a broken queue file is reported, never fatal to the delivery."""
    try:
        if result.ok:
            queue.remove(result.story_id, result.target)
        else:
            queue.add(result, now=now)
    except PendingFileError as error:
        return DeliveryResult(
            result.target,
            result.ok,
            f"{result.message} ({error})",
            result.story_id,
            result.version,
            slug=result.slug,
            attempts=result.attempts,
            files=result.files,
            status_code=result.status_code,
        )
    return result


# -- the pending list -----------------------------------------------------------------------------------
class PendingFileError(Exception):
    """The pending-deliveries file cannot be read or written; it is left as it is."""


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    """A delivery that failed and waits for `deliver_pending`: one per story and target."""

    story_id: str
    target: str
    version: int
    since: str
    attempts: int
    last_error: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.extra, "story_id": self.story_id, "target": self.target, "version": self.version,
            "since": self.since, "attempts": self.attempts, "last_error": self.last_error,
        }  # fmt: skip


def queued_after(
    entries: list[PendingDelivery], result: DeliveryResult, now: datetime
) -> tuple[PendingDelivery | None, PendingDelivery]:
    """(the entry already queued for this story and target, or None; the entry to queue now), for both
    queues (the file and the database's): the first failure's time stays, attempts add up."""
    old = next((e for e in entries if (e.story_id, e.target) == (result.story_id, result.target)), None)
    entry = PendingDelivery(
        story_id=result.story_id,
        target=result.target,
        version=result.version,
        since=old.since if old else now.isoformat(),
        attempts=(old.attempts if old else 0) + result.attempts,
        last_error=result.message,
    )
    return old, entry


class PendingDeliveries:
    """The pending list: a small JSON file shared by every editor's process, changed under a lock on the
    file itself (atomicfile.PathLock: a side lock file could be deleted from under its holder)."""

    def __init__(self, path: Path | str, *, lock_timeout: float = 10.0, like: Path | str | None = None) -> None:
        self.path = Path(path)
        self.like = Path(like) if like is not None else None  # the store: the file takes its permissions
        self._lock = PathLock(self.path, timeout=lock_timeout, create=True, like=self.like)
        self._mutex = threading.RLock()  # PathLock is per process, not per thread

    @classmethod
    def of(cls, settings: Settings, store: object = None) -> PendingDeliveries:
        """The store's pending list: in the database for a PostgreSQL store (`store`, a contract.PendingQueue:
        every server shares it), else the file (`pending_path`, with the store's permissions)."""
        if (
            settings.store_url is not None
            and isinstance(store, PendingQueue)
            and "pending" not in _targets_section(settings)
        ):
            return DatabasePendingDeliveries(store)
        return cls(pending_path(settings), like=settings.db_path)

    def entries(self) -> list[PendingDelivery]:
        """Read without the lock: the file is only ever replaced whole, and a read should not make it."""
        try:
            return self._read()
        except OSError as error:
            raise PendingFileError(f"the pending-deliveries file {self.path} cannot be used: {error}") from error

    def __len__(self) -> int:
        return len(self.entries())

    def add(self, result: DeliveryResult, *, now: datetime) -> None:
        """Queue (or update) the failed delivery of `result.story_id` to `result.target`."""
        with self._locked():
            entries = self._read()
            old, entry = queued_after(entries, result, now)
            self._write([e for e in entries if e is not old] + [entry])

    def put(self, entry: PendingDelivery) -> None:
        """Queue `entry` as it is (replacing the one for its story and target): copying a queue."""
        with self._locked():
            entries = [e for e in self._read() if (e.story_id, e.target) != (entry.story_id, entry.target)]
            self._write([*entries, entry])

    def remove(self, story_id: str, target: str) -> None:
        with self._locked():
            entries = self._read()
            kept = [e for e in entries if (e.story_id, e.target) != (story_id, target)]
            if len(kept) != len(entries):
                self._write(kept)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            yield from self._held()

    def _held(self) -> Iterator[None]:
        try:
            self._lock.acquire()  # makes the folder (0700) and the file when missing
        except LockTimeout as error:
            raise PendingFileError(f"the pending-deliveries file {self.path} is locked by another process") from error
        except OSError as error:
            raise PendingFileError(f"the pending-deliveries file {self.path} cannot be used: {error}") from error
        try:
            yield
        except OSError as error:
            raise PendingFileError(f"the pending-deliveries file {self.path} cannot be used: {error}") from error
        finally:
            self._lock.release()

    def _read(self) -> list[PendingDelivery]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        if not raw:  # made empty by the lock (PathLock), never written yet
            return []
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise self._damaged(f"not valid JSON at line {error.lineno}") from error
        except (ValueError, RecursionError) as error:  # not UTF-8; nested too deeply ('[' * 200000)
            raise self._damaged("not valid JSON") from error
        if not isinstance(data, dict) or data.get("format") != PENDING_FORMAT:
            raise self._damaged("it is not a pending-deliveries file")
        items = data.get("pending", [])
        if not isinstance(items, list):
            raise self._damaged("its pending list is not a list")
        return [self._entry(number, item) for number, item in enumerate(items, start=1)]

    def _entry(self, number: int, item: object) -> PendingDelivery:
        """One queued delivery, checked field by field (a hand edit must not become a traceback later)."""
        known = ("story_id", "target", "version", "since", "attempts", "last_error")
        if not isinstance(item, dict):
            raise self._damaged(f"its entry {number} is not an object")
        for name in known:
            value = item.get(name)
            wanted = int if name in ("version", "attempts") else str
            if type(value) is not wanted or (wanted is int and value < 0):  # type: ignore[operator]
                raise self._damaged(f"its entry {number} has no {'number' if wanted is int else 'text'} {name}")
        return PendingDelivery(
            story_id=item["story_id"], target=item["target"], version=item["version"], since=item["since"],
            attempts=item["attempts"], last_error=clean_text(item["last_error"]),
            extra={k: v for k, v in item.items() if k not in known},
        )  # fmt: skip

    def _damaged(self, what: str) -> PendingFileError:
        return PendingFileError(f"the pending-deliveries file {self.path} is damaged ({what}) and was left untouched")

    def _write(self, entries: list[PendingDelivery]) -> None:
        data = {"format": PENDING_FORMAT, "version": 1, "pending": [e.to_dict() for e in entries]}
        encoded = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            like = None
            if self.like is not None:
                with contextlib.suppress(OSError):
                    like = os.stat(self.like)
            write_atomically(self.path, encoded, like=like, before_replace=self._lock.successor)
        except BaseException:
            self._lock.drop_successor()
            raise
        self._lock.adopt_successor()


class DatabasePendingDeliveries(PendingDeliveries):
    """The pending list in a PostgreSQL store's `pending_deliveries` table: one row per story and target,
    each change one transaction (the database's row locks stand in for the file lock)."""

    def __init__(self, store: PendingQueue) -> None:
        self.store = store
        self.path = Path(store.label)
        self.like = None
        self._mutex = threading.RLock()

    def _read(self) -> list[PendingDelivery]:
        try:
            items = self.store.pending_entries()
        except StoreError as error:
            raise PendingFileError(str(error)) from error
        return [self._entry(number, item) for number, item in enumerate(items, start=1)]

    def _write(self, entries: list[PendingDelivery]) -> None:  # pragma: no cover - never called
        raise NotImplementedError("the database queue changes row by row")

    def add(self, result: DeliveryResult, *, now: datetime) -> None:
        with self._mutex:
            _, entry = queued_after(self._read(), result, now)
            try:
                self.store.put_pending(entry.story_id, entry.target, entry.to_dict())
            except StoreError as error:
                raise PendingFileError(str(error)) from error

    def put(self, entry: PendingDelivery) -> None:
        try:
            self.store.put_pending(entry.story_id, entry.target, entry.to_dict())
        except StoreError as error:
            raise PendingFileError(str(error)) from error

    def remove(self, story_id: str, target: str) -> None:
        try:
            self.store.remove_pending(story_id, target)
        except StoreError as error:
            raise PendingFileError(str(error)) from error

    def _damaged(self, what: str) -> PendingFileError:
        return PendingFileError(f"the pending deliveries in {self.path} are damaged ({what}) and were left untouched")
