"""The history view's domain: version diffs, events, and the version list from real store revisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom_tui.delivery import DeliveryResult, record_deliveries
from newsroom_tui.domain.history import (
    changed_fields,
    describe_event,
    diff_versions,
    events,
    field_label,
    summarise_versions,
)
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.workflow import apply_action
from newsroom_tui.storage.store import StoryStore

NOW = datetime(2024, 4, 26, 6, 20, tzinfo=UTC)
DHAKA = ZoneInfo("Asia/Dhaka")


def story(**changes: object) -> Story:
    values: dict[str, object] = {
        "headline": "Padma bridge toll cut",
        "slug": "padma-bridge-toll-cut",
        "byline": "Staff Correspondent",
        "body": "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
        "tags": ["bridge"],
        "version": 1,
    }
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def test_diff_lists_changed_metadata_then_the_body_diff():
    old = story()
    new = old.copy(
        headline="Padma bridge toll cut by 10%", tags=["bridge", "toll"], version=2,
        body="First paragraph.\n\nSecond paragraph, corrected.\n\nThird paragraph.",
        embargo_until=NOW, status=Status.EDITED,
    )  # fmt: skip
    lines = diff_versions(old, new, zone=ZoneInfo("Asia/Dhaka"))
    assert lines == [
        "headline: Padma bridge toll cut → Padma bridge toll cut by 10%",
        "tags: bridge → bridge, toll",
        "status: draft → edited",
        "embargo: (empty) → 12:20, 26 April 2024",  # the desk's zone, like every other time it shows
        "body, version 1 → version 2:",
        "¶2  Second [-paragraph.-]{+paragraph, corrected.+}",
    ]


def test_the_body_diff_shows_the_words_a_copy_edit_changed():
    """Diffs were whole paragraphs: a one-figure fix showed the paragraph twice."""
    old = story(body="Owners of small trucks will pay Tk 1,600 from April.\n\nঢাকায় আজ বৃষ্টি হতে পারে।\n\nEnd.")
    new = old.copy(
        version=2,
        body="Owners of small trucks will pay Tk 1,300 from April.\n\nঢাকায় আজ ভারী বৃষ্টি হতে পারে।\n\n"
        "A new paragraph.\n\nEnd.",
    )
    assert diff_versions(old, new) == [
        "body, version 1 → version 2:",
        "¶1  Owners of small trucks will pay Tk [-1,600-]{+1,300+} from April.",
        "¶2  ঢাকায় আজ{+ ভারী+} বৃষ্টি হতে পারে।",
        "¶3+ A new paragraph.",
    ]
    rewritten = old.copy(version=3, body="Something else entirely, said another way.\n\nঢাকায় আজ বৃষ্টি হতে পারে।")
    lines = diff_versions(old, rewritten)
    assert "¶1- Owners of small trucks will pay Tk 1,600 from April." in lines
    assert "¶1+ Something else entirely, said another way." in lines
    assert "¶3- End." in lines


def test_no_changes_no_lines_and_bookkeeping_is_ignored():
    old = story()
    assert diff_versions(old, old.copy(version=2, updated_at=NOW, updated_by="bob")) == []
    assert changed_fields(old, old.copy(body="x")) == ["body"]


def test_field_labels_are_desk_words():
    assert field_label("sign_off") == "sign-off" and field_label("ednote") == "editor's note"
    assert field_label("headline") == "headline"


def test_events_read_leniently_and_describe_themselves():
    published = apply_action(story(body="word " * 100), "publish", user="alice", now=NOW)
    delivered = record_deliveries(
        published, [DeliveryResult("webhook", False, "The webhook did not take it.", published.id, 2)],
        user="alice", now=NOW + timedelta(minutes=1),
    )  # fmt: skip
    delivered.history.append({"action": 5})  # damage: skipped
    delivered.history.append({"action": "spike", "at": "not a time"})
    found = events(delivered)
    assert [e.action for e in found] == ["publish", "deliver", "spike"]
    assert found[0].is_transition and not found[1].is_transition and found[2].at is None
    assert describe_event(found[0], zone=DHAKA) == "12:20, 26 April 2024  alice published (draft → published)"
    assert describe_event(found[1], zone=DHAKA) == (
        "12:21, 26 April 2024  alice: failed to deliver to webhook: The webhook did not take it."
    )
    assert describe_event(found[2], zone=DHAKA) == "(time unknown)  someone spiked"
    assert describe_event(found[0], zone=DHAKA, language="bn").startswith("১২:২০, ২৬ এপ্রিল ২০২৪")


def test_version_list_from_the_store(tmp_path: Path):
    with StoryStore(tmp_path / "s.json") as store:
        v1 = store.save(story(version=0, body="word " * 100), user="alice")
        v2 = store.save(apply_action(v1, "submit", user="alice", now=NOW), user="alice")
        v3 = store.save(v2.copy(headline="Padma bridge toll cut again"), user="bob")
        store.save(apply_action(v3, "publish", user="bob", now=NOW), user="bob")
        summaries = summarise_versions(store.revisions(v1.id))
    assert [s.version for s in summaries] == [1, 2, 3, 4]
    assert [s.saved_by for s in summaries] == ["alice", "alice", "bob", "bob"]
    assert [s.changed for s in summaries] == [(), ("status",), ("headline",), ("status", "published_at")]
    assert [[e.action for e in s.events] for s in summaries] == [[], ["submit"], [], ["publish"]]
    assert summaries[-1].status == "published"


def test_the_body_diff_counts_paragraphs_as_the_story_does():
    """It split on exactly two newlines: a blank line holding a space, or three newlines, made an empty or a
    merged paragraph, a change nobody made and the ¶ numbers off."""
    from newsroom_tui.domain.history import body_lines

    assert (
        body_lines("Tolls fall.\n\nFerries run.", "Tolls fall.\n \n\nFerries run.", old_label="v1", new_label="v2")
        == []
    )
    lines = body_lines("One.\n\n\nTwo.\n\nThree.", "One.\n\nTwo.\n\nThree changed.", old_label="v1", new_label="v2")
    changed = [line for line in lines if line.kind != "heading"]
    assert changed and all(line.parts[0][1].startswith("¶3") for line in changed), changed
