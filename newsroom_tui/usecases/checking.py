"""`newsroom check`: the copy desk's house-style checks on stories (by slug) and wire files.

An existing path is a file, anything else a slug in the store.  Findings come back as linters print
them, `NAME:LINE:COL: CODE message`, with LINE and COL in the file for a wire file.  `--fix` applies
the safe fixes: to a story as a new version (refused while another editor has it open, unless taken
over), to a file in place, keeping its layout, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import LockedError, NotFound, UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.copydesk import CopydeskConfig, Finding
    from newsroom_tui.domain.model import Story
    from newsroom_tui.text.spelling import Speller
    from newsroom_tui.usecases.newsroom import Newsroom
    from newsroom_tui.usecases.outcomes import SaveOutcome

# Spaces and invisible characters are checked on the file's raw lines: the wire parser trims line ends
# (where the seed's non-breaking spaces sit) and collapses them in one-line fields, so the parsed story
# no longer shows them, but the file still holds them.
RAW_CODES = frozenset({"NR107", "NR108", "NR109"})


@dataclass
class CheckReport:
    """Findings by the name the editor gave (slug or path), the printed lines in order, and one
    sentence per file that could not be read.  User text is in the lines: show them via `for_display`."""

    results: dict[str, list[Finding]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a live story's fixes are saved but not sent

    @property
    def found(self) -> bool:
        return any(self.results.values())

    @property
    def failed(self) -> bool:
        return self.found or bool(self.problems)

    def to_json(self) -> str:
        from newsroom_tui.domain.copydesk import findings_to_json

        return findings_to_json(self.results)


def check(
    settings: Settings,
    targets: Sequence[str],
    open_newsroom: Callable[[], Newsroom],
    *,
    fix: bool = False,
    take_over: bool = False,
    spelling: bool = True,
) -> CheckReport:
    """Check each target; the store is opened (by `open_newsroom`) only if a target is a slug.
    `spelling=False` (`--no-spelling`) leaves the dictionaries out."""
    from newsroom_tui.domain.copydesk import CopydeskConfig
    from newsroom_tui.usecases.spelling import SpellingService

    config = CopydeskConfig.from_settings(settings)
    spelling = spelling and config.spelling
    report = CheckReport()
    newsroom: Newsroom | None = None
    service = SpellingService(settings)
    try:
        for target in targets:
            path = Path(target)
            if path.is_file():
                speller = service.speller() if spelling else None
                _check_file(path, target, settings, config, fix=fix, report=report, speller=speller)
                continue
            if newsroom is None:
                newsroom = open_newsroom()
                service.store = newsroom.store  # a database's word lists opened from now on share its connection
                newsroom._spelling = service
            _check_story(newsroom, target, settings, fix=fix, take_over=take_over, report=report, spelling=spelling)
    finally:
        if newsroom is not None:
            newsroom.store.close()
    return report


def _check_story(
    newsroom: Newsroom,
    slug: str,
    settings: Settings,
    *,
    fix: bool,
    take_over: bool,
    report: CheckReport,
    spelling: bool = True,
) -> None:
    """A stored story's findings, after its fixes when asked (through the Newsroom: the lock rule)."""
    from newsroom_tui.usecases.newsroom import UnknownSlug

    try:  # a fix changes the story, so it wants the whole slug; a look may take a unique start of one
        if fix:
            slug = newsroom.find(slug).slug
        else:
            found = newsroom.look_up(slug)
            if found.note is not None:
                report.notes.append(found.note)
            slug = found.story.slug
    except UnknownSlug as error:
        raise NotFound(
            f"{slug!r} is neither a file nor the slug of a story in {settings.store_label}{error.hint}"
        ) from error
    checked = newsroom.check_story(slug, fix=fix, take_over=take_over, spelling=spelling)
    if checked.fixed is not None:  # a live story's fixes wait, marked unsent, for `newsroom correct`
        story = saved_or_raise(checked.fixed)
        if story.has_unsent_changes:
            report.notes.append(
                f"{slug} is live: its fixes are saved as version {story.version}, not yet sent; "
                f"`newsroom correct {slug} --note …` sends them."
            )
    report.results[slug] = checked.findings
    report.lines.extend(f"{slug}/{f.field}:{f.line}:{f.column}: {f.code} {f.message}" for f in checked.findings)


def saved_or_raise(outcome: SaveOutcome) -> Story:
    """The saved story, or the outcome's sentence as an error: a script has nobody to ask."""
    from newsroom_tui.usecases.outcomes import LockLost, ReadOnly, Saved

    if isinstance(outcome, Saved):
        return outcome.story
    if isinstance(outcome, ReadOnly | LockLost):
        raise LockedError(outcome.message, outcome.holder)
    raise UserError(outcome.message)


def _check_file(
    path: Path,
    name: str,
    settings: Settings,
    config: CopydeskConfig,
    *,
    fix: bool,
    report: CheckReport,
    speller: Speller | None = None,
) -> None:
    from newsroom_tui.domain.copydesk import check_story, fix_story
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file

    try:
        story = parse_wire_file(path, zone=settings.zone)
    except WireFormatError as error:
        report.problems.append(str(error))
        return
    if fix:
        fixed = fix_story(story, config)
        rewrite_wire_file(path, story, fixed, config)
        story = fixed
    raw = raw_space_findings(path, config)
    findings = [f for f in check_story(story, config, speller) if f.code not in RAW_CODES] + raw
    report.results[name] = findings
    report.lines.extend(file_findings(path, story, findings))


def raw_space_findings(path: Path, config: CopydeskConfig) -> list[Finding]:
    from newsroom_tui.domain.copydesk import check_text

    findings = []
    for number, line in enumerate(_file_lines(path), start=1):
        for finding in check_text(line, "file", config, "en"):
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


def file_findings(path: Path, story: Story, findings: list[Finding]) -> list[str]:
    """Findings as `FILE:LINE:COL: CODE message` with LINE/COL in the file, as linters print them.

    A wire file holds one paragraph per line, so a body finding's paragraph is found in the file
    and its column is offset by where the paragraph starts on that line.
    """
    lines = _file_lines(path)
    headline_at = _locate_in_file(lines, story.headline) if story.headline else None
    where: dict[int, tuple[int, int]] = {}
    search_from = (headline_at[0] + 1) if headline_at else 0
    for index, paragraph in enumerate(story.paragraphs):
        found = _locate_in_file(lines, paragraph.split("\n")[0], search_from)
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
        printed.append(f"{path}:{line}:{column}: {finding.code} {finding.message}")
    return printed


def rewrite_wire_file(path: Path, before: Story, after: Story, config: CopydeskConfig) -> None:
    """Write the fixed headline and paragraphs back into the file in place, keeping its layout.

    Only lines that changed are touched (masthead, edition line and stamps stay as filed), special
    spaces and trailing whitespace are fixed on every line, and the file is replaced atomically.
    """
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
    lines = [_fix_raw_spaces(line, config) for line in lines]
    data = newline.join(lines)
    if data == text.replace("\r\n", "\n").replace("\n", newline).lstrip("\ufeff"):
        return
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    from newsroom_tui.usecases.files import write_file

    write_file(path, (bom + data).encode("utf-8"))


def _fix_raw_spaces(line: str, config: CopydeskConfig) -> str:
    from newsroom_tui.domain.copydesk import apply_fixes, check_text

    raw = [f for f in check_text(line, "file", config, "en") if f.code in RAW_CODES]
    return apply_fixes(line, raw) if raw else line
