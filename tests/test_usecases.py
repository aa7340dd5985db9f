"""The use cases both front ends call: live stories, workflow actions, delivery, restore and history.

Issue 10 items 5 (live stories diverge silently), 8 (the command line ignored a desk's lock) and 9 (the
desk's publishing drifted: targets read after the change, two versions per publish) on the use-case
level, with a real store, real lock books and a real outbox folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.config import ConfigError, Settings
from newsroom_tui.domain.errors import LockedError, NotFound, WorkflowError
from newsroom_tui.domain.listing import StoryRow
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.drafts import RecoveryJournal
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.usecases.newsroom import Newsroom
from newsroom_tui.usecases.outcomes import LiveChange, Saved
from newsroom_tui.usecases.session import EditingSession

BODY = " ".join(["The toll for buses on the Padma Bridge rose by a tenth on Sunday."] * 10)


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def newsroom(db_path: Path, tmp_path: Path, outbox: Path):  # type: ignore[no-untyped-def]
    """A newsroom whose one target is an outbox folder in tmp_path (overrides conftest's)."""
    settings = Settings(
        db_path=db_path, user="desk", sections={"targets": {"outbox": {"path": str(outbox), "formats": ["ninjs"]}}}
    )
    store = StoryStore(db_path)
    yield Newsroom(settings, store, journal=RecoveryJournal(tmp_path / "recovery", user="desk"))
    store.close()


def ready(newsroom: Newsroom, **changes: Any) -> Story:
    """A story that passes the pre-publish checks, saved by a reporter."""
    values: dict[str, Any] = {
        "headline": "Padma Bridge toll rises",
        "slug": "padma-bridge-toll",
        "body": BODY,
        "byline": "Staff Correspondent",
        "summary": "Buses pay more.",
        "desk": "National",
        "sign_off": "Dhaka/Desk",
    }
    values.update(changes)
    return newsroom.store.save(Story(**values), user="reporter")


def publish(newsroom: Newsroom, story: Story) -> Story:
    outcome = newsroom.act(story, "publish")
    newsroom.deliver(outcome)
    return newsroom.store.get(story.id)


def ninjs(outbox: Path, slug: str) -> dict[str, Any]:
    return json.loads((outbox / f"{slug}.json").read_text(encoding="utf-8"))


# -- live stories (item 5) ----------------------------------------------------------------------------------
def test_publish_and_correct_record_the_version_that_went_out(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    assert live.sent_version == live.version and not live.has_unsent_changes
    changed = newsroom.save(live.copy(body=BODY + " More."), base_version=live.version, live="unsent")
    assert isinstance(changed, Saved) and changed.story.has_unsent_changes
    corrected = newsroom.act(changed.story, "correct", note="Added a sentence.").saved
    assert corrected.sent_version == corrected.version and not corrected.has_unsent_changes
    unpublished = newsroom.act(corrected, "unpublish").saved
    assert unpublished.sent_version is None and not unpublished.has_unsent_changes


def test_sent_version_survives_the_store_and_old_stores_have_nothing_unsent(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    assert Story.from_dict(live.to_dict()) == live
    old = live.to_dict()
    del old["sent_version"]  # a store written before the field
    old["version"] = 7
    assert Story.from_dict(old).sent_version == 7 and not Story.from_dict(old).has_unsent_changes
    assert not StoryRow.from_doc(old).unsent and StoryRow.from_doc(old).live
    draft = ready(newsroom, slug="a-draft").to_dict()
    del draft["sent_version"]
    assert Story.from_dict(draft).sent_version is None


def test_the_list_row_marks_live_stories_and_unsent_changes(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    row = next(row for row in newsroom.store.story_rows() if row.id == live.id)
    assert row.live and not row.unsent
    newsroom.save(live.copy(body=BODY + " More."), base_version=live.version, live="unsent")
    row = next(row for row in newsroom.store.story_rows() if row.id == live.id)
    assert row.live and row.unsent
    assert StoryRow.from_story(newsroom.store.get(live.id)).unsent


def test_a_live_change_is_asked_then_sent_as_a_correction(newsroom: Newsroom, outbox: Path) -> None:
    """ctrl+s on a live story: ask; "send now" is save-unsent then correct, and the site gets the new words."""
    session = EditingSession(newsroom)
    live = publish(newsroom, ready(newsroom))
    session.open(live.id)
    changed = live.copy(body=BODY + " The authority later said the rise was a fifth.")
    assert isinstance(session.save(changed), LiveChange)
    saved = session.save(changed, live="unsent")
    assert isinstance(saved, Saved)
    outcome = newsroom.act(saved.story, "correct", note="The rise was a fifth, not a tenth.")
    delivery = newsroom.deliver(outcome)
    assert delivery.ok
    sent = ninjs(outbox, live.slug)
    assert "a fifth" in sent["bodies"][-1]["value"]
    assert sent["version"] == str(outcome.saved.version) == str(newsroom.store.get(live.id).version)


def test_restore_on_a_live_story_says_it_is_live_and_unsent(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    newsroom.save(live.copy(headline="A new headline"), base_version=live.version, live="unsent")
    outcome = newsroom.restore(live.id, live.version)
    assert outcome.was_live
    assert outcome.saved.headline == live.headline
    assert outcome.saved.has_unsent_changes
    assert f"Restored version {live.version} as version {outcome.saved.version}." in outcome.message
    assert "is live" in outcome.message and "correction" in outcome.message


def test_restore_of_a_version_that_does_not_exist_names_the_versions(newsroom: Newsroom) -> None:
    story = ready(newsroom)
    with pytest.raises(NotFound, match="has no version 9; it has only version 1"):
        newsroom.restore(story.id, 9)


# -- the lock rule for every write (item 8) -----------------------------------------------------------------
@pytest.mark.parametrize(("action", "args"), [("spike", {}), ("submit", {}), ("publish", {})])
def test_an_action_on_a_story_open_in_a_desk_is_refused_naming_the_holder(
    newsroom: Newsroom, rina: LockBook, action: str, args: dict[str, Any]
) -> None:
    story = ready(newsroom)
    rina.acquire(story.id)
    with pytest.raises(LockedError) as refused:
        newsroom.act(story, action, **args)
    message = str(refused.value)
    assert message.startswith("rina on ") and " since " in message
    assert "--take-over" in message
    assert refused.value.holder.startswith("rina on ")
    assert newsroom.store.get(story.id).version == story.version


def test_take_over_lets_the_action_through_and_the_desk_learns_of_it(newsroom: Newsroom, rina: LockBook) -> None:
    story = ready(newsroom)
    rina.acquire(story.id)
    spiked = newsroom.act(story, "spike", take_over=True).saved
    assert spiked.status is Status.SPIKED
    assert rina.heartbeat() == [story.id]  # rina's desk is told


def test_restore_respects_the_lock_too(newsroom: Newsroom, rina: LockBook) -> None:
    story = ready(newsroom)
    newsroom.store.save(story.copy(headline="Second"), user="reporter")
    rina.acquire(story.id)
    with pytest.raises(LockedError, match="was not restored"):
        newsroom.restore(story.id, 1)
    assert newsroom.restore(story.id, 1, take_over=True).saved.headline == story.headline


def test_our_own_lock_never_blocks_our_action(newsroom: Newsroom) -> None:
    story = ready(newsroom)
    assert newsroom.locks.acquire(story.id)
    assert newsroom.act(story, "submit").saved.status is Status.SUBMITTED


def test_prepare_names_the_holder_and_changes_nothing(newsroom: Newsroom, rina: LockBook, outbox: Path) -> None:
    story = ready(newsroom)
    rina.acquire(story.id)
    prepared = newsroom.prepare(story, "publish")
    assert prepared.holder is not None and prepared.holder.startswith("rina on ")
    assert prepared.refusal is None and prepared.checks is not None
    # What act would refuse, the confirmation shows first: the desk no longer adds it itself.
    assert [error for error in prepared.checks.errors if "still has this story open" in error]
    assert [target.name for target in prepared.targets] == ["outbox"]
    assert newsroom.prepare(story, "correct").refusal is not None
    assert newsroom.store.get(story.id) == story
    assert not outbox.exists()


# -- one orchestration for publishing (item 9) --------------------------------------------------------------
def test_a_broken_targets_table_refuses_before_anything_changes(db_path: Path, tmp_path: Path) -> None:
    settings = Settings(db_path=db_path, user="desk", sections={"targets": {"outbox": {"formats": ["nope"]}}})
    with StoryStore(db_path) as store:
        newsroom = Newsroom(settings, store)
        story = ready(newsroom)
        with pytest.raises(ConfigError, match="formats"):
            newsroom.prepare(story, "publish")
        with pytest.raises(ConfigError, match="formats"):
            newsroom.act(story, "publish")
        assert store.get(story.id) == story  # not published, so nothing is left undelivered
        assert newsroom.act(story, "submit").saved.status is Status.SUBMITTED  # no delivery: no targets read


def test_one_version_per_publish_and_ninjs_says_the_version_the_desk_shows(newsroom: Newsroom, outbox: Path) -> None:
    story = ready(newsroom)
    outcome = newsroom.act(story, "publish")
    assert outcome.saved.version == story.version + 1
    delivery = newsroom.deliver(outcome)
    assert delivery.ok and len(delivery.results) == 1
    current = newsroom.store.get(story.id)
    assert current.version == outcome.saved.version  # recording the delivery made no version
    assert ninjs(outbox, story.slug)["version"] == str(current.version)
    assert newsroom.export(current, "ninjs") == (outbox / f"{story.slug}.json").read_text(encoding="utf-8")
    [entry] = newsroom.store.delivery_log(story.id)
    assert entry["action"] == "deliver" and entry["ok"] is True and entry["version"] == current.version


def test_the_checks_run_once_per_action(newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsroom_tui.domain.checks as checks
    import newsroom_tui.domain.workflow as workflow

    calls: list[str] = []
    real = checks.publish_checks

    def counted(story: Story, **kwargs: Any) -> checks.CheckResult:
        calls.append(story.id)
        return real(story, **kwargs)

    monkeypatch.setattr(checks, "publish_checks", counted)
    monkeypatch.setattr(workflow, "publish_checks", counted)
    outcome = newsroom.act(ready(newsroom), "publish")
    assert len(calls) == 1
    assert outcome.checks is not None and outcome.checks.ok


def test_failed_checks_refuse_with_every_problem_and_save_nothing(newsroom: Newsroom) -> None:
    from newsroom_tui.domain.workflow import ChecksFailed

    story = ready(newsroom, byline="", body="")
    with pytest.raises(ChecksFailed) as failed:
        newsroom.act(story, "publish")
    assert len(failed.value.result.errors) == 2
    assert newsroom.store.get(story.id) == story


def test_an_action_the_workflow_refuses_says_why(newsroom: Newsroom) -> None:
    with pytest.raises(WorkflowError, match="has not been published"):
        newsroom.act(ready(newsroom), "unpublish")


def test_any_exception_from_a_target_is_a_failed_delivery_queued_and_logged(
    newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsroom_tui.delivery as delivery

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the exporter fell over")

    monkeypatch.setattr(delivery, "write_outbox", broken)
    story = ready(newsroom)
    outcome = newsroom.deliver(newsroom.act(story, "publish"))
    assert not outcome.ok
    [result] = outcome.results
    assert not result.ok and "the exporter fell over" in result.message
    assert any("deliver --retry" in message for message in outcome.messages)
    [entry] = newsroom.store.delivery_log(story.id)
    assert entry["ok"] is False
    [pending] = delivery.PendingDeliveries(delivery.pending_path(newsroom.settings)).entries()
    assert pending.story_id == story.id and pending.target == "outbox"
    # The story is published all the same, and the retry delivers it once the target works again.
    assert newsroom.store.get(story.id).status is Status.PUBLISHED
    monkeypatch.undo()
    [retried] = newsroom.deliver_retry()
    assert retried.ok
    assert [entry["ok"] for entry in newsroom.store.delivery_log(story.id)] == [False, True]
    assert delivery.PendingDeliveries(delivery.pending_path(newsroom.settings)).entries() == []


def test_withdrawing_removes_the_files_under_every_slug_the_log_knows(newsroom: Newsroom, outbox: Path) -> None:
    """The log, not story.history, now says where a story went out: a renamed story's old files still go."""
    live = publish(newsroom, ready(newsroom))
    assert (outbox / "padma-bridge-toll.json").exists()
    renamed = newsroom.save(
        live.copy(slug="padma-toll", slug_set_by_hand=True), base_version=live.version, live="unsent"
    )
    assert isinstance(renamed, Saved)
    newsroom.deliver(newsroom.act(renamed.story, "unpublish"))
    assert list(outbox.iterdir()) == []


def test_history_entries_of_older_stores_still_count_as_deliveries(newsroom: Newsroom, outbox: Path) -> None:
    from newsroom_tui.domain.workflow import record_event

    live = publish(newsroom, ready(newsroom))
    (outbox / "old-slug.json").write_text("{}")
    old = record_event(live, "deliver", user="desk", now=newsroom.clock(), target="outbox", ok=True, slug="old-slug")
    old = newsroom.store.save(old, user="desk")
    newsroom.deliver(newsroom.act(old, "unpublish"))
    assert list(outbox.iterdir()) == []


def test_history_shows_the_deliveries_on_the_version_that_went_out(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    history = newsroom.history(live.id)
    assert [revision.version for revision in history.revisions] == [1, 2]
    summary = history.summaries[-1]
    assert [event.action for event in summary.events] == ["publish", "deliver"]
    assert summary.events[-1].ok is True and summary.events[-1].target == "outbox"
    from newsroom_tui.domain.history import events

    assert [event.action for event in events(live, history.log)] == ["publish", "deliver"]


def test_publish_due_publishes_what_is_due_and_reports_what_it_cannot(newsroom: Newsroom, rina: LockBook) -> None:
    at = newsroom.clock() + timedelta(minutes=5)
    due = newsroom.act(ready(newsroom), "schedule", at=at).saved
    held = newsroom.act(ready(newsroom, slug="held-story"), "schedule", at=at).saved
    rina.acquire(held.id)
    done = newsroom.publish_due(at + timedelta(minutes=1))
    published = [item for item in done if not isinstance(item, str)]
    refused = [item for item in done if isinstance(item, str)]
    assert [outcome.saved.id for outcome in published] == [due.id]
    assert published[0].saved.status is Status.PUBLISHED and published[0].delivers
    assert len(refused) == 1 and refused[0].startswith("held-story: rina on ")
    assert newsroom.store.get(held.id).status is Status.SCHEDULED


def test_delivery_log_is_journaled_and_survives_reopening_and_compaction(db_path: Path, newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom))
    log = newsroom.store.delivery_log(live.id)
    newsroom.store.compact()
    with StoryStore(db_path) as again:
        assert again.delivery_log(live.id) == log
        assert len(again) == 1 and again.get(live.id) == live


# -- start-up stays light -----------------------------------------------------------------------------------
def test_the_session_and_the_newsroom_load_no_heavy_modules() -> None:
    """The desk builds a session before its first screen: no filelock, workflow, delivery, formats, difflib."""
    code = (
        "import sys\n"
        "import newsroom_tui.usecases.session, newsroom_tui.usecases.newsroom\n"
        "heavy = ('filelock', 'difflib', 'newsroom_tui.domain.workflow', 'newsroom_tui.delivery',\n"
        "         'newsroom_tui.formats', 'newsroom_tui.storage.locks', 'newsroom_tui.storage.drafts')\n"
        "print(','.join(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


# -- check --fix, import and the samples go through the same rules ------------------------------------------
def test_copy_desk_fixes_respect_a_desks_lock(newsroom: Newsroom, rina: LockBook) -> None:
    """Item 8: `check --fix` wrote under a desk's lock."""
    from newsroom_tui.usecases.outcomes import ReadOnly

    story = ready(newsroom, body='"We looked everywhere," he said. ' + BODY)
    rina.acquire(story.id)
    outcome = newsroom.fix(story)
    assert isinstance(outcome, ReadOnly) and outcome.holder.startswith("rina on ")
    assert newsroom.store.get(story.id) == story
    fixed = newsroom.fix(story, take_over=True)
    assert isinstance(fixed, Saved) and fixed.story.body.startswith("“We looked everywhere,”")
    assert newsroom.fix(fixed.story) is None  # nothing left to fix


def test_copy_desk_fixes_to_a_live_story_are_kept_unsent(newsroom: Newsroom) -> None:
    live = publish(newsroom, ready(newsroom, body='"We looked everywhere," he said. ' + BODY))
    fixed = newsroom.fix(live)
    assert isinstance(fixed, Saved) and fixed.story.has_unsent_changes


def sample_files(tmp_path: Path, count: int = 2) -> list[Path]:
    from importlib import resources

    folder = tmp_path / "wire"
    folder.mkdir()
    entries = sorted(e for e in resources.files("newsroom_tui.sample_stories").iterdir() if e.name.endswith(".txt"))
    for entry in entries[:count]:
        (folder / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    return sorted(folder.iterdir())


def test_import_reports_each_file_and_never_duplicates(newsroom: Newsroom, tmp_path: Path) -> None:
    files = sample_files(tmp_path)
    (files[0].parent / "broken.txt").write_bytes(b"\xff\xfe not wire copy")
    report = newsroom.import_files([files[0].parent, tmp_path / "missing.txt"], desk="National")
    kinds = sorted(line.kind for line in report.lines)
    assert kinds == ["failed", "failed", "imported", "imported"]
    assert report.failed
    stories = newsroom.store.list_stories()
    assert len(stories) == 2 and {story.desk for story in stories} == {"National"}
    assert {line.slug for line in report.imported} == {story.slug for story in stories}
    again = newsroom.import_files(files)
    assert [line.kind for line in again.lines] == ["skipped", "skipped"]
    assert len(newsroom.store) == 2


def test_import_of_nothing_is_a_user_error(newsroom: Newsroom, tmp_path: Path) -> None:
    from newsroom_tui.domain.errors import UserError

    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="No wire files"):
        newsroom.import_files([tmp_path / "empty"])


def test_a_new_store_gets_the_sample_stories_once(newsroom: Newsroom) -> None:
    note = newsroom.seed_samples_if_empty()
    assert note is not None and note.startswith("New store: imported ")
    count = len(newsroom.store)
    assert count > 0 and len({story.slug for story in newsroom.store.list_stories()}) == count
    assert newsroom.seed_samples_if_empty() is None
    assert len(newsroom.store) == count


def test_check_story_fixes_through_the_lock_rule_and_reports_what_is_left(newsroom: Newsroom, rina: LockBook) -> None:
    from newsroom_tui.usecases.outcomes import ReadOnly

    story = ready(newsroom, body='"We looked everywhere," he said. ' + BODY)
    before = newsroom.check_story(story.slug)
    assert before.fixed is None and before.findings
    rina.acquire(story.id)
    refused = newsroom.check_story(story.slug, fix=True)
    assert isinstance(refused.fixed, ReadOnly) and refused.story == story
    assert refused.findings == before.findings
    done = newsroom.check_story(story.slug, fix=True, take_over=True)
    assert isinstance(done.fixed, Saved) and done.story.version == story.version + 1
    assert len(done.findings) < len(before.findings)
    with pytest.raises(NotFound):
        newsroom.check_story("no-such-story")


def test_a_webhook_answering_garbage_is_a_failed_delivery_never_a_traceback(db_path: Path, tmp_path: Path) -> None:
    """Issue 11, item 4: a garbage status line after the publish was saved gave a traceback, and the delivery
    was neither queued nor recorded."""
    import socket
    import threading

    import newsroom_tui.delivery as delivery

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]

    def answer_garbage() -> None:
        for _ in range(4):  # the first try and its retries
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"garbage\r\n\r\n")

    threading.Thread(target=answer_garbage, daemon=True).start()
    webhook = {"url": f"http://127.0.0.1:{port}/ninjs", "retries": 1, "backoff": 0, "timeout": 5}
    settings = Settings(db_path=db_path, user="desk", sections={"targets": {"webhook": webhook}})
    store = StoryStore(db_path)
    try:
        newsroom = Newsroom(settings, store, journal=RecoveryJournal(tmp_path / "recovery", user="desk"))
        story = ready(newsroom)
        outcome = newsroom.deliver(newsroom.act(story, "publish"))
        [result] = [result for result in outcome.results if result.target == "webhook"]
        assert not result.ok and "\x1b" not in result.message
        assert store.get(story.id).status is Status.PUBLISHED
        log = [entry for entry in store.delivery_log(story.id) if entry.get("target") == "webhook"]
        assert log and all(entry["ok"] is False for entry in log), log
        [pending] = delivery.PendingDeliveries(delivery.pending_path(settings)).entries()
        assert pending.target == "webhook"
    finally:
        store.close()
        server.close()


@pytest.mark.parametrize(
    "webhook",
    [
        {"url": "http://127.0.0.1:99999/x"},
        {"url": "http://cms.example/api ninjs"},
        {"url": "http://cms.example/", "timeout": float("nan")},
        {"url": "http://cms.example/", "timeout": float("inf")},
    ],
)
def test_a_webhook_that_cannot_work_is_refused_before_anything_changes(newsroom: Newsroom, webhook: dict) -> None:
    newsroom.settings.sections["targets"] = {"webhook": webhook}
    story = ready(newsroom)
    with pytest.raises(ConfigError, match=r"\[targets.webhook\]"):
        newsroom.act(story, "publish")
    assert newsroom.store.get(story.id).status is not Status.PUBLISHED


# -- a command that loses a race (issue 11, item 21) ---------------------------------------------------------
def test_a_command_that_loses_a_race_retries_once_on_a_fresh_read(newsroom: Newsroom, db_path: Path) -> None:
    """`newsroom submit` read version 1; another editor saved version 2 before it wrote.  It said "after you
    opened version 1" and gave up; now it applies the action to what is there and says it did."""
    read = ready(newsroom)
    with StoryStore(db_path) as other:  # another process saves between the command's read and its write
        other.save(other.get(read.id).copy(summary="Buses and trucks pay more."), user="rina")
    outcome = newsroom.act(read, "submit", retry_stale=True)
    assert outcome.saved.status is Status.SUBMITTED
    assert outcome.saved.summary == "Buses and trucks pay more.", "rina's words are kept, not overwritten"
    assert outcome.note == "rina saved version 2 while this ran; it was submitted as it stood then."


def test_a_command_that_loses_the_race_twice_says_so_plainly(newsroom: Newsroom, db_path: Path) -> None:
    from newsroom_tui.domain.errors import UserError

    read = ready(newsroom)
    original_save = newsroom.store.save
    calls = []

    def contested_save(story: Story, *, user: str) -> Story:
        calls.append(story.version)
        with StoryStore(db_path) as other:  # someone saves just before every write this command makes
            other.save(other.get(story.id).copy(summary=f"Edit {len(calls)}."), user="rina")
        newsroom.store.refresh()
        return original_save(story, user=user)

    newsroom.store.save = contested_save  # type: ignore[method-assign]
    with pytest.raises(UserError) as caught:
        newsroom.act(read, "submit", retry_stale=True)
    assert len(calls) == 2, "one retry, not a loop"
    assert str(caught.value) == (
        "“Padma Bridge toll rises” was saved by rina twice while this command ran (now version 3), so it was "
        "not submitted; run it again."
    )


def test_check_fix_that_loses_a_race_fixes_what_is_there_now(newsroom: Newsroom, db_path: Path) -> None:
    read = ready(newsroom, body=BODY + "  Two  spaces.")
    original_fix = newsroom.fix
    raced: list[int] = []

    def fix_after_a_rival_save(story: Story, **kwargs: Any) -> Any:
        if not raced:  # once: another editor saves between the command's read and its write
            raced.append(story.version)
            with StoryStore(db_path) as other:
                other.save(other.get(story.id).copy(summary="A summary by Rina."), user="rina")
            newsroom.store.refresh()
        return original_fix(story, **kwargs)

    newsroom.fix = fix_after_a_rival_save  # type: ignore[method-assign]
    checked = newsroom.check_story(read.slug, fix=True)
    assert isinstance(checked.fixed, Saved), checked.fixed
    stored = newsroom.store.get(read.id)
    assert stored.summary == "A summary by Rina." and "  Two" not in stored.body and stored.version == 3


def test_a_draft_over_the_headline_limit_is_saved_with_a_warning_and_refused_at_publish(newsroom: Newsroom) -> None:
    """Issue 13: a headline over the limit blocked even saving a draft, so the words could not be kept."""
    from newsroom_tui.domain.workflow import ChecksFailed
    from newsroom_tui.usecases.outcomes import Invalid, Saved

    story = ready(newsroom)
    long_headline = "Padma Bridge toll for small trucks to fall by a fifth from April, the Bridges Division says today"
    long_headline += " (updated!!!!)"  # 111 characters
    outcome = newsroom.save(story.copy(headline=long_headline), base_version=story.version)
    assert isinstance(outcome, Saved)
    assert outcome.warnings == {"headline": "The headline is 111 characters; the limit is 110."}
    assert "Publishing refuses it until it fits." in outcome.message
    assert newsroom.store.get(story.id).headline == long_headline
    with pytest.raises(ChecksFailed, match="limit is 110"):
        newsroom.act(outcome.story, "publish")
    # What no save may hold is still refused: a ceiling, an empty headline.
    assert isinstance(newsroom.save(outcome.story.copy(headline=""), base_version=outcome.story.version), Invalid)
