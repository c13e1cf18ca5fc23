"""One error path (issue 11 §2, §5-§8): every bad input gives one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from clirun import captured

GOOD = "name: tiny\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 2\nfactors:\n  tau_train: [0.0, 0.4]\n"


def run(argv, capsys) -> tuple[int, str]:
    code, _, err = captured(argv)
    return code, err


def assert_one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("renosim: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, err


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sweep_file(place: Path, text: str) -> Path:
    f = place / "exp.yaml"
    f.write_text(text)
    return f


def sweep(place: Path, f, capsys, *extra) -> tuple[int, str]:
    before = listing(place)
    res = run(["sweep", f, "--out", place / "out", "--workers", 1, "--no-progress", *extra], capsys)
    assert listing(place) == before, "an error wrote something"
    return res


def test_yaml_nested_20000_deep_is_one_line(place, capsys):
    f = sweep_file(place, "a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert_one_line(*sweep(place, f, capsys), "nested deeper than")


def test_block_yaml_nested_deep_is_one_line(place, capsys):
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    assert_one_line(*sweep(place, sweep_file(place, text), capsys), "nested deeper than")


def test_a_binary_file_as_config_is_one_line(place, capsys):
    f = place / "exp.yaml"
    f.write_bytes(bytes(range(256)) * 4)
    assert_one_line(*sweep(place, f, capsys), "binary")


def test_latin1_text_is_one_line(place, capsys):
    f = place / "exp.yaml"
    f.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert_one_line(*sweep(place, f, capsys), "not UTF-8")


def test_dev_zero_as_experiment_file_is_refused_without_reading(place, capsys):
    start = time.monotonic()
    assert_one_line(*sweep(place, "/dev/zero", capsys), "not a regular file")
    assert time.monotonic() - start < 5


def test_a_folder_is_reported_as_a_folder(place, capsys):
    (place / "d").mkdir()
    code, err = sweep(place, place / "d", capsys)
    assert_one_line(code, err, "is a folder")
    assert "not found" not in err


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_unreadable_proc_file_is_not_reported_as_missing(place, capsys):
    code, err = sweep(place, "/proc/self/mem", capsys)
    assert_one_line(code, err)
    assert "not found" not in err


def test_a_huge_file_is_refused_by_its_size(place, capsys):
    f = place / "exp.yaml"
    f.write_text("# " + "x" * (2 << 20) + "\n" + GOOD)
    assert_one_line(*sweep(place, f, capsys), "the limit is")


def test_a_5000_character_path_is_one_line(place, capsys):
    assert_one_line(*sweep(place, "/" + "x" * 5000 + ".yaml", capsys))


def test_yaml_alias_bomb_is_refused(place, capsys):
    text = GOOD + "description: &a [x, x]\nbase: {}\n" + "extra: &b [*a, *a]\n"
    assert_one_line(*sweep(place, sweep_file(place, text), capsys), "aliases")


def test_a_duplicate_yaml_key_is_an_error(place, capsys):
    assert_one_line(*sweep(place, sweep_file(place, GOOD + "seeds: 3\n"), capsys), "'seeds' is given twice")


def test_a_factor_listed_twice_is_an_error(place, capsys):
    text = GOOD + "  tau_train: [0.1]\n"
    assert_one_line(*sweep(place, sweep_file(place, text), capsys), "'tau_train' is given twice")


def test_households_1e9_exits_2_and_writes_nothing(place, capsys):
    f = sweep_file(place, GOOD.replace("households: 20", "households: 1000000000"))
    assert_one_line(*sweep(place, f, capsys), "households")


@pytest.mark.parametrize(
    "text, needle",
    [
        (GOOD.replace("seeds: 2", "seeds: 1000000000"), "--max-runs"),
        (GOOD.replace("[0.0, 0.4]", "{low: 0, high: 0.6, num: 1000000000}"), "above the limit"),
        (  # 1000^3 = 10^9 points
            GOOD.replace("factors:\n  tau_train: [0.0, 0.4]\n", "factors:\n")
            + "".join(f"  {p}: {{low: 0, high: 0.3, num: 1000}}\n" for p in ("tau_train", "tau_info", "tau_mon")),
            "--max-runs",
        ),
    ],
    ids=["seeds", "linspace", "grid"],
)
def test_sizes_beyond_the_limits_are_refused_at_once(place, capsys, text, needle):
    start = time.monotonic()
    assert_one_line(*sweep(place, sweep_file(place, text), capsys), needle)
    assert time.monotonic() - start < 10


def test_max_runs_lowers_the_limit_and_says_how_to_raise_it(place, capsys):
    assert_one_line(*sweep(place, sweep_file(place, GOOD), capsys, "--max-runs", 3), "4 runs", "--max-runs")


def test_compare_with_a_billion_seeds_is_refused_at_once(place, capsys):
    start = time.monotonic()
    code, err = run(["compare", "--seeds", 1_000_000_000, "--no-progress"], capsys)
    assert_one_line(code, err, "--max-runs")
    assert time.monotonic() - start < 10


def test_calibrate_with_a_billion_samples_names_the_limit(place, capsys):
    code, err = run(["calibrate", "--samples", 1_000_000_000, "--workers", 1], capsys)
    assert_one_line(code, err, "samples")
    assert "pydantic" not in err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["run", "--seed", "abc"], "'--seed'"),
        (["run", "--set", "tau_train=0.1", "--set", "tau_train=0.2"], "given twice"),
        (["run", "--years", "2", "--years", "3"], "--years is given twice"),
        (["run", "--progress", "--no-progress"], ""),  # an unknown option is one line too
        (["compare", "--workers", "0"], "--workers"),
        (["run", "--households", "5"], "households"),
        (["nosuchcommand"], "nosuchcommand"),
        (["run", "--config", "/dev/zero"], "not a regular file"),
        (["validate", "/dev/zero"], "not a regular file"),
        (["city", "--scenario", "/"], "is a folder"),
        (["calibrate", "--out", "nowhere", "--resume", "--workers", "1"], "--resume"),
        (["compare", "--scheduler", "http://x", "--no-progress"], "tcp://HOST:PORT"),
        (["verify", "nowhere"], "not a folder"),
    ],
)
def test_bad_command_lines_are_one_line(place, capsys, argv, needle):
    before = listing(place)
    assert_one_line(*run(argv, capsys), needle)
    assert listing(place) == before


def test_an_unreachable_scheduler_fails_within_10_s_with_one_line(place, capsys):
    f = sweep_file(place, GOOD)
    start = time.monotonic()
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so the connection hangs until the timeout.
    code, err = sweep(place, f, capsys, "--scheduler", "tcp://192.0.2.1:8786")
    assert_one_line(code, err, "cannot reach Dask scheduler")
    assert time.monotonic() - start < 10


def test_a_refused_scheduler_connection_is_one_line(place, capsys):
    code, err = sweep(place, sweep_file(place, GOOD), capsys, "--scheduler", "tcp://127.0.0.1:1")
    assert_one_line(code, err, "cannot reach Dask scheduler")
