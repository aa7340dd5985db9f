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


@pytest.mark.slow
def test_two_desk_processes_share_a_database(pg_url: str, tmp_path) -> None:
    """Two real desks in real terminals on one database: the lock shows in the other's list, a take-over
    reaches the first desk, the first desk's save is refused and the second's goes through."""
    import shlex
    import shutil
    import sys

    from .tmux import Tmux, base_env

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    with open_store(pg_url) as store:
        story = store.save(
            make_story(headline="Council meets", slug="council-meets", body="The council met."), user="s"
        )
    env = {**base_env(tmp_path), "NEWSROOM_RECOVERY": str(tmp_path / "recovery")}
    command = f"{sys.executable} -m newsroom_tui --db {shlex.quote(pg_url)}"
    first, second = Tmux(tmp_path / "first.sock", 120, 40), Tmux(tmp_path / "second.sock", 120, 40)
    try:
        for term in (first, second):
            term.start(command, env)
            term.wait_for("1 story ")
        first.keys("Enter")
        first.wait_for("✓ saved")
        first.type("First editor ")
        second.wait_for("✎", timeout=20)  # the list marks who has it open (the 2 s poll)
        second.keys("Enter")
        second.wait_for("READ-ONLY")
        second.take_over()
        first.wait_for("took this story over", timeout=30)  # live (tests/test_live_desks.py), or its next heartbeat
        first.keys("C-s")
        first.wait_for("Not saved")
        second.type("Second editor ")
        second.keys("C-s")
        second.wait_saved()
    finally:
        first.kill()
        second.kill()
    with open_store(pg_url) as store:
        assert store.get(story.id).body == "Second editor The council met."
