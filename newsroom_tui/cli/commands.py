"""One small function per command: call the use case, print what it reports, return the exit status.

Every string that reaches the terminal goes through `for_display`; what happens lives in
`newsroom_tui.usecases`.  Modules are imported inside each command so `newsroom list` loads only
what listing needs (no Textual, filelock, lock book, delivery or renderers; the parser reads only the
formats' names).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from io import TextIOBase
from typing import TYPE_CHECKING, Any, TextIO

from newsroom_tui.domain.model import Status
from newsroom_tui.text.safety import for_display, json_for_terminal
from newsroom_tui.text.wording import counted
from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.delivery import DeliveryResult
    from newsroom_tui.domain.checks import CheckResult
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story
    from newsroom_tui.storage.contract import Store
    from newsroom_tui.usecases.newsroom import Newsroom
    from newsroom_tui.usecases.outcomes import ActionOutcome
    from newsroom_tui.usecases.startup import DeskStart

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2

OpenDesk = Callable[["DeskStart"], int]


def say(line: str, out: TextIO | None = None) -> None:
    print(for_display(line), file=out or sys.stdout)


def complain(sentence: str) -> None:
    print(f"newsroom: {for_display(sentence)}", file=sys.stderr)


def open_store(settings: Settings) -> Store:
    from newsroom_tui.storage.backends import store_for

    return store_for(settings)


def repair(settings: Settings, *, out: TextIO | None = None) -> int:
    """Put back the acknowledged saves a damaged journal lost, from the revisions file (issue 11, item 5)."""
    from newsroom_tui.storage.store import repair as repair_store

    if settings.store_url is not None:
        raise UserError(
            f"{settings.store_label} is a PostgreSQL database: repair is for a TinyDB journal file "
            f"(the database keeps its own transactions)."
        )
    repaired = repair_store(settings.db_path)
    if repaired is None:
        say(f"{settings.db_path}: nothing to repair; the store holds every acknowledged save.", out)
        return EXIT_OK
    count, copy = repaired
    saves = "save" if count == 1 else "saves"
    say(
        f"{settings.db_path}: put back {count} acknowledged {saves} from its revisions; "
        f"the damaged file is kept as {copy}.",
        out,
    )
    return EXIT_OK


def db_upgrade(settings: Settings, *, out: TextIO | None = None) -> int:
    """`newsroom db upgrade`: the migrations a PostgreSQL store lacks, applied and named."""
    if settings.store_url is None:
        raise UserError(
            f"{settings.store_label} is a TinyDB journal file, which has no schema to upgrade; "
            f"`newsroom db upgrade` is for a PostgreSQL store (--db postgresql://...)."
        )
    from newsroom_tui.storage.backends import upgrade_database

    applied = upgrade_database(settings.store_url)
    if not applied:
        say(f"{settings.store_label}: the schema is up to date; nothing to apply.", out)
    for line in applied:
        say(f"{settings.store_label}: applied {line}.", out)
    return EXIT_OK


def migrate(settings: Settings, source: str, destination: str, *, out: TextIO | None = None) -> int:
    """`newsroom migrate SOURCE DEST`: copy, then say what was copied and whether both sides now agree."""
    import dataclasses

    from newsroom_tui.text.wording import counted
    from newsroom_tui.usecases.migrate import migrate as copy_store

    given = dataclasses.replace(settings)
    given.use_store(source)
    wanted = dataclasses.replace(settings)
    wanted.use_store(destination)
    report = copy_store(given, wanted)
    words = report.words
    copied = words.get("copied", 0) + words.get("updated", 0)
    say(
        f"Copied {copied:,} of {counted(sum(words.values()), 'story')} from {given.store_label} to "
        f"{wanted.store_label} ({words.get('same', 0):,} already there) and "
        f"{counted(report.pending_copied, 'pending delivery')}.",
        out,
    )
    for slugs, why in ((report.differs, "Left alone, because {} holds other versions of them"),
                       (report.purged, "Not brought back, because {} purged them")):  # fmt: skip
        if slugs:
            shown = ", ".join(slugs[:10]) + (" …" if len(slugs) > 10 else "")
            complain(f"{why.format(wanted.store_label)}: {shown}.")
    src, dst = report.source, report.destination
    assert src is not None and dst is not None
    if report.verified:
        say(
            f"Verified: {counted(dst.stories, 'story')}, {counted(dst.versions, 'version')}, "
            f"{counted(dst.log_entries, 'delivery log entry')} and {counted(dst.pending, 'pending delivery')} "
            f"on both sides, checksum {dst.checksum[:16]}.",
            out,
        )
        return EXIT_OK
    complain(
        f"The copy does not match: the source holds {counted(src.stories, 'story')}, "
        f"{counted(src.versions, 'version')}, {counted(src.log_entries, 'log entry')} and "
        f"{counted(src.pending, 'pending delivery')}, the destination {dst.stories:,}, "
        f"{dst.versions:,}, {dst.log_entries:,} and {dst.pending:,}"
        + (
            " (the same counts, different contents)"
            if (src.stories, src.versions) == (dst.stories, dst.versions)
            else ""
        )
        + "."
    )
    return EXIT_USER_ERROR


# -- the shell: completion, the hidden `_slugs` it runs, the man page --------------------------------------
# A slug the completion may offer: one shell word that needs no quoting (slugs are made of [a-z0-9-]; a
# hand-edited store might hold anything, which is left out rather than typed into the editor's shell).
_SHELL_WORD = re.compile(r"[\w.+-]{1,200}")


def slugs(db: str | None, config: str | None, prefix: str = "", *, out: TextIO | None = None) -> int:
    """`newsroom _slugs [PREFIX]`, run by the completion scripts on TAB: the store's slugs starting with
    PREFIX, one a line.  Read without locks or writes (storage/slugs.py); a missing, damaged or unreachable
    store, or a broken config, prints nothing and exits 0: the command that runs next says what is wrong."""
    from newsroom_tui.domain.config import load_settings
    from newsroom_tui.storage.slugs import story_slugs

    try:
        settings = load_settings(db, config)
    except Exception:  # a TAB press must never print a traceback into the shell
        return EXIT_OK
    seen: set[str] = set()
    for slug in story_slugs(settings.db_path, settings.store_url, prefix=prefix):
        if slug not in seen and _SHELL_WORD.fullmatch(slug) and for_display(slug) == slug:
            seen.add(slug)
            say(slug, out)
    return EXIT_OK


def completion(parser: argparse.ArgumentParser, shell: str, *, out: TextIO | None = None) -> int:
    """`newsroom completion bash|zsh`: the script, generated from the parser (cli/shell.py)."""
    from newsroom_tui.cli.shell import completion_script

    (out or sys.stdout).write(completion_script(parser, shell))
    return EXIT_OK


def manual(parser: argparse.ArgumentParser, *, out: TextIO | None = None) -> int:
    """`newsroom man`: the man page, generated from the parser (cli/shell.py)."""
    from newsroom_tui import __version__
    from newsroom_tui.cli.shell import manual_page

    (out or sys.stdout).write(manual_page(parser, __version__))
    return EXIT_OK


def look_up(newsroom: Newsroom, slug: str) -> Story:
    """The story a reading command names (a unique start of its slug will do: `Newsroom.look_up`), saying on
    stderr which story it took when it was given only a start."""
    found = newsroom.look_up(slug)
    if found.note is not None:
        complain(found.note)
    return found.story


def open_newsroom(settings: Settings) -> Newsroom:
    """The use cases on a freshly opened store; the caller closes it (`with newsroom.store:`)."""
    from newsroom_tui.usecases.newsroom import Newsroom

    return Newsroom(settings, open_store(settings))


# -- the desk ---------------------------------------------------------------------------------------
def desk(settings: Settings, *, slug: str | None, open_desk: OpenDesk | None = None) -> int:
    from newsroom_tui.usecases.startup import prepare_desk

    if open_desk is None:
        raise UserError("This build of newsroom has no desk; use one of its commands (newsroom --help).")
    start = prepare_desk(settings, slug=slug)
    if start.took is not None:
        complain(start.took)
    return open_desk(start)


# -- import, check, list, export --------------------------------------------------------------------
def import_(settings: Settings, paths: Sequence[str], *, desk: str = "", out: TextIO | None = None) -> int:
    newsroom = open_newsroom(settings)  # a damaged store is reported before anything else
    with newsroom.store:
        report = newsroom.import_files(paths, desk=desk)
    for line in report.lines:
        if line.kind == "failed":
            complain(line.message)
        else:
            say(f"{line.kind:<9} {line.slug}  {line.name}: {line.message}", out)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


def check(
    settings: Settings,
    targets: Sequence[str],
    *,
    fix: bool = False,
    take_over: bool = False,
    output: str = "text",
    out: TextIO | None = None,
    spelling: bool = True,
) -> int:
    from newsroom_tui.usecases.checking import check as run_checks

    report = run_checks(
        settings, targets, lambda: open_newsroom(settings), fix=fix, take_over=take_over, spelling=spelling
    )
    for problem in report.problems:
        complain(problem)
    for note in report.notes:
        complain(note)
    if output == "json":
        (out or sys.stdout).write(json_for_terminal(report.to_json()) + "\n")
    else:
        for line in report.lines:
            say(line, out)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


def words(
    settings: Settings,
    verb: str,
    words: Sequence[str],
    *,
    personal: bool = False,
    story: str | None = None,
    out: TextIO | None = None,
) -> int:
    """`newsroom words add|remove|list [--personal | --story SLUG]`: the desk dictionary, the editor's
    own list, or the words one story ignores."""
    from newsroom_tui.usecases.spelling import SpellingService

    if story is not None and personal:
        complain("Say --personal or --story, not both.")
        return EXIT_USAGE
    if verb != "list" and not words:
        complain(f"`newsroom words {verb}` needs the words to {verb}.")
        return EXIT_USAGE
    if story is not None:
        newsroom = open_newsroom(settings)
        with newsroom.store:
            if verb == "list":  # only reads: a unique start of the slug will do, and is said
                story = look_up(newsroom, story).slug
            for line in newsroom.story_words(story, verb, words):
                say(line, out)
        return EXIT_OK
    service = SpellingService(settings)
    which = "personal" if personal else "desk"
    if verb == "list":
        for word in service.words(which):
            say(word, out)
        return EXIT_OK
    if not words:
        complain(f"`newsroom words {verb}` needs the words to {verb}.")
        return EXIT_USAGE
    for word in words:
        change = service.add(word, which) if verb == "add" else service.remove(word, which)
        say(change.message, out)
    return EXIT_OK


def list_(
    settings: Settings,
    *,
    as_json: bool,
    status: str | None,
    everything: bool = False,
    out: TextIO | None = None,
    width: int | None = None,
) -> int:
    """`newsroom list`: aligned columns as wide as the terminal (100 when not one); spiked and killed stories
    are left out as on the desk unless `--all` or `--status` asks for them (`--json`: every story's row)."""
    from newsroom_tui.usecases.listing import write_list, write_list_json

    out = out or sys.stdout
    if as_json:
        with open_store(settings) as store:
            write_list_json(store, Status(status) if status else None, binary_writer(out))
        out.flush()
        return EXIT_OK
    columns = width or terminal_width(out)
    with open_store(settings) as store:  # said as read: a million stories' list starts at once
        hidden = write_list(
            store, settings, Status(status) if status else None, everything=everything, width=columns,
            say=lambda line: say(line, out),
        )  # fmt: skip
    if hidden:
        complain(f"{counted(hidden, 'story')} spiked or killed not shown; --all shows them.")
    return EXIT_OK


def binary_writer(out: TextIO) -> Callable[[bytes], object]:
    """Where bytes for `out` go: its binary buffer (after what was written as text), or, for a stream that
    has none (a test's StringIO), the text.  What is written must have passed the terminal boundary already
    (`json_bytes_for_terminal`): the TerminalStream around stdout is stepped past, not to scan it twice."""
    target: Any = out
    while isinstance(getattr(target, "wrapped", None), TextIOBase):
        target.flush()
        target = target.wrapped
    buffer = getattr(target, "buffer", None)
    if buffer is None:
        return lambda data: out.write(data.decode("utf-8", "surrogatepass"))
    target.flush()
    return buffer.write


def terminal_width(out: TextIO) -> int:
    """The terminal's width when `out` is one, else 100 (a pipe, a file, cron)."""
    import os

    try:
        if out.isatty():
            return max(40, os.get_terminal_size(out.fileno()).columns)
    except (OSError, ValueError, AttributeError):
        pass
    return 100


def export(settings: Settings, slug: str, fmt: str, *, output: str | None = None, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.files import write_export

    newsroom = open_newsroom(settings)
    with newsroom.store:
        text = newsroom.export(look_up(newsroom, slug), fmt)
    if output is None or output == "-":
        (out or sys.stdout).write(for_display(text) if text.endswith("\n") else for_display(text) + "\n")
    else:
        write_export(output, text, store=settings.db_path)
    return EXIT_OK


# -- archive search ---------------------------------------------------------------------------------
def search(settings: Settings, query: str, *, as_json: bool = False, limit: int = 20, out: TextIO | None = None) -> int:
    """`newsroom search QUERY`: a line per hit (slug, status, last saved in the desk's zone, headline) with its
    snippet under it, or `--json`; exits 1 when no story matches, as grep does."""
    from newsroom_tui.usecases.times import local_time

    out = out or sys.stdout
    newsroom = open_newsroom(settings)
    with newsroom.store:
        hits = newsroom.search(query, limit=limit)
    if as_json:
        found = [
            {
                "id": hit.row.id,
                "slug": hit.row.slug,
                "headline": hit.row.headline,
                "status": hit.row.status.value,
                "updated_at": hit.row.updated_at.isoformat(),
                "snippet": hit.snippet,
            }
            for hit in hits
        ]
        out.write(json_for_terminal(json.dumps(found, ensure_ascii=False, indent=2)) + "\n")
    else:
        for hit in hits:
            row = hit.row
            updated = local_time(row.updated_at, settings.zone)
            say(f"{row.slug or row.id}  {row.status.value}  {updated}  {row.headline}", out)
            if hit.snippet:
                say(f"    {hit.snippet}", out)
    if not hits:
        complain(f"No story matches {query.strip()!r}.")
        return EXIT_USER_ERROR
    return EXIT_OK


# -- purging the spike ------------------------------------------------------------------------------
def purge(
    settings: Settings,
    before_text: str,
    *,
    yes: bool = False,
    ask: Callable[[str], bool] | None = None,
    out: TextIO | None = None,
) -> int:
    """`newsroom purge --spiked-before DATE`: list them, ask (on a terminal; `--yes` for scripts), purge, say
    what went and where the record is."""
    from newsroom_tui.usecases.times import local_time, parse_local

    out = out or sys.stdout
    before, _ = parse_local(before_text, settings.zone, "--spiked-before", date_alone="00:00")
    when = f"{local_time(before, settings.zone)} ({settings.timezone})"
    newsroom = open_newsroom(settings)
    with newsroom.store:
        stories = newsroom.spiked_before(before)
        if not stories:
            say(f"No spiked story was last changed before {when}; nothing to purge.", out)
            return EXIT_OK
        say(f"{counted(len(stories), 'story')} spiked and last changed before {when}:", out)
        for story in stories:
            changed = local_time(story.updated_at, settings.zone)
            say(f"  {story.slug}  {changed}  {story.updated_by or '?'}  {story.headline}", out)
        if not yes:
            if ask is None and not sys.stdin.isatty():
                raise UserError("Nobody is at a terminal to confirm the purge; run it with --yes to purge them.")
            question = f"Delete {'it' if len(stories) == 1 else f'these {len(stories)}'} for good? [y/N] "
            if not (ask or _ask_terminal)(question):
                say("Nothing was purged.", out)
                return EXIT_OK
        record = newsroom.purge(stories, before=before)
    for gone in record["stories"]:
        say(f"purged      {gone['slug']}  version {gone['version']}", out)
    complain(
        f"purged {counted(len(record['stories']), 'story')} as {record['by']}; the purge is recorded in the store "
        "(`newsroom purge --log`) and every version of them stays in the store's revisions."
    )
    return EXIT_OK


def purge_log(settings: Settings, *, out: TextIO | None = None) -> int:
    """`newsroom purge --log`: every purge so far, and what it removed."""
    from datetime import datetime

    from newsroom_tui.usecases.times import local_time

    with open_store(settings) as store:
        records = store.purges()
    if not records:
        say("No story has been purged from this store.", out)
        return EXIT_OK
    for record in records:
        try:
            at = local_time(datetime.fromisoformat(str(record.get("at"))), settings.zone)
        except ValueError:
            at = str(record.get("at"))
        gone = [item for item in record.get("stories", []) if isinstance(item, dict)]
        say(f"{at}  {record.get('by', '?')}  {record.get('note', '')}: {counted(len(gone), 'story')}", out)
        for item in gone:
            say(f"  {item.get('slug', '?')}  version {item.get('version', '?')}  {item.get('headline', '')}", out)
    return EXIT_OK


def _ask_terminal(question: str) -> bool:
    try:
        answer = input(for_display(question))
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")


# -- unlock ---------------------------------------------------------------------------------------------
def unlock(
    settings: Settings,
    slug: str,
    *,
    yes: bool = False,
    ask: Callable[[str], bool] | None = None,
    out: TextIO | None = None,
) -> int:
    """`newsroom unlock SLUG`: take the story from whoever has it open (asked first on a terminal)."""
    out = out or sys.stdout
    newsroom = open_newsroom(settings)
    with newsroom.store:
        story = newsroom.find(slug)
        holder = newsroom.holder_description(story.id)
        if holder is None:
            say(f"Nobody has {story_name(story)} open; there is nothing to unlock.", out)
            return EXIT_OK
        if not yes:
            if ask is None and not sys.stdin.isatty():
                raise UserError(
                    f"{holder} has {story_name(story)} open and nobody is at a terminal to confirm; "
                    "run it with --yes to take it from them."
                )
            question = f"{holder} has {story_name(story)} open. Take it from them? [y/N] "
            if not (ask or _ask_terminal)(question):
                say("Nothing was changed.", out)
                return EXIT_OK
        newsroom.take_over(story.id)
    when = "at once" if settings.store_url is not None else "at its next heartbeat (within 10 s)"
    say(
        f"unlocked    {story.slug}  taken from {holder}; their desk turns read-only {when} "
        "and keeps their unsaved text as a recoverable draft.",
        out,
    )
    return EXIT_OK


# -- history and restore ----------------------------------------------------------------------------
def history(settings: Settings, slug: str, *, diff: Sequence[int] | None = None, out: TextIO | None = None) -> int:
    from newsroom_tui.usecases.history import diff_lines, history_lines

    newsroom = open_newsroom(settings)
    with newsroom.store:
        story = look_up(newsroom, slug)
        held = newsroom.history(story.id)
    lines = diff_lines(held, story.slug, *diff, zone=settings.zone) if diff else history_lines(held, settings)
    for line in lines:
        say(line, out)
    return EXIT_OK


def restore(settings: Settings, slug: str, version: int, *, take_over: bool = False, out: TextIO | None = None) -> int:
    newsroom = open_newsroom(settings)
    with newsroom.store:
        restored = newsroom.restore(newsroom.find(slug).id, version, take_over=take_over)
    saved = restored.saved
    say(f"restored    {saved.slug}  version {version} as version {saved.version}", out)
    if restored.was_live:
        complain(
            f"{saved.slug} is live: readers keep the copy that went out until "
            f"`newsroom correct {saved.slug} --note …` sends this version."
        )
    return EXIT_OK


# -- the workflow: publish, schedule, correct, kill… ------------------------------------------------
def action(
    settings: Settings, slug: str, name: str, *, take_over: bool = False, out: TextIO | None = None, **args: Any
) -> int:
    """One workflow action on one story: the checks, the one new version, and delivery when it goes out."""
    from newsroom_tui.domain.workflow import ChecksFailed

    out = out or sys.stdout
    newsroom = open_newsroom(settings)
    with newsroom.store:
        story = newsroom.find(slug)
        try:
            outcome = newsroom.act(story, name, take_over=take_over, retry_stale=True, **args)
        except ChecksFailed as failed:
            report_failed_checks(story, name, failed.result)
            return EXIT_USER_ERROR
        show_action(newsroom, outcome, out)
    return EXIT_OK


def show_action(newsroom: Newsroom, outcome: ActionOutcome, out: TextIO) -> None:
    """The action's warnings and line, then its deliveries (run now), one line per target."""
    if outcome.checks is not None:
        print_warnings(outcome.before, outcome.checks.warnings)
    print(action_line(outcome.before, outcome.saved, outcome.action, newsroom.settings), file=out)
    if outcome.note:
        complain(f"note: {outcome.note}")
    if not outcome.delivers:
        return
    delivered = newsroom.deliver(outcome)
    for result in delivered.results:
        print(f"  {delivery_line(result)}", file=out)
    for message in delivered.messages[len(delivered.results) :]:
        complain(message)


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


def story_name(story: Story) -> str:
    """How a message names a story: its headline (what editors know it by) and its slug."""
    headline = for_display(story.headline)
    return f"“{headline}” ({for_display(story.slug)})" if headline else for_display(story.slug or story.id)


def action_line(before: Story, after: Story, action: str, settings: Settings) -> str:
    from newsroom_tui.domain.workflow import past_tense
    from newsroom_tui.usecases.times import local_time

    detail = f"{before.status.value} → {after.status.value}"
    if action == "schedule" and after.scheduled_at is not None:
        detail += f" for {local_time(after.scheduled_at, settings.zone)} ({settings.timezone})"
    elif action == "correct":
        detail += f" (correction {after.correction_sequence})"
    return f"{past_tense(action):<11} {for_display(after.slug)}  {detail}, version {after.version}"


def delivery_line(result: DeliveryResult, *, with_story: bool = False) -> str:
    state = "ok" if result.ok else "failed"
    story = f"{for_display(result.slug or result.story_id)}  " if with_story else ""
    return f"{state:<6}  {story}{for_display(result.target)}: {for_display(result.message)}"


# -- publish-due (cron) and deliver --retry ----------------------------------------------------------
def publish_due(settings: Settings, *, now_text: str | None = None, out: TextIO | None = None) -> int:
    """Publish every scheduled story whose time has come; one story's failure does not stop the rest.

    `now_text` (the hidden `--now`) stands in for the clock, for tests and catch-up runs.
    """
    from newsroom_tui.usecases.times import parse_when

    out = out or sys.stdout
    now = parse_when(now_text, settings.zone, "--now") if now_text else None
    failed = False
    newsroom = open_newsroom(settings)
    with newsroom.store:
        for done in newsroom.publish_due(now):
            if isinstance(done, str):
                complain(done)
                failed = True
            else:
                show_action(newsroom, done, out)
    return EXIT_USER_ERROR if failed else EXIT_OK


def publish_due_watch(settings: Settings, *, every: float = 30.0, out: TextIO | None = None) -> int:
    """`publish-due --watch`: a long-running service that publishes each scheduled story when it falls
    due, so nobody has to arrange cron.  Exactly once whichever way (two watchers, a watcher and cron):
    the store's version check lets one publish and the other finds it no longer scheduled.  A database
    or disk that fails for a while is said and tried again; SIGTERM (systemd's stop) and ctrl+c end it."""
    import signal
    import threading

    from newsroom_tui.domain.model import now as current_time
    from newsroom_tui.storage.store import StoreError

    if not 1 <= every <= 3600:
        raise UserError("--every is seconds between 1 and 3600.")
    out = out or sys.stdout
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    newsroom = open_newsroom(settings)
    say(f"Watching {settings.db_path} for scheduled stories (every {every:g} s; ctrl+c stops).", out)
    out.flush()
    try:
        with newsroom.store:
            while not stop.is_set():
                wait = every
                try:
                    for done in newsroom.publish_due():
                        stamp = current_time().astimezone(settings.zone).strftime("%H:%M:%S")
                        if isinstance(done, str):
                            complain(f"{stamp} {done}")
                        else:
                            print(stamp, end=" ", file=out)
                            show_action(newsroom, done, out)
                    upcoming = newsroom.next_due()
                    if upcoming is not None:  # wake for it rather than up to `every` late
                        wait = min(every, max(0.5, (upcoming - current_time()).total_seconds()))
                except StoreError as error:
                    complain(f"{for_display(str(error))} Trying again in {every:g} s.")
                out.flush()
                stop.wait(wait)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    say("Stopped watching.", out)
    return EXIT_OK


def deliver_retry(settings: Settings, *, out: TextIO | None = None) -> int:
    """Resend what failed, with each story as it is now; what fails again stays queued."""
    from newsroom_tui.delivery import PendingFileError

    out = out or sys.stdout
    newsroom = open_newsroom(settings)
    with newsroom.store:
        try:
            results = newsroom.deliver_retry()
        except PendingFileError as error:
            message = str(error)
            raise UserError(f"{message[:1].upper()}{message[1:]}.") from error
    if not results:
        print("Nothing is waiting to be delivered.", file=out)
        return EXIT_OK
    for result in results:
        print(delivery_line(result, with_story=True), file=out)
    failures = sum(not result.ok for result in results)
    if failures:
        complain(
            f"{failures} of {len(results)} deliveries failed; those not dropped stay queued "
            "for the next `newsroom deliver --retry`."
        )
        return EXIT_USER_ERROR
    return EXIT_OK
