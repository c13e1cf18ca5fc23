"""Hostile manifests, fuzzed (issue 21, "Done when"): 500 of them, and the store holds.

Each example takes a finished results folder, rewrites its manifest with hypothesis-chosen paths
(absolute, ``..``, links, NUL, lookalike part names), sizes (huge, negative, zero) and types (bool
for int, text for numbers, lists for mappings), sometimes links a dataset folder or a part outside,
then runs the reader, ``renosim verify`` and ``renosim sweep --resume`` on it. None may exit 3,
open, list or delete anything in the victim folder beside it, or change a byte there; a verify that
passes and a resume that succeeds must both leave exactly the uninterrupted run's data.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store_hostile import cli, watching

from experiments.spec import parse_experiment
from experiments.store import MANIFEST, read_results
from experiments.sweep import run_sweep
from sim.errors import InputError

SPEC = {
    "name": "fuzzed",
    "design": "grid",
    "households": 20,
    "years": 1,
    "seeds": 2,
    "timeseries": True,
    "factors": {"tau_train": [0.0, 0.4]},
}
N_MANIFESTS = 500

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, -1, 2**63, 10**9, 10**100]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3), max_leaves=6
)
HOSTILE_NAMES = [
    "{victim}/secret.txt",
    "../victim/secret.txt",
    "../../victim/secret.txt",
    "summary/../../victim/secret.txt",
    "summary/../manifest.json",
    "summary/./part-00000.parquet",
    "summary//part-00000.parquet",
    "summary/part-00000.parquet/",
    "summary/part-0.parquet",
    "summary/part-000000.parquet",
    "summary/part-00099.parquet",
    "summary/part-99999999999999999999.parquet",
    "summary/part-00000 (copy).parquet",
    "timeseries/part-00001.parquet",
    "points.parquet",
    "provenance.json",
    "manifest.json",
    "summary",
    "",
    ".",
    "/",
    "summary/\0part-00000.parquet",
    "summary\\part-00000.parquet",
    "x" * 5000,
]
part_name = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.from_regex(r"\A(summary|timeseries)/part-[0-9]{1,7}\.parquet\Z"),
    st.text(max_size=30),
)
HEADER_KEYS = ["experiment", "hash", "runs", "points", "seeds", "chunk_runs", "chunks", "timeseries", "spec", "files"]
size = st.one_of(st.integers(min_value=-3, max_value=12), st.sampled_from([10**9, 2**63, 10**30, -(10**9)]))


@st.composite
def hostile(draw):
    """A list of edits to a manifest (and to the folder's links), applied by :func:`apply`."""
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["part", "record", "header", "size", "drop", "files", "whole", "link"]))
        if kind == "part":
            edits.append(("part", draw(part_name), draw(st.sampled_from(["copy", "junk"])), draw(json_value)))
        elif kind == "record":
            edits.append(
                ("record", draw(st.integers(0, 7)), draw(st.sampled_from(["rows", "sha256"])), draw(json_value))
            )
        elif kind == "header":
            edits.append(("header", draw(st.sampled_from(HEADER_KEYS)), draw(json_value)))
        elif kind == "size":
            key = draw(st.sampled_from(["runs", "points", "chunk_runs", "chunks"]))
            edits.append(("header", key, draw(size)))
        elif kind == "drop":
            edits.append(("drop", draw(st.sampled_from([*HEADER_KEYS, "parts"]))))
        elif kind == "files":
            edits.append(("files", draw(st.sampled_from(["points.parquet", "provenance.json"])), draw(json_value)))
        elif kind == "whole":
            edits.append(("whole", draw(json_value.filter(lambda v: not isinstance(v, dict)))))
        else:
            edits.append(("link", draw(st.sampled_from(["summary", "timeseries", "summary/part-00001.parquet"]))))
    return edits


def apply(out: Path, victim: Path, edits) -> None:
    doc = json.loads((out / MANIFEST).read_text())
    names = sorted(doc["parts"])
    for e in edits:
        if e[0] == "whole":
            doc = e[1]
        elif not isinstance(doc, dict):
            continue
        elif e[0] == "part":
            record = doc.get("parts", {}).get(names[0]) if e[2] == "copy" else e[3]
            if isinstance(doc.get("parts"), dict):
                doc["parts"][e[1].format(victim=victim)] = record
        elif e[0] == "record" and isinstance(doc.get("parts"), dict) and e[1] < len(names):
            rec = doc["parts"].get(names[e[1]])
            if isinstance(rec, dict):
                rec[e[2]] = e[3]
        elif e[0] == "header":
            doc[e[1]] = e[2]
        elif e[0] == "drop":
            doc.pop(e[1], None)
        elif e[0] == "files" and isinstance(doc.get("files"), dict):
            doc["files"][e[1]] = e[2]
        elif e[0] == "link" and not (out / e[1]).parent.is_symlink():  # never write through a link
            target = out / e[1]
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            target.symlink_to(victim / ("secret.txt" if e[1].endswith(".parquet") else ""))
    (out / MANIFEST).write_text(json.dumps(doc))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    out = base / "R"
    run_sweep(parse_experiment(SPEC), out, workers=1, chunk_runs=1, progress=False)
    exp = base / "fuzzed.yaml"
    exp.write_text(json.dumps(SPEC))
    return out, exp, read_results(out), read_results(out, "timeseries")


@pytest.mark.slow
@settings(
    max_examples=N_MANIFESTS, deadline=None, derandomize=True, print_blob=True, suppress_health_check=list(HealthCheck)
)
@given(edits=hostile())
def test_no_hostile_manifest_reaches_outside_the_folder_or_exits_3(reference, capsys, monkeypatch, edits):
    monkeypatch.setenv("RENOSIM_TRACEBACK", "1")  # a bug raises here instead of exiting 3
    with tempfile.TemporaryDirectory() as tmp:
        out, victim = Path(tmp) / "R", Path(tmp) / "victim"
        shutil.copytree(reference[0], out)
        victim.mkdir()
        (victim / "secret.txt").write_text("keep me\n")
        for part in (out / "summary").iterdir():  # lookalikes, so a followed link would find parts
            shutil.copy(part, victim / part.name)
        before = {p.name: p.read_bytes() for p in victim.iterdir()}
        apply(out, victim, edits)
        with watching(victim) as seen:
            verified, _ = cli(["verify", out], capsys)
            try:
                read = read_results(out)
            except InputError:
                read = None
            resumed, err = cli(
                ["sweep", reference[1], "--out", out, "--resume", "--workers", 1, "--no-progress"], capsys
            )
            again, _ = cli(["verify", out], capsys) if resumed == 0 else (None, "")
        assert not seen, seen
        assert {p.name: p.read_bytes() for p in victim.iterdir()} == before
        assert verified in (0, 2) and resumed in (0, 2), err
        if verified == 0:
            pd.testing.assert_frame_equal(read, reference[2])
        if resumed == 0:
            assert again == 0
            pd.testing.assert_frame_equal(read_results(out), reference[2])
            pd.testing.assert_frame_equal(read_results(out, "timeseries"), reference[3])
