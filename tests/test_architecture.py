"""The domain is plain Python: it imports the standard library and itself, nothing else."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import helpdesk

SRC = Path(helpdesk.__file__).parent


def _imports(package: str) -> set[str]:
    found = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_domain_imports_only_the_standard_library() -> None:
    outside = _imports("domain") - set(sys.stdlib_module_names) - {"helpdesk", "__future__"}
    assert outside == set()


def test_application_imports_only_the_standard_library_and_the_domain() -> None:
    outside = _imports("application") - set(sys.stdlib_module_names) - {"helpdesk", "__future__"}
    assert outside == set()
