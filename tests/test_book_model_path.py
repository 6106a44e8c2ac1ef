"""The book's model path, executed: every notebook on a kcbert-shaped checkpoint, three ways.

A Colab learner (and a classroom with the instructor's kit) runs the series on `beomi/kcbert-base`.
Its weights cannot be downloaded here, so `tests/hub_cache.py` makes a checkpoint with the real
file set - the project's config.json, vocab.txt, tokenizer_config.json and a model.safetensors with
the keys of a pre-training checkpoint (pooler, cls.predictions, cls.seq_relationship) - holding
random weights (seeded, and marked as such in the safetensors header, so the notebooks say so).
It is built once per session into a Hugging Face cache laid out like the hub's, and:

- every notebook runs with only that cache (`HF_HUB_OFFLINE=1`, nothing else set): the Colab way;
- 02 and 05 run again with `BERTVEC_MODEL=<the snapshot folder>`: the classroom-kit way;
- 05 runs with a cache that holds the tokenizer files only: it falls back to the embedded default
  and says why.

The executed copies are kept in build/kcbert/<way>/ for a reviewer to read.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from hub_cache import kcbert_checkpoint, kcbert_files, write_hub_cache
from notebook_kernel import execute, text_lines

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KEPT = ROOT / "build" / "kcbert"
pytestmark = pytest.mark.slow
TIMES: dict[tuple[str, str], float] = {}


@pytest.fixture(scope="session")
def kcbert_weights(tmp_path_factory) -> Path:
    return kcbert_checkpoint(tmp_path_factory.mktemp("kcbert-weights"))


@pytest.fixture(scope="session")
def full_cache(tmp_path_factory, kcbert_weights) -> tuple[Path, Path]:
    """(HF_HOME, snapshot folder) of a cache holding the whole kcbert-shaped checkpoint."""
    home = tmp_path_factory.mktemp("hf-full")
    return home, write_hub_cache(home / "hub", "beomi/kcbert-base", kcbert_files(kcbert_weights))


@pytest.fixture(scope="session")
def tokenizer_only_cache(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("hf-tokenizer-only")
    write_hub_cache(home / "hub", "beomi/kcbert-base", kcbert_files(None))
    return home


def _run(notebook: Path, way: str, monkeypatch, *, hf_home: Path, model: str | None) -> list[str]:
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("BERTVEC_RUN_REPORT", raising=False)
    if model is None:
        monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    else:
        monkeypatch.setenv("BERTVEC_MODEL", model)
    started = time.perf_counter()
    executed = execute(notebook, ROOT / "notebooks", timeout=1200)  # 06 trains a 768-wide model on the CPU
    TIMES[(notebook.name, way)] = time.perf_counter() - started
    (KEPT / way).mkdir(parents=True, exist_ok=True)
    (KEPT / way / notebook.name).write_text(json.dumps(executed, ensure_ascii=False), encoding="utf-8")
    return text_lines(executed)


MACHINE_PATH = ("/tmp/", "/root/", "/home/", "site-packages", "ipykernel_")


def _no_false_notes(lines: list[str]) -> None:
    """What must never show on the book's model: a machine path, a claim that it is not the book's
    model, English-model leftovers, or a check skipped for any reason but the random weights."""
    assert [line for line in lines if any(p in line for p in MACHINE_PATH)] == [], "machine path in the outputs"
    assert not any("주의: 책의 모델" in line for line in lines)
    assert not any("512 토큰" in line for line in lines)
    skipped = [line for line in lines if "건너뜁니다" in line]
    assert all("시험용 체크포인트" in line for line in skipped), skipped


def _models(lines: list[str]) -> set[str]:
    return {line.removeprefix("실행한 모델: ") for line in lines if line.startswith("실행한 모델: ")}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_runs_on_the_books_model_found_in_the_cache(notebook, full_cache, monkeypatch):
    home, _ = full_cache
    lines = _run(notebook, "cache", monkeypatch, hf_home=home, model=None)
    assert _models(lines) == {"beomi/kcbert-base"}
    assert any(line.startswith("출처: cache") for line in lines)
    assert any(line.startswith("시험용 체크포인트입니다") for line in lines), "random weights must be announced"
    _no_false_notes(lines)
    if notebook.stem in ("02_tokenizer", "04_features"):
        assert any("2, 19017, 8482, 3" in line for line in lines), "the book's ids were not shown"


@pytest.mark.parametrize("name", ["02_tokenizer", "05_embeddings"])
def test_the_snapshot_folder_given_as_bertvec_model_is_the_books_model(name, full_cache, monkeypatch):
    home, snapshot = full_cache
    lines = _run(ROOT / "notebooks" / f"{name}.ipynb", "bertvec-model", monkeypatch, hf_home=home, model=str(snapshot))
    assert _models(lines) == {"beomi/kcbert-base"}
    assert any(line.startswith("출처: env") for line in lines)
    assert not any(str(snapshot) in line for line in lines), "no machine path in the outputs"
    _no_false_notes(lines)


def test_a_cache_with_only_the_tokenizer_falls_back_to_the_embedded_model(tokenizer_only_cache, monkeypatch):
    lines = _run(ROOT / "notebooks" / "05_embeddings.ipynb", "tokenizer-only", monkeypatch,
                 hf_home=tokenizer_only_cache, model=None)
    assert _models(lines) == {"intfloat/multilingual-e5-small"}
    assert any("토크나이저 파일만" in line for line in lines)


def test_zz_write_the_timing_table():
    """The table notebook x way x seconds (build/kcbert/times.md), for the README and the note."""
    if not TIMES:
        pytest.skip("no notebook ran in this session")
    rows = ["| notebook | way | seconds |", "|---|---|---|"]
    rows += [f"| {name} | {way} | {seconds:.0f} |" for (name, way), seconds in sorted(TIMES.items())]
    KEPT.mkdir(parents=True, exist_ok=True)
    (KEPT / "times.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert (KEPT / "times.md").exists()
