"""How fast is the story store at the sizes a desk reaches?  Run: python benchmarks/bench_store.py

Builds stores of realistic generated stories (about 4 KB of UTF-8 body each, a third in Bengali script)
in a temporary folder and times the real code path (`StoryStore`, and the list's own row building and
filtering), median of repeated runs.  It exits 1 if a budget is missed, so CI can run it too.

`--backend tinydb postgresql` measures both side by side through the one storage contract (`open_store`),
plus what a process pays: `newsroom list --status draft --json` and one `newsroom import` as real commands,
and the memory of a process that opened the store and built the desk's list rows.  PostgreSQL is a
throw-away server (initdb in /tmp, as the tests do) unless `--url` names a database; its stores are
bulk-loaded by COPY (`bulk_load`: the rows `save_many` writes, `--jobs` processes making them), or 500
stories per transaction through `save_many` with `--load save_many`.

At scale, on a database of your own: `--url URL --bulk-load 1000000` fills it (growing what is there),
then `--url URL --loaded` measures it against the issue's PostgreSQL budgets (save one, open a story,
search two words, `newsroom list --status draft --json`) and prints PASS or FAIL for each.
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


def median_save(store: Any, ids: list[str], rng: random.Random, saves: int = 40) -> float:
    """Seconds to save one story (a paragraph added), median of `saves`; the read before each is not timed."""

    def save_one() -> float:
        story = store.get(rng.choice(ids))
        story.body += "\n\nUpdated with a new paragraph from the desk."
        start = time.perf_counter()
        store.save(story, user="bench")
        return time.perf_counter() - start

    return statistics.median(save_one() for _ in range(saves))


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

    results["save one"] = median_save(store, ids, rng)
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


def run_command(*args: str, keep_output: bool = True) -> float:
    import os
    import subprocess

    env = {**os.environ, "NEWSROOM_CONFIG": os.devnull}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "newsroom_tui", *args],
        stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
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


def measure_contract(location: str, size: int, folder: Path, *, copy: bool = False, jobs: int = 2) -> dict[str, float]:
    """The contract's operations on one store, the same calls for both backends (`copy`: a PostgreSQL
    store is bulk-loaded by COPY instead of saved 500 a batch)."""
    from newsroom_tui.storage.backends import open_store

    rng = random.Random(size + 1)
    if copy:
        results = {"build (bulk load by COPY)": bulk_load(location, size, jobs=jobs)}
    else:
        results = {"build (save_many, 500 a batch)": build(location, size)}

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


# -- PostgreSQL: a bulk load by COPY, the rows `PostgresStore.save_many` writes -------------------------------
# `save_many` took 332 s per 50,000 stories (a round trip per row and per check, every index kept up to date
# row by row), too slow for the 1,000,000 the budgets are set at.  The bulk load writes the same rows with
# COPY: `saved_rows` builds them with the save path's own helpers (storage/postgres.py), the indexes are
# dropped for the load and built again after it, and the change-notifying trigger is off meanwhile (nobody
# is listening to a store being built; a notification writes no row).  tests/test_bench_store_bulk.py holds
# the result to a store saved story by story: the same tables, `list --json`, `history` and `search`.
STORY_COLUMNS = "id, slug, status, desk, language, updated_at, version, doc, search_text, words, row_doc, haystack"
REVISION_COLUMNS = "story_id, version, saved_at, doc"
CHUNK = 2000  # stories per COPY transaction (and per worker task)


def _copy_field(value: str | None) -> str:
    """One field of COPY's text format (backslash, tab, newline and carriage return escaped; None is NULL)."""
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def saved_rows(story: Story, user: str) -> tuple[str, str]:
    """The `stories` and `revisions` lines (COPY text format) that `PostgresStore.save_many` writes for a new
    story, step by step as its `_save_in` does, with the save's clock reading the story's own `updated_at`
    (an archive whose stories were saved over weeks, not all in the minute of the load)."""
    import json

    from newsroom_tui.storage import postgres
    from newsroom_tui.text.safety import clean_line

    if story.version != 0:
        raise ValueError(f"the bulk load writes new stories only (version 0), not {story.id} v{story.version}")
    user = clean_line(user)
    if story.has_terminal_control():
        story = story.cleaned()
    saved = story.copy(
        version=1,
        updated_at=story.updated_at,
        updated_by=user,
        created_at=story.created_at,
        created_by=story.created_by or user,
    )
    doc = postgres._storable(saved.to_dict())
    stored = postgres._to_story(doc, "the bulk load")
    words, row_doc, haystack = postgres._list_columns(doc)
    doc_json = json.dumps(doc, ensure_ascii=False)
    stamp = saved.updated_at.isoformat()
    fields = [
        saved.id,
        doc["slug"] or None,
        doc["status"],
        doc["desk"],
        doc["language"],
        stamp,
        str(saved.version),
        doc_json,
        postgres._search_text(stored),
        str(words),
        json.dumps(row_doc.obj, ensure_ascii=False),
        haystack,
    ]
    story_line = "\t".join(_copy_field(field) for field in fields) + "\n"
    revision_line = "\t".join(_copy_field(field) for field in (saved.id, str(saved.version), stamp, doc_json)) + "\n"
    return story_line, revision_line


def copy_stories(conn: Any, stories: list[Story], user: str) -> None:
    """COPY `stories` (new ones) into the stories and revisions tables, in the caller's transaction."""
    lines = [saved_rows(story, user) for story in stories]
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY stories ({STORY_COLUMNS}) FROM STDIN") as copy:
            copy.write("".join(line for line, _ in lines))
        with cursor.copy(f"COPY revisions ({REVISION_COLUMNS}) FROM STDIN") as copy:
            copy.write("".join(line for _, line in lines))


def generated_chunk(first: int, last: int) -> list[Story]:
    """Stories first…last-1 of a generated archive: story n is the same whoever makes it, in whichever
    chunk (a seed of its own)."""
    base = datetime(2025, 6, 1, 12, tzinfo=UTC)
    return [make_story(random.Random(n * 7919 + 17), n, base) for n in range(first, last)]


_worker_conn: Any = None


def _copy_chunk(task: tuple[str, int, int, str, float | None]) -> int:
    """A worker's task: make one chunk of stories and COPY it on the worker's own connection (none once
    `stop_at` has passed)."""
    import psycopg

    global _worker_conn
    url, first, last, user, stop_at = task
    if stop_at is not None and time.time() > stop_at:
        return 0
    if _worker_conn is None:
        _worker_conn = psycopg.connect(url, autocommit=True)
        _worker_conn.execute("SET synchronous_commit = off")
    stories = generated_chunk(first, last)
    with _worker_conn.transaction():
        copy_stories(_worker_conn, stories, user)
    return last - first


def _drop_indexes(conn: Any) -> list[tuple[str, str]]:
    """Drop the indexes (primary keys included) of stories and revisions; (name, how to make it again)."""
    rows = conn.execute(
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
        "c.conname, pg_get_constraintdef(c.oid) FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = "
        "i.indexrelid AND c.conrelid = i.indrelid WHERE i.indrelid IN ('stories'::regclass, 'revisions'::regclass)"
    ).fetchall()
    dropped: list[tuple[str, str]] = []
    with conn.transaction():
        for table, index, definition, constraint, constraint_definition in rows:
            if constraint is not None:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                dropped.append((index, f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_definition}'))
            else:
                conn.execute(f"DROP INDEX {index}")
                dropped.append((index, definition))
    return dropped


def _build_indexes(url: str, dropped: list[tuple[str, str]]) -> None:
    """Make the dropped indexes again, on two connections at once (the trigram index alone takes longest)."""
    import threading

    import psycopg

    slow = [statement for _, statement in dropped if "gin" in statement.lower()]
    rest = [statement for _, statement in dropped if "gin" not in statement.lower()]
    failures: list[BaseException] = []

    def build(statements: list[str]) -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '1GB'")
                for statement in statements:
                    started = time.perf_counter()
                    conn.execute(statement.encode())
                    print(f"  index made in {time.perf_counter() - started:.0f} s: {statement[:90]}", file=sys.stderr)
        except BaseException as error:  # reported after both threads are done
            failures.append(error)

    threads = [threading.Thread(target=build, args=(part,)) for part in (slow, rest) if part]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def bulk_load(
    url: str,
    total: int,
    *,
    jobs: int = 2,
    user: str = "bench",
    stories: list[Story] | None = None,
    chunk: int = CHUNK,
    stop_at: float | None = None,
) -> float:
    """Fill the store at `url` to `total` generated stories (or with `stories`, when given) by COPY; seconds.

    A store that already has some keeps them: generated story n follows the n already there, so a store is
    grown 200,000 → 1,000,000 without starting again.  `stop_at` (a time.time()): no chunk starts after it,
    so a load that would not finish in time ends smaller (and says its size).  The store's schema is made
    first (as a first save would), and whatever happens the indexes, the trigger and the statistics are put
    back."""
    import contextlib
    import multiprocessing

    from newsroom_tui.storage.backends import open_store

    started = time.perf_counter()
    open_store(url).close()  # the schema, as on first use
    # The workers are forked before this process connects: a child never holds the parent's connection.
    pool = multiprocessing.get_context("fork").Pool(jobs) if stories is None and jobs > 1 else None
    with contextlib.ExitStack() as cleanup:
        if pool is not None:
            cleanup.enter_context(pool)
        return _bulk_load(url, total, pool, user, stories, started, chunk, stop_at)


def _bulk_load(
    url: str,
    total: int,
    pool: Any,
    user: str,
    stories: list[Story] | None,
    started: float,
    chunk: int,
    stop_at: float | None,
) -> float:
    import psycopg

    global _worker_conn
    with psycopg.connect(url, autocommit=True) as conn:
        have = int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])
        tasks = [(url, first, min(total, first + chunk), user, stop_at) for first in range(have, total, chunk)]
        if stories is None and not tasks:
            return 0.0
        dropped = _drop_indexes(conn)
        conn.execute("ALTER TABLE stories DISABLE TRIGGER stories_notify")
        for table in ("stories", "revisions"):  # one VACUUM at the end, not autovacuum's rounds meanwhile
            conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)")
        try:
            done, last_said = 0, time.perf_counter()
            if stories is not None:
                with conn.transaction():
                    copy_stories(conn, stories, user)
            else:
                counts = pool.imap_unordered(_copy_chunk, tasks) if pool is not None else map(_copy_chunk, tasks)
                for count in counts:
                    done += count
                    if time.perf_counter() - last_said > 15:
                        last_said = time.perf_counter()
                        rate = done / (last_said - started)
                        print(
                            f"  {have + done:,} of {total:,} stories, {rate:,.0f} a second, "
                            f"{(total - have - done) / rate / 60:.1f} min to go (then the indexes)",
                            file=sys.stderr,
                            flush=True,
                        )
                if _worker_conn is not None:  # the chunks copied in this process
                    _worker_conn.close()
                    _worker_conn = None
            copied = time.perf_counter()
        finally:
            try:
                _build_indexes(url, dropped)
            finally:
                conn.execute("ALTER TABLE stories ENABLE TRIGGER stories_notify")
                for table in ("stories", "revisions"):
                    conn.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled, toast.autovacuum_enabled)")
        conn.execute("SELECT nextval('story_changes')")  # a desk that looked before sees the change
        indexed = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) stories, revisions")
        now_held = int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])
    print(
        f"  bulk load: {now_held:,} stories; COPY {copied - started:.0f} s, indexes {indexed - copied:.0f} s, "
        f"vacuum and analyze {time.perf_counter() - indexed:.0f} s",
        file=sys.stderr,
    )
    return time.perf_counter() - started


# -- PostgreSQL at scale: the budgets on a loaded store -------------------------------------------
# (operation, budget in seconds): the figures for PostgreSQL at 1,000,000 stories that this script
# measures; the desk's (first screen, memory, a filter keystroke, a save seen in another desk) are
# bench_terminal.py, bench_desk.py and bench_live.py with the same URL.
SCALE_BUDGETS = {
    "save one": 0.020,
    "open a story (get)": 0.010,
    "open a story (get + take its lock)": 0.010,
    "search two words": 0.200,
    "newsroom list --status draft --json": 0.5,
}
# Common words (in a third of the stories or more; '"news desk" cricket' one in 13), one in 150 ('"padma bridge"', only
# where a headline puts the two words together), and rare ones: a story number with a word (a few stories to a
# few hundred) and a word no story holds.  The figure is the median over all of them; each is reported.
SEARCHES = ("padma toll", "পদ্মা সেতুর", "cabinet lanes", '"news desk" cricket', '"padma bridge"', "padma 4567",
            "cricket 31415", "xyz river")  # fmt: skip


def sample_stories(url: str, count: int) -> list[tuple[str, str]]:
    """About `count` (id, slug) pairs picked at random, without reading every row (TABLESAMPLE's pages)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        total = int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])
        share = min(100.0, 100.0 * count * 3 / max(total, 1))
        rows = conn.execute(
            "SELECT id, coalesce(slug, '') FROM stories TABLESAMPLE SYSTEM (%s) LIMIT %s", (share, count)
        ).fetchall()
    return [(str(story_id), str(slug)) for story_id, slug in rows]


def measure_loaded(url: str, *, list_runs: int, search_runs: int = 3) -> tuple[int, dict[str, float], dict[str, str]]:
    """The store operations the budgets name, on a store already loaded (nothing built here): (stories,
    figures, notes).  A saved story gets a new paragraph, as the desk's saves do."""
    from newsroom_tui.storage.backends import open_lock_book, open_store

    rng = random.Random(5)
    results: dict[str, float] = {}
    notes: dict[str, str] = {}

    def open_once() -> float:
        gc.collect()
        start = time.perf_counter()
        open_store(url).close()
        return time.perf_counter() - start

    results["open the store"] = statistics.median(open_once() for _ in range(5))
    picked = sample_stories(url, 2000)
    ids = [story_id for story_id, _ in picked]
    with open_store(url) as store:
        size = len(store)
        results["open a story (get)"] = median_time(lambda: store.get(rng.choice(ids)), 200)
        locks = open_lock_book(url, user="bench")

        def open_and_lock() -> float:
            story_id = rng.choice(ids)
            start = time.perf_counter()
            store.get(story_id)
            locks.acquire(story_id)
            elapsed = time.perf_counter() - start
            locks.release(story_id)
            return elapsed

        results["open a story (get + take its lock)"] = statistics.median(open_and_lock() for _ in range(100))
        locks.close()
        results["find by slug"] = median_time(lambda: store.find_by_slug(rng.choice(picked)[1]), 200)
        store.search(parse_query("xyzzy"))  # the connection's first search (no term under 3 characters: that
        # one is no trigram, and a trigram index answers it by reading the whole index)
        per_query: dict[str, float] = {}
        for text in SEARCHES:
            query = parse_query(text)
            per_query[text] = median_time(lambda query=query: store.search(query), search_runs)
        results["search two words"] = statistics.median(per_query.values())
        notes["search two words"] = f"median of {len(SEARCHES)} queries' medians of {search_runs}; " + ", ".join(
            f"{text!r} {format_value('', took)}" for text, took in per_query.items()
        )
        results["search two words, slowest query"] = max(per_query.values())

        results["save one"] = median_save(store, ids, rng)
        results["history (one story)"] = median_time(lambda: store.revisions(rng.choice(ids)), 20)
    results["newsroom list --status draft --json"] = statistics.median(
        run_command("list", "--status", "draft", "--json", "--db", url, keep_output=False) for _ in range(list_runs)
    )
    notes["newsroom list --status draft --json"] = f"whole process, output to /dev/null, median of {list_runs}"
    return size, results, notes


def scale_report(url: str, *, list_runs: int, search_runs: int) -> int:
    import os

    size, results, notes = measure_loaded(url, list_runs=list_runs, search_runs=search_runs)
    load = os.getloadavg()
    print(f"PostgreSQL at {size:,} stories; {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f}")
    rows = []
    failed = False
    for name, value in results.items():
        budget = SCALE_BUDGETS.get(name)
        verdict = "" if budget is None else ("PASS" if value <= budget else "FAIL")
        failed |= verdict == "FAIL"
        rows.append(
            [name, format_value(name, value), f"<= {format_value(name, budget)}" if budget else "", verdict,
             notes.get(name, "")]
        )  # fmt: skip
    print_table(["operation", f"{size:,} stories", "budget", "result", "how"], rows)
    return 1 if failed else 0


def side_by_side(backends: list[str], sizes: list[int], url: str | None, *, copy: bool = True, jobs: int = 2) -> int:
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
                    columns[(size, backend)] = measure_contract(
                        location, size, Path(tmp), copy=copy and backend == "postgresql", jobs=jobs
                    )
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
    parser.add_argument(
        "--load",
        choices=["copy", "save_many"],
        default="copy",
        help="how PostgreSQL stores are built: a bulk load by COPY (default) or save_many, 500 a batch",
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes making and copying stories in a bulk load")
    parser.add_argument(
        "--bulk-load",
        type=int,
        metavar="STORIES",
        help="with --url: only fill that database to STORIES generated stories by COPY (it may hold some already)",
    )
    parser.add_argument(
        "--loaded",
        action="store_true",
        help="with --url: measure the store already there against the issue's PostgreSQL budgets (builds nothing)",
    )
    parser.add_argument(
        "--stop-at",
        metavar="HH:MM",
        help="with --bulk-load: start no chunk after this UTC time today (the store ends smaller, and says so)",
    )
    parser.add_argument("--list-runs", type=int, default=3, help="runs of `newsroom list --status draft --json`")
    parser.add_argument("--search-runs", type=int, default=3, help="runs of each search with --loaded")
    args = parser.parse_args(argv)
    if (args.bulk_load is not None or args.loaded) and not args.url:
        parser.error("--bulk-load and --loaded need --url")
    if args.bulk_load is not None:
        stop_at = None
        if args.stop_at:
            hours, minutes = (int(part) for part in args.stop_at.split(":"))
            stop_at = datetime.now(UTC).replace(hour=hours, minute=minutes, second=0, microsecond=0).timestamp()
        seconds = bulk_load(args.url, args.bulk_load, jobs=args.jobs, stop_at=stop_at)
        print(f"the load took {seconds:.0f} s")
        return 0
    if args.loaded:
        return scale_report(args.url, list_runs=args.list_runs, search_runs=args.search_runs)
    if args.backend:
        return side_by_side(args.backend, args.sizes, args.url, copy=args.load == "copy", jobs=args.jobs)
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
