"""Sentence vectors for many sentences at once: `embed` (step 05 and after).

The book pads every sentence to one fixed `max_length`; most of that compute is spent on
padding. `embed` sorts sentences by length, pads each batch only to its own longest sentence
(dynamic padding), runs under `torch.inference_mode()`, and returns the vectors in the
original order. Same vectors as one sentence at a time, only faster.
"""

from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
import torch

Pooling = Literal["mean", "cls", "pooler"]
POOLINGS: tuple[str, ...] = ("mean", "cls", "pooler")


def mean_pool(last_hidden_state: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors of real tokens only ([batch, hidden]); padding is excluded."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1e-9)
    return summed / counts


def pool(outputs, attention_mask: torch.Tensor, pooling: Pooling) -> torch.Tensor:
    """Sentence vectors from a BertModel output with the chosen pooling.

    'mean': attention-mask-aware mean of `last_hidden_state`; 'cls': the [CLS] token vector;
    'pooler': `pooler_output` = tanh(dense([CLS])). Raises ValueError for another name.
    """
    if pooling == "mean":
        return mean_pool(outputs.last_hidden_state, attention_mask)
    if pooling == "cls":
        return outputs.last_hidden_state[:, 0]
    if pooling == "pooler":
        if outputs.pooler_output is None:
            raise ValueError("이 모델에는 pooler 층이 없습니다: pooling='mean' 또는 'cls' 를 쓰세요.")
        return outputs.pooler_output
    raise ValueError(f"pooling={pooling!r} 은(는) 없습니다. 다음 중 하나를 쓰세요: {', '.join(POOLINGS)}")


def embed(sentences: Sequence[str], model, tokenizer, *, pooling: Pooling = "mean",
          normalize: bool = False, batch_size: int = 32, max_length: int | None = None) -> np.ndarray:
    """Sentence vectors [len(sentences), hidden] as float32 NumPy, in input order.

    Sentences longer than `max_length` (default: the model's position limit) are truncated.
    `normalize=True` scales every vector to length 1 (cosine similarity = dot product).
    """
    if isinstance(sentences, str):
        raise ValueError("문장 하나도 리스트로 감싸 주세요: embed(['문장'], ...)")
    limit = max_length or model.config.max_position_embeddings
    encoded = tokenizer(list(sentences), truncation=True, max_length=limit)
    order = sorted(range(len(sentences)), key=lambda i: len(encoded["input_ids"][i]), reverse=True)
    hidden = model.config.hidden_size
    result = torch.empty(len(sentences), hidden)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            batch = tokenizer.pad({k: [encoded[k][i] for i in idx] for k in encoded},
                                  return_tensors="pt")
            outputs = model(**batch)
            result[idx] = pool(outputs, batch["attention_mask"], pooling).float()
    if normalize:
        result = torch.nn.functional.normalize(result, dim=-1)
    return result.numpy()
