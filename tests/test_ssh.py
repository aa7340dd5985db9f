"""End to end over a real SSH session: sshd on 127.0.0.1, `ssh -tt` inside tmux, a story typed and saved.

The test starts Debian's openssh-server with a throw-away host key and user key on a free loopback port
and stops it afterwards; it skips, saying why, where sshd is missing or cannot start (it needs root for
its privilege separation, as CI has: `.ci/run` installs openssh-server and tmux).
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.storage.store import StoryStore

from .tmux import Tmux

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sshd(tmp_path: Path):
    if not Path(SSHD).exists():
        pytest.skip("sshd is not installed (apt-get install openssh-server)")
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None or shutil.which("tmux") is None:
        pytest.skip("ssh, ssh-keygen or tmux is not installed")
    if os.geteuid() != 0:
        pytest.skip("sshd needs root to start here (privilege separation)")
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    host_key, user_key = folder / "host_ed25519", folder / "user_ed25519"
    for key in (host_key, user_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = folder / "authorized_keys"
    authorized.write_text(user_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {folder / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {authorized}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\nAcceptEnv LANG LC_*\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.skip(f"sshd could not start: {server.stderr.read().decode(errors='replace')[-300:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        server.kill()
        pytest.skip("sshd did not start listening within 10 s")
    yield port, user_key
    server.terminate()
    server.wait(timeout=10)


def test_a_story_typed_over_ssh_is_in_the_store(tmp_path: Path, sshd):
    port, user_key = sshd
    db = tmp_path / "newsroom.json"
    remote = " ".join(
        [
            "env",
            f"HOME={shlex.quote(str(tmp_path))}",
            f"NEWSROOM_CONFIG={tmp_path / 'none.toml'}",
            f"NEWSROOM_RECOVERY={tmp_path / 'recovery'}",
            "LANG=C.UTF-8",
            shlex.quote(sys.executable),
            "-m",
            "newsroom_tui",
            "--db",
            shlex.quote(str(db)),
        ]
    )
    ssh = [
        "ssh",
        "-tt",
        "-i",
        str(user_key),
        "-p",
        str(port),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "BatchMode=yes",
        f"{os.environ.get('USER', 'root') if os.geteuid() else 'root'}@127.0.0.1",
        remote,
    ]
    term = Tmux(tmp_path / "tmux.sock", 120, 40)
    term.start(
        " ".join(shlex.quote(part) for part in ssh),
        {"TERM": "xterm-256color", "PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    try:
        term.wait_for("8 stories", timeout=30)
        term.keys("C-n")
        term.wait_for("new story")
        term.type("Ferry services resume over SSH")
        term.keys("F3")
        term.type("Typed through a real SSH session.")
        term.keys("C-s")
        term.wait_for("✓ saved")
        term.keys("C-q")
        deadline = time.monotonic() + 10
        while "Ferry" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        term.kill()
    with StoryStore(db) as store:
        story = store.find_by_slug("ferry-services-resume-over-ssh")
    assert story is not None and story.body == "Typed through a real SSH session."
