"""Is the Hugging Face hub there, and what does the local cache hold (no retry loops).

transformers retries for minutes when the hub is unreachable, and behind a captive portal or a
proxy that answers every connection it gets an HTML page and fails with a long English error.
`probe_hub` makes one short HTTP request and checks that the answer comes from the hub itself;
`cached_snapshot` looks into the local cache without any network call.
"""

from __future__ import annotations

import difflib
import json
import os
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from .door import door

DEFAULT_ENDPOINT = "https://huggingface.co"

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json")
"""Files that hold a model's weights, or index its shards (a folder with none of them holds a tokenizer at most)."""

SHARD_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")
"""Files that list a sharded checkpoint's pieces (`weight_map`: tensor name -> shard file)."""

TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "sentencepiece.bpe.model", "spiece.model")
"""Files a tokenizer is built from (tokenizer_config.json alone is not enough)."""


OFFLINE_ENV_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
"""The environment variables that put the Hugging Face stack offline (huggingface_hub reads both)."""


def _env_is_true(value: str | None) -> bool:
    """huggingface_hub's own reading of a yes/no variable (`constants._is_true`): 1, on, yes, true in
    any case - and, stricter than the library, with spaces around them too ('1 ' from a copied line):
    a learner who wrote that meant offline, and offline must never be weaker here than they meant."""
    return value is not None and value.strip().upper() in _true_values()


def _library_is_offline() -> bool:
    """True when the libraries themselves are in offline mode: huggingface_hub's constant (set from
    the environment when it was imported, or by hand later), or transformers' `is_offline_mode`."""
    import sys

    from huggingface_hub import constants

    if getattr(constants, "HF_HUB_OFFLINE", False):
        return True
    transformers_hub = sys.modules.get("transformers.utils.hub")  # only when transformers is already imported
    asks = getattr(transformers_hub, "is_offline_mode", None)
    return bool(asks()) if callable(asks) else False


_ENV_FALSE_VALUES = {"", "0", "OFF", "NO", "FALSE"}


def _true_values() -> set[str]:
    from huggingface_hub.constants import ENV_VARS_TRUE_VALUES  # imported late: it reads the environment once

    return set(ENV_VARS_TRUE_VALUES)
_OFFLINE_NAME_SLIPS = {"HUGGINGFACEOFFLINE", "HUGGINGFACEHUBOFFLINE"}  # too far for difflib, still meant


def _squeezed(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


def _meant_offline() -> str | None:
    """A reason when the learner clearly meant offline but wrote it so that the libraries read
    'online': a value that is neither yes nor no (HF_HUB_OFFLINE='ture'), or a slip in the name
    (HF_HUB_OFF_LINE=1, hf_hub_offline=1). Offline must never be weaker here than they meant."""
    for name in OFFLINE_ENV_VARS:
        value = os.environ.get(name)
        if value is not None and value.strip().upper() not in _true_values() | _ENV_FALSE_VALUES:
            return (f"오프라인 모드로 다룹니다: 환경 변수 {name}의 값 {value!r}: 켜기/끄기로 읽을 수 없는 값입니다"
                    f"(켜려면 {name}=1, 끄려면 변수를 지우세요)")
    targets = {_squeezed(name): name for name in OFFLINE_ENV_VARS}
    for name, value in os.environ.items():
        squeezed = _squeezed(name)
        if name in OFFLINE_ENV_VARS or not _env_is_true(value):
            continue
        for target, real in targets.items():
            if squeezed in _OFFLINE_NAME_SLIPS or difflib.SequenceMatcher(None, squeezed, target).ratio() >= 0.8:
                return (f"오프라인 모드로 다룹니다: 환경 변수 {name}={value}: Hugging Face가 읽지 않는 이름입니다"
                        f"(바른 이름은 {real})")
    return None


def offline_reason() -> str | None:
    """Which way the Hugging Face stack was told to stay offline (a Korean phrase), or None when it was not."""
    for name in OFFLINE_ENV_VARS:
        value = os.environ.get(name)
        if _env_is_true(value):
            return f"오프라인 모드입니다: 환경 변수 {name}={value}"
    meant = _meant_offline()
    if meant is not None:
        return meant
    if _library_is_offline():
        return "오프라인 모드입니다: huggingface_hub의 오프라인 설정(HF_HUB_OFFLINE)"
    return None


@door
def hub_is_offline() -> bool:
    """True when the learner told Hugging Face to stay offline: `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE`
    set to 1/on/yes/true, or the libraries' own offline constant. Introduced in notebook 01."""
    return offline_reason() is not None


@dataclass(frozen=True)
class HubAnswer:
    """What one request to the hub found: `ok` when the hub itself answered; `seen` says what
    came back instead (in Korean, for the reason a notebook prints)."""

    ok: bool
    seen: str


def probe_hub(repo_id: str, timeout: float = 2.0) -> HubAnswer:
    """Ask the hub (`HF_ENDPOINT`, else huggingface.co) about `repo_id` with one short request.

    The hub answers `GET /api/models/<repo_id>` with JSON naming the repository. Anything else -
    no connection, a time-out, an HTTP error, an HTML login page - means "not the hub", and
    `seen` says which. Returns at once, without opening a socket, when the Hugging Face stack is
    offline (`offline_reason`: either environment variable or the library's constant). Never raises; never takes
    much longer than `timeout` (the request runs in a thread we stop waiting for, since a broken
    resolver can stall a name lookup for tens of seconds).
    """
    offline = offline_reason()
    if offline is not None:
        return HubAnswer(False, offline)
    endpoint = os.environ.get("HF_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
    url = f"{endpoint.rstrip('/')}/api/models/{repo_id}"
    answer: list[HubAnswer] = []

    def ask() -> None:
        answer.append(_ask(url, repo_id, timeout))

    worker = threading.Thread(target=ask, name="bertvec-hub-probe", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return answer[0] if answer else HubAnswer(False, f"{timeout:g}초 안에 답이 없었습니다: {endpoint}")


def _ask(url: str, repo_id: str, timeout: float) -> HubAnswer:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "bertvec-notebooks"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) endpoint only
            kind = response.headers.get("Content-Type", "")
            body = response.read(200_000)
    except urllib.error.HTTPError as exc:
        return HubAnswer(False, f"허브 주소의 답: HTTP {exc.code}")
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", by design
        return HubAnswer(False, f"연결하지 못했습니다({type(exc).__name__})")
    if "json" not in kind:
        return HubAnswer(False, f"허브 대신 다른 페이지({kind.split(';')[0] or '형식 없음'})가 답했습니다 "
                                "(로그인 페이지나 프록시일 수 있습니다)")
    try:
        named = json.loads(body).get("id") or json.loads(body).get("modelId")
    except (ValueError, AttributeError):
        named = None
    if named != repo_id:
        return HubAnswer(False, "허브 주소가 답했지만 모델 정보가 아닙니다")
    return HubAnswer(True, "허브가 답했습니다")


def hub_reachable(repo_id: str = "beomi/kcbert-base", timeout: float = 2.0) -> bool:
    """Whether the hub really answers for `repo_id` (see `probe_hub`)."""
    return probe_hub(repo_id, timeout).ok


def cached_snapshot(repo_id: str) -> Path | None:
    """The local folder of `repo_id` in the Hugging Face cache, or None if it is not cached.

    Needs `config.json` and a tokenizer file in the snapshot; the weights may be missing (see
    `has_weights`). Makes no network call.
    """
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - "not in the cache" comes in several exception types
        return None
    return folder if (folder / "config.json").exists() and has_tokenizer(folder) else None


def has_weights(folder: str | Path) -> bool:
    """True when `folder` holds a weights file (`WEIGHT_FILES`)."""
    return any((Path(folder) / name).exists() for name in WEIGHT_FILES)


def has_tokenizer(folder: str | Path) -> bool:
    """True when `folder` holds a file a tokenizer can be built from (`TOKENIZER_FILES`)."""
    return any((Path(folder) / name).is_file() for name in TOKENIZER_FILES)
