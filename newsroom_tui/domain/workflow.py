"""The status machine: which action may move a story from which status to which, and what each stamps.

After Superdesk's states, simplified for one desk::

    draft ─submit→ submitted ─mark_edited→ edited ─publish→ published ─correct(note)→ corrected ─correct→ …
    draft / submitted / edited ─publish→ published, or ─schedule(at)→ scheduled ─publish (when due)→ published
    scheduled ─deschedule→ the status it had
    published / corrected ─unpublish→ unpublished ─publish→ published
    published / corrected / unpublished ─kill(reason)→ killed, for good
    draft / submitted / edited / unpublished ─spike→ spiked ─unspike→ the status it had

`TRANSITIONS` is the one table of what is allowed; `apply_action` refuses anything else with a
`WorkflowError` whose message says why, in a sentence for the desk.  Actions are pure: they return a
changed copy with the transition appended to `story.history` ({action, from, to, by, at, note}); the
caller saves it (the store increments the version).  Publishing, scheduling and correcting run the
checks in `checks.py` first and refuse with every problem listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

from newsroom_tui.domain.checks import CheckResult, publish_checks
from newsroom_tui.domain.errors import WorkflowError
from newsroom_tui.domain.model import DEFAULT_HEADLINE_LIMIT, LIVE_STATUSES, Status, Story, is_overdue
from newsroom_tui.text.safety import clean_line
from newsroom_tui.text.wording import one_of

__all__ = [
    "ACTIONS",
    "DELIVERING_ACTIONS",
    "LIVE_STATUSES",
    "TRANSITIONS",
    "ChecksFailed",
    "Transition",
    "WorkflowError",
    "allowed_actions",
    "apply_action",
    "can",
    "due_for_publishing",
    "history_entry",
    "kill_notice",
    "last_entry",
    "record_event",
    "refusal",
]

S = Status


class ChecksFailed(WorkflowError):
    """The pre-publish checks found errors; `result` holds them all (and the warnings)."""

    def __init__(self, action: str, result: CheckResult) -> None:
        self.action = action
        self.result = result
        problems = " ".join(result.errors)
        super().__init__(f"The story cannot be {_PAST[action]} yet: {problems}")


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: `action` moves a story in one of `sources` to `target`.

    `target` None means "back to the status it had" (`story.previous_status`), for unspike and deschedule.
    `checks` marks the actions that put copy in front of readers and so run the pre-publish checks;
    `delivers` those whose saved result goes to the targets (copy, a correction, a withdrawal, a kill notice).
    """

    action: str
    sources: frozenset[Status]
    target: Status | None
    checks: bool = False
    delivers: bool = False


def _row(
    action: str, sources: Iterable[Status], target: Status | None, *, checks: bool = False, delivers: bool = False
) -> Transition:
    return Transition(action, frozenset(sources), target, checks, delivers)


# The one table of allowed transitions.
TRANSITIONS: Mapping[str, Transition] = {
    row.action: row
    for row in (
        _row("submit", [S.DRAFT], S.SUBMITTED),
        _row("mark_edited", [S.DRAFT, S.SUBMITTED], S.EDITED),
        # A desk editor may publish straight from any desk status, as in Superdesk: submit and
        # mark_edited record who did what, they are not gates.
        _row(
            "publish",
            [S.DRAFT, S.SUBMITTED, S.EDITED, S.SCHEDULED, S.UNPUBLISHED],
            S.PUBLISHED,
            checks=True,
            delivers=True,
        ),
        _row("schedule", [S.DRAFT, S.SUBMITTED, S.EDITED, S.SCHEDULED], S.SCHEDULED, checks=True),
        _row("deschedule", [S.SCHEDULED], None),
        _row("correct", [S.PUBLISHED, S.CORRECTED], S.CORRECTED, checks=True, delivers=True),
        _row("unpublish", [S.PUBLISHED, S.CORRECTED], S.UNPUBLISHED, delivers=True),
        _row("kill", [S.PUBLISHED, S.CORRECTED, S.UNPUBLISHED], S.KILLED, delivers=True),
        _row("spike", [S.DRAFT, S.SUBMITTED, S.EDITED, S.UNPUBLISHED], S.SPIKED),
        _row("unspike", [S.SPIKED], None),
    )
}
ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)
DELIVERING_ACTIONS = frozenset(action for action, row in TRANSITIONS.items() if row.delivers)

_PAST = {
    "submit": "submitted",
    "mark_edited": "marked as edited",
    "publish": "published",
    "schedule": "scheduled",
    "deschedule": "taken off the schedule",
    "correct": "corrected",
    "unpublish": "unpublished",
    "kill": "killed",
    "spike": "spiked",
    "unspike": "unspiked",
    # Not workflow steps, but writes a sentence names the same way (the lock rule's refusals).
    "restore": "restored",
    "fix": "fixed",
    "save": "saved",
}


def past_tense(action: str) -> str:
    """How a sentence says an action was done: "published", "taken off the schedule"."""
    return _PAST.get(action, action.replace("_", " "))


# Where unspike or deschedule go when the story does not say (stores written before previous_status).
_FALLBACK_RETURN = {"unspike": S.DRAFT, "deschedule": S.EDITED}
# The arguments each action takes besides user and now; `note` (free text for the history) fits all.
# `checked`: the CheckResult the caller already ran (the use cases run the checks once, before anything).
_CHECK_ARGS = frozenset({"slug_owner", "headline_limit", "lock_holder", "checked"})
_ARGS: Mapping[str, frozenset[str]] = {
    "schedule": frozenset({"at"}) | _CHECK_ARGS,
    "publish": _CHECK_ARGS,
    "correct": _CHECK_ARGS,
    "kill": frozenset({"reason"}),
}


# -- why an action is refused ---------------------------------------------------------------------------
_NOT_YET_LIVE = "it has not been published yet"
_HINTS: Mapping[tuple[str, Status], str] = {
    ("publish", S.PUBLISHED): "it is already live, so use correct to republish a change",
    ("publish", S.CORRECTED): "it is already live, so use correct to republish a change",
    ("schedule", S.PUBLISHED): "it is already live, so use correct to republish a change",
    ("schedule", S.CORRECTED): "it is already live, so use correct to republish a change",
    ("schedule", S.UNPUBLISHED): "publish it again, or spike it",
    ("submit", S.SUBMITTED): "it is already on the desk",
    ("submit", S.EDITED): "it is already on the desk",
    ("correct", S.UNPUBLISHED): "publish it again, then correct it",
    ("correct", S.SCHEDULED): f"{_NOT_YET_LIVE}, so deschedule it and edit it instead",
    ("kill", S.SCHEDULED): f"{_NOT_YET_LIVE}, so deschedule it instead",
    ("unpublish", S.SCHEDULED): f"{_NOT_YET_LIVE}, so deschedule it instead",
    ("unpublish", S.UNPUBLISHED): "it is already off the site",
    ("spike", S.SCHEDULED): "deschedule it first",
    ("spike", S.SPIKED): "it is already on the spike",
    ("mark_edited", S.EDITED): "it is already marked as edited",
    ("spike", S.PUBLISHED): "kill it to withdraw it, or unpublish it first",
    ("spike", S.CORRECTED): "kill it to withdraw it, or unpublish it first",
}


def _status_hint(action: str, status: Status) -> str:
    if status is S.KILLED:
        return "it was withdrawn for good, so write a new story if it must run again"
    if status is S.SPIKED:
        return "unspike it first"
    if action == "unspike":
        return "only a spiked story can be unspiked"
    if action == "deschedule":
        return "only a scheduled story can be taken off the schedule"
    if action in ("correct", "unpublish", "kill"):
        return f"{_NOT_YET_LIVE}, so spike it to take it off the desk" if action == "kill" else _NOT_YET_LIVE
    if status in LIVE_STATUSES:
        return "it is already live, so changes go out with correct"
    if status is S.SCHEDULED:
        return "deschedule it first"
    possible = [_PAST[action] for action, row in TRANSITIONS.items() if status in row.sources]
    return f"from here it can only be {one_of(possible)}"


def _with_article(word: str) -> str:
    return f"{'An' if word[0] in 'aeiou' else 'A'} {word}"


def refusal(story: Story, action: str) -> str | None:
    """Why `action` is not allowed on `story` now, as one sentence, or None when it is allowed.

    The UI can show it beside a greyed-out command without trying the action.
    """
    transition = _transition(action)
    status = story.status
    if status in transition.sources:
        return None
    hint = _HINTS.get((action, status)) or _status_hint(action, status)
    return f"{_with_article(status.value)} story cannot be {_PAST[action]}; {hint}."


def can(story: Story, action: str) -> bool:
    return refusal(story, action) is None


def allowed_actions(story: Story) -> list[str]:
    """The actions the table allows from the story's status, in the table's order."""
    return [action for action, row in TRANSITIONS.items() if story.status in row.sources]


# -- history --------------------------------------------------------------------------------------------
def history_entry(
    action: str,
    *,
    from_status: Status,
    to_status: Status,
    user: str,
    now: datetime,
    note: str = "",
    **extra: str | int | bool | None,
) -> dict[str, Any]:
    """One history entry as plain JSON (the store writes it as it is): who did what, when, and why."""
    entry: dict[str, Any] = {
        "action": action,
        "from": from_status.value,
        "to": to_status.value,
        "by": clean_line(user),
        "at": _aware(now, "now").isoformat(),
        "note": clean_line(note),
    }
    entry.update(extra)
    return entry


def record_event(
    story: Story, action: str, *, user: str, now: datetime, note: str = "", **extra: str | int | bool | None
) -> Story:
    """A copy with an event that is not a transition (a delivery, say) added to the history."""
    entry = history_entry(
        action, from_status=story.status, to_status=story.status, user=user, now=now, note=note, **extra
    )
    return story.copy(history=[*story.history, entry])


# What `restore` brings back from an old version: the words and metadata, not the workflow state
# (status, publication and correction stamps stay as they are now, so a restore cannot unpublish).
RESTORED_FIELDS = (
    "headline", "body", "slug", "summary", "byline", "source", "dateline", "credit", "sign_off",
    "desk", "tags", "language", "urgency", "ednote", "slug_set_by_hand",
)  # fmt: skip


def restored_version(current: Story, old: Story, *, user: str, now: datetime) -> Story:
    """`current` with `old`'s words and metadata and a history entry saying so, for every backend:
    without it the history read "changed body" where the editor had restored version 1."""
    restored = current.copy(**{name: getattr(old, name) for name in RESTORED_FIELDS if name != "tags"})
    restored.tags = list(old.tags)  # Story.copy() passes tags itself
    return record_event(restored, "restore", user=user, now=now, version=old.version)


def last_entry(story: Story, action: str) -> dict[str, Any] | None:
    """The newest history entry for `action`, or None."""
    return next((entry for entry in reversed(story.history) if entry.get("action") == action), None)


# -- applying an action ---------------------------------------------------------------------------------
def apply_action(story: Story, action: str, *, user: str, now: datetime, **args: Any) -> Story:
    """The story after `action` by `user` at `now`: a changed copy; the caller saves it.

    Arguments by action: schedule(at=datetime), kill(reason=str), correct(note=str); publish, schedule
    and correct take `slug_owner`, `headline_limit` and `lock_holder` for the checks (or `checked`, the
    result of checks the caller ran on this same story already); any action takes
    a `note` for the history.  Raises WorkflowError (ChecksFailed for failed checks) and changes nothing.
    """
    transition = _transition(action)
    unexpected = set(args) - _ARGS.get(action, frozenset()) - {"note"}
    if unexpected:
        raise TypeError(f"{action} takes no argument {', '.join(sorted(unexpected))}")
    now = _aware(now, "now")
    _within_story_years(now, "The time now")
    why = refusal(story, action)
    if why is not None:
        raise WorkflowError(why)
    note = clean_line(str(args.get("note") or ""))
    changes: dict[str, Any] = {"updated_at": now, "updated_by": user}
    extra: dict[str, str | int | bool | None] = {}

    if action == "schedule":
        at = args.get("at")
        if not isinstance(at, datetime):
            raise WorkflowError("Say when the story should go out: schedule needs a date and time.")
        at = _aware(at, "the scheduled time")
        _within_story_years(at, "The scheduled time")
        if at <= now:
            raise WorkflowError(
                f"A story can only be scheduled for a later time; {at.isoformat(timespec='minutes')} has passed."
            )
        changes["scheduled_at"] = at
        if story.status is not S.SCHEDULED:
            changes["previous_status"] = story.status
        extra["scheduled_for"] = at.isoformat()
    elif action == "kill":
        reason = clean_line(str(args.get("reason") or ""))
        if not reason:
            raise WorkflowError("Say why the story is killed: the reason goes to everyone who received it.")
        note = reason
    elif action == "correct":
        correction = clean_line(str(args.get("note") or ""))
        if not correction:
            raise WorkflowError("A correction needs a note telling readers what was corrected.")
        changes["correction_sequence"] = story.correction_sequence + 1
        changes["correction_note"] = correction
        changes["sent_version"] = story.version + 1  # the version the store gives this change
    elif action == "publish":
        changes["published_at"] = story.published_at or now
        changes["scheduled_at"] = None
        changes["previous_status"] = None
        changes["sent_version"] = story.version + 1
    elif action == "spike":
        changes["previous_status"] = story.status
    elif action in ("unspike", "deschedule"):
        changes["previous_status"] = None
        if action == "deschedule":
            changes["scheduled_at"] = None

    if action in ("unpublish", "kill"):
        changes["sent_version"] = None  # off the site: nothing live to be out of date
    target = transition.target
    if target is None:  # back to the status it had; never onto the spike again, nor a schedule long gone
        back = story.previous_status
        target = back if back is not None and back not in (S.SPIKED, S.SCHEDULED) else _FALLBACK_RETURN[action]
    changed = story.copy(status=target, **changes)

    if transition.checks:  # on the story as it was: the embargo check must see whether it went out before
        checked = args.get("checked")
        result = (
            checked
            if isinstance(checked, CheckResult)
            else publish_checks(
                story,
                slug_owner=args.get("slug_owner") or _nobody,
                now=now,
                headline_limit=int(args.get("headline_limit") or DEFAULT_HEADLINE_LIMIT),
                lock_holder=args.get("lock_holder"),
                user=user,
            )
        )
        if not result.ok:
            raise ChecksFailed(action, result)

    entry = history_entry(action, from_status=story.status, to_status=target, user=user, now=now, note=note, **extra)
    changed.history = [*story.history, entry]
    return changed


def due_for_publishing(stories: Iterable[Story], *, now: datetime) -> list[Story]:
    """Scheduled stories whose time has come, oldest schedule first: what the scheduler publishes."""
    now = _aware(now, "now")
    due = [s for s in stories if s.status is S.SCHEDULED and s.scheduled_at is not None and s.scheduled_at <= now]
    return sorted(due, key=lambda s: s.scheduled_at or now)


def next_due(stories: Iterable[Story], *, after: datetime) -> datetime | None:
    """The earliest schedule among `stories` still to come after `after`, or None.  One already due is not
    "next": a story that failed to publish (its lock held, a check refusing it) stays scheduled in the past,
    and `publish-due --watch` then woke every half second for it, writing the same failure each time."""
    times = [
        s.scheduled_at
        for s in stories
        if s.status is S.SCHEDULED and s.scheduled_at is not None and s.scheduled_at > after
    ]
    return min(times, default=None)


class Scheduling(Protocol):
    """What `due_text` reads: a Story, or the list's row of one (domain.listing.StoryRow)."""

    @property
    def status(self) -> Status: ...
    @property
    def scheduled_at(self) -> datetime | None: ...


def due_text(story: Scheduling, *, now: datetime, zone: tzinfo) -> str:
    """When a scheduled story goes out, as the desk shows it: "due 18:00" (with the date when it is not
    today), "overdue since 13:43" once the time has passed and nothing published it; "" otherwise."""
    if story.status is not S.SCHEDULED or story.scheduled_at is None:
        return ""
    at = story.scheduled_at.astimezone(zone)
    today = _aware(now, "now").astimezone(zone).date()
    shown = at.strftime("%H:%M") if at.date() == today else at.strftime("%d %b %H:%M")
    return f"overdue since {shown}" if is_overdue(story.status, story.scheduled_at, now) else f"due {shown}"


# -- the kill notice ------------------------------------------------------------------------------------
_KILL_HEADLINE = {"en": "KILL: {headline}", "bn": "প্রত্যাহার: {headline}"}
_KILL_BODY = {
    "en": "This story has been withdrawn and must not be published or kept online. Reason: {reason}",
    "bn": "এই সংবাদটি প্রত্যাহার করা হয়েছে; এটি প্রকাশ করা বা অনলাইনে রাখা যাবে না। কারণ: {reason}",
}


def kill_notice(story: Story) -> Story:
    """What goes out in place of a killed story: same id and slug, a withdrawal notice as the copy.

    Subscribers replace what they have under the same id or file name, so the words of the killed
    story must not travel again; the reason comes from the kill's history entry.
    """
    language = "bn" if story.language == "bn" else "en"
    entry = last_entry(story, "kill")
    reason = str(entry.get("note") or "") if entry else ""
    reason = reason or ("উল্লেখ নেই" if language == "bn" else "not given")
    return story.copy(
        headline=_KILL_HEADLINE[language].format(headline=story.headline),
        summary="",
        body=_KILL_BODY[language].format(reason=reason),
        credit="",
        tags=[],
        ednote=f"Kill: {reason}",
    )


# -- helpers --------------------------------------------------------------------------------------------
def _transition(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise WorkflowError(f"There is no workflow action {action!r}; the actions are {', '.join(ACTIONS)}.") from None


def _within_story_years(moment: datetime, what: str) -> None:
    from newsroom_tui.text.bangla import check_year

    try:
        check_year(moment, what)
    except ValueError as error:
        raise WorkflowError(f"{error}.") from None


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise WorkflowError(f"{what[0].upper()}{what[1:]} needs a time zone (got {value.isoformat()}).")
    return value


def _nobody(slug: str) -> Story | None:
    return None
