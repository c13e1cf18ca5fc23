"""Parameters, regimes and their validation."""

import pytest

from sim import params
from sim.errors import InputError


@pytest.mark.parametrize("name", params.REGIMES)
def test_regime_files_load_and_set_every_lever(name):
    values = params.load_regime(name)
    assert set(params.LEVERS) <= set(values), f"{name} leaves levers unset"
    params.validate(values)


def test_regime_levers_respect_the_papers_ordering():
    r0, r1, r2 = (params.resolve(r) for r in params.REGIMES)
    for lever in ("integration", "tau_train", "events_per_yr", "campaigns_per_yr", "p_conv"):
        assert getattr(r0, lever) <= getattr(r1, lever) <= getattr(r2, lever), lever
    assert not r0.council_first and r1.council_first and r2.council_first
    assert r0.s_res == 0 and r2.s_res > 0


def test_overrides_win_over_config_and_regime(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("regime: pilot\nparameters:\n  integration: 0.5\n  s_res: 0.1\n")
    p = params.resolve(*params.with_config("top_down", {"s_res": 0.2}, cfg))
    assert p.integration == 0.5 and p.s_res == 0.2 and p.council_first  # pilot base


@pytest.mark.parametrize(
    "values, fragment",
    [
        ({"s_res": 0.9}, "'s_res' = 0.9"),
        ({"no_such": 1}, "unknown parameter 'no_such'"),
        ({"approval_rule": "unanimity"}, "one of civil_code, majority"),
        ({"events_per_yr": 2.5}, "'events_per_yr'"),
        ({"share_hump": 0.8}, "at most 1"),
    ],
)
def test_bad_values_give_one_line_errors_naming_the_field(values, fragment):
    with pytest.raises(InputError) as exc:
        params.validate(values)
    msg = str(exc.value)
    assert fragment in msg and "\n" not in msg


def test_set_values_are_typed_by_the_schema():
    assert params.parse_set(["party_rule=false", "events_per_yr=3", "s_res=0.1"]) == {
        "party_rule": False,
        "events_per_yr": 3,
        "s_res": 0.1,
    }
    with pytest.raises(InputError, match="lever=value"):
        params.parse_set(["party_rule"])
    with pytest.raises(InputError, match="did you mean 'party_rule'"):
        params.parse_set(["party_rules=true"])
