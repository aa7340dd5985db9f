"""The desk on a PostgreSQL store whose server goes away: the save fails with one sentence, the words stay
in the editor (and in the recovery journal), and the next save once the server is back goes through."""

from __future__ import annotations

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.backends import open_store

from .factories import make_story, type_text, until


@pytest.mark.slow
async def test_a_save_while_the_server_is_down_keeps_the_text(tmp_path) -> None:
    from newsroom_tui.tui.app import NewsroomApp

    from .pgserver import own_server

    with own_server() as server:
        url = server.new_database()
        with open_store(url) as store:
            story = store.save(make_story(headline="Ferry service resumes", body="First paragraph."), user="seed")
        settings = Settings(user="desk")
        settings.use_store(url)
        app = NewsroomApp(store=open_store(url), settings=settings, open_story_id=story.id)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await until(
                pilot, lambda: app.focused is not None and app.focused.id == "body", "the story is open for editing"
            )
            body = app.focused
            await pilot.press("end")
            await type_text(pilot, " Typed while the database was down.")
            server.stop()
            await pilot.press("ctrl+s")
            await until(
                pilot,
                lambda: any(
                    n.message.startswith("Not saved: The PostgreSQL database") and "still in the editor" in n.message
                    for n in app._notifications
                ),
                "the desk says the database cannot be reached",
            )
            assert "Typed while the database was down." in body.text
            server.start()
            await pilot.press("ctrl+s")
            with open_store(url) as store:
                await until(
                    pilot, lambda: store.get(story.id).version == 2, "the save goes through once the server is back"
                )
                assert "Typed while the database was down." in store.get(story.id).body
        app.close_store()


# Two desk processes in tmux on one database (the lock mark, a take-over, the refused and the accepted save):
# tests/test_live_desks.py, where only a notification can bring the news, and on two host names.
