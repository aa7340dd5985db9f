"""The desk's F9/F10/F12 flows: publish, the desk-actions menu, the workflow actions, deliveries,
history and restore, taking a story over.  Each asks what it must in a dialog, then acts on the
saved story and tells the desk what it now shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import LockError
from newsroom_tui.storage.store import StoreError

if TYPE_CHECKING:
    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.publishing import DeskAction

ACTION_MENU = (
    ("p", "publish", "Publish"),
    ("s", "submit", "Submit to the desk"),
    ("e", "mark_edited", "Mark as edited (copy-edited, ready)"),
    ("t", "schedule", "Schedule publication"),
    ("d", "deschedule", "Take off the schedule"),
    ("r", "correct", "Correct (republish with a correction note)"),
    ("u", "unpublish", "Unpublish"),
    ("k", "kill", "Kill (withdraw for legal or factual reasons)"),
    ("x", "spike", "Spike (soft-delete)"),
    ("z", "unspike", "Unspike"),
    ("h", "history", "History and restore"),
    ("o", "take_over", "Take over the story from the editor who has it"),
)


def _short(reason: str | None) -> str | None:
    """The first clause of a workflow refusal: enough for a menu line (the full sentence shows on use)."""
    return reason.split(";")[0] if reason else None


def display_path(path: Path) -> str:
    """The store's path as an editor would type it: under the home folder as ~/…"""
    try:
        return "~/" + str(path.expanduser().resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


class DeskActions:
    """The flows behind F9 (publish), F10 (the menu) and F12 (history) for one desk screen."""

    def __init__(self, desk: DeskScreen) -> None:
        self.desk = desk

    @property
    def app(self) -> NewsroomApp:
        return self.desk.desk_app

    def notify(self, message: str, **kwargs: object) -> None:
        self.desk.notify(message, markup=False, **kwargs)  # type: ignore[arg-type]

    # -- the menu ------------------------------------------------------------------------------------
    def menu(self) -> None:
        from newsroom_tui.tui.screens.publishing import DeskAction, DeskActionsScreen

        story = self.desk.saved_story()
        if story is None:
            return
        items = [
            DeskAction(key, action, title, self._menu_refusal(story, action)) for key, action, title in ACTION_MENU
        ]
        self.app.push_screen(DeskActionsScreen(story, items), self._chosen)

    def _menu_refusal(self, story: Story, action: str) -> str | None:
        from newsroom_tui.domain.workflow import refusal

        if action == "history":
            return None
        if action == "take_over":
            return None if self.desk.read_only else "you hold this story"
        if self.desk.read_only:
            return "another editor holds this story"
        return _short(refusal(story, action))

    def _chosen(self, chosen: DeskAction | None, *, confirmed: bool = False) -> None:
        from newsroom_tui.tui.screens.publishing import KillScreen, confirm_action

        if chosen is None:
            return
        action = chosen.action
        story = self.desk.story
        if not confirmed and story is not None and (question := confirm_action(action, story)) is not None:
            self.app.push_screen(question, lambda yes: yes and self._chosen(chosen, confirmed=True))
            return
        if action == "take_over":
            self.take_over()
        elif action == "publish":
            self.publish()
        elif action == "history":
            self.history()
        elif action == "kill":
            self.app.push_screen(
                KillScreen(self.desk.story), lambda reason: reason and self.apply_workflow("kill", reason=reason)
            )
        elif action == "schedule":
            self._ask_schedule()
        elif action == "correct":
            self._ask_correction()
        else:
            self.apply_workflow(action)

    # -- publishing ----------------------------------------------------------------------------------
    def _targets(self) -> list[str]:
        try:
            from newsroom_tui.delivery import OutboxTarget, load_targets  # urllib and friends: only when used

            targets = load_targets(self.app.settings)
        except Exception as error:  # a bad [targets] table must not stop the dialog
            return [f"(targets not usable: {error})"]
        described = []
        for target in targets:
            if isinstance(target, OutboxTarget):
                described.append(f"outbox {display_path(target.path)} ({', '.join(target.formats)})")
            else:
                described.append(f"{target.name} {getattr(target, 'url', '')}".strip())
        return described

    def publish(self) -> None:
        """F9: the checks' result first, then publish on confirmation."""
        from newsroom_tui.domain.checks import publish_checks
        from newsroom_tui.domain.workflow import refusal
        from newsroom_tui.tui.screens.publishing import PublishScreen

        story = self.desk.saved_story()
        if story is None:
            return
        why_not = refusal(story, "publish")
        if why_not:
            self.notify(f"Cannot publish: {why_not}", severity="warning")
            return
        result = publish_checks(story, **self._check_args(), now=self.app.clock())
        self.app.push_screen(
            PublishScreen(story, result, self._targets()),
            lambda confirmed: confirmed and self.apply_workflow("publish"),
        )

    def _check_args(self) -> dict[str, object]:
        holder = None
        story = self.desk.story
        if self.desk.read_only and story is not None:
            lock = self.app.locks.holder(story.id)
            holder = lock.describe(self.app.settings.zone) if lock is not None else "Another editor"
        return {
            "slug_owner": self.app.store.slug_owner,
            "headline_limit": self.app.settings.headline_limit,
            "lock_holder": holder,
        }

    def _ask_schedule(self) -> None:
        from newsroom_tui.tui.screens.publishing import PromptScreen

        zone = self.app.settings.zone

        def parse(value: str) -> datetime | str:
            try:
                moment = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            except ValueError:
                return "Write the time as YYYY-MM-DD HH:MM, e.g. 2026-11-28 07:30."
            if moment <= self.app.clock():
                return "That time has passed; choose a time in the future."
            return moment

        def validate(value: str) -> str | None:
            result = parse(value)
            return result if isinstance(result, str) else None

        def chosen(value: str | None) -> None:
            if value:
                moment = parse(value)
                if isinstance(moment, datetime):
                    self.apply_workflow("schedule", at=moment)

        self.app.push_screen(
            PromptScreen(
                "Schedule publication",
                f"Publish at (desk time, {zone.key}):",
                placeholder="YYYY-MM-DD HH:MM",
                validate=validate,
            ),
            chosen,
        )

    def _ask_correction(self) -> None:
        from newsroom_tui.tui.screens.publishing import PromptScreen

        self.app.push_screen(
            PromptScreen(
                "Correct a published story",
                "Correction note (readers and partners see it):",
                placeholder="An earlier version misstated the toll for buses.",
                validate=lambda value: None if value.strip() else "A correction needs a note.",
            ),
            lambda note: note and self.apply_workflow("correct", note=note),
        )

    def apply_workflow(self, action: str, **args: object) -> None:
        """Apply a workflow action to the saved story, save it, and deliver it where that matters."""
        from newsroom_tui.domain.workflow import WorkflowError, apply_action

        story = self.desk.saved_story()
        if story is None:
            return
        settings = self.app.settings
        if action in ("publish", "schedule", "correct"):
            args = {**self._check_args(), **args}
        try:
            changed = apply_action(story, action, user=settings.user, now=self.app.clock(), **args)
            saved = self.app.store.save(changed, user=settings.user)
        except (WorkflowError, StoreError) as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.desk.adopt(saved)
        self.notify(f"“{saved.headline}” is now {saved.status.value} (version {saved.version}).")
        if action in ("publish", "correct", "kill", "unpublish"):
            self.desk.run_worker(lambda: self._deliver(saved), thread=True, exclusive=False, group="delivery")

    def _deliver(self, saved: Story) -> None:
        """Delivery can wait on a slow webhook: it runs off the UI thread and reports back."""
        try:
            from newsroom_tui.delivery import deliver

            results = deliver(saved, self.app.settings, now=self.app.clock())
        except Exception as error:  # a bad target must not lose the publish; it is already saved
            self.app.call_from_thread(self.notify, f"Delivery failed: {error}", severity="error")
            return
        self.app.call_from_thread(self._deliveries_done, saved.id, results)

    def _deliveries_done(self, story_id: str, results: list) -> None:
        settings = self.app.settings
        for result in results:
            self.notify(
                result.message, severity="information" if result.ok else "error", timeout=6 if result.ok else 15
            )
        try:
            latest = self.app.store.get(story_id)
            from newsroom_tui.delivery import record_deliveries

            recorded = record_deliveries(latest, results, user=settings.user, now=self.app.clock())
            saved = self.app.store.save(recorded, user=settings.user)
        except StoreError as error:
            self.notify(f"Delivered, but the history could not record it: {error}", severity="warning")
            return
        story = self.desk.story
        if story is not None and story.id == story_id and not self.desk.dirty:
            self.desk.adopt(saved)

    # -- history and restore -------------------------------------------------------------------------
    def history(self) -> None:
        from newsroom_tui.tui.screens.history import HistoryScreen

        story = self.desk.saved_story()
        if story is None:
            return
        try:
            revisions = self.app.store.revisions(story.id)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self.app.push_screen(HistoryScreen(revisions, self.app.settings.zone), self._restore_chosen)

    def _restore_chosen(self, version: int | None) -> None:
        story = self.desk.story
        if version is None or story is None:
            return
        try:
            restored = self.app.store.restore(story.id, version, user=self.app.settings.user)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self.desk.load(restored)
        self.desk.list_pane.replace_row(restored)
        self.notify(f"Restored version {version} as version {restored.version}.")

    # -- locks ---------------------------------------------------------------------------------------
    def take_over(self) -> None:
        story = self.desk.story
        if story is None or not self.desk.read_only:
            self.desk.notify("You already hold this story.", timeout=3)
            return
        try:
            self.app.locks.take_over(story.id)
            latest = self.app.store.get(story.id)
        except (LockError, StoreError) as error:
            self.notify(str(error), severity="error")
            return
        self.desk.read_only = False
        self.desk.load(latest)
        self.desk.notify("You hold the story now; the other editor has been told.", timeout=5)
