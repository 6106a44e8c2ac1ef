"""Shared input checks (helpers/checks.py), safe loading and the no-network/no-pickle rules.

The catalogue rows live in test_errors_catalogue.py; this file checks the rest of each
contract: what is accepted and returned unchanged, the boundaries, and the project-wide rules.
"""

from __future__ import annotations

import ast
import json
import socket
import time
import warnings
from pathlib import Path

import pytest
import torch

import helpers
from helpers import ENGLISH, BrokenTokenizerError, InputError, MismatchError, load_model
from helpers.checks import (check_batch_size, check_device, check_max_length, check_model_inputs, check_pair,
                            check_sentences, run_in_batches)
from helpers.errors import OutOfMemoryError, SmallerBatchWarning, UnsafeCheckpointError
from helpers.hub import hub_reachable

ROOT = Path(__file__).resolve().parents[1]


# --- check_sentences ---------------------------------------------------------------------------

def test_check_sentences_returns_a_new_list_in_the_same_order():
    given = ("둘째", "첫째", "  앞뒤 공백도 그대로  ")
    result = check_sentences(given)
    assert result == list(given) and isinstance(result, list)
    mutable = ["가", "나"]
    assert check_sentences(mutable) is not mutable


@pytest.mark.parametrize("bad", [42, 3.5, b"bytes", {"a": 1}, {"문장"}, object()])
def test_check_sentences_refuses_non_sequences(bad):
    with pytest.raises(InputError, match=type(bad).__name__):
        check_sentences(bad)


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u3000", "\u00a0"])
def test_check_sentences_refuses_blank_items_naming_their_position(blank):
    with pytest.raises(InputError, match="2번째 문장"):
        check_sentences(["하나", "둘", blank])


def test_check_sentences_errors_are_value_errors():
    with pytest.raises(ValueError):
        check_sentences([])


# --- check_max_length --------------------------------------------------------------------------

def test_max_length_up_to_the_position_limit_is_accepted(english_model, kcbert_config):
    assert check_max_length(512, english_model.config) == 512
    assert check_max_length(300, kcbert_config) == 300
    assert check_max_length(3, kcbert_config) == 3


def test_max_length_one_above_the_limit_is_refused_for_each_model(english_model, kcbert_config):
    for config in (english_model.config, kcbert_config):
        limit = config.max_position_embeddings
        with pytest.raises(InputError, match=f"max_position_embeddings={limit}"):
            check_max_length(limit + 1, config)


@pytest.mark.parametrize("bad", [True, 2, 0, -5, 128.0, None])
def test_max_length_of_the_wrong_kind_or_too_small_is_refused(bad, english_model):
    with pytest.raises(InputError, match="max_length"):
        check_max_length(bad, english_model.config)


def test_max_length_above_the_limit_makes_the_real_model_fail_without_the_check(english_model, english_tokenizer):
    """Why the check exists: past the position limit torch fails deep inside the model."""
    limit = english_model.config.max_position_embeddings
    ids = torch.full((1, limit + 8), english_tokenizer.convert_tokens_to_ids("hello"))
    with pytest.raises(InputError):
        check_model_inputs({"input_ids": ids}, english_model)
    with pytest.raises((IndexError, RuntimeError)), torch.inference_mode():
        english_model(input_ids=ids)


# --- check_pair --------------------------------------------------------------------------------

def test_tokenizer_and_model_loaded_together_pass(english_tokenizer, english_model):
    assert check_pair(english_tokenizer, english_model) is None


def test_tokenizer_with_an_added_token_does_not_match_the_model(english_model):
    tokenizer = helpers.load_tokenizer(ENGLISH)
    tokenizer.add_tokens(["새단어"])
    with pytest.raises(MismatchError, match="30,523"):
        check_pair(tokenizer, english_model)


def test_a_5_token_tokenizer_is_refused_before_the_size_comparison(english_model):
    from transformers import BertTokenizer

    with pytest.raises(BrokenTokenizerError, match="5개"):
        check_pair(BertTokenizer(vocab_file="nowhere.txt"), english_model)


def test_tokenizer_built_the_documented_way_matches(english_model):
    from transformers import BertTokenizer

    tokenizer = BertTokenizer.from_pretrained(str(helpers.english_model_path()), local_files_only=True)
    assert check_pair(tokenizer, english_model) is None


# --- check_model_inputs ------------------------------------------------------------------------

def test_tokenizer_output_passes_through_as_tensors(english_tokenizer, english_model):
    features = english_tokenizer(["hello world", "hi"], padding=True, return_tensors="pt")
    checked = check_model_inputs(features, english_model)
    assert set(checked) == set(features) & {"input_ids", "token_type_ids", "attention_mask"}
    assert all(torch.equal(checked[k], features[k]) for k in checked)


def test_tokenizer_output_without_return_tensors_is_refused(english_tokenizer, english_model):
    with pytest.raises(InputError, match="리스트"):
        check_model_inputs(english_tokenizer(["hello"]), english_model)


@pytest.mark.parametrize("bad", [None, "hello", [101, 102], torch.tensor([[101, 102]])])
def test_model_inputs_that_are_not_a_mapping_with_input_ids_are_refused(bad, english_model):
    with pytest.raises(InputError, match="input_ids"):
        check_model_inputs(bad, english_model)


def test_boolean_mask_and_negative_ids_are_refused(english_model):
    ids = torch.tensor([[101, 7592, 102]])
    with pytest.raises(InputError, match="torch.bool"):
        check_model_inputs({"input_ids": ids, "attention_mask": ids > 0}, english_model)
    with pytest.raises(InputError, match="어휘 밖"):
        check_model_inputs({"input_ids": -ids}, english_model)


def test_batch_of_ids_and_mask_with_different_batch_sizes_is_refused(english_model):
    features = {"input_ids": torch.ones(3, 4, dtype=torch.long), "attention_mask": torch.ones(2, 4, dtype=torch.long)}
    with pytest.raises(InputError, match=r"\(3, 4\)"):
        check_model_inputs(features, english_model)


# --- devices and memory ------------------------------------------------------------------------

def test_cpu_and_auto_devices():
    assert check_device("cpu") == torch.device("cpu")
    assert check_device(torch.device("cpu")).type == "cpu"
    assert check_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize("bad", [True, 0.5, "0", [1], None, "cuda:0"])
def test_batch_size_must_be_a_positive_int(bad):
    with pytest.raises(InputError, match="batch_size"):
        check_batch_size(bad)


def test_run_in_batches_without_memory_trouble_warns_nothing_and_keeps_order():
    seen = []

    def run_batch(chunk):
        seen.append(len(chunk))
        return [x * 2 for x in chunk]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = run_in_batches(run_batch, range(7), batch_size=3)
    assert [x for part in parts for x in part] == [0, 2, 4, 6, 8, 10, 12]
    assert seen == [3, 3, 1]


def test_run_in_batches_halves_until_it_fits_and_keeps_the_smaller_size():
    sizes = []

    def run_batch(chunk):
        sizes.append(len(chunk))
        if len(chunk) > 3:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return list(chunk)

    with pytest.warns(SmallerBatchWarning) as record:
        parts = run_in_batches(run_batch, list("abcdefghij"), batch_size=16)
    assert "".join(x for part in parts for x in part) == "abcdefghij"
    assert sizes == [10, 8, 4, 2, 2, 2, 2, 2]  # 16 -> 8 -> 4 -> 2 (a slice of 16 holds all 10 items)
    assert [str(w.message).splitlines()[0] for w in record] == [
        "batch_size=16 에서 메모리가 부족해 batch_size=8 로 줄여 다시 실행합니다.",
        "batch_size=8 에서 메모리가 부족해 batch_size=4 로 줄여 다시 실행합니다.",
        "batch_size=4 에서 메모리가 부족해 batch_size=2 로 줄여 다시 실행합니다.",
    ]


def test_run_in_batches_treats_the_cpu_allocator_failure_as_out_of_memory():
    def run_batch(chunk):
        if len(chunk) > 1:
            raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")
        return chunk

    with pytest.warns(SmallerBatchWarning):
        assert run_in_batches(run_batch, [1, 2], batch_size=2) == [[1], [2]]


def test_run_in_batches_lets_other_errors_through_unchanged():
    def run_batch(chunk):
        raise KeyError("not memory")

    with pytest.raises(KeyError, match="not memory"):
        run_in_batches(run_batch, [1, 2, 3], batch_size=2)


def test_out_of_memory_at_batch_1_is_a_runtime_error_too():
    def run_batch(chunk):
        raise torch.OutOfMemoryError("CUDA out of memory")

    with pytest.raises(RuntimeError), pytest.warns(SmallerBatchWarning):
        run_in_batches(run_batch, [1, 2], batch_size=2)
    assert issubclass(OutOfMemoryError, RuntimeError)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU to run out of its memory")
def test_real_cuda_out_of_memory_is_retried_with_smaller_batches():
    free, _ = torch.cuda.mem_get_info()
    per_item = free // 6  # four items do not fit, two do

    def run_batch(chunk):
        block = torch.empty(len(chunk) * per_item, dtype=torch.uint8, device="cuda")
        del block
        return list(chunk)

    with pytest.warns(SmallerBatchWarning):
        parts = run_in_batches(run_batch, list(range(8)), batch_size=8)
    assert [x for part in parts for x in part] == list(range(8))
    assert max(len(part) for part in parts) <= 5


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU to run out of its memory")
def test_real_cuda_out_of_memory_in_a_bert_forward_gives_the_same_vectors():
    """A too-large batch through a real (random-weight) BERT on the GPU: halved, same result."""
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(hidden_size=256, num_hidden_layers=2, num_attention_heads=16, intermediate_size=512,
                        max_position_embeddings=512, attn_implementation="eager")
    model = BertModel(config).cuda().eval()
    free, _ = torch.cuda.mem_get_info()
    per_item = config.num_attention_heads * 512 * 512 * 4 * 3  # eager attention scores, probs, dropout
    too_many = int(free // per_item) * 4
    ids = torch.randint(1000, 2000, (too_many, 512), device="cuda")

    def run_batch(rows):
        with torch.inference_mode():
            return model(input_ids=ids[rows[0]:rows[-1] + 1]).last_hidden_state[:, 0].cpu()

    with pytest.warns(SmallerBatchWarning):
        vectors = torch.cat(run_in_batches(run_batch, list(range(too_many)), batch_size=too_many))
    torch.cuda.empty_cache()
    step = max(1, too_many // 64)
    reference = torch.cat(run_in_batches(run_batch, list(range(too_many)), batch_size=step))
    assert vectors.shape == (too_many, config.hidden_size)
    torch.testing.assert_close(vectors, reference, atol=1e-4, rtol=1e-4)


# --- hub and network ---------------------------------------------------------------------------

def test_tests_cannot_reach_the_network():
    with pytest.raises(Exception) as info:
        socket.create_connection(("huggingface.co", 443), timeout=1)
    assert not isinstance(info.value, (TimeoutError, socket.timeout)), "the block should refuse, not wait"
    with pytest.raises(Exception):
        socket.create_connection(("1.1.1.1", 443), timeout=1)


def test_tests_can_still_use_loopback_sockets():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    with socket.create_connection(server.getsockname(), timeout=1):
        pass
    server.close()


def test_hub_reachable_is_false_and_fast_with_sockets_blocked_and_no_offline_flag(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    started = time.monotonic()
    assert hub_reachable() is False
    assert time.monotonic() - started < 2


def test_hub_reachable_stops_waiting_for_a_hanging_name_lookup(monkeypatch):
    """A classroom resolver that never answers must not stall resolve_model."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: time.sleep(30))
    started = time.monotonic()
    assert hub_reachable(timeout=0.3) is False
    assert time.monotonic() - started < 3


def test_resolve_model_falls_back_to_the_embedded_default_without_the_offline_flag(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    monkeypatch.setattr(helpers.loading, "cached_snapshot", lambda repo: None)
    choice = helpers.resolve_model()
    assert choice.is_embedded and choice.source == "embedded"


# --- .bin checkpoints --------------------------------------------------------------------------

def _tiny_bert(folder: Path, *, safetensors: bool):
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=99, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=32)
    model = BertModel(config)
    if safetensors:
        model.save_pretrained(folder)
    else:  # transformers 5.x ignores save_pretrained(safe_serialization=False): write the pickle directly
        config.save_pretrained(folder)
        torch.save(model.state_dict(), folder / "pytorch_model.bin")
    return model


def test_save_pretrained_in_transformers_5_writes_safetensors_only(tmp_path):
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=99, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16)
    BertModel(config).save_pretrained(tmp_path, safe_serialization=False)
    assert (tmp_path / "model.safetensors").exists() and not (tmp_path / "pytorch_model.bin").exists()


def test_a_plain_bin_checkpoint_loads_through_the_weights_only_path(tmp_path):
    saved = _tiny_bert(tmp_path, safetensors=False)
    assert not (tmp_path / "model.safetensors").exists()
    loaded = load_model(str(tmp_path))
    assert loaded.training is False
    for name, tensor in saved.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor), name


def test_safetensors_win_over_a_bin_file_in_the_same_folder(tmp_path):
    saved = _tiny_bert(tmp_path, safetensors=True)
    (tmp_path / "pytorch_model.bin").write_bytes(b"not a pickle at all")
    loaded = load_model(str(tmp_path))
    assert torch.equal(loaded.embeddings.word_embeddings.weight, saved.embeddings.word_embeddings.weight)


def test_unsafe_checkpoint_error_is_a_model_not_available_error():
    assert issubclass(UnsafeCheckpointError, helpers.ModelNotAvailableError)


# --- project-wide rules (source checks) --------------------------------------------------------

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
                if keyword.arg == "trust_remote_code" and not (isinstance(value, ast.Constant) and value.value is False):
                    offenders.append(f"{name}:{node.lineno} trust_remote_code")
                if keyword.arg in {"weights_only", "use_safetensors"} and isinstance(value, ast.Constant) \
                        and value.value is False:
                    offenders.append(f"{name}:{node.lineno} {keyword.arg}=False")
    assert offenders == []


def test_the_source_check_sees_the_helpers():
    names = {name for name, _ in _project_code()}
    assert "helpers/loading.py" in names and "helpers/checks.py" in names


# --- objects in the wrong place ----------------------------------------------------------------

def test_check_pair_accepts_a_bare_config_holder(english_tokenizer, english_model):
    """make_features passes SimpleNamespace(config=...) as the model: duck typing must stay."""
    from types import SimpleNamespace

    assert check_pair(english_tokenizer, SimpleNamespace(config=english_model.config)) is None


@pytest.mark.parametrize("call", ["token_vectors", "attention_weights"])
def test_swapped_arguments_are_named_in_the_step_05_helpers(call, english_tokenizer, english_model):
    from helpers import embeddings

    sentences = ["hello world"] if call == "token_vectors" else "hello world"
    with pytest.raises(InputError, match="순서가 바뀐"):
        getattr(embeddings, call)(sentences, english_tokenizer, english_model)


@pytest.mark.parametrize("bad", [None, 42, "embedded", Path("x"), torch.ones(2)])
def test_check_tokenizer_and_check_model_refuse_other_objects(bad, english_tokenizer, english_model):
    from helpers.checks import check_model, check_tokenizer

    with pytest.raises(InputError, match="tokenizer"):
        check_tokenizer(bad)
    with pytest.raises(InputError, match="model"):
        check_model(bad)
    check_tokenizer(english_tokenizer)
    check_model(english_model)


def test_model_class_must_be_a_class():
    with pytest.raises(InputError, match="model_class"):
        load_model(ENGLISH, model_class="BertModel")
