"""Where `newsroom list --status STATUS --json` spends its time, phase by phase, on a store already there.

    python benchmarks/bench_list_json.py --db URL_OR_JOURNAL [--status draft] [--runs 3]

Each line adds one phase to the one before, in this process (best and median of the runs), then the real
command is run as a whole process with its stdout to a pipe that is read, as a script would read it:

- python start, and the command line's imports (`newsroom_tui.cli.main`; psycopg comes with the store);
- open the store (a PostgreSQL connection and its schema check, or the whole TinyDB journal);
- the rows read: on PostgreSQL the server making every line and COPY bringing them here (nothing else),
  on TinyDB `story_rows`;
- + the rows as JSON (TinyDB; PostgreSQL's lines are made by the server) and the terminal boundary
  (`json_bytes_for_terminal`), the array's separators: `write_list_json` into nothing;
- + writing the bytes to /dev/null;
- on PostgreSQL, the server alone: EXPLAIN ANALYZE of the query, with the settings the command uses.

No budget is checked here; `bench_store.py --url URL --loaded` checks the issue's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def timed(action: Callable[[], object], runs: int) -> tuple[float, float, object]:
    times: list[float] = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL or a TinyDB journal file")
    parser.add_argument("--status", default="draft")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from newsroom_tui.domain.model import Status
    from newsroom_tui.storage.backends import open_store
    from newsroom_tui.storage.contract import JsonRows
    from newsroom_tui.usecases.listing import ROW_FIELDS, write_list_json

    status = Status(args.status)
    python = sys.executable
    env = {**os.environ, "NEWSROOM_CONFIG": os.devnull}

    def line(name: str, measured: tuple[float, float, object]) -> None:
        best, median, result = measured
        extra = f"  ({result:,})" if isinstance(result, int) else ""
        print(f"{name:44} best {best:6.3f} s  median {median:6.3f} s{extra}", flush=True)

    line("python start", timed(lambda: subprocess.run([python, "-c", "pass"], check=True), args.runs))
    imports = [python, "-c", "import newsroom_tui.cli.main"]
    line("the command line's imports", timed(lambda: subprocess.run(imports, check=True), args.runs))
    if "://" in args.db:
        line("+ psycopg", timed(lambda: subprocess.run([*imports[:2], imports[2] + "; import psycopg"]), args.runs))
    line("open the store", timed(lambda: open_store(args.db).close(), args.runs))
    store = open_store(args.db)
    try:
        if isinstance(store, JsonRows):
            size = [0]

            def fetch() -> int:
                size[0] = 0
                return store.write_rows_json(
                    ROW_FIELDS, status, lambda chunk: size.__setitem__(0, size[0] + len(chunk))
                )

            line("the rows read (server's lines through COPY)", timed(fetch, args.runs))
            print(f"{'':44} {size[0]:,} bytes of lines")
        else:
            line("the rows read (story_rows)", timed(store.story_rows, args.runs))
        line("+ JSON, terminal boundary, separators", timed(lambda: write_list_json(store, status, len), args.runs))
        with open(os.devnull, "wb") as sink:
            line("+ writing to /dev/null", timed(lambda: write_list_json(store, status, sink.write), args.runs))
        if isinstance(store, JsonRows):
            print("server alone:", explain(args.db, status.value))
    finally:
        store.close()

    def command() -> int:
        process = subprocess.Popen(
            [python, "-m", "newsroom_tui", "--db", args.db, "list", "--status", status.value, "--json"],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert process.stdout is not None
        total = 0
        while chunk := process.stdout.read(1 << 16):
            total += len(chunk)
        if process.wait() != 0:
            raise RuntimeError("the command failed")
        return total

    line("the command, stdout to a pipe (bytes)", timed(command, args.runs))
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f}")
    return 0


def explain(url: str, status: str) -> str:
    """The server's own time for the query `list --json` runs, with the settings it runs it with."""
    import psycopg

    from newsroom_tui.storage import postgres
    from newsroom_tui.usecases.listing import ROW_FIELDS

    query = f"SELECT {postgres._row_json_line(ROW_FIELDS)} FROM stories WHERE status = %s ORDER BY updated_at DESC, seq"
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        for setting in postgres._ROWS_JSON_SETTINGS:
            conn.execute(setting)
        plan = [row[0] for row in conn.execute("EXPLAIN (ANALYZE, TIMING OFF) " + query, (status,)).fetchall()]
    shape = next((step.strip().split("  (")[0] for step in plan if "Scan" in step), "?")
    return f"{plan[-1].strip()} ({plan[0].split('  (')[0].strip()}, {shape})"


if __name__ == "__main__":
    sys.exit(main())
