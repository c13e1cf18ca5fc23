"""Print mutmut's killed share per place (``make mutation``); exit 1 if a gated place is below its bar.

mutmut 3 leaves one ``mutants/<file>.meta`` per mutated file, holding each mutant's exit status.
A mutant counts as killed when a test failed on it (or it ran into mutmut's timeout: it changed
behaviour enough to hang a test); every other status — survived, no tests, not checked,
suspicious — counts against the score. Places are the folders and files named in ``PLACES``.

Run from the project root after ``mutmut run``; ``--list`` also prints the surviving mutants.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Each place, and the share of its mutants the fast test tier must kill (None: reported only).
PLACES: dict[str, float | None] = {
    "sim/rules/": None,  # being rewritten (issue 17): scores are reported, not gated, until it lands
    "sim/compound/": None,
    "experiments/store.py": 0.85,
    "experiments/verify.py": 0.85,
    "experiments/stats.py": 0.85,
    # the store's helpers, split out of store.py and verify.py: held to the same bar
    "experiments/files.py": 0.85,
    "experiments/manifest.py": 0.85,
    "experiments/verify_spec.py": 0.85,
}
KILLED = {1, 3, 36, 24, -24, 152, 255}  # mutmut's exit codes for killed and timed out


def results(root: Path = Path("mutants")) -> dict[str, dict[str, int | None]]:
    """``{source file: {mutant: exit status}}`` from mutmut's meta files."""
    out = {}
    for meta in sorted(root.rglob("*.py.meta")):
        source = str(meta.relative_to(root)).removesuffix(".meta")
        out[source] = json.loads(meta.read_text())["exit_code_by_key"]
    return out


def main(argv: list[str]) -> int:
    found = results()
    if not found:
        print("no mutmut results in mutants/ (run `make mutation`)", file=sys.stderr)
        return 2
    failed = []
    for place, bar in PLACES.items():
        codes = {k: v for src, byk in found.items() if src == place or src.startswith(place) for k, v in byk.items()}
        if not codes:
            print(f"{place:24s} no mutants")
            continue
        killed = sum(v in KILLED for v in codes.values())
        share = killed / len(codes)
        gate = "" if bar is None else ("  ok" if share >= bar else f"  BELOW {bar:.0%}")
        print(f"{place:24s} {killed:5d} of {len(codes):5d} killed ({share:.1%}){gate}")
        if bar is not None and share < bar:
            failed.append(place)
        if "--list" in argv:
            for k, v in sorted(codes.items()):
                if v not in KILLED:
                    print(f"    survived ({v}): {k}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
