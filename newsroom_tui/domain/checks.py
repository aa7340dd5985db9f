"""Checks before a story goes out: errors refuse publishing, warnings are shown and let it through.

Every check is a plain function returning sentences a desk editor can act on, so each is tested on its
own and `publish_checks` can list every problem at once instead of making the editor fix them one by one.
The workflow runs `publish_checks` for every action that puts copy in front of readers (publish,
schedule, correct); the UI runs it first as well to show the warnings in the confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.domain.model import DEFAULT_HEADLINE_LIMIT, Story, count_words, validate

if TYPE_CHECKING:
    from newsroom_tui.text.spelling import Speller

__all__ = [
    "SHORT_BODY_WORDS",
    "CheckResult",
    "check_body",
    "check_byline",
    "check_desk",
    "check_embargo",
    "check_headline",
    "check_lock",
    "check_saveable",
    "check_short_body",
    "check_sign_off",
    "check_slug",
    "check_spelling",
    "check_summary",
    "publish_checks",
]

# A body under this many words is usually a stub or a paste that went wrong (warning only).
SHORT_BODY_WORDS = 80

SlugOwner = Callable[[str], Story | None]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What the checks found: `errors` refuse publishing, `warnings` only inform."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- errors ---------------------------------------------------------------------------------------------
def check_headline(story: Story, *, limit: int = DEFAULT_HEADLINE_LIMIT) -> list[str]:
    """An empty headline, or one longer than the portal's page can show."""
    headline = story.headline.strip()
    if not headline:
        return ["The story has no headline."]
    if len(headline) > limit:
        return [f"The headline is {len(headline)} characters; the limit is {limit}."]
    return []


def check_byline(story: Story) -> list[str]:
    """Readers must see who filed the story; a source alone (risingbd.com) does not say who."""
    if story.byline.strip():
        return []
    return ["The story has no byline (e.g. News Desk or Staff Correspondent)."]


def check_body(story: Story) -> list[str]:
    if not story.body.strip():
        return ["The story has no body text."]
    return []


def check_slug(story: Story, slug_owner: SlugOwner) -> list[str]:
    """The slug is the story's URL, so it must exist and belong to no other story."""
    slug = story.slug.strip()
    if not slug:
        return ["The story has no slug (its web address)."]
    owner = slug_owner(slug)
    if owner is not None and owner.id != story.id:
        return [f"The slug “{slug}” is already used by “{owner.headline or owner.id}”; choose another."]
    return []


def check_embargo(story: Story, *, now: datetime) -> list[str]:
    """An embargo that has already passed on a first publication is almost always a mistyped date.

    A story that was published before (a correction, a republish after unpublishing) keeps the embargo
    it first went out with, so a past embargo is no longer a problem for it.
    """
    if story.embargo_until is None or story.published_at is not None:
        return []
    if story.embargo_until <= now:
        return [
            f"The embargo ({story.embargo_until.isoformat(timespec='minutes')}) is already past; "
            "clear it or set a later time."
        ]
    return []


def check_lock(story: Story, lock_holder: str | None, *, user: str | None = None) -> list[str]:
    """Someone else still has the story open: publishing now would go out without their changes."""
    if not lock_holder or lock_holder == user:
        return []
    return [f"{lock_holder} still has this story open; ask them to save and close it first."]


def check_saveable(story: Story, *, headline_limit: int = DEFAULT_HEADLINE_LIMIT) -> list[str]:
    """What any save refuses (slug pattern, summary length, language, urgency), so publish says it first."""
    problems = validate(story, headline_limit=headline_limit)
    # The headline and an empty slug have their own checks with publishing's wording.
    problems.pop("headline", None)
    if not story.slug.strip():
        problems.pop("slug", None)
    return list(problems.values())


# -- warnings -------------------------------------------------------------------------------------------
def check_summary(story: Story) -> list[str]:
    return [] if story.summary.strip() else ["There is no summary: search results and the home page will show none."]


def check_desk(story: Story) -> list[str]:
    return [] if story.desk.strip() else ["No desk is set, so the story appears in no section."]


def check_sign_off(story: Story) -> list[str]:
    return [] if story.sign_off.strip() else ["There is no desk sign-off (e.g. Dhaka/Shamera/AI)."]


SPELLING_WORDS_SHOWN = 8


def check_spelling(story: Story, speller: Speller | None, *, ignored: Iterable[str] = ()) -> list[str]:
    """Words no dictionary knows (a warning, never a refusal: names and new words are everyday copy)."""
    if speller is None:
        return []
    from newsroom_tui.domain.copydesk import check_story

    words: list[str] = []
    for finding in check_story(story, speller=speller, suggest=False, ignored=ignored):
        if finding.is_spelling and finding.word not in words:
            words.append(finding.word)
    if not words:
        return []
    shown = ", ".join(words[:SPELLING_WORDS_SHOWN]) + (" …" if len(words) > SPELLING_WORDS_SHOWN else "")
    noun = "word is" if len(words) == 1 else "words are"
    return [f"{len(words)} {noun} not in the dictionary: {shown} (the desk's F7 shows suggestions)."]


def check_short_body(story: Story, *, minimum: int = SHORT_BODY_WORDS) -> list[str]:
    """A very short body is allowed (a flash) but worth a second look; an empty one is an error instead."""
    words = count_words(story.body)
    if 0 < words < minimum:
        return [f"The body is only {words} words (under {minimum})."]
    return []


# -- all of them ----------------------------------------------------------------------------------------
def publish_checks(
    story: Story,
    *,
    slug_owner: SlugOwner,
    now: datetime,
    headline_limit: int = DEFAULT_HEADLINE_LIMIT,
    lock_holder: str | None = None,
    user: str | None = None,
    speller: Speller | None = None,
    ignored_words: Iterable[str] = (),
) -> CheckResult:
    """Every problem at once: errors that refuse publishing, then warnings that only inform.

    `slug_owner(slug)` says who holds a slug (the store's `slug_owner`); `lock_holder` is the editor
    holding the story's lock, if any (a lock held by `user`, the one publishing, is no problem).
    """
    errors = [
        *check_headline(story, limit=headline_limit),
        *check_byline(story),
        *check_body(story),
        *check_slug(story, slug_owner),
        *check_saveable(story, headline_limit=headline_limit),
        *check_embargo(story, now=now),
        *check_lock(story, lock_holder, user=user),
    ]
    warnings = [
        *check_summary(story),
        *check_desk(story),
        *check_sign_off(story),
        *check_short_body(story),
        *check_spelling(story, speller, ignored=ignored_words),
    ]
    return CheckResult(errors=errors, warnings=warnings)
