"""A standalone HTML5 article page: what a reader's browser gets for the story.

The body is light Markdown (DESIGN.md) rendered with markdown-it-py with raw HTML disabled, so a `<b>`
or `<script>` typed into a story shows as text; every other piece of story text goes through
`html.escape`.  Images are off as well: an article page loads nothing the desk did not place.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt

from newsroom_tui.domain.model import Story
from newsroom_tui.formats import common
from newsroom_tui.formats.wire import CORRECTION_LABEL, NOT_PUBLISHED, PUBLISHED_LABEL, UPDATED_LABEL
from newsroom_tui.text import bangla


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # `breaks`: a single newline inside a paragraph is a line break in this desk's copy.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")


def render_body(body: str) -> str:
    """The body as HTML fragments (<p>…); raw HTML in the copy comes out escaped."""
    html: str = _markdown().render(common.text(body))
    return html


def _e(value: str) -> str:
    return escape(value, quote=True)


def _time(moment: datetime, zone: ZoneInfo, language: str, css_class: str) -> str:
    shown = bangla.format_stamp(moment.astimezone(zone), language)
    return f'<time class="{css_class}" datetime="{_e(common.iso(moment, zone))}">{_e(shown)}</time>'


def _stamps(story: Story, zone: ZoneInfo) -> str:
    """`Published: 12:20, 5 December 2021  Updated: …` as the portal prints it (Updated only when later);
    a story never published says so rather than carry a publication time it never had."""
    lang = common.language(story)
    if story.published_at is None:
        updated = _time(story.updated_at, zone, lang, "updated")
        return f'<em class="not-published">{_e(NOT_PUBLISHED[lang])}</em> · {_e(UPDATED_LABEL[lang])} {updated}'
    published = story.published_at
    html = f"{_e(PUBLISHED_LABEL[lang])} {_time(published, zone, lang, 'published')}"
    if bangla.shows_update(published.astimezone(zone), story.updated_at.astimezone(zone)):
        html += f" {_e(UPDATED_LABEL[lang])} {_time(story.updated_at, zone, lang, 'updated')}"
    return html


def export_html(story: Story, *, zone: ZoneInfo, site_name: str = "") -> str:
    """The story as one HTML5 page; `site_name` (the masthead) ends the <title>."""
    lang = common.language(story)
    headline = common.line(story.headline)
    title = f"{headline} | {common.line(site_name)}" if common.line(site_name) else headline
    head = [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
    ]
    if common.line(story.summary):
        head.append(f'<meta name="description" content="{_e(common.line(story.summary))}">')
    if story.tags:
        head.append(f'<meta name="keywords" content="{_e(", ".join(common.line(t) for t in story.tags))}">')
    if not common.is_live(story):
        head.append('<meta name="robots" content="noindex">')
    head.append("</head>")

    article = [
        "<body>",
        f'<article data-uri="{_e(common.uri(story))}" data-status="{_e(common.pub_status(story))}">',
        "<header>",
    ]
    if common.line(story.desk):
        article.append(f'<p class="desk">{_e(common.line(story.desk))}</p>')
    article.append(f"<h1>{_e(headline)}</h1>")
    if common.line(story.summary):
        article.append(f'<p class="summary">{_e(common.line(story.summary))}</p>')
    credit_line = [f'<span class="byline">{_e(common.line(story.byline))}</span>'] if story.byline.strip() else []
    if common.line(story.source):
        credit_line.append(f'<span class="source">{_e(common.line(story.source))}</span>')
    if credit_line:
        article.append(f'<p class="author">{" || ".join(credit_line)}</p>')
    dateline = f'<span class="dateline">{_e(common.line(story.dateline))}</span> ' if story.dateline.strip() else ""
    article.append(f'<p class="stamps">{dateline}{_stamps(story, zone)}</p>')
    article.append("</header>")
    if story.correction_note.strip():
        label = CORRECTION_LABEL[lang]
        article.append(
            f'<aside class="correction"><p><strong>{_e(label)}</strong> {_e(common.line(story.correction_note))}</p>'
            "</aside>"
        )
    article.append('<div class="body">')
    article.append(render_body(story.body).rstrip("\n"))
    article.append("</div>")
    footer = []
    if common.line(story.credit):
        footer.append(f'<p class="credit">{_e(common.line(story.credit))}</p>')
    if common.line(story.sign_off):
        footer.append(f'<p class="sign-off">{_e(common.line(story.sign_off))}</p>')
    if footer:
        article += ["<footer>", *footer, "</footer>"]
    article += ["</article>", "</body>", "</html>"]
    return "\n".join(head + article) + "\n"
