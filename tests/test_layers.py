"""The arrows run one way: workers -> moderation -> classifiers, and the domain needs no web
framework or task queue (its dispatcher and settings come on the session it is given)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "classifiers": {"moderation", "workers", "flask", "celery", "sqlalchemy", "redis"},
    "moderation": {"workers"},
    "moderation/domain": {"flask", "celery", "workers"},
}


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, including imports inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_it_must_not(layer: str):
    files = sorted((REPO / layer).rglob("*.py"))
    assert files, f"{layer} has no modules: the check would prove nothing"
    offending = {f"{path.relative_to(REPO)}: {', '.join(sorted(bad))}"
                 for path in files if (bad := imported_packages(path) & FORBIDDEN[layer])}
    assert not offending, "\n".join(sorted(offending))
