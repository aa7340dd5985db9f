"""The `newsroom` command: the desk app, and the commands scripts and cron use.

Exit status: 0 ok, 1 a user error (bad file, unknown story, corrupt store, an action the workflow
refuses), 2 a usage error.  Every error is one sentence on stderr (failed pre-publish checks add one
line per problem); a traceback only ever means a bug in newsroom itself.  Textual is imported only
when the app is started, and delivery (urllib) only by the commands that deliver, so `newsroom list`
stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from newsroom_tui import __version__
from newsroom_tui.domain.config import ConfigError, Settings, load_settings
from newsroom_tui.domain.errors import WorkflowError
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.model import now as current_time
from newsroom_tui.storage.store import StoreError, StoryNotFoundError, StoryStore
from newsroom_tui.text.safety import for_display
from newsroom_tui.usecases.startup import DeskStart

if TYPE_CHECKING:
    from newsroom_tui.delivery import DeliveryResult, Target
    from newsroom_tui.domain.checks import CheckResult
    from newsroom_tui.domain.history import Event

EXIT_OK = 0
EXIT_USER_ERROR = 1


class CommandError(Exception):
    """A user error: the message is printed as it is, exit status 1."""


def opens_the_desk(argv: Sequence[str]) -> bool:
    """Whether `argv` is only `--db`/`--config`: the desk, the path taken dozens of times a day."""
    rest = iter(argv)
    for arg in rest:
        if arg in ("--db", "--config"):
            if next(rest, None) is None:
                return False  # let the full parser say what is missing
        elif not arg.startswith(("--db=", "--config=")):
            return False
    return True


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The full parser has 18 commands and costs about 5 ms to build (argparse looks up a translation
    for every help text), so the desk's own arguments are parsed with a parser of two options."""
    args = sys.argv[1:] if argv is None else list(argv)
    if opens_the_desk(args):
        parsed = common_options(add_help=False).parse_args(args)
        parsed.command = None
        return parsed
    return build_parser().parse_args(args)


def common_options(*, add_help: bool = False) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=add_help, prog="newsroom")
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the story store to use (default: $NEWSROOM_DB, else the user data dir)",
    )
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="the TOML config file to read")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="newsroom",
        description="A keyboard-first newsroom editor. With no command, opens the desk.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"newsroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser(
        "open", parents=[common], help="open the desk on one story", description="Open the desk on a story."
    )
    open_cmd.add_argument("slug", help="the story's slug")

    import_cmd = commands.add_parser(
        "import",
        parents=[common],
        help="import wire copy into stories",
        description="Import files in the portal's wire format (a folder imports its *.txt files).",
    )
    import_cmd.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    import_cmd.add_argument("--desk", default="", help="the desk to file the imported stories under")

    check_cmd = commands.add_parser(
        "check",
        parents=[common],
        help="copy-desk checks on stories or wire files",
        description="Check stories (by slug) or wire files against the house style. Prints NAME:LINE:COL: CODE "
        "message, one per line; exits 1 when anything is found.",
    )
    check_cmd.add_argument("targets", nargs="+", metavar="SLUG_OR_FILE")
    check_cmd.add_argument(
        "--fix", action="store_true", help="apply the safe fixes (a story: as a new version; a file: in place)"
    )
    check_cmd.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    list_cmd = commands.add_parser(
        "list", parents=[common], help="list stories", description="List the stories in the store."
    )
    list_cmd.add_argument("--json", action="store_true", help="print a JSON array of stories")
    list_cmd.add_argument("--status", choices=[status.value for status in Status], help="only stories with this status")
    add_workflow_commands(commands, common)
    return parser


def add_workflow_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """The publishing commands: workflow actions, export, delivery and history, for scripts and cron."""
    from newsroom_tui.formats import FORMATS  # not on the desk's way (see parse_arguments)

    def story_command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, parents=[common], help=summary, description=description)
        command.add_argument("slug", help="the story's slug")
        return command

    story_command(
        "publish",
        "run the checks, publish and deliver a story",
        "Run the desk's pre-publish checks; if they pass, publish the story as a new version and deliver it "
        "to every configured target, one line per target. Warnings are shown but do not stop it. A failed "
        "delivery does not undo the publication: it is queued for `newsroom deliver --retry`.",
    )
    schedule = story_command(
        "schedule",
        "schedule a story to be published later",
        "Run the pre-publish checks and schedule the story; `newsroom publish-due` (from cron) publishes it "
        "when its time comes.",
    )
    schedule.add_argument(
        "--at", required=True, metavar='"YYYY-MM-DD HH:MM"', help="when to publish, in the desk's time zone"
    )
    story_command("deschedule", "take a story off the schedule", "Return a scheduled story to the status it had.")
    due = commands.add_parser(
        "publish-due",
        parents=[common],
        help="publish the scheduled stories whose time has come (for cron)",
        description="Publish and deliver every scheduled story whose time has come, oldest first. Prints "
        "nothing when nothing is due; exits 1 if any due story could not be published.",
    )
    # For tests and catch-up runs only, so not in --help: publish what was due at that time.
    due.add_argument("--now", metavar="ISO", help=argparse.SUPPRESS)
    correct = story_command(
        "correct",
        "republish a live story as a correction",
        "Republish a published story with its correction number raised by one, and deliver it again.",
    )
    correct.add_argument("--note", required=True, help="what was corrected, for readers")
    story_command("unpublish", "take a live story off the site", "Unpublish a story: targets withdraw it.")
    kill = story_command(
        "kill",
        "withdraw a story for good",
        "Kill a published or unpublished story for good: every target receives a kill notice with the reason.",
    )
    kill.add_argument("--reason", required=True, help="why, for everyone who received the story")
    story_command("spike", "put a story on the spike", "Spike a story that has not gone out (take it off the desk).")
    story_command("unspike", "bring a story back from the spike", "Return a spiked story to the status it had.")
    story_command("submit", "submit a draft to the desk", "Submit a draft to the desk for editing.")

    export = story_command(
        "export",
        "write a story in an export format",
        "Print a story in one of the export formats, or write it to a file (atomically) with -o.",
    )
    export.add_argument("--format", required=True, choices=list(FORMATS), help="the export format")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    deliver = commands.add_parser(
        "deliver",
        parents=[common],
        help="resend the deliveries that failed",
        description="Resend every delivery that failed (with each story's current state), one line per "
        "delivery; exits 1 if any still fail, which stay queued.",
    )
    deliver.add_argument("--retry", action="store_true", required=True, help="resend what is pending")

    history = story_command(
        "history",
        "a story's versions, or the diff between two",
        "List a story's saved versions (who, when, what), or with --diff show what changed between two.",
    )
    history.add_argument("--diff", nargs=2, type=int, metavar=("A", "B"), help="diff version A against version B")
    restore = story_command(
        "restore",
        "bring back an old version as a new version",
        "Bring back an old version's words and metadata as a new version on top; the status stays.",
    )
    restore.add_argument("version", type=int, help="the version to restore (see `newsroom history SLUG`)")


# Actions whose saved result goes to the targets: copy, a correction, a withdrawal or a kill notice.
DELIVERING_ACTIONS = frozenset({"publish", "correct", "unpublish", "kill"})
SIMPLE_ACTIONS = ("deschedule", "unpublish", "spike", "unspike", "submit")


OpenDesk = Callable[[DeskStart], int]


def main(argv: Sequence[str] | None = None, *, open_desk: OpenDesk | None = None) -> int:
    """Run one command; with none (or `open SLUG`) hand over to `open_desk`, the desk front end.

    The command line does not import the desk: `newsroom_tui.entry` passes it in.
    """
    args = parse_arguments(argv)
    try:
        settings = load_settings(getattr(args, "db", None), getattr(args, "config", None))
        command = args.command
        if command == "import":
            return command_import(settings, args.paths, desk=args.desk)
        if command == "check":
            return command_check(settings, args.targets, fix=args.fix, output=args.format)
        if command == "list":
            return command_list(settings, as_json=args.json, status=args.status)
        if command == "publish":
            return command_action(settings, args.slug, "publish")
        if command in SIMPLE_ACTIONS:
            return command_action(settings, args.slug, command)
        if command == "kill":
            return command_action(settings, args.slug, "kill", reason=args.reason)
        if command == "correct":
            return command_action(settings, args.slug, "correct", note=args.note)
        if command == "schedule":
            return command_action(settings, args.slug, "schedule", at=parse_schedule_time(args.at, settings))
        if command == "publish-due":
            return command_publish_due(settings, now_text=args.now)
        if command == "export":
            return command_export(settings, args.slug, args.format, output=args.output)
        if command == "deliver":
            return command_deliver_retry(settings)
        if command == "history":
            return command_history(settings, args.slug, diff=args.diff)
        if command == "restore":
            return command_restore(settings, args.slug, args.version)
        return command_desk(settings, slug=getattr(args, "slug", None), open_desk=open_desk)
    except (CommandError, ConfigError, StoreError, WorkflowError) as error:
        print(f"newsroom: {for_display(str(error))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("newsroom: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `newsroom list | head`: the reader left; that is not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def open_store(settings: Settings) -> StoryStore:
    return StoryStore(settings.db_path)


# -- the desk (TUI) ---------------------------------------------------------------------------------
def command_desk(settings: Settings, *, slug: str | None, open_desk: OpenDesk | None = None) -> int:
    from newsroom_tui.storage.rowcache import read_rows

    # The list's rows from the row cache when it can be trusted: the store itself is then read just
    # after the first screen (50 MB and 300 ms at 10,000 stories).  Otherwise, as always, the store
    # first, so a damaged store or a new one (which gets the sample stories) is dealt with here.
    cached = read_rows(settings.db_path) if slug is None else None
    store: StoryStore | None = None
    first_run_note = None
    story_id = None
    if cached is None or not cached.rows:
        cached = None
        store = open_store(settings)
        try:
            first_run_note = seed_samples_if_empty(store, settings)
            if slug is not None:
                story = store.find_by_slug(slug)
                if story is None:
                    raise CommandError(f"There is no story with the slug {slug!r} in {settings.db_path}.")
                story_id = story.id
        except BaseException:
            store.close()
            raise
    # Everything loaded so far (modules, the store's documents) lives as long as the app: keep the cyclic
    # garbage collector from walking it again and again while the first screen is built (a full
    # collection there cost 15-30 ms of start-up at 1,000 stories, measured).
    if open_desk is None:
        raise CommandError("This build of newsroom has no desk; use one of its commands (newsroom --help).")
    return open_desk(DeskStart(settings, store, cached, story_id, first_run_note))


def sample_story_files() -> list[tuple[str, str]]:
    """The sample stories shipped in the package, as (file name, text)."""
    from importlib import resources  # 10 ms of imports, for a new store only

    folder = resources.files("newsroom_tui.sample_stories")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".txt")
    )


def seed_samples_if_empty(store: StoryStore, settings: Settings) -> str | None:
    """On a new, empty store import the sample stories, so a first run shows how the desk works."""
    if not store.is_empty():
        return None
    import tomllib
    from importlib import resources

    from newsroom_tui.formats.wire import parse_wire

    desks = tomllib.loads(resources.files("newsroom_tui.sample_stories").joinpath("desks.toml").read_text("utf-8"))
    stories = [
        parse_wire(text, zone=settings.zone, name=name).copy(desk=desks.get(name, ""))
        for name, text in sample_story_files()
    ]
    saved = store.save_many(assign_slugs(store, stories), user=settings.user)
    return f"New store: imported {len(saved)} sample stories into {settings.db_path}."


def assign_slugs(store: StoryStore, stories: list[Story]) -> list[Story]:
    """Give each imported story a slug from its headline, unique in the store and in the batch."""
    from newsroom_tui.text.slugs import alternative_slugs, slug_from_headline

    taken_in_batch: set[str] = set()

    def taken(slug: str) -> bool:
        return slug in taken_in_batch or store.slug_owner(slug) is not None

    result = []
    for story in stories:
        slug = slug_from_headline(story.headline) or "story"
        if taken(slug):
            alternatives = alternative_slugs(slug, taken, count=1)
            if not alternatives:
                raise CommandError(f"No free slug near {slug!r}; give the story a slug by hand.")
            slug = alternatives[0]
        taken_in_batch.add(slug)
        result.append(story.copy(slug=slug))
    return result


# -- import -----------------------------------------------------------------------------------------
def command_import(settings: Settings, paths: Sequence[str], *, desk: str = "", out: TextIO | None = None) -> int:
    from newsroom_tui.formats.wire import wire_files

    out = out or sys.stdout
    with open_store(settings) as store:  # a damaged store is reported before anything else
        missing = [path for path in paths if not Path(path).exists()]
        for path in missing:
            print(f"newsroom: {path}: no such file or folder.", file=sys.stderr)
        files = wire_files(Path(path) for path in paths if path not in missing)
        if not files and not missing:
            raise CommandError("No wire files (*.txt) found in " + ", ".join(paths) + ".")
        failed = bool(missing)
        # Imports are serialised across processes: "is it already here?" and the save must not be split
        # by another import of the same file (three concurrent imports of 10 files made 26 stories).
        import filelock

        with filelock.FileLock(f"{settings.db_path}.import.lock", timeout=120):
            store.refresh()
            failed = _import_files(store, settings, files, desk=desk, out=out) or failed
    return EXIT_USER_ERROR if failed else EXIT_OK


def _import_files(store: StoryStore, settings: Settings, files: Sequence[Path], *, desk: str, out: TextIO) -> bool:
    """Import each file; returns whether any failed.  Runs under the import lock."""
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file
    from newsroom_tui.storage.store import SlugTakenError

    failed = False
    # Re-importing the same wire file must not duplicate it: same headline, same published stamp.
    imported = {(story.headline, story.created_at): story for story in store.list_stories()}
    for path in files:
        try:
            story = parse_wire_file(path, zone=settings.zone)
        except WireFormatError as error:
            print(f"newsroom: {error}", file=sys.stderr)
            failed = True
            continue
        if desk:
            story = story.copy(desk=desk)
        duplicate = imported.get((story.headline, story.created_at))
        if duplicate is not None:
            print(f"skipped   {duplicate.slug}  {path.name}: already in the store", file=out)
            continue
        [story] = assign_slugs(store, [story])
        try:
            saved = store.save(story, user=settings.user)
        except SlugTakenError:  # an editor took that slug in the desk a moment ago: pick the next one
            [story] = assign_slugs(store, [story.copy(slug="")])
            saved = store.save(story, user=settings.user)
        imported[(saved.headline, saved.created_at)] = saved
        print(f"imported  {saved.slug}  {path.name}: {for_display(saved.headline)}", file=out)
    return failed


# -- check ------------------------------------------------------------------------------------------
def command_check(
    settings: Settings, targets: Sequence[str], *, fix: bool = False, output: str = "text", out: TextIO | None = None
) -> int:
    """Lint stories and wire files; an existing path is a file, anything else a slug in the store."""
    from newsroom_tui.domain.copydesk import CopydeskConfig, check_story, findings_to_json, fix_story
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file

    out = out or sys.stdout
    config = CopydeskConfig.from_settings(settings)
    results: dict[str, list] = {}
    lines: list[str] = []
    failed = False
    store: StoryStore | None = None
    try:
        for target in targets:
            path = Path(target)
            if path.is_file():
                try:
                    story = parse_wire_file(path, zone=settings.zone)
                except WireFormatError as error:
                    print(f"newsroom: {error}", file=sys.stderr)
                    failed = True
                    continue
                if fix:
                    fixed = fix_story(story, config)
                    rewrite_wire_file(path, story, fixed, config)
                    story = fixed
                raw = raw_space_findings(path, config)
                findings = [f for f in check_story(story, config) if f.code not in RAW_CODES] + raw
                results[target] = findings
                lines.extend(file_findings(path, story, findings))
                continue
            if store is None:
                store = open_store(settings)
            story = store.find_by_slug(target)
            if story is None:
                raise CommandError(f"{target!r} is neither a file nor the slug of a story in {settings.db_path}.")
            if fix:
                fixed = fix_story(story, config)
                if fixed != story:
                    story = store.save(fixed, user=settings.user)
            findings = check_story(story, config)
            results[target] = findings
            lines.extend(f"{target}/{f.field}:{f.line}:{f.column}: {f.code} {for_display(f.message)}" for f in findings)
    finally:
        if store is not None:
            store.close()
    if output == "json":
        out.write(findings_to_json(results) + "\n")
    else:
        for line in lines:
            print(line, file=out)
    found = any(results.values())
    return EXIT_USER_ERROR if found or failed else EXIT_OK


# Spaces and invisible characters are checked on the file's raw lines: the wire parser trims line ends
# (where the seed's non-breaking spaces sit) and collapses them in one-line fields, so the parsed story
# no longer shows them, but the file still holds them.
RAW_CODES = frozenset({"NR107", "NR108", "NR109"})


def raw_space_findings(path: Path, config: object) -> list:
    from dataclasses import replace

    from newsroom_tui.domain.copydesk import check_text

    findings = []
    for number, line in enumerate(_file_lines(path), start=1):
        for finding in check_text(line, "file", config, "en"):  # type: ignore[arg-type]
            if finding.code in RAW_CODES:
                findings.append(replace(finding, line=number, paragraph=0))
    return findings


def _file_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")


def _locate_in_file(lines: list[str], text: str, start_line: int = 0) -> tuple[int, int] | None:
    """(0-based line, 0-based column) of the first line at or after `start_line` containing `text`."""
    for number in range(start_line, len(lines)):
        column = lines[number].find(text)
        if column != -1:
            return number, column
    return None


def file_findings(path: Path, story: Story, findings: list) -> list[str]:
    """Findings as `FILE:LINE:COL: CODE message` with LINE/COL in the file, as linters print them.

    A wire file holds one paragraph per line, so a body finding's paragraph is found in the file
    and its column is offset by where the paragraph starts on that line.
    """
    lines = _file_lines(path)
    paragraphs = story.paragraphs
    headline_at = _locate_in_file(lines, story.headline) if story.headline else None
    where: dict[int, tuple[int, int]] = {}
    search_from = (headline_at[0] + 1) if headline_at else 0
    for index, paragraph in enumerate(paragraphs):
        first_line = paragraph.split("\n")[0]
        found = _locate_in_file(lines, first_line, search_from)
        if found is not None:
            where[index + 1] = found
            search_from = found[0] + 1
    printed = []
    for finding in findings:
        line, column = finding.line, finding.column
        if finding.field == "file":
            pass  # already a line and column of the file
        elif finding.field == "headline" and headline_at is not None:
            line, column = headline_at[0] + 1, headline_at[1] + finding.column
        elif finding.field == "body" and finding.paragraph in where:
            row, offset = where[finding.paragraph]
            line, column = row + 1, offset + finding.column
        printed.append(f"{path}:{line}:{column}: {finding.code} {for_display(finding.message)}")
    return printed


def rewrite_wire_file(path: Path, before: Story, after: Story, config: object) -> None:
    """Write the fixed headline and paragraphs back into the file in place, keeping its layout.

    Only lines that changed are touched (masthead, edition line and stamps stay as filed), special
    spaces and trailing whitespace are fixed on every line, and the file is replaced atomically.
    """
    from newsroom_tui.domain.copydesk import fix_text

    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    pairs = [(before.headline, after.headline)]
    pairs += list(zip(before.paragraphs, after.paragraphs, strict=False))
    for old, new in pairs:
        if old == new:
            continue
        for number, line in enumerate(lines):
            if old in line:
                lines[number] = line.replace(old, new)
    lines = [_fix_raw_spaces(line, config, fix_text) for line in lines]
    data = newline.join(lines)
    if data == text.replace("\r\n", "\n").replace("\n", newline).lstrip("\ufeff"):
        return
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    write_atomically(path, (bom + data).encode("utf-8"))


def _fix_raw_spaces(line: str, config: object, fix_text: Callable[..., str]) -> str:
    from newsroom_tui.domain.copydesk import apply_fixes, check_text

    raw = [f for f in check_text(line, "file", config, "en") if f.code in RAW_CODES]  # type: ignore[arg-type]
    return apply_fixes(line, raw) if raw else line


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, rename over `path`: never a half-written file."""
    from newsroom_tui.storage.atomicfile import os_reason
    from newsroom_tui.storage.atomicfile import write_atomically as write_whole

    try:
        write_whole(path, data)
    except OSError as error:
        raise CommandError(f"Could not write {path}: {os_reason(error)}; the file was left as it was.") from error


# -- list -------------------------------------------------------------------------------------------
def command_list(settings: Settings, *, as_json: bool, status: str | None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with open_store(settings) as store:
        stories = store.list_stories(Status(status) if status else None)
    if as_json:
        json.dump([story.to_dict() for story in stories], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    zone = settings.zone
    for story in stories:
        updated = story.updated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        print(
            f"{story.status.value:<11} {story.slug:<40} {updated}  {story.word_count:>5}w  "
            f"{for_display(story.headline)}",
            file=out,
        )
    return EXIT_OK


# -- the workflow: publish, schedule, correct, kill… ------------------------------------------------
PAST = {
    "submit": "submitted", "mark_edited": "marked as edited", "publish": "published", "schedule": "scheduled",
    "deschedule": "descheduled", "correct": "corrected", "unpublish": "unpublished", "kill": "killed",
    "spike": "spiked", "unspike": "unspiked",
}  # fmt: skip


def find_story(store: StoryStore, settings: Settings, slug: str) -> Story:
    story = store.find_by_slug(slug)
    if story is None:
        raise CommandError(f"There is no story with the slug {slug!r} in {settings.db_path}.")
    return story


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


def command_action(settings: Settings, slug: str, action: str, *, out: TextIO | None = None, **args: Any) -> int:
    """One workflow action on one story: the checks, the new version, and delivery when it goes out."""
    out = out or sys.stdout
    targets = delivery_targets(settings) if action in DELIVERING_ACTIONS else []
    with open_store(settings) as store:
        story = find_story(store, settings, slug)
        done = run_action(store, settings, story, action, now=current_time(), targets=targets, out=out, **args)
    return EXIT_OK if done else EXIT_USER_ERROR


def lock_holder(settings: Settings, story: Story) -> str | None:
    """Who has the story open in a desk right now (a live lock), for the publish checks: a script must
    not publish a story an editor is still changing."""
    from newsroom_tui.storage.locks import LockBook, LockError

    try:
        lock = LockBook(settings.db_path, user=settings.user).holder(story.id)
    except LockError:
        return None
    return lock.describe(settings.zone) if lock is not None else None


def run_action(
    store: StoryStore,
    settings: Settings,
    story: Story,
    action: str,
    *,
    now: datetime,
    targets: list[Target],
    out: TextIO,
    **args: Any,
) -> bool:
    """Apply `action`, save the new version and deliver it; False when the checks refused (reported).

    The checks run here first, as the desk runs them, so the warnings can be shown: the workflow's own
    run of the same checks only raises on errors.
    """
    from newsroom_tui.domain.checks import publish_checks
    from newsroom_tui.domain.workflow import TRANSITIONS, ChecksFailed, apply_action, refusal

    why = refusal(story, action)
    if why is not None:
        raise WorkflowError(why)
    if TRANSITIONS[action].checks:
        holder = lock_holder(settings, story)
        args.update(slug_owner=store.slug_owner, headline_limit=settings.headline_limit, lock_holder=holder)
        result = publish_checks(
            story,
            slug_owner=store.slug_owner,
            now=now,
            headline_limit=settings.headline_limit,
            lock_holder=holder,
        )
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
    count = len(result.errors)
    problems = "1 problem" if count == 1 else f"{count} problems"
    print(f"newsroom: {story_name(story)} cannot be {PAST[action]} yet: {problems}.", file=sys.stderr)
    for error in result.errors:
        print(f"  - {for_display(error)}", file=sys.stderr)
    print_warnings(story, result.warnings)


def print_warnings(story: Story, warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"newsroom: warning: {for_display(story.slug)}: {for_display(warning)}", file=sys.stderr)


def action_line(before: Story, after: Story, action: str, settings: Settings) -> str:
    detail = f"{before.status.value} → {after.status.value}"
    if action == "schedule" and after.scheduled_at is not None:
        detail += f" for {local_time(after.scheduled_at, settings.zone)} ({settings.timezone})"
    elif action == "correct":
        detail += f" (correction {after.correction_sequence})"
    return f"{PAST[action]:<11} {for_display(after.slug)}  {detail}, version {after.version}"


def deliver_and_record(
    store: StoryStore, settings: Settings, saved: Story, *, now: datetime, targets: list[Target], out: TextIO
) -> None:
    """Deliver the saved version, one line per target, and record the results in its history.

    A failed delivery is not an error of the command: the story has changed here, and the failure is
    queued for `newsroom deliver --retry`.
    """
    from newsroom_tui.delivery import deliver

    if not targets:
        print("newsroom: no delivery targets are configured, so nothing was sent.", file=sys.stderr)
        return
    results = deliver(saved, settings, now=now, targets=targets)
    for result in results:
        print(f"  {delivery_line(result)}", file=out)
    record_results(store, settings, saved.id, results, now=now)
    if not all(result.ok for result in results):
        print(
            f"newsroom: the story is {saved.status.value} here; `newsroom deliver --retry` will resend what failed.",
            file=sys.stderr,
        )


def delivery_line(result: DeliveryResult, *, with_story: bool = False) -> str:
    state = "ok" if result.ok else "failed"
    story = f"{for_display(result.slug or result.story_id)}  " if with_story else ""
    return f"{state:<6}  {story}{result.target}: {for_display(result.message)}"


def record_results(
    store: StoryStore, settings: Settings, story_id: str, results: Sequence[DeliveryResult], *, now: datetime
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
            raise CommandError(
                f"The deliveries went out, but the story's history could not record them: {error}"
            ) from error


# -- times ------------------------------------------------------------------------------------------
_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def parse_when(text: str, zone: ZoneInfo, what: str) -> datetime:
    """A date and time as typed; without an offset it is the desk's local time.

    A local time the clocks skip (a daylight-saving gap) is refused rather than silently shifted.
    """
    typed = text.strip()
    if not _WHEN.fullmatch(typed):
        raise CommandError(f'{what} {text!r} is not a date and time like "2024-04-26 18:30".')
    try:
        value = datetime.fromisoformat(typed)
    except ValueError as error:
        raise CommandError(f"{what} {text!r} is not a real date and time ({error}).") from error
    if value.tzinfo is not None:
        return value
    local = value.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise CommandError(f"{what} {typed} does not exist in {zone.key}: the clocks skip it.")
    return local


def local_time(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def parse_schedule_time(text: str, settings: Settings) -> datetime:
    """`--at` in the desk's zone, refused when it is not in the future (cron would publish it at once)."""
    at = parse_when(text, settings.zone, "The time")
    if at <= current_time():
        raise CommandError(
            f"{local_time(at, settings.zone)} ({settings.timezone}) has already passed; "
            "a story can only be scheduled for a later time."
        )
    return at


# -- publish-due (cron) -----------------------------------------------------------------------------
def command_publish_due(settings: Settings, *, now_text: str | None = None, out: TextIO | None = None) -> int:
    """Publish every scheduled story whose time has come; one story's failure does not stop the rest.

    `now_text` (the hidden `--now`) stands in for the clock, for tests and catch-up runs.
    """
    from newsroom_tui.domain.workflow import due_for_publishing

    out = out or sys.stdout
    now = parse_when(now_text, settings.zone, "--now") if now_text else current_time()
    targets = delivery_targets(settings)
    failed = False
    with open_store(settings) as store:
        for story in due_for_publishing(store.list_stories(Status.SCHEDULED), now=now):
            try:
                done = run_action(store, settings, story, "publish", now=now, targets=targets, out=out)
            except (CommandError, StoreError, WorkflowError) as error:
                print(f"newsroom: {for_display(story.slug)}: {for_display(str(error))}", file=sys.stderr)
                done = False
            failed = failed or not done
    return EXIT_USER_ERROR if failed else EXIT_OK


# -- export -----------------------------------------------------------------------------------------
def command_export(
    settings: Settings, slug: str, fmt: str, *, output: str | None = None, out: TextIO | None = None
) -> int:
    """A story in an export format: the same renderer the outbox uses, so a script sees what subscribers get."""
    from newsroom_tui import formats

    out = out or sys.stdout
    with open_store(settings) as store:
        story = find_story(store, settings, slug)
    text = formats.export(story, fmt, settings, now=current_time())
    if output is None or output == "-":
        out.write(for_display(text) if text.endswith("\n") else for_display(text) + "\n")
        return EXIT_OK
    path = Path(output)
    if path.is_dir():
        raise CommandError(f"{path} is a folder; give -o a file name.")
    write_atomically(path, text.encode("utf-8"))
    return EXIT_OK


# -- deliver --retry --------------------------------------------------------------------------------
def command_deliver_retry(settings: Settings, *, out: TextIO | None = None) -> int:
    """Resend what failed, with each story as it is now, and record the outcomes in the stories' history.

    A delivery that fails again is not recorded: it stays in the pending list (which counts its
    attempts), so a cron job retrying every few minutes against a dead webhook does not add a version
    to the story each time, nor trip up an editor who has it open.
    """
    from newsroom_tui.delivery import PendingDeliveries, PendingFileError, deliver_pending, pending_path

    out = out or sys.stdout
    targets = delivery_targets(settings)
    now = current_time()
    with open_store(settings) as store:
        try:
            results = deliver_pending(settings, store.get, now=now, targets=targets)
        except PendingFileError as error:
            message = str(error)
            raise CommandError(f"{message[:1].upper()}{message[1:]}.") from error
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
        print(
            f"newsroom: {failures} of {len(results)} deliveries failed; those not dropped stay queued "
            "for the next `newsroom deliver --retry`.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    return EXIT_OK


# -- history and restore ----------------------------------------------------------------------------
# Fields a workflow action changes itself: listing them beside "published" would only repeat it.
_WORKFLOW_FIELDS = frozenset({"status", "published_at", "scheduled_at", "correction_sequence", "correction_note"})


def command_history(
    settings: Settings, slug: str, *, diff: Sequence[int] | None = None, out: TextIO | None = None
) -> int:
    """The versions one per line (who, when, what), or a unified diff between two of them."""
    from newsroom_tui.domain.history import diff_versions, field_label, summarise_versions

    out = out or sys.stdout
    with open_store(settings) as store:
        story = find_story(store, settings, slug)
        revisions = store.revisions(story.id)
    by_version = {revision.version: revision for revision in revisions}
    if diff:
        old, new = diff
        for number in (old, new):
            if number not in by_version:
                raise CommandError(f"{slug} has no version {number}; {versions_held(by_version)}.")
        lines = diff_versions(by_version[old], by_version[new])
        if not lines:
            print(f"Versions {old} and {new} of {for_display(slug)} do not differ.", file=out)
        for line in lines:
            print(for_display(line), file=out)
        return EXIT_OK
    for index, summary in enumerate(summarise_versions(revisions)):
        events = [event_text(event) for event in summary.events]
        shown = [name for name in summary.changed if not (events and name in _WORKFLOW_FIELDS)]
        what = events + ([f"changed {', '.join(field_label(name) for name in shown)}"] if shown else [])
        if not what:
            what = ["created" if index == 0 else "saved, nothing changed"]
        print(
            f"{summary.version:>4}  {local_time(summary.saved_at, settings.zone)}  "
            f"{for_display(summary.saved_by or 'someone'):<12}  {summary.status:<11}  {'; '.join(what)}",
            file=out,
        )
    return EXIT_OK


def versions_held(by_version: dict[int, Story]) -> str:
    numbers = sorted(by_version)
    if len(numbers) == 1:
        return f"it has only version {numbers[0]}"
    return f"its versions are {numbers[0]} to {numbers[-1]}"


def event_text(event: Event) -> str:
    """An event without its time (the version's line has one): `killed (published → killed): reason`."""
    if event.action == "deliver":
        outcome = "delivered to" if event.ok else "failed to deliver to"
        return f"{outcome} {for_display(event.target or 'a target')}"
    verb = PAST.get(event.action, event.action.replace("_", " "))
    moved = f" ({event.from_status} → {event.to_status})" if event.from_status != event.to_status else ""
    note = f": {for_display(event.note)}" if event.note else ""
    return f"{verb}{moved}{note}"


def command_restore(settings: Settings, slug: str, version: int, *, out: TextIO | None = None) -> int:
    """An old version's words and metadata as a new version on top; nothing is delivered by itself."""
    from newsroom_tui.domain.workflow import LIVE_STATUSES

    out = out or sys.stdout
    with open_store(settings) as store:
        story = find_story(store, settings, slug)
        try:
            saved = store.restore(story.id, version, user=settings.user)
        except StoryNotFoundError as error:
            held = {revision.version: revision for revision in store.revisions(story.id)}
            raise CommandError(f"{slug} has no version {version}; {versions_held(held)}.") from error
    print(f"restored    {for_display(saved.slug)}  version {version} as version {saved.version}", file=out)
    if saved.status in LIVE_STATUSES:
        print(
            f"newsroom: {for_display(saved.slug)} is live: readers keep the copy that went out until "
            f"`newsroom correct {for_display(saved.slug)} --note …` sends this version.",
            file=sys.stderr,
        )
    return EXIT_OK
