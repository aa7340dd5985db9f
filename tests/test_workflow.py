"""The status machine: the table, each action's checks and stamps, refusals that say why, history."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.workflow import (
    ACTIONS,
    TRANSITIONS,
    ChecksFailed,
    WorkflowError,
    allowed_actions,
    apply_action,
    can,
    due_for_publishing,
    kill_notice,
    last_entry,
    record_event,
    refusal,
)
from newsroom_tui.storage.store import StoryStore

NOW = datetime(2024, 4, 26, 6, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
BODY = " ".join(["word"] * 120)


def ready(status: Status = Status.EDITED, **changes: object) -> Story:
    """A story that passes every publish check."""
    values: dict[str, object] = {
        "headline": "Padma bridge toll cut",
        "slug": "padma-bridge-toll-cut",
        "byline": "Staff Correspondent",
        "body": BODY,
        "summary": "Tolls fall by a tenth.",
        "desk": "National",
        "sign_off": "Dhaka/Shamera/AI",
        "status": status,
        "version": 3,
    }
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def act(story: Story, action: str, **args: object) -> Story:
    return apply_action(story, action, user="alice", now=NOW, **args)


# -- the table ------------------------------------------------------------------------------------------
def test_every_action_is_in_the_one_table():
    assert set(ACTIONS) == {
        "submit", "mark_edited", "publish", "schedule", "deschedule", "correct", "unpublish", "kill", "spike",
        "unspike",
    }  # fmt: skip
    assert all(row.action == name for name, row in TRANSITIONS.items())


def test_killed_allows_nothing_and_spiked_only_unspike():
    assert allowed_actions(ready(Status.KILLED)) == []
    assert allowed_actions(ready(Status.SPIKED)) == ["unspike"]


def test_allowed_actions_follow_the_table():
    assert allowed_actions(ready(Status.DRAFT)) == ["submit", "mark_edited", "publish", "schedule", "spike"]
    assert allowed_actions(ready(Status.PUBLISHED)) == ["correct", "unpublish", "kill"]
    assert allowed_actions(ready(Status.UNPUBLISHED)) == ["publish", "kill", "spike"]
    assert allowed_actions(ready(Status.SCHEDULED)) == ["publish", "schedule", "deschedule"]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_refusal_is_a_sentence_that_names_status_and_action(status, action):
    story = ready(status)
    why = refusal(story, action)
    assert (why is None) == (action in allowed_actions(story)) == can(story, action)
    if why is not None:
        assert why.endswith(".") and status.value in why and "cannot be" in why
        args = {"schedule": {"at": LATER}, "kill": {"reason": "r"}, "correct": {"note": "n"}}.get(action, {})
        with pytest.raises(WorkflowError, match="cannot be"):
            act(story, action, **args)


def test_a_killed_story_cannot_be_published_and_says_why():
    with pytest.raises(WorkflowError) as caught:
        act(ready(Status.KILLED), "publish")
    assert str(caught.value).startswith("A killed story cannot be published; ")
    assert "withdrawn" in str(caught.value)


def test_a_refusal_uses_the_right_article():
    assert str(refusal(ready(Status.EDITED), "correct")).startswith("An edited story")
    assert str(refusal(ready(Status.UNPUBLISHED), "correct")).startswith("An unpublished story")


def test_unknown_action_lists_the_actions():
    with pytest.raises(WorkflowError, match=r"no workflow action 'approve'.*publish"):
        act(ready(), "approve")


def test_unexpected_arguments_are_a_programming_error():
    with pytest.raises(TypeError, match="reason"):
        act(ready(), "publish", reason="why")


def test_naive_now_is_refused():
    with pytest.raises(WorkflowError, match="time zone"):
        apply_action(ready(), "submit", user="alice", now=datetime(2024, 1, 1))


# -- each action -----------------------------------------------------------------------------------------
def test_submit_and_mark_edited_record_who_and_when():
    story = act(act(ready(Status.DRAFT), "submit"), "mark_edited")
    assert story.status is Status.EDITED
    assert [(e["action"], e["from"], e["to"], e["by"], e["at"]) for e in story.history] == [
        ("submit", "draft", "submitted", "alice", NOW.isoformat()),
        ("mark_edited", "submitted", "edited", "alice", NOW.isoformat()),
    ]
    assert story.updated_by == "alice" and story.updated_at == NOW


def test_actions_are_pure():
    story = ready()
    before = story.copy()
    published = act(story, "publish")
    assert story == before and story.history == [] and published is not story
    assert published.history is not story.history


def test_publish_stamps_published_at_once_and_updated_at_each_time():
    first = act(ready(), "publish")
    assert first.status is Status.PUBLISHED and first.published_at == NOW and first.updated_at == NOW
    unpublished = act(first, "unpublish")
    again = apply_action(unpublished, "publish", user="bob", now=LATER)
    assert again.published_at == NOW, "a republish keeps the first publication time"
    assert again.updated_at == LATER and again.history[-1]["by"] == "bob"


def test_publish_runs_every_check_and_lists_every_problem():
    story = ready(headline="", byline="", body="", slug="")
    with pytest.raises(ChecksFailed) as caught:
        act(story, "publish")
    errors = caught.value.result.errors
    assert len(errors) == 4
    for word in ("headline", "byline", "body", "slug"):
        assert word in str(caught.value)
    assert story.status is Status.EDITED


def test_publish_checks_use_the_slug_owner_and_lock_holder():
    other = ready(id="other", headline="Other story")
    with pytest.raises(ChecksFailed, match="already used by “Other story”"):
        act(ready(), "publish", slug_owner=lambda slug: other)
    with pytest.raises(ChecksFailed, match="bob still has this story open"):
        act(ready(), "publish", lock_holder="bob")
    assert act(ready(), "publish", lock_holder="alice").status is Status.PUBLISHED
    with pytest.raises(ChecksFailed, match="limit is 10"):
        act(ready(), "publish", headline_limit=10)


def test_a_first_publication_with_a_past_embargo_is_refused():
    with pytest.raises(ChecksFailed, match="embargo"):
        act(ready(embargo_until=NOW - timedelta(minutes=1)), "publish")
    assert act(ready(embargo_until=NOW + timedelta(minutes=1)), "publish").status is Status.PUBLISHED


def test_warnings_do_not_block_publishing():
    story = act(ready(summary="", desk="", sign_off="", body="Short flash."), "publish")
    assert story.status is Status.PUBLISHED


def test_schedule_needs_a_future_time_and_publish_clears_it():
    with pytest.raises(WorkflowError, match="needs a date and time"):
        act(ready(), "schedule")
    with pytest.raises(WorkflowError, match="later time"):
        act(ready(), "schedule", at=NOW - timedelta(minutes=1))
    with pytest.raises(WorkflowError, match="time zone"):
        act(ready(), "schedule", at=datetime(2030, 1, 1))
    scheduled = act(ready(Status.SUBMITTED), "schedule", at=LATER)
    assert scheduled.status is Status.SCHEDULED and scheduled.scheduled_at == LATER
    assert scheduled.history[-1]["scheduled_for"] == LATER.isoformat()
    rescheduled = act(scheduled, "schedule", at=LATER + timedelta(hours=1))
    assert rescheduled.previous_status is Status.SUBMITTED
    published = apply_action(rescheduled, "publish", user="scheduler", now=LATER + timedelta(hours=1))
    assert published.scheduled_at is None and published.previous_status is None
    assert published.published_at == LATER + timedelta(hours=1)


def test_schedule_runs_the_checks_too():
    with pytest.raises(ChecksFailed, match="no byline"):
        act(ready(byline=""), "schedule", at=LATER)


def test_deschedule_returns_to_the_status_it_had():
    scheduled = act(ready(Status.DRAFT), "schedule", at=LATER)
    back = act(scheduled, "deschedule")
    assert back.status is Status.DRAFT and back.scheduled_at is None and back.previous_status is None


def test_due_for_publishing_picks_scheduled_stories_whose_time_has_come():
    soon = act(ready(id="a"), "schedule", at=NOW + timedelta(minutes=5))
    late = act(ready(id="b", slug="b"), "schedule", at=NOW + timedelta(hours=5))
    sooner = act(ready(id="c", slug="c"), "schedule", at=NOW + timedelta(minutes=1))
    due = due_for_publishing([late, soon, ready(id="d"), sooner], now=NOW + timedelta(minutes=10))
    assert [s.id for s in due] == ["c", "a"]


def test_kill_needs_a_reason_and_records_it():
    published = act(ready(), "publish")
    with pytest.raises(WorkflowError, match="Say why"):
        act(published, "kill", reason="  ")
    killed = act(published, "kill", reason="Legal: wrong name")
    assert killed.status is Status.KILLED
    assert killed.history[-1]["note"] == "Legal: wrong name"
    assert last_entry(killed, "kill") == killed.history[-1]


def test_spike_and_unspike_restore_the_status():
    for status in (Status.DRAFT, Status.SUBMITTED, Status.EDITED, Status.UNPUBLISHED):
        spiked = act(ready(status), "spike", note="duplicate")
        assert spiked.status is Status.SPIKED and spiked.previous_status is status
        assert spiked.history[-1]["note"] == "duplicate"
        back = act(spiked, "unspike")
        assert back.status is status and back.previous_status is None


def test_unspike_of_an_old_spiked_story_goes_back_to_draft():
    assert act(ready(Status.SPIKED, previous_status=None), "unspike").status is Status.DRAFT


def test_correct_republishes_as_a_new_correction():
    published = act(ready(), "publish")
    with pytest.raises(WorkflowError, match="needs a note"):
        act(published, "correct")
    corrected = apply_action(published, "correct", user="bob", now=LATER, note="Fixed the toll figure.")
    assert corrected.status is Status.CORRECTED
    assert corrected.correction_sequence == 1 and corrected.correction_note == "Fixed the toll figure."
    assert corrected.published_at == NOW and corrected.updated_at == LATER
    again = act(corrected, "correct", note="Fixed the date.")
    assert again.correction_sequence == 2 and again.history[-1]["from"] == "corrected"


def test_correcting_a_story_published_under_an_embargo_is_not_blocked_by_it():
    embargoed = ready(embargo_until=NOW + timedelta(minutes=30))
    published = act(embargoed, "publish")
    later = apply_action(published, "correct", user="alice", now=NOW + timedelta(days=1), note="typo")
    assert later.status is Status.CORRECTED


def test_history_notes_are_cleaned():
    story = act(ready(Status.DRAFT), "spike", note="a\x1b[31m\nb")
    assert story.history[-1]["note"] == "a b"


def test_record_event_adds_a_non_transition():
    story = record_event(ready(Status.PUBLISHED), "deliver", user="alice", now=NOW, note="ok", target="outbox")
    assert story.history[-1] == {
        "action": "deliver", "from": "published", "to": "published", "by": "alice", "at": NOW.isoformat(),
        "note": "ok", "target": "outbox",
    }  # fmt: skip


def test_kill_notice_replaces_the_copy_in_the_story_language():
    killed = act(act(ready(credit="AFP", tags=["x"]), "publish"), "kill", reason="Legal")
    notice = kill_notice(killed)
    assert notice.id == killed.id and notice.slug == killed.slug and notice.status is Status.KILLED
    assert notice.headline.startswith("KILL: ") and "Legal" in notice.body and BODY not in notice.body
    assert notice.credit == "" and notice.tags == []
    bangla = kill_notice(killed.copy(language="bn"))
    assert bangla.headline.startswith("প্রত্যাহার") and "Legal" in bangla.body


# -- the model addition ----------------------------------------------------------------------------------
def test_history_and_new_fields_round_trip_through_dict():
    story = act(act(ready(Status.DRAFT), "schedule", at=LATER), "deschedule")
    story = act(story, "spike")
    data = story.to_dict()
    assert data["previous_status"] == "draft" and data["scheduled_at"] is None
    assert Story.from_dict(data) == story
    scheduled = act(ready(), "schedule", at=LATER)
    assert Story.from_dict(scheduled.to_dict()).scheduled_at == LATER


def test_an_old_store_document_without_the_new_fields_loads():
    old = ready().to_dict()
    for name in ("history", "previous_status", "scheduled_at", "correction_note"):
        del old[name]
    story = Story.from_dict(old)
    assert story.history == [] and story.previous_status is None and story.scheduled_at is None
    assert story.correction_note == ""


def test_copies_do_not_share_the_history_list():
    story = act(ready(Status.DRAFT), "submit")
    copy = story.copy()
    copy.history.append({"action": "x"})
    assert len(story.history) == 1


def test_the_store_keeps_history_across_saves(tmp_path: Path):
    with StoryStore(tmp_path / "s.json") as store:
        saved = store.save(ready(Status.DRAFT, version=0), user="alice")
        submitted = store.save(act(saved, "submit"), user="alice")
        published = store.save(act(submitted, "publish", slug_owner=store.slug_owner), user="alice")
        assert [e["action"] for e in store.get(published.id).history] == ["submit", "publish"]
        assert [len(r.history) for r in store.revisions(published.id)] == [0, 1, 2]


def test_domain_modules_import_no_textual_and_the_wire_import_stays_light():
    code = (
        "import sys\n"
        "import newsroom_tui.formats.wire\n"
        "light = 'markdown_it' not in sys.modules\n"
        "import newsroom_tui.domain.workflow, newsroom_tui.domain.checks, newsroom_tui.domain.history\n"
        "import newsroom_tui.delivery\n"
        "import newsroom_tui.formats.markdown, newsroom_tui.formats.html, newsroom_tui.formats.ninjs\n"
        "import newsroom_tui.formats.nitf\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(light, ','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True", result.stdout + result.stderr


@pytest.mark.parametrize("year", [1, 9999])
def test_dates_the_formats_cannot_print_are_refused_at_the_door(year):
    """Issue 11, item 17: year 1 or 9999 was accepted, then every export and publish crashed."""
    from datetime import UTC, datetime

    from newsroom_tui.domain.errors import WorkflowError

    story = Story(headline="Ferries resume", slug="ferries-resume", body="Text.", byline="Staff")
    far = datetime(year, 6, 1, 12, 0, tzinfo=UTC)
    with pytest.raises(WorkflowError, match="outside the years a story can carry"):
        apply_action(story, "schedule", user="rina", now=datetime(2026, 1, 1, tzinfo=UTC), at=far)
    with pytest.raises(WorkflowError, match="outside the years a story can carry"):
        apply_action(story, "submit", user="rina", now=far)


def test_the_next_due_time_is_still_to_come():
    """A story that failed to publish stays scheduled in the past: `publish-due --watch` woke every half
    second for it.  Only a time still to come is "next"."""
    from datetime import timedelta

    from newsroom_tui.domain.workflow import next_due

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    stuck = Story(headline="Stuck", status=Status.SCHEDULED, scheduled_at=now - timedelta(minutes=5))
    later = Story(headline="Later", status=Status.SCHEDULED, scheduled_at=now + timedelta(hours=2))
    assert next_due([stuck, later], after=now) == later.scheduled_at
    assert next_due([stuck], after=now) is None


def test_one_reading_of_typed_times_for_schedule_embargo_and_purge():
    """The schedule, the embargo and `purge --spiked-before` read typed times by one rule (the purge's
    "a date alone is midnight" was the command line's own, and took no Bengali digits)."""
    from zoneinfo import ZoneInfo

    from newsroom_tui.usecases.errors import UserError
    from newsroom_tui.usecases.times import parse_local

    zone = ZoneInfo("Asia/Dhaka")
    clock = lambda: datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # noqa: E731 - 12:00 in Dhaka
    midnight = datetime(2026, 12, 1, 0, 0, tzinfo=zone)
    assert parse_local("২০২৬-১২-০১", zone, "--spiked-before", date_alone="00:00", clock=clock) == (midnight, False)
    assert parse_local("১৮:০০", zone, "The time", clock=clock) == (datetime(2026, 12, 1, 18, 0, tzinfo=zone), True)
    with pytest.raises(UserError, match="The embargo '25:00' is not a time of day"):
        parse_local("25:00", zone, "The embargo", clock=clock)
    with pytest.raises(UserError):
        parse_local("2026-12-01", zone, "The time", clock=clock)  # a date alone only where it is asked for
