"""The wheel installs into a fresh environment and runs from an empty folder (configs are package data).

Every command works from the wheel, the two pages of ``renosim viz`` included (issue 21, item 8):
each is started on a free port and fetched, waiting on the server's HTTP answer.
"""

import os
import re
import signal
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _sh(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    return res


@pytest.mark.slow
def test_wheel_installs_and_runs_from_an_empty_folder(tmp_path):
    before = {p.name for p in ROOT.iterdir()}
    dist = tmp_path / "dist"
    built = _sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, ROOT])
    assert built.returncode == 0, built.stderr
    assert {p.name for p in ROOT.iterdir()} == before  # no build/ or *.egg-info left in the source tree
    (wheel,) = dist.glob("renosim-*.whl")

    env_dir = tmp_path / "fresh"
    assert _sh([sys.executable, "-m", "venv", "--without-pip", env_dir]).returncode == 0
    py = env_dir / "bin" / "python"
    inst = _sh([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--no-index", "-q", wheel])
    assert inst.returncode == 0, inst.stderr
    # the dependencies come from this environment (no download); the fresh site-packages comes first
    site = Path(_sh([py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    for data in ("share", "etc"):  # and so do their data files (solara's assets, jupyter's widget config)
        if (Path(sys.prefix) / data).is_dir():
            (env_dir / data).symlink_to(Path(sys.prefix) / data)

    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = _sh([py, "-c", "import sim, experiments, renosim_configs; print(sim.__file__)"], cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    assert where.stdout.startswith(str(env_dir)), where.stdout  # the wheel's copy, not the checkout

    renosim = str(env_dir / "bin" / "renosim")
    ran = _sh([renosim, "run", "--years", "2", "--out", "o"], cwd=work, env=env)
    assert ran.returncode == 0, ran.stderr
    assert "participation rate" in ran.stdout
    shown = _sh([renosim, "show", "o", "--json"], cwd=work, env=env)
    assert '"git_commit": "unknown"' in shown.stdout  # outside a git checkout
    val = _sh([renosim, "validate", "--seeds", "2"], cwd=work, env=env)
    assert val.returncode == 1 and "2 paired seeds are too few" in val.stderr, val.stderr  # not 2: no error
    assert " pass, " in val.stdout and "not reachable" in val.stdout
    for extra in ([], ["--mesa"]):
        page, log = fetch_page([renosim, "viz", "--port", "0", *extra], cwd=work, env=env)
        assert "solara" in page and "Traceback" not in log, log[-2000:]
    assert sorted(p.name for p in work.iterdir()) == ["o"]


def fetch_page(argv, *, timeout: float = 180, **kw) -> tuple[str, str]:
    """Start ``renosim viz``; return its page's HTML once the server answers, and its log (then stop it).

    The server prints its address first; the page is polled until it answers 200, or the server
    exits, or ``timeout`` seconds pass (Solara imports the page's module before it serves).
    """
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **kw)
    lines: list[str] = []
    # Drain the server's log as it comes: a full pipe would stop the server mid-start.
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"renosim viz exited {proc.returncode}: {''.join(lines)[-2000:]}"
            m = re.search(r"at (http://\S+/)", lines[0]) if lines else None
            url = m.group(1) if m else None
            try:
                if url:
                    with urllib.request.urlopen(url, timeout=5) as r:
                        return r.read().decode("utf-8"), "".join(lines)
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)  # poll again
        raise AssertionError(f"no answer from {url} within {timeout} s: {''.join(lines)[-2000:]}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
