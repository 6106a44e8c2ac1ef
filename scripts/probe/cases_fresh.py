# A second, fresh set of learner mistakes (issue 22), written on 2026-12-07 after every case of
# cases.py was answered well - in places cases.py does not go: the book's own step-4 calls made by
# hand, notebook 05's comparisons, parameter tables, the exercise helpers with wrong kinds of
# answer, KLUE-STS and NSMC tables, and features that cross between the two tokenizers.
# Expectations written before the first run. Run: PROBE_CASES=cases_fresh.py python scripts/probe/probe.py
from transformers import BertConfig, BertForSequenceClassification  # noqa: E402

from helpers import embeddings as em  # noqa: E402
from helpers import exercises as ex  # noqa: E402
from helpers import features as fe  # noqa: E402
from helpers import model as mdl  # noqa: E402
from helpers import sentence_vectors as sv  # noqa: E402
from helpers import tokenizer as tk  # noqa: E402
from helpers.checks import check_model_inputs, check_pair  # noqa: E402

E = "err"
OK = "ok"
BOOK_FEAT = BOOKTOK(SENTS, padding=True, return_tensors="pt") if BOOKTOK is not None else None
OWN_FEAT = TOK(SENTS, padding=True, return_tensors="pt")
SENTS3 = SENTS + ["좋아"]  # three lengths: the shorter rows really are padded
OWN_FEAT3 = TOK(SENTS3, padding=True, return_tensors="pt")

# ============================ step 4 by hand: tokenizer output into the model ======================
C = "step4-by-hand"
case(C, "check_model_inputs(BOOKTOK(SENTS, padding=True, return_tensors='pt'), MODEL)  # book tokenizer, embedded model", E,
     lambda: check_model_inputs(BOOK_FEAT, MODEL), names=("check_model_inputs", "PAD", "토크나이저"))
case(C, "check_model_inputs(BOOKTOK(SENTS[:1], return_tensors='pt'), MODEL)  # one sentence, no padding", E,
     lambda: check_model_inputs(BOOKTOK(SENTS[:1], return_tensors="pt"), MODEL), names=("check_model_inputs", "CLS"))
case(C, "check_model_inputs(TOK(SENTS, padding=True, return_tensors='pt'), MODEL)  # own tokenizer: fine", OK,
     lambda: check_model_inputs(OWN_FEAT, MODEL), check=lambda r: ("input_ids" in r, f"keys {sorted(r)}"))
# Corrected after the first run: both SENTS are 7 tokens, so no padding is needed and the call is fine.
case(C, "check_model_inputs(TOK(SENTS, return_tensors='pt'), MODEL)  # no padding, same length: fine", OK,
     lambda: check_model_inputs(TOK(SENTS, return_tensors="pt"), MODEL), check=lambda r: (r["input_ids"].shape[0] == 2, "2 rows"))
case(C, "check_model_inputs({'input_ids': OWN_FEAT['input_ids']}, MODEL)  # mask left out: fine", OK,
     lambda: check_model_inputs({"input_ids": OWN_FEAT["input_ids"]}, MODEL),
     check=lambda r: (list(r) == ["input_ids"], f"keys {sorted(r)}"))
case(C, "check_model_inputs(OWN_FEAT['input_ids'], MODEL)  # the ids tensor, not the dict", E,
     lambda: check_model_inputs(OWN_FEAT["input_ids"], MODEL), names=("features", "input_ids", "모델 입력"))
case(C, "check_model_inputs(OWN_FEAT, TOK)  # tokenizer where the model goes", E,
     lambda: check_model_inputs(OWN_FEAT, TOK), names=("model",))
# Corrected after the first run: OWN_FEAT has no padding (equal lengths); the mistake needs padded rows.
case(C, "check_model_inputs(OWN_FEAT3 with attention_mask of ones everywhere, MODEL)  # mask rebuilt wrongly", E,
     lambda: check_model_inputs({"input_ids": OWN_FEAT3["input_ids"], "attention_mask": torch.ones_like(OWN_FEAT3["attention_mask"])}, MODEL),
     names=("PAD", "패딩", "attention_mask"))
case(C, "check_model_inputs(OWN_FEAT with token_type_ids all 1, MODEL)  # segment B everywhere", E,
     lambda: check_model_inputs({**OWN_FEAT, "token_type_ids": torch.ones_like(OWN_FEAT["input_ids"])}, MODEL),
     names=("token_type_ids",))
case(C, "fe.make_features(TOK, SENTS, max_length=10, padding='longest', text_pair=['하나'])  # pair list too short", E,
     lambda: fe.make_features(TOK, SENTS, max_length=10, padding="longest", text_pair=["하나"]), names=("text_pair", "둘째 문장"))
case(C, "fe.make_features(TOK, SENTS, max_length=10, model_config=BOOKTOK)  # tokenizer as config", E,
     lambda: fe.make_features(TOK, SENTS, max_length=10, model_config=BOOKTOK), names=("model_config",))
case(C, "fe.make_features(TOK, SENTS, max_length=10, model_config=MODEL.config)  # fine", OK,
     lambda: fe.make_features(TOK, SENTS, max_length=10, model_config=MODEL.config),
     check=lambda r: (tuple(r["input_ids"].shape) == (2, 10), f"shape {tuple(r['input_ids'].shape)}"))
case(C, "fe.features_table(OWN_FEAT, TOK, SENTS[:1])  # one sentence named for two rows", E,
     lambda: fe.features_table(OWN_FEAT, TOK, SENTS[:1]), names=("sentences", "문장"))
case(C, "fe.features_table(BOOK_FEAT, TOK, SENTS)  # book's features read with the embedded tokenizer", E,
     lambda: fe.features_table(BOOK_FEAT, TOK, SENTS), names=("features_table", "토크나이저"))

# ============================ notebook 05: comparing sentence vectors ==============================
C = "nb05-vectors"
case(C, "em.group_similarity(VECS, ['a','a','b','b'])  # vectors where the matrix goes", E,
     lambda: em.group_similarity(VECS, ["a", "a", "b", "b"]), names=("matrix", "유사도 행렬"))
case(C, "em.neighbour_accuracy(VECS, ['a','a','b'])  # groups one short", E,
     lambda: em.neighbour_accuracy(VECS, ["a", "a", "b"]), names=("groups", "주제"))
case(C, "em.neighbour_accuracy(VECS, ['a','b','c','d'])  # every topic alone", E,
     lambda: em.neighbour_accuracy(VECS, ["a", "b", "c", "d"]), names=("groups", "주제"))
case(C, "em.spearman([0.1, 0.2], [1, 2, 3])  # lengths differ", E,
     lambda: em.spearman([0.1, 0.2], [1, 2, 3]), names=("x", "y", "길이"))
case(C, "em.spearman(cos.tolist(), klue['score'])  # Series: fine", OK,
     lambda: em.spearman([0.1, 0.5, 0.3, 0.9], pd.Series([0.0, 2.5, 1.0, 5.0])),
     check=lambda r: (abs(r - 1.0) < 1e-9, f"{r}"))
case(C, "em.spearman(em.cosine_matrix(VECS), [1,2,3,4])  # matrix where a list of scores goes", E,
     lambda: em.spearman(em.cosine_matrix(VECS), [1, 2, 3, 4]), names=("x",))
case(C, "sv.embed_poolings(SENTS, MODEL, TOK, poolings=['mean', 'max'])", E,
     lambda: sv.embed_poolings(SENTS, MODEL, TOK, poolings=["mean", "max"]), names=("poolings", "max", "pooling"))
case(C, "sv.embed_poolings(SENTS, MODEL, TOK, poolings='cls')  # one string", E,
     lambda: sv.embed_poolings(SENTS, MODEL, TOK, poolings="cls"), names=("poolings",))
case(C, "sv.embed(SENTS, MODEL, BOOKTOK)  # the book's tokenizer with the embedded model", E,
     lambda: sv.embed(SENTS, MODEL, BOOKTOK), names=("tokenizer", "토크나이저"))
case(C, "sv.embed(['query: ' + s for s in SENTS], MODEL, TOK)  # E5 prefix: fine", OK,
     lambda: sv.embed(["query: " + s for s in SENTS], MODEL, TOK),
     check=lambda r: (r.shape == (2, HIDDEN), f"shape {r.shape}"))
case(C, "sv.embed(SENTS, MODEL, TOK, max_length=1)  # room for nothing but [CLS]", E,
     lambda: sv.embed(SENTS, MODEL, TOK, max_length=1), names=("max_length",))
# Call written helper-first after the first run (the probe names the first call it reads, here list()).
case(C, "sv.embed_stream(iter(SENTS), MODEL, TOK, chunk_size=0)  # consumed with list(...)", E,
     lambda: list(sv.embed_stream(iter(SENTS), MODEL, TOK, chunk_size=0)), names=("chunk_size",))
case(C, "em.plot_similarity(em.cosine_matrix(VECS), ['a','b','c','d'], model_name='m', vmin=1.5)  # scale upside down", E,
     lambda: close_figs(em.plot_similarity(em.cosine_matrix(VECS), ["a", "b", "c", "d"], model_name="m", vmin=1.5)),
     names=("vmin",))
case(C, "em.word_vectors(SENTS, '없는단어', MODEL, TOK)  # the word is in no sentence", E,
     lambda: em.word_vectors(SENTS, "없는단어", MODEL, TOK), names=("word", "없는단어"))

# ============================ notebook 03: the model and its parameters ============================
C = "nb03-model"
case(C, "mdl.count_parameters(MODEL.config)  # config where the model goes", E,
     lambda: mdl.count_parameters(MODEL.config), names=("model",))
case(C, "mdl.bert_parameter_count(MODEL)  # model where the config goes", E,
     lambda: mdl.bert_parameter_count(MODEL), names=("config",))
case(C, "mdl.bert_parameter_count(BertConfig(hidden_size=100, num_attention_heads=12))  # heads do not divide", E,
     lambda: mdl.bert_parameter_count(BertConfig(hidden_size=100, num_attention_heads=12)), names=("config", "hidden_size", "num_attention_heads"))
case(C, "mdl.config_table([MODEL.config])  # list, not a dict of names", E,
     lambda: mdl.config_table([MODEL.config]), names=("configs",))
case(C, "mdl.config_table({'e5': MODEL.config})  # fine", OK,
     lambda: mdl.config_table({"e5": MODEL.config}), check=lambda r: ("e5" in r.columns or "e5" in r.index, f"{r.shape}"))
case(C, "mdl.weight_files('없는/폴더')", E, lambda: mdl.weight_files("없는/폴더"), names=("folder", "없는/폴더"))
case(C, "mdl.plot_parameter_breakdown(mdl.model_parameter_breakdown(MODEL))  # one breakdown, not a dict of them", E,
     lambda: close_figs(mdl.plot_parameter_breakdown(mdl.model_parameter_breakdown(MODEL))), names=("breakdowns",))

# ============================ exercises: wrong kinds of answer =====================================
C = "exercises"
case(C, "ex.answered(Ellipsis)  # the blank left as it ships", OK,
     lambda: ex.answered(...), check=lambda r: (r is False, f"{r}"))
case(C, "ex.answered(torch.tensor([]))  # an empty tensor as the answer", E,
     lambda: ex.answered(torch.tensor([])), names=("answered", "values", "빈"))
# Corrected after the first run: [...] is still the blank; answered() says so (False and the printed note).
case(C, "ex.answered([...])  # the blank wrapped in a list", OK,
     lambda: ex.answered([...]), check=lambda r: (r is False, f"{r}"))
case(C, "ex.answered(0.0)  # a real answer that happens to be 0", OK,
     lambda: ex.answered(0.0), check=lambda r: (r is True, f"{r}"))
case(C, "ex.answered(print)  # a function, not its result", E,
     lambda: ex.answered(print), names=("answered", "함수"))
case(C, "ft.check_learned(0.81, '0.78', margin=0.02, what='정확도')  # reference as text", E,
     lambda: H("finetuning.check_learned")(0.81, "0.78", margin=0.02, what="정확도"), names=("reference",))
case(C, "ft.check_learned(81.0, 0.78, margin=0.02, what='정확도')  # percent vs share", E,
     lambda: H("finetuning.check_learned")(81.0, 0.78, margin=0.02, what="정확도"), names=("score", "0~1", "비율"))

# ============================ real data tables =====================================================
C = "data"
case(C, "kd.nsmc_split(9000, 2000)  # more than the 10,000 reviews hold for disjoint halves", E,
     lambda: kd.nsmc_split(9000, 2000), names=("train_size", "test_size"))
case(C, "kd.nsmc_split(0.8, 0.2)  # fractions, sklearn habit", E,
     lambda: kd.nsmc_split(0.8, 0.2), names=("train_size",))
case(C, "kd.printable(kd.load_nsmc()['document'])  # a Series, not the table", E,
     lambda: kd.printable(kd.load_nsmc()["document"]), names=("reviews",))
case(C, "kd.printable(kd.load_nsmc(), column='text')  # the column is called document", E,
     lambda: kd.printable(kd.load_nsmc(), column="text"), names=("column", "document"))
case(C, "kd.is_printable_review(None)  # an empty review cell", E,
     lambda: kd.is_printable_review(None), names=("text",))
case(C, "ft.majority_baseline(train_reviews['label'], test_reviews['label'])  # 0/1 ids: fine?", OK,
     lambda: ft.majority_baseline(pd.Series([1, 1, 0]), pd.Series([1, 0])),
     check=lambda r: (abs(r[1] - 0.5) < 1e-9, f"{r}"))
case(C, "ft.template_overlap(NER, NER)  # the same split twice", OK,
     lambda: H("finetuning.template_overlap")(NER, NER), check=lambda r: (r == 1.0, f"{r}"))
case(C, "ft.load_ner('valid')  # no such split", E, lambda: ft.load_ner("valid"), names=("split", "valid"))

# ============================ fine-tuning after the probe ==========================================
C = "ft-probe"
case(C, "ft.fit_probe(VECS, ['긍정','부정','긍정','부정'])  # names where ids go", E,
     lambda: ft.fit_probe(VECS, ["긍정", "부정", "긍정", "부정"]), names=("label_ids",))
case(C, "ft.fit_probe(VECS.T, [1, 0] * (HIDDEN // 2))  # transposed vectors", E,
     lambda: ft.fit_probe(VECS.T, [1, 0] * (VECS.shape[1] // 2)), names=("vectors",))
case(C, "ft.load_mean_classifier(CHOICE, PROBE_HEAD, ['부정','중립','긍정'])  # 3 labels for a 2-way head", E,
     lambda: ft.load_mean_classifier(CHOICE, PROBE_HEAD, ["부정", "중립", "긍정"]), names=("head", "label_set"))
case(C, "ft.predict(ft.load_mean_classifier(CHOICE, PROBE_HEAD, kd.NSMC_LABELS), BOOK features)", E,
     lambda: ft.predict(ft.load_mean_classifier(CHOICE, PROBE_HEAD, kd.NSMC_LABELS),
                        ft.encode_sentences(BOOKTOK, SENTS, ["긍정", "부정"], max_length=16, label_set=kd.NSMC_LABELS)),
     names=("predict", "토크나이저"), limit=60)
