"""Step 05: what the model returns - token vectors, sentence vectors, and pictures of them.

`token_vectors` gives each real token's vector with its piece (padding left out),
`attention_weights` one layer's attention for a sentence (it needs a model loaded with
`attn_implementation="eager"`). `cosine_matrix` and `project_2d` turn sentence vectors into
something to look at, and the `plot_*` functions draw them - every figure names the model that
made the numbers. Sentence vectors themselves come from `helpers.sentence_vectors.embed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .checks import short_repr, check_pair, check_sentences, eval_mode
from .errors import InputError
from .features import make_features
from .door import door


@dataclass(frozen=True)
class TokenVectors:
    """The vectors of one sentence's real tokens: `pieces[i]` has the vector `vectors[i]`."""

    sentence: str
    pieces: list[str]
    vectors: np.ndarray  # [number of real tokens, hidden]


@door
def token_vectors(sentences: Sequence[str], model, tokenizer, *,
                  max_length: int | None = None) -> list[TokenVectors]:
    """Per-token vectors (`last_hidden_state` rows) of each sentence, without padding positions.

    Keeps [CLS] and [SEP] (they are real positions the model attends to). `max_length` defaults
    to the model's `max_position_embeddings`; longer sentences are cut with a TruncationWarning.
    Raises InputError for bad sentences or `max_length`, MismatchError when the tokenizer does
    not belong to the model. Introduced in notebook 05.
    """
    sentences = check_sentences(sentences)
    check_pair(tokenizer, model)
    if max_length is None:
        max_length = model.config.max_position_embeddings
    features = make_features(tokenizer, sentences, max_length=max_length, padding="longest",
                             model_config=model.config)
    with torch.inference_mode(), eval_mode(model, "token_vectors"):
        hidden = model(**features).last_hidden_state
    result = []
    for i, sentence in enumerate(sentences):
        real = features["attention_mask"][i].bool()
        ids = features["input_ids"][i][real].tolist()
        result.append(TokenVectors(sentence, tokenizer.convert_ids_to_tokens(ids), hidden[i][real].float().numpy()))
    return result


@door
def attention_weights(sentence: str, model, tokenizer, *, layer: int = -1) -> tuple[list[str], np.ndarray]:
    """The pieces of `sentence` and one layer's attention, shaped [heads, seq, seq].

    Row i of a head says how much token i looks at every token (each row sums to 1). Raises
    InputError when the model was loaded with the default "sdpa" attention, which returns no
    attention weights in transformers 5.x: load it with `attn_implementation="eager"`. Introduced in notebook 05.
    """
    (sentence,) = check_sentences([sentence])
    check_pair(tokenizer, model)
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise InputError(f"layer 자리에 받은 값: {type(layer).__name__} {short_repr(layer)}",
                         "layer 는 몇 번째 층인지 나타내는 정수입니다.", "예: layer=0 (첫 층), layer=-1 (마지막 층)")
    features = make_features(tokenizer, [sentence], max_length=model.config.max_position_embeddings,
                             padding="longest", model_config=model.config)
    with torch.inference_mode(), eval_mode(model, "attention_weights"):
        attentions = model(**features, output_attentions=True).attentions
    if not attentions:
        implementation = getattr(model.config, "_attn_implementation", "?")
        raise InputError(f"모델이 어텐션 가중치를 돌려주지 않았습니다(attn_implementation={implementation!r}).",
                         "transformers 5.x 의 기본 어텐션(sdpa)은 빠른 대신 가중치를 밖으로 내놓지 않아 "
                         "output_attentions=True 가 빈 튜플을 줍니다.",
                         "load_model(choice, attn_implementation='eager') 로 다시 불러오세요.")
    if not -len(attentions) <= layer < len(attentions):
        raise InputError(f"없는 층입니다: layer={layer}", f"이 모델의 층은 {len(attentions)}개입니다.",
                         f"0~{len(attentions) - 1} 또는 -1(마지막 층)을 쓰세요.")
    pieces = tokenizer.convert_ids_to_tokens(features["input_ids"][0].tolist())
    return pieces, attentions[layer][0].float().numpy()


def _as_numbers(values, what: str) -> np.ndarray:
    """`values` as a float64 array, or InputError naming `what` (e.g. a list of strings)."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} 자리에 숫자가 아닌 값을 받았습니다: {short_repr(values)}",
                         f"숫자 배열이 필요합니다 ({exc}).",
                         "embed(...) 나 cosine_matrix(...) 가 돌려준 배열을 그대로 넘기세요.") from None


def _check_labels(matrix: np.ndarray, labels: Sequence[str], what: str, *, square: bool) -> None:
    """InputError unless `matrix` is 2-D (square when asked) with one row per label."""
    rows_ok = matrix.ndim == 2 and matrix.shape[0] == len(labels)
    if not rows_ok or (square and matrix.shape[0] != matrix.shape[1]) or (not square and matrix.shape[1] != 2):
        shape = "[n, n]" if square else "[n, 2]"
        raise InputError(f"{what}의 셰이프와 이름 수가 맞지 않습니다: {matrix.shape}, 이름 {len(labels)}개",
                         f"{shape} 셰이프의 배열에서 줄마다 이름이 하나씩 있어야 합니다.",
                         "같은 문장 목록으로 만든 배열과 이름을 넘기세요 (어텐션은 헤드 하나: weights[head]).")


@door
def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of rows of `vectors` [n, hidden] -> [n, n], diagonal 1.

    Raises InputError for a non-2-D array, values that are not numbers, and an all-zero row
    (its direction is undefined). Introduced in notebook 05.
    """
    return _cosine_matrix(vectors, "cosine_matrix")


def _looks_like_similarity_matrix(values: np.ndarray) -> bool:
    """A square, symmetric array with ones on the diagonal (what cosine_matrix returns), at least 3x3:
    real sentence vectors [n, hidden] are practically never that."""
    n = values.shape[0]
    return (values.ndim == 2 and n >= 3 and values.shape[1] == n and np.allclose(np.diag(values), 1.0, atol=1e-4)
            and np.allclose(values, values.T, atol=1e-5))


def _cosine_matrix(vectors, caller: str) -> np.ndarray:
    """`cosine_matrix` for `caller`, the helper the learner called (named in the zero-vector error)."""
    vectors = _as_numbers(vectors, "벡터 배열")
    if vectors.ndim != 2:
        raise InputError(f"벡터 배열의 셰이프가 {vectors.shape} 입니다.", "[문장 수, 은닉 크기] 2차원 배열이 필요합니다.",
                         "embed(...) 가 돌려준 배열을 그대로 넘기세요.")
    if _looks_like_similarity_matrix(vectors):
        raise InputError(f"{caller}()의 vectors에 {vectors.shape[0]}x{vectors.shape[1]} 유사도 행렬 같은 값을 받았습니다"
                         "(대칭이고 대각선이 모두 1).",
                         f"{caller}()는 문장 벡터 [문장 수, 은닉 크기]를 받아 스스로 코사인 유사도를 계산합니다. 유사도 행렬을 "
                         "다시 넣으면 '유사도의 유사도'가 되어 값이 엉뚱해집니다.",
                         "embed(...)가 돌려준 벡터를 넘기세요(유사도 행렬은 그 결과입니다).")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    if np.any(norms == 0):
        rows = np.flatnonzero(norms[:, 0] == 0).tolist()
        raise InputError(f"{caller}()의 vectors에 길이가 0인 벡터가 있습니다: 줄 {rows[:5]}",
                         "영벡터는 방향이 없어 코사인 유사도를 정할 수 없습니다.",
                         "그 문장을 빼거나 다른 풀링을 쓰세요.")
    unit = vectors / norms
    return np.clip(unit @ unit.T, -1.0, 1.0)


@door
def group_similarity(matrix: np.ndarray, groups: Sequence[str]) -> dict[str, float]:
    """Mean similarity of pairs in the same group versus pairs in different groups.

    `matrix` is [n, n] (from `cosine_matrix`), `groups[i]` the topic of sentence i; the
    diagonal (a sentence with itself) is left out. A model that understands the sentences gives
    a clearly higher '같은 주제' than '다른 주제'. Needs a group with two sentences and two groups. Introduced in notebook 05.
    """
    matrix = _as_numbers(matrix, "유사도 행렬")
    labels = np.asarray(list(groups))
    if matrix.ndim != 2 or matrix.shape != (len(labels), len(labels)):
        raise InputError(f"유사도 행렬과 주제 수가 맞지 않습니다: {matrix.shape}, 주제 {len(labels)}개",
                         "행렬의 줄마다 주제가 하나씩 있어야 합니다.", "cosine_matrix(...) 결과와 같은 순서의 주제 목록을 넘기세요.")
    same = labels[:, None] == labels[None, :]
    off_diagonal = ~np.eye(len(labels), dtype=bool)
    if not (same & off_diagonal).any() or same.all():
        raise InputError("비교할 짝이 없습니다.", "같은 주제 문장이 둘 이상, 주제가 둘 이상 있어야 합니다.",
                         "주제마다 문장을 두 개 이상 넣으세요.")
    return {"같은 주제": float(matrix[same & off_diagonal].mean()), "다른 주제": float(matrix[~same].mean())}


@door
def project_2d(vectors: np.ndarray) -> np.ndarray:
    """PCA of `vectors` [n, hidden] onto its two main directions -> [n, 2].

    Centres the rows and uses the SVD; each axis' sign is fixed (largest coordinate positive) so
    the picture is the same on every run. Needs at least 2 rows of numbers. Introduced in notebook 05.
    """
    vectors = _as_numbers(vectors, "벡터 배열")
    if vectors.ndim != 2 or vectors.shape[0] < 2:
        raise InputError(f"벡터 배열의 셰이프가 {vectors.shape} 입니다.", "두 문장 이상의 [문장 수, 은닉 크기] 배열이 필요합니다.",
                         "문장을 두 개 이상 넣으세요.")
    centred = vectors - vectors.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    if s[0] <= 1e-9 * max(1.0, float(np.abs(vectors).max())):
        raise InputError(f"project_2d()의 vectors: {len(vectors)}개 벡터가 모두 같습니다.",
                         "PCA는 벡터들이 서로 다른 방향을 찾습니다. 모두 같으면 퍼진 방향이 없어 그림이 한 점이 됩니다.",
                         "서로 다른 문장의 벡터를 넘겼는지 확인하세요(같은 문장을 반복했거나, 한 벡터를 복사해 채운 경우).")
    points = u[:, :2] * s[:2]
    signs = np.sign(points[np.abs(points).argmax(axis=0), [0, 1]])
    return points * np.where(signs == 0, 1, signs)


@door
def plot_similarity(matrix: np.ndarray, labels: Sequence[str], *, model_name: str, groups: Sequence[str] | None = None,
                    ax=None, title: str = "", vmin: float | str = -0.2):
    """Heat map of a cosine-similarity matrix with sentence labels; the title names `model_name`.

    The colour scale runs from `vmin` to 1 so that figures side by side compare; `vmin="auto"`
    starts it at the smallest value off the diagonal (models whose cosines all sit near 1, as
    e5's do, show their differences that way; the colour bar says where it starts). With `groups`
    (the topic of each row, rows sorted by topic), white lines mark where a topic ends. Draws on
    `ax` (a new figure when None) and returns the Axes. InputError when the matrix is not
    [n, n] with one label per row (or `groups` has another length). Introduced in notebook 05.
    """
    import matplotlib.pyplot as plt

    matrix = _as_numbers(matrix, "유사도 행렬")
    _check_labels(matrix, labels, "유사도 행렬", square=True)
    if groups is not None:
        _check_labels(matrix, groups, "유사도 행렬", square=True)
    if isinstance(vmin, str) and vmin != "auto":
        raise InputError(f"plot_similarity()의 vmin에 문자열 {vmin!r}을 받았습니다.",
                         "vmin은 색 눈금이 시작하는 수이거나, 가장 작은 값에서 시작하라는 'auto'입니다.",
                         "vmin=-0.2처럼 따옴표 없이 수를 쓰거나 vmin='auto'를 쓰세요.")
    if not isinstance(vmin, str) and vmin >= 1.0:
        raise InputError(f"plot_similarity()의 vmin={vmin!r}이 색 눈금의 위 끝(1)보다 작지 않습니다.",
                         "코사인 유사도는 -1~1이고, 색 눈금은 vmin부터 1까지입니다. vmin이 1 이상이면 눈금이 거꾸로 되거나 "
                         "모든 칸이 같은 색이 됩니다.", "vmin은 1보다 작게 쓰세요(예: -0.2, 0.5) 또는 vmin='auto'.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    if vmin == "auto":
        vmin = float(np.floor(matrix[~np.eye(len(matrix), dtype=bool)].min() * 20) / 20)
    image = ax.imshow(matrix, cmap="viridis", vmin=vmin, vmax=1.0)
    if groups is not None:
        for edge in [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]:
            ax.axhline(edge - 0.5, color="white", linewidth=1.5)
            ax.axvline(edge - 0.5, color="white", linewidth=1.5)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="코사인 유사도")
    ax.set_title(f"{title}\n모델: {model_name}".strip(), fontsize=10)
    return ax


@door
def plot_projection(points: np.ndarray, labels: Sequence[str] | None, groups: Sequence[str] | Sequence[int], *,
                    model_name: str, ax=None, title: str = ""):
    """Scatter of 2-D points, one colour per group, with a text label each (`labels=None`: dots
    only, for many points); the title names the model.

    Draws on `ax` (a new figure when None) and returns the Axes. InputError when `points` is
    not [n, 2] with one label (if given) and one group per row. Groups may be names or label ids
    (ints, shown as text). Introduced in notebook 05.
    """
    import matplotlib.pyplot as plt

    points = _as_numbers(points, "좌표 배열")
    groups = [str(group) for group in groups]
    for name, given in (("labels", labels), ("groups", groups)):
        if given is not None and points.ndim == 2 and len(given) != points.shape[0]:
            raise InputError(f"plot_projection()의 {name}에 {len(given)}개를 받았는데 points 는 {points.shape[0]}줄입니다.",
                             f"{name} 는 점(points 의 줄)마다 하나씩 있어야 합니다.",
                             "points 를 만든 문장 목록과 같은 순서, 같은 길이의 목록을 넘기세요.")
    if labels is not None:
        _check_labels(points, labels, "좌표 배열", square=False)
    _check_labels(points, groups, "좌표 배열", square=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    for group in dict.fromkeys(groups):
        idx = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(points[idx, 0], points[idx, 1], label=group, s=40)
        for i in idx if labels is not None else ():
            ax.annotate(labels[i], points[i], fontsize=8, xytext=(4, 3), textcoords="offset points")
    ax.legend(fontsize=8, loc="best")
    ax.set_xlabel("PCA 1")
    ax.set_ylabel("PCA 2")
    ax.set_title(f"{title}\n모델: {model_name}".strip(), fontsize=10)
    return ax


@door
def plot_attention(weights: np.ndarray, pieces: Sequence[str], *, model_name: str, ax=None, title: str = ""):
    """Heat map of one [seq, seq] attention matrix: rows look at columns; title names the model.

    Draws on `ax` (a new figure when None) and returns the Axes. InputError for all heads at
    once ([heads, seq, seq]: pick one, `weights[head]`) or a size that differs from `pieces`.
    Introduced in notebook 05.
    """
    import matplotlib.pyplot as plt

    weights = _as_numbers(weights, "어텐션 가중치")
    _check_labels(weights, pieces, "어텐션 가중치", square=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5.5))
    image = ax.imshow(weights, cmap="Reds", vmin=0.0)
    ax.set_xticks(range(len(pieces)), pieces, rotation=90, fontsize=8)
    ax.set_yticks(range(len(pieces)), pieces, fontsize=8)
    ax.set_xlabel("바라보는 대상 토큰")
    ax.set_ylabel("토큰")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="어텐션 가중치")
    ax.set_title(f"{title}\n모델: {model_name}".strip(), fontsize=10)
    return ax


@door
def neighbour_accuracy(vectors: np.ndarray, groups: Sequence[str]) -> float:
    """Share of sentences whose most similar other sentence (cosine) has the same topic.

    What a random pick of the other sentence would score is `chance_neighbour_accuracy(groups)`;
    a model that reads the sentences scores well above. Introduced in notebook 05.
    """
    matrix = _cosine_matrix(vectors, "neighbour_accuracy")
    labels = np.asarray(list(groups))
    if len(labels) != len(matrix) or len(labels) < 2:
        raise InputError(f"벡터 수와 주제 수가 맞지 않습니다: 벡터 {len(matrix)}개, 주제 {len(labels)}개",
                         "문장마다 주제가 하나씩 있어야 합니다(문장은 두 개 이상).", "같은 순서의 주제 목록을 넘기세요.")
    if len(set(labels.tolist())) == len(labels):
        raise InputError(f"neighbour_accuracy()의 groups: 주제 {len(labels)}개가 모두 한 문장씩입니다.",
                         "가장 가까운 다른 문장이 같은 주제인지 세는데, 주제마다 문장이 하나뿐이면 맞힐 수 있는 문장이 없어 "
                         "언제나 0이 됩니다.", "주제마다 문장을 두 개 이상 넣으세요.")
    np.fill_diagonal(matrix, -np.inf)
    return float((labels[matrix.argmax(axis=1)] == labels).mean())


@door
def chance_neighbour_accuracy(groups: Sequence[str]) -> float:
    """The nearest-neighbour accuracy of a random pick: for each sentence, the share of the
    *other* sentences that have its topic (12 sentences, 3 per topic: 2/11, not 1/4).
    Introduced in notebook 05."""
    labels = np.asarray(list(groups))
    if len(labels) < 2:
        raise InputError(f"주제가 {len(labels)}개뿐입니다.", "문장이 두 개 이상이어야 다른 문장을 고를 수 있습니다.",
                         "문장마다 주제를 하나씩 넘기세요.")
    same = (labels[:, None] == labels[None, :]).sum(axis=1) - 1
    return float((same / (len(labels) - 1)).mean())


@dataclass(frozen=True)
class WordVectors:
    """One word's vector in several sentences, at every layer.

    `layers[k, i]` is the vector of `word` in `sentences[i]` after layer k (k = 0: the input
    embeddings, before any self-attention); `pieces[i]` are the tokens the word became there
    (a word of several pieces gets their mean).
    """

    word: str
    sentences: list[str]
    pieces: list[list[str]]
    layers: np.ndarray  # [layers + 1, sentences, hidden]

    def cosines(self, layer: int) -> np.ndarray:
        """[sentences, sentences] cosine similarity of the word's vectors at `layer`."""
        return cosine_matrix(self.layers[layer])


@door
def word_vectors(sentences: Sequence[str], word: str, model, tokenizer) -> WordVectors:
    """The vectors of `word` (its first occurrence) in each of `sentences`, at every layer.

    Uses the tokenizer's character offsets to find the tokens that make up the word, and the
    model's `hidden_states` (input embeddings and each layer's output). Raises InputError when a
    sentence does not contain `word`. Introduced in notebook 05.
    """
    sentences = check_sentences(sentences)
    check_pair(tokenizer, model)
    if not isinstance(word, str) or not word.strip():
        raise InputError(f"단어 자리에 받은 값: {short_repr(word)}", "문장 안에서 찾을 단어(문자열)가 필요합니다.", "예: word='배'")
    missing = [i for i, s in enumerate(sentences) if word not in s]
    if missing:
        raise InputError(f"{missing[0]}번째 문장에 찾는 단어가 없습니다: '{word}' / {short_repr(sentences[missing[0]])}",
                         "문장마다 그 단어의 벡터를 꺼내므로 모든 문장에 단어가 있어야 합니다.",
                         "단어가 든 문장만 넘기세요.")
    features = make_features(tokenizer, sentences, max_length=model.config.max_position_embeddings,
                             padding="longest", model_config=model.config)
    offsets = tokenizer(sentences, return_offsets_mapping=True, padding="longest")["offset_mapping"]
    with torch.inference_mode(), eval_mode(model, "word_vectors"):
        hidden = torch.stack(model(**features, output_hidden_states=True).hidden_states).float()
    rows, pieces = [], []
    for i, sentence in enumerate(sentences):
        start = sentence.index(word)
        end = start + len(word)
        ids = features["input_ids"][i].tolist()
        picked = [t for t, (a, b) in enumerate(offsets[i]) if b > a and a < end and b > start]
        pieces.append(tokenizer.convert_ids_to_tokens([ids[t] for t in picked]))
        rows.append(hidden[:, i, picked].mean(dim=1))
    return WordVectors(word, list(sentences), pieces, torch.stack(rows, dim=1).numpy())


@door
def plot_word_layers(words: WordVectors, meanings: Sequence[str], *, model_name: str):
    """Two heat maps (the word's cosine across sentences at the input and after the last layer)
    and, for every layer, the mean cosine between sentences of the same meaning and of different
    meanings. `meanings[i]` names the sense of the word in sentence i. Returns the Figure.
    Introduced in notebook 05."""
    import matplotlib.pyplot as plt

    labels = [f"{i}: {meaning}" for i, meaning in enumerate(meanings)]  # sentence number and its sense
    same = np.asarray(meanings)[:, None] == np.asarray(meanings)[None, :]
    off = ~np.eye(len(meanings), dtype=bool)
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 4.2), gridspec_kw={"width_ratios": [1, 1, 1.1]})
    last = words.layers.shape[0] - 1
    lowest = min(words.cosines(k)[off].min() for k in range(last + 1))
    vmin = min(float(np.floor(lowest * 20) / 20), 0.95)  # one colour scale for both maps
    for ax, layer, title in [(axes[0], 0, "입력 임베딩 (층 0)"), (axes[1], last, f"마지막 층 (층 {last})")]:
        plot_similarity(words.cosines(layer), labels, model_name=model_name, ax=ax, vmin=vmin,
                        title=f"'{words.word}' 의 벡터끼리 코사인: {title}")
    per_layer = [words.cosines(k) for k in range(last + 1)]
    axes[2].plot([m[same & off].mean() for m in per_layer], marker="o", label="같은 뜻끼리")
    axes[2].plot([m[~same].mean() for m in per_layer], marker="o", label="다른 뜻끼리")
    axes[2].set_xticks(range(0, last + 1, 2 if last > 8 else 1))
    axes[2].set_xlabel("층 (0 = 입력 임베딩)")
    axes[2].set_ylabel("평균 코사인 유사도")
    axes[2].set_title(f"층을 지날수록 달라지는 '{words.word}'\n모델: {model_name}", fontsize=10)
    axes[2].legend(fontsize=8)
    fig.tight_layout()
    return fig



@door
def plot_sentence_flow(pieces: Sequence[str], input_ids: Sequence[int], attention_mask: Sequence[int],
                       token_vectors_: np.ndarray | torch.Tensor, *, n_layers: int, model_name: str, shown_dims: int = 8):
    """The chapter's figure 3-67 drawn from real outputs: one padded sentence's tokens (with ids and
    mask) go through the embeddings and `n_layers` Transformer blocks and come out as one vector
    per position (`last_hidden_state[0]`, first `shown_dims` numbers as colours). Returns the Figure.
    Introduced in notebook 05.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    vectors = _as_numbers(token_vectors_, "토큰 벡터")
    if not (len(pieces) == len(input_ids) == len(attention_mask) == vectors.shape[0]):
        raise InputError("토큰, ID, 마스크, 벡터의 개수가 서로 다릅니다.",
                         f"토큰 {len(pieces)}개, ID {len(input_ids)}개, 마스크 {len(attention_mask)}개, "
                         f"벡터 {vectors.shape[0]}개입니다. 한 문장의 같은 위치들이어야 합니다.",
                         "tokenizer(...) 의 한 줄과 last_hidden_state[0] 을 함께 넘기세요.")
    n = len(pieces)
    fig, ax = plt.subplots(figsize=(11, 0.42 * n + 1.6))
    ax.set_xlim(0, 11)
    ax.set_ylim(-0.8, n + 0.6)
    ax.axis("off")
    for i, (piece, token_id, mask) in enumerate(zip(pieces, input_ids, attention_mask)):
        y = n - 1 - i
        colour = "#dbe9f6" if mask else "#eeeeee"
        ax.add_patch(FancyBboxPatch((0.1, y + 0.1), 2.3, 0.75, boxstyle="round,pad=0.02", fc=colour, ec="#555555"))
        ax.text(1.25, y + 0.47, f"{piece}  (ID {token_id}, 마스크 {mask})", ha="center", va="center", fontsize=8)
        ax.annotate("", xy=(3.2, y + 0.47), xytext=(2.45, y + 0.47), arrowprops={"arrowstyle": "->", "color": "#777777"})
        ax.annotate("", xy=(7.0, y + 0.47), xytext=(6.3, y + 0.47), arrowprops={"arrowstyle": "->", "color": "#777777"})
    ax.add_patch(FancyBboxPatch((3.25, 0.1), 3.0, n - 0.2, boxstyle="round,pad=0.05", fc="#fff4d6", ec="#b8860b"))
    ax.text(4.75, n / 2, f"임베딩\n(토큰 + 세그먼트 + 위치)\n↓\n트랜스포머 블록 {n_layers}개\n(셀프 어텐션 + 피드포워드)",
            ha="center", va="center", fontsize=9)
    shown = vectors[:, :shown_dims]
    limit = float(np.abs(shown).max()) or 1.0
    ax.imshow(shown, cmap="coolwarm", vmin=-limit, vmax=limit, aspect="auto",
              extent=(7.05, 10.6, -0.0, n - 0.05) if n else None)
    ax.text(8.8, -0.45, f"토큰 벡터: 위치마다 {vectors.shape[1]}개의 숫자 (앞 {shown.shape[1]}개만 색으로)",
            ha="center", va="center", fontsize=8)
    ax.text(4.75, n + 0.3, f"그림 3-67 다시 그리기: 문장 하나가 토큰 벡터 {n}개가 되기까지 (모델: {model_name})",
            ha="center", fontsize=10)
    return fig


@door
def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation of two equally long sequences (ties get their average rank), e.g.
    KLUE-STS cosine similarities against the gold scores. A constant list (no ranking) raises
    InputError. Introduced in notebook 05."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 3:
        raise InputError("순위 상관을 계산할 수 없는 입력입니다.",
                         f"두 값의 셰이프가 {x.shape}, {y.shape}입니다. 같은 길이(3 이상)의 1차원이어야 합니다.",
                         "문장 쌍마다 코사인 하나와 정답 점수 하나를 같은 순서로 넘기세요.")
    for name, values in (("x", x), ("y", y)):
        if np.all(values == values[0]):
            raise InputError(f"spearman()의 {name}의 값이 모두 같습니다: {values[0]:g} ({len(values)}개)",
                             "값이 모두 같으면 순위를 매길 수 없어 순위 상관이 정의되지 않습니다(계산하면 NaN).",
                             "서로 다른 값이 든 목록을 넘기세요. 코사인이 모두 같다면 문장 벡터를 만든 과정"
                             "(같은 문장을 넘겼는지, 모델을 불러왔는지)을 확인하세요.")
    import pandas as pd

    ranks_x, ranks_y = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()  # ties: average rank
    return float(np.corrcoef(ranks_x, ranks_y)[0, 1])
