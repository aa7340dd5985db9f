"""The `newsroom` command: the desk app, and the commands scripts and cron use.

Exit status: 0 ok, 1 a user error (bad file, unknown story, corrupt store), 2 a usage error.
Every error is one sentence on stderr; a traceback only ever means a bug in newsroom itself.
Textual is imported only when the app is started, so `newsroom list` stays quick.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tomllib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TextIO

from newsroom_tui import __version__
from newsroom_tui.config import ConfigError, Settings, load_settings
from newsroom_tui.model import Status, Story
from newsroom_tui.store import StoreError, StoryStore
from newsroom_tui.textsafety import for_display

EXIT_OK = 0
EXIT_USER_ERROR = 1


class CommandError(Exception):
    """A user error: the message is printed as it is, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the story store to use (default: $NEWSROOM_DB, else the user data dir)",
    )
    common.add_argument(
        "--config", metavar="PATH", default=argparse.SUPPRESS, help="the TOML config file to read"
    )
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
    list_cmd.add_argument(
        "--status", choices=[status.value for status in Status], help="only stories with this status"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(getattr(args, "db", None), getattr(args, "config", None))
        if args.command == "import":
            return command_import(settings, args.paths, desk=args.desk)
        if args.command == "check":
            return command_check(settings, args.targets, fix=args.fix, output=args.format)
        if args.command == "list":
            return command_list(settings, as_json=args.json, status=args.status)
        return command_desk(settings, slug=getattr(args, "slug", None))
    except (CommandError, ConfigError, StoreError) as error:
        print(f"newsroom: {error}", file=sys.stderr)
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
def command_desk(settings: Settings, *, slug: str | None) -> int:
    store = open_store(settings)
    try:
        first_run_note = seed_samples_if_empty(store, settings)
        story_id = None
        if slug is not None:
            story = store.find_by_slug(slug)
            if story is None:
                raise CommandError(f"There is no story with the slug {slug!r} in {settings.db_path}.")
            story_id = story.id
        from newsroom_tui.app import NewsroomApp  # Textual only when the app runs

        app = NewsroomApp(store=store, settings=settings, open_story_id=story_id, startup_note=first_run_note)
        app.run()
        return app.return_code or EXIT_OK
    finally:
        store.close()


def sample_story_files() -> list[tuple[str, str]]:
    """The sample stories shipped in the package, as (file name, text)."""
    folder = resources.files("newsroom_tui.sample_stories")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".txt")
    )


def seed_samples_if_empty(store: StoryStore, settings: Settings) -> str | None:
    """On a new, empty store import the sample stories, so a first run shows how the desk works."""
    if not store.is_empty():
        return None
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
    from newsroom_tui.slugs import alternative_slugs, slug_from_headline

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
def command_import(
    settings: Settings, paths: Sequence[str], *, desk: str = "", out: TextIO | None = None
) -> int:
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file, wire_files

    out = out or sys.stdout
    with open_store(settings) as store:  # a damaged store is reported before anything else
        missing = [path for path in paths if not Path(path).exists()]
        for path in missing:
            print(f"newsroom: {path}: no such file or folder.", file=sys.stderr)
        files = wire_files(Path(path) for path in paths if path not in missing)
        if not files and not missing:
            raise CommandError("No wire files (*.txt) found in " + ", ".join(paths) + ".")
        failed = bool(missing)
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
            saved = store.save(story, user=settings.user)
            imported[(saved.headline, saved.created_at)] = saved
            print(f"imported  {saved.slug}  {path.name}: {for_display(saved.headline)}", file=out)
    return EXIT_USER_ERROR if failed else EXIT_OK


# -- check ------------------------------------------------------------------------------------------
def command_check(
    settings: Settings, targets: Sequence[str], *, fix: bool = False, output: str = "text", out: TextIO | None = None
) -> int:
    """Lint stories and wire files; an existing path is a file, anything else a slug in the store."""
    from newsroom_tui.copydesk import CopydeskConfig, check_story, findings_to_json, fix_story
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
            lines.extend(
                f"{target}/{f.field}:{f.line}:{f.column}: {f.code} {for_display(f.message)}" for f in findings
            )
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

    from newsroom_tui.copydesk import check_text

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
    from newsroom_tui.copydesk import fix_text
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
    from newsroom_tui.copydesk import apply_fixes, check_text

    raw = [f for f in check_text(line, "file", config, "en") if f.code in RAW_CODES]  # type: ignore[arg-type]
    return apply_fixes(line, raw) if raw else line


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, rename over `path`: never a half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise CommandError(f"Could not write {path}: {error.strerror}; the file was left as it was.") from error


# -- list -------------------------------------------------------------------------------------------
def command_list(
    settings: Settings, *, as_json: bool, status: str | None, out: TextIO | None = None
) -> int:
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
