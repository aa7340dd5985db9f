"""One small function per command: call the use case, print what it reports, return the exit status.

Every string that reaches the terminal goes through `for_display`; what happens lives in
`newsroom_tui.usecases`.  Modules are imported inside each command so `newsroom list` loads only
what listing needs (no Textual, filelock, delivery or formats).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from newsroom_tui.domain.model import Status
from newsroom_tui.domain.model import now as current_time
from newsroom_tui.storage.store import StoreError, StoryStore
from newsroom_tui.text.safety import for_display
from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.delivery import DeliveryResult, Target
    from newsroom_tui.domain.checks import CheckResult
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story
    from newsroom_tui.usecases.newsroom import Newsroom
    from newsroom_tui.usecases.startup import DeskStart

EXIT_OK = 0
EXIT_USER_ERROR = 1

OpenDesk = Callable[["DeskStart"], int]


def say(line: str, out: TextIO | None = None) -> None:
    print(for_display(line), file=out or sys.stdout)


def complain(sentence: str) -> None:
    print(f"newsroom: {for_display(sentence)}", file=sys.stderr)


def open_store(settings: Settings) -> StoryStore:
    return StoryStore(settings.db_path)


def open_newsroom(settings: Settings) -> Newsroom:
    """The use cases on an open store (close it with `.store.close()`): for the commands that write."""
    from newsroom_tui.usecases.newsroom import Newsroom

    return Newsroom(settings, open_store(settings))


# -- the desk ---------------------------------------------------------------------------------------
def desk(settings: Settings, *, slug: str | None, open_desk: OpenDesk | None = None) -> int:
    from newsroom_tui.usecases.startup import prepare_desk

    if open_desk is None:
        raise UserError("This build of newsroom has no desk; use one of its commands (newsroom --help).")
    return open_desk(prepare_desk(settings, slug=slug))


# -- import, check, list, export --------------------------------------------------------------------
def import_(settings: Settings, paths: Sequence[str], *, desk: str = "", out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.importing import import_files

    with open_store(settings) as store:  # a damaged store is reported before anything else
        report = import_files(store, settings, paths, desk=desk)
    for problem in report.problems:
        complain(problem)
    for line in report.lines:
        say(line, out)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


def check(
    settings: Settings,
    targets: Sequence[str],
    *,
    fix: bool = False,
    take_over: bool = False,
    output: str = "text",
    out: TextIO | None = None,
) -> int:
    from newsroom_tui.usecases.checking import check as run_checks

    report = run_checks(settings, targets, lambda: open_newsroom(settings), fix=fix, take_over=take_over)
    for problem in report.problems:
        complain(problem)
    for note in report.notes:
        complain(note)
    if output == "json":
        (out or sys.stdout).write(report.to_json() + "\n")
    else:
        for line in report.lines:
            say(line, out)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


def list_(settings: Settings, *, as_json: bool, status: str | None, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.listing import list_lines

    out = out or sys.stdout
    with open_store(settings) as store:
        stories = store.list_stories(Status(status) if status else None)
    if as_json:
        json.dump([story.to_dict() for story in stories], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    for line in list_lines(stories, settings):
        say(line, out)
    return EXIT_OK


def export(settings: Settings, slug: str, fmt: str, *, output: str | None = None, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.exporting import export_story, write_export

    with open_store(settings) as store:
        text = export_story(store, settings, slug, fmt, now=current_time())
    if output is None or output == "-":
        (out or sys.stdout).write(for_display(text) if text.endswith("\n") else for_display(text) + "\n")
    else:
        write_export(output, text)
    return EXIT_OK


# -- history and restore ----------------------------------------------------------------------------
def history(settings: Settings, slug: str, *, diff: Sequence[int] | None = None, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.history import diff_lines, history_lines

    with open_store(settings) as store:
        lines = diff_lines(store, settings, slug, *diff) if diff else history_lines(store, settings, slug)
    for line in lines:
        say(line, out)
    return EXIT_OK


def restore(settings: Settings, slug: str, version: int, *, take_over: bool = False, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.history import restore as restore_version

    newsroom = open_newsroom(settings)
    with newsroom.store:
        restored = restore_version(newsroom, slug, version, take_over=take_over)
    saved = restored.saved
    say(f"restored    {saved.slug}  version {version} as version {saved.version}", out)
    if restored.was_live:
        complain(
            f"{saved.slug} is live: readers keep the copy that went out until "
            f"`newsroom correct {saved.slug} --note …` sends this version."
        )
    return EXIT_OK


# -- the workflow: publish, schedule, correct, kill… ------------------------------------------------
# Actions whose saved result goes to the targets: copy, a correction, a withdrawal or a kill notice.
DELIVERING_ACTIONS = frozenset({"publish", "correct", "unpublish", "kill"})


def story_name(story: Story) -> str:
    """How a message names a story: its headline (what editors know it by) and its slug."""
    headline = for_display(story.headline)
    return f"“{headline}” ({for_display(story.slug)})" if headline else for_display(story.slug or story.id)


def delivery_targets(settings: Settings) -> list[Target]:
    """The configured targets, read before anything changes: a broken [targets] table must not leave a
    story published but undelivered."""
    from newsroom_tui.delivery import load_targets, pending_path

    targets = load_targets(settings)
    pending_path(settings)  # its setting is checked now too, for the same reason
    return targets


def action(
    settings: Settings, slug: str, name: str, *, take_over: bool = False, out: TextIO | None = None, **args: Any
) -> int:
    """One workflow action on one story: the checks, the new version, and delivery when it goes out."""
    from newsroom_tui.usecases.stories import find_story

    out = out or sys.stdout
    targets = delivery_targets(settings) if name in DELIVERING_ACTIONS else []
    newsroom = open_newsroom(settings)
    with newsroom.store:
        story = find_story(newsroom.store, settings, slug)
        done = run_action(
            newsroom, story, name, now=current_time(), targets=targets, out=out, take_over=take_over, **args
        )
    return EXIT_OK if done else EXIT_USER_ERROR


def run_action(
    newsroom: Newsroom,
    story: Story,
    action: str,
    *,
    now: Any,
    targets: list[Target],
    out: TextIO,
    take_over: bool = False,
    **args: Any,
) -> bool:
    """Apply `action`, save the new version and deliver it; False when the checks refused (reported).

    Refused (LockedError) while another editor has the story open, unless `take_over`.
    """
    from newsroom_tui.domain.checks import publish_checks
    from newsroom_tui.domain.errors import WorkflowError
    from newsroom_tui.domain.workflow import TRANSITIONS, ChecksFailed, apply_action, refusal
    from newsroom_tui.usecases.locking import clear_to_write

    store, settings = newsroom.store, newsroom.settings
    why = refusal(story, action)
    if why is not None:
        raise WorkflowError(why)
    clear_to_write(newsroom, story.id, take_over=take_over)
    if TRANSITIONS[action].checks:
        args.update(slug_owner=store.slug_owner, headline_limit=settings.headline_limit)
        result = publish_checks(story, slug_owner=store.slug_owner, now=now, headline_limit=settings.headline_limit)
        if not result.ok:
            report_failed_checks(story, action, result)
            return False
        print_warnings(story, result.warnings)
    try:
        changed = apply_action(story, action, user=settings.user, now=now, **args)
    except ChecksFailed as failed:  # a check the workflow runs and publish_checks does not (yet)
        report_failed_checks(story, action, failed.result)
        return False
    saved = store.save(changed, user=settings.user)
    print(action_line(story, saved, action, settings), file=out)
    if action in DELIVERING_ACTIONS:
        deliver_and_record(store, settings, saved, now=now, targets=targets, out=out)
    return True


def report_failed_checks(story: Story, action: str, result: CheckResult) -> None:
    """Every problem at once, one per line, so the editor fixes them in one go; then the warnings."""
    from newsroom_tui.domain.workflow import past_tense

    count = len(result.errors)
    problems = "1 problem" if count == 1 else f"{count} problems"
    print(f"newsroom: {story_name(story)} cannot be {past_tense(action)} yet: {problems}.", file=sys.stderr)
    for error in result.errors:
        print(f"  - {for_display(error)}", file=sys.stderr)
    print_warnings(story, result.warnings)


def print_warnings(story: Story, warnings: Sequence[str]) -> None:
    for warning in warnings:
        complain(f"warning: {story.slug}: {warning}")


def action_line(before: Story, after: Story, action: str, settings: Settings) -> str:
    from newsroom_tui.domain.workflow import past_tense
    from newsroom_tui.usecases.times import local_time

    detail = f"{before.status.value} → {after.status.value}"
    if action == "schedule" and after.scheduled_at is not None:
        detail += f" for {local_time(after.scheduled_at, settings.zone)} ({settings.timezone})"
    elif action == "correct":
        detail += f" (correction {after.correction_sequence})"
    return f"{past_tense(action):<11} {for_display(after.slug)}  {detail}, version {after.version}"


def deliver_and_record(
    store: StoryStore, settings: Settings, saved: Story, *, now: Any, targets: list[Target], out: TextIO
) -> None:
    """Deliver the saved version, one line per target, and record the results in its history.

    A failed delivery is not an error of the command: the story has changed here, and the failure is
    queued for `newsroom deliver --retry`.
    """
    from newsroom_tui.delivery import deliver

    if not targets:
        complain("no delivery targets are configured, so nothing was sent.")
        return
    results = deliver(saved, settings, now=now, targets=targets)
    for result in results:
        print(f"  {delivery_line(result)}", file=out)
    record_results(store, settings, saved.id, results, now=now)
    if not all(result.ok for result in results):
        complain(f"the story is {saved.status.value} here; `newsroom deliver --retry` will resend what failed.")


def delivery_line(result: DeliveryResult, *, with_story: bool = False) -> str:
    state = "ok" if result.ok else "failed"
    story = f"{for_display(result.slug or result.story_id)}  " if with_story else ""
    return f"{state:<6}  {story}{result.target}: {for_display(result.message)}"


def record_results(
    store: StoryStore, settings: Settings, story_id: str, results: Sequence[DeliveryResult], *, now: Any
) -> None:
    """The deliveries into the story's history (a new version), on top of whatever version is current:
    an editor may have saved in between, and history is only ever appended to."""
    from newsroom_tui.delivery import record_deliveries
    from newsroom_tui.storage.store import ConflictError

    if not results:
        return  # saving would only bump the version
    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            current = store.get(story_id)
            store.save(record_deliveries(current, results, user=settings.user, now=now), user=settings.user)
            return
        except StoreError as error:
            if isinstance(error, ConflictError) and attempt < attempts:
                continue
            raise UserError(
                f"The deliveries went out, but the story's history could not record them: {error}"
            ) from error


# -- publish-due (cron) and deliver --retry ----------------------------------------------------------
def publish_due(settings: Settings, *, now_text: str | None = None, out: TextIO | None = None) -> int:
    """Publish every scheduled story whose time has come; one story's failure does not stop the rest.

    `now_text` (the hidden `--now`) stands in for the clock, for tests and catch-up runs.
    """
    from newsroom_tui.domain.errors import WorkflowError
    from newsroom_tui.domain.workflow import due_for_publishing
    from newsroom_tui.usecases.times import parse_when

    out = out or sys.stdout
    now = parse_when(now_text, settings.zone, "--now") if now_text else current_time()
    targets = delivery_targets(settings)
    failed = False
    newsroom = open_newsroom(settings)
    with newsroom.store as store:
        for story in due_for_publishing(store.list_stories(Status.SCHEDULED), now=now):
            try:
                done = run_action(newsroom, story, "publish", now=now, targets=targets, out=out)
            except (UserError, StoreError, WorkflowError) as error:
                complain(f"{story.slug}: {error}")
                done = False
            failed = failed or not done
    return EXIT_USER_ERROR if failed else EXIT_OK


def deliver_retry(settings: Settings, *, out: TextIO | None = None) -> int:
    """Resend what failed, with each story as it is now, and record the outcomes in the stories' history.

    A delivery that fails again is not recorded: it stays in the pending list (which counts its
    attempts), so a cron job retrying every few minutes against a dead webhook does not add a version
    to the story each time, nor trip up an editor who has it open.
    """
    from newsroom_tui.delivery import PendingDeliveries, PendingFileError, deliver_pending, pending_path
    from newsroom_tui.storage.store import StoryNotFoundError

    out = out or sys.stdout
    targets = delivery_targets(settings)
    now = current_time()
    with open_store(settings) as store:
        try:
            results = deliver_pending(settings, store.get, now=now, targets=targets)
        except PendingFileError as error:
            message = str(error)
            raise UserError(f"{message[:1].upper()}{message[1:]}.") from error
        if not results:
            print("Nothing is waiting to be delivered.", file=out)
            return EXIT_OK
        for result in results:
            print(delivery_line(result, with_story=True), file=out)
        try:
            queued = {(entry.story_id, entry.target) for entry in PendingDeliveries(pending_path(settings)).entries()}
        except PendingFileError:
            queued = {(result.story_id, result.target) for result in results if not result.ok}
        by_story: dict[str, list[DeliveryResult]] = {}
        for result in results:
            if (result.story_id, result.target) not in queued:  # delivered, or dropped for good
                by_story.setdefault(result.story_id, []).append(result)
        for story_id, group in by_story.items():
            try:
                store.get(story_id)
            except StoryNotFoundError:
                continue  # gone from the store: its line above says the delivery was dropped
            record_results(store, settings, story_id, group, now=now)
    failures = sum(not result.ok for result in results)
    if failures:
        complain(
            f"{failures} of {len(results)} deliveries failed; those not dropped stay queued "
            "for the next `newsroom deliver --retry`."
        )
        return EXIT_USER_ERROR
    return EXIT_OK
