"""What ``renosim verify`` promises about the experiment a manifest records, checked without a run.

The recorded experiment (a sweep's or sensitivity's ``spec``, a calibration's inputs, a national
run's settings) must give back the manifest's hash and counts; anything else is refused with one
line naming the entry. These tests build the manifest in memory and call the checks directly, so
each takes milliseconds (``make mutation`` runs them on every mutant of the store first).
"""

from __future__ import annotations

import pytest

from experiments.manifest import Header, chunk_plan, parse_header
from experiments.spec import parse_experiment
from experiments.verify_spec import calibration_digest, check_spec
from sim.errors import InputError

WHERE = "R/manifest.json"


def header(name: str, digest: str, points: int, seeds: list[int], timeseries: bool = False) -> Header:
    runs = points * (seeds[1] - seeds[0] + 1)
    return Header.model_validate(
        {
            "experiment": name,
            "hash": digest,
            "runs": runs,
            "points": points,
            "seeds": seeds,
            "chunk_runs": runs,
            "chunks": 1,
            "timeseries": timeseries,
        }
    )


GRID = {"name": "g", "design": "grid", "households": 20, "years": 1, "seeds": 3, "factors": {"tau_train": [0.0, 0.4]}}


def check(manifest: dict, h: Header, max_runs: int | None = None) -> str | None:
    try:
        check_spec(manifest, h, WHERE, max_runs)
    except InputError as exc:
        return str(exc)
    return None


def test_a_grid_spec_that_gives_the_header_back_passes():
    exp = parse_experiment(GRID)
    assert check({"spec": GRID}, header("g", exp.digest(), 2, [0, 2])) is None


def test_a_spec_edited_into_nonsense_is_refused_naming_the_spec_entry():
    bad = {**GRID, "households": "many"}
    message = check({"spec": bad}, header("g", parse_experiment(GRID).digest(), 2, [0, 2]))
    assert message.startswith(f"{WHERE}: spec") and "households" in message


def test_verify_max_runs_bounds_the_recorded_spec_before_its_points_are_listed():
    # 2 points x 3 seeds = 6 runs; a bound of 5 refuses it and names the spec's size
    exp = parse_experiment(GRID)
    message = check({"spec": GRID}, header("g", exp.digest(), 2, [0, 2]), max_runs=5)
    assert message.startswith(f"{WHERE}: spec: points x seeds would run 2 x 3 = 6 runs; the limit is 5")
    assert check({"spec": GRID}, header("g", exp.digest(), 2, [0, 2]), max_runs=6) is None


def test_integer_levels_that_round_together_are_one_point():
    # linspace 0..1 in 5 steps on an integer parameter gives the levels 0 and 1: two points, not five
    spec = {**GRID, "factors": {"campaigns_per_yr": {"low": 0, "high": 1, "num": 5}}}
    exp = parse_experiment(spec)
    assert check({"spec": spec}, header("g", exp.digest(), 2, [0, 2])) is None
    assert "points = 5, but the recorded experiment gives 2" in check(
        {"spec": spec}, header("g", exp.digest(), 5, [0, 2])
    )
    oat = {**spec, "design": "oat", "include_base": True}
    exp = parse_experiment(oat)
    assert check({"spec": oat}, header("g", exp.digest(), 3, [0, 2])) is None


def test_scenario_and_factorial_designs_count_their_points():
    scen = {
        "name": "s",
        "design": "scenarios",
        "households": 20,
        "years": 1,
        "seeds": 2,
        "include_base": True,
        "scenarios": [{"name": "a", "set": {"tau_train": 0}}, {"name": "b", "set": {"tau_info": 0}}],
    }
    exp = parse_experiment(scen)
    assert check({"spec": scen}, header("s", exp.digest(), 3, [0, 1])) is None
    fact = {k: v for k, v in scen.items() if k != "include_base"} | {"design": "factorial"}
    exp = parse_experiment(fact)
    assert check({"spec": fact}, header("s", exp.digest(), 4, [0, 1])) is None


MORRIS = {
    "name": "m",
    "design": "sensitivity",
    "households": 20,
    "years": 1,
    "seeds": 1,
    "ranges": {"tau_train": [0, 0.6], "kappa": [0.25, 0.75]},
    "morris": {"trajectories": 2, "levels": 4, "sample_seed": 0},
}


def test_a_sensitivity_spec_is_checked_against_its_methods_hash():
    exp = parse_experiment(MORRIS)
    points = 2 * (2 + 1)  # trajectories x (inputs + 1)
    assert check({"spec": MORRIS}, header("m", exp.digest("morris"), points, [0, 0])) is None
    message = check({"spec": MORRIS}, header("m", "0" * 16, points, [0, 0]))
    assert message == f"{WHERE}: hash '{'0' * 16}' is not the recorded spec's; the spec or the hash was edited"


def calibration(samples, seeds, regimes) -> dict:
    return {"calibration": {"samples": samples, "seeds": seeds}, "regimes": regimes, "run": {"years": 1}}


def test_a_calibration_gives_samples_times_regimes_points_and_its_seeds():
    inputs = calibration(3, 2, ["pilot", "top_down"])
    assert check({"calibration": inputs}, header("c", calibration_digest(inputs), 6, [0, 1])) is None
    one = calibration(1, 1, ["pilot"])  # one sample, one seed: the smallest calibration
    assert check({"calibration": one}, header("c", calibration_digest(one), 1, [0, 0])) is None


def test_an_edited_calibration_is_refused_in_one_line():
    inputs = calibration(3, 2, ["pilot"])
    message = check({"calibration": inputs}, header("c", "f" * 16, 3, [0, 1]))
    assert message == f"{WHERE}: hash '{'f' * 16}' is not the recorded calibration's; one was edited"


@pytest.mark.parametrize(
    "inputs",
    [calibration(0, 2, ["pilot"]), calibration(3, 0, ["pilot"]), calibration(2.0, 2, ["pilot"]),
     calibration(3, 2, "pilot"), {"regimes": ["pilot"]}],
)  # fmt: skip
def test_a_calibration_record_that_is_not_one_is_refused(inputs):
    message = check({"calibration": inputs}, header("c", calibration_digest(inputs), 3, [0, 1]))
    assert message == f"{WHERE}: calibration: not the record of a calibration's inputs"


NATIONAL_KEYS = ["data", "end", "executor", "overrides", "scale", "scenario", "seed", "start"]


@pytest.mark.parametrize("settings", [{"data": {}}, ["data"], dict.fromkeys([*NATIONAL_KEYS, "extra"])])
def test_national_settings_without_their_keys_are_refused_naming_them(settings):
    message = check({"national": settings}, header("national", "0" * 16, 1, [0, 0], True))
    assert message == f"{WHERE}: national: expected the settings {NATIONAL_KEYS}"


def test_national_settings_with_invalid_totals_name_the_first_line_of_the_fault():
    settings = dict.fromkeys(NATIONAL_KEYS, 0) | {"data": 5}
    message = check({"national": settings}, header("national", "0" * 16, 1, [0, 0], True))
    assert message == f"{WHERE}: national: the recorded totals are not valid (1 validation error for NationalData)"


def test_a_chunk_size_below_one_is_refused_in_one_line():
    with pytest.raises(InputError, match=r"^chunk size must be at least 1 run, got 0$"):
        chunk_plan(2, 3, 0)


def test_a_header_fault_is_one_line_cut_at_400_characters():
    doc = {"experiment": "x" * 1000, "hash": "h", "runs": 1, "points": 1, "seeds": [0], "chunk_runs": 1, "chunks": 1}
    with pytest.raises(InputError) as exc:
        parse_header({**doc, "timeseries": False}, WHERE)
    message = str(exc.value)
    assert "\n" not in message and len(message) == 400 + len("...") and message.endswith("x...")
    assert message.startswith(f"{WHERE}: ")


def test_a_message_of_exactly_400_characters_is_kept_whole():
    from experiments.manifest import _short

    assert _short("x" * 400) == "x" * 400 and _short("x" * 401) == "x" * 400 + "..."


@pytest.mark.parametrize("manifest, name", [({}, "national"), ({"national": {}}, "sweep")])
def test_a_manifest_recording_no_experiment_of_its_kind_is_refused(manifest, name):
    message = check(manifest, header(name, "0" * 16, 1, [0, 0]))
    assert message == f"{WHERE}: records no experiment (spec), so its counts cannot be checked"


def test_the_calibration_hash_is_the_one_earlier_folders_recorded():
    # Folders on disk carry this hash: a change to how it is computed would make every finished
    # calibration fail verify. Key order does not matter (the JSON is canonical).
    inputs = calibration(3, 2, ["pilot", "top_down"])
    assert calibration_digest(inputs) == "54c4d935ea53a812"
    assert calibration_digest(dict(reversed(list(inputs.items())))) == "54c4d935ea53a812"


def national_run(**changes):
    from experiments.national import NationalRun
    from sim.city.national import load_national

    return NationalRun(load_national(), **{"scale": 0.01, "start": 2019, "end": 2020, "seed": 7, **changes})


def test_national_settings_give_back_their_hash_slices_and_seed():
    run = national_run()  # 2019-2020 at 1 %: one slice per province (32), one seed, always with time series
    assert check({"national": run.settings()}, header("national", run.digest(), 32, [7, 7], True)) is None
    assert check({"national": run.settings()}, header("national", run.digest(), 31, [7, 7], True)) == (
        f"{WHERE}: points = 31, but the recorded experiment gives 32"
    )
    assert check({"national": run.settings()}, header("national", run.digest(), 32, [7, 8], True)) == (
        f"{WHERE}: seeds = [7, 8], but the recorded experiment gives [7, 7]"
    )


def test_national_settings_edited_after_the_run_are_refused_by_their_hash():
    run, other = national_run(), national_run(seed=8)
    message = check({"national": other.settings()}, header("national", run.digest(), 32, [7, 7], True))
    assert message == f"{WHERE}: hash {run.digest()!r} is not the recorded settings'; the settings or hash was edited"
