"""Shell completion scripts and the man page, both generated from the command's own argparse parser.

Generated, never written by hand, so neither can drift from the parser: a new command, option or choice
appears in both the next time they are printed (tests/test_cli_shell.py checks every command).

* Completion: shtab turns the parser into a static bash, zsh or fish script, so commands, options and choices
  (formats, statuses, verbs) complete without starting Python on each TAB.  Story slugs cannot be static:
  every argument that takes one (`dest == "slug"`, or a metavar naming SLUG) gets a `.complete` hook, a
  small shell function that runs `newsroom _slugs PREFIX` with the `--db`/`--config` already typed on the
  line (`_slugs` reads without locks or writes: storage/slugs.py).  Files complete for paths.
* The man page: argparse-manpage formats every command with its options from the parser; FILES,
  ENVIRONMENT and EXIT STATUS are added here, written once for the page.

Only `newsroom completion` and `newsroom man` import this module (and shtab, argparse_manpage).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from textwrap import dedent

import shtab

SHELLS = ("bash", "zsh", "fish")

# Bash: the line's --db/--config (bash splits `--db=PATH` into three words at `=`), a leading ~ expanded.
_BASH = dedent(
    r"""
    # newsroom: story slugs from the store named on the line (or $NEWSROOM_DB), newest first.
    _shtab_newsroom_store_args() {
      local i word value
      for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        case "$word" in
          --db|--config)
            if [[ "${COMP_WORDS[i+1]}" == "=" ]]; then
              value="${COMP_WORDS[i+2]}"; ((i += 2))
            else
              value="${COMP_WORDS[i+1]}"; ((i += 1))
            fi
            [[ $value == \'*\' || $value == \"*\" ]] && value="${value:1:${#value}-2}"  # bash keeps the quotes
            printf '%s\n' "$word" "${value/#\~/$HOME}" ;;
          --db=*|--config=*)
            printf '%s\n' "${word%%=*}" "${word#*=}" ;;
        esac
      done
    }
    _shtab_newsroom_slugs() {
      local -a store_args
      mapfile -t store_args < <(_shtab_newsroom_store_args)
      command newsroom "${store_args[@]}" _slugs -- "$1" 2>/dev/null
    }
    _shtab_newsroom_slugs_or_files() {
      _shtab_newsroom_slugs "$1"
      compgen -f -- "$1"
    }
    """
)

# Zsh: `_arguments` rewrites $words for a subcommand, so the store options are read from the whole line.
_ZSH = dedent(
    r"""
    # newsroom: story slugs from the store named on the line (or $NEWSROOM_DB), newest first.
    _shtab_newsroom_slugs() {
      local -a line_words store_args slugs
      local i word
      line_words=(${(z)LBUFFER})
      for (( i = 2; i < ${#line_words}; i++ )); do
        word=${(Q)line_words[i]}
        case $word in
          --db|--config)
            store_args+=($word ${${(Q)line_words[i+1]}/#\~/$HOME}); (( i++ )) ;;
          --db=*|--config=*)
            store_args+=(${word%%=*} ${${word#*=}/#\~/$HOME}) ;;
        esac
      done
      slugs=(${(f)"$(command newsroom $store_args _slugs -- $PREFIX 2>/dev/null)"})
      compadd -a slugs
    }
    _shtab_newsroom_slugs_or_files() {
      _alternative 'slugs:story slug:_shtab_newsroom_slugs' 'files:file:_files'
    }
    """
)

# Bash splits the line at COMP_WORDBREAKS, so `--db=PATH` reaches a completion function as three words and
# `postgresql://me@/news?host=/run` as seven, which shtab's function would count as arguments.  This one puts
# them back together as newsroom's parser sees them (an option's `=` becomes a word break) first.
_BASH_ENTRY = dedent(
    r"""
    _shtab_newsroom_words() {
      local -a words=()
      local i n word glue=0
      for ((i = 0; i <= COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        n=${#words[@]}
        if [[ $word == "=" ]] && ((n > 0)) && [[ ${words[n-1]} == --* && ${words[n-1]} != *=* ]] && ((!glue)); then
          ((i == COMP_CWORD)) && words+=("")
        elif [[ $word == [=:@] ]] && ((n > 1 && i < COMP_CWORD)); then
          words[n-1]+="$word"; glue=1
        elif ((glue && i < COMP_CWORD)); then
          words[n-1]+="$word"; glue=0
        else
          words+=("$word"); glue=0
        fi
      done
      COMP_WORDS=("${words[@]}")
      COMP_CWORD=$((${#words[@]} - 1))
      _shtab_newsroom
    }
    complete -o bashdefault -F _shtab_newsroom_words newsroom
    """
)

# Fish: `commandline -opc` gives the line's words unquoted; `complete -a` runs the function on each TAB.
_FISH = dedent(
    r"""
    # newsroom: story slugs from the store named on the line (or $NEWSROOM_DB), newest first.
    function __shtab_newsroom_slugs
      set -l tokens (commandline -opc)
      set -l store_args
      set -l i 2
      while test $i -le (count $tokens)
        set -l word $tokens[$i]
        switch $word
          case --db --config
            set i (math $i + 1)
            if test $i -le (count $tokens)
              set -a store_args $word (string replace -r '^~' $HOME -- $tokens[$i])
            end
          case '--db=*' '--config=*'
            set -a store_args (string split -m1 = -- $word)
        end
        set i (math $i + 1)
      end
      command newsroom $store_args _slugs -- (commandline -ct) 2>/dev/null
    end
    function __shtab_newsroom_slugs_or_files
      __shtab_newsroom_slugs
      __fish_complete_path (commandline -ct)
    end
    """
)
_PREAMBLES = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}
SLUGS = {
    "bash": "_shtab_newsroom_slugs",
    "zsh": "_shtab_newsroom_slugs",
    "fish": "(__shtab_newsroom_slugs)",
    "preamble": _PREAMBLES,
}
SLUGS_OR_FILES = {
    "bash": "_shtab_newsroom_slugs_or_files",
    "zsh": "_shtab_newsroom_slugs_or_files",
    "fish": "(__shtab_newsroom_slugs_or_files)",
    "preamble": _PREAMBLES,
}
_ZSH_LONG_OPTION_WITH_VALUE = re.compile(r'^(\s+"--[\w-]+)(\[.*\]:)', re.MULTILINE)
# Arguments that name a file (or a store, which may be a path): the shell's own file completion.
FILE_METAVARS = {"PATH", "FILE", "FILE_OR_DIR", "SOURCE", "DEST"}


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's commands, by name (the hidden ones included: there are none but `_slugs`, which is
    not in the parser at all)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def every_action(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Each action of the parser and its commands, once (the common options are shared objects)."""
    seen: set[int] = set()
    for each in (parser, *subcommands(parser).values()):
        for action in each._actions:
            if id(action) not in seen:
                seen.add(id(action))
                yield action


def takes_slug(action: argparse.Action) -> bool:
    """Whether an argument names a story: the story commands' `slug`, `--story SLUG`, `SLUG_OR_FILE`."""
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    return action.dest == "slug" or "SLUG" in metavar


def mark_completions(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Put shtab's `.complete` hooks on every argument whose values are slugs or files; returns `parser`."""
    for action in every_action(parser):
        metavar = action.metavar if isinstance(action.metavar, str) else ""
        if takes_slug(action):
            action.complete = SLUGS_OR_FILES if "FILE" in metavar else SLUGS  # type: ignore[attr-defined]
        elif metavar in FILE_METAVARS and not action.choices:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
    return parser


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell` ("bash", "zsh" or "fish")."""
    script: str = shtab.complete(mark_completions(parser), shell=shell)
    if shell == "bash":
        return script + _BASH_ENTRY
    if shell == "fish":
        return script
    # zsh's `_arguments` takes `--db=PATH` as well as `--db PATH` only when the spec says `--db=`: argparse does.
    return _ZSH_LONG_OPTION_WITH_VALUE.sub(r"\1=\2", script)


# -- the man page ---------------------------------------------------------------------------------------
_FILES = r"""
.nh
.TP
.I ~/.config/newsroom/config.toml
The config file (the platformdirs user config dir, \fB$XDG_CONFIG_HOME/newsroom/\fR); \fB\-\-config\fR or
\fBNEWSROOM_CONFIG\fR choose another.
.TP
.I ~/.local/share/newsroom/newsroom.json
The story store, an append\-only journal (the user data dir); \fB\-\-db\fR or \fBNEWSROOM_DB\fR choose another
file or a \fBpostgresql://\fR database.  Beside it: \fInewsroom.json.revisions\fR (every version, append\-only),
\fInewsroom.json.locks.json\fR (who has a story open), \fInewsroom.json.rows\fR (the list's row cache, safe to
delete), \fInewsroom\-deliveries.json\fR (failed deliveries waiting for \fBnewsroom deliver \-\-retry\fR),
\fInewsroom\-words.txt\fR (the desk dictionary) and \fInewsroom\-spelling\-ignored.json\fR.
.TP
.I ~/.local/state/newsroom/recovery/
The recovery journal: each editor's unsaved text, offered again when a desk next starts after a crash or a
dropped connection (\fBNEWSROOM_RECOVERY\fR, or \fB[recovery] folder\fR in the config, choose another).
.TP
.I ~/.local/share/newsroom/outbox/
Where the outbox target writes exports, unless \fB[targets.outbox] path\fR says otherwise.
.hy
"""

_ENVIRONMENT = r"""
.TP
.B NEWSROOM_DB
The story store (a file path or a \fBpostgresql://\fR URL), when \fB\-\-db\fR is not given.
.TP
.B NEWSROOM_CONFIG
The config file, when \fB\-\-config\fR is not given.
.TP
.B NEWSROOM_RECOVERY
The folder of the recovery journal.
.TP
.B NEWSROOM_NOTICES
The file remembering the notices said only once.
.TP
.B NEWSROOM_DESK_STATE
The file remembering the theme picked in the desk's palette (default: \fIdesk\-state.json\fR in the user
state dir).
.TP
.BR NEWSROOM_STORE_POLL_SECONDS ", " NEWSROOM_LOCK_HEARTBEAT_SECONDS
How often the desk looks at the store (2 s) and renews its locks (10 s); tests lengthen them to show that
a PostgreSQL desk's live notifications, not the poll, deliver a change.
.TP
.B NEWSROOM_SPELLING_CACHE
Where the compiled spelling dictionaries are kept (default: the user cache dir).
.TP
.B NEWSROOM_HUNSPELL_DIRS
Colon\-separated folders of system Hunspell dictionaries (default \fI/usr/share/hunspell\fR; empty: only the
shipped copies).
.TP
.BR VISUAL ", " EDITOR
The external editor the desk hands the body to (else nano, else vi).
.TP
.BR XDG_CONFIG_HOME ", " XDG_DATA_HOME ", " XDG_STATE_HOME ", " XDG_CACHE_HOME
Move the default folders above, as platformdirs reads them.
.TP
.BR PGPASSWORD ", " PGSERVICE ", ..."
A PostgreSQL store's password and connection settings, the libpq way (newsroom never stores one).
"""

_EXIT_STATUS = r"""
.TP
.B 0
Success.
.TP
.B 1
A user error: a bad file, an unknown story, a damaged store, an action the workflow refuses, a failed
check or delivery.  One sentence on standard error says what (failed pre\-publish checks add a line each).
.TP
.B 2
A usage error: an unknown command or option, or a missing argument.
.TP
.B 130
Interrupted (ctrl+c).
"""

_SEE_ALSO = r"""
The README's \fICommand line\fR and \fIShell completion and the man page\fR sections.
Completion scripts: \fBnewsroom completion bash\fR, \fBnewsroom completion zsh\fR.
"""


def manual_page(parser: argparse.ArgumentParser, version: str) -> str:
    """The man page (roff, section 1) of every command and option, with FILES, ENVIRONMENT and EXIT STATUS."""
    from argparse_manpage.manpage import Manpage

    page = Manpage(parser)
    page.description = "a keyboard-first terminal newsroom editor for desk editors"
    page.source = f"newsroom {version}"
    page.manual = "Newsroom Manual"
    for heading, content in (
        ("files", _FILES),
        ("environment", _ENVIRONMENT),
        ("exit status", _EXIT_STATUS),
        ("see also", _SEE_ALSO),
    ):
        page.add_section(heading, "=", content.strip())
    return str(page)
