"""Test harness: Hugging Face caches laid out like the hub's, and a kcbert-shaped checkpoint.

    python tests/hub_cache.py kcbert-cache DIR [--tokenizer-only]

A Colab learner gets `beomi/kcbert-base` as the hub leaves it in `~/.cache/huggingface/hub`:
`models--beomi--kcbert-base/blobs/<sha256>` files, `snapshots/<commit>/<name>` symlinks to
them, and `refs/main` naming the commit. `write_hub_cache` builds exactly that for any set of
files. `kcbert_checkpoint_files` makes the files of the real repository - `config.json`,
`vocab.txt`, `tokenizer_config.json` from the project's copy, and a `model.safetensors` with
the keys of a pre-training checkpoint (`bert.*` with the pooler, `cls.predictions.*`,
`cls.seq_relationship.*`) - with random weights from a fixed seed: the right shapes, the right
names, no meaning. The real weights are not available here.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def write_hub_cache(hub_dir: Path, repo_id: str, files: dict[str, Path | bytes], *,
                    commit: str = COMMIT) -> Path:
    """Put `files` (name -> source file or bytes) into `hub_dir` as the hub's cache does; returns
    the snapshot folder (`hub_dir/models--owner--name/snapshots/<commit>`)."""
    repo = hub_dir / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    snapshot.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        data = source if isinstance(source, bytes) else None
        digest = hashlib.sha256(data if data is not None else Path(source).read_bytes()).hexdigest()
        blob = repo / "blobs" / digest
        if not blob.exists():
            if data is not None:
                blob.write_bytes(data)
            else:
                os.link(source, blob) if _same_device(Path(source), blob.parent) else blob.write_bytes(
                    Path(source).read_bytes())
        link = snapshot / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(blob, link.parent))
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    return snapshot


def _same_device(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


def kcbert_checkpoint(folder: Path, *, seed: int = 0) -> Path:
    """Write a random-weight `model.safetensors` of kcbert-base's shape (BertForPreTraining keys)
    into `folder`; returns the file."""
    import torch
    from transformers import BertConfig, BertForPreTraining

    from helpers.book import BOOK_TOKENIZER_DIR

    from safetensors.torch import load_file, save_file

    from helpers.loading import TEST_CHECKPOINT_KEY

    config = BertConfig.from_pretrained(str(BOOK_TOKENIZER_DIR))
    torch.manual_seed(seed)
    model = BertForPreTraining(config).eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder), safe_serialization=True)
    for extra in ("config.json", "generation_config.json"):  # keep only the weights: config comes from the repo
        if (folder / extra).exists():
            (folder / extra).unlink()
    weights = folder / "model.safetensors"
    # the same tensors, with a header that says what they are (random: the notebooks say so)
    save_file(load_file(str(weights)), str(weights), metadata={
        "format": "pt", TEST_CHECKPOINT_KEY: f"random weights (seed {seed}) in the shapes of beomi/kcbert-base"})
    return weights


def kcbert_files(weights: Path | None) -> dict[str, Path]:
    """The files of the hub repository beomi/kcbert-base (weights only when given)."""
    from helpers.book import BOOK_TOKENIZER_DIR

    files = {name: BOOK_TOKENIZER_DIR / name for name in ("config.json", "vocab.txt", "tokenizer_config.json")}
    if weights is not None:
        files["model.safetensors"] = weights
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["kcbert-cache"])
    parser.add_argument("hf_home", type=Path, help="becomes HF_HOME: the cache goes to HF_HOME/hub")
    parser.add_argument("--tokenizer-only", action="store_true", help="no weights (a learner who ran only the tokenizer)")
    parser.add_argument("--weights-dir", type=Path, default=None, help="where the random checkpoint is written once")
    args = parser.parse_args(argv)
    weights = None
    if not args.tokenizer_only:
        weights_dir = args.weights_dir or args.hf_home / "kcbert-weights"
        weights = weights_dir / "model.safetensors"
        if not weights.exists():
            kcbert_checkpoint(weights_dir)
    snapshot = write_hub_cache(args.hf_home / "hub", "beomi/kcbert-base", kcbert_files(weights))
    print(snapshot)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())


def folder_with_custom_code(folder: Path, marker: Path) -> Path:
    """A complete, loadable BERT folder (the English embedded model) whose config and tokenizer
    config ask for the folder's own code (`auto_map`), and whose Python files would create
    `marker` the moment they are imported: a poisoned folder a learner might be handed."""
    import json
    import shutil

    from helpers import english_model_path

    shutil.copytree(english_model_path(), folder)
    code = f"open({str(marker)!r}, 'w').write('the folder\\'s code ran')\n"
    for name in ("modeling_evil.py", "tokenization_evil.py", "configuration_evil.py"):
        (folder / name).write_text(code + "from transformers import BertModel as EvilModel, BertConfig as EvilConfig\n"
                                   "from transformers import BertTokenizer as EvilTokenizer\n", encoding="utf-8")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {"AutoConfig": "configuration_evil.EvilConfig", "AutoModel": "modeling_evil.EvilModel"}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    tokenizer_config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    tokenizer_config["auto_map"] = {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config), encoding="utf-8")
    return folder
