"""A real, throw-away PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl start`
listening only on a Unix socket in that folder.

Why by hand and not pytest-postgresql: it is a page of code, needs nothing from the package index, and
handles the one awkward case here (the tests run as root, and `initdb` refuses to: as root every server
command runs through `runuser -u postgres --` on a folder that user owns).  The folder is made directly
under /tmp, since pytest's own folders are private to root and a socket path must stay under 107 bytes.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (`pg_config --bindir`, else /usr/lib/postgresql/*/bin)."""
    candidates: list[str] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        candidates.append(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if (
            folder
            and os.access(os.path.join(folder, "initdb"), os.X_OK)
            and os.access(os.path.join(folder, "pg_ctl"), os.X_OK)
        ):
            return Path(folder)
    return None


def why_no_server() -> str | None:
    """Why the PostgreSQL tests cannot run here (one sentence), or None."""
    if server_binaries() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser, and initdb refuses to run as root"
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install -e '.[postgres]'"
    return None


class PgServer:
    """One server in its own folder; `url(name)` for a database on it."""

    _names = itertools.count(1)

    def __init__(self) -> None:
        bindir = server_binaries()
        assert bindir is not None
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="nrpg-", dir="/tmp"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.log = self.root / "server.log"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip
        self.start()

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}{log}")
        return result

    def start(self) -> None:
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.socket_dir}&user=postgres"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.encode())

    def new_database(self) -> str:
        """A fresh, empty database's URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.split("?", 1)[0].rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def own_server() -> Iterator[PgServer]:
    """A server of the test's own, for tests that stop and start it; skipped with the reason where no server
    can run here, and removed afterwards."""
    import pytest

    reason = why_no_server()
    if reason is not None:
        pytest.skip(reason)
    server = PgServer()
    try:
        yield server
    finally:
        server.close()


class NoServer(Exception):
    """No throw-away server can run here; str() says why."""


@contextlib.contextmanager
def database_for(url: str | None) -> Iterator[str]:
    """`url` as it is, or else a new database on a throw-away server (stopped and removed afterwards): what a
    benchmark run without `--url` measures.  NoServer with the reason where none can run here."""
    if url is not None:
        yield url
        return
    reason = why_no_server()
    if reason is not None:
        raise NoServer(reason)
    server = PgServer()
    try:
        yield server.new_database()
    finally:
        server.close()
