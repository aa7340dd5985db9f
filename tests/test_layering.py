"""The domain must not import Textual: it is tested, scripted and benchmarked without a screen."""

import subprocess
import sys

DOMAIN_MODULES = [
    "newsroom_tui.domain.model",
    "newsroom_tui.text.safety",
    "newsroom_tui.domain.config",
    "newsroom_tui.domain.listing",
    "newsroom_tui.text.slugs",
    "newsroom_tui.text.bangla",
    "newsroom_tui.storage.store",
    "newsroom_tui.tui.render",
    "newsroom_tui.formats.wire",
    "newsroom_tui.cli.main",
    "newsroom_tui.cli.commands",
    "newsroom_tui.usecases.checking",
    "newsroom_tui.usecases.history",
    "newsroom_tui.usecases.listing",
    "newsroom_tui.usecases.files",
    "newsroom_tui.usecases.times",
    "newsroom_tui.usecases.startup",
    "newsroom_tui.domain.copydesk",
    "newsroom_tui.text.search",
    "newsroom_tui.tui.external_editor",
    "newsroom_tui.tui.cellwidths",
    "newsroom_tui.domain.workflow",
    "newsroom_tui.domain.checks",
    "newsroom_tui.delivery",
    "newsroom_tui.domain.history",
    "newsroom_tui.storage.locks",
    "newsroom_tui.storage.drafts",
    "newsroom_tui.storage.atomicfile",
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
