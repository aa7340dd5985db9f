"""How fast is spelling?  Run: python benchmarks/bench_spelling.py [--spylls]

Times the real code path with the shipped dictionaries (as a fresh install has them): building the
compiled cache (the first start ever, or after a dictionary changed), loading from it (every later
start, in the desk's worker), the copy desk's whole check of a 1,500-word story with spelling (the first
check after opening, and again after one change, which is what the desk does 0.4 s after typing
stops), and suggestions for common misspellings in both languages.  Median of repeated runs; exits 1
if a budget is missed.  `--spylls` also times spylls (pure-Python Hunspell) on the same dictionaries,
when it is installed, for comparison.
"""

from __future__ import annotations

import argparse
import lzma
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsroom_tui.domain.copydesk import Spelling, check_text, story_names
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.dictionaries import PACKAGED_DIR, load_speller

BUDGETS = {
    "desk: story open to first spelling result": 1.0,
    "load (cached)": 1.0,
    "check 1,500 words, after a change": 0.020,
    "suggest (worst)": 0.150,
}
HERE = Path(__file__).resolve().parent.parent
MISSPELT = [
    "definately",
    "neccessary",
    "tommorow",
    "recieve",
    "goverment",
    "accomodate",
    "স্বাস্থ",
    "প্রধানমন্ত্রি",
    "নিরপেক্ষ্য",
    "মুহুর্ত",
    "উজ্জল",
    "মন্ত্রনালয়",
]


def median_time(work: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def story_of(words: int) -> Story:
    """A Bangla-and-English story of about `words` words, from the sample stories, with a few misspellings."""
    paragraphs: list[str] = []
    for path in sorted((HERE / "stories").glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 80]
        paragraphs += lines
    body: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            body.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    body.append("It was neccessary, the minister said tommorow. প্রধানমন্ত্রি বলেন, স্বাস্থ খাতে উন্নতি হয়েছে।")
    return Story(headline="Sample", body="\n\n".join(body), byline="Staff Correspondent")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spylls", action="store_true", help="time spylls too, when it is installed")
    args = parser.parse_args()
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        started = time.perf_counter()
        load_speller(cache_dir=cache, system_dirs=())
        results["build the cache (first start)"] = (time.perf_counter() - started,) * 2
        results["load (cached)"] = median_time(lambda: load_speller(cache_dir=cache, system_dirs=()), args.runs)
        speller = load_speller(cache_dir=cache, system_dirs=())
        story = story_of(1500)
        words = len(story.body.split())

        def first_check() -> None:
            fresh = speller.with_accepted([])  # nothing remembered
            check_text(story.body, "body", spelling=Spelling(fresh, story_names(story), suggest=False))

        results[f"check {words:,} words, first time"] = median_time(first_check, args.runs)
        spelling = Spelling(speller, story_names(story), suggest=False)
        check_text(story.body, "body", spelling=spelling)
        edited = story.body.replace("minister", "ministers", 1)

        def after_change() -> None:
            names = story_names(story.copy(body=edited))
            check_text(edited, "body", spelling=Spelling(speller, names, suggest=False))

        results["check 1,500 words, after a change"] = median_time(after_change, args.runs)
        results["  of which the other copy-desk checks"] = median_time(lambda: check_text(edited, "body"), args.runs)
        fresh = load_speller(cache_dir=cache, system_dirs=())
        started = time.perf_counter()
        fresh.suggest("definately")
        fresh.suggest("মুহুর্ত")
        results["suggest, first time (reads the index)"] = (time.perf_counter() - started,) * 2
        times = []
        for word in MISSPELT:
            median, _ = median_time(lambda word=word: speller.suggest(word), args.runs)
            times.append(median)
        results["suggest (median)"] = (statistics.median(times), max(times))
        results["suggest (worst)"] = (max(times), max(times))
    from_open, from_start = desk_first_result()
    results["desk: story open to first spelling result"] = from_open
    results["desk: app start to first spelling result"] = from_start
    if args.spylls:
        spylls_times(results)
    failed = False
    print(f"{'operation':45} {'median':>10} {'max':>10}  budget")
    for name, (median, worst) in results.items():
        budget = BUDGETS.get(name)
        mark = ""
        if budget is not None:
            ok = median <= budget
            failed |= not ok
            mark = f"≤ {budget * 1000:g} ms {'✔' if ok else '✘'}"
        print(f"{name:45} {median * 1000:8.1f} ms {worst * 1000:8.1f} ms  {mark}")
    return 1 if failed else 0


def desk_first_result() -> tuple[tuple[float, float], tuple[float, float]]:
    """The real desk, headless, on a store holding a 1,500-word story opened at start (`newsroom open`):
    from the story being open (its body in the editor) to the first spelling findings shown, and from
    starting the app to them.  The dictionaries load in the desk's worker, from the cache."""
    import asyncio

    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.tui.app import NewsroomApp

    async def run(folder: Path) -> tuple[float, float]:
        db = folder / "newsroom.json"
        with StoryStore(db) as store:
            (saved,) = store.save_many([story_of(1500).copy(slug="sample")], user="bench")
        app = NewsroomApp(store=StoryStore(db), settings=Settings(db_path=db, user="bench"), open_story_id=saved.id)
        started = time.perf_counter()
        opened: float | None = None
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            while not any(f.is_spelling for f in screen.findings):
                if opened is None and screen.story is not None and screen.editor_pane.body.text:
                    opened = time.perf_counter()
                await asyncio.sleep(0.002)  # not pilot.pause: that waits for the app to go idle
            shown = time.perf_counter()
            await pilot.pause()
        app.close_store()
        return shown - (opened or started), shown - started

    from_open, from_start = [], []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as folder:
            after_open, after_start = asyncio.run(run(Path(folder)))
        from_open.append(after_open)
        from_start.append(after_start)
    return (statistics.median(from_open), max(from_open)), (statistics.median(from_start), max(from_start))


def spylls_times(results: dict[str, tuple[float, float]]) -> None:
    try:
        from spylls.hunspell import Dictionary
    except ImportError:
        print("spylls is not installed: pip install spylls", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        for name in ("en_US", "bn_BD"):
            for suffix in ("dic", "aff"):
                data = lzma.decompress((PACKAGED_DIR / f"{name}.{suffix}.xz").read_bytes())
                (Path(folder) / f"{name}.{suffix}").write_bytes(data)
            started = time.perf_counter()
            dictionary = Dictionary.from_files(str(Path(folder) / name))
            results[f"spylls: load {name}"] = (time.perf_counter() - started,) * 2
            word = "definately" if name == "en_US" else "মুহুর্ত"
            started = time.perf_counter()
            list(dictionary.suggest(word))
            results[f"spylls: suggest {word}"] = (time.perf_counter() - started,) * 2


if __name__ == "__main__":
    sys.exit(main())
