"""Error types the helpers raise, and the catalogue of common mistakes they catch.

Every message says three things: what was asked, what went wrong (with the value that caused
it) and what to do next. Learners read these in a notebook, so they are written in Korean;
the class names stay English so that `except` clauses read naturally.

`CATALOGUE` lists the mistakes learners make most, each with the first line of the message the
helpers give and its fix. `tests/test_errors_catalogue.py` reproduces every row and checks that
the real message still starts with that line, and `docs/common_errors.md` is generated from it
(`python -c "from helpers.errors import write_common_errors_page as w; w()"`), so the page cannot drift from the code.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path


def korean_message(what: str, why: str, fix: str) -> str:
    """The three-part message every helper error and warning uses (what / 원인 / 해결)."""
    return f"{what}\n  원인: {why}\n  해결: {fix}"


class _ThreePartMessage:
    """Keeps `what`, `why` and `fix` as attributes and shows them as one Korean message."""

    def __init__(self, what: str, why: str, fix: str) -> None:
        self.what = what
        self.why = why
        self.fix = fix
        super().__init__(korean_message(what, why, fix))


class BertvecError(_ThreePartMessage, Exception):
    """Base class of every error the helpers raise on purpose.

    `library_error` keeps the library's own exception when this one replaces it (see
    `raise_short`), so it can be inspected without filling the notebook with its traceback.
    """

    library_error: BaseException | None = None

    def raise_short(self, library_error: BaseException):
        """Raise this error in place of `library_error`, kept as `self.library_error` but not
        chained into the traceback (a notebook then shows the Korean message, not 40 lines of
        torch's internals)."""
        self.library_error = library_error
        raise self from None


class ModelNotAvailableError(BertvecError):
    """The requested model cannot be loaded here (offline, not cached, no weights)."""


class BrokenTokenizerError(BertvecError):
    """A tokenizer loaded but is not the one that was asked for (e.g. a 5-token vocabulary)."""


class MismatchError(BertvecError):
    """A tokenizer and a model that do not belong together."""


class InputError(BertvecError, ValueError):
    """The learner passed a value of the wrong kind, size or shape."""


class UnsafeCheckpointError(ModelNotAvailableError):
    """A weights file that cannot be loaded safely (a pickle that holds more than tensors)."""


class UnsafeFolderError(ModelNotAvailableError):
    """A model folder that asks to run its own Python code (`auto_map`): never loaded."""


class OutOfMemoryError(BertvecError, RuntimeError):
    """Even the smallest batch does not fit in memory."""


class BertvecWarning(_ThreePartMessage, UserWarning):
    """Base class of the warnings the helpers give (the run goes on, but read this)."""


def notebook_warning(message, category, filename, lineno, line=None) -> str:
    """A warning as a notebook shows it: its class and message, no file path of the kernel's
    temporary files and no echoed source line (`warnings.formatwarning` in a notebook)."""
    return f"{category.__name__}: {message}\n"


def use_notebook_warning_format() -> None:
    """In a Jupyter kernel, print warnings as `notebook_warning` does (called when helpers is imported)."""
    if "ipykernel" in sys.modules:
        warnings.formatwarning = notebook_warning


class TruncationWarning(BertvecWarning):
    """Truncation dropped tokens: the model will not see the end of some sentences.

    The one class for this warning: helpers.features and helpers.embed both raise it, and the
    message says which sentences were cut (and, in features, how many tokens each lost).
    """


class RandomPoolerWarning(BertvecWarning):
    """The checkpoint has no pooler: `pooler_output` comes from a freshly initialised layer."""


class TrainModeWarning(BertvecWarning):
    """A model in train mode was run in eval mode for a helper (its dropout would randomise vectors)."""


class UnknownWordWarning(BertvecWarning):
    """Whole words became one [UNK] (longer than WordPiece splits): different texts, same vector."""


class SmallerBatchWarning(BertvecWarning):
    """A batch ran out of memory and is being retried in smaller batches (results unchanged)."""


@dataclass(frozen=True)
class CatalogueRow:
    """One common mistake: where it happens, what the learner typed, what the helpers say.

    `raises` names the error (or warning) class; `first_line` is the first line of its message
    for `example`; `fix` is its 해결 line. The test `test_catalogue_<key>` reproduces it.
    """

    key: str
    situation: str
    example: str
    raises: str
    first_line: str
    fix: str


_LOAD_FIX = ("인터넷에 연결된 곳(예: Colab)에서 실행하거나, 모델 파일이 든 폴더를 `BERTVEC_MODEL=/그/폴더` 로 "
             "지정하거나, 내장 기본 모델을 쓰세요 (`BERTVEC_MODEL=embedded` 또는 `load_model('embedded')`).")
_SAME_SOURCE_FIX = "토크나이저와 모델을 같은 이름(또는 같은 폴더)으로 불러오세요: load_tokenizer(choice), load_model(choice)."

CATALOGUE: tuple[CatalogueRow, ...] = (
    CatalogueRow(
        "hub_offline", "인터넷도 캐시도 없는데 허브 모델 이름으로 불러오기",
        "load_tokenizer('beomi/kcbert-base')", "ModelNotAvailableError",
        "모델 'beomi/kcbert-base' 을 불러오려 했습니다.", _LOAD_FIX),
    CatalogueRow(
        "not_a_model_name", "폴더도 허브 이름도 아닌 값으로 불러오기",
        "load_model('kcbert')", "ModelNotAvailableError",
        "모델 'kcbert' 을 불러오려 했습니다.", _LOAD_FIX),
    CatalogueRow(
        "vocab_file_ignored", "`BertTokenizer(vocab_file=...)` 로 만든 토크나이저(5.x 는 이 인자를 무시해 어휘가 5개)",
        "tokenizer = BertTokenizer(vocab_file='vocab.txt')\ncheck_pair(tokenizer, model)", "BrokenTokenizerError",
        "토크나이저를 만들었지만 어휘가 5개뿐입니다 (기대: 30,522개).",
        "`load_tokenizer(폴더)` 를 쓰거나, 직접 만들 때는 `BertTokenizer.from_pretrained(폴더)` 또는 "
        "`BertTokenizer(vocab=...)` 를 쓰세요. 오프라인이면 내장 기본 모델을 쓰세요."),
    CatalogueRow(
        "tokenizer_model_mismatch", "다른 모델의 토크나이저와 모델을 함께 쓰기 (KcBERT 토크나이저 + 내장 기본 모델)",
        "check_pair(kcbert_tokenizer, embedded_model)", "MismatchError",
        "토크나이저 어휘 수(30,000)와 모델의 vocab_size(30,522)가 다릅니다.", _SAME_SOURCE_FIX),
    CatalogueRow(
        "special_token_mismatch", "어휘 수는 같지만 [PAD] 의 ID 가 모델과 다른 토크나이저",
        "tokenizer.pad_token = '[UNK]'\ncheck_pair(tokenizer, model)", "MismatchError",
        "[PAD] ID 가 다릅니다: 토크나이저 100, 모델 0.", "토크나이저와 모델을 같은 곳에서 불러오세요."),
    CatalogueRow(
        "swapped_model_and_tokenizer", "model 과 tokenizer 인자의 순서를 바꿔 넣기",
        "embed(['안녕하세요'], tokenizer, model)", "InputError",
        "model 자리에 토크나이저(BertTokenizer)가 들어왔습니다.",
        "함수의 인자 순서를 확인하세요. 예: embed(sentences, model, tokenizer)"),
    CatalogueRow(
        "name_instead_of_model", "불러온 모델 대신 모델 이름(문자열)을 넘기기",
        "embed(['안녕하세요'], 'embedded', tokenizer)", "InputError",
        "model 자리에 이름 'embedded' 이(가) 들어왔습니다.", "model = load_model(choice) 로 먼저 불러오세요."),
    CatalogueRow(
        "max_length_above_positions", "max_length 가 모델의 위치 수보다 큼 (kcbert-base 는 300, 내장 기본 모델은 512)",
        "check_max_length(512, kcbert_config)", "InputError",
        "max_length=512 가 이 모델의 위치 임베딩 수(max_position_embeddings=300)보다 큽니다.",
        "max_length 를 300 이하로 정하세요."),
    CatalogueRow(
        "max_length_not_int", "max_length 에 정수가 아닌 값",
        "check_max_length('128', config)", "InputError",
        "max_length 로 str '128' 를 받았습니다.", "예: max_length=128 (최대 512)"),
    CatalogueRow(
        "silent_truncation", "max_length 보다 긴 문장 (잘린 토큰 수를 알려 주는 경고)",
        "make_features(tokenizer, ['hello ' * 20], max_length=16)", "TruncationWarning",
        "max_length=16 에 맞추느라 토큰을 잘라 냈습니다: 0번 문장 6개.",
        "일부러 자른 것이 아니라면 max_length 를 늘리세요(모델의 max_position_embeddings 이하)."),
    CatalogueRow(
        "python_lists_to_model", "텐서 대신 파이썬 리스트를 모델에 넣기",
        "check_model_inputs({'input_ids': [[101, 7592, 102]]}, model)", "InputError",
        "input_ids 가 텐서가 아니라 파이썬 리스트입니다.",
        "tokenizer(..., return_tensors='pt') 를 쓰거나 torch.tensor(...) 로 바꾸세요."),
    CatalogueRow(
        "float_ids", "실수(float) 텐서로 된 input_ids",
        "check_model_inputs({'input_ids': torch.tensor([[101., 7592., 102.]])}, model)", "InputError",
        "input_ids 의 dtype 이 torch.float32 입니다.", "input_ids.long() 으로 바꾸세요."),
    CatalogueRow(
        "one_dimensional_ids", "[batch, seq] 가 아닌 1차원 텐서",
        "check_model_inputs({'input_ids': torch.tensor([101, 7592, 102])}, model)", "InputError",
        "input_ids 의 모양이 (3,) 입니다.",
        "문장 하나라도 리스트로 감싸 토크나이저에 넣거나 .unsqueeze(0) 을 쓰세요."),
    CatalogueRow(
        "mask_length_differs", "input_ids 와 attention_mask 의 길이가 다름",
        "check_model_inputs({'input_ids': ids_of_shape_2x5, 'attention_mask': mask_of_shape_2x4}, model)",
        "InputError",
        "입력들의 모양이 서로 다릅니다: {'input_ids': (2, 5), 'attention_mask': (2, 4)}.",
        "같은 토크나이저 호출에서 나온 결과를 그대로 쓰세요."),
    CatalogueRow(
        "ids_outside_vocabulary", "모델의 어휘보다 큰 ID (다른 모델의 토크나이저로 만든 입력)",
        "check_model_inputs({'input_ids': torch.tensor([[101, 40000, 102]])}, model)", "InputError",
        "input_ids 에 어휘 밖의 ID(101~40000)가 있습니다.", "토크나이저와 모델을 같은 이름으로 불러오세요."),
    CatalogueRow(
        "sequence_above_positions", "모델의 위치 수보다 긴 입력 텐서",
        "check_model_inputs({'input_ids': torch.ones(1, 600, dtype=torch.long)}, model)", "InputError",
        "입력 길이 600 가 max_position_embeddings=512 보다 깁니다.",
        "tokenizer(..., truncation=True, max_length=512) 로 자르세요."),
    CatalogueRow(
        "bare_string", "문장 목록 대신 문자열 하나",
        "check_sentences('안녕하세요')", "InputError",
        "문장 목록 대신 문자열 하나 '안녕하세요' 를 받았습니다.", "리스트로 감싸 주세요: ['안녕하세요']"),
    CatalogueRow(
        "empty_list", "빈 문장 목록",
        "check_sentences([])", "InputError",
        "빈 문장 목록을 받았습니다.", "문장을 하나 이상 넣어 주세요."),
    CatalogueRow(
        "none_instead_of_list", "문장 목록 자리에 None",
        "check_sentences(None)", "InputError",
        "문장 목록으로 NoneType 값 None 를 받았습니다.", "예: ['첫 문장', '두 번째 문장']"),
    CatalogueRow(
        "blank_sentence", "빈 문자열이나 공백뿐인 문장",
        "check_sentences(['안녕하세요', '   '])", "InputError",
        "1번째 문장이 비어 있거나 공백뿐입니다: '   '", "빈 문장을 빼고 다시 실행하세요."),
    CatalogueRow(
        "number_in_list", "문장 목록 안의 숫자",
        "check_sentences(['안녕하세요', 42])", "InputError",
        "1번째 항목이 문자열이 아니라 int 42 입니다.", "str(...) 로 바꾸거나 그 항목을 빼 주세요."),
    CatalogueRow(
        "nested_list", "중첩 리스트 (리스트 안의 리스트)",
        "check_sentences([['안녕하세요', '반가워요']])", "InputError",
        "0번째 항목이 문자열이 아니라 list ['안녕하세요', '반가워요'] 입니다.", "str(...) 로 바꾸거나 그 항목을 빼 주세요."),
    CatalogueRow(
        "bytes_item", "문자열 대신 bytes",
        "check_sentences([b'hello'])", "InputError",
        "0번째 항목이 bytes b'hello' 입니다.", "item.decode('utf-8') 로 문자열로 바꿔 주세요."),
    CatalogueRow(
        "cuda_without_gpu", "GPU 가 없는데 device='cuda'",
        "check_device('cuda')", "InputError",
        "device='cuda' 를 요청했지만 이 컴퓨터에는 쓸 수 있는 GPU 가 없습니다.",
        "device='auto' 나 'cpu' 를 쓰세요. Colab 이라면 런타임 유형을 GPU 로 바꾸세요."),
    CatalogueRow(
        "unknown_device", "알 수 없는 장치 이름",
        "check_device('gpu')", "InputError",
        "device='gpu' 는 알 수 없는 장치입니다.", "'auto', 'cpu', 'cuda' 중 하나를 쓰세요."),
    CatalogueRow(
        "batch_out_of_memory", "배치가 너무 커서 메모리 부족 (배치를 반으로 줄여 다시 실행하고 알려 주는 경고)",
        "run_in_batches(run_batch, sentences, batch_size=8)", "SmallerBatchWarning",
        "batch_size=8 에서 메모리가 부족해 batch_size=4 로 줄여 다시 실행합니다.",
        "그대로 두어도 결과는 같습니다. 경고를 없애려면 처음부터 batch_size 를 4 이하로 정하세요."),
    CatalogueRow(
        "out_of_memory_at_batch_1", "문장 하나도 메모리에 들어가지 않음",
        "run_in_batches(run_batch, sentences, batch_size=1)", "OutOfMemoryError",
        "batch_size=1 에서도 메모리가 부족합니다.",
        "max_length 를 줄이거나, device='cpu' 로 실행하거나, 다른 프로그램이 쓰는 메모리를 비우세요."),
    CatalogueRow(
        "bad_batch_size", "batch_size 가 1 보다 작거나 정수가 아님",
        "run_in_batches(run_batch, sentences, batch_size=0)", "InputError",
        "batch_size 에 쓸 수 없는 값을 받았습니다: 0", "예: batch_size=32"),
    CatalogueRow(
        "attentions_under_sdpa", "기본(sdpa) 어텐션으로 불러온 모델에 어텐션 가중치 요청",
        "attention_weights('hello world', load_model(choice), tokenizer)", "InputError",
        "모델이 어텐션 가중치를 돌려주지 않았습니다(attn_implementation='sdpa').",
        "load_model(choice, attn_implementation='eager') 로 다시 불러오세요."),
    CatalogueRow(
        "unknown_attn_implementation", "없는 어텐션 구현 이름",
        "load_model('embedded', attn_implementation='flash')", "InputError",
        "attn_implementation='flash' 는 쓸 수 없습니다.",
        "어텐션 그림이 필요하면 attn_implementation='eager', 아니면 인자를 빼세요."),
    CatalogueRow(
        "unsafe_pickle_checkpoint", "코드가 숨은 pytorch_model.bin (피클) 체크포인트",
        "load_model('폴더')  # pytorch_model.bin 만 있는 폴더", "UnsafeCheckpointError",
        "가중치 파일 pytorch_model.bin 을 안전하게 읽을 수 없어 불러오지 않았습니다.",
        "믿을 수 있는 곳에서 받은 safetensors 가중치(model.safetensors)를 쓰세요. "
        "이 파일을 torch.load(weights_only=False) 로 직접 열지 마세요."),
    CatalogueRow(
        "folder_without_weights", "토크나이저와 설정만 있고 가중치가 없는 폴더로 모델 불러오기",
        "load_model(find_kcbert_tokenizer_dir())  # 책의 토크나이저 파일만 든 폴더", "ModelNotAvailableError",
        "모델 'beomi/kcbert-base' 을 불러오려 했습니다.", _LOAD_FIX),
)
"""The common mistakes, in the order the lessons meet them (see docs/common_errors.md)."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def catalogue_markdown() -> str:
    """`docs/common_errors.md`: the catalogue as a Korean page for learners."""
    lines = [
        "# 자주 만나는 오류와 해결 방법",
        "",
        "노트북의 도우미 함수(`helpers`)는 잘못된 입력을 받으면 torch 깊은 곳의 긴 traceback 대신,",
        "**무엇이** 잘못되었는지(문제가 된 값과 함께), **원인**, **해결** 방법을 한국어로 알려 줍니다.",
        "아래 표는 배우는 사람이 가장 자주 만나는 경우와 그때 나오는 메시지의 첫 줄입니다.",
        "경고(Warning)는 실행을 멈추지 않고 알려 주기만 합니다.",
        "",
        "이 페이지는 `helpers/errors.py` 의 `CATALOGUE` 에서 만들어집니다"
        " (`python -c 'from helpers.errors import write_common_errors_page as w; w()'`).",
        "표의 모든 줄은 `tests/test_errors_catalogue.py` 가 실제로 재현해서 메시지를 확인합니다.",
        "",
        "| # | 상황 | 이렇게 하면 | 오류 | 메시지 첫 줄 | 해결 |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(CATALOGUE, start=1):
        code = "<br>".join(f"`{_cell(part)}`" for part in row.example.split("\n"))
        lines.append(f"| {number} | {_cell(row.situation)} | {code} | `{row.raises}` | "
                     f"{_cell(row.first_line)} | {_cell(row.fix)} |")
    lines += [
        "",
        "## 메시지 읽는 법",
        "",
        "```text",
        korean_message("무엇을 하려다 무엇이 잘못되었는지 (문제가 된 값)", "왜 안 되는지", "어떻게 고치는지"),
        "```",
        "",
        "오류의 종류는 `from helpers import InputError` 처럼 가져와 `except InputError:` 로 잡을 수 있습니다.",
        "",
    ]
    return "\n".join(lines)


def write_common_errors_page(path: str | Path | None = None) -> Path:
    """Write `catalogue_markdown()` to `docs/common_errors.md` (or `path`); returns the path."""
    target = Path(path) if path is not None else Path(__file__).resolve().parents[1] / "docs" / "common_errors.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(catalogue_markdown(), encoding="utf-8")
    return target
