"""The domain must not import Textual: it is tested, scripted and benchmarked without a screen."""

import subprocess
import sys

DOMAIN_MODULES = [
    "newsroom_tui.model",
    "newsroom_tui.textsafety",
    "newsroom_tui.config",
    "newsroom_tui.listing",
    "newsroom_tui.slugs",
    "newsroom_tui.bangla",
    "newsroom_tui.store",
    "newsroom_tui.render",
    "newsroom_tui.formats.wire",
    "newsroom_tui.cli",
    "newsroom_tui.copydesk",
    "newsroom_tui.textsearch",
    "newsroom_tui.external_editor",
    "newsroom_tui.cellwidths",
    "newsroom_tui.workflow",
    "newsroom_tui.checks",
    "newsroom_tui.delivery",
    "newsroom_tui.history",
    "newsroom_tui.locks",
    "newsroom_tui.recovery",
    "newsroom_tui.atomicfile",
    "newsroom_tui.formats",
    "newsroom_tui.formats.markdown",
    "newsroom_tui.formats.html",
    "newsroom_tui.formats.ninjs",
    "newsroom_tui.formats.nitf",
]


def test_domain_modules_import_no_textual():
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in DOMAIN_MODULES)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"domain imported Textual: {result.stdout}"
