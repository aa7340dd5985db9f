"""Everything below the desk imports without Textual or Rich: it is tested, scripted and benchmarked without a screen.

import-linter (tests/test_lint.py) checks the import statements; this checks what importing really loads, so a
lazy or dynamic import of Textual cannot slip past.  Every module of the packages is found by walking them, so a
new module is covered without editing a list.
"""

import json
import subprocess
import sys

import pytest

PACKAGES = ["domain", "text", "storage", "formats", "delivery", "usecases", "cli"]

WALK_AND_IMPORT = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [package.__name__]
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
    names.append(module.name)
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(json.dumps({"modules": names, "ui": ui}))
"""


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_without_textual_or_rich(package: str) -> None:
    """Each package in a fresh interpreter: importing all its modules loads neither `textual` nor `rich`."""
    result = subprocess.run(
        [sys.executable, "-c", WALK_AND_IMPORT, f"newsroom_tui.{package}"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["modules"], "the walk found the package"
    assert found["ui"] == [], f"importing newsroom_tui.{package} loaded {found['ui'][:5]}"


def test_every_package_below_the_desk_is_walked() -> None:
    """A new top-level package is either a front end or listed above (and so checked)."""
    import pkgutil

    import newsroom_tui

    packages = {module.name for module in pkgutil.iter_modules(newsroom_tui.__path__) if module.ispkg}
    assert packages - {"tui", "sample_stories"} == set(PACKAGES)
