"""One error path everywhere (issue 21, items 6 and 7): one line, exit 2, nothing written or lost.

``show`` of anything that is not a record, ``viz`` on a busy port or a host that is not ours,
names with rich markup characters, a Dask address where something else answers, SIGINT and
SIGTERM, file modes, ``seeds: true``, a linspace to ``.inf`` and verify's own failure line.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import socketserver
import stat
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
from clirun import captured

SWEEP = "name: tiny\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 2\nfactors:\n  tau_train: [0.0, 0.4]\n"


def cli(argv, capsys) -> tuple[int, str, str]:
    return captured(argv)


def one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2 and err.count("\n") == 1 and err.startswith("renosim: error: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    for n in needles:
        assert n in err, err


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- renosim show -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, needle",
    [
        ("x.yaml", b"a: 1\n", "not a renosim output"),
        ("x.bin", bytes(range(256)), "not a renosim output"),
        ("x.json", bytes(range(256)), "binary"),
        ("x.json", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("x.json", b'{"command": "x"}', "not a renosim provenance record"),
        ("x.json", b'{"command": "x", "created": 1', "malformed provenance JSON"),
        ("x.json", b"[1, 2]", "not a renosim provenance record"),
        ("x.parquet", b"PAR1 not really", "not a readable Parquet file"),
        ("x.html", b'<script type="application/json" id="renosim-provenance">{bad</script>', "malformed"),
        ("x.html", b"<html>no record</html>", "carries no renosim provenance"),
    ],
)
def test_show_of_what_is_not_a_record_is_one_line(place, capsys, name, content, needle):
    (place / name).write_bytes(content)
    one_line(*cli(["show", name], capsys)[::2], needle)


def test_show_of_a_parquet_file_without_a_record_is_one_line(place, capsys):
    pd.DataFrame({"a": [1]}).to_parquet(place / "plain.parquet")
    one_line(*cli(["show", "plain.parquet"], capsys)[::2], "no renosim provenance")


def test_show_of_a_huge_json_is_refused_by_its_size(place, capsys):
    with open(place / "big.json", "wb") as fh:
        fh.truncate(300 << 20)  # 300 MB, sparse: refused before a byte is read
    start = time.monotonic()
    one_line(*cli(["show", "big.json"], capsys)[::2], "the limit is")
    assert time.monotonic() - start < 30  # a hang guard, not a speed figure


def test_a_folder_named_with_markup_is_shown_as_named(place, capsys):
    code, out, err = cli(["run", "--households", 20, "--years", 1, "--out", "x[/]y"], capsys)
    assert code == 0 and "wrote x[/]y/" in out, err
    code, out, err = cli(["show", "x[/]y"], capsys)
    assert code == 0 and "--out 'x[/]y'" in out, err


def test_factor_levels_with_markup_are_printed_as_they_are(place, capsys):
    (place / "mk.yaml").write_text(
        "name: mk\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 1\n"
        "factors:\n  weird:\n    '[/]': {tau_train: 0.1}\n    '[bold]x': {tau_train: 0.2}\n"
    )
    code, out, err = cli(["sweep", "mk.yaml", "--out", "o[/]", "--workers", 1, "--no-progress"], capsys)
    assert code == 0, err
    assert "weird=[/]" in out and "weird=[bold]x" in out and "in o[/]/summary" in out


# -- renosim viz ----------------------------------------------------------------------------------


def test_viz_on_a_busy_port_is_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        one_line(*cli(["viz", "--port", port], capsys)[::2], f"port {port}", "in use")


@pytest.mark.parametrize("host", ["no such host!", "192.0.2.77"])
def test_viz_on_a_host_that_is_not_ours_is_one_line(capsys, host):
    one_line(*cli(["viz", "--host", host, "--port", 0], capsys)[::2], "--host", "not an address of this machine")


# -- a Dask address where something else answers --------------------------------------------------


class _Web(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test's server, not renosim, would write to stderr
        pass


class _Garbage(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(b"SSH-2.0-OpenSSH_9.2\r\n" * 200)  # a huge "frame length" to Dask


@pytest.mark.parametrize("server", ["http", "garbage"])
def test_an_address_that_is_not_a_scheduler_is_refused_within_the_timeout(place, capsys, server):
    from experiments.backends import CONNECT_SECONDS

    handler = _Web if server == "http" else _Garbage
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    (place / "exp.yaml").write_text(SWEEP)
    try:
        start = time.monotonic()
        address = f"tcp://127.0.0.1:{srv.server_address[1]}"
        code, _, err = cli(["sweep", "exp.yaml", "--out", "o", "--scheduler", address, "--no-progress"], capsys)
        elapsed = time.monotonic() - start
    finally:
        srv.shutdown()
        srv.server_close()
    one_line(code, err, "is not a Dask scheduler")
    assert not (place / "o").exists()
    assert elapsed < 3 * CONNECT_SECONDS  # a hang guard (it hung for 710 s); the bound itself is CONNECT_SECONDS


# -- experiment values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, needle",
    [
        (("seeds: 2", "seeds: true"), "seeds: Input should be a valid integer (got True)"),
        (("seeds: 2", "seeds: 2.5"), "seeds"),
        (("[0.0, 0.4]", "{low: 0, high: .inf, num: 3}"), "tau_train.high: Input should be a finite number"),
        (("[0.0, 0.4]", "{low: .nan, high: 0.4, num: 3}"), "tau_train.low"),
        (("[0.0, 0.4]", "{low: 0, high: 0.4, num: true}"), "tau_train.num"),
        (("seeds: 2", "seeds: 2\ntimeseries: 1"), "timeseries"),
    ],
)
def test_values_of_the_wrong_kind_are_named(place, capsys, edit, needle):
    (place / "exp.yaml").write_text(SWEEP.replace(*edit))
    code, _, err = cli(["sweep", "exp.yaml", "--out", "o", "--workers", 1, "--no-progress"], capsys)
    one_line(code, err, needle)
    if ".inf" in edit[1]:
        assert "nan" not in err  # it said "nan" before
    assert not (place / "o").exists()


# -- file modes -----------------------------------------------------------------------------------


def test_every_file_renosim_writes_is_mode_0644(place, capsys):
    old = os.umask(0o077)  # a strict umask: the mode must be the README's anyway
    try:
        (place / "exp.yaml").write_text(SWEEP)
        assert cli(["sweep", "exp.yaml", "--out", "s", "--workers", 1, "--no-progress"], capsys)[0] == 0
        assert cli(["run", "--households", 20, "--years", 1, "--out", "r", "--csv"], capsys)[0] == 0
        args = ["--seeds", 2, "--households", 20, "--years", 1, "--workers", 1, "--no-progress"]
        assert cli(["compare", *args, "--out", "c"], capsys)[0] == 0
    finally:
        os.umask(old)
    modes = {
        str(p.relative_to(place)): stat.S_IMODE(p.stat().st_mode)
        for folder in ("s", "r", "c")
        for p in (place / folder).rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert "s/manifest.json" in modes and "r/summary.csv" in modes and "c/report.html" in modes
    assert {k: oct(v) for k, v in modes.items() if v != 0o644} == {}


# -- verify's failure line ------------------------------------------------------------------------


def test_a_failing_verify_never_says_zero_chunks_are_not_verified(place, capsys):
    (place / "exp.yaml").write_text(SWEEP)
    assert cli(["sweep", "exp.yaml", "--out", "s", "--workers", 1, "--chunk-runs", 1, "--no-progress"], capsys)[0] == 0
    (place / "s" / "summary" / "part-00000 (copy).parquet").write_bytes(b"x")
    code, _, err = cli(["verify", "s"], capsys)
    one_line(code, err, "NOT verified", "4 of 4 chunks have good parts", "1 fault:")
    assert "0 of" not in err


# -- SIGINT and SIGTERM ---------------------------------------------------------------------------


_LEFT_BY_A_KILLED_WORKER = """
import contextlib, sys
from experiments.cli import _signals_interrupt
from loky.backend import resource_tracker

with _signals_interrupt() if sys.argv[1] == "command" else contextlib.nullcontext():
    resource_tracker.register("/renosim-test-semlock", "semlock")  # never unregistered
"""


@pytest.mark.parametrize("where", ["command", "bare"])
def test_the_resource_trackers_cleanup_after_an_interrupt_prints_nothing(where):
    # What an interrupt leaves, made certain: a semaphore the tracker must remove at exit. Under a
    # command it does so silently (the interrupt already has its one line); outside one it warns.
    run = subprocess.run([sys.executable, "-c", _LEFT_BY_A_KILLED_WORKER, where], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert ("leaked semlock" in run.stderr) == (where == "bare"), run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_sweep_with_one_line_and_a_resumable_folder(tmp_path, sig):
    exp = tmp_path / "exp.yaml"
    exp.write_text(SWEEP.replace("seeds: 2", "seeds: 40").replace("years: 1", "years: 3"))
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "experiments", "sweep", str(exp), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen([*argv, "--chunk-runs", "2", "--no-progress"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # wait until two chunks are stored
        try:
            if len(json.loads((out / "manifest.json").read_text())["parts"]) >= 2:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.1)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert err.count("\n") == 1 and err.startswith(f"renosim: error: interrupted by {signal.Signals(sig).name}"), err
    assert "leaked" not in err and "Traceback" not in err
    resumed = subprocess.run([*argv, "--resume", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0 and "finished chunks skipped" in resumed.stdout, resumed.stderr
    from experiments.spec import load_experiment
    from experiments.store import read_results
    from experiments.sweep import run_sweep

    whole = run_sweep(load_experiment(exp), tmp_path / "whole", workers=1, progress=False).folder
    pd.testing.assert_frame_equal(read_results(out), read_results(whole))
