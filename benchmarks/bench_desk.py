"""How the desk feels with a big store: mount time and type-to-filter latency, in-process.

Run: python benchmarks/bench_desk.py [--stories 10000]

Builds a store of generated stories (the same generator as bench_store.py), opens the real app headless
with `App.run_test()`, and times (a) from creating the app to the story list holding its rows and
(b) the CPU time each keystroke typed into the filter box costs until the list shows the filtered rows
(key dispatch, filter, layout, rendering), median over a typed word and its deletion.  A frame is 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import make_story

from newsroom_tui.app import NewsroomApp
from newsroom_tui.config import Settings
from newsroom_tui.store import StoryStore
from newsroom_tui.widgets.story_list import StoryList

FRAME = 0.016


async def measure(db_path: Path) -> tuple[float, list[float], int]:
    started = time.perf_counter()
    store = StoryStore(db_path)
    app = NewsroomApp(store=store, settings=Settings(db_path=db_path, user="bench"))
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.screen.query_one(StoryList)
        while not story_list.rows:
            await pilot.pause(0.01)
        mounted = time.perf_counter() - started
        latencies: list[float] = []
        for key in [*"padma", *["backspace"] * 5]:
            # CPU time, not wall time: Pilot sleeps while it waits for the screen to settle, and
            # that idle time is not work a keystroke costs.  What remains is dispatching the key,
            # filtering, layout and rendering the changed lines.
            before = time.process_time()
            await pilot.press(key)
            latencies.append(time.process_time() - before)
        shown = len(story_list.rows)
    store.close()
    return mounted, latencies, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "newsroom.json"
        with StoryStore(db_path) as store:
            rng = random.Random(7)
            base = datetime(2026, 1, 1, tzinfo=UTC)
            store.save_many([make_story(rng, n, base) for n in range(args.stories)], user="bench")
        mounted, latencies, shown = asyncio.run(measure(db_path))
    median = statistics.median(latencies)
    print(f"stories                         {args.stories:,}")
    print(f"open store + mount desk         {mounted * 1000:.0f} ms")
    print(f"filter keystroke (median)       {median * 1000:.1f} ms   (max {max(latencies) * 1000:.1f} ms)")
    print(f"rows shown after clearing       {shown:,}")
    verdict = "PASS" if median <= FRAME else "FAIL"
    print(f"{verdict}: a filter keystroke within one frame (16 ms), median")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
