"""The experiment a results folder records, checked against its manifest (part of ``renosim verify``).

A sweep or sensitivity folder's manifest carries the experiment itself (``spec``), a calibration's
the inputs its runs depend on (``calibration``), a national run its settings (``national``). Each
must give back the manifest's hash and the runs, points and seeds it claims; an edited spec, hash or
count is refused with one line, and so is a manifest that records no experiment (nothing to check
the counts against).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from experiments.manifest import Header
from sim.errors import InputError


def check_spec(manifest: dict[str, Any], header: Header, where: str, max_runs: int | None = None) -> None:
    """Refuse (one line) a manifest whose recorded experiment does not give its hash and counts."""
    if "spec" in manifest:
        points, seeds, timeseries = _experiment(manifest["spec"], header, where, max_runs)
    elif "calibration" in manifest:
        points, seeds, timeseries = _calibration(manifest["calibration"], header, where)
    elif "national" in manifest and header.experiment == "national":
        points, seeds, timeseries = _national(manifest["national"], header, where)
    else:
        raise InputError(f"{where}: records no experiment (spec), so its counts cannot be checked")
    claims = {"points": points, "seeds": seeds, "timeseries": timeseries}
    for key, recorded in claims.items():
        claimed = getattr(header, key)
        if claimed != recorded:
            raise InputError(f"{where}: {key} = {claimed!r}, but the recorded experiment gives {recorded!r}")


def _experiment(spec: Any, header: Header, where: str, max_runs: int | None) -> tuple[int, list[int], bool]:
    from experiments.limits import check_runs
    from experiments.spec import parse_experiment

    exp = parse_experiment(spec, f"{where}: spec")
    if exp.name != header.experiment:
        raise InputError(f"{where}: experiment = {header.experiment!r}, but the recorded spec is {exp.name!r}")
    method = _method(exp, header.hash)
    if method is None:
        raise InputError(f"{where}: hash {header.hash!r} is not the recorded spec's; the spec or the hash was edited")
    seeds = [exp.seed_start, exp.seed_start + exp.seeds - 1]
    if method:
        from experiments.sensitivity import METHOD

        return METHOD[method].n_points(exp), seeds, False
    from experiments.design import count_points

    check_runs([count_points(exp), exp.seeds], f"{where}: spec: points x seeds", max_runs)  # before any list
    return _point_count(exp), seeds, exp.timeseries


def _national(settings: Any, header: Header, where: str) -> tuple[int, list[int], bool]:
    """A national run's settings must give back the manifest's hash; its slices are the points."""
    from pydantic import ValidationError

    from experiments.national import NationalRun
    from sim.city.national import NationalData, plan_slices

    keys = ("scenario", "start", "end", "scale", "seed", "overrides", "executor")
    if not isinstance(settings, dict) or set(settings) != {"data", *keys}:
        raise InputError(f"{where}: national: expected the settings {sorted({'data', *keys})}")
    try:
        run = NationalRun(NationalData.model_validate(settings["data"]), **{k: settings[k] for k in keys})
    except (ValidationError, TypeError) as e:
        raise InputError(f"{where}: national: the recorded totals are not valid ({str(e).splitlines()[0]})") from e
    if run.digest() != header.hash:
        raise InputError(
            f"{where}: hash {header.hash!r} is not the recorded settings'; the settings or hash was edited"
        )
    slices = plan_slices(run.data, run.scenario, run.start, run.end, run.scale)
    return len(slices), [run.seed, run.seed], True


def _method(exp, digest: str) -> str | None:
    """``""`` for a sweep, the sensitivity method whose hash this is, or None if none matches."""
    if exp.design != "sensitivity":
        return "" if exp.digest() == digest else None
    from experiments.sensitivity import METHODS

    return next((m for m in METHODS if exp.digest(m) == digest), None)


def _point_count(exp) -> int:
    """The points of a grid, oat, scenarios or factorial design (rounded integer levels counted once)."""
    import math

    from experiments.design import count_points
    from experiments.spec import factor_values, is_bundle
    from sim.params import list_parameters

    if exp.design not in ("grid", "oat"):
        return count_points(exp)
    known = list_parameters()
    counts = [
        len(factor_values(s, "choice" if n == "regime" or is_bundle(s) else known[n].kind))
        for n, s in exp.factors.items()
    ]
    return math.prod(counts) if exp.design == "grid" else int(exp.include_base) + sum(counts)


def calibration_digest(inputs: dict[str, Any]) -> str:
    """The hash of a calibration's runs: what they depend on (run settings, priors, regimes)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


def _calibration(inputs: Any, header: Header, where: str) -> tuple[int, list[int], bool]:
    # outside the try: InputError is a ValueError, and this message must not become the one below
    if calibration_digest(inputs) != header.hash:
        raise InputError(f"{where}: hash {header.hash!r} is not the recorded calibration's; one was edited")
    try:
        samples, seeds = inputs["calibration"]["samples"], inputs["calibration"]["seeds"]
        regimes = inputs["regimes"]
        if not all(type(v) is int and v >= 1 for v in (samples, seeds)) or not isinstance(regimes, list):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{where}: calibration: not the record of a calibration's inputs") from None
    return samples * len(regimes), [0, seeds - 1], False
