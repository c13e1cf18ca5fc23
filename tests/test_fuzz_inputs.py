"""Property-based fuzzing (Hypothesis) of parameter sets and experiment files (issue 11).

No input may end in a traceback: a rejected input raises :class:`InputError` (Python) or exits 2
with one line and writes nothing (command line). An accepted input gives a finished run whose
outputs lie inside their documented ranges (docs/API.md, docs/ODD.md §9), NaN exactly where the
missing-value rules say. Small compounds (20 households) and short horizons keep ~1,000 cases to a
few minutes; ``RENOSIM_FUZZ_PARAMS`` and ``RENOSIM_FUZZ_FILES`` set the number of cases.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from experiments.cli import main
from experiments.store import read_results
from experiments.verify import verify_folder
from sim.errors import InputError
from sim.params import REGIMES, list_parameters
from sim.run import run_batch

pytestmark = pytest.mark.slow

N_PARAMS = int(os.environ.get("RENOSIM_FUZZ_PARAMS", "750"))
N_FILES = int(os.environ.get("RENOSIM_FUZZ_FILES", "250"))
# derandomized: CI runs the same generated cases every time (a failure is a bug, never a bad draw)
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True, derandomize=True)

PARAMS = list_parameters()
NAMES = sorted(PARAMS)
NUMERIC = [n for n in NAMES if PARAMS[n].kind in ("float", "int")]

# ---------------------------------------------------------------------------------------------
# Documented ranges of the outputs (docs/API.md "summary()" and "timeseries()").

SHARES = [  # in [0, 1]
    "support_t0",
    "willingness_t0",
    "participation_rate",
    "cofunding_collection",
    "fee_collection",
    "party_share_of_representatives",
    "legitimacy",
    "maintenance_year5",
    "social_capital_t0",
    "social_capital_end",
    "item_support_basic_t0",
    "item_support_improvement_t0",
    "item_support_enhancement_t0",
]
NON_NEGATIVE = [
    "representatives",
    "complaints_per_100_households_per_year",
    "meeting_conflicts_per_100_households_per_year",
    "escalated_complaints_per_100_households_per_year",
    "government_cost_per_household",
    "investment_per_household",
    "approval_delay_weeks",
    "office_hours",
]
NEVER_NAN = [
    "support_t0",
    "willingness_t0",
    "participation_rate",
    "legitimacy",
    "representatives",
    "complaints_per_100_households_per_year",
    "government_cost_per_household",
    "social_capital_t0",
    "social_capital_end",
]
WEEKLY_SHARES = ["participation", "willingness", "support", "social_capital", "maintenance"]
WEEKLY_MAYBE_NAN = ["cofunding_collection", "fee_collection"]  # None before the window closes / first bill


def check_summary(s: pd.DataFrame, years: int, households: int) -> None:
    weeks = 52 * years
    assert (s["n_households"] == households).all()
    for c in NEVER_NAN:
        assert s[c].notna().all(), c
    for c in SHARES:
        v = s[c].dropna()
        assert ((v >= 0) & (v <= 1 + 1e-9)).all(), (c, v.tolist())
    for c in NON_NEGATIVE:
        v = s[c].dropna()
        assert (v >= 0).all() and np.isfinite(v).all(), (c, v.tolist())
    for c in ("consensus_weeks", "completion_week"):
        v = s[c].dropna()
        assert ((v >= 0) & (v <= weeks)).all(), (c, v.tolist())
    # the missing-value rules
    assert (s["completion_week"].isna() == ~s["completed"].astype(bool)).all()
    assert s["maintenance_year5"].isna().all() if years < 5 else s["maintenance_year5"].notna().all()
    no_council = ~s["council_formed"].astype(bool)
    assert s.loc[no_council, "party_share_of_representatives"].isna().all()
    assert s.loc[s["representatives"] > 0, "party_share_of_representatives"].notna().all()


def check_timeseries(t: pd.DataFrame, years: int, runs: int) -> None:
    assert len(t) == runs * 52 * years
    assert t["week"].between(0, 52 * years - 1).all()
    for c in WEEKLY_SHARES:
        assert t[c].notna().all() and t[c].between(0, 1 + 1e-9).all(), c
    for c in WEEKLY_MAYBE_NAN:
        v = t[c].dropna()
        assert v.between(0, 1 + 1e-9).all(), c
    assert (t["complaints"] >= 0).all() and (t["representatives"] >= 0).all()
    keys = [k for k in ("point", "seed", "compound") if k in t.columns]
    assert (t.sort_values([*keys, "week"]).groupby(keys)["complaints"].diff().dropna() >= 0).all()


# ---------------------------------------------------------------------------------------------
# A bug the fuzzing found in sim/ and now fixed: with a zero property fee the monthly bill was zero and
# the collection rate 0/0 = NaN, which turned the maintenance index NaN. A zero fee now bills nothing,
# so fee collection does not exist (NaN in the summary) and maintenance stays defined. (The street
# office's caretaker fee is zeroed too, so that nobody bills at all.)
def test_a_zero_property_fee_keeps_maintenance_defined():
    params = {"approval_rule": "civil_code", "fee_per_m2": 0.0, "signoff_weeks": 1.0}  # as Hypothesis found it
    params["caretaker_fee"] = 0.0
    res = run_batch(params, seeds=[0, 1], regime="top_down", n_households=20, years=5)
    assert res.timeseries["maintenance"].notna().all()
    assert res.summary["maintenance_year5"].notna().all()
    assert res.summary["fee_collection"].isna().all()  # nothing was billed: not applicable, never 0
    assert res.timeseries["fee_collection"].isna().all()


# ---------------------------------------------------------------------------------------------
# Strategies

GARBAGE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.text(max_size=6),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(0, 3), max_size=2),
)


def valid_value(name: str) -> st.SearchStrategy:
    p = PARAMS[name]
    if p.kind == "bool":
        s = st.booleans()
    elif p.kind == "choice":
        s = st.sampled_from(p.choices)
    elif p.kind == "int":
        s = st.integers(int(math.ceil(p.low)), int(math.floor(min(p.high, p.low + 50))))
    else:
        s = st.floats(p.low, p.high, allow_nan=False)
    return s | st.none() if p.default is None else s


@st.composite
def value(draw, name: str):
    """Mostly valid (nine in ten), so that many parameter sets run and the rest probe the checks."""
    return draw(GARBAGE if draw(st.integers(0, 9)) == 0 else valid_value(name))


@st.composite
def overrides(draw, max_size: int = 4) -> dict:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=max_size, unique=True))
    out = {n: draw(value(n)) for n in names}
    if draw(st.integers(0, 19)) == 0:
        out[draw(st.text(min_size=1, max_size=8))] = draw(GARBAGE)
    return out


@settings(FUZZ, max_examples=N_PARAMS)
@given(
    params=overrides(),
    regime=st.sampled_from(REGIMES),
    seed=st.integers(0, 2**40),
    years=st.sampled_from([1, 1, 1, 2, 5]),
)
def test_any_parameter_set_is_refused_in_one_line_or_runs_inside_the_documented_ranges(params, regime, seed, years):
    try:
        res = run_batch(params, seeds=[seed, seed + 1], regime=regime, n_households=20, years=years)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)
        event("refused")
        return
    event("ran")
    check_summary(res.summary, years, 20)
    check_timeseries(res.timeseries, years, 2)


# ---------------------------------------------------------------------------------------------
# Experiment files through the command line


def range_of(name: str) -> st.SearchStrategy:
    p = PARAMS[name]
    mid = (p.low + p.high) / 2
    low = st.floats(p.low, mid, exclude_max=True)
    return st.tuples(low, st.floats(mid, p.high, exclude_min=True)).map(list)


@st.composite
def valid_experiment(draw) -> dict:
    """A small experiment that is valid by construction (though its values may still clash)."""
    design = draw(st.sampled_from(["grid", "oat", "scenarios", "factorial", "sensitivity"]))
    doc: dict = {
        "name": "fz",
        "design": design,
        "households": draw(st.integers(20, 24)),
        "years": draw(st.sampled_from([1, 1, 2])),
        "seeds": draw(st.integers(1, 2)),
        "seed_start": draw(st.integers(0, 10**6)),
        "timeseries": draw(st.booleans()),
        "regime": draw(st.sampled_from(REGIMES)),
    }
    if draw(st.booleans()):
        doc["base"] = {n: draw(valid_value(n)) for n in draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))}
    names = st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True)
    if design in ("grid", "oat"):
        doc["factors"] = {n: draw(st.lists(valid_value(n), min_size=1, max_size=2)) for n in draw(names)}
    elif design in ("scenarios", "factorial"):
        sets = draw(st.lists(names, min_size=1, max_size=2))
        doc["scenarios"] = [
            {"name": f"s{i}", "set": {n: draw(valid_value(n)) for n in ns}} for i, ns in enumerate(sets)
        ]
    else:
        picked = draw(st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=2, unique=True))
        doc["ranges"] = {n: draw(range_of(n)) for n in picked}
        doc["morris"] = {"trajectories": 2, "levels": draw(st.sampled_from([2, 4]))}
        doc["sobol"] = {"n": 2, "second_order": False}
    if draw(st.booleans()):
        doc["outputs"] = draw(
            st.lists(st.sampled_from(["participation_rate", "fee_collection"]), min_size=1, unique=True)
        )
    return doc


@st.composite
def experiment_text(draw) -> str:
    """A valid experiment, or one damaged in its values, its keys or its YAML text."""
    doc = draw(valid_experiment())
    damage = draw(st.sampled_from(["none", "none", "none", "value", "key", "text", "garbage"]))
    if damage == "value":  # one value replaced by garbage or an out-of-range number
        key = draw(st.sampled_from(sorted(doc)))
        doc[key] = draw(st.one_of(GARBAGE, st.integers(-3, 10**10), overrides(2)))
    elif damage == "key":
        doc[draw(st.text(min_size=1, max_size=6))] = draw(GARBAGE)
    elif damage == "garbage":
        doc = draw(st.dictionaries(st.text(max_size=6), GARBAGE, max_size=4))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    if damage == "text":
        lines = text.splitlines(keepends=True)
        how = draw(st.integers(0, 2))
        if how == 0:  # a key given twice
            text += draw(st.sampled_from(lines))
        elif how == 1:  # cut short
            text = text[: draw(st.integers(0, len(text)))]
        else:  # a stray character
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(["\t", "[", ":", "&a ", "*a", "\x00", "{"])) + text[at:]
    return text


@settings(FUZZ, max_examples=N_FILES)
@given(text=experiment_text(), method=st.sampled_from(["morris", "sobol"]))
def test_any_experiment_file_is_refused_in_one_line_or_runs_to_a_verified_folder(text, method):
    with tempfile.TemporaryDirectory() as tmp:
        f, out = Path(tmp) / "exp.yaml", Path(tmp) / "out"
        f.write_text(text, encoding="utf-8")
        command = ["sensitivity", method] if "design: sensitivity" in text else ["sweep"]
        argv = [*command, str(f), "--out", str(out), "--workers", "1", "--no-progress", "--max-runs", "16"]
        err, sink = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(sink):
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
        message = err.getvalue()
        assert code in (0, 2), message
        if code == 2:
            assert message.count("\n") == 1 and message.startswith("renosim: error: "), message
            assert not out.exists(), f"a refused experiment wrote {sorted(out.rglob('*'))}"
            event("refused")
            return
        event(f"ran {command[-1]}")
        n = verify_folder(out)
        exp = yaml.safe_load(text)
        years = exp.get("years", 10)
        summary = read_results(out)
        assert len(summary) == n["runs"]
        check_summary(summary, years, exp.get("households", 150))
        if n["timeseries"]:
            check_timeseries(read_results(out, "timeseries"), years, n["runs"])


def test_cases_the_fuzzing_found_are_refused_before_anything_is_written(tmp_path):
    """theta_dist 'fixed' without mu_theta, an output listed twice, a parameter name with a newline."""
    from clirun import exit_code as cli

    head = "name: fz\nhouseholds: 20\nyears: 1\nseeds: 1\ntimeseries: false\nregime: top_down\n"
    cases = {
        "theta": head + "design: grid\nfactors:\n  theta_dist:\n  - fixed\n",
        "twice": head
        + "design: sensitivity\nranges:\n  b_party: [0.0, 1.0]\n  belief0: [0.0, 1.0]\n"
        + "morris:\n  trajectories: 2\n  levels: 2\noutputs: [participation_rate, participation_rate]\n",
    }
    for name, text in cases.items():
        f, out = tmp_path / f"{name}.yaml", tmp_path / f"out-{name}"
        f.write_text(text)
        argv = ["sweep", f] if name == "theta" else ["sensitivity", "morris", f]
        assert cli([*argv, "--out", out, "--workers", 1, "--no-progress"]) == 2, name
        assert not out.exists(), name
    with pytest.raises(InputError) as exc:
        run_batch({"\n": 0.0}, seeds=[0], regime="top_down", n_households=20, years=1)
    assert "\n" not in str(exc.value)
