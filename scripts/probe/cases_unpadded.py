# A fifth set of learner mistakes, for what issue 26's latest step added to notebook 07: the padding that
# sorting leaves is skipped in the dense layers (`fastpath.unpadded`, `fastpath.Unpadded`), and
# `prepack=False` now means "the model as it is". Written on 2026-12-07 after building it, expectations
# before the first run. First run: 9/13 - calling the runner itself with a dict, lists, NumPy arrays or
# without attention_mask gave raw Python errors; it now checks its inputs like a helper (13/13,
# scripts/probe/results_unpadded.txt).
# Run: PROBE_CASES=cases_unpadded.py python scripts/probe/probe.py
import copy  # noqa: E402

from helpers.fastpath import Unpadded, packed_copy, unpadded  # noqa: E402

E = "err"
OK = "ok"
C = "nb07-unpadded"
BATCH = TOK(["영화가 정말 재미있어요", "돈 아까운 영화였다고 생각합니다 정말로"], padding=True, return_tensors="pt")


def same_as_model(result):
    with torch.inference_mode():
        expected = MODEL(**BATCH).last_hidden_state
    real = BATCH["attention_mask"].bool()
    diff = float((result.last_hidden_state[real] - expected[real]).abs().max())
    return diff < 1e-4, f"max diff at real tokens {diff:.1e}"


def trained_copy():
    model = copy.deepcopy(MODEL)
    model.train()
    return unpadded(model)


case(C, "unpadded(MODEL)  # fine", OK, lambda: unpadded(MODEL),
     check=lambda r: (isinstance(r, Unpadded), type(r).__name__))
case(C, "unpadded(TOK)  # tokenizer where the model goes", E, lambda: unpadded(TOK), names=("model",))
case(C, "unpadded('embedded')  # a name, not a loaded model", E, lambda: unpadded("embedded"), names=("model",))
case(C, "unpadded(MODEL, TOK)  # the tokenizer as the second argument", E, lambda: unpadded(MODEL, TOK), names=("runs",))
case(C, "unpadded(MODEL, packed_copy(MODEL))  # fine: both speed-ups", OK, lambda: unpadded(MODEL, packed_copy(MODEL))(**BATCH),
     check=same_as_model)
case(C, "unpadded(MODEL)(**TOK(sentences, padding=True, return_tensors='pt'))  # fine", OK,
     lambda: unpadded(MODEL)(**BATCH), check=same_as_model)
case(C, "unpadded(MODEL)(TOK(sentences, padding=True, return_tensors='pt'))  # the dict, without **", E,
     lambda: unpadded(MODEL)(BATCH), names=("input_ids",))
case(C, "unpadded(MODEL)(input_ids=BATCH['input_ids'])  # no attention_mask: every token real, like the model", OK,
     lambda: unpadded(MODEL)(input_ids=BATCH["input_ids"][:1]),
     check=lambda r: (tuple(r.last_hidden_state.shape[:2]) == tuple(BATCH["input_ids"][:1].shape), str(r.last_hidden_state.shape)))
case(C, "unpadded(MODEL)(**TOK(sentences, padding=True))  # lists, no return_tensors='pt'", E,
     lambda: unpadded(MODEL)(**TOK(["영화가 정말 재미있어요", "돈 아까운 영화"], padding=True)), names=("input_ids",))
case(C, "unpadded(MODEL)(**TOK('영화가 재미있어요', return_tensors='np'))  # NumPy arrays", E,
     lambda: unpadded(MODEL)(**TOK("영화가 재미있어요", return_tensors="np")), names=("input_ids",))
case(C, "unpadded(model_in_train_mode)  # dropout on: not the same arithmetic, so None", OK, trained_copy,
     check=lambda r: (r is None, repr(r)))
case(C, "sv.embed(SENTS, MODEL, TOK, prepack='False')  # the word, not the bool", E,
     lambda: embed(SENTS, MODEL, TOK, prepack="False"), names=("prepack",))
case(C, "embed(SENTS, MODEL, TOK, prepack=False)  # fine: the model as it is, the same vectors", OK,
     lambda: embed(SENTS, MODEL, TOK, normalize=True, prepack=False),
     check=lambda r: (float((r * embed(SENTS, MODEL, TOK, normalize=True)).sum(1).min()) > 0.99999, "cosine"))
# Added at review, after the runner took the project's own check_model_inputs instead of a second copy:
# first run 14/15 (another model's tokenizer named the inner check_model_inputs()); it now names
# unpadded() (check_model_inputs(..., caller=...)): 15/15.
case(C, "unpadded(MODEL)(**english_tokenizer(sentences, return_tensors='pt'))  # another model's tokenizer", E,
     lambda: unpadded(MODEL)(**TOK.__class__.from_pretrained(str(helpers.english_model_path()))(
         ["A cat sat on the mat."], return_tensors="pt")), names=("tokenizer",))
case(C, "unpadded(MODEL)(input_ids=BATCH['input_ids'].float())  # ids as floats", E,
     lambda: unpadded(MODEL)(input_ids=BATCH["input_ids"].float()), names=("input_ids",))
