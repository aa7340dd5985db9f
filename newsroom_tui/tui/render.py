"""The article as readers will see it, as a Rich renderable, in the portal's layout.

Masthead, edition line, headline, `byline || source`, the `Published:` stamp, paragraphs, credit,
sign-off.  Every piece of story text goes through `Text` (never console markup) after
`for_display`, so `[bold]` shows as typed and an escape sequence never reaches the terminal.
The body is light Markdown (DESIGN.md): it is rendered with Rich's `Markdown`, which builds `Text`
from the parsed tokens and so never interprets console markup either.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from newsroom_tui.domain.model import Story
from newsroom_tui.formats.wire import CORRECTION_LABEL, NOT_PUBLISHED, PUBLISHED_LABEL, UPDATED_LABEL
from newsroom_tui.text import bangla
from newsroom_tui.text.safety import for_display

SCHEDULED = {"en": "Not yet published · scheduled for", "bn": "এখনও প্রকাশিত হয়নি · প্রকাশের সময়:"}


def stamp_line(story: Story, zone: ZoneInfo) -> Text:
    """`Published: 12:20, 5 December 2021  Updated: …`, as the edition prints it."""
    language = story.language
    label = PUBLISHED_LABEL.get(language, PUBLISHED_LABEL["en"])
    published = story.published_at
    line = Text()
    if published is None and story.status.value == "scheduled" and story.scheduled_at is not None:
        line.append(SCHEDULED.get(language, SCHEDULED["en"]) + " ", style="italic")
        line.append(bangla.format_stamp(story.scheduled_at.astimezone(zone), language))
        return line
    if published is None:
        line.append(NOT_PUBLISHED.get(language, NOT_PUBLISHED["en"]), style="italic")
        line.append(" · ")
        line.append(UPDATED_LABEL.get(language, UPDATED_LABEL["en"]) + " ")
        line.append(bangla.format_stamp(story.updated_at.astimezone(zone), language))
        return line
    line.append(f"{label} ")
    line.append(bangla.format_stamp(published.astimezone(zone), language))
    if bangla.shows_update(published.astimezone(zone), story.updated_at.astimezone(zone)):
        line.append("  " + UPDATED_LABEL.get(language, UPDATED_LABEL["en"]) + " ")
        line.append(bangla.format_stamp(story.updated_at.astimezone(zone), language))
    return line


def render_article(
    story: Story,
    *,
    masthead: str,
    edition_city: str,
    zone: ZoneInfo,
    edition_date: datetime | None = None,
) -> RenderableType:
    """The whole article page; `edition_date` is the page's date (today by default)."""
    language = story.language
    page_date = (edition_date or datetime.now(zone)).astimezone(zone)
    parts: list[RenderableType] = []

    parts.append(Text(for_display(masthead), style="bold", justify="center"))
    edition = Text(justify="center", style="dim")
    edition.append(for_display(edition_city))
    edition.append("  ")
    edition.append(bangla.format_edition_date(page_date, language))
    parts.append(edition)
    parts.append(Rule(style="dim"))

    headline = story.headline.strip() or ("(শিরোনাম নেই)" if language == "bn" else "(no headline)")
    parts.append(Padding(Text(for_display(headline), style="bold"), (1, 0, 0, 0)))
    if story.summary.strip():
        parts.append(Text(for_display(story.summary), style="italic"))

    credit_line = Text(style="dim")
    credit_line.append(for_display(story.byline) or "—")
    if story.source:
        credit_line.append(" || ")
        credit_line.append(for_display(story.source))
    parts.append(Padding(credit_line, (1, 0, 0, 0)))
    parts.append(Text.assemble(stamp_line(story, zone), style="dim"))
    parts.append(Text(""))
    if story.correction_note.strip():  # where the HTML page has its <aside class="correction">
        note = Text()
        note.append(CORRECTION_LABEL.get(language, CORRECTION_LABEL["en"]) + " ", style="bold")
        note.append(for_display(" ".join(story.correction_note.split())))
        parts.append(Padding(note, (0, 0, 1, 0)))

    paragraphs = story.paragraphs
    for index, paragraph in enumerate(paragraphs):
        text = for_display(paragraph)
        if index == len(paragraphs) - 1 and story.credit:
            # The portal glues the agency credit to the last paragraph: `…Ukraine."_Zee News`.
            text = f"{text}_{for_display(story.credit)}"
        parts.append(Markdown(text, hyperlinks=False))
        parts.append(Text(""))
    if not paragraphs and story.credit:
        parts.append(Text("_" + for_display(story.credit)))
    if story.sign_off:
        parts.append(Text(for_display(story.sign_off), style="dim"))
    return Group(*parts)
