"""From a notebook cell to its helper and back: "Introduced in notebook NN." is true everywhere.

Every helper a notebook imports ends its docstring with the notebook that first uses it, and no
docstring names a notebook that does not use that helper (d2l's "Defined in" back-references).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAIM = re.compile(r"Introduced in notebook (\d\d)\.")


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())


def _helpers_used() -> dict[str, list[str]]:
    """{helper name: numbers of the notebooks that import it, in order}."""
    modules = {path.stem for path in (ROOT / "helpers").glob("*.py")}
    used: dict[str, list[str]] = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        tree = ast.parse(_notebook_code(path))
        aliases = {"helpers"}  # names that stand for the package or one of its modules (`ft` for finetuning)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                aliases |= {alias.asname or alias.name for alias in node.names if alias.name in modules}
            elif isinstance(node, ast.Import):
                aliases |= {alias.asname for alias in node.names if alias.name.startswith("helpers.") and alias.asname}
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "helpers":
                names = [alias.name for alias in node.names if alias.name not in modules]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                names = [node.attr]
            for name in names:
                numbers = used.setdefault(name, [])
                if path.name[:2] not in numbers:
                    numbers.append(path.name[:2])
    return used


def _public_definitions() -> dict[str, list[tuple[str, str]]]:
    """{name: [(module file, docstring)]} of the helpers' top-level public functions and classes."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((ROOT / "helpers").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                found.setdefault(node.name, []).append((path.name, ast.get_docstring(node) or ""))
    return found


def test_every_helper_a_notebook_imports_names_the_notebook_that_introduces_it():
    definitions = _public_definitions()
    wrong = []
    for name, numbers in _helpers_used().items():
        for module, doc in definitions.get(name, []):
            claims = CLAIM.findall(doc)
            if claims != [numbers[0]] or not doc.rstrip().endswith(f"Introduced in notebook {numbers[0]}."):
                wrong.append(f"{module}:{name} first used in {numbers[0]}, docstring says {claims}")
    assert wrong == []


def test_no_docstring_names_a_notebook_that_does_not_use_the_helper():
    used = _helpers_used()
    wrong = [f"{module}:{name} says {CLAIM.findall(doc)}, used in {used.get(name, [])}"
             for name, places in _public_definitions().items() for module, doc in places
             if CLAIM.search(doc) and CLAIM.findall(doc) != used.get(name, [])[:1]]
    assert wrong == []
