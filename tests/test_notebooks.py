"""The notebooks run top to bottom (jupytext sources executed with nbclient) in under two minutes."""

import time
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.py"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_under_two_minutes(path):
    nb = jupytext.read(path)
    start = time.perf_counter()
    NotebookClient(nb, timeout=170, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert elapsed < 170, f"{path.name} took {elapsed:.0f} s"
