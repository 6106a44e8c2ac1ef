"""`run_in_batches` (helpers/fastpath.py): a batch that runs out of memory is retried in halves.

The results stay the same and in order, the smaller size is kept, other errors pass through
unchanged, and at batch size 1 the learner gets OutOfMemoryError with what to do. With a GPU,
a real CUDA out-of-memory is retried too.
"""

from __future__ import annotations

import warnings

import pytest
import torch

from helpers.errors import OutOfMemoryError, SmallerBatchWarning
from helpers.fastpath import run_in_batches


def test_run_in_batches_without_memory_trouble_warns_nothing_and_keeps_order():
    seen = []

    def run_batch(chunk):
        seen.append(len(chunk))
        return [x * 2 for x in chunk]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = run_in_batches(run_batch, range(7), batch_size=3)
    assert [x for part in parts for x in part] == [0, 2, 4, 6, 8, 10, 12]
    assert seen == [3, 3, 1]


def test_run_in_batches_halves_until_it_fits_and_keeps_the_smaller_size():
    sizes = []

    def run_batch(chunk):
        sizes.append(len(chunk))
        if len(chunk) > 3:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return list(chunk)

    with pytest.warns(SmallerBatchWarning) as record:
        parts = run_in_batches(run_batch, list("abcdefghij"), batch_size=16)
    assert "".join(x for part in parts for x in part) == "abcdefghij"
    assert sizes == [10, 8, 4, 2, 2, 2, 2, 2]  # 16 -> 8 -> 4 -> 2 (a slice of 16 holds all 10 items)
    assert [str(w.message).splitlines()[0] for w in record] == [
        "batch_size=16 에서 메모리가 부족해 batch_size=8 로 줄여 다시 실행합니다.",
        "batch_size=8 에서 메모리가 부족해 batch_size=4 로 줄여 다시 실행합니다.",
        "batch_size=4 에서 메모리가 부족해 batch_size=2 로 줄여 다시 실행합니다.",
    ]


def test_run_in_batches_treats_the_cpu_allocator_failure_as_out_of_memory():
    def run_batch(chunk):
        if len(chunk) > 1:
            raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")
        return chunk

    with pytest.warns(SmallerBatchWarning):
        assert run_in_batches(run_batch, [1, 2], batch_size=2) == [[1], [2]]


def test_run_in_batches_lets_other_errors_through_unchanged():
    def run_batch(chunk):
        raise KeyError("not memory")

    with pytest.raises(KeyError, match="not memory"):
        run_in_batches(run_batch, [1, 2, 3], batch_size=2)


def test_out_of_memory_at_batch_1_is_a_runtime_error_too():
    def run_batch(chunk):
        raise torch.OutOfMemoryError("CUDA out of memory")

    with pytest.raises(RuntimeError), pytest.warns(SmallerBatchWarning):
        run_in_batches(run_batch, [1, 2], batch_size=2)
    assert issubclass(OutOfMemoryError, RuntimeError)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU to run out of its memory")
def test_real_cuda_out_of_memory_is_retried_with_smaller_batches():
    free, _ = torch.cuda.mem_get_info()
    per_item = free // 6  # four items do not fit, two do

    def run_batch(chunk):
        block = torch.empty(len(chunk) * per_item, dtype=torch.uint8, device="cuda")
        del block
        return list(chunk)

    with pytest.warns(SmallerBatchWarning):
        parts = run_in_batches(run_batch, list(range(8)), batch_size=8)
    assert [x for part in parts for x in part] == list(range(8))
    assert max(len(part) for part in parts) <= 5


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU to run out of its memory")
def test_real_cuda_out_of_memory_in_a_bert_forward_gives_the_same_vectors():
    """A too-large batch through a real (random-weight) BERT on the GPU: halved, same result."""
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(hidden_size=256, num_hidden_layers=2, num_attention_heads=16, intermediate_size=512,
                        max_position_embeddings=512, attn_implementation="eager")
    model = BertModel(config).cuda().eval()
    free, _ = torch.cuda.mem_get_info()
    per_item = config.num_attention_heads * 512 * 512 * 4 * 3  # eager attention scores, probs, dropout
    too_many = int(free // per_item) * 4
    ids = torch.randint(1000, 2000, (too_many, 512), device="cuda")

    def run_batch(rows):
        with torch.inference_mode():
            return model(input_ids=ids[rows[0]:rows[-1] + 1]).last_hidden_state[:, 0].cpu()

    with pytest.warns(SmallerBatchWarning):
        vectors = torch.cat(run_in_batches(run_batch, list(range(too_many)), batch_size=too_many))
    torch.cuda.empty_cache()
    step = max(1, too_many // 64)
    reference = torch.cat(run_in_batches(run_batch, list(range(too_many)), batch_size=step))
    assert vectors.shape == (too_many, config.hidden_size)
    torch.testing.assert_close(vectors, reference, atol=1e-4, rtol=1e-4)
