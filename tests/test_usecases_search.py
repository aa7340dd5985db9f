"""Newsroom.search: the one place both front ends search the archive through."""

import pytest

from newsroom_tui.domain.errors import UserError
from newsroom_tui.usecases.newsroom import MAX_SEARCH_LIMIT, SEARCH_LIMIT

from .factories import make_story


def test_search_finds_every_term_newest_first_within_the_limit(newsroom) -> None:
    for n in range(SEARCH_LIMIT + 5):
        newsroom.store.save(make_story(slug=f"toll-{n}", headline=f"Padma toll update {n}"), user="desk")
    newsroom.store.save(make_story(slug="ferry", headline="Ferries run", body="No toll here, only Padma."), user="desk")
    hits = newsroom.search("padma toll")
    assert len(hits) == SEARCH_LIMIT
    assert [hit.row.slug for hit in hits[:3]] == ["ferry", f"toll-{SEARCH_LIMIT + 4}", f"toll-{SEARCH_LIMIT + 3}"]
    assert hits[0].snippet == "No toll here, only Padma."
    assert len(newsroom.search("padma toll", limit=MAX_SEARCH_LIMIT)) == SEARCH_LIMIT + 6
    assert [hit.row.slug for hit in newsroom.search('"toll update 7"', limit=1)] == ["toll-7"]
    assert newsroom.search("cricket") == []


@pytest.mark.parametrize(
    ("text", "limit", "sentence"),
    [
        ("", 20, 'Give a word or a "quoted phrase" to search the archive for.'),
        (' "" ', 20, 'Give a word or a "quoted phrase" to search the archive for.'),
        ("\x1b[2J", 20, 'Give a word or a "quoted phrase" to search the archive for.'),
        ("padma", 0, f"A search shows from 1 to {MAX_SEARCH_LIMIT} stories; 0 is not in that range."),
        ("padma", MAX_SEARCH_LIMIT + 1, f"A search shows from 1 to {MAX_SEARCH_LIMIT} stories; 1001 is not"),
        ("p" * 600, 20, "A search is at most 500 characters; this one has 600."),
    ],
)
def test_what_is_not_a_search_is_one_sentence(newsroom, text: str, limit: int, sentence: str) -> None:
    with pytest.raises(UserError) as raised:
        newsroom.search(text, limit=limit)
    assert str(raised.value).startswith(sentence)
