"""Step 00 (the overview): where the vectors go - a document classifier and a token tagger.

Used by `notebooks/00_overview.ipynb`: the two fine-tuning set-ups of the book's section drawn
with the shapes of the model that runs (`plot_two_uses`), and the scores of a head turned into
probabilities per label (`probabilities`).
"""

from __future__ import annotations

import warnings
from typing import Mapping, Sequence

import pandas as pd
import torch

from .errors import BertvecWarning, InputError
from .door import door

PRETRAINED_COLOR = "#cfe2f3"
NEW_LAYER_COLOR = "#fce5cd"


def draw_setup(ax, boxes: Sequence[str], arrows: Sequence[str], *, title: str,
               new_boxes: Sequence[int] = ()) -> None:
    """Draw one fine-tuning set-up on `ax`: boxes left to right, a label on every arrow.

    `arrows[i]` is written on the arrow from `boxes[i]` to `boxes[i + 1]` (tensor shapes);
    boxes whose index is in `new_boxes` are coloured as newly added layers.
    """
    if len(arrows) != len(boxes) - 1:
        raise InputError(f"상자 {len(boxes)}개에 화살표 이름 {len(arrows)}개를 받았습니다.",
                         "화살표는 이웃한 두 상자 사이마다 하나씩 있습니다.", "화살표 이름을 상자 수보다 하나 적게 주세요.")
    ax.set_xlim(0, len(boxes))
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=11)
    width = 0.72
    for i, text in enumerate(boxes):
        color = NEW_LAYER_COLOR if i in new_boxes else PRETRAINED_COLOR if i not in (0, len(boxes) - 1) else "white"
        ax.text(i + 0.5, 0.45, text, ha="center", va="center", fontsize=9, wrap=True,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": color, "edgecolor": "#444444"})
    for i, label in enumerate(arrows):
        ax.annotate("", xy=(i + 1.5 - width / 2 - 0.02, 0.45), xytext=(i + 0.5 + width / 2 + 0.02, 0.45),
                    arrowprops={"arrowstyle": "->", "color": "#444444", "lw": 1.4})
        ax.text(i + 1.0, 0.72, label, ha="center", va="bottom", fontsize=8, family="monospace",
                color="#1f4e79")


def add_color_legend(fig) -> None:
    """Explain the box colours of `draw_setup` below the figure (pretrained part vs new layer)."""
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(facecolor=PRETRAINED_COLOR, edgecolor="#444444", label="프리트레인된 가중치에서 출발 (함께 학습됨)"),
                        Patch(facecolor=NEW_LAYER_COLOR, edgecolor="#444444", label="새로 만든 층 (무작위로 출발)")],
               loc="lower center", ncol=2, fontsize=8, frameon=False)


@door
def plot_two_uses(*, model_name: str, layers: int, batch: int, seq: int, hidden: int, num_classes: int,
                  num_tags: int):
    """The book's two fine-tuning set-ups as one figure, every arrow labelled with its shape:
    ① `pooler_output` [batch, hidden] -> dropout + linear -> one label per sentence;
    ② `last_hidden_state` [batch, seq, hidden] -> dropout + linear per token -> one tag per token.
    Returns the matplotlib Figure (Korean labels: `helpers.plotting.use_korean_font()` first).
    Introduced in notebook 00."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 1, figsize=(10, 4))
    draw_setup(axes[0], ["문장들", f"BERT\n({layers}층)", "드롭아웃\n+ 선형층", "레이블 하나"],
               [f"input_ids\n[{batch}, {seq}]", f"pooler_output\n[{batch}, {hidden}]", f"logits\n[{batch}, {num_classes}]"],
               title="① 문서 분류: 문장 벡터 하나로 레이블 하나", new_boxes=[2])
    draw_setup(axes[1], ["문장들", f"BERT\n({layers}층)", "드롭아웃\n+ 선형층\n(토큰마다)", "토큰마다 태그 하나"],
               [f"input_ids\n[{batch}, {seq}]", f"last_hidden_state\n[{batch}, {seq}, {hidden}]",
                f"logits\n[{batch}, {seq}, {num_tags}]"],
               title="② 개체명 인식: 토큰 벡터마다 태그 하나씩", new_boxes=[2])
    fig.suptitle(f"파인튜닝의 두 모양 (셰이프는 실행한 모델의 것: {model_name})", fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    add_color_legend(fig)
    return fig


@door
def probabilities(logits: torch.Tensor, id2label: Mapping[int, str] | Mapping[str, str] | Sequence[str], *,
                  index: Sequence[str] | None = None) -> pd.DataFrame:
    """Softmax of a classifier's logits [batch, labels] as a table: one row per input, one column
    per label name (`config.id2label`), each row summing to 1.

    `id2label` may also be a list of names in id order (['부정', '긍정']) or a dict with the string
    keys of config.json ({'0': '부정', ...}). `index` names the rows (one per input). Scores that
    are already probabilities (every row in [0, 1], summing to 1) get a BertvecWarning: a second
    softmax flattens them. Introduced in notebook 00."""
    if not isinstance(logits, torch.Tensor) or logits.dim() != 2:
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise InputError(f"logits 의 셰이프가 {shape} 입니다.", "문서 분류의 logits 는 [문장 수, 레이블 수] 입니다.",
                         "model(**batch).logits 를 그대로 넘기세요(개체명 인식이면 logits[0] 처럼 문장 하나를 고르세요).")
    names = _label_names(id2label)
    if len(names) != logits.shape[1]:
        raise InputError(f"레이블 이름 {len(names)}개와 logits 의 열 {logits.shape[1]}개가 맞지 않습니다.",
                         "열마다 레이블 이름이 하나씩 있어야 합니다.", "model.config.id2label 을 넘기세요.")
    if index is not None and len(index) != logits.shape[0]:
        raise InputError(f"probabilities()의 index에 이름 {len(index)}개를 받았는데 logits 는 {logits.shape[0]}줄입니다.",
                         "index 는 표의 줄 이름으로, logits 의 줄(입력 문장)마다 하나씩 있어야 합니다.",
                         "logits 를 만든 문장 목록 그대로를 index=문장들 로 넘기세요.")
    scores = logits.detach().float().cpu()
    if bool(((scores >= 0) & (scores <= 1)).all()) and torch.allclose(scores.sum(-1), torch.ones(len(scores)), atol=1e-4):
        warnings.warn(BertvecWarning(
            "probabilities()의 logits 가 이미 확률처럼 보입니다: 줄마다 0~1 사이이고 합이 1입니다.",
            "probabilities() 는 softmax 를 한 번 더 하므로, 이미 확률인 값을 넘기면 차이가 줄어든 엉뚱한 확률이 나옵니다.",
            "softmax 하기 전의 model(**batch).logits 를 넘기세요."), stacklevel=2)
    probs = torch.softmax(scores, dim=-1).numpy()
    return pd.DataFrame(probs, columns=[names[i] for i in range(logits.shape[1])], index=index)


def _label_names(id2label) -> list[str]:
    """`id2label` (a dict with int or digit-string keys, or a list of names) as names in id order."""
    if not isinstance(id2label, Mapping):
        return list(id2label)
    try:
        by_id = {int(key): name for key, name in id2label.items()}
    except ValueError:
        by_id = {}
    if sorted(by_id) != list(range(len(id2label))):
        raise InputError(f"probabilities()의 id2label 의 키가 0부터 이어지는 번호가 아닙니다: {list(id2label)}",
                         "id2label 은 레이블 번호(0, 1, ...)마다 이름 하나를 적은 사전입니다.",
                         "model.config.id2label 이나 이름 목록(예: ['부정', '긍정'])을 넘기세요.")
    return [by_id[i] for i in range(len(by_id))]
