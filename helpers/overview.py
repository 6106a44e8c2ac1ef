"""Step 00 (the overview): where the vectors go - a document classifier and a token tagger.

Used by `notebooks/00_overview.ipynb`: the two fine-tuning set-ups of the book's section drawn
with the shapes of the model that runs (`plot_two_uses`), and the scores of a head turned into
probabilities per label (`probabilities`).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd
import torch

from .errors import InputError
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
def probabilities(logits: torch.Tensor, id2label: Mapping[int, str], *, index: Sequence[str] | None = None) -> pd.DataFrame:
    """Softmax of a classifier's logits [batch, labels] as a table: one row per input, one column
    per label name (`config.id2label`), each row summing to 1. Introduced in notebook 00."""
    if not isinstance(logits, torch.Tensor) or logits.dim() != 2:
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise InputError(f"logits 의 셰이프가 {shape} 입니다.", "문서 분류의 logits 는 [문장 수, 레이블 수] 입니다.",
                         "model(**batch).logits 를 그대로 넘기세요(개체명 인식이면 logits[0] 처럼 문장 하나를 고르세요).")
    if len(id2label) != logits.shape[1]:
        raise InputError(f"레이블 이름 {len(id2label)}개와 logits 의 열 {logits.shape[1]}개가 맞지 않습니다.",
                         "열마다 레이블 이름이 하나씩 있어야 합니다.", "model.config.id2label 을 넘기세요.")
    probs = torch.softmax(logits.detach().float(), dim=-1).cpu().numpy()
    return pd.DataFrame(probs, columns=[id2label[i] for i in range(logits.shape[1])], index=index)
