"""The cursor moves, and deletes, by grapheme cluster (issue 13: `সিলেটে`, → then X gave `সXিলেটে`)."""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Input, TextArea

from newsroom_tui.domain.model import Story
from newsroom_tui.text.graphemes import next_boundary, previous_boundary


def clusters(text: str) -> list[str]:
    cuts = [0]
    while cuts[-1] < len(text):
        cuts.append(next_boundary(text, cuts[-1]))
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("সিলেটে", ["সি", "লে", "টে"]),
        ("ক্ষমা", ["ক্ষ", "মা"]),  # a conjunct is one cluster (Unicode 15.1's Indic conjunct rule)
        ("মন্ত্রী", ["ম", "ন্ত্রী"]),
        ("ক্\u200dষ ক্\u200cষ", ["ক্\u200dষ", " ", "ক্\u200c", "ষ"]),  # ZWJ joins; ZWNJ keeps them apart
        ("বিদ্যালয়", ["বি", "দ্যা", "ল", "য়"]),  # য + nukta, as many keyboards type it
        ("চাঁদ", ["চাঁ", "দ"]),
        ("café", ["c", "a", "f", "é"]),
        ("👍🏽 ok", ["👍🏽", " ", "o", "k"]),
        ("", []),
    ],
)
def test_clusters(text: str, expected: list[str]) -> None:
    assert clusters(text) == expected
    cuts = [0, *(len("".join(expected[: i + 1])) for i in range(len(expected)))]
    for before, after in itertools.pairwise(cuts):
        assert previous_boundary(text, after) == before


async def test_the_body_cursor_and_deletion_step_over_whole_clusters(desk_with) -> None:
    story = Story(headline="সিলেটে বৃষ্টি", slug="sylhete-brishti", body="সিলেটে ক্ষমা", language="bn")
    async with desk_with(story) as (app, pilot):
        body = app.screen.query_one("#body", TextArea)
        body.move_cursor((0, 0))
        await pilot.press("right", "X")
        assert body.text.startswith("সিXলেটে"), body.text
        await pilot.press("backspace", "backspace")
        assert body.text.startswith("লেটে"), "backspace takes the whole সি"
        body.move_cursor((0, len("লেটে ")))
        await pilot.press("delete")
        assert body.text == "লেটে মা", "delete takes the whole conjunct ক্ষ"
        await pilot.press("end", "left")
        assert body.cursor_location == (0, len("লেটে "))


async def test_a_form_field_cursor_steps_over_whole_clusters(desk_with) -> None:
    story = Story(headline="সিলেটে বৃষ্টি", slug="sylhete-brishti", body="Text.", language="bn")
    async with desk_with(story) as (app, pilot):
        await pilot.press("f4")
        headline = app.screen.query_one("#field-headline", Input)
        headline.cursor_position = 0
        await pilot.press("right", "X")
        assert headline.value == "সিXলেটে বৃষ্টি"
        await pilot.press("backspace", "backspace")
        assert headline.value == "লেটে বৃষ্টি"
        headline.cursor_position = len(headline.value)
        await pilot.press("left", "X")
        assert headline.value == "লেটে বৃXষ্টি", "← stepped over ষ্টি as one"


async def test_a_scrolled_bangla_field_never_starts_on_a_lone_vowel_sign(desk_with):
    """Issue 13: a long Bangla headline scrolled by cells showed as `ি ৪০ হাজার…`."""
    import unicodedata

    from newsroom_tui.domain.model import Story

    headline = "চাঁদপুরে ইলিশের দাম চড়া, ভরা মৌসুম শুরুর আগে সরবরাহ কম, ক্রেতাদের মুখে হতাশা আর বিক্রেতাদের দুশ্চিন্তা"
    story = Story(headline=headline, slug="ilish", body="ইলিশ।", language="bn")
    async with desk_with(story, size=(80, 24)) as (app, pilot):
        await pilot.press("f4")
        box = app.screen.form.input("headline")
        starts = []
        for position in range(len(headline) + 1):
            box.cursor_position = position
            await pilot.pause()
            shown = "".join(segment.text for segment in box.render_line(0)).lstrip(" ")
            starts.append((position, int(box.scroll_offset.x), shown[:1]))
        assert any(scrolled for _, scrolled, _ in starts), "the headline never scrolled: make it longer"
        lone = [(p, x, first) for p, x, first in starts if first and unicodedata.category(first) in ("Mn", "Mc")]
        assert lone == []
