"""Step 03 helpers (helpers/model.py): parameter counts, config tables, weight files, load reports."""

from __future__ import annotations

import pytest
from transformers import BertConfig, BertForSequenceClassification, BertModel

from helpers import InputError, english_model_path
from helpers.model import (CONFIG_FIELDS, bert_parameter_breakdown, bert_parameter_count, config_table,
                           count_parameters, loading_report, model_parameter_breakdown, plot_parameter_breakdown,
                           weight_files)


# --- counting ----------------------------------------------------------------------------------

def test_count_parameters_sums_every_tensor(english_model):
    assert count_parameters(english_model) == sum(p.numel() for p in english_model.parameters())


def test_count_parameters_trainable_only_skips_frozen(english_model):
    import copy

    model = copy.deepcopy(english_model)
    for p in model.embeddings.parameters():
        p.requires_grad = False
    frozen = sum(p.numel() for p in model.embeddings.parameters())
    assert count_parameters(model, trainable_only=True) == count_parameters(model) - frozen


def test_formula_from_config_equals_the_loaded_models_count(english_model):
    assert bert_parameter_count(english_model.config) == count_parameters(english_model)
    assert bert_parameter_breakdown(english_model.config) == model_parameter_breakdown(english_model)


@pytest.mark.parametrize("layers,hidden,heads,inter,vocab,positions",
                         [(1, 32, 2, 64, 100, 20), (3, 48, 4, 96, 500, 300), (2, 64, 8, 37, 1000, 128)])
def test_formula_matches_freshly_built_models(layers, hidden, heads, inter, vocab, positions):
    config = BertConfig(num_hidden_layers=layers, hidden_size=hidden, num_attention_heads=heads,
                        intermediate_size=inter, vocab_size=vocab, max_position_embeddings=positions)
    for with_pooler in (True, False):
        model = BertModel(config, add_pooling_layer=with_pooler)
        assert bert_parameter_count(config, with_pooler=with_pooler) == count_parameters(model)


def test_kcbert_estimate_from_its_config(kcbert_config):
    parts = bert_parameter_breakdown(kcbert_config)
    h = kcbert_config.hidden_size
    assert parts["embeddings"] == (30000 + 300 + 2) * h + 2 * h
    assert parts["pooler"] == h * h + h
    assert 100_000_000 < bert_parameter_count(kcbert_config) < 120_000_000  # "base" size, ~110M


def test_formula_refuses_a_config_without_bert_fields():
    with pytest.raises(InputError, match="hidden_size"):
        bert_parameter_count(object())


def test_breakdown_refuses_a_model_with_a_head(english_model):
    model = BertForSequenceClassification(english_model.config)
    with pytest.raises(InputError, match="model.bert"):
        model_parameter_breakdown(model)
    assert model_parameter_breakdown(model.bert)["pooler"] > 0


# --- config_table ------------------------------------------------------------------------------

def test_config_table_side_by_side(english_model, kcbert_config):
    table = config_table({"kcbert": kcbert_config, "ran": english_model.config})
    assert table.index.tolist() == list(CONFIG_FIELDS)
    assert table.columns.tolist() == ["뜻", "kcbert", "ran"]
    assert table.loc["max_position_embeddings", "kcbert"] == 300
    assert table.loc["hidden_size", "ran"] == english_model.config.hidden_size


def test_config_table_shows_a_missing_config(english_model):
    table = config_table({"kcbert": None, "ran": english_model.config})
    assert (table["kcbert"] == "(없음)").all()
    assert table.loc["num_hidden_layers", "ran"] == english_model.config.num_hidden_layers


def test_config_table_refuses_empty_mapping():
    with pytest.raises(InputError):
        config_table({})


# --- weight_files ------------------------------------------------------------------------------

def test_embedded_folder_has_one_safetensors_file():
    table = weight_files(english_model_path())
    assert table["file"].tolist() == ["model.safetensors"]
    assert table["format"].str.startswith("safetensors").all()
    assert table["MB"].iloc[0] > 10


def test_kcbert_shared_folder_has_no_weights(kcbert_dir):
    assert weight_files(kcbert_dir).empty


def test_pickle_weights_are_labelled(tmp_path):
    (tmp_path / "pytorch_model.bin").write_bytes(b"\0" * 10)
    (tmp_path / "notes.txt").write_text("not weights")
    table = weight_files(tmp_path)
    assert table["file"].tolist() == ["pytorch_model.bin"]
    assert table["format"].iloc[0].startswith("pickle")


def test_weight_files_refuses_a_missing_folder(tmp_path):
    with pytest.raises(InputError):
        weight_files(tmp_path / "nope")


# --- loading_report ----------------------------------------------------------------------------

def test_same_architecture_loads_every_weight():
    assert loading_report(english_model_path(), BertModel).empty


def test_a_new_head_is_reported_missing():
    table = loading_report(english_model_path(), BertForSequenceClassification, num_labels=2)
    missing = set(table.loc[table["status"] == "missing", "key"])
    assert missing == {"classifier.weight", "classifier.bias"}


def test_weights_the_class_does_not_use_are_reported_unexpected():
    table = loading_report(english_model_path(), BertModel, add_pooling_layer=False)
    assert set(table["key"]) == {"pooler.dense.weight", "pooler.dense.bias"}
    assert (table["status"] == "unexpected").all()


def test_loading_report_refuses_a_missing_folder(tmp_path):
    with pytest.raises(InputError):
        loading_report(tmp_path / "nope", BertModel)


# --- plot_parameter_breakdown ------------------------------------------------------------------

def test_plot_has_one_stacked_bar_per_model(english_model):
    import matplotlib.pyplot as plt

    from helpers.plotting import use_korean_font

    use_korean_font()
    measured = model_parameter_breakdown(english_model)
    fig = plot_parameter_breakdown({"measured": measured, "no pooler": {**measured, "pooler": 0}})
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * 3  # 2 models x 3 parts
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == pytest.approx((2 * sum(measured.values()) - measured["pooler"]) / 1e6)
    plt.close(fig)


def test_plot_refuses_empty_mapping():
    with pytest.raises(InputError):
        plot_parameter_breakdown({})


# --- wrong objects (issue 6) -------------------------------------------------------------------

def test_count_parameters_refuses_a_model_name():
    with pytest.raises(InputError, match="model 자리에 객체가 아니라 이름이 들어왔습니다: 'embedded'"):
        count_parameters("embedded")


def test_count_parameters_refuses_a_tokenizer_and_a_config(english_tokenizer, english_model):
    with pytest.raises(InputError, match="model 자리에 토크나이저"):
        count_parameters(english_tokenizer)
    with pytest.raises(InputError, match="bert_parameter_count"):
        count_parameters(english_model.config)
    with pytest.raises(InputError, match="model 자리에 객체가 아니라 이름"):
        model_parameter_breakdown("embedded")


def test_config_table_refuses_a_list_of_configs(english_model):
    with pytest.raises(InputError, match="config_table\\(\\)의 configs에 쓸 수 없는 값을 받았습니다: list"):
        config_table([english_model.config])


def test_config_table_refuses_a_model_instead_of_its_config(english_model):
    with pytest.raises(InputError, match=r"(?s)'ran' 의 값이 설정이 아니라 BertModel .*'ran': model\.config"):
        config_table({"ran": english_model})
