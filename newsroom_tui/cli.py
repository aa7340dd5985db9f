"""The `newsroom` command: the desk app, and the commands scripts and cron use.

Exit status: 0 ok, 1 a user error (bad file, unknown story, corrupt store), 2 a usage error.
Every error is one sentence on stderr; a traceback only ever means a bug in newsroom itself.
Textual is imported only when the app is started, so `newsroom list` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Sequence
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
