# A fourth set of learner mistakes, for what issue 24's last step added to notebook 06: training in
# bf16 where this machine measures it faster (`ft.training_precision`, `ft.train(..., precision=...)`).
# Written on 2026-12-07 after building it, expectations before the first run. Corrected after the first
# run: `fit` passed lr=0.0, which train() rightly refuses before it reads `precision` (now a tiny lr), and
# the call texts named the probe's own `fit` where the learner writes ft.train(...).
# Run: PROBE_CASES=cases_precision.py python scripts/probe/probe.py
import torch  # noqa: E402

from helpers import finetuning as ft  # noqa: E402
from helpers import korean_data as kd  # noqa: E402

E = "err"
OK = "ok"
C = "nb06-precision"
CLASSIFIER = ft.load_mean_classifier(CHOICE, PROBE_HEAD, kd.NSMC_LABELS)
MEASURED = ft.training_precision(CLASSIFIER, batch_size=2, tokens=8)


def fit(precision):
    return ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=precision)


case(C, "ft.training_precision(CLASSIFIER)  # batch_size forgotten", E,
     lambda: ft.training_precision(CLASSIFIER), names=("batch_size",))
case(C, "ft.training_precision(CLASSIFIER, 16)  # batch_size given by position", E,
     lambda: ft.training_precision(CLASSIFIER, 16), names=("batch_size",))
case(C, "ft.training_precision(TOK, batch_size=16)  # tokenizer where the model goes", E,
     lambda: ft.training_precision(TOK, batch_size=16), names=("model",))
case(C, "ft.training_precision('embedded', batch_size=16)  # a name, not a loaded model", E,
     lambda: ft.training_precision("embedded", batch_size=16), names=("model",))
case(C, "ft.training_precision(CLASSIFIER, batch_size=16.0)", E,
     lambda: ft.training_precision(CLASSIFIER, batch_size=16.0), names=("batch_size",))
case(C, "ft.training_precision(CLASSIFIER, batch_size=16, tokens=0)", E,
     lambda: ft.training_precision(CLASSIFIER, batch_size=16, tokens=0), names=("tokens",))
case(C, "ft.training_precision(CLASSIFIER, batch_size=16, device='gpu')", E,
     lambda: ft.training_precision(CLASSIFIER, batch_size=16, device="gpu"), names=("device",))
case(C, "ft.training_precision(MODEL, batch_size=16)  # the bare encoder: same layer sizes, fine", OK,
     lambda: ft.training_precision(MODEL, batch_size=16),
     check=lambda r: (r.precision in ("fp32", "bf16") and (r.precision == "bf16") == (r.bf16_ms * 1.3 <= r.fp32_ms), repr(r)))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=MEASURED)  # the measurement itself, not MEASURED.precision", E,
     lambda: fit(MEASURED), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision='bfloat16')  # torch's name for it", E, lambda: fit("bfloat16"), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=torch.bfloat16)  # a dtype", E, lambda: fit(torch.bfloat16), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision='BF16')", E, lambda: fit("BF16"), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision='fp16')  # a GPU habit", E, lambda: fit("fp16"), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=True)", E, lambda: fit(True), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=None)", E, lambda: fit(None), names=("precision",))
case(C, "ft.train(CLASSIFIER, FEAT, epochs=1, batch_size=2, lr=1e-9, precision=MEASURED.precision)  # fine", OK, lambda: fit(MEASURED.precision),
     check=lambda r: (len(r) == 1 and r[0] > 0, repr(r)))
