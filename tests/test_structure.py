"""The code's layers point one way, and the size limits of the structure issue hold.

Layers, bottom to top: the model core (state, random numbers, network, rules, contract, outputs:
``sim.*``), the Mesa agents (``agents``), the Mesa models (``sim.compound``, ``sim.model``, ``sim.city``,
``sim.run``), the experiments and the CLI (``experiments``), the workshop page (``workshop``, ``app``).
A module may import its own layer or a lower one — at module level or inside a function.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import sim
from sim import constants

ROOT = Path(__file__).resolve().parents[1]
MODELS = ("sim.compound", "sim.model", "sim.city", "sim.run")
PACKAGES = ("sim", "agents", "experiments", "workshop")


def layer(module: str) -> int | None:
    if module == "app" or module.split(".")[0] == "workshop":
        return 4
    if module.split(".")[0] == "experiments":
        return 3
    if any(module == m or module.startswith(m + ".") for m in MODELS):
        return 2
    if module.split(".")[0] == "agents":
        return 1
    if module.split(".")[0] == "sim":
        return 0
    return None  # a third-party or standard-library module


def project_files():
    for pkg in PACKAGES:
        base = ROOT / pkg
        if base.is_dir():
            yield from sorted(base.rglob("*.py"))
    if (ROOT / "app.py").exists():
        yield ROOT / "app.py"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from sim import model`` imports sim.model
                yield node.lineno, f"{node.module}.{alias.name}"


def test_no_module_imports_a_higher_layer():
    bad = []
    for path in project_files():
        me = module_name(path)
        mine = layer(me)
        for line, target in imports(path):
            theirs = layer(target)
            if theirs is None or importlib.util.find_spec(target.split(".")[0]) is None:
                continue
            if theirs > mine and _is_module(target):
                bad.append(f"{me}:{line} imports {target} (layer {theirs} above {mine})")
    assert not bad, "\n".join(bad)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ModuleNotFoundError, ValueError):
        return False


def test_the_layer_test_sees_a_violation(tmp_path, monkeypatch):
    """The check above can fail: a core module that imports a model is caught."""
    fake = tmp_path / "sim"
    fake.mkdir()
    (fake / "bad.py").write_text("def f():\n    from sim.model import RenovationModel\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    found = [t for _, t in imports(fake / "bad.py")]
    assert layer(module_name(fake / "bad.py")) == 0 and layer("sim.model") == 2 and "sim.model" in found


@pytest.mark.parametrize(
    ("folder", "limit"), [("sim", 350), ("agents", 350), ("experiments", 400)], ids=["sim", "agents", "experiments"]
)
def test_modules_are_short(folder, limit):
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert not long, f"modules over {limit} lines: {long}"


def test_classes_are_short():
    long = {}
    for pkg in ("sim", "agents", "experiments"):
        for p in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 250:
                    long[f"{p.relative_to(ROOT)}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert not long, f"classes over 250 lines: {long}"


def _numeric_constants(module):
    """Upper-case names a module assigns itself (not imports) whose value is a number."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for t in targets:
            names = [t] if isinstance(t, ast.Name) else list(t.elts) if isinstance(t, ast.Tuple) else []
            for n in names:
                if isinstance(n, ast.Name) and n.id.isupper() and not n.id.startswith("_"):
                    if type(getattr(module, n.id, None)) in (int, float):
                        yield n.id


# category codes and sentinels are names for values, not quantities: they need no source
CODES = {
    "sim.households": {"INIT_TICK", "NEVER", "LOW", "MID", "HIGH", "NONE", "INITIATOR", "REP"},
    "sim.rng": {"COMPOUND_SLOT", "BETAS_BLOCK"},  # BETAS_BLOCK: how draws are cut up, never what they are
    "sim.items": {"N_ITEMS", "BASIC", "IMPROVEMENT", "ENHANCEMENT", "IMAGE"},
    "sim.calendar": {"WEEKS_PER_YEAR"},
    "sim.ladder": {"PROJECT", "MGMT"},
    "sim.rules.payment": {"CONDITIONAL", "FREE_RIDER", "HUMP", "UNCONDITIONAL"},
    # bounds on what a user's file may hold, not model quantities
    "sim.limits": {"MAX_CONFIG_BYTES", "MAX_YAML_DEPTH", "MAX_YAML_NODES"},
    # how work is split, which changes speed, never results
    "sim.parallel": {"MIN_SPLIT"},
    "sim.kernels.household": {"MIN_SPLIT"},
    "sim.kernels.weekly": {"MIN_SPLIT"},
}


def test_every_structural_constant_is_declared():
    declared = {(c.module, c.name) for c in constants.STRUCTURAL}
    missing = []
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        if layer(info.name) != 0:
            continue
        mod = importlib.import_module(info.name)
        for name in _numeric_constants(mod):
            if (info.name, name) not in declared and name not in CODES.get(info.name, ()):
                missing.append(f"{info.name}.{name}")
    assert not missing, f"numeric constants not declared in sim/constants.py: {missing}"
    for c in constants.STRUCTURAL:
        assert c.value is not None and c.meaning and c.source.startswith("["), c.name


def test_the_city_package_names_load_on_first_use():
    """sim.city lists its public names three times (``__all__``, where each lives, the imports for type
    checkers): they must agree, and each must load from its module."""
    import re

    import sim.city as city

    assert sorted(city.__all__) == sorted(city._HOME)
    for name in city.__all__:
        assert getattr(city, name) is getattr(importlib.import_module(f"sim.city.{city._HOME[name]}"), name)
    source = Path(city.__file__).read_text()
    checked = source[source.index("if TYPE_CHECKING:") : source.index("def __getattr__")]
    imported = {}
    for module, names in re.findall(r"from sim\.city\.(\w+) import ([\w, ]+)", checked):
        for name in names.split(", "):
            imported[name.strip()] = module
    assert imported == city._HOME
