"""`make notebooks` executes jupytext sources into .ipynb and HTML under the build folder only."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_notebooks_writes_executed_ipynb_and_html_outside_the_sources(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "tiny.py").write_text(
        "# %%\nimport plotly.express as px\n\nanswer = 6 * 7\nprint(answer)\n\n"
        "# %%\npx.line(x=[0, 1, 2], y=[0, 1, 4], title='tiny')\n"
    )
    r = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(ROOT),
            "notebooks",
            f"NB_SRC={src}",
            f"NB_OUT={out}",
            "NB_ENV=PLOTLY_RENDERER=notebook",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.name for p in src.iterdir()) == ["tiny.py"]  # nothing left beside the source
    nb = json.loads((out / "tiny.ipynb").read_text())
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert any("42" in "".join(o.get("text", "")) for o in outputs)  # executed
    html = (out / "tiny.html").read_text()
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js embedded: renders without a kernel
