"""The compiled household rule (sim/kernels/household.py) is the numpy rule of sim/household.py, bit for bit.

The reference is :func:`sim.household.intend_and_act` then :func:`sim.household.complain` on arrays,
as the vector executor applied them before the kernel; inputs are random (fixed seeds) and cover
every branch: contexts on and off, owners and renters, recent and old canvassing, the deterministic
limit and activity without lapse.
"""

import subprocess
import sys
import textwrap
from types import SimpleNamespace

import numpy as np
import pytest

from sim import household, rng
from sim.households import NEVER
from sim.kernels import household as kernel
from sim.model import RenovationModel

BOOL_CTX = ("meeting", "event", "vote", "vote_owners", "consult", "campaign", "completed", "delivered")
FLOAT_CTX = ("vis", "xbar", "tc", "eff", "tau_info", "p_reach", "disruption", "council", "M", "leg")
OUTPUTS = ("I", "I_proc", "PBC", "A", "trust", "att_meeting", "att_event", "att_vote", "att_opinion")
OUTPUTS += ("att_adopt", "informed", "complained", "escalated", "voiced")


def _world(seed, n=4000, n_comp=7, t=60):
    g = np.random.default_rng(seed)
    week = lambda: np.where(g.random(n) < 0.3, NEVER, g.integers(0, t + 1, n)).astype(np.int32)  # noqa: E731
    h = SimpleNamespace(
        comp=g.integers(0, n_comp, n),
        key=g.integers(0, 2**63, n, dtype=np.uint64) * np.uint64(2) + np.uint64(1),
        A=g.random(n),
        cap=g.random(n),
        theta=g.normal(0.3, 0.2, n),
        trust=g.random(n),
        owner=g.random(n) < 0.7,
        canvassed=week(),
        last_act=week(),
        conflict=g.random(n) < 0.2,
        sat=g.random(n),
        avail=g.random(n),
        unmet=g.random(n),
        I=np.zeros(n),
        I_proc=np.zeros(n),
        PBC=np.zeros(n),
        **{name: np.zeros(n, dtype=bool) for name in OUTPUTS[5:]},
    )
    ctx = {name: g.random(n_comp) < 0.6 for name in BOOL_CTX} | {name: g.random(n_comp) for name in FLOAT_CTX}
    ctx["council"] = (g.random(n_comp) < 0.5) * 1.0
    snap = {"is_rep": g.random(n) < 0.05, "att_event": g.random(n) < 0.3, "informed_week": week()}
    den = g.random(n) * 3 * (g.random(n) < 0.9)
    inf = (den * g.random(n), den, g.integers(0, 4, n).astype(np.float64), g.random(n) < 0.2)
    return h, ctx, snap, inf, t


def _reference(h, who, t, p, inf, ctx, snap):
    comp = h.comp[who]
    own = {f: getattr(h, f)[who] for f in ("A", "cap", "theta", "trust", "owner", "canvassed", "last_act")}
    own |= {f: getattr(h, f)[who] for f in ("conflict", "sat", "avail")}
    own |= {name: snap[name][who] for name in ("is_rep", "att_event", "informed_week")}
    g = dict(zip(("num", "den", "strong_active", "lead"), (a[: who.size] for a in inf), strict=True))
    c = {name: ctx[name][comp] for name in ctx}
    tk = rng.tick_keys(h.key[who], t)
    out = household.intend_and_act(own, g, c, lambda purpose: rng.draw(tk, purpose), t, p)
    hc = {"sat": h.sat[who], "unmet": h.unmet[who], "trust": h.trust[who], "conflict": h.conflict[who]}
    hc["I_proc"] = out["I_proc"]
    out |= household.complain(hc, c, lambda purpose: rng.draw(tk, purpose), t, p)
    return out


@pytest.mark.parametrize(
    "seed, overrides",
    [(1, {}), (2, {"deterministic": True}), (3, {"activity_lapse": False, "m_cc": 1}), (4, {"renter_stake": 0.2})],
)
def test_kernel_is_the_numpy_rule_bit_for_bit(seed, overrides):
    p = RenovationModel(n_households=150, years=1, **overrides).p
    h, ctx, snap, inf, t = _world(seed)
    who = np.flatnonzero(np.random.default_rng(seed).random(h.A.size) < 0.8)  # a subset, as in city mode
    inf = tuple(a[: who.size] for a in inf)
    expected = _reference(h, who, t, p, inf, ctx, snap)
    kernel.decide(h, who, t, p, lambda lo, hi: tuple(a[lo:hi] for a in inf), ctx, snap)
    for name in OUTPUTS:
        got = getattr(h, name)[who]
        assert np.array_equal(got, np.broadcast_to(expected[name], got.shape)), name
    assert expected["att_meeting"].any() and expected["complained"].any() and expected["att_vote"].any()


_RULE = "def f(x):\n    return x * {factor}\n"
_KERNEL = """
from sim.kernels import jit_using
from sim.kernels.dual import rule
import pkg.rule_mod as r

r.f = rule(r.f)

@jit_using(r)
def kernel(x):
    return r.f(x)

print(kernel(2.0))
"""


def test_a_changed_rule_recompiles_the_cached_kernel(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "kern.py").write_text(textwrap.dedent(_KERNEL))
    # no .pyc: Python would reuse a stale one for a rule rewritten within the same second at the same
    # size (its check is mtime in whole seconds and size), and the test is about numba's cache
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    seen = []
    for factor in (3, 3, 5):
        (pkg / "rule_mod.py").write_text(_RULE.format(factor=factor))
        run = subprocess.run([sys.executable, "-m", "pkg.kern"], env=env, capture_output=True, text=True, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        seen.append(run.stdout.strip())
    assert seen == ["6.0", "6.0", "10.0"]  # the second run loaded the cache; the third saw the new rule
