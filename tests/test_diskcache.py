"""Start-up numbers kept on disk (sim/diskcache.py): the same inputs and code give the stored number
to the bit; other code, a damaged file or a folder that cannot be written mean computing again."""

import numpy as np
import pytest

from sim import diskcache
from sim import households as H
from sim.params import resolve


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(diskcache, "folder", lambda: tmp_path / "startup")
    return tmp_path / "startup"


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_number_is_computed_once_and_read_back_to_the_bit(folder):
    value = np.nextafter(0.4378, 1.0)  # a float with all its bits in use
    compute, calls = counting(value)
    assert diskcache.cached_float("x", (150, 0.36), compute) == value
    assert diskcache.cached_float("x", (150, 0.36), compute) == value
    assert len(calls) == 1 and len(list(folder.iterdir())) == 1
    assert diskcache.cached_float("x", (151, 0.36), compute) == value and len(calls) == 2  # other inputs


def test_other_code_computes_again(folder, monkeypatch):
    compute, calls = counting(0.25)
    diskcache.cached_float("x", (1,), compute)
    monkeypatch.setattr(diskcache, "code_fingerprint", lambda: "edited")
    diskcache.cached_float("x", (1,), compute)
    monkeypatch.setenv("MUTANT_UNDER_TEST", "sim.households.x__bisect__mutmut_1")
    diskcache.cached_float("x", (1,), compute)
    assert len(calls) == 3


def test_a_damaged_file_is_computed_again_and_replaced(folder):
    compute, calls = counting(0.5)
    diskcache.cached_float("x", (1,), compute)
    (stored,) = folder.iterdir()
    for damage in ("{not json", '{"key": "another", "value": "0x1p-1"}', '{"key": 1}', "[]"):
        stored.write_text(damage)
        assert diskcache.cached_float("x", (1,), compute) == 0.5
    assert len(calls) == 5 and diskcache.cached_float("x", (1,), compute) == 0.5 and len(calls) == 5


def test_a_folder_that_cannot_be_written_still_gives_the_number_and_leaves_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(diskcache, "folder", lambda: blocker / "startup")  # mkdir under a file fails, even as root
    compute, calls = counting(0.75)
    assert diskcache.cached_float("x", (1,), compute) == 0.75
    assert diskcache.cached_float("x", (1,), compute) == 0.75 and len(calls) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_editing_any_model_source_changes_the_fingerprint(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    source = tmp_path / "rules" / "intention.py"
    source.write_text("THRESHOLD = 0.5\n")
    monkeypatch.setattr(diskcache, "_PACKAGE", tmp_path)
    diskcache.code_fingerprint.cache_clear()
    try:
        before = diskcache.code_fingerprint()
        source.write_text("THRESHOLD = 0.6\n")
        diskcache.code_fingerprint.cache_clear()
        assert diskcache.code_fingerprint() != before
    finally:
        diskcache.code_fingerprint.cache_clear()


@pytest.mark.parametrize("sizes", [150, (40, 150, 300)])
def test_the_calibration_from_disk_is_the_bisection(folder, sizes):
    p = resolve("pilot", {})
    key = tuple(getattr(p, f) for f in H._CAL_FIELDS)
    exact = H._bisect((sizes,) if np.ndim(sizes) == 0 else tuple(sizes), key)
    for _ in range(2):  # computed and stored, then read from disk in a "new process"
        H._calibrate.cache_clear()
        assert H.calibrate_mu_theta(sizes, p) == exact
    assert len(list(folder.iterdir())) == 1
