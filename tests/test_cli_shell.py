"""Issue 13: "Shell completion for commands, options and slugs (a well-kept library such as argcomplete or
shtab) and a man page generated from the parser."

The completion is run for real: bash sources `newsroom completion bash` and calls the function it defines,
the way bash does on TAB, and zsh (when installed) completes in a terminal.  Slugs come from a real store
through the hidden `newsroom _slugs`, which must never lock, write or fail loudly.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.cli.main import SLUG_HELP, build_parser
from newsroom_tui.cli.shell import completion_script, every_action, manual_page, subcommands, takes_slug
from newsroom_tui.domain.model import Status
from newsroom_tui.formats import FORMATS
from newsroom_tui.storage.rowcache import cache_path, write_rows
from newsroom_tui.storage.store import StoryStore
from tests.factories import REPO, make_story, plant_in_store, run_newsroom, store_with

BIN = Path(sys.executable).parent
SLUGS = ["padma-bridge-toll", "padma-ferry-resumes", "chattogram-port"]


@pytest.fixture
def shelf(db_path: Path) -> Path:
    # One save each, the last first: completion offers the last saved first, so SLUGS is their order.
    store_with(db_path, make_story(slug=SLUGS[2], headline="Port record", status=Status.SPIKED))
    store_with(db_path, make_story(slug=SLUGS[1], headline="Ferries resume"))
    store_with(db_path, make_story(slug=SLUGS[0]))
    return db_path


def env_for(tmp_path: Path, **more: str) -> dict[str, str]:
    """A shell's environment with this checkout's `newsroom` first on PATH and no store of the user's."""
    if not (BIN / "newsroom").exists():
        pytest.skip(f"the `newsroom` script is not installed beside {sys.executable} (pip install -e .)")
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "NEWSROOM_CONFIG": str(tmp_path / "no-config.toml"),
        "LC_ALL": "C.UTF-8",
        **more,
    }


# -- the hidden `_slugs` ---------------------------------------------------------------------------------
def slugs(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_newsroom(*args, env=env)


def test_slugs_prints_the_stores_slugs_starting_so_one_a_line(shelf, tmp_path):
    done = slugs("--db", str(shelf), "_slugs")
    assert done.returncode == 0 and sorted(done.stdout.split("\n")[:-1]) == sorted(SLUGS), done.stderr
    done = slugs("--db", str(shelf), "_slugs", "--", "padma-")
    assert done.stdout == "padma-bridge-toll\npadma-ferry-resumes\n" and done.stderr == ""
    # NEWSROOM_DB is honoured, and a --db after the command as well as before it.
    done = slugs("_slugs", "cha", env={"NEWSROOM_DB": str(shelf), "NEWSROOM_CONFIG": str(tmp_path / "none.toml")})
    assert done.stdout == "chattogram-port\n", done.stderr
    assert slugs("_slugs", "--", "zz", "--db", str(shelf)).returncode == 2, "a stray argument is a usage error"


def test_slugs_reads_the_row_cache_and_the_journal_alike_the_last_saved_first(shelf):
    with StoryStore(shelf) as store:
        first = store.find_by_slug(SLUGS[1])
        assert first is not None
        first.headline = "Saved again"
        store.save(first, user="desk")
    without = slugs("--db", str(shelf), "_slugs").stdout
    assert without.split("\n")[0] == SLUGS[1], "without a row cache too"
    with StoryStore(shelf) as store:
        write_rows(shelf, *store.rows_and_position())
        store.save(make_story(slug="saved-after-the-cache", headline="Late"), user="desk")
    assert cache_path(shelf).exists()
    with_cache = slugs("--db", str(shelf), "_slugs").stdout.split("\n")[:-1]
    assert sorted(with_cache) == sorted([*without.split("\n")[:-1], "saved-after-the-cache"])
    assert with_cache[0] == "saved-after-the-cache", "newest first, as the list shows them"


def test_slugs_never_writes_never_waits_for_a_lock_and_fails_silently(shelf, tmp_path):
    before = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    # A writer holds the journal's lock (as a save does): the completion reads on regardless.
    with open(shelf, "rb") as journal:
        fcntl.flock(journal.fileno(), fcntl.LOCK_EX)
        done = slugs("--db", str(shelf), "_slugs", "padma-f")
    assert done.stdout == "padma-ferry-resumes\n"
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before, "nothing written"

    missing = tmp_path / "not" / "there.json"
    done = slugs("--db", str(missing), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "") and not missing.parent.exists()
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00not a journal\n{]\n")
    done = slugs("--db", str(garbage), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    broken_config = tmp_path / "broken.toml"
    broken_config.write_text("[newsroom\n", encoding="utf-8")
    done = slugs("--config", str(broken_config), "--db", str(shelf), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = slugs("--db", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1", "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), "an unreachable database: nothing"


def test_slugs_of_a_postgresql_store_and_an_empty_database_is_left_as_it_was(pg_url):
    import psycopg

    from newsroom_tui.storage.postgres import PostgresStore

    def tables() -> list[str]:
        with psycopg.connect(pg_url) as conn:
            rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
            return sorted(row[0] for row in rows)

    done = slugs("--db", pg_url, "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert tables() == [], "completing never prepares an empty database (any other command would)"
    with PostgresStore(pg_url) as store:
        store.save_many([make_story(slug=slug, headline=slug) for slug in SLUGS], user="desk")
    done = slugs("--db", pg_url, "_slugs", "padma")
    assert sorted(done.stdout.split("\n")[:-1]) == SLUGS[:2], done.stderr


def test_a_slug_that_is_not_one_safe_shell_word_is_never_offered(shelf):
    store_with(shelf, make_story(slug="marker-slug", headline="Hostile"))
    plant_in_store(shelf, "marker-slug", "evil\x1b]0;owned\x07$(reboot)")
    done = slugs("--db", str(shelf), "_slugs")
    assert done.returncode == 0 and "\x1b" not in done.stdout and "reboot" not in done.stdout
    assert sorted(done.stdout.split("\n")[:-1]) == sorted(SLUGS)


# -- bash, for real -----------------------------------------------------------------------------------------
def bash_completes(tmp_path: Path, *words: str) -> list[str]:
    """What bash offers for the command line `words` (the last one being completed), as on TAB."""
    script = tmp_path / "newsroom.bash"
    if not script.exists():
        done = run_newsroom("completion", "bash")
        assert done.returncode == 0, done.stderr
        script.write_text(done.stdout, encoding="utf-8")
    quoted = " ".join("'" + word.replace("'", "'\\''") + "'" for word in words)
    program = (
        f"source {script}; COMP_WORDS=({quoted}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); "
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; '
        # the function `complete -p newsroom` names, as bash calls it on TAB
        'fn=$(complete -p newsroom); fn=${fn#*-F }; ${fn%% *}; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return [line for line in done.stdout.split("\n") if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_choices_and_slugs(shelf, tmp_path):
    db = str(shelf)
    assert bash_completes(tmp_path, "newsroom", "exp") == ["export"]
    assert bash_completes(tmp_path, "newsroom", "un") == ["unpublish", "unspike", "unlock"]
    assert bash_completes(tmp_path, "newsroom", "export", "--f") == ["--format"]
    assert bash_completes(tmp_path, "newsroom", "export", "--format", "") == list(FORMATS)
    assert bash_completes(tmp_path, "newsroom", "list", "--status", "s") == ["submitted", "scheduled", "spiked"]
    # Slugs from the store on the line, wherever its --db is; none from the user's own.
    assert bash_completes(tmp_path, "newsroom", "--db", db, "export", "pad") == SLUGS[:2]
    assert bash_completes(tmp_path, "newsroom", "publish", "--db", db, "padma-f") == ["padma-ferry-resumes"]
    assert bash_completes(tmp_path, "newsroom", "unspike", "--db", db, "") == SLUGS
    assert bash_completes(tmp_path, "newsroom", "words", "add", "--db", db, "--story", "ch") == ["chattogram-port"]
    assert bash_completes(tmp_path, "newsroom", "export", "pad") == [], "no store named: nothing, no error"
    # `check` takes slugs and files.
    (tmp_path / "padma-wire.txt").write_text("x", encoding="utf-8")
    assert bash_completes(tmp_path, "newsroom", "check", "--db", db, "padma") == [*SLUGS[:2], "padma-wire.txt"]
    assert bash_completes(tmp_path, "newsroom", "completion", "") == ["bash", "zsh", "fish"]
    # Bash hands `--db=PATH` over as three words (COMP_WORDBREAKS has `=`), a URL in pieces at `:`.
    assert bash_completes(tmp_path, "newsroom", "--db", "=", db, "export", "padma-b") == ["padma-bridge-toll"]
    assert bash_completes(tmp_path, "newsroom", "export", "--format", "=", "n") == ["ninjs", "nitf"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_the_slugs_of_a_database_named_by_url_on_the_line(pg_url, tmp_path):
    from urllib.parse import parse_qs, urlsplit

    from newsroom_tui.storage.postgres import PostgresStore

    with PostgresStore(pg_url) as store:
        store.save_many([make_story(slug=slug, headline=slug) for slug in SLUGS], user="desk")
    parts = urlsplit(pg_url)
    socket = parse_qs(parts.query)["host"][0]
    # Unquoted, bash splits the URL at `:`, `@` and `=` (as an interactive bash was seen to); quoted, it keeps
    # the quotes in the word.
    pieces = ["postgresql", ":", "//postgres", "@", parts.path + "?host", "=", socket]
    assert bash_completes(tmp_path, "newsroom", "export", "--db", *pieces, "padma-f") == ["padma-ferry-resumes"]
    assert bash_completes(tmp_path, "newsroom", "--db", f"'{pg_url}'", "kill", "ch") == ["chattogram-port"]


# -- in a terminal: bash's readline and zsh's completion system, TAB pressed ----------------------------------
class Terminal:
    """An interactive shell in tmux, typed into with send-keys and read with capture-pane."""

    def __init__(self, tmp_path: Path, command: str, env: dict[str, str]) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        exports = " ".join(f"{key}='{value}'" for key, value in env.items())
        self.tmux("new-session", "-d", "-x", "150", "-y", "20", "-s", "shell", f"env -i {exports} {command}; sleep 5")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=20).stdout

    def shows(self, wanted: str) -> str:
        """The screen once it shows `wanted` (or after 30 s, for the assertion to say what it shows)."""
        deadline = time.monotonic() + 30
        while True:
            screen = self.tmux("capture-pane", "-p", "-J", "-t", "shell")
            if wanted in screen or time.monotonic() > deadline:
                return screen
            time.sleep(0.1)

    def complete(self, line: str, wanted: str) -> str:
        """Type `line` on a fresh prompt line, press TAB, and return the screen once `wanted` is on it."""
        self.tmux("send-keys", "-t", "shell", "C-u", line, "Tab")
        return self.shows(wanted)

    def close(self) -> None:
        self.tmux("kill-server")


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@needs_tmux
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_on_tab_in_a_terminal(shelf, tmp_path):
    script = tmp_path / "newsroom.bash"
    script.write_text(run_newsroom("completion", "bash").stdout, encoding="utf-8")
    (tmp_path / "bashrc").write_text(f"source {script}\nPS1='$ '\n", encoding="utf-8")
    terminal = Terminal(tmp_path, f"bash --noprofile --rcfile {tmp_path}/bashrc -i", env_for(tmp_path, TERM="xterm"))
    try:
        assert "$" in terminal.shows("$")
        expected = f"$ newsroom --db={shelf} export padma-ferry-resumes"
        screen = terminal.complete(f"newsroom --db={shelf} export padma-f", expected)
        assert expected in screen, screen
        expected = "$ newsroom mark-edited"
        screen = terminal.complete("newsroom mark-ed", expected)
        assert expected in screen, screen
    finally:
        terminal.close()


@needs_tmux
@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (CI does not install it)")
def test_zsh_completes_commands_choices_and_slugs_in_a_terminal(shelf, tmp_path):
    functions = tmp_path / "zfunc"
    functions.mkdir()
    done = run_newsroom("completion", "zsh")
    assert done.returncode == 0, done.stderr
    (functions / "_newsroom").write_text(done.stdout, encoding="utf-8")
    (tmp_path / ".zshrc").write_text(
        f"fpath=({functions} $fpath)\nautoload -Uz compinit && compinit -u -d {tmp_path}/zcompdump\nPS1='%% '\n",
        encoding="utf-8",
    )
    terminal = Terminal(tmp_path, "zsh -i", env_for(tmp_path, ZDOTDIR=str(tmp_path), TERM="xterm"))
    try:
        assert "%" in terminal.shows("%")
        expected = f"% newsroom --db {shelf} export padma-ferry-resumes"
        screen = terminal.complete(f"newsroom --db {shelf} export padma-fe", expected)
        assert expected in screen, screen
        expected = f"% newsroom unspike --db={shelf} chattogram-port"
        screen = terminal.complete(f"newsroom unspike --db={shelf} chatto", expected)
        assert expected in screen, screen
        screen = terminal.complete("newsroom export --format ", "ninjs")
        assert all(name in screen for name in FORMATS), screen
        expected = "% newsroom mark-edited"
        screen = terminal.complete("newsroom mark-ed", expected)
        assert expected in screen, screen
    finally:
        terminal.close()


# -- fish, when installed: `complete -C LINE` prints what TAB would offer ------------------------------------------
@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (CI does not install it)")
def test_fish_completes_commands_choices_and_slugs(shelf, tmp_path):
    script = tmp_path / "newsroom.fish"
    script.write_text(run_newsroom("completion", "fish").stdout, encoding="utf-8")

    def fish_completes(line: str) -> list[str]:
        quoted = "'" + line.replace("'", "\\'") + "'"
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C {quoted}"],
            capture_output=True,
            text=True,
            env=env_for(tmp_path),
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return [entry.split("\t")[0] for entry in done.stdout.split("\n") if entry]

    assert fish_completes("newsroom exp") == ["export"]
    assert fish_completes("newsroom export --format ") == list(FORMATS)
    assert fish_completes(f"newsroom --db {shelf} export pad") == SLUGS[:2]
    assert fish_completes(f"newsroom unspike --db={shelf} ch") == ["chattogram-port"]
    assert fish_completes(f"newsroom words list --db {shelf} --story padma-b") == ["padma-bridge-toll"]


# -- neither can drift from the parser ------------------------------------------------------------------------
def roff_text(roff: str) -> str:
    """The words of a roff page, escapes taken out, for looking things up."""
    text = roff.replace("\\-", "-").replace("\\,", "").replace("\\/", "")
    return re.sub(r"\\f[BIRP]", "", text)


def test_every_command_and_option_is_in_both_completion_scripts_and_the_man_page():
    parser = build_parser()
    names = set(subcommands(parser))
    assert {"export", "mark-edited", "unlock", "completion", "man"} <= names and "_slugs" not in names
    bash = completion_script(build_parser(), "bash")
    listed = re.search(r"^_shtab_newsroom_subparsers=\((.*)\)$", bash, re.MULTILINE)
    assert listed is not None and set(listed.group(1).split()) == names
    zsh = completion_script(build_parser(), "zsh")
    fish = completion_script(build_parser(), "fish")
    listed = re.search(r"^set -g _shtab_newsroom_commands (.*)$", fish, re.M)
    assert listed is not None and set(listed.group(1).split()) == names
    page = roff_text(manual_page(build_parser(), "0"))
    for name, command in subcommands(parser).items():
        assert re.search(rf"^\s*{re.escape(name)}:", zsh, re.MULTILINE), f"{name} not in the zsh script"
        assert f"-a {name} " in fish, f"{name} not in the fish script"
        assert f"COMMAND 'newsroom {name}'" in page, f"{name} not in the man page"
        options = {
            flag for action in command._actions if action.help != argparse.SUPPRESS for flag in action.option_strings
        }
        word = re.sub(r"\W", "_", name)
        bash_options = re.search(rf"^_shtab_newsroom_{word}_option_strings=\((.*)\)$", bash, re.M)
        assert bash_options is not None and options == set(bash_options.group(1).split()), name
        section = page.split(f"COMMAND 'newsroom {name}'", 1)[1].split("COMMAND 'newsroom ", 1)[0]
        for flag in options - {"-h", "--help"}:
            assert flag in section, f"{name} {flag} not in the man page"
    assert "--now" not in page, "an option hidden from --help stays out of the man page"


def test_every_argument_naming_a_story_completes_slugs():
    parser = build_parser()
    bash = completion_script(parser, "bash")
    story_args = [action for action in every_action(parser) if takes_slug(action)]
    assert len(story_args) >= 17  # open, check, words --story and the 14 story commands
    for action in every_action(parser):
        if action.help == SLUG_HELP or "SLUG" in str(action.metavar):
            assert takes_slug(action), action
    for name, command in subcommands(parser).items():
        prefix = "_shtab_newsroom_" + re.sub(r"\W", "_", name)
        for index, action in enumerate(command._get_positional_actions()):
            if takes_slug(action):
                assert re.search(rf"^{prefix}_pos_{index}_COMPGEN=_shtab_newsroom_slugs", bash, re.M), name


# -- the man page ------------------------------------------------------------------------------------------
def test_the_man_page_has_files_environment_and_exit_status_and_every_variable_the_code_reads():
    done = run_newsroom("man")
    assert done.returncode == 0 and done.stderr == ""
    roff = done.stdout
    assert roff.startswith('.TH NEWSROOM "1"') and "\n.SH NAME\nnewsroom \\- a keyboard" in roff
    for heading in ("SYNOPSIS", "DESCRIPTION", "FILES", "ENVIRONMENT", "EXIT STATUS"):
        assert f"\n.SH {heading}\n" in roff, heading
    text = roff_text(roff)
    environment = text.split(".SH ENVIRONMENT", 1)[1].split(".SH ", 1)[0]
    read = set()
    for source in (REPO / "newsroom_tui").rglob("*.py"):
        read |= set(re.findall(r"""environ\.get\(\s*["'](NEWSROOM_\w+)""", source.read_text(encoding="utf-8")))
    assert {"NEWSROOM_DB", "NEWSROOM_CONFIG", "NEWSROOM_RECOVERY"} <= read
    for variable in read:
        assert variable in environment, f"{variable} is read by the code but not in ENVIRONMENT"
    files = text.split(".SH FILES", 1)[1].split(".SH ", 1)[0]
    assert "config.toml" in files and "newsroom.json" in files and "recovery" in files
    for status in ("0", "1", "2"):
        assert f"\n.B {status}\n" in roff


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed (apt-get install groff-base)")
def test_the_man_page_renders_without_a_warning(tmp_path):
    page = tmp_path / "newsroom.1"
    page.write_text(run_newsroom("man").stdout, encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "MANWIDTH": "100"}
    done = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", str(page)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    rendered = re.sub(r".\x08", "", done.stdout)
    for wanted in ("NEWSROOM(1)", "EXIT STATUS", "NEWSROOM_DB", "newsroom export", "--take-over"):
        assert wanted in rendered, wanted
    if shutil.which("man"):
        shown = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=env, timeout=60)
        assert shown.returncode == 0 and "ENVIRONMENT" in shown.stdout, shown.stderr
