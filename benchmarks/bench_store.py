"""How fast is the story store at the sizes a desk reaches?  Run: python benchmarks/bench_store.py

Builds stores of realistic generated stories (about 4 KB of UTF-8 body each, a third in Bengali script)
in a temporary folder and times the real code path (`StoryStore`, and the list's own row building and
filtering), median of repeated runs.  It exits 1 if a budget is missed, so CI can run it too.

`--backend tinydb postgresql` measures both side by side through the one storage contract (`open_store`),
plus what a process pays: `newsroom list --status draft --json` and one `newsroom import` as real commands,
and the memory of a process that opened the store and built the desk's list rows.  PostgreSQL is a
throw-away server (initdb in /tmp, as the tests do) unless `--url` names a database; its stores are loaded
500 stories per transaction through `save_many`.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsroom_tui.domain.listing import filter_rows
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.domain.search import parse_query
from newsroom_tui.storage.rowcache import read_rows, write_rows
from newsroom_tui.storage.store import StoryStore

# Budgets at 10,000 stories (seconds); a stock TinyDB JSONStorage took 0.35-0.55 s per save, 0.17 s per read.
BUDGETS = {"open": 0.5, "get one": 0.005, "save one": 0.050, "search two words": 0.2}
BUDGET_SIZE = 10_000

EN_TEXT = (
    "government minister officials said on Sunday the bridge toll would rise from July after a review of "
    "traffic revenue and maintenance costs, while transport owners warned that fares could follow and "
    "commuters in Dhaka Chattogram Khulna complained about delays at the river crossing during the monsoon "
    "season; the ministry added that the new rates were approved by the cabinet committee on economic "
    "affairs "
    "and that electronic payment lanes would open at both ends of the bridge next month"
)
BN_TEXT = (
    "সরকার মন্ত্রী কর্মকর্তারা রবিবার জানিয়েছেন পদ্মা সেতুর টোল জুলাই থেকে বাড়বে যানবাহন আয় ও রক্ষণাবেক্ষণ "
    "খরচ পর্যালোচনার পর পরিবহন মালিকেরা সতর্ক করেছেন ভাড়া বাড়তে পারে ঢাকা চট্টগ্রাম খুলনার যাত্রীরা বর্ষায় "
    "নদী পারাপারে দেরি নিয়ে অভিযোগ করেছেন মন্ত্রণালয় বলেছে নতুন হার মন্ত্রিসভা কমিটি অনুমোদন করেছে এবং "
    "আগামী মাসে সেতুর দুই প্রান্তে ইলেকট্রনিক লেন চালু হবে"
)
EN_WORDS = tuple(EN_TEXT.split())
BN_WORDS = tuple(BN_TEXT.split())
EN_HEADWORDS = ("Padma", "bridge", "toll", "rises", "metro", "rail", "fares", "flood", "warning",
                "budget", "cricket", "Tigers", "win", "series", "power", "outage", "hits", "capital",
                "prices", "rice")  # fmt: skip
BN_HEADLINES = ("পদ্মা সেতুর টোল বাড়ছে", "মেট্রোরেলের ভাড়া নিয়ে নতুন সিদ্ধান্ত", "উত্তরাঞ্চলে বন্যার সতর্কতা",
                "বাজেটে কৃষিতে বরাদ্দ বাড়ল", "সিরিজ জিতল টাইগাররা", "রাজধানীতে বিদ্যুৎ বিভ্রাট")  # fmt: skip
BYLINES = ("News Desk", "Staff Correspondent", "Senior Correspondent", "Sports Desk", "নিজস্ব প্রতিবেদক")
DESKS = ("National", "International", "Sports", "Business", "Entertainment", "Opinion")
DATELINES = ("Dhaka", "Chattogram", "Khulna", "Sylhet", "Rajshahi", "ঢাকা")
TAGS = ("padma-bridge", "transport", "economy", "cricket", "weather", "politics", "energy", "dhaka")
STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.EDITED, Status.PUBLISHED, Status.PUBLISHED, Status.SPIKED)


def make_story(rng: random.Random, n: int, base: datetime) -> Story:
    """A plausible story: Bengali one time in three, a body of about 4 KB of UTF-8 in paragraphs."""
    bangla = n % 3 == 0
    words = BN_WORDS if bangla else EN_WORDS
    paragraphs: list[str] = []
    size = 0
    while size < 3700:  # stops at about 4,000 bytes
        sentence_count = rng.randint(2, 4)
        sentences = []
        for _ in range(sentence_count):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18)))
            sentences.append(sentence + ("।" if bangla else "."))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph[0].upper() + paragraph[1:])
        size += len(paragraph.encode()) + 2
    headword = " ".join(rng.sample(EN_HEADWORDS, 5))
    headline = f"{rng.choice(BN_HEADLINES)} {n}" if bangla else f"{headword.capitalize()} {n}"
    updated = base - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
    return Story(
        headline=headline,
        body="\n\n".join(paragraphs),
        slug=f"{'-'.join(headword.lower().split()[:4])}-{n}",
        summary=paragraphs[0][:200],
        byline=rng.choice(BYLINES),
        source="risingbd.com",
        dateline=rng.choice(DATELINES),
        credit=rng.choice(("", "AFP", "Reuters", "UNB")),
        sign_off=f"Dhaka/{rng.choice(('Shamera', 'Rafiq', 'Nadia'))}/AI",
        desk=rng.choice(DESKS),
        tags=rng.sample(TAGS, rng.randint(1, 3)),
        language="bn" if bangla else "en",
        status=rng.choice(STATUSES),
        urgency=rng.randint(2, 6),
        created_at=updated - timedelta(hours=rng.randint(1, 48)),
        updated_at=updated,
    )


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_reads_and_saves(store: Any, ids: list[str], slugs: list[str], rng: random.Random) -> dict[str, float]:
    """What both backends are timed on alike: search, get, find, refresh and save one."""
    results: dict[str, float] = {}
    searches = iter(["padma toll", "পদ্মা সেতুর", "cabinet lanes", '"news desk" cricket', "xyz river"] * 20)
    store.search(parse_query("warm up"))
    results["search two words"] = median_time(lambda: store.search(parse_query(next(searches))), 20)
    results["get one"] = median_time(lambda: store.get(rng.choice(ids)), 200)
    results["find by slug"] = median_time(lambda: store.find_by_slug(rng.choice(slugs)), 200)
    results["refresh (no change)"] = median_time(store.refresh, 200)

    def save_one() -> float:
        story = store.get(rng.choice(ids))
        story.body += "\n\nUpdated with a new paragraph from the desk."
        start = time.perf_counter()
        store.save(story, user="bench")
        return time.perf_counter() - start

    results["save one"] = statistics.median(save_one() for _ in range(40))
    return results


def measure(size: int, folder: Path) -> dict[str, float]:
    rng = random.Random(size)
    base = datetime(2025, 6, 1, 12, tzinfo=UTC)
    path = folder / f"bench-{size}.json"
    results: dict[str, float] = {}
    start = time.perf_counter()
    with StoryStore(path) as store:
        for first in range(0, size, 500):
            batch = [make_story(rng, n, base) for n in range(first, min(size, first + 500))]
            store.save_many(batch, user="bench")
    results["build (save_many)"] = time.perf_counter() - start

    def open_once() -> float:
        gc.collect()  # the previous run's garbage is not this run's cost
        start = time.perf_counter()
        store = StoryStore(path)
        elapsed = time.perf_counter() - start
        store.close()
        return elapsed

    results["open"] = statistics.median(open_once() for _ in range(5))
    cached: list = []

    def rows_with_counts() -> list:
        if not cached:
            found = read_rows(path)
            cached.extend(found.rows if found else [])
        return cached

    with StoryStore(path) as store:
        ids = [story.id for story in store.list_stories()]
        slugs = [story.slug for story in store.list_stories()]
        results["list (list_stories)"] = median_time(store.list_stories, 5)
        rows = store.story_rows()
        results["rows for the list (story_rows)"] = median_time(store.story_rows, 5)
        start = time.perf_counter()
        write_rows(path, *store.rows_and_position())
        results["row cache, written (words counted)"] = time.perf_counter() - start
        results["row cache, written again"] = median_time(
            lambda: write_rows(path, *store.rows_and_position(previous=rows_with_counts())), 3
        )
        results["row cache, read (the desk's start)"] = median_time(lambda: read_rows(path), 5)
        queries = iter(["padma", "toll 12", "পদ্মা", "news desk", "cricket", "xyz"] * 100)
        results["filter (filter_rows)"] = median_time(lambda: filter_rows(rows, next(queries)), 30)
        with StoryStore(path) as fresh:  # what `newsroom search` pays: nothing folded yet
            start = time.perf_counter()
            fresh.search(parse_query("padma toll"))
            results["search two words, first (folds every story)"] = time.perf_counter() - start
        results.update(time_reads_and_saves(store, ids, slugs, rng))
        some_id = ids[0]
        start = time.perf_counter()
        store.revisions(some_id)
        results["history (first, builds index)"] = time.perf_counter() - start
        results["history (again)"] = median_time(lambda: store.revisions(rng.choice(ids)), 20)
        start = time.perf_counter()
        store.compact()
        results["compact (rare, inside a save)"] = time.perf_counter() - start
    results["file size (MB)"] = path.stat().st_size / 1e6
    results["revisions file (MB)"] = store.revisions_path.stat().st_size / 1e6
    return results


# -- both backends, through the contract ------------------------------------------------------------------
def build(location: str, size: int) -> float:
    from newsroom_tui.storage.backends import open_store

    rng = random.Random(size)
    base = datetime(2025, 6, 1, 12, tzinfo=UTC)
    start = time.perf_counter()
    with open_store(location) as store:
        for first in range(0, size, 500):
            store.save_many([make_story(rng, n, base) for n in range(first, min(size, first + 500))], user="bench")
    return time.perf_counter() - start


def run_command(*args: str) -> float:
    import os
    import subprocess

    env = {**os.environ, "NEWSROOM_CONFIG": os.devnull}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsroom_tui", *args], capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"newsroom {' '.join(args)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def desk_memory_mb(location: str) -> float:
    """Peak memory of a process that opens the store and builds the list's rows (what a desk holds): VmHWM,
    not ru_maxrss, which a child inherits from the parent across fork and exec (it read the bench's own)."""
    import subprocess

    code = (
        "import sys\n"
        "from newsroom_tui.storage.backends import open_store\n"
        "store = open_store(sys.argv[1])\nrows = store.story_rows()\n"
        "peak = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(int(peak.split()[1]) / 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, location], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def measure_contract(location: str, size: int, folder: Path) -> dict[str, float]:
    """The contract's operations on one store, the same calls for both backends."""
    from newsroom_tui.storage.backends import open_store

    rng = random.Random(size + 1)
    results: dict[str, float] = {"build (save_many, 500 a batch)": build(location, size)}

    def open_once() -> float:
        gc.collect()
        start = time.perf_counter()
        store = open_store(location)
        elapsed = time.perf_counter() - start
        store.close()
        return elapsed

    results["open"] = statistics.median(open_once() for _ in range(5))
    with open_store(location) as store:
        ids = [row.id for row in store.story_rows()]
        slugs = [row.slug for row in store.story_rows()]
        results["rows for the list (story_rows)"] = median_time(store.story_rows, 3)
        results["drafts (list_stories(draft))"] = median_time(lambda: store.list_stories(Status.DRAFT), 3)
        results.update(time_reads_and_saves(store, ids, slugs, rng))
        results["history (one story)"] = median_time(lambda: store.revisions(rng.choice(ids)), 20)
    results["memory: store + list rows (MB)"] = desk_memory_mb(location)
    results["newsroom list --status draft --json"] = statistics.median(
        run_command("list", "--status", "draft", "--json", "--db", location) for _ in range(3)
    )
    wire = folder / f"wire-{size}.txt"
    wire.write_text(
        "Padma bridge toll to fall\n\nDhaka, 1 December (risingbd.com) - Tolls fall from April.\n", encoding="utf-8"
    )
    results["newsroom import (one file)"] = run_command("import", str(wire), "--db", location)
    return results


def side_by_side(backends: list[str], sizes: list[int], url: str | None) -> int:
    server = None
    columns: dict[tuple[int, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        try:
            for backend in backends:
                for size in sizes:
                    if backend == "tinydb":
                        location = str(Path(tmp) / f"bench-{size}.json")
                    else:
                        if url is None and server is None:
                            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
                            from tests.pgserver import PgServer, why_no_server

                            reason = why_no_server()
                            if reason:
                                print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
                                break
                            server = PgServer()
                        location = url if url is not None else server.new_database()  # type: ignore[union-attr]
                    print(f"{backend} at {size:,} stories…", file=sys.stderr, flush=True)
                    columns[(size, backend)] = measure_contract(location, size, Path(tmp))
                    if backend == "tinydb":
                        columns[(size, backend)]["journal file (MB)"] = Path(location).stat().st_size / 1e6
        finally:
            if server is not None:
                server.close()
    if not columns:
        return 1
    names: list[str] = []
    for measured in columns.values():
        names += [name for name in measured if name not in names]
    header = ["operation", *(f"{backend} {size:,}" for size, backend in columns)]
    rows = [
        [name, *(format_value(name, measured[name]) if name in measured else "—" for measured in columns.values())]
        for name in names
    ]
    print_table(header, rows)
    print("\nMedians of repeated runs; the two commands are whole processes (start-up included).")
    return 0


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    print(" | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)))
    print("-+-".join("-" * width for width in widths))
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def format_value(name: str, value: float) -> str:
    if "MB" in name:
        return f"{value:.1f}"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="stories per store")
    parser.add_argument(
        "--backend",
        nargs="+",
        choices=["tinydb", "postgresql"],
        help="measure these backends side by side through the storage contract (no budgets checked)",
    )
    parser.add_argument(
        "--url", help="a PostgreSQL database to use (emptied first is up to you) instead of a throw-away server"
    )
    args = parser.parse_args(argv)
    if args.backend:
        return side_by_side(args.backend, args.sizes, args.url)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        table = {size: measure(size, Path(tmp)) for size in args.sizes}
    names = list(next(iter(table.values())))
    header = [
        "operation",
        *(f"{size:,} stories" for size in args.sizes),
        f"budget @ {BUDGET_SIZE:,}",
        "result",
    ]
    rows: list[list[str]] = []
    failed = False
    for name in names:
        row = [name, *(format_value(name, table[size][name]) for size in args.sizes)]
        budget = BUDGETS.get(name)
        if budget is None:
            row += ["", ""]
        else:
            checked = [table[size][name] for size in args.sizes if size <= BUDGET_SIZE]
            ok = all(value <= budget for value in checked)
            failed |= not ok
            row += [f"<= {format_value(name, budget)}", "PASS" if ok else "FAIL"]
        rows.append(row)
    print_table(header, rows)
    print("\nBudgets are checked at stores up to 10,000 stories; medians of repeated runs.")
    print("FAIL: a budget was missed." if failed else "PASS: every budget met.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
