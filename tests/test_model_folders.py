"""A model folder a learner points the helpers at: messages that match what is on disk (helpers/loading.py).

Each case builds a small folder in tmp_path - the book's tokenizer files (config.json,
tokenizer_config.json, vocab.txt) and, for `load_model`, a tiny random BERT - breaks it the way
folders break in practice, and calls the public helper a learner calls: `load_model`,
`load_tokenizer`, `resolve_model`, or the same with `BERTVEC_MODEL`.
"""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
import torch

from helpers import ModelNotAvailableError, UnsafeFolderError, load_model, load_tokenizer, resolve_model
from helpers.errors import UnsafeCheckpointError

LFS_POINTER_TEXT = ("version https://git-lfs.github.com/spec/v1\n"
                    "oid sha256:4d7a2147a5d9bd5bbd4a4e9ea1e58fc3f8c8dbd7e45dc8bdc0a9c2d3e5f6a7b8\nsize 438000000\n")


def _tiny_config():
    from transformers import BertConfig

    return BertConfig(vocab_size=99, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                      intermediate_size=16, max_position_embeddings=32)


@pytest.fixture
def tokenizer_folder(tmp_path, kcbert_dir) -> Path:
    """A copy of the book's tokenizer files (no weights)."""
    folder = tmp_path / "kcbert-copy"
    folder.mkdir()
    for name in ("config.json", "tokenizer_config.json", "vocab.txt"):
        shutil.copy(kcbert_dir / name, folder / name)
    return folder


def _save_tiny_bert(folder: Path, **save) -> None:
    from transformers import BertModel

    torch.manual_seed(0)
    BertModel(_tiny_config()).save_pretrained(folder, **save)


@pytest.fixture
def model_folder(tmp_path) -> Path:
    """A tiny random BERT saved by transformers (config.json + model.safetensors)."""
    folder = tmp_path / "tiny-bert"
    _save_tiny_bert(folder)
    return folder


# --- git-lfs pointers --------------------------------------------------------------------------

@pytest.mark.parametrize("weights", ["model.safetensors", "pytorch_model.bin"])
def test_a_git_lfs_pointer_in_place_of_the_weights_says_git_lfs_pull(model_folder, weights):
    (model_folder / "model.safetensors").unlink()
    (model_folder / weights).write_text(LFS_POINTER_TEXT, encoding="utf-8")
    with pytest.raises(ModelNotAvailableError) as info:
        load_model(model_folder)
    assert not isinstance(info.value, UnsafeCheckpointError), "a pointer is not a pickle holding code"
    assert f"{weights}: 파일 대신 git-lfs 포인터만" in info.value.what
    assert "git lfs pull" in info.value.fix


def test_a_git_lfs_pointer_in_place_of_the_vocabulary_is_named_by_load_tokenizer(tokenizer_folder):
    (tokenizer_folder / "vocab.txt").write_text(LFS_POINTER_TEXT, encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="vocab.txt: 파일 대신 git-lfs 포인터만") as info:
        load_tokenizer(tokenizer_folder)
    assert "git lfs pull" in info.value.fix


# --- JSON settings: BOM, broken syntax, and auto_map behind a BOM ------------------------------

@pytest.mark.parametrize("name", ["config.json", "tokenizer_config.json"])
def test_a_settings_file_with_a_bom_gets_a_korean_error(tokenizer_folder, name):
    path = tokenizer_folder / name
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    with pytest.raises(ModelNotAvailableError) as info:
        load_tokenizer(tokenizer_folder)
    assert info.value.what.endswith(f"의 {name}을 JSON으로 읽을 수 없어 불러오지 않았습니다.")
    assert "BOM" in info.value.why and "utf-8-sig" in info.value.fix


def test_a_broken_config_says_where_the_json_breaks(model_folder):
    (model_folder / "config.json").write_text('{"hidden_size": 8,\n "vocab_size": 99,,\n}', encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="config.json을 JSON으로 읽을 수 없어") as info:
        load_model(model_folder)
    assert "2번째 줄" in info.value.why


def test_a_broken_tokenizer_json_is_named_by_load_tokenizer(tokenizer_folder):
    (tokenizer_folder / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="tokenizer.json을 JSON으로 읽을 수 없어") as info:
        load_tokenizer(tokenizer_folder)
    assert "1번째 줄" in info.value.why


def test_weights_of_another_width_than_the_config_get_a_korean_error(model_folder):
    path = model_folder / "config.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    settings["hidden_size"] *= 2
    path.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="가중치 셰이프가 설정\\(config.json\\)과 맞지 않습니다"):
        load_model(model_folder)


def test_a_checkpoint_of_another_architecture_is_refused_by_its_model_type(model_folder):
    """transformers would only warn and build a BERT of mostly random weights from a GPT-2 folder."""
    path = model_folder / "config.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    settings["model_type"] = "gpt2"
    path.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="model_type 'gpt2'") as info:
        load_model(model_folder)
    assert "BertModel" in info.value.what


@pytest.mark.parametrize("cut", [0, 4096])
def test_an_empty_or_cut_weight_file_is_named_with_its_size(model_folder, cut):
    weights = model_folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:cut])
    with pytest.raises(ModelNotAvailableError, match=f"model.safetensors\\({cut:,}바이트\\)"):
        load_model(model_folder)


@pytest.mark.parametrize("name", ["config.json", "tokenizer_config.json"])
def test_a_bom_never_hides_an_auto_map_from_the_code_refusal(tokenizer_folder, name):
    path = tokenizer_folder / name
    settings = json.loads(path.read_text(encoding="utf-8"))
    settings["auto_map"] = {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(settings).encode("utf-8"))
    (tokenizer_folder / "tokenization_evil.py").write_text("import os\n", encoding="utf-8")
    for load in (load_tokenizer, load_model):
        with pytest.raises(UnsafeFolderError, match="auto_map"):
            load(tokenizer_folder)


# --- the files that are there ------------------------------------------------------------------

def test_a_folder_without_weights_lists_the_files_it_has(tokenizer_folder):
    (tokenizer_folder / "notes.txt").write_text("메모", encoding="utf-8")
    with pytest.raises(ModelNotAvailableError) as info:
        load_model(tokenizer_folder)
    assert "있는 파일: config.json, notes.txt, tokenizer_config.json, vocab.txt" in info.value.why
    assert "토크나이저와 설정만" not in info.value.why  # no guess about what the folder is


def test_a_folder_without_tokenizer_files_lists_the_files_it_has(model_folder):
    with pytest.raises(ModelNotAvailableError) as info:
        load_tokenizer(model_folder)
    assert "있는 파일: config.json, model.safetensors" in info.value.why


def test_a_folder_with_weights_but_no_config_says_so(model_folder):
    (model_folder / "config.json").unlink()
    with pytest.raises(ModelNotAvailableError, match="config.json이 없습니다") as info:
        load_model(model_folder)
    assert "있는 파일: model.safetensors" in info.value.why


# --- where the name came from ------------------------------------------------------------------

def test_errors_about_a_bertvec_model_folder_say_they_came_from_the_variable(monkeypatch, model_folder):
    (model_folder / "model.safetensors").write_text(LFS_POINTER_TEXT, encoding="utf-8")
    monkeypatch.setenv("BERTVEC_MODEL", str(model_folder))
    with pytest.raises(ModelNotAvailableError, match="git-lfs") as info:
        load_model()
    assert "환경 변수 BERTVEC_MODEL에서 왔습니다" in info.value.why
    with pytest.raises(ModelNotAvailableError) as explicit:
        load_model(model_folder)
    assert "BERTVEC_MODEL에서" not in explicit.value.why  # an argument is not blamed on the variable


def test_a_missing_bertvec_model_folder_says_it_came_from_the_variable(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BERTVEC_MODEL", "./my-bert")
    with pytest.raises(ModelNotAvailableError) as info:
        resolve_model()
    assert "환경 변수 BERTVEC_MODEL에서 왔습니다" in info.value.why
    assert "현재 폴더 기준" in info.value.why


def test_a_missing_relative_folder_was_looked_for_in_the_current_folder(monkeypatch, tmp_path):
    workdir = tmp_path / "lesson"
    (workdir / "models").mkdir(parents=True)
    monkeypatch.chdir(workdir)
    for asked in ("./my-bert", "models/kcbert"):  # the second also looks like a hub id
        with pytest.raises(ModelNotAvailableError) as info:
            load_model(asked)
        assert "현재 폴더 기준" in info.value.why and "(현재 폴더: lesson)" in info.value.why
        assert str(workdir / asked) in info.value.why.replace("/./", "/")
        assert "BERTVEC_MODEL에서" not in info.value.why


# --- sharded checkpoints -----------------------------------------------------------------------

def _write_shards(whole: Path, folder: Path, kind: str) -> dict:
    """`whole`'s weights split in two files of `kind` ("safetensors" or "bin") with their index, as
    transformers writes a large checkpoint; returns the tensors."""
    from safetensors.torch import load_file, save_file

    folder.mkdir()
    shutil.copy(whole / "config.json", folder / "config.json")
    state = load_file(whole / "model.safetensors")
    names = sorted(state)
    stem = "model" if kind == "safetensors" else "pytorch_model"
    halves = {f"{stem}-00001-of-00002.{kind}": names[: len(names) // 2],
              f"{stem}-00002-of-00002.{kind}": names[len(names) // 2:]}
    for file, keys in halves.items():
        part = {k: state[k].contiguous() for k in keys}
        if kind == "safetensors":
            save_file(part, folder / file, metadata={"format": "pt"})
        else:
            torch.save(part, folder / file)
    index = {"metadata": {}, "weight_map": {k: file for file, keys in halves.items() for k in keys}}
    index_name = "model.safetensors.index.json" if kind == "safetensors" else "pytorch_model.bin.index.json"
    (folder / index_name).write_text(json.dumps(index), encoding="utf-8")
    return state


@pytest.mark.parametrize("kind", ["safetensors", "bin"])
def test_a_sharded_checkpoint_loads_through_its_index(tmp_path, model_folder, kind):
    state = _write_shards(model_folder, tmp_path / "sharded", kind)
    loaded = load_model(tmp_path / "sharded")
    assert torch.equal(loaded.embeddings.word_embeddings.weight, state["embeddings.word_embeddings.weight"])


@pytest.fixture
def sharded_folder(tmp_path, model_folder) -> Path:
    _write_shards(model_folder, tmp_path / "sharded", "safetensors")
    return tmp_path / "sharded"


def test_a_missing_shard_is_named(sharded_folder):
    shard = sorted(sharded_folder.glob("model-*.safetensors"))[-1]
    shard.unlink()
    with pytest.raises(ModelNotAvailableError, match="가중치 조각 파일 1개가 폴더에 없습니다") as info:
        load_model(sharded_folder)
    assert shard.name in info.value.what and "있는 파일:" in info.value.why


# --- sentence-transformers folders -------------------------------------------------------------

def test_a_sentence_transformers_folder_points_at_its_transformer_subfolder(tmp_path, model_folder, kcbert_dir):
    top = tmp_path / "st-model"
    shutil.copytree(model_folder, top / "0_Transformer")
    shutil.copy(kcbert_dir / "vocab.txt", top / "0_Transformer" / "vocab.txt")
    (top / "1_Pooling").mkdir()
    (top / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}', encoding="utf-8")
    modules = [{"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    (top / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    for load in (load_model, load_tokenizer):
        with pytest.raises(ModelNotAvailableError) as info:
            load(top)
        assert info.value.what.endswith("의 BERT 본체는 하위 폴더 0_Transformer/에 있습니다.")
        assert str(top / "0_Transformer") in info.value.fix
    assert load_model(top / "0_Transformer").config.hidden_size == 8
