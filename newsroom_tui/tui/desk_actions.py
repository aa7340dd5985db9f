"""The desk's F9/F10/F12 flows: publish, the desk-actions menu, the workflow actions, deliveries,
history and restore, taking a story over.  Each asks what it must in a dialog, then acts on the
saved story and tells the desk what it now shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroom_tui.domain.config import ConfigError
from newsroom_tui.domain.errors import LockError, UserError
from newsroom_tui.storage.errors import StoreError

if TYPE_CHECKING:
    from newsroom_tui.delivery import Target
    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.publishing import DeskAction
    from newsroom_tui.usecases.outcomes import ActionOutcome, DeliveryOutcome

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
    ("w", "export", "Export to a file (wire, Markdown, HTML, ninjs, NITF)"),
    ("c", "copy", "Copy to the clipboard"),
    ("o", "take_over", "Take over the story from the editor who has it"),
)


def _short(reason: str | None) -> str | None:
    """The first clause of a workflow refusal: enough for a menu line (the full sentence shows on use)."""
    return reason.split(";")[0] if reason else None


def _if_given(then: Callable[[Any], object]) -> Callable[[Any], None]:
    """A dialog's callback: `then(answer)` for a yes, a note or a reason; nothing for None, False or ""."""

    def answered(value: Any) -> None:
        if value:
            then(value)

    return answered


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
        self.desk.notify(message, **kwargs)  # type: ignore[arg-type]

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

    def run(self, action: str) -> None:
        """One menu action by name (the palette's entries): the menu's refusal in a sentence, or its flow."""
        from newsroom_tui.tui.screens.publishing import DeskAction

        key, title = next((key, title) for key, name, title in ACTION_MENU if name == action)
        story = self.desk.saved_story()
        if story is None:
            return
        why = self._menu_refusal(story, action)
        if why is not None:
            self.notify(f"{title.split(' (')[0]} is not possible now: {why}.", severity="warning")
            return
        self._chosen(DeskAction(key, action, title, None))

    def _menu_refusal(self, story: Story, action: str) -> str | None:
        from newsroom_tui.domain.workflow import refusal

        if action in ("history", "export", "copy"):  # they only read: fine on a story someone else holds
            return None
        if self.desk.session.cannot_write is not None:
            return "the story store is read-only"
        holder = self.desk.session.read_only
        if action == "take_over":
            return None if holder is not None else "you hold this story"
        if holder is not None:
            return "another editor holds this story"
        return _short(refusal(story, action))

    def _chosen(self, chosen: DeskAction | None, *, confirmed: bool = False) -> None:
        from newsroom_tui.tui.screens.publishing import KillScreen, confirm_action

        if chosen is None:
            return
        action = chosen.action
        story = self.desk.story
        if not confirmed and story is not None and (question := confirm_action(action, story)) is not None:
            self.app.push_screen(question, _if_given(lambda _: self._chosen(chosen, confirmed=True)))
            return
        if action == "take_over":
            self.take_over(confirmed=True)
        elif action == "publish":
            self.publish()
        elif action == "history":
            self.history()
        elif action in ("export", "copy"):
            self.export(to_clipboard=action == "copy")
        elif action == "kill" and story is not None:
            self.app.push_screen(
                KillScreen(story), _if_given(lambda reason: self.apply_workflow("kill", reason=reason))
            )
        elif action == "schedule":
            self._ask_schedule()
        elif action == "correct":
            self._ask_correction()
        else:
            self.apply_workflow(action)

    # -- exports -------------------------------------------------------------------------------------
    def export(self, *, to_clipboard: bool) -> None:
        """F10 w / F10 c: the saved story in a format, to a file (asked where) or to the clipboard."""
        from newsroom_tui.tui.screens.export import FormatScreen

        story = self.desk.story if self.desk.session.read_only else self.desk.saved_story()
        if story is None or story.is_new:
            return
        self.app.push_screen(
            FormatScreen(story, to_clipboard=to_clipboard),
            _if_given(lambda fmt: self._copy(story, fmt) if to_clipboard else self._ask_export_path(story, fmt)),
        )

    def _rendered(self, story: Story, fmt: str) -> str | None:
        try:
            return self.app.newsroom.export(story, fmt)
        except (UserError, ConfigError, ValueError) as error:
            self.notify(f"Cannot export: {error}", severity="error", timeout=10)
            return None

    def _copy(self, story: Story, fmt: str) -> None:
        text = self._rendered(story, fmt)
        if text is None:
            return
        self.app.copy_to_clipboard(text)  # OSC 52: base64, so no byte of the story reaches the terminal raw
        self.notify(
            f"Copied {fmt} of version {story.version} ({len(text):,} characters) to the clipboard. "
            "If nothing arrives, your terminal does not take OSC 52 (in tmux: set -g set-clipboard on).",
            timeout=8,
        )

    def _ask_export_path(self, story: Story, fmt: str) -> None:
        from newsroom_tui.formats import extension
        from newsroom_tui.tui.screens.publishing import PromptScreen
        from newsroom_tui.usecases.files import export_problem

        suggested = display_path(Path.cwd() / f"{story.slug or story.id}.{extension(fmt)}")
        self.app.push_screen(
            PromptScreen(
                f"Export {fmt}",
                "Write to the file (it is replaced if it exists):",
                value=suggested,
                validate=lambda typed: export_problem(typed, self.app.settings.db_path),
            ),
            _if_given(lambda typed: self._write_export(story, fmt, typed)),
        )

    def _write_export(self, story: Story, fmt: str, typed: str) -> None:
        text = self._rendered(story, fmt)
        if text is None:
            return
        path = str(Path(typed).expanduser())
        self.desk.run_worker(lambda: self._write_in_thread(story, fmt, path, text), thread=True, group="export")

    def _write_in_thread(self, story: Story, fmt: str, path: str, text: str) -> None:
        from newsroom_tui.usecases.files import write_export

        try:
            write_export(path, text, store=self.app.settings.db_path)
        except (UserError, OSError) as error:
            self.app.call_from_thread(self.notify, f"Not exported: {error}", severity="error", timeout=10)
            return
        shown = display_path(Path(path))
        self.app.call_from_thread(self.notify, f"Exported {fmt} of version {story.version} to {shown}.", timeout=6)

    # -- publishing ----------------------------------------------------------------------------------
    def _describe(self, targets: list[Target]) -> list[str]:
        from newsroom_tui.delivery import OutboxTarget

        described = []
        for target in targets:
            if isinstance(target, OutboxTarget):
                described.append(f"outbox {display_path(target.path)} ({', '.join(target.formats)})")
            else:
                described.append(f"{target.name} {getattr(target, 'url', '')}".strip())
        return described

    def publish(self) -> None:
        """F9: the checks' result and the targets first (resolved before anything changes), then publish."""
        from newsroom_tui.tui.screens.publishing import PublishScreen

        story = self.desk.saved_story()
        if story is None:
            return
        try:
            prepared = self.app.newsroom.prepare(story, "publish")
        except (UserError, ConfigError, StoreError) as error:  # a broken [targets] table refuses first
            self.notify(f"Cannot publish: {error}", severity="error", timeout=10)
            return
        if prepared.refusal:
            self.notify(f"Cannot publish: {prepared.refusal}", severity="warning")
            return
        assert prepared.checks is not None
        self.app.push_screen(
            PublishScreen(
                story,
                prepared.checks,
                self._describe(prepared.targets),
                findings=[f"{finding.code} {finding.message}" for finding in self.desk.findings],
            ),
            _if_given(lambda _: self.apply_workflow("publish")),
        )

    def _ask_schedule(self) -> None:
        from newsroom_tui.tui.screens.publishing import PromptScreen
        from newsroom_tui.usecases.errors import UserError
        from newsroom_tui.usecases.times import parse_schedule_time

        zone = self.app.settings.zone

        def parse(value: str) -> datetime | str:
            """The command line's rule (`--at`): the desk's zone, in the future, not in a clock gap."""
            try:
                return parse_schedule_time(value, self.app.settings, clock=self.app.clock)
            except UserError as error:
                return str(error)

        def validate(value: str) -> str | None:
            result = parse(value)
            return result if isinstance(result, str) else None

        def chosen(value: str | None) -> None:
            if value:
                moment = parse(value)
                if isinstance(moment, datetime):
                    self.apply_workflow("schedule", at=moment)

        from newsroom_tui.usecases.times import schedule_example

        now = self.app.clock().astimezone(zone)
        self.app.push_screen(
            PromptScreen(
                "Schedule publication",
                f"Publish at, {zone.key} time (now {now:%H:%M}, {now:%d %b}):",
                placeholder=f"e.g. {schedule_example(self.app.settings, clock=self.app.clock)}, or YYYY-MM-DD HH:MM",
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
            _if_given(lambda note: self.apply_workflow("correct", note=note)),
        )

    def apply_workflow(self, action: str, *, take_over: bool = False, **args: Any) -> None:
        """Apply a workflow action to the saved story (one new version, through the Newsroom), then
        deliver it off the UI thread where that matters."""
        story = self.desk.saved_story()
        if story is None:
            return
        try:
            outcome = self.app.newsroom.act(story, action, take_over=take_over, **args)
        except (UserError, ConfigError, StoreError) as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.desk.adopt(outcome.saved)
        self.notify(outcome.message)
        if outcome.delivers:
            self.desk.run_worker(lambda: self._deliver(outcome), thread=True, exclusive=False, group="delivery")

    def _deliver(self, outcome: ActionOutcome) -> None:
        """Delivery can wait on a slow webhook: it runs off the UI thread and reports back."""
        delivered = self.app.newsroom.deliver(outcome)  # never raises: failures are queued and said
        self.app.call_from_thread(self._deliveries_done, delivered)

    def _deliveries_done(self, delivered: DeliveryOutcome) -> None:
        failed = any(not result.ok for result in delivered.results)
        for message in delivered.messages:
            self.notify(message, severity="error" if failed else "information", timeout=15 if failed else 6)

    # -- the preview ---------------------------------------------------------------------------------
    def preview(self) -> None:
        """F5: the article as readers will see it; a live story's unsent change says so above it."""
        from rich.console import Group
        from rich.text import Text

        from newsroom_tui.tui.render import render_article  # Rich's Markdown and markdown-it: only when previewing
        from newsroom_tui.tui.screens.preview import PreviewScreen

        draft = self.desk.current_draft()
        stored = self.desk.story
        if draft is None or stored is None:
            self.desk.notify("Open a story to preview it.", severity="warning")
            return
        settings = self.app.settings
        article = render_article(
            draft,
            masthead=settings.masthead(draft.language),
            edition_city=settings.edition_city(draft.language),
            zone=settings.zone,
            edition_date=self.app.clock(),
        )
        if stored.is_live and (stored.has_unsent_changes or self.desk.dirty):
            sent = stored.sent_version or stored.version
            note = f"✱ Not sent: readers see version {sent} until this is sent as a correction.\n"
            article = Group(Text(note, style="bold yellow"), article)
        self.app.push_screen(PreviewScreen(article))

    # -- history and restore -------------------------------------------------------------------------
    def history(self) -> None:
        from newsroom_tui.tui.screens.history import HistoryScreen

        story = self.desk.saved_story()
        if story is None:
            return
        try:
            history = self.app.newsroom.history(story.id)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self.app.push_screen(
            HistoryScreen(history.revisions, self.app.settings.zone, history.log), self._restore_chosen
        )

    def _restore_chosen(self, version: int | None) -> None:
        story = self.desk.story
        if version is None or story is None:
            return
        try:
            outcome = self.app.newsroom.restore(story.id, version)
        except (UserError, StoreError) as error:
            self.notify(str(error), severity="error")
            return
        self.desk.adopt(outcome.saved, reload=True)
        self.notify(outcome.message, timeout=10 if outcome.was_live else 5)

    # -- locks ---------------------------------------------------------------------------------------
    def take_over(self, *, confirmed: bool = False) -> None:
        from newsroom_tui.tui.screens.publishing import confirm_action

        story = self.desk.story
        if self.desk.session.cannot_write is not None:  # nobody to take it from: the store itself is read-only
            self.desk.notify(self.desk.session.cannot_write, severity="warning")
            return
        if story is None or self.desk.session.read_only is None:
            self.desk.notify("You already hold this story.", timeout=3)
            return
        if not confirmed and (question := confirm_action("take_over", story)) is not None:
            self.app.push_screen(question, _if_given(lambda _: self.take_over(confirmed=True)))
            return
        try:
            opened = self.desk.session.take_over(self.desk.current_draft())
        except (LockError, StoreError) as error:
            self.notify(str(error), severity="error")
            return
        self.desk.show(opened.story_shown)
        self.desk.notify("You hold the story now; the other editor has been told.", timeout=5)
