"""Step 00 (helpers/overview.py): the two uses drawn with their shapes, logits as probabilities."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402

from helpers import InputError  # noqa: E402
from helpers.overview import draw_setup, plot_two_uses, probabilities  # noqa: E402


def test_probabilities_are_a_softmax_per_row_with_the_label_names():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    table = probabilities(logits, {0: "부정", 1: "중립", 2: "긍정"}, index=["a", "b"])
    assert list(table.columns) == ["부정", "중립", "긍정"] and list(table.index) == ["a", "b"]
    assert table.sum(axis=1).round(6).tolist() == [1.0, 1.0]
    assert table.loc["a"].idxmax() == "부정" and table.loc["b"].nunique() == 1
    torch.testing.assert_close(torch.tensor(table.values, dtype=torch.float32), torch.softmax(logits, -1))


@pytest.mark.parametrize("logits, names", [(torch.zeros(2, 3, 4), {0: "a", 1: "b", 2: "c"}),
                                           (torch.zeros(2, 3), {0: "a", 1: "b"}),
                                           ([[0.0, 1.0]], {0: "a", 1: "b"})])
def test_probabilities_refuse_token_logits_and_wrong_label_names(logits, names):
    with pytest.raises(InputError):
        probabilities(logits, names)


def test_probabilities_take_a_list_of_names_and_config_json_string_keys():
    logits = torch.tensor([[2.0, -1.0], [0.0, 1.0]])
    expected = probabilities(logits, {0: "부정", 1: "긍정"})
    for names in (["부정", "긍정"], ("부정", "긍정"), {"0": "부정", "1": "긍정"}, {"1": "긍정", "0": "부정"}):
        assert probabilities(logits, names).equals(expected)


def test_probabilities_refuse_a_short_index_and_warn_about_probabilities_given_as_logits():
    from helpers.errors import BertvecWarning

    logits = torch.tensor([[2.0, -1.0], [0.0, 1.0]])
    with pytest.raises(InputError, match="probabilities\\(\\)의 index"):
        probabilities(logits, ["부정", "긍정"], index=["하나뿐"])
    with pytest.warns(BertvecWarning, match="이미 확률"):
        probabilities(logits.softmax(-1), ["부정", "긍정"])
    with pytest.raises(InputError, match="id2label"):
        probabilities(logits, {0: "부정", 2: "긍정"})


def test_the_picture_labels_every_arrow_with_its_shape():
    fig = plot_two_uses(model_name="m", layers=12, batch=4, seq=11, hidden=384, num_classes=3, num_tags=7)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "pooler_output\n[4, 384]" in texts and "last_hidden_state\n[4, 11, 384]" in texts
    assert "logits\n[4, 3]" in texts and "logits\n[4, 11, 7]" in texts
    assert "m" in fig._suptitle.get_text()


def test_draw_setup_needs_one_arrow_fewer_than_boxes():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    with pytest.raises(InputError, match="화살표"):
        draw_setup(ax, ["a", "b"], ["x", "y"], title="t")
