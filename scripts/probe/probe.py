"""Learner-mistake probe for bertvec-notebooks helpers.

Run:  cd <tree> && HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 PYTHONPATH=<tree> /work/main/.venv/bin/python scripts/probe/probe.py
Each case: (category, call text, expectation, function). Expectation decided before running:
  "err"  -> the input is a mistake: a BertvecError (or BertvecWarning) naming the helper/argument is good;
  "ok"   -> the input is fine: a correct result is good (a `check` validates it).
"""
import builtins, io, json, math, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, traceback, warnings
from pathlib import Path

import numpy as np
import torch

torch.set_num_threads(1)
os.environ.setdefault("MPLBACKEND", "Agg")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import helpers
from helpers.errors import BertvecError, BertvecWarning

TREE = Path(helpers.__file__).resolve().parent.parent
print(f"helpers.__file__ = {helpers.__file__}", flush=True)

# ---- safety nets: record sockets and prompts ----------------------------------------------------
NET = []
_orig_connect = socket.socket.connect
_orig_connect_ex = socket.socket.connect_ex
_orig_cc = socket.create_connection
def _rec_connect(self, addr, *a, **k):
    NET.append(repr(addr)); raise OSError("probe: network blocked")
def _rec_connect_ex(self, addr, *a, **k):
    NET.append(repr(addr)); return 111
def _rec_cc(addr, *a, **k):
    NET.append(repr(addr)); raise OSError("probe: network blocked")
socket.socket.connect = _rec_connect
socket.socket.connect_ex = _rec_connect_ex
socket.create_connection = _rec_cc
PROMPTS = []
def _rec_input(*a, **k):
    PROMPTS.append(a); raise EOFError("probe: prompt")
builtins.input = _rec_input
try:
    import getpass
    getpass.getpass = _rec_input
except Exception:
    pass


class NA(Exception):
    pass


class Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise Timeout()
signal.signal(signal.SIGALRM, _alarm)


def H(path):
    """Resolve 'module.name' inside helpers; NA when the helper is missing in this tree."""
    mod, _, name = path.rpartition(".")
    try:
        m = __import__(f"helpers.{mod}", fromlist=[name])
    except ImportError as exc:
        raise NA(f"no module helpers.{mod}") from exc
    if not hasattr(m, name):
        raise NA(f"helpers.{mod}.{name} missing")
    return getattr(m, name)


HANGUL = re.compile("[\uac00-\ud7a3]")

# ---- shared objects (loaded once) ---------------------------------------------------------------
from helpers import load_model, load_tokenizer, resolve_model
t0 = time.time()
CHOICE = resolve_model()
TOK = load_tokenizer(CHOICE)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    MODEL = load_model(CHOICE)
EMB = helpers.embedded_model_path()
print(f"model: {CHOICE.name} from {EMB}; loaded in {time.time()-t0:.1f}s", flush=True)
try:
    BOOKTOK = H("tokenizer.load_book_tokenizer")()
except Exception as exc:
    BOOKTOK = None
    print("book tokenizer not loaded:", type(exc).__name__, exc)
from helpers import finetuning as ft
from helpers import korean_data as kd
from helpers.sentence_vectors import embed
SENTS = ["영화가 정말 재미있어요", "돈 아까운 영화"]
VECS = embed(SENTS + ["배우 연기가 좋아요", "지루했어요"], MODEL, TOK, normalize=True, max_length=32)
FEAT = ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=32, label_set=kd.NSMC_LABELS)
NER = ft.load_ner("train")[:2]
TAGF = ft.encode_tagged(TOK, NER, max_length=32)
HIDDEN = MODEL.config.hidden_size
TMP = Path(tempfile.mkdtemp(prefix="bertvec_probe_"))

try:
    PROBE_HEAD = H("finetuning.fit_probe")(VECS, [1, 0, 1, 0])
except Exception:
    PROBE_HEAD = torch.nn.Linear(HIDDEN, 2)


def folder(name, *, weights="copy", config="copy", tokenizer=True, extra=None):
    """A model folder in TMP built from the embedded one, with one thing wrong."""
    d = TMP / name
    if d.exists():
        return d
    d.mkdir()
    for f in ("tokenizer.json", "tokenizer_config.json"):
        if tokenizer and (EMB / f).exists():
            shutil.copy(EMB / f, d / f)
    if config == "copy":
        shutil.copy(EMB / "config.json", d / "config.json")
    elif config is not None:
        (d / "config.json").write_bytes(config if isinstance(config, bytes) else config.encode())
    if weights == "copy":
        os.symlink(EMB / "model.safetensors", d / "model.safetensors")
    elif weights is not None:
        (d / "model.safetensors").write_bytes(weights)
    for rel, content in (extra or {}).items():
        p = d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if content == "@weights":
            os.symlink(EMB / "model.safetensors", p)
        elif content == "@config":
            shutil.copy(EMB / "config.json", p)
        elif content == "@tok":
            for f in ("tokenizer.json", "tokenizer_config.json"):
                shutil.copy(EMB / f, p.parent / f)
        else:
            p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return d


CONFIG_TEXT = (EMB / "config.json").read_text()
LFS = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 123456789\n"

CASES = []


def case(cat, call, expect, fn, *, names=(), check=None, limit=20, why=""):
    CASES.append(dict(cat=cat, call=call, expect=expect, fn=fn, names=names, check=check, limit=limit, why=why))


def env(var, value):
    """Context: set/unset an environment variable for one case."""
    class _E:
        def __enter__(self):
            self.old = os.environ.get(var)
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        def __exit__(self, *a):
            if self.old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = self.old
    return _E()


def with_env(var, value, f):
    def run():
        with env(var, value):
            return f()
    return run


def close_figs(r):
    plt.close("all")
    return r

from helpers.overview import probabilities  # noqa: E402  (exists in both trees)
CASES_FILE = os.environ.get("PROBE_CASES", "cases.py")  # cases_fresh.py: the second set, written after the first was fixed
exec(compile(open(Path(__file__).resolve().parent / CASES_FILE, encoding="utf-8").read(), CASES_FILE, "exec"), globals())


# ---- runner ---------------------------------------------------------------------------------------
def first_line(text):
    text = str(text).strip()
    return text.splitlines()[0][:200] if text else ""


def message_names(msg, names, helper):
    keys = [n for n in names] + ([helper] if helper else [])
    return any(k and k in msg for k in keys)


def misblame(msg, names, helper):
    """The door's 'helper()의 ARG' / 'helper(): ARG' blames another helper or another argument."""
    head = first_line(msg)
    m = re.match(r"(\w+)\(\)(?:의|:|에)\s*(\w+)?", head)
    if not m:
        return None
    if helper and m.group(1) != helper:
        return f"names an inner helper {m.group(1)}() instead of {helper}()"
    arg = m.group(2)
    if arg and names and arg in ARGNAMES and not any(arg == n or arg in n for n in names):
        return f"blames argument {arg!r} (the mistake is in {names[0]!r})"
    return None


ARGNAMES = {"model", "tokenizer", "sentences", "labels", "features", "predicted", "gold", "vectors", "label_ids",
            "head", "choice", "max_length", "batch_size", "lr", "epochs", "device", "by_length", "groups", "points",
            "label_set", "text", "reviews", "column", "split", "sentence", "word", "matrix", "x", "y", "id2label",
            "logits", "index", "weight_decay", "optimizer", "batch", "train_labels", "test_labels", "word_ids",
            "word_label_ids", "test", "train", "name_or_path", "do_lower_case", "normalize", "pooling", "attention_mask"}


LAST_MSG = [""]


def classify(c):
    NET.clear(); PROMPTS.clear(); LAST_MSG[0] = ""
    helper = re.search(r"(\w+)\(", c["call"])
    helper = helper.group(1) if helper else ""
    caught = []
    start = time.time()
    signal.alarm(c["limit"])
    try:
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            try:
                result = c["fn"]()
                exc = None
            except NA as e:
                signal.alarm(0)
                return "n/a", str(e)
            except Timeout:
                raise
            except BaseException as e:  # noqa: BLE001
                result, exc = None, e
                LAST_MSG[0] = f"{type(e).__name__}: {e}"
            caught = [w for w in wlist]
        signal.alarm(0)
    except Timeout:
        plt.close("all")
        return "unsafe", f"hang: ran past {c['limit']} s"
    finally:
        signal.alarm(0)
        plt.close("all")
    secs = time.time() - start
    if NET:
        return "unsafe", f"network attempt {NET[:2]} (+{type(exc).__name__ if exc else 'returned'})"
    if PROMPTS:
        return "unsafe", f"prompt {PROMPTS[:1]}"
    bw = [w for w in caught if issubclass(w.category, BertvecWarning)]
    if exc is not None:
        if isinstance(exc, NA):
            return "n/a", str(exc)
        if isinstance(exc, BertvecError):
            msg = str(exc)
            tag = f"{type(exc).__name__}: {first_line(msg)}"
            if c["expect"] == "ok":
                return "poor", f"refused a fine input: {tag}"
            if not HANGUL.search(msg):
                return "poor", f"not Korean: {tag}"
            if not message_names(msg, c["names"], helper):
                return "poor", f"names neither helper nor argument: {tag}"
            blame = misblame(msg, c["names"], helper)
            if blame:
                return "poor", f"{blame}: {tag}"
            return "good", tag
        return "raw", f"{type(exc).__name__}: {first_line(exc)}"
    # returned
    if c["expect"] == "ok":
        if c["check"] is not None:
            try:
                ok, note = c["check"](result)
            except Exception as e:  # noqa: BLE001
                ok, note = False, f"check failed: {type(e).__name__}: {e}"
            return ("good" if ok else "silent-wrong"), f"returned: {note}"
        return "good", "returned (input is fine)"
    if bw:
        w = bw[0]
        msg = str(w.message)
        tag = f"{w.category.__name__}: {first_line(msg)}"
        relevant = [x for x in bw if any(n and n in str(x.message) for n in c["names"])]
        if relevant and HANGUL.search(str(relevant[0].message)):
            return "good", f"warning {relevant[0].category.__name__}: {first_line(relevant[0].message)}"
        return "silent-wrong", f"returned {short(result)} with only an unrelated warning {tag}"
    other = [f"{w.category.__name__}: {first_line(w.message)}" for w in caught][:1]
    desc = short(result)
    return "silent-wrong", f"returned {desc}" + (f"; other warning {other}" if other else "")


def short(r):
    try:
        if isinstance(r, torch.Tensor):
            return f"tensor{tuple(r.shape)}"
        if isinstance(r, np.ndarray):
            return f"ndarray{r.shape}"
        if isinstance(r, pd.DataFrame):
            return f"DataFrame{r.shape}"
        s = repr(r)
        return s[:80]
    except Exception:
        return type(r).__name__


def main():
    only = os.environ.get("PROBE_ONLY")
    out = []
    counts = {}
    for i, c in enumerate(CASES, 1):
        if only and only not in c["call"] and only != c["cat"]:
            continue
        verdict, detail = classify(c)
        counts.setdefault(c["cat"], {}).setdefault(verdict, 0)
        counts[c["cat"]][verdict] += 1
        line = f"[{i:03d}] {verdict:12s} | {c['cat']} | {c['call']} | expect={c['expect']} | {detail}"
        if verdict != "good" and LAST_MSG[0]:
            line += "\n        full: " + " / ".join(l.strip() for l in LAST_MSG[0].splitlines())[:600]
        print(line, flush=True)
        out.append(line)
    print("\nSUMMARY")
    tot = {}
    for cat, d in counts.items():
        print(f"  {cat:14s} " + ", ".join(f"{k}={v}" for k, v in sorted(d.items())))
        for k, v in d.items():
            tot[k] = tot.get(k, 0) + v
    scored = sum(v for k, v in tot.items() if k != "n/a")
    print("  TOTAL " + ", ".join(f"{k}={v}" for k, v in sorted(tot.items())),
          f"| good {tot.get('good', 0)}/{scored} = {100 * tot.get('good', 0) / max(scored, 1):.1f}%")
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
