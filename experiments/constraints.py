"""Joint constraints between parameters: rules no single range shows (``renosim params`` lists them).

Each parameter has its own range, but some must also hold together; the model's schema
(:class:`sim.params.Params`) refuses a set that breaks one. Samplers that draw each parameter from
its own range (the EMA Workbench, SALib) can draw such a set: :func:`violations` names the rules a
point breaks, so a batch can report the point (the EMA adapter returns NaN outcomes with
``feasible = 0``) instead of aborting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JointConstraint:
    names: tuple[str, ...]
    at_most: float
    why: str

    def text(self) -> str:
        return f"{' + '.join(self.names)} <= {self.at_most:g}"

    def holds(self, values: Mapping[str, Any]) -> bool:
        return sum(float(values[n]) for n in self.names) <= self.at_most + 1e-9


JOINT_CONSTRAINTS: tuple[JointConstraint, ...] = (
    JointConstraint(
        ("share_free_rider", "share_hump", "share_unconditional"),
        1.0,
        "shares of one population of residents; the rest are conditional co-operators (§7.9)",
    ),
)


def violations(values: Mapping[str, Any], regime: str = "three_integrations") -> list[str]:
    """The joint constraints a parameter set breaks (values missing from ``values`` take the regime's)."""
    from sim.params import resolve

    full = resolve(regime).model_dump() | dict(values)
    return [c.text() for c in JOINT_CONSTRAINTS if not c.holds(full)]
