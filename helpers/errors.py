"""Error types the helpers raise.

Every message says three things: what was asked, what went wrong (with the value that caused
it) and what to do next. Learners read these in a notebook, so they are written in Korean;
the class names stay English so that `except` clauses read naturally.
"""

from __future__ import annotations


class BertvecError(Exception):
    """Base class of every error the helpers raise on purpose."""

    def __init__(self, what: str, why: str, fix: str) -> None:
        self.what = what
        self.why = why
        self.fix = fix
        super().__init__(f"{what}\n  원인: {why}\n  해결: {fix}")


class ModelNotAvailableError(BertvecError):
    """The requested model cannot be loaded here (offline, not cached, no weights)."""


class BrokenTokenizerError(BertvecError):
    """A tokenizer loaded but is not the one that was asked for (e.g. a 5-token vocabulary)."""


class MismatchError(BertvecError):
    """A tokenizer and a model that do not belong together."""


class InputError(BertvecError, ValueError):
    """The learner passed a value of the wrong kind, size or shape."""
