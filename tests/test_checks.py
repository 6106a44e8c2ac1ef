"""Shared input checks (helpers/checks.py) and the project-wide no-pickle / no-remote-code rule.

The catalogue rows live in test_errors_catalogue.py; this file checks the rest of each
contract: what is accepted and returned unchanged, the boundaries, and the project-wide rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import helpers
from helpers import ENGLISH, BrokenTokenizerError, InputError, MismatchError, load_model
from helpers.checks import (check_batch_size, check_device, check_max_length, check_model_inputs, check_pair,
                            check_sentences)



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
