"""How long `newsroom migrate` takes to move a whole TinyDB store to PostgreSQL (issue 12: 50,000 stories ≤ 5 min).

Run: python benchmarks/bench_migrate.py [--stories 50000] [--url postgresql://…] [--versions 2]

Builds a TinyDB store of generated stories (bench_store.make_story: about 4 KB of body each, a third in
Bengali script; `--versions` saves each that many times, so there are revisions to copy too) in a
temporary folder, then times the real command — `newsroom migrate SOURCE DEST`, a child process, as an
editor runs it — into an empty database: a throw-away server (tests/pgserver.py) unless `--url` names
one. It prints the command's own lines (the copy counts and "Verified: …"), the wall time against the
budget, and exits 1 when the budget is missed or the migration did not verify.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUDGET = 300.0  # seconds for 50,000 stories
BATCH = 500


def build(path: Path, stories: int, versions: int) -> float:
    """`stories` generated stories, each saved `versions` times; the seconds it took."""
    sys.path.insert(0, str(HERE))
    from bench_store import make_story

    from newsroom_tui.storage.store import StoryStore

    rng = random.Random(12)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    began = time.perf_counter()
    with StoryStore(path) as store:
        for first in range(0, stories, BATCH):
            batch = store.save_many(
                [make_story(rng, n, base) for n in range(first, min(stories, first + BATCH))], user="bench"
            )
            for round_ in range(1, versions):
                batch = store.save_many(
                    [story.copy(summary=f"{story.summary} (revised {round_})") for story in batch], user="desk"
                )
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=50000)
    parser.add_argument("--versions", type=int, default=2, help="versions per story (default 2)")
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throw-away server)")
    parser.add_argument("--profile", metavar="FILE", help="run the command under cProfile, its stats to FILE")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from tests.pgserver import NoServer, database_for

    try:
        with database_for(options.url) as url:
            return run(url, options)
    except NoServer as reason:
        print(f"no throw-away server: {reason}", file=sys.stderr)
        return 2


def run(url: str, options: argparse.Namespace) -> int:
    """Build the source, migrate it into `url`, say how long it took."""
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-migrate-") as tmp:
        source = Path(tmp) / "newsroom.json"
        built = build(source, options.stories, options.versions)
        size = sum(p.stat().st_size for p in source.parent.iterdir()) / 1e6
        said = f"{options.stories:,} stories × {options.versions} versions, {size:,.0f} MB"
        print(f"source: {said}, built in {built:.0f} s")
        began = time.perf_counter()
        profile = ["-m", "cProfile", "-o", options.profile] if options.profile else []
        done = subprocess.run(
            [sys.executable, *profile, "-m", "newsroom_tui", "migrate", str(source), url],
            capture_output=True,
            text=True,
            cwd=tmp,
        )
        took = time.perf_counter() - began
    for line in (done.stdout + done.stderr).splitlines()[-8:]:
        print(f"  | {line}")
    verified = done.returncode == 0 and "Verified" in done.stdout
    budget = BUDGET * options.stories / 50000
    passed = verified and took <= budget
    print(
        f"{'PASS' if passed else 'FAIL'}  migrate {options.stories:,} stories to PostgreSQL in {took:.0f} s "
        f"(budget {budget:.0f} s){'' if verified else '; it did not verify'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
