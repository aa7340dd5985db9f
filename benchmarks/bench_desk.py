"""How the desk feels with a big store: mount time and type-to-filter latency, in-process.

Run: python benchmarks/bench_desk.py [--stories 10000]

Builds a store of generated stories (the same generator as bench_store.py), opens the real app headless
with `App.run_test()` as `newsroom` does (store read, `gc.freeze()`), waits for its start-up work to end,
and times each keystroke typed into the filter box (a word, its deletion, twice):

- latency: from handing the key to the app to the end of the first screen update after it, which
  draws the filtered list (Textual renders the update headless too; only the write is skipped);
- CPU: the process CPU time `Pilot.press` takes for the key, minus what it takes for a key that does
  nothing (Pilot's own waiting), so what is left is dispatch, filtering, layout and rendering.

Budget (the SSH performance issue): the list updates within one frame, 16 ms, of each keystroke
(median).  The first keystroke of a run is reported apart: it also moves the focus to the filter box.

`--db URL` runs the desk on a PostgreSQL store that is already there (issue 12's "a filter keystroke in
the list within one 16 ms frame of the screen update", at whatever size it holds); nothing is built.
There the list is a window on a query, answered in a thread (panes/list_query.py): the key's own screen
update (the filter box) is timed as above, and beside it the time from the key to the screen update
that shows the database's answer for the filter as typed (each key waits for its answer before the next).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import make_story
from textual.screen import Screen

from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.app import NewsroomApp
from newsroom_tui.tui.widgets.story_list import StoryList

FRAME = 0.016


async def measure(
    db_path: Path, url: str | None = None
) -> tuple[float, list[float], list[float], float, int, list[float]]:
    started = time.perf_counter()
    settings = Settings(db_path=db_path, user="bench")
    if url is not None:
        from newsroom_tui.storage.backends import open_store

        settings.use_store(url)
        store: Any = open_store(url)
    else:
        store = StoryStore(db_path)
    gc.freeze()  # as `newsroom` does once the store is read (cli.command_desk, NewsroomApp.load_store)
    app = NewsroomApp(store=store, settings=settings)
    frames: list[float] = []
    original = Screen._compositor_refresh

    def timed_refresh(screen: Screen) -> None:
        original(screen)
        frames.append(time.perf_counter())

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            story_list = app.screen.query_one(StoryList)
            while not story_list.rows:
                await pilot.pause(0.01)
            mounted = time.perf_counter() - started
            await app.workers.wait_for_complete()  # the row cache written after start-up
            await pilot.pause(0.5)
            noop: list[float] = []
            for _ in range(10):
                before = time.process_time()
                await pilot.press("f24")  # bound to nothing
                noop.append(time.process_time() - before)
            pilot_cost = statistics.median(noop)
            latencies: list[float] = []
            cpu: list[float] = []
            answered: list[float] = []  # a database's list: from the key to the frame showing its answer
            list_pane = app.screen.list_pane
            queried = list_pane.queried
            for key in [*"padma", *["backspace"] * 5] * 2:
                frames.clear()
                before, wall = time.process_time(), time.perf_counter()
                await pilot.press(key)
                cpu.append(time.process_time() - before - pilot_cost)
                latencies.append(frames[0] - wall if frames else float("nan"))
                if queried is not None:
                    wanted = (list_pane.filter_box.value, list_pane.status_filter)
                    while queried.shown_for != wanted:
                        await asyncio.sleep(0.001)
                    while not any(frame >= queried.shown_at for frame in frames):
                        await asyncio.sleep(0.001)
                    answered.append(next(frame for frame in frames if frame >= queried.shown_at) - wall)
            shown = len(story_list.window)
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
        store.close()
    return mounted, latencies, cpu, pilot_cost, shown, answered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL store to measure as it is (nothing is built)")
    args = parser.parse_args()
    if args.db:
        with tempfile.TemporaryDirectory() as folder:
            mounted, latencies, cpu, pilot_cost, shown, answered = asyncio.run(
                measure(Path(folder) / "local.json", args.db)
            )
        from newsroom_tui.storage.backends import open_store

        with open_store(args.db) as store:
            args.stories = len(store)
    else:
        mounted, latencies, cpu, pilot_cost, shown, answered = build_and_measure(args.stories)
    report(args.stories, mounted, latencies, cpu, pilot_cost, shown, answered, on_database=bool(args.db))
    return 0 if statistics.median(latencies[1:]) <= FRAME else 1


def build_and_measure(stories: int) -> tuple[float, list[float], list[float], float, int, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "newsroom.json"
        with StoryStore(db_path) as store:
            rng = random.Random(7)
            base = datetime(2026, 1, 1, tzinfo=UTC)
            store.save_many([make_story(rng, n, base) for n in range(stories)], user="bench")
        return asyncio.run(measure(db_path))


def report(
    stories: int,
    mounted: float,
    latencies: list[float],
    cpu: list[float],
    pilot_cost: float,
    shown: int,
    answered: list[float],
    *,
    on_database: bool,
) -> None:
    first, rest = latencies[0], latencies[1:]
    median = statistics.median(rest)
    print(f"stories                          {stories:,}{' (PostgreSQL)' if on_database else ''}")
    print(f"open store + mount desk          {mounted * 1000:.0f} ms")
    print(
        f"filter key → screen updated      median {median * 1000:.1f} ms, max {max(rest) * 1000:.1f} ms "
        f"({len(rest)} keys; the first, which also focuses the box: {first * 1000:.1f} ms)"
    )
    print(
        f"filter key CPU (net of Pilot)    median {statistics.median(cpu[1:]) * 1000:.1f} ms "
        f"(Pilot's own: {pilot_cost * 1000:.1f} ms a key)"
    )
    if answered:
        print(
            f"filter key → the database's answer on screen  median {statistics.median(answered) * 1000:.1f} ms, "
            f"max {max(answered) * 1000:.1f} ms ({len(answered)} keys, each waiting for its answer)"
        )
    print(f"rows in the list after clearing  {shown:,}")
    verdict = "PASS" if median <= FRAME else "FAIL"
    print(f"{verdict}: a filter keystroke within one frame (16 ms), median")


if __name__ == "__main__":
    raise SystemExit(main())
