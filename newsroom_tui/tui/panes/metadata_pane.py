"""The metadata pane: the metadata form and the copy desk's checks on the open story.

Both come with the first story opened (`build`): they are half the desk's widgets and the first screen
shows none of them.  The checks run a moment after typing pauses, so a long story never slows a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from newsroom_tui.text.wording import counted, plural
from newsroom_tui.tui.keymaps import key_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.timer import Timer
    from textual.widgets import Select

    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.copydesk import CopydeskConfig, Finding, Spelling
    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.widgets.checks_panel import ChecksPanel
    from newsroom_tui.tui.widgets.metadata_form import MetadataForm, SlugHolder
    from newsroom_tui.tui.widgets.story_editor import BodyEditor
    from newsroom_tui.usecases.newsroom import Newsroom

CHECKS_DELAY = 0.4  # seconds after the last keystroke before the copy desk looks again


class MetadataPane(Vertical):
    """Headline, slug, byline… and what the copy desk found in the story."""

    class Checked(Message):
        """The checks ran again: the desk's status line shows how many there are."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.findings: list[Finding] = []
        self._checks_timer: Timer | None = None
        self._body: BodyEditor | None = None
        self._config: CopydeskConfig | None = None
        self._newsroom: Newsroom | None = None
        self._draft: Callable[[], Story | None] | None = None

    @property
    def form(self) -> MetadataForm:
        return cast("MetadataForm", self.query_one("#metadata"))

    @property
    def checks_panel(self) -> ChecksPanel:
        return cast("ChecksPanel", self.query_one("#checks"))

    async def build(
        self,
        settings: Settings,
        slug_holder: Callable[[str], SlugHolder | None],
        body: BodyEditor,
        config: CopydeskConfig,
    ) -> None:
        from newsroom_tui.tui.widgets.checks_panel import ChecksPanel
        from newsroom_tui.tui.widgets.metadata_form import MetadataForm

        self._body = body
        self._config = config
        await self.mount_all(
            [
                MetadataForm(
                    desks=settings.desks,
                    limits={"headline": settings.headline_limit, "summary": settings.summary_limit},
                    slug_owner=slug_holder,
                    ednote_sent=_ednote_sent(settings),
                    zone=settings.zone,
                    id="metadata",
                    disabled=True,
                ),
                Static("", id="checks-title", markup=False),
                ChecksPanel(id="checks"),
            ]
        )

    @property
    def language(self) -> str:
        return str(cast("Select[str]", self.query_one("#field-language")).value)

    # -- the checks -----------------------------------------------------------------------------------
    def schedule_checks(self) -> None:
        """Check again once typing pauses, so a long story never slows a keystroke."""
        if self._checks_timer is not None:
            self._checks_timer.stop()
        self._checks_timer = self.set_timer(CHECKS_DELAY, self.run_checks)

    # -- spelling ---------------------------------------------------------------------------------------
    def start_spelling(self, newsroom: Newsroom, draft: Callable[[], Story | None]) -> None:
        """Load the dictionaries in a thread (the first story is open: nothing waits for them), then check
        again.  `draft` gives the open story as the editor has it (its metadata vouches for names)."""
        newsroom.spelling_waits = False
        if self._config is not None and not self._config.spelling:
            return  # [copydesk] spelling = false
        self._newsroom = newsroom
        self._draft = draft
        newsroom.spelling.compile_elsewhere = True  # the pre-publish checks never wait for the load either
        self.run_worker(self._load_spelling, thread=True, name="spelling", group="spelling", exit_on_error=False)

    def _load_spelling(self) -> None:
        assert self._newsroom is not None
        try:
            self._newsroom.spelling.load()
        except Exception as error:  # a broken cache dir or word list must not take the desk down
            self.app.call_from_thread(self.notify, f"Spelling is off: {error}", severity="warning")
            return
        self.app.call_from_thread(self._spelling_loaded)

    def _spelling_loaded(self) -> None:
        if self._body is not None and self._body.document.text is not None:
            self.run_checks()

    def _spelling(self) -> Spelling | None:
        from newsroom_tui.domain.copydesk import Spelling, story_names

        if self._newsroom is None or self._draft is None:
            return None
        speller = self._newsroom.speller()
        draft = self._draft()
        if speller is None or draft is None:
            return None
        ignored = self._newsroom.spelling.ignored(draft.id)
        return Spelling(speller, story_names(draft, ignored), suggest=False)

    def run_checks(self) -> None:
        from newsroom_tui.domain.copydesk import check_text

        assert self._body is not None and self._config is not None
        config, form, language = self._config, self.form, self.language
        spelling = self._spelling()
        findings = [
            *check_text(form.input("headline").value, "headline", config, language, spelling=spelling),
            *check_text(form.input("summary").value, "summary", config, language, spelling=spelling),
            *check_text(self._body.text, "body", config, language, spelling=spelling),
        ]
        self.findings = findings
        self.checks_panel.show(findings)
        self._body.show_spelling(
            [(f.line - 1, f.column - 1, f.word) for f in findings if f.field == "body" and f.is_spelling]
        )
        fixable = sum(1 for finding in findings if finding.fix is not None)
        title = Text(f" Checks: {len(findings)}", style="bold")
        if findings:
            title.append(f" · {fixable} fixable ({key_name(self.app, 'fix-all')})", style="dim")
        self.query_one("#checks-title", Static).update(title, layout=False)
        self.post_message(self.Checked())

    def _next_finding(self, body_focused: bool) -> Finding | None:
        self.run_checks()
        if not self.findings:
            return None
        assert self._body is not None
        panel = self.checks_panel
        current = panel.highlighted
        index = 0 if current is None else current + 1
        if body_focused:
            row, column = self._body.cursor_location
            after = [
                i
                for i, f in enumerate(self.findings)
                if f.field == "body" and (f.line - 1, f.column - 1) > (row, column)
            ]
            index = after[0] if after else 0
        index %= len(self.findings)
        panel.highlighted = index
        return self.findings[index]

    def next_finding(self, body_focused: bool) -> Finding | None:
        """The next finding after the cursor, in reading order (headline, summary, body), wrapping."""
        finding = self._next_finding(body_focused)
        if finding is None:
            self.notify("No checks to look at: the copy is clean.", timeout=3)
        return finding

    def fix_highlighted(self) -> None:
        if not self.fix_finding():
            self.notify("The highlighted check has no safe fix; it needs an editor's judgement.", timeout=4)

    def fix_everything(self) -> None:
        changed, left = self.fix_all(), len(self.findings)
        if changed:
            self.notify(
                f"Applied the safe fixes; {counted(left, 'check')} {plural(left, 'needs')} a decision "
                "(ctrl+z undoes the body).",
                timeout=4,
            )
        else:
            self.notify(
                f"Nothing to fix automatically; {counted(left, 'check')} {plural(left, 'needs')} a decision.",
                timeout=4,
            )

    def fix_finding(self) -> bool:
        """Apply the fix of the highlighted finding (an undoable edit in the body); False if it has none."""
        from newsroom_tui.text.search import offset_to_location

        finding = self.checks_panel.selected_finding
        if finding is None or finding.fix is None:
            return False
        start, end, replacement = finding.fix
        if finding.field == "body":
            assert self._body is not None
            editor = self._body
            text = editor.text
            editor.history.checkpoint()
            editor.replace(replacement, offset_to_location(text, start), offset_to_location(text, end))
            editor.history.checkpoint()
        else:
            box = self.form.input(finding.field)
            box.value = box.value[:start] + replacement + box.value[end:]
        self.run_checks()
        return True

    def fix_all(self) -> int:
        """Every safe fix at once: the body as one undo step, the headline and summary in place.
        Returns how many fields changed."""
        from newsroom_tui.domain.copydesk import fix_text

        assert self._body is not None and self._config is not None
        config, language, editor = self._config, self.language, self._body
        fixed_body = fix_text(editor.text, "body", config, language)
        changed = 0
        if fixed_body != editor.text:
            editor.replace_whole_text(fixed_body)
            changed += 1
        form = self.form
        for field in ("headline", "summary"):
            box = form.input(field)
            fixed = fix_text(box.value, field, config, language)
            if fixed != box.value:
                box.value = fixed
                changed += 1
        self.run_checks()
        return changed


def _ednote_sent(settings: Settings) -> bool:
    """Whether exports carry the editor's note (a broken `[export]` table is reported when exporting)."""
    from newsroom_tui.domain.config import ConfigError
    from newsroom_tui.formats import send_ednote

    try:
        return send_ednote(settings)
    except ConfigError:
        return False
