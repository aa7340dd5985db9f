"""The metadata form: everything about a story except its body, one compact line per field.

Inline validation: each field has a message line under it that appears only when something is wrong.
Messages can quote user text (a clashing story's headline), so they are `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from newsroom_tui.domain.model import (
    FIELD_CEILINGS,
    LANGUAGES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Status,
    Story,
    normalise_tags,
    now,
)
from newsroom_tui.domain.workflow import due_text
from newsroom_tui.text.bangla import is_bengali
from newsroom_tui.text.safety import for_display
from newsroom_tui.text.slugs import normalise_typed_slug, slug_from_headline
from newsroom_tui.tui.widgets.story_editor import SafeInput
from newsroom_tui.usecases.errors import UserError
from newsroom_tui.usecases.times import local_time, parse_embargo


class SlugHolder(Protocol):
    """What the slug check needs of the story holding a slug (a `Story`, or the list's `StoryRow`)."""

    @property
    def id(self) -> str: ...

    @property
    def headline(self) -> str: ...


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    placeholder: str = ""


TEXT_FIELDS = (
    # Placeholders say "e.g." or describe: a grey "Dhaka" told apart from a typed one only by colour
    # (242 vs 253; 90 vs 97 in 16 colours) read as data, and F9 then said there was no sign-off.
    FieldSpec("headline", "Headline", "what happened, in under 110 characters"),
    FieldSpec("slug", "Slug", "made from the headline"),
    FieldSpec("summary", "Summary", "the standfirst readers see under the headline"),
    FieldSpec("byline", "Byline", "e.g. Staff Correspondent"),
    FieldSpec("source", "Source", "e.g. risingbd.com, AFP"),
    FieldSpec("dateline", "Dateline", "e.g. Dhaka"),
    FieldSpec("desk", "Desk", "e.g. National, Sports"),
    FieldSpec("tags", "Tags", "comma, separated"),
    FieldSpec("credit", "Credit", "agency credit, e.g. AFP"),
    FieldSpec("sign_off", "Sign-off", "e.g. Dhaka/Shamera/AI"),
    FieldSpec("urgency", "Urgency", "1 (flash) … 9; 5 is normal"),
    FieldSpec("embargo", "Embargo", "e.g. 18:00, or YYYY-MM-DD 18:00; empty: none"),
    FieldSpec("ednote", "Ed. note", "for the desk, never published"),
)
LANGUAGE_NAMES = {"en": "English", "bn": "বাংলা (Bangla)"}
# Each box holds what its field may (a paste past it is refused with a message, not dropped unseen).
# Urgency takes two characters so that a digit typed after the 5 shows, with its message, rather than vanish.
FIELD_LENGTHS = {**FIELD_CEILINGS, "tags": MAX_TAGS * (MAX_TAG_LENGTH + 2), "urgency": 2, "embargo": 40}
# Fields that are not a string of the story's: read and shown through their own rules (below).
TYPED_FIELDS = ("tags", "urgency", "embargo")


def urgency_problem(value: str) -> str | None:
    """The sentence for an urgency that is not 1 to 9 (either digit script), or None."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    return None if 1 <= number <= 9 and len(value.strip()) == 1 else "Urgency is 1 (flash) to 9; 5 is normal."


class MetadataForm(VerticalScroll):
    """Fields of the open story.  Posts `Edited` when the editor changes anything."""

    class Edited(Message):
        def __init__(self, field: str) -> None:
            self.field = field
            super().__init__()

    def __init__(
        self,
        *,
        desks: tuple[str, ...] = (),
        limits: dict[str, int] | None = None,
        slug_owner: Callable[[str], SlugHolder | None] | None = None,
        ednote_sent: bool = False,
        zone: ZoneInfo | None = None,
        id: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, disabled=disabled)
        self.ednote_sent = ednote_sent  # `[export] send_ednote`: the note's placeholder must say so
        self.zone = zone or ZoneInfo("Asia/Dhaka")
        # What was typed but cannot be read (an impossible embargo): saving refuses while any is here, and
        # the story counts as unsaved, so the typed text is never dropped for the stored value unseen.
        self.typed_problems: dict[str, str] = {}
        self.desks = desks
        self.limits = limits or {}  # field -> character limit, counted live (headline, summary)
        self.slug_owner = slug_owner or (lambda slug: None)
        self.story_id: str | None = None
        self.slug_set_by_hand = False
        self.slug_follows_headline = True
        self.language_follows_headline = False
        self.loaded_language = "en"

    def compose(self) -> ComposeResult:
        for spec in TEXT_FIELDS:
            with Horizontal(classes="field-row", id=f"row-{spec.name}"):
                yield Static(spec.label, classes="field-label", markup=False)
                suggester = SuggestFromList(self.desks, case_sensitive=False) if spec.name == "desk" else None
                placeholder = spec.placeholder
                if spec.name == "ednote" and self.ednote_sent:
                    placeholder = "for the desk; partners get it in ninjs and NITF"
                yield SafeInput(
                    placeholder=placeholder,
                    id=f"field-{spec.name}",
                    compact=True,
                    suggester=suggester,
                    max_length=FIELD_LENGTHS.get(spec.name, 4000),
                    label=spec.label,
                )
                if spec.name in self.limits:
                    yield Static("", classes="field-count", id=f"count-{spec.name}", markup=False)
            yield Static("", classes="field-error", id=f"error-{spec.name}", markup=False)
            if spec.name == "headline":
                yield from self._compose_language()
            if spec.name == "embargo":  # when a scheduled story goes out: set and changed by F10's schedule
                with Horizontal(classes="field-row", id="row-schedule"):
                    yield Static("Goes out", classes="field-label", markup=False)
                    yield Static("", id="schedule-line", markup=False)

    def _compose_language(self) -> ComposeResult:
        with Horizontal(classes="field-row", id="row-language"):
            yield Static("Language", classes="field-label", markup=False)
            yield Select(
                [(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
                allow_blank=False,
                value="en",
                id="field-language",
                compact=True,
            )
        yield Static("", classes="field-error", id="error-language", markup=False)

    # -- loading and reading ------------------------------------------------------------------------
    def input(self, name: str) -> Input:
        return self.query_one(f"#field-{name}", Input)

    def load(self, story: Story) -> None:
        """Show `story` without marking anything as edited."""
        self.story_id = story.id
        self.slug_set_by_hand = story.slug_set_by_hand
        self.slug_follows_headline = story.is_new or (story.status.value == "draft" and not story.slug_set_by_hand)
        # A new story's language follows the script of its headline until the editor picks one (issue 13: a
        # Bangla headline stayed English until changed by hand).
        self.language_follows_headline = story.is_new
        for spec in TEXT_FIELDS:
            widget = self.input(spec.name)
            value = getattr(story, spec.name, "")
            if spec.name == "tags":
                value = ", ".join(story.tags)
            elif spec.name == "urgency":
                value = str(story.urgency)
            elif spec.name == "embargo":
                value = local_time(story.embargo_until, self.zone) if story.embargo_until else ""
            with widget.prevent(Input.Changed):
                widget.value = value
                widget.cursor_position = 0
        language = self.query_one("#field-language", Select)
        self.loaded_language = story.language if story.language in LANGUAGES else "en"
        with language.prevent(Select.Changed):
            language.value = self.loaded_language
        self.typed_problems = {}
        self.show_problems({})
        self.show_schedule(story)
        for name in self.limits:
            self._update_count(name)

    def show_schedule(self, story: Story) -> None:
        """`due 18:00 (Asia/Dhaka)` for a scheduled story, or `overdue since …`; the row is hidden otherwise."""
        text = due_text(story, now=now(), zone=self.zone) if story.status is Status.SCHEDULED else ""
        row = self.query_one("#row-schedule")
        row.display = bool(text)
        if text:
            style = "bold red" if text.startswith("overdue") else ""
            self.query_one("#schedule-line", Static).update(Text(f"{text} ({self.zone.key})", style=style))

    def _update_count(self, name: str) -> None:
        """`87/110`, red once over the limit: the desk sees the headline budget while writing it."""
        limit = self.limits[name]
        length = len(self.input(name).value)
        style = "bold red" if length > limit else "dim"
        self.query_one(f"#count-{name}", Static).update(Text(f"{length}/{limit}", style=style), layout=False)

    def saved(self, story: Story) -> None:
        """After a save: adopt what the store holds without moving the cursor or retyping fields.

        Only a field the save changed (a cleaned value, a derived slug) is rewritten, so keys the
        editor is still typing land where they were aimed.
        """
        self.story_id = story.id
        self.slug_set_by_hand = story.slug_set_by_hand
        self.slug_follows_headline = story.status.value == "draft" and not story.slug_set_by_hand
        for spec in TEXT_FIELDS:
            if spec.name in TYPED_FIELDS:
                continue
            widget = self.input(spec.name)
            value = getattr(story, spec.name)
            if widget.value != value and (spec.name == "slug" or widget.value.strip() != value):
                with widget.prevent(Input.Changed):
                    widget.value = value
        self.show_problems({})
        self.show_schedule(story)

    def apply_to(self, story: Story) -> Story:
        """`story` with the form's values; the urgency falls back to the old one when not a number."""
        values = {spec.name: self.input(spec.name).value for spec in TEXT_FIELDS}
        if self.slug_follows_headline:
            # Derived here, not only in the Changed handler: ctrl+s can run before the queued
            # Changed message of the last keystroke reaches us (fast typing over SSH).
            values["slug"] = slug_from_headline(values["headline"])
        try:
            urgency = int(values.pop("urgency").strip())
        except ValueError:
            urgency = -1  # validation reports it
        tags = normalise_tags(values.pop("tags"))
        embargo = self._embargo(values.pop("embargo"), story)
        language = self.query_one("#field-language", Select).value
        return story.copy(
            **values,
            tags=tags,
            urgency=urgency,
            embargo_until=embargo,
            language=str(language) if isinstance(language, str) else story.language,
            slug_set_by_hand=self.slug_set_by_hand,
        ).cleaned()

    def _embargo(self, typed: str, story: Story) -> datetime | None:
        """The typed embargo, or the story's own while what is typed cannot be read (`typed_problems` says
        so, and saving refuses): the stored one is never replaced by a guess."""
        try:
            return parse_embargo(typed, self.zone)
        except UserError:
            return story.embargo_until

    # -- validation ---------------------------------------------------------------------------------
    def show_problems(self, problems: dict[str, str]) -> None:
        problems = {**self.typed_problems, **{"embargo" if k == "embargo_until" else k: v for k, v in problems.items()}}
        for spec in (*TEXT_FIELDS, FieldSpec("language", "Language")):
            message = problems.get(spec.name, "")
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(Text(message, style="bold red") if message else "")
            error.display = bool(message)
            row = self.query_one(f"#row-{spec.name}")
            row.set_class(bool(message), "-invalid")

    def slug_problem(self, slug: str) -> str | None:
        owner = self.slug_owner(slug) if slug else None
        if owner is not None and owner.id != self.story_id:
            return f"Slug already used by “{for_display(owner.headline)}”; choose another."
        return None

    # -- events -------------------------------------------------------------------------------------
    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        if event.input.id is None:
            return
        name = event.input.id.removeprefix("field-")
        event.stop()
        if name in self.limits:
            self._update_count(name)
        if name == "headline" and self.language_follows_headline and any(char.isalpha() for char in event.value):
            self._follow_script(event.value)
        if name == "headline" and self.slug_follows_headline:
            slug_input = self.input("slug")
            with slug_input.prevent(Input.Changed):
                slug_input.value = slug_from_headline(event.value)
        if name == "slug":
            self.slug_set_by_hand = True
            self.slug_follows_headline = False
        if name in ("slug", "headline"):
            problem = self.slug_problem(self.input("slug").value)
            error = self.query_one("#error-slug", Static)
            error.update(Text(problem, style="bold red") if problem else "")
            error.display = bool(problem)
        if name == "urgency":  # as it is typed: "3" after the "5" once gave 35 and no word until ctrl+s
            self._show_problem("urgency", urgency_problem(event.value))
        if name == "embargo":
            self._check_embargo(event.value)
        self.post_message(self.Edited(name))

    def _check_embargo(self, typed: str) -> None:
        try:
            parse_embargo(typed, self.zone)
        except UserError as error:
            self.typed_problems["embargo"] = str(error)
        else:
            self.typed_problems.pop("embargo", None)
        self._show_problem("embargo", self.typed_problems.get("embargo"))

    def _show_problem(self, name: str, problem: str | None) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Text(problem, style="bold red") if problem else "")
        error.display = bool(problem)
        self.query_one(f"#row-{name}").set_class(bool(problem), "-invalid")

    @on(Input.Blurred, "#field-slug")
    def _tidy_slug(self, event: Input.Blurred) -> None:
        """A typed slug is tidied when the editor leaves the field (not while typing: it would fight)."""
        tidy = normalise_typed_slug(event.value)
        if tidy != event.value and tidy:
            event.input.value = tidy

    @on(Select.Changed, "#field-language")
    def _language_changed(self, event: Select.Changed) -> None:
        event.stop()
        # Select also announces the value it settles on when mounted: only a real change counts.
        if event.value != self.loaded_language:
            self.loaded_language = str(event.value)
            self.language_follows_headline = False  # chosen by hand: it stays
            self.post_message(self.Edited("language"))

    def _follow_script(self, headline: str) -> None:
        language = "bn" if is_bengali(headline) else "en"
        if language == self.loaded_language:
            return
        select = self.query_one("#field-language", Select)
        with select.prevent(Select.Changed):
            select.value = language
        self.loaded_language = language
        self.post_message(self.Edited("language"))
