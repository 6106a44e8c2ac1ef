# A third set of learner mistakes, for what issue 26 added to notebook 07: the kernel choice
# (`prepack="auto"`, `fastpath.kernel_choice`). Written on 2026-12-07 after building it, expectations
# before the first run; the first run found one inconsistency (prepack=1 refused although the door
# takes Python's 0/1 for booleans everywhere else), fixed since. Corrected after the first run: one call
# string began with `list(`, so the probe took `list()` for the helper the message should name.
# Run: PROBE_CASES=cases_kernels.py python scripts/probe/probe.py
import copy  # noqa: E402

from helpers import sentence_vectors as sv  # noqa: E402
from helpers.fastpath import kernel_choice  # noqa: E402

E = "err"
OK = "ok"
C = "nb07-kernels"
case(C, "kernel_choice(TOK)  # tokenizer where the model goes", E, lambda: kernel_choice(TOK), names=("model",))
case(C, "kernel_choice('embedded')  # a name, not a loaded model", E, lambda: kernel_choice("embedded"), names=("model",))
case(C, "kernel_choice(MODEL, threads=0)", E, lambda: kernel_choice(MODEL, threads=0), names=("threads",))
case(C, "kernel_choice(MODEL, threads='2')", E, lambda: kernel_choice(MODEL, threads="2"), names=("threads",))
case(C, "kernel_choice(MODEL, threads=2.0)", E, lambda: kernel_choice(MODEL, threads=2.0), names=("threads",))
case(C, "kernel_choice(MODEL, workers=0)", E, lambda: kernel_choice(MODEL, workers=0), names=("workers",))
case(C, "kernel_choice(MODEL)  # fine: the faster kernel, by its own figures", OK, lambda: kernel_choice(MODEL),
     check=lambda r: (r is not None and r.packed == (r.packed_ms <= r.plain_ms), repr(r)))
case(C, "kernel_choice(MODEL.half())  # nothing to choose: None, as documented", OK,
     lambda: kernel_choice(copy.deepcopy(MODEL).half()), check=lambda r: (r is None, repr(r)))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack='auto ')  # trailing space", E,
     lambda: sv.embed(SENTS, MODEL, TOK, prepack="auto "), names=("prepack",))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack='AUTO')", E, lambda: sv.embed(SENTS, MODEL, TOK, prepack="AUTO"), names=("prepack",))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack='True')  # a string", E,
     lambda: sv.embed(SENTS, MODEL, TOK, prepack="True"), names=("prepack",))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack=None)", E, lambda: sv.embed(SENTS, MODEL, TOK, prepack=None), names=("prepack",))
case(C, "sv.embed_stream(SENTS, MODEL, TOK, prepack='fast', progress=False)  # read with list()", E,
     lambda: list(sv.embed_stream(SENTS, MODEL, TOK, prepack="fast", progress=False)), names=("prepack",))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack=1)  # Python's 1 for True: fine, as for every boolean", OK,
     lambda: sv.embed(SENTS, MODEL, TOK, prepack=1), check=lambda r: (r.shape == (2, MODEL.config.hidden_size), str(r.shape)))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack=False) vs the default  # same vectors", OK,
     lambda: float(np.abs(sv.embed(SENTS, MODEL, TOK, prepack=False) - sv.embed(SENTS, MODEL, TOK)).max()),
     check=lambda r: (r < 1e-5, f"max diff {r:.1e}"))
