"""bertvec-notebooks helpers: small functions the lesson notebooks import, one module a step.

- `loading`    which model runs (`resolve_model`), `load_tokenizer`, `load_model` - every notebook
- `install`    step 01: environment report, pins
- `plotting`   Korean font for matplotlib
- `embed`      step 05+: `embed()` sentence vectors for many sentences
- `errors`     the error types with their Korean messages
"""

from .errors import BertvecError, BrokenTokenizerError, InputError, MismatchError, ModelNotAvailableError
from .loading import (
    BOOK_MODEL,
    EMBEDDED,
    EMBEDDED_MODEL_ID,
    ENV_VAR,
    ModelChoice,
    embedded_model_path,
    load_model,
    load_tokenizer,
    resolve_model,
    show_model_choice,
)

__all__ = [
    "BOOK_MODEL", "EMBEDDED", "EMBEDDED_MODEL_ID", "ENV_VAR", "ModelChoice",
    "BertvecError", "BrokenTokenizerError", "InputError", "MismatchError", "ModelNotAvailableError",
    "embedded_model_path", "load_model", "load_tokenizer", "resolve_model", "show_model_choice",
]
