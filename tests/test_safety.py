"""No code from a model folder ever runs, and loading never prompts (issue: learner-proof, round 2).

A poisoned folder - a real BERT whose config and tokenizer config name Python files of the folder
(`auto_map`) that would write a marker file when imported - is loaded through every public loader
in a fresh process with stdin closed and a time limit: each one refuses it with UnsafeFolderError
(a ModelNotAvailableError) before transformers is asked, nothing prompts, no marker appears.
The same folder given to transformers itself with `trust_remote_code=False` is refused too, so
the explicit argument on every load is a second line of defence, not the only one.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hub_cache import folder_with_custom_code

ROOT = Path(__file__).resolve().parents[1]

LOADERS = {
    "load_tokenizer": "from helpers import load_tokenizer; load_tokenizer(FOLDER)",
    "load_model": "from helpers import load_model; load_model(FOLDER)",
    "load_model(AutoModel)": "from transformers import AutoModel; from helpers import load_model; "
                             "load_model(FOLDER, model_class=AutoModel)",
    "loading_report": "from transformers import AutoModel; from helpers.model import loading_report; "
                      "loading_report(FOLDER, AutoModel)",
    "load_head_model": "from transformers import AutoModelForSequenceClassification as A; "
                       "from helpers import resolve_model; from helpers.finetuning import load_head_model; "
                       "load_head_model(resolve_model(FOLDER), A, ['a', 'b'])",
    "BERTVEC_MODEL": "import os; os.environ['BERTVEC_MODEL'] = FOLDER; from helpers import load_model; load_model()",
}


@pytest.mark.parametrize("loader", LOADERS)
def test_a_folder_that_asks_to_run_its_code_is_refused_by_every_loader(loader, tmp_path):
    marker = tmp_path / "code-ran"
    folder = folder_with_custom_code(tmp_path / "evil", marker)
    code = textwrap.dedent(f"""
        import json
        FOLDER = {str(folder)!r}
        try:
            {LOADERS[loader]}
            print(json.dumps({{"refused": False}}))
        except Exception as err:
            print(json.dumps({{"refused": True, "type": type(err).__name__, "message": str(err)}}))
    """)
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"}, cwd=tmp_path)
    seconds = time.monotonic() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert not marker.exists(), "the folder's code ran"
    assert "Do you wish to run the custom code" not in out.stdout + out.stderr
    assert result["refused"] and result["type"] == "UnsafeFolderError", result
    assert "auto_map" in result["message"] and "원인:" in result["message"]
    assert seconds < 60, f"took {seconds:.0f} s (a prompt waiting for an answer?)"


def test_transformers_itself_refuses_the_folder_without_asking_when_told_not_to_trust_it(tmp_path):
    marker = tmp_path / "code-ran"
    folder = folder_with_custom_code(tmp_path / "evil", marker)
    code = (f"from transformers import AutoTokenizer\ntry:\n    AutoTokenizer.from_pretrained({str(folder)!r}, "
            "trust_remote_code=False, local_files_only=True)\n    print('loaded')\nexcept Exception as err:\n"
            "    print('refused', type(err).__name__)")
    out = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert not marker.exists()
    assert "custom code" not in out.stdout  # no prompt text; either refused or loaded the standard class


def test_every_from_pretrained_of_the_helpers_says_trust_remote_code_false():
    """Every `from_pretrained` call of the helpers goes through `load_pretrained` or passes
    trust_remote_code=False itself (a config is plain JSON: `Config.from_pretrained` is fine)."""
    import re

    for path in (ROOT / "helpers").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\.from_pretrained\(", line) and "trust_remote_code=False" not in line \
                    and not line.lstrip().startswith(("#", '"', "`")):
                assert "load_pretrained" in line or "Config.from_pretrained" in line, f"{path.name}: {line.strip()}"


# --- project-wide rules (source checks), in one place --------------------------------------------------------

_UNPICKLERS = {("pickle", "load"), ("pickle", "loads"), ("torch", "load"), ("dill", "load"), ("joblib", "load"),
               ("pickle", "Unpickler"), ("np", "load"), ("numpy", "load")}


def _project_code() -> list[tuple[str, str]]:
    sources = []
    for folder in ("helpers", "scripts", "notebooks", "benchmarks", "docs"):
        for path in sorted((ROOT / folder).rglob("*")) if (ROOT / folder).exists() else []:
            if path.suffix == ".py":
                sources.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
            elif path.suffix == ".ipynb" and ".ipynb_checkpoints" not in path.parts:
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
                code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
                sources.append((str(path.relative_to(ROOT)), code))
    return sources


REFUSED_ON_PURPOSE = "# safety: a mistake the helper must refuse"


def _refused_on_purpose(code: str, lineno: int) -> bool:
    """The learner-mistake probe (scripts/probe) passes trust_remote_code=True to a helper on purpose,
    to see it refused; such a line says so with REFUSED_ON_PURPOSE."""
    return code.splitlines()[lineno - 1].rstrip().endswith(REFUSED_ON_PURPOSE)


def test_project_code_never_unpickles_nor_trusts_remote_code():
    offenders = []
    for name, code in _project_code():
        for node in ast.walk(ast.parse(code, filename=name)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in _UNPICKLERS:
                    offenders.append(f"{name}:{node.lineno} {func.value.id}.{func.attr}")
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "trust_remote_code" and not (isinstance(value, ast.Constant) and value.value is False) \
                        and not _refused_on_purpose(code, node.lineno):
                    offenders.append(f"{name}:{node.lineno} trust_remote_code")
                if keyword.arg in {"weights_only", "use_safetensors"} and isinstance(value, ast.Constant) \
                        and value.value is False:
                    offenders.append(f"{name}:{node.lineno} {keyword.arg}=False")
    assert offenders == []


def test_the_source_check_sees_the_helpers():
    names = {name for name, _ in _project_code()}
    assert "helpers/loading.py" in names and "helpers/checks.py" in names


