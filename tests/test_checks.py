"""Pre-publish checks, one by one, then all of them at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsroom_tui.domain.checks import (
    SHORT_BODY_WORDS,
    CheckResult,
    check_body,
    check_byline,
    check_desk,
    check_embargo,
    check_headline,
    check_lock,
    check_saveable,
    check_short_body,
    check_sign_off,
    check_slug,
    check_summary,
    publish_checks,
)
from newsroom_tui.domain.model import Story

NOW = datetime(2024, 4, 26, 6, 0, tzinfo=UTC)


def good(**changes: object) -> Story:
    values: dict[str, object] = {
        "headline": "Padma bridge toll cut",
        "slug": "padma-bridge-toll-cut",
        "byline": "Staff Correspondent",
        "body": " ".join(["word"] * SHORT_BODY_WORDS),
        "summary": "Tolls fall.",
        "desk": "National",
        "sign_off": "Dhaka/Shamera/AI",
    }
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def nobody(slug: str) -> Story | None:
    return None


def test_a_good_story_passes_clean():
    assert publish_checks(good(), slug_owner=nobody, now=NOW) == CheckResult([], [])
    assert CheckResult().ok


def test_headline_empty_and_too_long():
    assert check_headline(good(headline="  ")) == ["The story has no headline."]
    assert check_headline(good(headline="x" * 110)) == []
    assert check_headline(good(headline="x" * 111)) == ["The headline is 111 characters; the limit is 110."]
    assert check_headline(good(headline="x" * 21), limit=20) == ["The headline is 21 characters; the limit is 20."]
    assert check_headline(good(headline="পদ্মা সেতুর টোল কমল")) == []


def test_byline_body_slug_must_not_be_empty():
    assert check_byline(good(byline=" ", source="risingbd.com")) != []
    assert check_body(good(body="\n\n ")) == ["The story has no body text."]
    assert check_slug(good(slug=""), nobody) == ["The story has no slug (its web address)."]


def test_slug_owned_by_another_story_but_not_by_itself():
    story = good()
    other = good(headline="Another story")
    assert check_slug(story, lambda slug: story) == []
    assert check_slug(story, lambda slug: other) == [
        "The slug “padma-bridge-toll-cut” is already used by “Another story”; choose another."
    ]


def test_embargo_in_the_past_only_matters_before_the_first_publication():
    assert check_embargo(good(embargo_until=NOW + timedelta(minutes=1)), now=NOW) == []
    assert check_embargo(good(embargo_until=NOW), now=NOW)[0].startswith("The embargo (2024-04-26T06:00+00:00)")
    assert check_embargo(good(embargo_until=NOW, published_at=NOW - timedelta(days=1)), now=NOW) == []
    assert check_embargo(good(), now=NOW) == []


def test_lock_held_by_another_editor():
    assert check_lock(good(), None) == []
    assert check_lock(good(), "bob") == ["bob still has this story open; ask them to save and close it first."]
    assert check_lock(good(), "bob", user="bob") == []


def test_what_a_save_refuses_is_reported_too():
    assert check_saveable(good(slug="Not A Slug"))[0].startswith("A slug is lower-case")
    assert check_saveable(good(urgency=12)) == ["Urgency is 1 (flash) to 9; 5 is normal."]
    assert check_saveable(good(slug="", headline="")) == []  # their own checks say it


def test_warnings_one_by_one():
    assert check_summary(good(summary="")) != [] and check_summary(good()) == []
    assert check_desk(good(desk="")) != [] and check_desk(good()) == []
    assert check_sign_off(good(sign_off="")) != [] and check_sign_off(good()) == []
    assert check_short_body(good(body="A flash.")) == [f"The body is only 2 words (under {SHORT_BODY_WORDS})."]
    assert check_short_body(good(body="")) == [], "an empty body is an error, not also a warning"
    assert check_short_body(good(body="ঢাকায় " * 80)) == []


def test_every_problem_at_once():
    story = good(
        headline="x" * 120, byline="", body="", slug="taken", embargo_until=NOW - timedelta(hours=1),
        summary="", desk="", sign_off="",
    )  # fmt: skip
    result = publish_checks(story, slug_owner=lambda s: good(id="other"), now=NOW, lock_holder="bob", user="alice")
    assert not result.ok
    assert len(result.errors) == 6, result.errors
    assert len(result.warnings) == 3, result.warnings
    for word in ("headline", "byline", "body", "slug", "embargo", "bob"):
        assert any(word in error for error in result.errors), word
