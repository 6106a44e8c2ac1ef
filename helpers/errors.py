"""Error types the helpers raise, and the catalogue of common mistakes they catch.

Every message says three things: what was asked, what went wrong (with the value that caused
it) and what to do next. Learners read these in a notebook, so they are written in Korean;
the class names stay English so that `except` clauses read naturally.

`CATALOGUE` lists the mistakes learners make most, each with the first line of the message the
helpers give and its fix. `tests/test_errors_catalogue.py` reproduces every row and checks that
the real message still starts with that line, and `docs/common_errors.md` is generated from it
(`python scripts/common_errors_page.py`), so the page cannot drift from the code.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass


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
    `raise_short`), so it can be inspected without filling the notebook with its traceback. Introduced in notebook 01.
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

    The one class for this warning: helpers.features and helpers.sentence_vectors both raise it, and the
    message says which sentences were cut (and, in features, how many tokens each lost). Introduced in notebook 07.
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


LOAD_FIX = ("인터넷에 연결된 곳(예: Colab)에서 실행하거나, 모델 파일이 든 폴더를 `BERTVEC_MODEL=/그/폴더` 로 "
             "지정하거나, 내장 기본 모델을 쓰세요 (`BERTVEC_MODEL=embedded` 또는 `load_model('embedded')`).")
SAME_SOURCE_FIX = "토크나이저와 모델을 같은 이름(또는 같은 폴더)으로 불러오세요: load_tokenizer(choice), load_model(choice)."

CATALOGUE: tuple[CatalogueRow, ...] = (
    CatalogueRow(
        "hub_offline", "인터넷도 캐시도 없는데 허브 모델 이름으로 불러오기",
        "load_tokenizer('beomi/kcbert-base')", "ModelNotAvailableError",
        "불러오려던 모델을 찾지 못했습니다: 'beomi/kcbert-base'", LOAD_FIX),
    CatalogueRow(
        "not_a_model_name", "폴더도 허브 이름도 아닌 값으로 불러오기",
        "load_model('kcbert')", "ModelNotAvailableError",
        "불러오려던 모델을 찾지 못했습니다: 'kcbert'", LOAD_FIX),
    CatalogueRow(
        "vocab_file_ignored", "`BertTokenizer(vocab_file=...)`로 만든 토크나이저(5.x는 이 인자를 무시해 어휘가 5개)",
        "tokenizer = BertTokenizer(vocab_file='vocab.txt')\ncheck_pair(tokenizer, model)", "BrokenTokenizerError",
        "토크나이저를 만들었지만 어휘가 5개뿐입니다 (기대: 30,522개).",
        "`load_tokenizer(폴더)` 를 쓰거나, 직접 만들 때는 `BertTokenizer.from_pretrained(폴더)` 또는 "
        "`BertTokenizer(vocab=...)` 를 쓰세요. 오프라인이면 내장 기본 모델을 쓰세요."),
    CatalogueRow(
        "tokenizer_model_mismatch", "다른 모델의 토크나이저와 모델을 함께 쓰기 (KcBERT 토크나이저 + 내장 기본 모델)",
        "check_pair(kcbert_tokenizer, embedded_model)", "MismatchError",
        "토크나이저 어휘 수(30,000)와 모델의 vocab_size(30,522)가 다릅니다.", SAME_SOURCE_FIX),
    CatalogueRow(
        "features_of_another_tokenizer", "책의 KcBERT 토크나이저로 만든 입력을 내장 기본 모델에 넣기 (ID는 모두 어휘 범위 안)",
        "features = kcbert_tokenizer(['좋아요', '정말 재미있는 영화'], padding=True, return_tensors='pt')\n"
        "check_model_inputs(features, embedded_model)", "MismatchError",
        "check_model_inputs(): 패딩 자리(attention_mask 0)의 ID가 [0]인데, 이 모델의 [PAD] ID는 1입니다.", SAME_SOURCE_FIX),
    CatalogueRow(
        "special_token_mismatch", "어휘 수는 같지만 [PAD]의 ID가 모델과 다른 토크나이저",
        "tokenizer.pad_token = '[UNK]'\ncheck_pair(tokenizer, model)", "MismatchError",
        "[PAD] ID 가 다릅니다: 토크나이저 100, 모델 0.", "토크나이저와 모델을 같은 곳에서 불러오세요."),
    CatalogueRow(
        "swapped_model_and_tokenizer", "model과 tokenizer 인자의 순서를 바꿔 넣기",
        "embed(['안녕하세요'], tokenizer, model)", "InputError",
        "embed(): model 자리에 토크나이저(BertTokenizer)가 들어왔습니다.",
        "함수의 인자 순서를 확인하세요. 예: embed(sentences, model, tokenizer)"),
    CatalogueRow(
        "name_instead_of_model", "불러온 모델 대신 모델 이름(문자열)을 넘기기",
        "embed(['안녕하세요'], 'embedded', tokenizer)", "InputError",
        "embed(): model 자리에 객체가 아니라 이름이 들어왔습니다: 'embedded'", "model = load_model(choice) 로 먼저 불러오세요."),
    CatalogueRow(
        "max_length_above_positions", "max_length가 모델의 위치 수보다 큼 (kcbert-base는 300, 내장 기본 모델은 512)",
        "check_max_length(512, kcbert_config)", "InputError",
        "max_length 가 이 모델의 위치 수보다 큽니다: max_length=512, max_position_embeddings=300",
        "max_length 를 300 이하로 정하세요."),
    CatalogueRow(
        "max_length_not_int", "max_length 에 정수가 아닌 값",
        "check_max_length('128', config)", "InputError",
        "max_length 에 정수가 아닌 값을 받았습니다: str '128'", "예: max_length=128 (최대 512)"),
    CatalogueRow(
        "silent_truncation", "max_length 보다 긴 문장 (잘린 토큰 수를 알려 주는 경고)",
        "make_features(tokenizer, ['hello ' * 20], max_length=16)", "TruncationWarning",
        "max_length=16 에 맞추느라 토큰을 잘라 냈습니다: sentences[0] 6개.",
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
        "input_ids 의 셰이프가 (3,) 입니다.",
        "문장 하나라도 리스트로 감싸 토크나이저에 넣거나 .unsqueeze(0) 을 쓰세요."),
    CatalogueRow(
        "mask_length_differs", "input_ids 와 attention_mask 의 길이가 다름",
        "check_model_inputs({'input_ids': ids_of_shape_2x5, 'attention_mask': mask_of_shape_2x4}, model)",
        "InputError",
        "입력들의 셰이프가 서로 다릅니다: {'input_ids': (2, 5), 'attention_mask': (2, 4)}.",
        "같은 토크나이저 호출에서 나온 결과를 그대로 쓰세요."),
    CatalogueRow(
        "ids_outside_vocabulary", "모델의 어휘보다 큰 ID (다른 모델의 토크나이저로 만든 입력)",
        "check_model_inputs({'input_ids': torch.tensor([[101, 40000, 102]])}, model)", "InputError",
        "input_ids 에 어휘 밖의 ID 가 있습니다: 101~40000", "토크나이저와 모델을 같은 이름으로 불러오세요."),
    CatalogueRow(
        "sequence_above_positions", "모델의 위치 수보다 긴 입력 텐서",
        "check_model_inputs({'input_ids': torch.ones(1, 600, dtype=torch.long)}, model)", "InputError",
        "입력이 모델의 위치 수보다 깁니다: 길이 600, max_position_embeddings=512",
        "tokenizer(..., truncation=True, max_length=512) 로 자르세요."),
    CatalogueRow(
        "bare_string", "문장 목록 대신 문자열 하나",
        "check_sentences('안녕하세요')", "InputError",
        "문장 목록 대신 문자열 하나를 받았습니다: '안녕하세요'", "리스트로 감싸 주세요: ['안녕하세요']"),
    CatalogueRow(
        "empty_list", "빈 문장 목록",
        "check_sentences([])", "InputError",
        "빈 문장 목록을 받았습니다.", "문장을 하나 이상 넣어 주세요."),
    CatalogueRow(
        "none_instead_of_list", "문장 목록 자리에 None",
        "check_sentences(None)", "InputError",
        "문장 목록 자리에 받은 값: NoneType None", "예: ['첫 문장', '두 번째 문장']"),
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
        "cuda_without_gpu", "GPU가 없는데 device='cuda'",
        "check_device('cuda')", "InputError",
        "이 컴퓨터에는 요청한 장치가 없습니다: device='cuda' (NVIDIA GPU)",
        "device='auto' 나 'cpu' 를 쓰세요. Colab 이라면 런타임 유형을 GPU 로 바꾸세요."),
    CatalogueRow(
        "unknown_device", "알 수 없는 장치 이름",
        "check_device('gpu')", "InputError",
        "알 수 없는 장치 이름입니다: device='gpu'", "'auto', 'cpu', 'cuda' 중 하나를 쓰세요."),
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
        "bad_batch_size", "batch_size가 1보다 작거나 정수가 아님",
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
        "쓸 수 없는 attn_implementation 입니다: 'flash'",
        "어텐션 그림이 필요하면 attn_implementation='eager', 아니면 인자를 빼세요."),
    CatalogueRow(
        "unsafe_pickle_checkpoint", "코드가 숨은 pytorch_model.bin (피클) 체크포인트",
        "load_model('폴더')  # pytorch_model.bin만 있는 폴더", "UnsafeCheckpointError",
        "가중치 파일 pytorch_model.bin 을 안전하게 읽을 수 없어 불러오지 않았습니다.",
        "믿을 수 있는 곳에서 받은 safetensors 가중치(model.safetensors)를 쓰세요. "
        "이 파일을 torch.load(weights_only=False) 로 직접 열지 마세요."),
    CatalogueRow(
        "folder_without_weights", "토크나이저와 설정만 있고 가중치가 없는 폴더로 모델 불러오기",
        "load_model(find_kcbert_tokenizer_dir())  # 책의 토크나이저 파일만 든 폴더", "ModelNotAvailableError",
        "불러오려던 모델을 찾지 못했습니다: 'beomi/kcbert-base'", LOAD_FIX),
    CatalogueRow(
        "custom_code_folder", "자기 코드를 실행하라고 요구하는 모델 폴더(auto_map): 묻지 않고 거절",
        "load_tokenizer('폴더')  # config.json에 auto_map, 폴더에 .py 파일", "UnsafeFolderError",
        "'<폴더>' 의 config.json 에 auto_map 이 있어 불러오지 않았습니다.",
        "BERT 는 자체 코드가 필요 없습니다. 믿을 수 있는 곳에서 받은 표준 모델 폴더를 쓰세요 "
        "(이 도우미들은 trust_remote_code=False 로만 불러옵니다)."),
    CatalogueRow(
        "partly_random_model", "설정(config.json)의 층 수보다 가중치의 층이 적은 폴더",
        "load_model('폴더')  # num_hidden_layers=12, 가중치는 6층", "ModelNotAvailableError",
        "'<폴더>' 의 가중치 96개가 체크포인트에 없습니다(층 6, 7, 8, 9, 10, 11; 예: encoder.layer.10.attention.output.LayerNorm.bias).",
        "config.json 과 가중치 파일이 같은 모델의 것인지 확인하세요(예: num_hidden_layers)."),
    CatalogueRow(
        "corrupt_weights", "끝까지 받지 못한(잘린) model.safetensors",
        "load_model('폴더')  # model.safetensors가 잘림", "ModelNotAvailableError",
        "'<폴더>' 의 가중치 파일을 읽지 못했습니다: model.safetensors(1,000,000바이트)",
        "모델 파일을 다시 내려받거나 복사하세요. 내려받다 끊겼다면 캐시의 그 파일을 지우고 다시 받으세요."),
    CatalogueRow(
        "no_tokenizer_files", "토크나이저 파일이 없는 폴더(빈 폴더, 엉뚱한 폴더)로 토크나이저 불러오기",
        "load_tokenizer('빈 폴더')", "ModelNotAvailableError",
        "'<폴더>' 에서 토크나이저를 만들려 했습니다.",
        "모델 폴더 자체(config.json 과 토크나이저 파일이 함께 있는 폴더)를 넘기세요."),
    CatalogueRow(
        "same_size_other_vocabulary", "어휘 수는 같지만 단어가 다른 토크나이저",
        "check_pair(other_tokenizer, model)  # 같은 30,522개, 다른 순서", "MismatchError",
        "토크나이저와 모델의 어휘 수(30,522)는 같지만, 같은 ID 가 다른 조각을 뜻합니다.", SAME_SOURCE_FIX),
    CatalogueRow(
        "added_tokens_without_resize", "토크나이저에 토큰을 더하고(add_tokens) 모델의 임베딩 표는 그대로",
        "tokenizer.add_tokens(['신조어'])\ncheck_pair(tokenizer, model)", "MismatchError",
        "토크나이저 어휘 수(30,523)가 모델의 vocab_size(30,522)보다 큽니다.",
        "model.resize_token_embeddings(len(tokenizer)) 로 표를 늘린 뒤 파인튜닝하세요."),
    CatalogueRow(
        "classifier_instead_of_bert", "분류층이 얹힌 모델을 문장 벡터 도우미에 넣기",
        "embed(['안녕하세요'], classifier, tokenizer)  # BertForSequenceClassification", "InputError",
        "model 자리에 분류층이 얹힌 모델이 들어왔습니다: BertForSequenceClassification", "본체를 넘기세요: model.bert"),
    CatalogueRow(
        "train_mode_model", "파인튜닝 뒤 학습 모드(model.train())로 남은 모델로 벡터 뽑기",
        "model.train()\nembed(['안녕하세요'], model, tokenizer)", "TrainModeWarning",
        "모델이 학습 모드(model.train())여서 embed 동안 평가 모드로 바꿔 계산했습니다.",
        "벡터를 뽑기 전에 model.eval() 을 부르세요(계산이 끝나면 다시 학습 모드로 돌려놓았습니다)."),
    CatalogueRow(
        "invisible_sentence", "보이는 글자가 없는 문장(폭 없는 공백, 제어 문자, 홀로 남은 결합 기호)",
        "check_sentences(['\\u200b\\ufeff'])", "InputError",
        "0번째 문장에는 보이는 글자가 없습니다(U+200B U+FEFF).",
        "그 문장을 빼거나, 원래 글자가 남아 있는지 데이터를 확인하세요."),
    CatalogueRow(
        "lone_surrogate", "짝이 없는 서로게이트 문자가 든 문장(잘못 읽은 파일, 반쪽 이모지)",
        "check_sentences(['abc\\ud800'])", "InputError",
        "0번째 문장의 3번째 글자('\\ud800')를 UTF-8 로 쓸 수 없습니다.",
        "파일을 encoding='utf-8' 로 다시 읽거나, text.encode('utf-8', 'replace').decode() 로 고치세요."),
    CatalogueRow(
        "long_word_unknown", "WordPiece가 나누지 않는 100글자 넘는 단어(띄어쓰기 없는 긴 글)",
        "embed(['a' * 150], model, tokenizer)", "UnknownWordWarning",
        "문장 1개에서 100글자가 넘는 단어가 통째로 [UNK] 하나가 되었습니다 (sentences[0]).",
        "띄어쓰기가 없는 긴 글이라면 단어 사이를 띄우거나 문장을 나누세요."),
    CatalogueRow(
        "table_instead_of_sentences", "문장 목록 대신 표(DataFrame)를 통째로 넘기기",
        "embed_stream(df, model, tokenizer)", "InputError",
        "embed_stream()의 sentences: 문장 목록 대신 표(DataFrame, 열 ['text', 'label'])를 받았습니다.", "문장이 든 열 하나를 넘기세요. 예: df['text']"),
    CatalogueRow(
        "dict_instead_of_sentences", "문장 목록 대신 사전(dict)을 넘기기",
        "embed_stream({'a': '첫 문장', 'b': '둘째 문장'}, model, tokenizer)", "InputError",
        "embed_stream()의 sentences: 문장 목록 대신 사전(dict, 키 ['a', 'b'])을 받았습니다.", "list(d.values()) 처럼 문장 목록을 꺼내 넘기세요."),
    CatalogueRow(
        "stream_of_a_number", "문장 스트림 자리에 숫자",
        "embed_stream(42, model, tokenizer)", "InputError",
        "embed_stream()의 sentences: 문장 스트림 자리에 받은 값: int 42",
        "예: embed_stream(open('corpus.txt', encoding='utf-8'), model, tokenizer)"),
    CatalogueRow(
        "device_not_here", "이 컴퓨터에 없는 장치(Apple GPU, Intel GPU)",
        "check_device('mps')", "InputError",
        "이 컴퓨터에는 요청한 장치가 없습니다: device='mps' (Apple GPU(Metal))",
        "device='auto' 나 'cpu' 를 쓰세요. Colab 이라면 런타임 유형을 GPU 로 바꾸세요."),
    CatalogueRow(
        "meta_device", "셰이프만 있는 meta 장치로 계산하기",
        "check_device('meta')", "InputError",
        "device='meta' 로는 계산할 수 없습니다.", "device='auto' 나 'cpu' 를 쓰세요."),
    CatalogueRow(
        "old_keyword", "transformers 4.x 시절의 인자(pad_to_max_length 등)",
        "make_features(tokenizer, ['안녕하세요'], max_length=10, pad_to_max_length=True)", "InputError",
        "make_features 에 없는 인자를 받았습니다: pad_to_max_length=True", "대신 이렇게 쓰세요: padding='max_length'"),
    CatalogueRow(
        "tensorflow_tensors", "PyTorch 모델에 TensorFlow 텐서 요청",
        "make_features(tokenizer, ['안녕하세요'], max_length=10, return_tensors='tf')", "InputError",
        "여기서 쓰지 않는 return_tensors 입니다: 'tf'", "return_tensors='pt' 를 쓰세요(기본값)."),
)
"""The common mistakes, in the order the lessons meet them (see docs/common_errors.md)."""
