"""Docs that match the code: API.md lists every summary column; every § reference has its section."""

import re
from pathlib import Path

from sim.outputs import SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
API = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
REF = re.compile(r"§\s?(\d+(?:\.\d+)?)")


def odd_sections() -> set[str]:
    return set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", ODD, flags=re.M))


def references(text: str) -> list[str]:
    """§ numbers, except those citing another document (DESIGN.md §4)."""
    return [m.group(1) for m in REF.finditer(text) if "DESIGN.md" not in text[max(0, m.start() - 12) : m.start()]]


def sources():
    yield from sorted((ROOT / "configs").rglob("*.yaml"))
    for folder in ("sim", "agents", "experiments"):
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "app.py"


def test_every_summary_column_is_documented_in_the_api():
    missing = [c for c in SUMMARY_COLUMNS if f"`{c}`" not in API]
    assert not missing, f"docs/API.md does not list {missing}"


def test_every_section_reference_points_at_an_existing_odd_section():
    sections = odd_sections()
    assert {"7.9", "9", "12"} <= sections  # the parser reads the headings
    bad = []
    for path in sources():
        for ref in references(path.read_text(encoding="utf-8")):
            if ref not in sections:
                bad.append(f"{path.relative_to(ROOT)}: §{ref}")
    assert not bad, "references to sections docs/ODD.md does not have: " + ", ".join(bad)


def test_experiments_x1_to_x8_are_defined_and_configs_cite_them():
    defined = set(re.findall(r"^### X(\d) ", ODD, flags=re.M))
    assert defined == {str(i) for i in range(1, 9)}
    for path in sorted((ROOT / "configs" / "experiments").glob("*.yaml")):
        head = path.read_text(encoding="utf-8").splitlines()[0]
        cited = re.findall(r"\bX(\d)", head)
        assert cited and set(cited) <= defined, f"{path.name}: first line should name its experiment"
        assert "§10" not in path.read_text(encoding="utf-8")  # §10 is Executors


def test_the_reference_parser_skips_other_documents():
    assert references("see ODD §7.9 and DESIGN.md §4; §12.") == ["7.9", "12"]
