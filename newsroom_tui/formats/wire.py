"""The portal's wire format: plain-text copy as agencies, reporters and the portal itself file it.

Layout (every part but the headline and the `Published:` line may be missing)::

    Risingbd Online Bangla News Portal           masthead
    Dhaka   Friday  26 April 2024                edition line: the page's date, not the story's
    Biden, Putin to hold virtual meeting         headline
    News Desk || risingbd.com                    byline || source
    Published: 12:20, 5 December 2021  Updated: 13:05, 5 December 2021
    Biden, Putin to hold virtual meeting         headline repeated
    First paragraph.                             one paragraph per non-empty line
    …against Ukraine."_Zee News                  agency credit glued to the last paragraph (or `_AFP` alone)
    Correction: An earlier version …             the latest correction note, when there is one
    Dhaka/Shamera/AI                             desk sign-off: place/reporter/desk

The Bangla edition uses `প্রকাশিত:`, `আপডেট:` and `সংশোধনী:`, Bengali digits and Bengali month names.
A story that was never published says so on the stamp line, as the preview does, instead of a
`Published:` time it never had: `Not yet published · Filed: 08:30, 10 June 2024  Updated: 14:45, …`
(`এখনও প্রকাশিত হয়নি · দাখিল: …  আপডেট: …`), Filed being when the story was created; it reads back as
that draft.

What the format cannot carry, so `parse_wire(export_wire(story))` gives back a different story:

* a paragraph break inside the body is the only break: a single newline inside a paragraph is written
  as a space, and spaces at the ends of paragraphs are dropped;
* one-line fields (headline, byline, source, credit, sign-off) have runs of whitespace, NBSPs
  included, collapsed to one space;
* a byline containing `||` (the first `||` on the line splits byline from source);
* a headline, byline or masthead that starts with a stamp label (`starts_with_stamp_label`), and a
  headline that is itself an edition line (`looks_like_edition_line`), because each is read as that line;
* a sign-off that does not look like one (see `looks_like_sign_off`: 2–5 short parts split by `/`, no
  `_`), which comes back as the last paragraph; and, for a story without a sign-off, a last paragraph
  (or credit) that does look like one, which comes back as the sign-off;
* a credit that does not look like one (see `split_glued_credit`: up to 5 words and 40 characters, no
  `_`), and, for a story without a credit, a last paragraph that ends in what looks like a glued
  credit (`…text_Word`) or is a short line starting with `_`;
* seconds, and which of two equal wall-clock times in the hour when clocks go back (no UTC offset);
* an English story whose headline and body are mostly Bengali comes back as Bangla (`language`
  follows the labels and digits first, then the script of the text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Status, Story, oversized_fields
from newsroom_tui.text import bangla
from newsroom_tui.text.safety import clean_line, clean_text

PUBLISHED_LABEL = {"en": "Published:", "bn": "প্রকাশিত:"}
UPDATED_LABEL = {"en": "Updated:", "bn": "আপডেট:"}
NOT_PUBLISHED = {"en": "Not yet published", "bn": "এখনও প্রকাশিত হয়নি"}
CORRECTION_LABEL = {"en": "Correction:", "bn": "সংশোধনী:"}
FILED_LABEL = {"en": "Filed:", "bn": "দাখিল:"}
_FILED = re.compile(r"^(?:(?P<en>filed)|(?P<bn>দাখিল))\s*[:：]\s*", re.I)
_NOT_PUBLISHED = re.compile(r"^(?:(?P<en>not\s+yet\s+published)|(?P<bn>এখনও\s+প্রকাশিত\s+হয়নি))\s*[·|•,;-]?\s*", re.I)
_CORRECTION = re.compile(r"^(?:correction|সংশোধনী)\s*[:：]\s*(?P<note>\S.*)$", re.I)

_PUBLISHED_WORDS = r"(?:(?P<en>published(?:\s+(?:on|at))?)|(?P<bn>প্রকাশিত|প্রকাশ))"
_UPDATED_WORDS = r"(?:(?P<en>(?:last\s+)?updated(?:\s+(?:on|at))?)|(?P<bn>সর্বশেষ\s+আপডেট|আপডেট|হালনাগাদ))"
_PUBLISHED = re.compile(rf"^{_PUBLISHED_WORDS}\s*[:：]", re.I)
_UPDATED_LINE = re.compile(rf"^{_UPDATED_WORDS}\s*[:：]", re.I)
# `Updated:` later on the `Published:` line, after a space or a separator.
_UPDATED_AFTER = re.compile(rf"(?:\s|[|·•;,]){_UPDATED_WORDS}\s*[:：]", re.I)
_STAMP_TRAILING = " \t|·•;,"
_SIGN_OFF_FINAL = ".!?।\"”’'),:;"
CREDIT_MAX_CHARS = 40
CREDIT_MAX_WORDS = 5


class WireFormatError(ValueError):
    """A file that is not usable wire copy; str() is one sentence naming the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type[WireFormatError], tuple[str, str]]:
        return (type(self), (self.name, self.reason))


# -- small predicates, shared by the parser and the exporter so both agree -----------------------------
def starts_with_stamp_label(line: str) -> bool:
    """True for a line read as the `Published:` or `Updated:` line (either edition's labels)."""
    line = line.strip()
    return bool(_PUBLISHED.match(line) or _UPDATED_LINE.match(line) or _draft_stamps(line))


def _draft_stamps(line: str) -> re.Match[str] | None:
    """`Not yet published · Filed: …`: the stamp line of a story that never went out."""
    found = _NOT_PUBLISHED.match(line)
    return found if found is not None and _FILED.match(line[found.end() :]) else None


def _one_line(text: str) -> str:
    """Collapse whitespace (NBSPs included): one-line fields arrive with doubled and hard spaces."""
    return " ".join(clean_line(text).split())


def looks_like_edition_line(line: str) -> bool:
    """True for the line under the masthead: a city of up to 3 capitalised words, a weekday, a date.

    Strict on purpose: a headline such as "Polls on Sunday, 7 January 2024" must not match.
    """
    words = [word.strip(",;|·") for word in line.split()]
    words = [word for word in words if word]
    for index, word in enumerate(words[:4]):
        if any(w[0].islower() for w in words[:index]):
            return False
        try:
            bangla.parse_weekday(word)
            bangla.parse_date(" ".join(words[index + 1 :]))
        except ValueError:
            continue
        return True
    return False


def looks_like_sign_off(line: str) -> bool:
    """True for a desk sign-off such as `Dhaka/Shamera/AI` or `ঢাকা/শামেরা/এআই`.

    2–5 short parts split by `/`, the first (the place) with a letter in it, no `_`, and no sentence
    punctuation at the end, so `24/7` or a closing quote is never taken for one.
    """
    line = _one_line(line)
    if not line or len(line) > 80 or "_" in line or line[-1] in _SIGN_OFF_FINAL:
        return False
    parts = [part.strip() for part in line.split("/")]
    if not 2 <= len(parts) <= 5 or not any(char.isalpha() for char in parts[0]):
        return False
    return all(part and len(part) <= 30 and len(part.split()) <= 4 for part in parts)


def _is_credit(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and "_" not in text
        and len(text) <= CREDIT_MAX_CHARS
        and len(text.split()) <= CREDIT_MAX_WORDS
        and text[0].isalnum()
    )


def credit_on_own_line(line: str) -> str | None:
    """The credit of a line like `_AFP`, or None when the line is not a credit."""
    line = _one_line(line)
    if not line.startswith("_"):
        return None
    credit = line[1:].strip()
    return credit if _is_credit(credit) else None


def split_glued_credit(paragraph: str) -> tuple[str, str] | None:
    """(paragraph, credit) for `…against Ukraine."_Zee News`, or None when nothing is glued on.

    The credit follows the last `_`; a lower-case one (`_dpa`) only counts after punctuation or a
    space, so `file_name` at the end of a paragraph is not read as a credit.
    """
    cut = paragraph.rfind("_")
    if cut <= 0:
        return None
    text, credit = paragraph[:cut].rstrip(), " ".join(paragraph[cut + 1 :].split())
    if not text or not _is_credit(credit):
        return None
    if credit[0].islower() and paragraph[cut - 1].isalnum():
        return None
    return text, credit


# -- parsing --------------------------------------------------------------------------------------------
def _split_stamps(rest: str) -> tuple[str, str | None, bool]:
    """(published text, updated text or None, updated label was Bangla) from what follows `Published:`."""
    match = _UPDATED_AFTER.search(rest)
    if match is None:
        return rest.strip(_STAMP_TRAILING), None, False
    published = rest[: match.start()].strip(_STAMP_TRAILING)
    updated = rest[match.end() :].strip(_STAMP_TRAILING)
    return published, updated, match["bn"] is not None


def _stamp(text: str, label: str, zone: ZoneInfo, name: str) -> datetime:
    if not text:
        raise WireFormatError(
            name, f"the `{label}` line has no time and date (expected e.g. `{label} {bangla.STAMP_EXAMPLE}`)"
        )
    try:
        return bangla.parse_stamp(text, zone)
    except ValueError as error:
        raise WireFormatError(name, f"the `{label}` stamp {text!r} cannot be read: {error}") from None


def _has_bengali_stamp(text: str) -> bool:
    """Bengali digits or a Bangla month name: the Bangla edition even under an English label."""
    return any("\u0980" <= char <= "\u09ff" for char in text)


def parse_wire(text: str, *, zone: ZoneInfo, name: str = "<wire>") -> Story:
    """One story from wire copy; `name` (the file) appears in every error.

    Raises WireFormatError, and only that, for anything that is not wire copy.  The slug is left
    empty: the caller makes one that is unique in its store.
    """
    if not isinstance(text, str):
        raise WireFormatError(name, f"expected text, got {type(text).__name__}")
    if "\x00" in text:
        raise WireFormatError(name, "it contains NUL bytes, so it is a binary file, not wire copy")
    text = clean_text(text).replace("\u2028", "\n").replace("\u2029", "\n")
    lines = [line.strip() for line in text.split("\n")]
    if not any(lines):
        raise WireFormatError(name, "the file is empty")

    published_at = next((i for i, line in enumerate(lines) if _PUBLISHED.match(line) or _draft_stamps(line)), None)
    if published_at is None:
        raise WireFormatError(name, "no `Published:` line, so this is not wire copy")

    # -- the stamps
    draft_match = _draft_stamps(lines[published_at])
    if draft_match is not None:  # never published: the Updated: stamp is all there is
        after = lines[published_at][draft_match.end() :]
        filed = _FILED.match(after)
        assert filed is not None  # _draft_stamps matched it
        bangla_label = draft_match["bn"] is not None or filed["bn"] is not None
        label = FILED_LABEL["bn" if bangla_label else "en"]
        published_text, updated_text, bangla_updated = _split_stamps(after[filed.end() :])
    else:
        label_match = _PUBLISHED.match(lines[published_at])
        if label_match is None:  # pragma: no cover - found by the same pattern above
            raise WireFormatError(name, "no `Published:` line, so this is not wire copy")
        bangla_label = label_match["bn"] is not None
        label = PUBLISHED_LABEL["bn" if bangla_label else "en"]
        published_text, updated_text, bangla_updated = _split_stamps(lines[published_at][label_match.end() :])
    body_start = published_at + 1
    if updated_text is None and body_start < len(lines):
        # Some desks put `Updated:` on the line after `Published:`.
        next_line = _UPDATED_LINE.match(lines[body_start])
        if next_line is not None:
            updated_text = lines[body_start][next_line.end() :].strip(_STAMP_TRAILING)
            bangla_updated = next_line["bn"] is not None
            body_start += 1
    created = _stamp(published_text, label, zone, name)
    updated_label = UPDATED_LABEL["bn" if bangla_updated else "en"]
    updated = _stamp(updated_text, updated_label, zone, name) if updated_text is not None else created

    # -- the header: [masthead] [edition line] headline [byline || source]
    header = [line for line in lines[:published_at] if line]
    byline = source = ""
    byline_at = next((k for k in range(len(header) - 1, -1, -1) if "||" in header[k]), None)
    if byline_at is not None:
        between = header[byline_at + 1 :]
        if between:
            raise WireFormatError(
                name, f"unexpected text {between[0][:60]!r} between the `byline || source` line and the `{label}` line"
            )
        byline, _, source = header[byline_at].partition("||")
        byline, source = _one_line(byline), _one_line(source)
        header = header[:byline_at]
    headline = _one_line(header[-1]) if header else ""
    if not headline or looks_like_edition_line(headline):
        where = "above the `byline || source` line" if byline_at is not None else f"above the `{label}` line"
        raise WireFormatError(name, f"no headline {where}")

    # -- the body: [headline again] paragraphs [credit] [sign-off]
    body = [line for line in lines[body_start:] if line]
    if body and _one_line(body[0]) == headline:
        body = body[1:]
    sign_off = ""
    if body and looks_like_sign_off(body[-1]):
        sign_off = _one_line(body.pop())
    correction_note = ""
    if body and (correction := _CORRECTION.match(body[-1])) is not None:
        correction_note = _one_line(correction["note"])
        body.pop()
    credit = ""
    if body:
        own_line = credit_on_own_line(body[-1])
        glued = split_glued_credit(body[-1]) if own_line is None else None
        if own_line is not None:
            credit = own_line
            body.pop()
        elif glued is not None:
            body[-1], credit = glued

    if bangla_label or _has_bengali_stamp(published_text):
        language = "bn"
    else:
        language = "bn" if bangla.is_bengali(headline + " " + " ".join(body)) else "en"
    story = Story(
        headline=headline,
        body="\n\n".join(body),
        byline=byline,
        source=source,
        dateline=sign_off.split("/", 1)[0].strip() if sign_off else "",
        credit=credit,
        sign_off=sign_off,
        language=language,
        status=Status.DRAFT,
        created_at=created,
        updated_at=updated,
        published_at=None,
        slug="",
        correction_note=correction_note,
    )
    oversized = oversized_fields(story)
    if oversized:  # a broken layout (a whole file on the headline line) rather than a story
        first = next(iter(oversized.values()))
        raise WireFormatError(name, first[0].lower() + first[1:].rstrip(".") + ", so the file's layout is broken")
    return story


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise WireFormatError(name, "it is UTF-16 text; save it as UTF-8 and import it again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data:
            raise WireFormatError(name, "it is a binary file, not wire copy") from None
        raise WireFormatError(
            name, f"it is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def parse_wire_file(path: Path | str, *, zone: ZoneInfo) -> Story:
    """`parse_wire` on a file; unreadable or undecodable files raise WireFormatError too."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WireFormatError(name, f"it cannot be read ({error.strerror or error})") from None
    return parse_wire(_decode(data, name), zone=zone, name=name)


def wire_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, plus the `*.txt` files directly inside the folders given, sorted, no repeats.

    Hidden files (editor backups such as `.#story.txt`) inside folders are skipped; paths that do
    not exist are left out (the caller reports them).
    """
    found: dict[Path, None] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in path.iterdir():
                if child.suffix.lower() == ".txt" and not child.name.startswith(".") and child.is_file():
                    found[child] = None
        elif path.is_file():
            found[path] = None
    return sorted(found)


# -- export ---------------------------------------------------------------------------------------------
def _paragraph_lines(story: Story) -> list[str]:
    """One line per paragraph: a line break inside a paragraph becomes a space, as Markdown shows it."""
    paragraphs = (" ".join(part.strip() for part in p.splitlines()) for p in story.paragraphs)
    return [clean_text(paragraph) for paragraph in paragraphs]


def export_wire(
    story: Story,
    *,
    masthead: str,
    edition_city: str,
    zone: ZoneInfo,
    edition_date: datetime | None = None,
) -> str:
    """The story in the portal's wire layout; `edition_date` is the page's date (now by default).

    The headline is always repeated under the stamps, as the portal prints it; that also keeps a
    first paragraph that equals the headline from being mistaken for the repeat.
    """
    language = "bn" if story.language == "bn" else "en"
    page_date = (edition_date or datetime.now(zone)).astimezone(zone)
    published = (story.published_at or story.created_at).astimezone(zone)
    updated = story.updated_at.astimezone(zone)
    headline = _one_line(story.headline)

    lines: list[str] = []
    if _one_line(masthead):
        lines += [_one_line(masthead), ""]
    page = bangla.format_edition_date(page_date, language)
    edition = "  ".join(filter(None, (_one_line(edition_city), page)))
    lines += [edition, "", headline, ""]
    lines += [" || ".join((_one_line(story.byline), _one_line(story.source))).strip(), ""]
    if story.published_at is None:  # a draft has no publication time to print: say so, as the preview does
        stamps = f"{NOT_PUBLISHED[language]} · {FILED_LABEL[language]} {bangla.format_stamp(published, language)}"
    else:
        stamps = f"{PUBLISHED_LABEL[language]} {bangla.format_stamp(published, language)}"
    if bangla.shows_update(published, updated):
        stamps += f"  {UPDATED_LABEL[language]} {bangla.format_stamp(updated, language)}"
    lines += [stamps, headline, ""]

    paragraphs = _paragraph_lines(story)
    credit = _one_line(story.credit)
    if credit:
        glued = f"{paragraphs[-1]}_{credit}" if paragraphs else ""
        if paragraphs and split_glued_credit(glued) == (paragraphs[-1], credit):
            paragraphs[-1] = glued
        else:
            paragraphs.append(f"_{credit}")
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    note = _one_line(story.correction_note)
    if note:
        lines += [f"{CORRECTION_LABEL[language]} {note}", ""]
    sign_off = _one_line(story.sign_off)
    if sign_off:
        lines += [sign_off, ""]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
