"""The `newsroom` command: the desk app, and the commands scripts and cron use.

Exit status: 0 ok, 1 a user error (bad file, unknown story, corrupt store, an action the workflow
refuses), 2 a usage error.  Every error is one sentence on stderr (failed pre-publish checks add one
line per problem); a traceback only ever means a bug in newsroom itself.  Textual is imported only
when the app is started, and delivery (urllib) only by the commands that deliver, so `newsroom list`
stays quick.

This module only parses and dispatches: each command is one small function in `commands` (call the
use case, print, exit status), and every rule lives in `newsroom_tui.usecases`.  Every command that
writes a story refuses while another editor has it open in a desk, naming them; `--take-over` takes
the story over, as the desk's F10 o does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

from newsroom_tui import __version__
from newsroom_tui.cli import commands as run
from newsroom_tui.cli.commands import EXIT_OK, EXIT_USER_ERROR, OpenDesk
from newsroom_tui.domain.config import ConfigError, Settings, load_settings
from newsroom_tui.domain.errors import LockError
from newsroom_tui.domain.model import Status
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.text.safety import TerminalStream, for_display
from newsroom_tui.usecases.errors import UserError

SLUG_HELP = "the story's slug, or any start of it that only one slug has"
WHOLE_SLUG_HELP = "the story's whole slug (a command that changes a story takes no start of one)"
COMPLETION_SHELLS = ("bash", "zsh", "fish")  # what cli/shell.py generates (shtab)
TAKE_OVER_HELP = "go ahead even if an editor has the story open in a desk (takes it over, as F10 o does)"


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


def slugs_request(argv: Sequence[str]) -> tuple[str | None, str | None, str] | None:
    """`newsroom [--db PATH] [--config PATH] _slugs [--] [PREFIX]`, the completion scripts' hidden command:
    (db, config, prefix), or None for any other command line.  Parsed by hand, not by the parser, so it
    costs no parser and appears in no help, completion or man page."""
    args = list(argv)
    if "_slugs" not in args:
        return None
    at = args.index("_slugs")
    before, rest = args[:at], args[at + 1 :]
    if not opens_the_desk(before):
        return None
    rest = rest[1:] if rest[:1] == ["--"] else rest
    if len(rest) > 1 or (rest and rest[0].startswith("-") and "--" not in args[at:]):
        return None
    try:
        options = common_options().parse_args(before)
    except SystemExit:
        return None
    return getattr(options, "db", None), getattr(options, "config", None), rest[0] if rest else ""


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The full parser has 20 commands and costs about 5 ms to build (argparse looks up a translation
    for every help text), so the desk's own arguments are parsed with a parser of two options."""
    args = sys.argv[1:] if argv is None else list(argv)
    if opens_the_desk(args):
        parsed = common_options(add_help=False).parse_args(args)
        parsed.command = None
        return parsed
    parser = build_parser()
    parsed, extra = parser.parse_known_args(args)
    # argparse gives a `nargs="*"` positional nothing once an option came between it and its command
    # (`words add --story talks tommorow`): words left over are the words, anything else is an error.
    if extra and getattr(parsed, "command", None) == "words" and not any(word.startswith("-") for word in extra):
        parsed.words = [*parsed.words, *extra]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return parsed


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
    open_cmd.add_argument("slug", help=SLUG_HELP)

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
    check_cmd.add_argument("--take-over", action="store_true", help=TAKE_OVER_HELP + " (with --fix)")
    check_cmd.add_argument("--no-spelling", action="store_true", help="leave out the spelling findings (NR401, NR402)")

    words_cmd = commands.add_parser(
        "words",
        parents=[common],
        help="the desk dictionary: add, remove or list words",
        description="The words the spelling check accepts besides its dictionaries: the desk dictionary "
        "(newsroom-words.txt beside the store, shared by the desk) or, with --personal, your own list.",
    )
    words_cmd.add_argument("verb", choices=["add", "remove", "list"], help="what to do")
    words_cmd.add_argument("words", nargs="*", metavar="WORD", help="the words to add or remove")
    words_cmd.add_argument("--personal", action="store_true", help="your own word list, not the desk's")
    words_cmd.add_argument(
        "--story", metavar="SLUG", help='the words one story ignores (the desk\'s "ignore in this story")'
    )

    list_cmd = commands.add_parser(
        "list",
        parents=[common],
        help="list stories",
        description="List the stories, newest first, in columns: status, slug, headline (cut to fit), desk, "
        "byline, last saved; as wide as the terminal (100 columns when not a terminal). Spiked and killed "
        "stories are left out, as on the desk, unless --all or --status asks for them. --json prints a JSON array "
        "of every story's row, one a line (all statuses, or --status's): id, slug, status, headline, desk, byline, "
        "language, version, updated_at, updated_by, scheduled_at and word_count; not the body or the history "
        "(`newsroom export SLUG --format ninjs` has a whole story).",
    )
    list_cmd.add_argument(
        "--json", action="store_true", help="print a JSON array of every story's row, one a line (all statuses)"
    )
    list_cmd.add_argument("--status", choices=[status.value for status in Status], help="only stories with this status")
    list_cmd.add_argument("--all", action="store_true", help="spiked and killed stories too")
    purge = commands.add_parser(
        "purge",
        parents=[common],
        help="delete spiked stories for good",
        description="Delete the spiked stories last changed before DATE (in the desk's time zone). Lists them "
        "and asks first on a terminal; --yes for scripts. Refused while an editor has one open. Each purge is "
        "recorded in the store (--log lists them) and every version stays in the revisions file.",
    )
    which = purge.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--spiked-before",
        metavar="DATE",
        help='purge spiked stories last changed before DATE: YYYY-MM-DD (midnight) or "YYYY-MM-DD HH:MM"',
    )
    which.add_argument("--log", action="store_true", help="list the purges done so far, and what each removed")
    purge.add_argument("--yes", action="store_true", help="do not ask (for scripts and cron)")
    search_cmd = commands.add_parser(
        "search",
        parents=[common],
        help="search the archive",
        description="Search every story's headline, summary, body, byline and tags for all the words and \"quoted "
        'phrases" given (any case; Bangla matches however its nukta letters, joiners and digits were typed). Prints '
        "the newest first, a line per story and its snippet under it; exits 1 when no story matches.",
    )
    search_cmd.add_argument(
        "query", nargs="+", metavar="QUERY", help="words and phrases (quoted for the shell), all of which must occur"
    )
    search_cmd.add_argument("--json", action="store_true", help="print a JSON array of the hits")
    search_cmd.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N stories (default 20)")
    commands.add_parser(
        "repair",
        parents=[common],
        help="put back saves a damaged store lost",
        description="Put back the acknowledged saves a damaged store file lost (cut short by hand, a disk, a "
        "restored copy), from its revisions file; the damaged file is kept as a copy. Other damage is only named.",
    )
    db_cmd = commands.add_parser(
        "db",
        parents=[common],
        help="the PostgreSQL database: upgrade its schema",
        description="Apply the schema migrations a PostgreSQL store (--db postgresql://...) lacks, in one "
        "transaction, and print what was applied. Never destructive.",
    )
    db_cmd.add_argument("verb", choices=["upgrade"], help="what to do")
    migrate_cmd = commands.add_parser(
        "migrate",
        parents=[common],
        help="copy a whole store to another (TinyDB to PostgreSQL and back)",
        description="Copy every story (every version, its delivery log) and the pending deliveries from SOURCE "
        "to DEST, each a store file or a postgresql:// URL; then compare counts and checksums. Run it again to "
        "finish an interrupted copy: what is already there is skipped, never overwritten.",
    )
    migrate_cmd.add_argument("source", metavar="SOURCE", help="the store to copy from (a path or a URL)")
    migrate_cmd.add_argument("destination", metavar="DEST", help="the store to copy to (a path or a URL)")
    add_workflow_commands(commands, common)
    completion = commands.add_parser(
        "completion",
        help="print the shell completion script (bash, zsh or fish)",
        description="Print the completion script for SHELL: commands, options, their choices and the slugs of "
        "the store named on the line (or $NEWSROOM_DB). Install it, e.g.: newsroom completion bash > "
        "~/.local/share/bash-completion/completions/newsroom",
    )
    completion.add_argument("shell", choices=COMPLETION_SHELLS, metavar="SHELL", help="bash, zsh or fish")
    commands.add_parser(
        "man",
        help="print the manual page (roff)",
        description="Print this manual page, generated from the commands themselves: man -l <(newsroom man)",
    )
    return parser


def add_workflow_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The publishing commands: workflow actions, export, delivery and history, for scripts and cron."""
    from newsroom_tui.formats import FORMATS  # not on the desk's way (see parse_arguments)

    def story_command(
        name: str, summary: str, description: str, *, writes: bool = True, reads: bool = False
    ) -> argparse.ArgumentParser:
        """`reads`: the command only reads the story, so a unique start of its slug will do."""
        command: argparse.ArgumentParser = commands.add_parser(
            name, parents=[common], help=summary, description=description
        )
        command.add_argument("slug", help=SLUG_HELP if reads else WHOLE_SLUG_HELP)
        if writes:
            command.add_argument("--take-over", action="store_true", help=TAKE_OVER_HELP)
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
    due.add_argument(
        "--watch",
        action="store_true",
        help="keep running (a service: see the README's systemd unit), publishing each story when it falls due",
    )
    due.add_argument(
        "--every", type=float, default=30.0, metavar="SECONDS", help="with --watch: how often to look (default 30)"
    )
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
    story_command(
        "mark-edited", "mark a story as edited", "Mark a submitted story as edited: the desk has been through it."
    )

    export = story_command(
        "export",
        "write a story in an export format",
        "Print a story in one of the export formats (without --format: the wire text, the portal's own layout, "
        "which `newsroom import` reads back), or write it to a file (atomically) with -o.",
        writes=False,
        reads=True,
    )
    export.add_argument(
        "--format", default="wire", choices=list(FORMATS), help="the export format (default: wire, the wire text)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    deliver = commands.add_parser(
        "deliver",
        parents=[common],
        help="resend the deliveries that failed",
        description="Resend every delivery that failed (with each story's current state), one line per "
        "delivery; exits 1 if any still fail, which stay queued.",
    )
    deliver.add_argument("--retry", action="store_true", required=True, help="resend what is pending")

    unlock = story_command(
        "unlock",
        "take a story from the editor who has it open",
        "Take the story's lock from the editor (or the crashed desk) holding it, as the desk's F10 o does: "
        "their desk turns read-only at its next heartbeat (within 10 s; at once on PostgreSQL) and keeps their "
        "unsaved text as a "
        "recoverable draft, and the story is free for anyone to open once this command has ended. Asks first "
        "on a terminal; --yes for scripts.",
        writes=False,
    )
    unlock.add_argument("--yes", action="store_true", help="do not ask")
    history = story_command(
        "history",
        "a story's versions, or the diff between two",
        "List a story's saved versions (who, when, what), or with --diff show what changed between two.",
        writes=False,
        reads=True,
    )
    history.add_argument("--diff", nargs=2, type=int, metavar=("A", "B"), help="diff version A against version B")
    restore = story_command(
        "restore",
        "bring back an old version as a new version",
        "Bring back an old version's words and metadata as a new version on top; the status stays.",
    )
    restore.add_argument("version", type=int, help="the version to restore (see `newsroom history SLUG`)")


def query_text(words: Sequence[str]) -> str:
    """`newsroom search "padma bridge" toll`: an argument the shell kept whole, spaces and all, is a phrase."""
    return " ".join(f'"{word}"' if len(word.split()) > 1 and '"' not in word else word for word in words)


# Commands that are a workflow action with no arguments of their own (command name -> action).
SIMPLE_ACTIONS = {name: name for name in ("publish", "deschedule", "unpublish", "spike", "unspike", "submit")} | {
    "mark-edited": "mark_edited"
}


def main(argv: Sequence[str] | None = None, *, open_desk: OpenDesk | None = None) -> int:
    """Run one command; with none (or `open SLUG`) hand over to `open_desk`, the desk front end.

    The command line does not import the desk: `newsroom_tui.entry` passes it in.
    """
    with terminal_streams():
        return _main(argv, open_desk)


@contextlib.contextmanager
def terminal_streams() -> Iterator[None]:
    """stdout and stderr through the terminal boundary (`TerminalStream`) while a command runs.

    The desk is unaffected: Textual draws on the process's own stderr (`sys.__stderr__`), and its line filter
    is its boundary.
    """
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: Sequence[str] | None, open_desk: OpenDesk | None) -> int:
    wanted = slugs_request(sys.argv[1:] if argv is None else list(argv))
    if wanted is not None:
        return run.slugs(*wanted)
    args = parse_arguments(argv)
    try:
        if args.command == "completion":  # inside: `newsroom man | head` is a broken pipe, not a traceback
            return run.completion(build_parser(), args.shell)
        if args.command == "man":
            return run.manual(build_parser())
        settings = load_settings(getattr(args, "db", None), getattr(args, "config", None))
        return dispatch(args, settings, open_desk)
    # WorkflowError and LockedError are UserErrors; a LockError is a lock file that cannot be used at all.
    except (UserError, ConfigError, StoreError, LockError) as error:
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


def dispatch(args: argparse.Namespace, settings: Settings, open_desk: OpenDesk | None) -> int:
    """The command's function in `commands`, with its arguments."""
    command = args.command
    take_over = getattr(args, "take_over", False)
    if command == "import":
        return run.import_(settings, args.paths, desk=args.desk)
    if command == "check":
        return run.check(
            settings, args.targets, fix=args.fix, take_over=take_over, output=args.format, spelling=not args.no_spelling
        )
    if command == "words":
        return run.words(settings, args.verb, args.words, personal=args.personal, story=args.story)
    if command == "list":
        return run.list_(settings, as_json=args.json, status=args.status, everything=args.all)
    if command == "search":
        return run.search(settings, query_text(args.query), as_json=args.json, limit=args.limit)
    if command == "repair":
        return run.repair(settings)
    if command == "db":
        return run.db_upgrade(settings)
    if command == "migrate":
        return run.migrate(settings, args.source, args.destination)
    if command == "purge":
        if args.log:
            return run.purge_log(settings)
        return run.purge(settings, args.spiked_before, yes=args.yes)
    if command in SIMPLE_ACTIONS:
        return run.action(settings, args.slug, SIMPLE_ACTIONS[command], take_over=take_over)
    if command == "kill":
        return run.action(settings, args.slug, "kill", take_over=take_over, reason=args.reason)
    if command == "correct":
        return run.action(settings, args.slug, "correct", take_over=take_over, note=args.note)
    if command == "schedule":
        from newsroom_tui.usecases.times import parse_schedule_time

        at = parse_schedule_time(args.at, settings)
        return run.action(settings, args.slug, "schedule", take_over=take_over, at=at)
    if command == "publish-due":
        if args.watch:
            return run.publish_due_watch(settings, every=args.every)
        return run.publish_due(settings, now_text=args.now)
    if command == "export":
        return run.export(settings, args.slug, args.format, output=args.output)
    if command == "deliver":
        return run.deliver_retry(settings)
    if command == "unlock":
        return run.unlock(settings, args.slug, yes=args.yes)
    if command == "history":
        return run.history(settings, args.slug, diff=args.diff)
    if command == "restore":
        return run.restore(settings, args.slug, args.version, take_over=take_over)
    return run.desk(settings, slug=getattr(args, "slug", None), open_desk=open_desk)
