"""The story: what a desk edits, validates and publishes.

Field names follow Superdesk and IPTC ninjs where they exist (see the README's data model).  Plain
Python: no Textual, no TinyDB; the store converts to and from dicts with `to_dict`/`from_dict`.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from newsroom_tui.text.safety import clean_line, clean_text, has_terminal_control
from newsroom_tui.text.slug_pattern import SLUG_PATTERN

READING_WORDS_PER_MINUTE = 250  # Superdesk's figure
DEFAULT_HEADLINE_LIMIT = 110
DEFAULT_SUMMARY_LIMIT = 300
LANGUAGES = ("en", "bn")
MAX_TAGS = 100  # Superdesk and WordPress desks use a handful; 50,000 once froze the form
MAX_TAG_LENGTH = 100


class Status(enum.StrEnum):
    """Where a story is on the desk (after Superdesk's states, simplified)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    EDITED = "edited"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CORRECTED = "corrected"
    UNPUBLISHED = "unpublished"
    KILLED = "killed"
    SPIKED = "spiked"


# Statuses in which readers can see the story (the formats' pubStatus "usable"); the workflow re-exports it.
LIVE_STATUSES = frozenset({Status.PUBLISHED, Status.CORRECTED})


# Fields that hold one line of text, and fields that hold free text (body, editor's note).
ONE_LINE_FIELDS = (
    "slug",
    "headline",
    "summary",
    "byline",
    "source",
    "dateline",
    "credit",
    "sign_off",
    "desk",
    "correction_note",
)
MULTI_LINE_FIELDS = ("body", "ednote")

# The most any field can hold, whatever the desk's editorial limits (headline_limit…): past these it is not a
# field but a broken file or a stray paste.  A 1,000,000-character headline once imported and froze the desk
# for 12 s on open; the form's boxes take these as their length limits and say so when a paste would pass one.
FIELD_CEILINGS = {
    "headline": 1_000,
    "slug": 200,
    "summary": 4_000,
    "byline": 500,
    "source": 500,
    "dateline": 200,
    "credit": 500,
    "sign_off": 200,
    "desk": 200,
    "correction_note": 4_000,
    "ednote": 10_000,
    "body": 500_000,  # 2.5 times the largest paste the editor takes; a 450 KB body still types at 90 ms a key
}
FIELD_NAMES = {"sign_off": "sign-off", "ednote": "editor's note", "correction_note": "correction note"}


def oversized_fields(story: Story) -> dict[str, str]:
    """Fields past their ceiling, each with one sentence (what `validate` and the wire importer refuse)."""
    problems: dict[str, str] = {}
    for name, ceiling in FIELD_CEILINGS.items():
        length = len(getattr(story, name))
        if length > ceiling:
            label = FIELD_NAMES.get(name, name)
            article = "an" if label[0] in "aeiou" else "a"
            problems[name] = f"The {label} is {length:,} characters; {article} {label} holds at most {ceiling:,}."
    return problems


DATETIME_FIELDS = ("created_at", "updated_at", "published_at", "embargo_until", "scheduled_at")


def _plain(value: Any) -> Any:
    """A copy of a JSON-like value: new lists and dicts all the way down, the same immutable leaves."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def now() -> datetime:
    """The current time, timezone-aware (UTC); shown in the desk's zone by the UI."""
    return datetime.now(UTC)


def new_id() -> str:
    import uuid  # 3 ms of imports (platform, _uuid): not on the desk's way to its first screen

    return uuid.uuid4().hex


@dataclass(slots=True)
class Story:
    """One story.  `version` rises by one on every save (optimistic concurrency)."""

    headline: str = ""
    body: str = ""
    slug: str = ""
    summary: str = ""
    byline: str = ""
    source: str = ""
    dateline: str = ""
    credit: str = ""
    sign_off: str = ""
    desk: str = ""
    tags: list[str] = field(default_factory=list)
    language: str = "en"
    status: Status = Status.DRAFT
    urgency: int = 5
    ednote: str = ""
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    published_at: datetime | None = None
    embargo_until: datetime | None = None
    version: int = 0
    created_by: str = ""
    updated_by: str = ""
    # True once an editor typed the slug: from then on it no longer follows the headline.
    slug_set_by_hand: bool = False
    correction_sequence: int = 0
    # What the latest correction tells readers; set by the workflow's `correct` action.
    correction_note: str = ""
    # When a scheduled story is due to go out (the workflow's `schedule` action); None otherwise.
    scheduled_at: datetime | None = None
    # The status `unspike` (or `deschedule`) returns to, so those actions need no guessing.
    previous_status: Status | None = None
    # Workflow and delivery events, oldest first, as plain JSON dicts {action, from, to, by, at, note}
    # (see workflow.py).  Entries are never changed in place: actions append to a new list.
    history: list[dict[str, Any]] = field(default_factory=list)
    # The version that last went out to the targets (set by publish and correct, cleared by unpublish and
    # kill): a live story saved since then has changes readers have not seen.
    sent_version: int | None = None

    # -- derived values -------------------------------------------------------------------------
    @property
    def word_count(self) -> int:
        return count_words(self.body)

    @property
    def reading_minutes(self) -> int:
        words = self.word_count
        return max(1, math.ceil(words / READING_WORDS_PER_MINUTE)) if words else 0

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)

    @property
    def is_new(self) -> bool:
        return self.version == 0

    @property
    def is_live(self) -> bool:
        """Readers can see it (published or corrected)."""
        return self.status in LIVE_STATUSES

    @property
    def has_unsent_changes(self) -> bool:
        """Live, and saved since the version that went out: the site shows older words than the desk."""
        return has_unsent_changes(self.status, self.version, self.sent_version)

    def copy(self, **changes: Any) -> Story:
        """A copy that shares no mutable state (tags, the history list) with this story."""
        changes.setdefault("tags", list(self.tags))
        changes.setdefault("history", list(self.history))
        return replace(self, **changes)

    def has_terminal_control(self) -> bool:
        """Whether a text field holds escape sequences or other control (an older tool, a hand edit)."""
        texts = [*(getattr(self, name) for name in (*ONE_LINE_FIELDS, *MULTI_LINE_FIELDS)), *self.tags]
        return any(has_terminal_control(text) for text in texts)

    def cleaned(self) -> Story:
        """This story with terminal control stripped from every text field."""
        changes: dict[str, Any] = {name: clean_line(getattr(self, name)) for name in ONE_LINE_FIELDS}
        changes.update({name: clean_text(getattr(self, name)) for name in MULTI_LINE_FIELDS})
        changes["tags"] = normalise_tags(self.tags)
        changes["history"] = list(self.history)
        return replace(self, **changes)

    # -- dict form (the store, `newsroom list --json`) ---------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The story as plain JSON values, sharing nothing mutable with it.  Not `dataclasses.asdict`: that
        deep-copies every string of every history entry, and took 0.5 ms a story (a migration makes it for
        every version of every story, a save for one)."""
        data = {name: _plain(getattr(self, name)) for name in _FIELD_NAMES}
        data["status"] = self.status.value
        data["previous_status"] = self.previous_status.value if self.previous_status is not None else None
        for name in DATETIME_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Story:
        """A story from stored data (the store, a recovery draft), checked field by field.

        Raises ValueError naming the field for a value of the wrong type (a hand edit, another tool):
        `"body": 5` must be one sentence about the store, not an AttributeError three screens later.
        Text is cleaned of terminal control, so a hand-edited file cannot carry escapes into the desk.
        A field that is missing takes its default (stores written before the field); the id may not be.
        """
        get = data.get
        values: dict[str, Any] = {}
        for name in _LINE_NAMES:
            value = get(name, _ABSENT)
            if value is not _ABSENT:  # `isprintable` inline: true of almost every one-line field (see stored_line)
                values[name] = value if type(value) is str and value.isprintable() else stored_line(name, value)
        for name in MULTI_LINE_FIELDS:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[name] = stored_text(name, value)
        for name in DATETIME_FIELDS:
            value = get(name)
            if value is not None:
                values[name] = stored_datetime(name, value)
            elif name in _REQUIRED_WHEN and name in data:
                raise ValueError(f"its {name} is empty")
        for name in _COUNT_NAMES:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[name] = value if type(value) is int and value >= 0 else stored_count(name, value)
        status = values["status"] = stored_status("status", get("status", "draft"))
        previous = get("previous_status")
        if previous is not None:
            values["previous_status"] = stored_status("previous_status", previous)
        if "tags" in data:
            values["tags"] = stored_tags(data["tags"])
        if "history" in data:
            values["history"] = stored_history(data["history"])
        by_hand = get("slug_set_by_hand", False)
        if type(by_hand) is not bool:
            raise ValueError(f"its slug_set_by_hand is {_kind(by_hand)}, not true or false")
        values["slug_set_by_hand"] = by_hand
        if not values.get("id"):
            raise ValueError("it has no id")
        values["sent_version"] = stored_sent_version(data, status)
        return cls(**values)


# How each stored field is read (see `Story.from_dict`); test_store_damage checks every field has a rule.
_ABSENT: Any = object()
_FIELD_NAMES = tuple(item.name for item in fields(Story))
_LINE_NAMES = (*ONE_LINE_FIELDS, "id", "language", "created_by", "updated_by")
_COUNT_NAMES = ("urgency", "version", "correction_sequence")
STORED_FIELDS = frozenset(
    (*_LINE_NAMES, *MULTI_LINE_FIELDS, *DATETIME_FIELDS, *_COUNT_NAMES, "status", "previous_status", "tags",
     "history", "slug_set_by_hand", "sent_version")
)  # fmt: skip
_REQUIRED_WHEN = frozenset(("created_at", "updated_at"))
_STATUSES: dict[str, Status] = {status.value: status for status in Status}
_SCALARS = (str, int, float, bool, type(None))


def _kind(value: object) -> str:
    """What a stored value is, for a sentence: "a number", "a list"."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "empty (null)"
    return "text"


def stored_line(name: str, value: object) -> str:
    """A one-line stored field: text, with terminal control (and line breaks) cleaned out."""
    if type(value) is not str:
        raise ValueError(f"its {name} is {_kind(value)}, not text")
    if value.isprintable():  # C, and true of almost every one-line field: no control, no line break in it
        return value
    if "\n" in value or has_terminal_control(value):
        return clean_line(value)
    return value


def stored_text(name: str, value: object) -> str:
    """A free-text stored field (body, editor's note): text, with terminal control cleaned out."""
    if type(value) is not str:
        raise ValueError(f"its {name} is {_kind(value)}, not text")
    if may_hold_terminal_control(value) and has_terminal_control(value):
        return clean_text(value)
    return value


# Bytes that cannot begin terminal control in UTF-8: all but C0 (less tab and newline), DEL, and the lead bytes
# of C1 (C2 80-9F) and of the bidi controls (E2 80 AA-AE, E2 81 A6-A9).
_CANNOT_BEGIN_CONTROL = bytes(sorted(set(range(256)) - {*range(0x09), *range(0x0B, 0x20), 0x7F, 0xC2, 0xE2}))


def may_hold_terminal_control(text: str) -> bool:
    """A quick, conservative look before `has_terminal_control`: False means there is certainly none.

    `bytes.translate` deletes every byte that cannot begin a control, in C: 2 µs for a 4 KB English body
    against 20 µs for the regular expression, which then only runs on text with C2 or E2 bytes in it
    (a non-breaking space, a dash) or with control.
    """
    try:
        raw = text.encode("ascii") if text.isascii() else text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return bool(raw.translate(None, _CANNOT_BEGIN_CONTROL))


def stored_count(name: str, value: object) -> int:
    """A stored whole number (version, urgency): not a float, not true/false, not negative."""
    if type(value) is not int:
        raise ValueError(f"its {name} is {_kind(value)}, not a whole number")
    if value < 0:
        raise ValueError(f"its {name} is {value}, below zero")
    return value


def stored_status(name: str, value: object) -> Status:
    status = _STATUSES.get(value) if isinstance(value, str) else None
    if status is None:
        shown = f"“{clean_line(value)[:40]}”" if isinstance(value, str) else _kind(value)
        raise ValueError(f"its {name} is {shown}, not a status")
    return status


def stored_datetime(name: str, value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"its {name} is {_kind(value)}, not a date and time")
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValueError(f"its {name} is not a date and time") from None


def stored_tags(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(type(tag) is str for tag in value):
        raise ValueError("its tags are not a list of words")
    return [clean_line(tag) if has_terminal_control(tag) else tag for tag in value]


def stored_history(value: object) -> list[dict[str, Any]]:
    """Workflow events: flat JSON objects (what `workflow.history_entry` writes), their text cleaned."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"its history is {_kind(value)}, not a list of events")
    entries: list[dict[str, Any]] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not all(isinstance(item, _SCALARS) for item in entry.values()):
            raise ValueError(f"its history event {number} is not an event")
        entries.append(
            {key: clean_line(item) if type(item) is str and has_terminal_control(item) else item
             for key, item in entry.items()}
        )  # fmt: skip
    return entries


def has_unsent_changes(status: Status, version: int, sent_version: int | None) -> bool:
    """The one rule for "unsent": live, and saved since the version that last went out."""
    return status in LIVE_STATUSES and sent_version is not None and version != sent_version


def is_overdue(status: Status, scheduled_at: datetime | None, moment: datetime) -> bool:
    """The one rule for "overdue": scheduled for a time that has passed, and nothing published it yet."""
    return status is Status.SCHEDULED and scheduled_at is not None and scheduled_at <= moment


def stored_sent_version(values: Mapping[str, Any], status: Status) -> int | None:
    """`sent_version` as a stored document holds it.  Stores written before the field (or a hand edit
    that broke it): a live story is taken as sent as it is, so nothing shows as unsent."""
    sent = values.get("sent_version")
    if "sent_version" in values and (sent is None or (isinstance(sent, int) and not isinstance(sent, bool))):
        return sent
    version = values.get("version", 0)
    return version if status in LIVE_STATUSES and isinstance(version, int) else None


def parse_datetime(raw: str) -> datetime:
    """Parse an ISO 8601 datetime; a naive one is taken as UTC so comparisons never fail."""
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def normalise_tags(tags: list[str] | str) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, no empties, no duplicates, order kept."""
    # Cleaned once as a whole, not tag by tag: the form does this on every keystroke.
    text = clean_line(tags if isinstance(tags, str) else ",".join(tag.replace(",", " ") for tag in tags))
    kept: list[str] = []
    folded: set[str] = set()  # one set for the whole list: a set per tag made 10,000 tags take 6 s
    for tag in text.split(","):
        cleaned = tag.strip()
        key = cleaned.casefold()
        if cleaned and key not in folded:
            folded.add(key)
            kept.append(cleaned)
    return kept


def count_words(text: str) -> int:
    """Words in English or Bengali text.

    A word is a whitespace-separated run holding at least one letter or digit, so Bengali vowel signs
    (combining marks) never split a word, and a lone dash or dari (।) is not counted.
    """
    if not text:
        return 0
    return len(text.split()) - len(_NO_WORD_TOKEN.findall(text))


# A whitespace-separated token with no letter or digit in it: a dash, a dari, a bullet.
_NO_WORD_TOKEN = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs are separated by blank lines; a single newline inside one is kept as a line break."""
    return [part.strip() for part in re.split(r"\n\s*\n", body) if part.strip()]


def over_limits(
    story: Story, *, headline_limit: int = DEFAULT_HEADLINE_LIMIT, summary_limit: int = DEFAULT_SUMMARY_LIMIT
) -> dict[str, str]:
    """The headline or summary longer than the page shows: a warning on a draft, a refusal at publish."""
    problems: dict[str, str] = {}
    if len(story.headline) > headline_limit:
        problems["headline"] = f"The headline is {len(story.headline)} characters; the limit is {headline_limit}."
    if len(story.summary) > summary_limit:
        problems["summary"] = f"The summary is {len(story.summary)} characters; the limit is {summary_limit}."
    return problems


def validate(
    story: Story,
    *,
    headline_limit: int = DEFAULT_HEADLINE_LIMIT,
    summary_limit: int = DEFAULT_SUMMARY_LIMIT,
    editorial: bool = True,
) -> dict[str, str]:
    """Problems that stop a save, by field name, each as one sentence a desk editor understands.

    Publishing has stricter checks (byline, body, embargo…) in the workflow; this is what any saved
    story must satisfy.  `editorial=False` leaves out the page's headline and summary limits: a draft
    over them is saved (with `over_limits` as a warning) and only publishing refuses it.
    """
    problems: dict[str, str] = {}
    if not story.headline.strip():
        problems["headline"] = "A story needs a headline."
    if editorial:
        problems.update(over_limits(story, headline_limit=headline_limit, summary_limit=summary_limit))
    problems.update(oversized_fields(story))  # past a ceiling says so, whatever the editorial limit
    if not story.slug:
        problems["slug"] = "A story needs a slug (it is made from the headline)."
    elif not SLUG_PATTERN.fullmatch(story.slug):
        problems["slug"] = "A slug is lower-case letters a-z, digits and single hyphens, e.g. padma-bridge-toll."
    if story.language not in LANGUAGES:
        problems["language"] = f"Language must be one of {', '.join(LANGUAGES)}, not {story.language!r}."
    if not (1 <= story.urgency <= 9):
        problems["urgency"] = "Urgency is 1 (flash) to 9; 5 is normal."
    if len(story.tags) > MAX_TAGS:
        problems["tags"] = f"A story takes at most {MAX_TAGS} tags; this one has {len(story.tags):,}."
    elif any(len(tag) > MAX_TAG_LENGTH for tag in story.tags):
        problems["tags"] = f"A tag is at most {MAX_TAG_LENGTH} characters; use the summary for more."
    return problems
