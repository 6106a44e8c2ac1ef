"""Step 03: the model - `BertConfig` fields, parameter counts, weight files, loading reports.

Used by `notebooks/03_model.ipynb`. The counting formula (`bert_parameter_breakdown`) needs only
a config; the notebook checks it against a model whose weights did load, and counts KcBERT's
parameters exactly from a `BertModel` built from its config on the meta device (shapes only).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import torch

from .checks import refuse_misplaced, refuse_unknown_keywords, short_repr
from .errors import InputError
from .loading import load_pretrained
from .door import door

CONFIG_FIELDS: dict[str, str] = {
    "num_hidden_layers": "층(트랜스포머 블록) 수",
    "num_attention_heads": "층마다 어텐션 헤드 수",
    "hidden_size": "토큰 벡터 하나의 길이",
    "intermediate_size": "층 안 피드포워드의 중간 크기",
    "vocab_size": "어휘(토큰 ID) 개수",
    "max_position_embeddings": "입력할 수 있는 최대 토큰 수",
    "type_vocab_size": "문장 구분(token_type) 종류 수",
}
"""The config fields the lesson explains, with what each means (Korean)."""

_REQUIRED = ("vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size",
             "max_position_embeddings", "type_vocab_size")


def _check_module(model: Any) -> None:
    """InputError unless `model` is a torch module (a name, a tokenizer or a config is refused)."""
    if not isinstance(model, torch.nn.Module):
        refuse_misplaced("model", model, "load_model")  # a name, or a tokenizer in the model's place
        raise InputError(f"model 자리에 받은 값: {type(model).__name__} {short_repr(model)}",
                         "매개변수를 세려면 불러온 모델(torch.nn.Module)이 필요합니다. 설정(config)만 있다면 "
                         "bert_parameter_count(config) 로 계산할 수 있습니다.",
                         "model = load_model(choice) 로 불러오세요.")


@door
def count_parameters(model, *, trainable_only: bool = False) -> int:
    """Number of numbers (weights and biases) in `model`; only trainable ones if asked.

    Raises InputError for anything that is not a loaded model (a name, a tokenizer, a config).
    Introduced in notebook 03.
    """
    _check_module(model)
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


@door
def model_parameter_breakdown(model) -> dict[str, int]:
    """Parameters of a loaded `BertModel` per part: embeddings, encoder, pooler (0 if none).
    Introduced in notebook 03."""
    _check_module(model)
    parts = {"embeddings": 0, "encoder": 0, "pooler": 0}
    for name, param in model.named_parameters():
        part = name.split(".")[0]
        if part not in parts:
            raise InputError(f"BertModel 의 매개변수 이름이 아닙니다: '{name}'",
                             "embeddings / encoder / pooler 로 나뉘는 BertModel 만 셀 수 있습니다.",
                             "BertForMaskedLM 같은 모델이면 model.bert 를 넘기세요.")
        parts[part] += param.numel()
    return parts


@door
def bert_parameter_breakdown(config: Any, *, with_pooler: bool = True) -> dict[str, int]:
    """Parameters a `BertModel` built from `config` has, per part, computed from the fields alone.

    embeddings = (vocab + positions + token types) x hidden + LayerNorm (2 x hidden);
    each layer = 4 x (hidden x hidden + hidden) for query/key/value/output, two LayerNorms,
    and the feed-forward (hidden x intermediate + intermediate + intermediate x hidden + hidden);
    pooler = hidden x hidden + hidden. Raises InputError when a field is missing. Introduced in notebook 03.
    """
    return _breakdown(config, with_pooler, "bert_parameter_breakdown")


def _breakdown(config: Any, with_pooler: bool, caller: str) -> dict[str, int]:
    missing = [f for f in _REQUIRED if not isinstance(getattr(config, f, None), int)]
    if missing:
        raise InputError(f"설정에 {', '.join(missing)} 값이 없습니다.",
                         "BERT 의 매개변수 수는 이 값들로 계산합니다.",
                         "BertConfig.from_pretrained(폴더) 로 읽은 BERT 설정을 넘겨 주세요.")
    heads = getattr(config, "num_attention_heads", None)
    if isinstance(heads, int) and (heads < 1 or config.hidden_size % heads):
        raise InputError(f"{caller}()의 config: hidden_size={config.hidden_size}을(를) "
                         f"num_attention_heads={heads}개로 똑같이 나눌 수 없습니다.",
                         "BERT는 은닉 벡터를 헤드 수만큼 같은 크기로 나눠 어텐션을 계산합니다. 이런 설정으로는 BertModel을 만들 "
                         "수 없으니(ValueError), 매개변수 수도 없습니다.",
                         "hidden_size가 num_attention_heads의 배수가 되게 고르세요(예: 768과 12, 384와 12).")
    h, i = config.hidden_size, config.intermediate_size
    embeddings = (config.vocab_size + config.max_position_embeddings + config.type_vocab_size) * h + 2 * h
    attention = 4 * (h * h + h) + 2 * h
    feed_forward = (h * i + i) + (i * h + h) + 2 * h
    encoder = config.num_hidden_layers * (attention + feed_forward)
    pooler = (h * h + h) if with_pooler else 0
    return {"embeddings": embeddings, "encoder": encoder, "pooler": pooler}


@door
def bert_parameter_count(config: Any, *, with_pooler: bool = True) -> int:
    """Total parameters of a `BertModel` built from `config` (sum of `bert_parameter_breakdown`).
    Introduced in notebook 03."""
    return sum(_breakdown(config, with_pooler, "bert_parameter_count").values())


@door
def config_table(configs: Mapping[str, Any]) -> pd.DataFrame:
    """The lesson's config fields side by side: one column per named config, plus their meaning.

    A config given as None becomes a column of "(없음)" so a missing model is visible, not
    dropped. Refuses (InputError) an empty mapping, a list instead of a mapping, and a value
    that is not a config (a loaded model: pass `model.config`). Introduced in notebook 03.
    """
    if not isinstance(configs, Mapping):
        raise InputError(f"설정 사전 자리에 받은 값: {type(configs).__name__} {short_repr(configs)}",
                         "표의 열 이름으로 쓸 이름이 필요해 {'이름': config} 모양의 사전을 받습니다.",
                         "config_table({'내 모델': model.config}) 처럼 이름을 붙여 넘겨 주세요.")
    if not configs:
        raise InputError("비교할 설정을 하나도 받지 못했습니다.", "빈 사전에는 비교할 대상이 없습니다.",
                         "{'이름': config} 모양의 사전을 넘겨 주세요.")
    for label, config in configs.items():
        if config is not None and not any(hasattr(config, f) for f in CONFIG_FIELDS):
            hint = f"{label!r}: model.config" if hasattr(config, "config") else f"{label!r}: BertConfig.from_pretrained(폴더)"
            raise InputError(f"{label!r} 의 값이 설정이 아니라 {type(config).__name__} 입니다.",
                             f"설정(config)의 {', '.join(list(CONFIG_FIELDS)[:2])} 등의 값을 표로 보여 줍니다.",
                             f"설정을 넘겨 주세요. 예: {{{hint}}}")
    table = pd.DataFrame({"뜻": CONFIG_FIELDS})
    for label, config in configs.items():
        table[label] = [getattr(config, f, None) if config is not None else "(없음)" for f in CONFIG_FIELDS]
    table.index.name = "field"
    return table


@door
def weight_files(folder: str | Path) -> pd.DataFrame:
    """The weight files in a model folder: name, format, size in MB (empty table if none).

    `safetensors` holds only numbers; a `.bin` file is a Python pickle that can run code when
    loaded, which is why the helpers use safetensors whenever a folder has them and read a
    `.bin` only through torch's tensors-only unpickler (`weights_only=True`). Introduced in notebook 03.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"그런 폴더가 없습니다: {folder}", "가중치 파일은 모델 폴더 안에서 찾습니다.",
                         "model_folder(choice) 처럼 모델이 든 폴더를 넘겨 주세요.")
    rows = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".safetensors":
            kind = "safetensors (숫자만 담음, 안전)"
        elif path.suffix in {".bin", ".pt", ".pth", ".ckpt"}:
            kind = "pickle (불러올 때 코드가 실행될 수 있음)"
        else:
            continue
        rows.append({"file": path.name, "format": kind, "MB": round(path.stat().st_size / 2**20, 1)})
    return pd.DataFrame(rows, columns=["file", "format", "MB"])


@door
def loading_report(folder: str | Path, model_class, **kwargs) -> pd.DataFrame:
    """Load `model_class` from a local `folder` and list the weights that did not fit, with why.

    One row per key: status "missing" (the class has it, the checkpoint does not: newly
    initialised at random), "unexpected" (in the checkpoint, not used by the class) or
    "mismatched" (shape differs). An empty table means every weight matched. Loads the safe
    way (`helpers.loading.load_pretrained`: no remote code, safetensors first), never from the
    hub, and keeps transformers' English load report out of the notebook: this table says it.
    Introduced in notebook 03.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"그런 폴더가 없습니다: {folder}", "이 함수는 내려받지 않고 로컬 폴더에서만 불러옵니다.",
                         "모델 파일이 든 폴더(예: choice.path)를 넘겨 주세요.")
    config_class = getattr(model_class, "config_class", None)
    if config_class is not None:  # the keywords are settings of the model's config (num_labels=2)
        known = set(inspect.signature(model_class.__init__).parameters)
        refuse_unknown_keywords("loading_report", {k: v for k, v in kwargs.items()
                                                   if k not in known and not hasattr(config_class(), k)}, instead={})
    _, info = load_pretrained(model_class, str(folder), **kwargs)
    rows = [{"key": key, "status": status}
            for status, field in (("missing", "missing_keys"), ("unexpected", "unexpected_keys"),
                                  ("mismatched", "mismatched_keys"))
            for key in sorted(str(k) for k in info.get(field, ()))]
    return pd.DataFrame(rows, columns=["key", "status"])


@door
def plot_parameter_breakdown(breakdowns: Mapping[str, Mapping[str, int]]):
    """A horizontal stacked bar per model: millions of parameters in embeddings, encoder, pooler.

    `breakdowns` maps a label (say which model, and whether it is measured or estimated) to a
    `bert_parameter_breakdown` / `model_parameter_breakdown` result. Returns the matplotlib
    Figure (Korean labels need `helpers.plotting.use_korean_font()` first). Refuses an empty mapping.
    Introduced in notebook 03.
    """
    import matplotlib.pyplot as plt

    if not breakdowns:
        raise InputError("그릴 매개변수 분해를 하나도 받지 못했습니다.", "빈 사전에는 그릴 막대가 없습니다.",
                         "{'이름': bert_parameter_breakdown(config)} 모양의 사전을 넘겨 주세요.")
    parts = {"embeddings": "임베딩", "encoder": "인코더 층들", "pooler": "풀러"}
    labels = list(breakdowns)
    fig, ax = plt.subplots(figsize=(7, 1.4 + 0.6 * len(labels)))
    left = [0.0] * len(labels)
    for part, korean in parts.items():
        millions = [breakdowns[label].get(part, 0) / 1e6 for label in labels]
        ax.barh(labels, millions, left=left, label=korean)
        left = [a + b for a, b in zip(left, millions)]
    for y, total in enumerate(left):
        ax.text(total, y, f" {total:.1f}M", va="center")
    ax.set_xlabel("매개변수 수 (백만 개)")
    ax.set_xlim(0, max(left) * 1.18)
    ax.invert_yaxis()
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(parts), fontsize="small", frameon=False)
    fig.tight_layout()
    return fig
