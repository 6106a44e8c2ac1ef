"""Where a model comes from: the network rules of the tests, the hub probe, and `.bin` weights.

Tests never reach the network (pytest-socket; loopback only). `hub_reachable` answers fast when
nothing answers; without the offline flag `resolve_model` still falls back to the embedded
default. A `.bin` checkpoint loads only through torch's tensors-only unpickler, and safetensors
win when both are there.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import torch

import helpers
from helpers import load_model
from helpers.errors import UnsafeCheckpointError
from helpers.hub import hub_reachable


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


def test_hub_reachable_is_false_and_fast_with_sockets_blocked_and_no_offline_flag(monkeypatch, no_offline_flag):
    started = time.monotonic()
    assert hub_reachable() is False
    assert time.monotonic() - started < 2


def test_hub_reachable_stops_waiting_for_a_hanging_name_lookup(monkeypatch, no_offline_flag):
    """A classroom resolver that never answers must not stall resolve_model."""
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: time.sleep(30))
    started = time.monotonic()
    assert hub_reachable(timeout=0.3) is False
    assert time.monotonic() - started < 3


def test_resolve_model_falls_back_to_the_embedded_default_without_the_offline_flag(monkeypatch, no_offline_flag):
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
