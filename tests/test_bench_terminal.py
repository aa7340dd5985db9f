"""A smoke test of benchmarks/bench_terminal.py: its pty harness measures a real Textual app sanely."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    if sys.platform == "win32":
        pytest.skip("pseudo-terminals are POSIX only")
    try:
        master, slave = os.openpty()
    except OSError as error:
        pytest.skip(f"no pseudo-terminal available here: {error}")
    os.close(master)
    os.close(slave)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_terminal
    finally:
        sys.path.remove(str(BENCHMARKS))
    return bench_terminal


def test_decode_attributes_bytes_to_rows(bench):
    stats = bench.decode(b"\x1b[3;1Hab\x1b[31mc\x1b[0m\x1b[5;10Hxyz", 80, 24)
    assert stats[3].cells == 3
    assert stats[3].sgr == len(b"\x1b[31m\x1b[0m")
    assert stats[3].cursor == len(b"\x1b[3;1H")
    assert stats[5].preview == "xyz"
    assert bench.repainted_rows(stats) == [3, 5]


def test_the_harness_answers_a_cursor_position_query(bench, tmp_path):
    """A program that asks where the cursor is (and waits for the answer) gets xterm's reply."""
    asker = (
        "import os, sys, tty; tty.setraw(0); os.write(1, b'ab\\x1b[6n'); "
        "reply = os.read(0, 32); os.write(1, b'\\r\\nreply=' + repr(reply).encode() + b'\\r\\n')"
    )
    env = bench.clean_env(tmp_path / "home")
    with bench.PtyProcess([sys.executable, "-c", asker], cols=80, rows=24, env=env, cwd=tmp_path) as proc:
        assert proc.wait_for(lambda text: "reply=" in text, timeout=10) is not None
        proc.wait_quiet(0.1, 2)
        assert "reply=b'\\x1b[1;3R'" in bench.plain_text(proc.output())
    assert proc.queries == {"CPR": 1}


@pytest.mark.slow
def test_bare_textarea_measured_in_a_real_pty(bench, tmp_path):
    text = "Ferry services resumed on the Padma at dawn.\n\n" + "Launches left Mawa ghat after a halt. " * 40
    story = tmp_path / "story.txt"
    story.write_text(text, encoding="utf-8")
    subject = bench.Subject(
        "textarea",
        [sys.executable, str(BENCHMARKS / "bare_textarea_app.py"), str(story)],
        ["Ferry services resumed"],
        down_counts={(80, 24): 2},
    )
    plan = bench.Plan(typed="abc", arrows=("left", "right"), pagedowns=1, idle=1.0, marker_timeout=15)
    result = bench.measure_session(subject, 80, 24, bench.clean_env(tmp_path / "home"), tmp_path, plan)

    assert result.error == ""
    assert 0 < result.first_screen < 15
    assert result.rss_mb is not None and 10 < result.rss_mb <= result.peak_mb  # the child's /proc, not ours
    assert result.first_paint_bytes > 80 * 24  # at least one byte per cell of the first screen
    assert [key.key for key in result.typing] == ["a", "b", "c"]
    assert all(key.size > 0 and key.latency is not None for key in result.typing)
    assert len(result.down) == 2 and all(key.size > 0 for key in result.down)
    assert all(key.size > 0 for key in result.arrows)
    assert 0.9 <= result.idle_seconds < 3
    assert result.idle_rate is not None and result.idle_rate >= 0
    assert "DECRQM ?2026" in result.queries  # Textual asks about synchronized output
    typed = bench.decode(result.typing[1].data, 80, 24, result.typing[1].start)
    assert bench.repainted_rows(typed)  # the keystroke repainted at least one row
    assert "ab" in "".join(stat.preview for stat in typed.values())


def test_on_a_database_the_budgets_are_issue_12s(bench):
    """`--db URL`: the first screen is held to 1.5× the bare app's (not 1.3×) and the desk's memory to 150 MB."""
    desk = bench.Measurement("newsroom", 120, 40, startup_runs=[0.7], rss_mb=151.0, peak_mb=160.0)
    bare = bench.Measurement("textarea", 120, 40, startup_runs=[0.5])
    checks = {label: (passed, detail) for label, passed, detail in bench.check_budgets([desk, bare], 1000)}
    assert checks["first screen ≤ 1.3× bare TextArea at 120×40, 1,000 stories"][0] is False
    on_database = {
        label: (passed, detail)
        for label, passed, detail in bench.check_budgets([desk, bare], 1_000_000, on_database=True)
    }
    assert on_database["first screen ≤ 1.5× bare TextArea at 120×40, 1,000,000 stories"] == (
        True,
        "700 ms vs 500 ms = 1.40×",
    )
    assert on_database["desk memory ≤ 150 MB at 120×40, 1,000,000 stories"] == (
        False,
        "RSS 151 MB at the first screen, peak 160 MB",
    )
