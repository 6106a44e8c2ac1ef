# Cases for probe.py (exec'd inside probe.py's globals). Expectation written before running.
# case(category, call-as-a-learner-writes-it, "err"|"ok", function, names=(arg names the message should name), check=...)

E = "err"
OK = "ok"
fp = lambda: H("finetuning.fit_probe")
lmc = lambda: H("finetuning.load_mean_classifier")
A = lambda p: (lambda *a, **k: H(p)(*a, **k))   # lazy helper lookup (NA when missing)

# ================================ finetuning: encode_sentences =====================================
C = "ft-encode"
case(C, "ft.encode_sentences(TOK, SENTS, [1, 0], max_length=32, label_set=kd.NSMC_LABELS)  # ids where names go", E,
     lambda: ft.encode_sentences(TOK, SENTS, [1, 0], max_length=32, label_set=kd.NSMC_LABELS), names=("labels", "레이블"))
case(C, "ft.encode_sentences(TOK, SENTS, ['positive','negative'], max_length=32, label_set=kd.NSMC_LABELS)", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["positive", "negative"], max_length=32, label_set=kd.NSMC_LABELS), names=("labels", "label_set", "레이블"))
case(C, "ft.encode_sentences(TOK, ['긍정','부정'], SENTS, max_length=32, label_set=kd.NSMC_LABELS)  # swapped", E,
     lambda: ft.encode_sentences(TOK, ["긍정", "부정"], SENTS, max_length=32, label_set=kd.NSMC_LABELS), names=("labels", "레이블"))
case(C, "ft.encode_sentences(SENTS, TOK, ['긍정','부정'], max_length=32)  # tokenizer last", E,
     lambda: ft.encode_sentences(SENTS, TOK, ["긍정", "부정"], max_length=32), names=("tokenizer",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'])  # max_length forgotten", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"]), names=("max_length",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], 32)  # max_length positional", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], 32), names=("max_length",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length='128')", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length="128"), names=("max_length",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length=4096)", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=4096), names=("max_length",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_len=32)  # old keyword", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_len=32), names=("max_len",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length=32, pad_to_max_length=True)  # encode_plus habit", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=32, pad_to_max_length=True), names=("pad_to_max_length",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length=32, return_tensors='pt')", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=32, return_tensors="pt"), names=("return_tensors",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length=32, label_set='부정 긍정')  # one string", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=32, label_set="부정 긍정"), names=("label_set",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정','부정'], max_length=32, label_set={0:'부정',1:'긍정'})  # id2label dict", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정", "부정"], max_length=32, label_set={0: "부정", 1: "긍정"}), names=("label_set",))
case(C, "ft.encode_sentences(TOK, pd.Series(SENTS), pd.Series(['긍정','부정']), max_length=32, label_set=kd.NSMC_LABELS)  # Series: fine", OK,
     lambda: ft.encode_sentences(TOK, pd.Series(SENTS), pd.Series(["긍정", "부정"]), max_length=32, label_set=kd.NSMC_LABELS),
     check=lambda r: (r["labels"].tolist() == [1, 0], f"labels {r['labels'].tolist()}"))
case(C, "ft.encode_sentences(TOK, df['document'], df['label'], max_length=32)  # 0/1 column as labels", E,
     lambda: ft.encode_sentences(TOK, pd.Series(SENTS), pd.Series([1, 0]), max_length=32), names=("labels", "레이블"))
case(C, "ft.encode_sentences(TOK, SENTS, np.array([1, 0]), max_length=32, label_set=kd.NSMC_LABELS)", E,
     lambda: ft.encode_sentences(TOK, SENTS, np.array([1, 0]), max_length=32, label_set=kd.NSMC_LABELS), names=("labels", "레이블"))
case(C, "ft.encode_sentences(TOK, [], [], max_length=32)", E,
     lambda: ft.encode_sentences(TOK, [], [], max_length=32), names=("sentences",))
case(C, "ft.encode_sentences(TOK, ['좋아요', None], ['긍정','부정'], max_length=32)", E,
     lambda: ft.encode_sentences(TOK, ["좋아요", None], ["긍정", "부정"], max_length=32), names=("sentences", "1번째", "None"))
case(C, "ft.encode_sentences(TOK, ['좋아요', float('nan')], ['긍정','부정'], max_length=32)  # NaN review from pandas", E,
     lambda: ft.encode_sentences(TOK, ["좋아요", float("nan")], ["긍정", "부정"], max_length=32), names=("sentences", "nan", "NaN"))
case(C, "ft.encode_sentences(MODEL, SENTS, ['긍정','부정'], max_length=32)  # model for tokenizer", E,
     lambda: ft.encode_sentences(MODEL, SENTS, ["긍정", "부정"], max_length=32), names=("tokenizer",))
case(C, "ft.encode_sentences('klue/bert-base', SENTS, ['긍정','부정'], max_length=32)  # name for tokenizer", E,
     lambda: ft.encode_sentences("klue/bert-base", SENTS, ["긍정", "부정"], max_length=32), names=("tokenizer",))
case(C, "ft.encode_sentences(TOK, SENTS, ['긍정'], max_length=32)  # one label short", E,
     lambda: ft.encode_sentences(TOK, SENTS, ["긍정"], max_length=32), names=("labels", "레이블"))

C = "ft-tagged"
case(C, "ft.encode_tagged(TOK, NER[0], max_length=32)  # one sentence, not a list", E,
     lambda: ft.encode_tagged(TOK, NER[0], max_length=32), names=("sentences",))
case(C, "ft.encode_tagged(TOK, [('홍길동', 'B-PER')], max_length=32)  # tuples instead of TaggedSentence", E,
     lambda: ft.encode_tagged(TOK, [("홍길동", "B-PER")], max_length=32), names=("sentences", "TaggedSentence"))
case(C, "ft.encode_tagged(TOK, ['홍길동이 서울에 갔다'], max_length=32)  # plain text", E,
     lambda: ft.encode_tagged(TOK, ["홍길동이 서울에 갔다"], max_length=32), names=("sentences", "TaggedSentence"))
case(C, "ft.encode_tagged(TOK, [TaggedSentence(words=('서울',), tags=('B-LOC','O'))], max_length=32)", E,
     lambda: ft.encode_tagged(TOK, [ft.TaggedSentence(words=("서울",), tags=("B-LOC", "O"))], max_length=32), names=("sentences", "태그"))
case(C, "ft.encode_tagged(TOK, [TaggedSentence(('서울',), ('B-CITY',))], max_length=32)  # unknown tag", E,
     lambda: ft.encode_tagged(TOK, [ft.TaggedSentence(("서울",), ("B-CITY",))], max_length=32), names=("B-CITY", "label_set"))
case(C, "ft.encode_tagged(TOK, NER, max_length=32, label_set=kd.NSMC_LABELS)  # wrong label set", E,
     lambda: ft.encode_tagged(TOK, NER, max_length=32, label_set=kd.NSMC_LABELS), names=("label_set", "레이블 목록"))
case(C, "ft.encode_tagged(TOK, NER, max_length=32, is_split_into_words=True)  # tokenizer habit", E,
     lambda: ft.encode_tagged(TOK, NER, max_length=32, is_split_into_words=True), names=("is_split_into_words",))
case(C, "ft.encode_tagged(TOK, [TaggedSentence(['서울'], ['B-LOC'])], max_length=32)  # lists inside: fine", OK,
     lambda: ft.encode_tagged(TOK, [ft.TaggedSentence(["서울"], ["B-LOC"])], max_length=32),
     check=lambda r: (ft.NER_LABELS.index("B-LOC") in r["labels"][0].tolist(), f"labels {r['labels'][0].tolist()[:6]}"))
case(C, "ft.align_labels([None, 0, 0, 1, None], ['B-PER', 'O'])  # tag names where ids go", E,
     lambda: ft.align_labels([None, 0, 0, 1, None], ["B-PER", "O"]), names=("word_label_ids",))
case(C, "ft.align_labels([None, 0, 1, 2, None], [3, 0])  # fewer labels than words", E,
     lambda: ft.align_labels([None, 0, 1, 2, None], [3, 0]), names=("word_label_ids", "word_ids"))
case(C, "ft.align_labels(TOK(['서울 에'])['input_ids'][0], [1, 0])  # input_ids where word_ids go", E,
     lambda: ft.align_labels(TOK(["서울 에"])["input_ids"][0], [1, 0]), names=("word_ids",))
case(C, "ft.align_labels(enc.word_ids, [1, 0])  # method, not called", E,
     lambda: ft.align_labels(TOK(["서울 에"]).word_ids, [1, 0]), names=("word_ids",))
case(C, "ft.align_labels([None, 0, 0, 1, None], [3, 0])  # correct", OK,
     lambda: ft.align_labels([None, 0, 0, 1, None], [3, 0]),
     check=lambda r: (list(r) == [-100, 3, -100, 0, -100], f"{r}"))
case(C, "ft.alignment_table(TOK, NER, max_length=32)  # list where one sentence goes", E,
     lambda: ft.alignment_table(TOK, NER, max_length=32), names=("sentence",))
case(C, "ft.count_truncated(TOK, SENTS, max_length=0)", E,
     lambda: ft.count_truncated(TOK, SENTS, max_length=0), names=("max_length",))
case(C, "ft.count_truncated(TOK, '영화가 좋아요', 2)  # one string", E,
     lambda: ft.count_truncated(TOK, "영화가 좋아요", 2), names=("sentences",))
case(C, "ft.template_overlap(NER, NER[0])  # one sentence as test", E,
     lambda: ft.template_overlap(NER, NER[0]), names=("test",))
case(C, "ft.load_ner('valid')  # split name", E, lambda: ft.load_ner("valid"), names=("split",))
case(C, "ft.load_sentiment('Train')  # capital letter", E, lambda: ft.load_sentiment("Train"), names=("split",))
case(C, "ft.load_ner(0)", E, lambda: ft.load_ner(0), names=("split",))

# ================================ finetuning: metrics ===============================================
C = "ft-metrics"
case(C, "ft.accuracy(['긍정','부정'], ['긍정','긍정'])  # names where ids go", E,
     lambda: ft.accuracy(["긍정", "부정"], ["긍정", "긍정"]), names=("predicted", "gold"))
case(C, "ft.accuracy(model(**batch).logits, labels)  # logits, not argmax", E,
     lambda: ft.accuracy(torch.randn(2, 2), torch.tensor([1, 0])), names=("predicted",))
case(C, "ft.accuracy(torch.tensor([1,0,1]), torch.tensor([1,0]))  # lengths differ", E,
     lambda: ft.accuracy(torch.tensor([1, 0, 1]), torch.tensor([1, 0])), names=("predicted", "gold", "예측과 정답"))
case(C, "ft.accuracy([], [])", E, lambda: ft.accuracy([], []), names=("predicted", "gold"))
case(C, "ft.accuracy(np.array([1, 0]), [1, 1])  # numpy + list: fine", OK,
     lambda: ft.accuracy(np.array([1, 0]), [1, 1]), check=lambda r: (abs(r - 0.5) < 1e-9, f"{r}"))
case(C, "ft.accuracy(torch.tensor([1., 0.]), torch.tensor([1, 0]))  # float ids", OK,
     lambda: ft.accuracy(torch.tensor([1.0, 0.0]), torch.tensor([1, 0])), check=lambda r: (r == 1.0, f"{r}"))
case(C, "ft.accuracy(torch.tensor([0.9, 0.2]), torch.tensor([1, 0]))  # probabilities", E,
     lambda: ft.accuracy(torch.tensor([0.9, 0.2]), torch.tensor([1, 0])), names=("predicted",))
case(C, "ft.accuracy(pred, FEAT)  # whole features dict for gold", E,
     lambda: ft.accuracy(torch.tensor([1, 0]), FEAT), names=("gold",))
case(C, "ft.accuracy(torch.tensor([1, float('nan')]), [1, 0])", E,
     lambda: ft.accuracy(torch.tensor([1, float("nan")]), [1, 0]), names=("predicted",))
# Expectation corrected after the first run: accuracy is documented for any shape (06's exercise scores
# a [batch, seq] tagger with it, -100 positions left out), so 1.0 here is the right answer, not silent-wrong.
case(C, "ft.accuracy(torch.tensor([[1,0],[0,1]]), torch.tensor([[1,0],[0,1]]))  # token-level [batch,seq]: fine", OK,
     lambda: ft.accuracy(torch.tensor([[1, 0], [0, 1]]), torch.tensor([[1, 0], [0, 1]])), check=lambda r: (r == 1.0, f"{r}"))
case(C, "ft.accuracy(pd.Series([1,0]), df['label'])  # Series: fine", OK,
     lambda: ft.accuracy(pd.Series([1, 0]), pd.Series([1, 1])), check=lambda r: (abs(r - 0.5) < 1e-9, f"{r}"))
case(C, "ft.entity_f1(TAGF['labels'], pred)  # swapped (gold first)", OK,
     lambda: ft.entity_f1(TAGF["labels"], TAGF["labels"]),
     check=lambda r: (r == 1.0, f"{r} (same tensors: order irrelevant here)"))
case(C, "ft.entity_f1(pred[0], TAGF['labels'][0])  # one sentence 1-D", E,
     lambda: ft.entity_f1(TAGF["labels"][0], TAGF["labels"][0]), names=("labels", "predicted"))
case(C, "ft.entity_f1(logits, TAGF['labels'])  # 3-D logits", E,
     lambda: ft.entity_f1(torch.randn(*TAGF["labels"].shape, 9), TAGF["labels"]), names=("predicted",))
case(C, "ft.entity_f1(pred, TAGF['labels'], label_set=kd.NSMC_LABELS)", E,
     lambda: ft.entity_f1(TAGF["labels"].clamp(min=0), TAGF["labels"], label_set=kd.NSMC_LABELS), names=("label_set",))
case(C, "ft.entity_f1(pred.tolist(), TAGF['labels'].tolist())  # nested lists", OK,
     lambda: ft.entity_f1(TAGF["labels"].tolist(), TAGF["labels"].tolist()), check=lambda r: (r == 1.0, f"{r}"))
case(C, "ft.entity_f1(pred[:, :5], TAGF['labels'])  # cut columns", E,
     lambda: ft.entity_f1(TAGF["labels"][:, :5], TAGF["labels"]), names=("predicted", "labels", "예측과 정답"))
case(C, "ft.word_tags(pred, TAGF['labels'], ft.NER_LABELS[1:])  # label set missing 'O'", E,
     lambda: ft.word_tags(TAGF["labels"].clamp(min=0), TAGF["labels"], ft.NER_LABELS[1:]), names=("label_set",))
case(C, "ft.word_tags(pred, TAGF)  # features dict for labels", E,
     lambda: ft.word_tags(TAGF["labels"], TAGF), names=("labels",))
case(C, "ft.word_tags(pred.float(), TAGF['labels'])  # float tensor", OK,
     lambda: ft.word_tags(TAGF["labels"].clamp(min=0).float(), TAGF["labels"]),
     check=lambda r: (r[0] == r[1], "float ids that are whole numbers: tags equal"))
case(C, "ft.majority_baseline(train_reviews['label'], test_labels)  # ids vs names", E,
     lambda: ft.majority_baseline(pd.Series([1, 1, 0]), ["긍정", "부정"]), names=("train_labels", "test_labels"))
case(C, "ft.majority_baseline('긍정', ['긍정'])  # one string", E,
     lambda: ft.majority_baseline("긍정", ["긍정"]), names=("train_labels",))
case(C, "ft.majority_baseline([], ['긍정'])", E, lambda: ft.majority_baseline([], ["긍정"]), names=("train_labels",))
case(C, "ft.check_learned('0.9', 0.8, margin=0.02, what='정확도')  # string score", E,
     lambda: ft.check_learned("0.9", 0.8, margin=0.02, what="정확도"), names=("score",))
case(C, "ft.check_learned(0.9, 0.8, 0.02, '정확도')  # keywords positional", E,
     lambda: ft.check_learned(0.9, 0.8, 0.02, "정확도"), names=("margin", "what"))
case(C, "ft.check_learned(float('nan'), 0.8, margin=0.02, what='정확도')  # NaN loss/score", E,
     lambda: ft.check_learned(float("nan"), 0.8, margin=0.02, what="정확도"), names=("score",))
case(C, "ft.check_learned(0.9, 0.8, margin=0.02, what='정확도', predictions=['긍정','부정'])  # names", E,
     lambda: ft.check_learned(0.9, 0.8, margin=0.02, what="정확도", predictions=["긍정", "부정"]), names=("predictions",))

# ================================ finetuning: probe / classifier / train / predict ====================
C = "ft-train"
from transformers import BertForSequenceClassification  # noqa: E402
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    CLF = ft.load_head_model(CHOICE, BertForSequenceClassification, kd.NSMC_LABELS)
    EAGER = load_model(CHOICE, attn_implementation="eager")
case(C, "ft.fit_probe(VECS, ['긍정','부정','긍정','부정'])  # names where ids go", E,
     lambda: fp()(VECS, ["긍정", "부정", "긍정", "부정"]), names=("label_ids",))
case(C, "ft.fit_probe(VECS, [1, 0])  # fewer labels than vectors", E,
     lambda: fp()(VECS, [1, 0]), names=("label_ids", "vectors"))
case(C, "ft.fit_probe([1, 0, 1, 0], VECS)  # swapped", E,
     lambda: fp()([1, 0, 1, 0], VECS), names=("label_ids", "vectors"))
case(C, "ft.fit_probe(VECS, [1, 1, 1, 1])  # one class only", E,
     lambda: fp()(VECS, [1, 1, 1, 1]), names=("label_ids", "레이블 ID"))
case(C, "ft.fit_probe(VECS[0], [1])  # one vector 1-D", E,
     lambda: fp()(VECS[0], [1]), names=("vectors",))
case(C, "ft.fit_probe(VECS with NaN row, [1,0,1,0])", E,
     lambda: fp()(np.vstack([VECS[:3], np.full((1, VECS.shape[1]), np.nan)]), [1, 0, 1, 0]), names=("vectors",))
case(C, "ft.fit_probe(VECS, [1, 0, 2, 5])  # label ids with a gap", E,
     lambda: fp()(VECS, [1, 0, 2, 5]), names=("label_ids",))
case(C, "ft.fit_probe(VECS, [1.0, 0.0, 1.0, 0.0])  # float labels", OK,
     lambda: fp()(VECS, [1.0, 0.0, 1.0, 0.0]), check=lambda r: (r.out_features == 2, f"Linear {r.in_features}->{r.out_features}"))
case(C, "ft.fit_probe(torch.tensor(VECS), torch.tensor([1,0,1,0]))  # tensors: fine", OK,
     lambda: fp()(torch.tensor(VECS), torch.tensor([1, 0, 1, 0])), check=lambda r: (r.in_features == HIDDEN, f"Linear {r.in_features}->{r.out_features}"))
case(C, "ft.fit_probe(VECS, [1,0,1,0], weight_decay='0.001')", E,
     lambda: fp()(VECS, [1, 0, 1, 0], weight_decay="0.001"), names=("weight_decay",))
case(C, "ft.fit_probe(VECS, [True, False, True, False])  # bools as labels", E,
     lambda: fp()(VECS, [True, False, True, False]), names=("label_ids",))
case(C, "ft.fit_probe(VECS, [1,0,1,0], lr=0.01)  # keyword it does not have", E,
     lambda: fp()(VECS, [1, 0, 1, 0], lr=0.01), names=("lr",))
case(C, "ft.load_mean_classifier(choice, probe, ['부정','긍정','중립'])  # 3 labels for a 2-way head", E,
     lambda: lmc()(CHOICE, PROBE_HEAD, ["부정", "긍정", "중립"]), names=("label_set", "head", "레이블은 3개"), limit=60)
case(C, "ft.load_mean_classifier(probe, choice, kd.NSMC_LABELS)  # swapped", E,
     lambda: lmc()(PROBE_HEAD, CHOICE, kd.NSMC_LABELS), names=("choice", "head"), limit=60)
case(C, "ft.load_mean_classifier(MODEL, probe, kd.NSMC_LABELS)  # loaded model where choice goes", E,
     lambda: lmc()(MODEL, PROBE_HEAD, kd.NSMC_LABELS), names=("choice",), limit=60)
case(C, "ft.load_mean_classifier(choice, probe.state_dict(), kd.NSMC_LABELS)", E,
     lambda: lmc()(CHOICE, PROBE_HEAD.state_dict(), kd.NSMC_LABELS), names=("head",), limit=60)
case(C, "ft.load_mean_classifier(choice, torch.nn.Linear(10, 2), kd.NSMC_LABELS)  # wrong width", E,
     lambda: lmc()(CHOICE, torch.nn.Linear(10, 2), kd.NSMC_LABELS), names=("head", "분류층"), limit=60)
case(C, "ft.load_head_model(choice, 'BertForSequenceClassification', kd.NSMC_LABELS)  # class name as str", E,
     lambda: ft.load_head_model(CHOICE, "BertForSequenceClassification", kd.NSMC_LABELS), names=("model_class",), limit=60)
case(C, "ft.load_head_model(choice, BertForSequenceClassification(), ...)  # instance-ish: a module", E,
     lambda: ft.load_head_model(CHOICE, MODEL, kd.NSMC_LABELS), names=("model_class",), limit=60)
case(C, "ft.load_head_model(choice, BertForSequenceClassification, 2)  # num_labels habit", E,
     lambda: __import__("transformers").BertForSequenceClassification and ft.load_head_model(CHOICE, __import__("transformers").BertForSequenceClassification, 2),
     names=("label_set",), limit=60)
case(C, "ft.load_head_model(choice, BertForSequenceClassification, kd.NSMC_LABELS, num_labels=2)", E,
     lambda: ft.load_head_model(CHOICE, __import__("transformers").BertForSequenceClassification, kd.NSMC_LABELS, num_labels=2),
     names=("num_labels",), limit=60)
case(C, "ft.freeze_embeddings(TOK)", E, lambda: ft.freeze_embeddings(TOK), names=("model",))
case(C, "ft.train(MODEL, FEAT, epochs=1, batch_size=2, lr=1e-4)  # bare BertModel, no head", E,
     lambda: ft.train(MODEL, FEAT, epochs=1, batch_size=2, lr=1e-4), names=("model",), limit=60)
case(C, "ft.train(clf, FEAT, epochs=1, batch_size=2, lr='3e-5')", E,
     lambda: ft.train(CLF, FEAT, epochs=1, batch_size=2, lr="3e-5"), names=("lr",))
case(C, "ft.train(clf, FEAT, epochs=0.5, batch_size=2, lr=3e-5)", E,
     lambda: ft.train(CLF, FEAT, epochs=0.5, batch_size=2, lr=3e-5), names=("epochs",))
case(C, "ft.train(clf, FEAT, epochs=1, batch_size=2, lr=3e-5, learning_rate=3e-5)  # Trainer habit", E,
     lambda: ft.train(CLF, FEAT, epochs=1, batch_size=2, lr=3e-5, learning_rate=3e-5), names=("learning_rate",))
case(C, "ft.train(clf, FEAT, num_train_epochs=1, batch_size=2, lr=3e-5)", E,
     lambda: ft.train(CLF, FEAT, num_train_epochs=1, batch_size=2, lr=3e-5), names=("num_train_epochs", "epochs"))
case(C, "ft.train(clf, FEAT, epochs=1, batch_size=2, lr=3e-5, by_length='True')", E,
     lambda: ft.train(CLF, FEAT, epochs=1, batch_size=2, lr=3e-5, by_length="True"), names=("by_length",))
case(C, "ft.train(clf, FEAT, epochs=1, batch_size=2, lr=3e-5, device='gpu')", E,
     lambda: ft.train(CLF, FEAT, epochs=1, batch_size=2, lr=3e-5, device="gpu"), names=("device",))
case(C, "ft.train(clf, TOK(SENTS), epochs=1, batch_size=2, lr=3e-5)  # features without labels", E,
     lambda: ft.train(CLF, dict(TOK(SENTS, return_tensors="pt", padding=True)), epochs=1, batch_size=2, lr=3e-5), names=("features", "labels"))
case(C, "ft.train(clf, FEAT, 1, 2, 3e-5)  # positional", E,
     lambda: ft.train(CLF, FEAT, 1, 2, 3e-5), names=("epochs", "batch_size", "lr"))
case(C, "ft.train(FEAT, clf, epochs=1, batch_size=2, lr=3e-5)  # swapped", E,
     lambda: ft.train(FEAT, PROBE_HEAD, epochs=1, batch_size=2, lr=3e-5), names=("model", "features"))
case(C, "ft.train(probe, FEAT, ...)  # Linear probe instead of classifier", E,
     lambda: ft.train(PROBE_HEAD, FEAT, epochs=1, batch_size=2, lr=3e-5), names=("model",))
case(C, "ft.train(clf, FEAT, epochs=1, batch_size=2, lr=-3e-5)", E,
     lambda: ft.train(CLF, FEAT, epochs=1, batch_size=2, lr=-3e-5), names=("lr",))
case(C, "ft.predict(MODEL, FEAT)  # BertModel has no logits", E,
     lambda: ft.predict(MODEL, FEAT), names=("model",), limit=40)
case(C, "ft.predict(clf, SENTS)  # sentences where features go", E,
     lambda: ft.predict(CLF, SENTS), names=("features",))
case(C, "ft.predict(clf, torch.tensor(VECS))  # vectors where features go", E,
     lambda: ft.predict(CLF, torch.tensor(VECS)), names=("features", "model"))
case(C, "ft.predict(clf, FEAT, batch_size=0)", E,
     lambda: ft.predict(CLF, FEAT, batch_size=0), names=("batch_size",))
case(C, "ft.predict(clf, FEAT['input_ids'])  # one tensor", E,
     lambda: ft.predict(CLF, FEAT["input_ids"]), names=("features",))
case(C, "ft.predict(clf, {k: v.tolist() for k,v in FEAT.items()})  # lists not tensors", E,
     lambda: ft.predict(CLF, {k: v.tolist() for k, v in FEAT.items()}), names=("features",))
case(C, "ft.train_step(clf, FEAT, 3e-5)  # lr where optimizer goes", E,
     lambda: ft.train_step(CLF, FEAT, 3e-5), names=("optimizer",))

# ================================ korean_data ===================================================
C = "korean-data"
case(C, "kd.nsmc_split(0.8, 0.2)  # fractions", E, lambda: kd.nsmc_split(0.8, 0.2), names=("train_size",))
case(C, "kd.nsmc_split(2001, 1000)  # odd size", E, lambda: kd.nsmc_split(2001, 1000), names=("train_size",))
case(C, "kd.nsmc_split(10**7, 1000)  # more than the data", E, lambda: kd.nsmc_split(10**7, 1000), names=("train_size", "test_size"))
case(C, "kd.nsmc_split('2000', '1000')", E, lambda: kd.nsmc_split("2000", "1000"), names=("train_size",))
case(C, "kd.nsmc_split(2000)  # test_size forgotten", E, lambda: kd.nsmc_split(2000), names=("test_size",))
case(C, "kd.nsmc_split(train_size=20, test_size=10, random_state=0)  # sklearn habit", E,
     lambda: kd.nsmc_split(train_size=20, test_size=10, random_state=0), names=("random_state",))
case(C, "kd.nsmc_split(20, 10, seed='0')", E, lambda: kd.nsmc_split(20, 10, seed="0"), names=("seed",))
case(C, "kd.nsmc_split(np.int64(20), np.int64(10))  # numpy ints: fine", OK,
     lambda: kd.nsmc_split(np.int64(20), np.int64(10)), check=lambda r: (len(r[0]) == 20 and len(r[1]) == 10, f"{len(r[0])}/{len(r[1])}"))
case(C, "kd.printable(test_reviews['document'])  # Series instead of DataFrame", E,
     lambda: kd.printable(kd.nsmc_split(20, 10)[1]["document"]), names=("reviews",))
case(C, "kd.printable(df, 'review')  # column that does not exist", E,
     lambda: kd.printable(kd.nsmc_split(20, 10)[1], "review"), names=("column", "review"))
case(C, "kd.printable(df['document'].tolist())  # list", E,
     lambda: kd.printable(kd.nsmc_split(20, 10)[1]["document"].tolist()), names=("reviews",))
case(C, "kd.printable(df, column='label')  # numeric column", E,
     lambda: kd.printable(kd.nsmc_split(20, 10)[1], column="label"), names=("column", "label"))
case(C, "kd.is_printable_review(None)  # NaN review", E, lambda: kd.is_printable_review(None), names=("text",))
case(C, "kd.is_printable_review(df['document'])  # Series", E,
     lambda: kd.is_printable_review(pd.Series(["좋아요"])), names=("text",))
case(C, "kd.NSMC_LABELS[train_reviews['label']]  -> learner passes kd.NSMC_LABELS to printable", E,
     lambda: kd.printable(kd.NSMC_LABELS), names=("reviews",))
case(C, "kd.load_nsmc('train')  # split argument that does not exist", E, lambda: kd.load_nsmc("train"), names=("load_nsmc", "split"))

# ================================ tables and pictures ============================================
from helpers import embeddings as em  # noqa: E402
from helpers import features as fe  # noqa: E402
from helpers import tokenizer as tk  # noqa: E402
from helpers import overview as ov  # noqa: E402
from helpers import model as mdl  # noqa: E402
C = "tables-plots"
case(C, "project_2d(VECS[0])  # one vector", E, lambda: em.project_2d(VECS[0]), names=("vectors", "벡터 배열"))
case(C, "project_2d(VECS[:1])  # one row", E, lambda: em.project_2d(VECS[:1]), names=("vectors", "벡터 배열"))
case(C, "project_2d(list_of_tensors)  # [t1, t2, ...]", OK,
     lambda: em.project_2d([torch.tensor(v) for v in VECS]), check=lambda r: (np.asarray(r).shape == (4, 2), f"{np.asarray(r).shape}"))
case(C, "project_2d(token_vectors_result)  # TokenVectors objects", E,
     lambda: em.project_2d(em.token_vectors(SENTS, MODEL, TOK)), names=("vectors",))
case(C, "project_2d(VECS with NaN)", E,
     lambda: em.project_2d(np.vstack([VECS[:3], np.full((1, VECS.shape[1]), np.nan)])), names=("vectors",))
case(C, "project_2d(3-D hidden states [batch, seq, hidden])", E,
     lambda: em.project_2d(np.zeros((2, 3, 8)) + np.arange(3)[None, :, None]), names=("vectors", "벡터 배열"))
case(C, "project_2d(np.ones((4, 8)))  # all vectors identical", E,
     lambda: em.project_2d(np.ones((4, 8))), names=("vectors",))
case(C, "cosine_matrix(VECS[0])  # one vector", E, lambda: em.cosine_matrix(VECS[0]), names=("vectors", "벡터 배열"))
case(C, "cosine_matrix(zero vector included)", E,
     lambda: em.cosine_matrix(np.vstack([VECS[:2], np.zeros((1, VECS.shape[1]))])), names=("vectors",))
case(C, "plot_projection(points, SENTS, groups)  # labels shorter than points", E,
     lambda: close_figs(em.plot_projection(em.project_2d(VECS), SENTS, ["a", "a", "b", "b"], model_name="m")), names=("labels", "이름"))
case(C, "plot_projection(VECS, None, groups, model_name=...)  # forgot project_2d", E,
     lambda: close_figs(em.plot_projection(VECS, None, ["a", "a", "b", "b"], model_name="m")), names=("points", "좌표 배열"))
case(C, "plot_projection(points, None, ['a','b'], model_name='m')  # groups too short", E,
     lambda: close_figs(em.plot_projection(em.project_2d(VECS), None, ["a", "b"], model_name="m")), names=("groups",))
case(C, "plot_projection(points, None, [0, 0, 1, 1], model_name='m')  # label ids as groups", OK,
     lambda: close_figs(em.plot_projection(em.project_2d(VECS), None, [0, 0, 1, 1], model_name="m")), check=lambda r: (True, "int groups drawn"))
case(C, "plot_projection(points, None, groups)  # model_name forgotten", E,
     lambda: close_figs(em.plot_projection(em.project_2d(VECS), None, ["a", "a", "b", "b"])), names=("model_name",))
case(C, "plot_projection(points, None, groups, model_name=choice)  # ModelChoice not its name", E,
     lambda: close_figs(em.plot_projection(em.project_2d(VECS), None, ["a", "a", "b", "b"], model_name=CHOICE)), names=("model_name",))
case(C, "plot_similarity(cos, SENTS, model_name='m')  # 4x4 matrix, 2 labels", E,
     lambda: close_figs(em.plot_similarity(em.cosine_matrix(VECS), SENTS, model_name="m")), names=("labels", "이름"))
case(C, "plot_similarity(VECS, labels4, model_name='m')  # vectors not the cosine matrix", E,
     lambda: close_figs(em.plot_similarity(VECS, ["a", "b", "c", "d"], model_name="m")), names=("matrix", "유사도 행렬"))
case(C, "group_similarity(cos, ['a','a','b'])  # groups short", E,
     lambda: em.group_similarity(em.cosine_matrix(VECS), ["a", "a", "b"]), names=("groups", "주제"))
case(C, "group_similarity(cos, ['a','b','c','d'])  # every group of one", E,
     lambda: em.group_similarity(em.cosine_matrix(VECS), ["a", "b", "c", "d"]), names=("groups", "주제"))
case(C, "neighbour_accuracy(VECS, 'aabb')  # groups as one string", E,
     lambda: em.neighbour_accuracy(VECS, "aabb"), names=("groups",))
case(C, "chance_neighbour_accuracy([])", E, lambda: em.chance_neighbour_accuracy([]), names=("groups",))
case(C, "spearman([1,2,3], [1,2])", E, lambda: em.spearman([1, 2, 3], [1, 2]), names=("x", "y", "두 값"))
case(C, "spearman([1,1,1], [1,2,3])  # constant input", E, lambda: em.spearman([1, 1, 1], [1, 2, 3]), names=("x", "y"))
case(C, "spearman(sts['score'], sims)  # Series + ndarray: fine", OK,
     lambda: em.spearman(pd.Series([1.0, 2.0, 3.0]), np.array([0.1, 0.5, 0.9])), check=lambda r: (abs(r - 1.0) < 1e-9, f"{r}"))
case(C, "spearman(['1','2','3'], [1,2,3])  # strings from a CSV", E,
     lambda: em.spearman(["1", "2", "3"], [1, 2, 3]), names=("x",))
case(C, "attention_weights(SENTS, MODEL, TOK)  # list where one sentence goes", E,
     lambda: em.attention_weights(SENTS, MODEL, TOK), names=("sentence",))
case(C, "attention_weights('영화', MODEL, TOK, layer=99)", E,
     lambda: em.attention_weights("영화", EAGER, TOK, layer=99), names=("layer",))
case(C, "attention_weights('영화', TOK, MODEL)  # swapped", E,
     lambda: em.attention_weights("영화", TOK, MODEL), names=("model", "tokenizer"))
case(C, "attention_weights('영화', MODEL, TOK)  # sdpa model: no attentions", E,
     lambda: em.attention_weights("영화", MODEL, TOK), names=("attn_implementation", "eager"))
case(C, "plot_attention(w, pieces[:-1], model_name='m')  # pieces one short", E,
     lambda: close_figs(em.plot_attention(np.eye(3), ["a", "b"], model_name="m")), names=("pieces", "이름"))
case(C, "word_vectors(SENTS, '서울', MODEL, TOK)  # word not in any sentence", E,
     lambda: em.word_vectors(SENTS, "서울", MODEL, TOK), names=("word", "찾는 단어가 없습니다: '서울'"))
case(C, "word_vectors(SENTS, ['영화'], MODEL, TOK)  # list for word", E,
     lambda: em.word_vectors(SENTS, ["영화"], MODEL, TOK), names=("word",))
case(C, "token_vectors(SENTS, MODEL, BOOKTOK)  # tokenizer of another model", E,
     lambda: em.token_vectors(SENTS, MODEL, BOOKTOK), names=("tokenizer",))
case(C, "token_vectors(SENTS, MODEL, TOK, max_length=-1)", E,
     lambda: em.token_vectors(SENTS, MODEL, TOK, max_length=-1), names=("max_length",))
case(C, "probabilities(logits, ['부정','긍정'])  # label list for id2label: fine?", OK,
     lambda: ov.probabilities(torch.randn(2, 2), ["부정", "긍정"]),
     check=lambda r: (list(r.columns) == ["부정", "긍정"], f"columns {list(r.columns)}"))
case(C, "probabilities(logits, {0:'부정'})  # id2label one short", E,
     lambda: ov.probabilities(torch.randn(2, 2), {0: "부정"}), names=("id2label",))
case(C, "probabilities(logits.softmax(-1), id2label)  # probabilities given as logits", E,
     lambda: ov.probabilities(torch.tensor([[0.9, 0.1], [0.2, 0.8]]), {0: "부정", 1: "긍정"}), names=("logits",))
case(C, "probabilities(logits.numpy(), id2label)", E,
     lambda: ov.probabilities(torch.randn(2, 2).numpy(), {0: "부정", 1: "긍정"}), names=("logits",))
case(C, "probabilities(logits, id2label, index=SENTS[:1])  # index short", E,
     lambda: ov.probabilities(torch.randn(2, 2), {0: "부정", 1: "긍정"}, index=SENTS[:1]), names=("index",))
case(C, "probabilities(logits, {'0':'부정','1':'긍정'})  # str keys from config.json", OK,
     lambda: ov.probabilities(torch.randn(2, 2), {"0": "부정", "1": "긍정"}),
     check=lambda r: (list(r.columns) == ["부정", "긍정"], f"columns {list(r.columns)}"))
case(C, "probabilities(logits_with_nan, id2label)", E,
     lambda: ov.probabilities(torch.tensor([[float("nan"), 0.0], [1.0, 0.0]]), {0: "부정", 1: "긍정"}), names=("logits",))
case(C, "plot_two_uses(model_name='m', layers=12, batch=2, seq=8, hidden=768, num_classes='2', num_tags=9)", E,
     lambda: close_figs(ov.plot_two_uses(model_name="m", layers=12, batch=2, seq=8, hidden=768, num_classes="2", num_tags=9)), names=("num_classes",))
case(C, "plot_two_uses('m', 12, 2, 8, 768, 2, 9)  # positional", E,
     lambda: close_figs(ov.plot_two_uses("m", 12, 2, 8, 768, 2, 9)), names=("plot_two_uses", "model_name"))
case(C, "plot_two_uses(model_name='m', layers=12, batch=2, seq=8, hidden=MODEL.config, ...)  # config for hidden", E,
     lambda: close_figs(ov.plot_two_uses(model_name="m", layers=12, batch=2, seq=8, hidden=MODEL.config, num_classes=2, num_tags=9)), names=("hidden",))
case(C, "pieces_table(TOK, SENTS)  # list", E, lambda: tk.pieces_table(TOK, SENTS), names=("sentence",))
case(C, "pieces_table(TOK, '')  # empty sentence", E, lambda: tk.pieces_table(TOK, ""), names=("sentence", "비어 있거나 공백뿐입니다: ''"))
case(C, "pieces_table('영화가 좋아요', TOK)  # swapped", E, lambda: tk.pieces_table("영화가 좋아요", TOK), names=("tokenizer",))
case(C, "unk_rate(TOK, [])", E, lambda: tk.unk_rate(TOK, []), names=("sentences",))
case(C, "compare_tokenizers([TOK, BOOKTOK], '영화')  # list not dict", E,
     lambda: tk.compare_tokenizers([TOK, BOOKTOK], "영화"), names=("tokenizers",))
case(C, "compare_tokenizers({'e5': TOK}, SENTS)  # list of sentences", E,
     lambda: tk.compare_tokenizers({"e5": TOK}, SENTS), names=("sentence",))
case(C, "special_token_ids(MODEL)", E, lambda: tk.special_token_ids(MODEL), names=("tokenizer",))
case(C, "normalized_text(TOK, 3)", E, lambda: tk.normalized_text(TOK, 3), names=("text",))
case(C, "make_features(TOK, SENTS, max_length=16, padding=True)  # padding bool: fine", OK,
     lambda: fe.make_features(TOK, SENTS, max_length=16, padding=True), check=lambda r: ("input_ids" in r, f"keys {list(r)}"))
case(C, "make_features(TOK, SENTS, max_length=16, padding='longest_first')  # truncation value in padding", E,
     lambda: fe.make_features(TOK, SENTS, max_length=16, padding="longest_first"), names=("padding",))
case(C, "make_features(TOK, SENTS, max_length=16, truncation=False)  # disable truncation", E,
     lambda: fe.make_features(TOK, SENTS, max_length=16, truncation=False), names=("truncation",))
case(C, "make_features(TOK, SENTS, max_length=16, return_tensors='tf')", E,
     lambda: fe.make_features(TOK, SENTS, max_length=16, return_tensors="tf"), names=("return_tensors",))
case(C, "make_features(TOK, SENTS, max_length=16, text_pair=SENTS[:1])  # pair list short", E,
     lambda: fe.make_features(TOK, SENTS, max_length=16, text_pair=SENTS[:1]), names=("text_pair", "둘째 문장"))
case(C, "make_features(TOK, SENTS, max_length=16, add_special_tokens='False')", E,
     lambda: fe.make_features(TOK, SENTS, max_length=16, add_special_tokens="False"), names=("add_special_tokens",))
case(C, "features_table(feat, TOK, SENTS[:1])  # sentences count mismatch", E,
     lambda: fe.features_table(fe.make_features(TOK, SENTS, max_length=16), TOK, SENTS[:1]), names=("sentences", "문장 수"))
case(C, "features_table(TOK(SENTS), TOK, SENTS)  # BatchEncoding of lists: fine", OK,
     lambda: fe.features_table(TOK(SENTS, padding=True), TOK, SENTS), check=lambda r: (len(r) > 0, f"{getattr(r, 'shape', '?')}"))
case(C, "plot_features(feat, TOK, SENTS)  # title forgotten", E,
     lambda: close_figs(fe.plot_features(fe.make_features(TOK, SENTS, max_length=16), TOK, SENTS)), names=("title",))
case(C, "count_parameters(MODEL, trainable_only='False')", E,
     lambda: mdl.count_parameters(MODEL, trainable_only="False"), names=("trainable_only",))
case(C, "count_parameters(choice)  # ModelChoice not model", E,
     lambda: mdl.count_parameters(CHOICE), names=("model",))
case(C, "bert_parameter_count(MODEL)  # model for config", E,
     lambda: mdl.bert_parameter_count(MODEL), names=("config",))
case(C, "config_table([MODEL.config])  # list not dict", E,
     lambda: mdl.config_table([MODEL.config]), names=("configs",))
case(C, "weight_files('no/such/folder')", E, lambda: mdl.weight_files("no/such/folder"), names=("folder",))
case(C, "plot_parameter_breakdown(model_parameter_breakdown(MODEL))  # not a dict of breakdowns", E,
     lambda: close_figs(mdl.plot_parameter_breakdown(mdl.model_parameter_breakdown(MODEL))), names=("breakdowns",))

# ================================ exercises =====================================================
from helpers import exercises as ex  # noqa: E402
C = "exercises"
case(C, "answered(...)  # blank still there", OK, lambda: ex.answered(...), check=lambda r: (r is False, f"{r}"))
case(C, "answered()  # nothing passed", E, lambda: ex.answered(), names=("values", "answered"))
case(C, "answered(None)  # None left as the answer", E, lambda: ex.answered(None), names=("values", "None"))
case(C, "answered('...')  # the placeholder as a string", E, lambda: ex.answered("..."), names=("values", "..."))
case(C, "answered(np.array([1, ...], dtype=object))  # blank inside an array", OK,
     lambda: ex.answered(np.array([1, ...], dtype=object)), check=lambda r: (r is False, f"{r}"))
case(C, "answered({'a': {'b': ...}})  # nested blank", OK,
     lambda: ex.answered({"a": {"b": ...}}), check=lambda r: (r is False, f"{r}"))
case(C, "answered(value=...)  # keyword", E, lambda: ex.answered(value=...), names=("value", "answered"))

# ================================ embed and loaders: odd arguments =============================
from helpers import sentence_vectors as sv  # noqa: E402
C = "embed-load"
case(C, "embed(SENTS, MODEL, TOK, pooling='average')", E, lambda: embed(SENTS, MODEL, TOK, pooling="average"), names=("pooling",))
case(C, "embed(SENTS, MODEL, TOK, normalize='True')", E, lambda: embed(SENTS, MODEL, TOK, normalize="True"), names=("normalize",))
case(C, "embed(SENTS, MODEL, BOOKTOK)  # book tokenizer with the embedded model", E,
     lambda: embed(SENTS, MODEL, BOOKTOK), names=("tokenizer",))
case(C, "embed(SENTS, TOK, MODEL)  # swapped", E, lambda: embed(SENTS, TOK, MODEL), names=("model", "tokenizer"))
case(C, "embed(SENTS, MODEL, TOK, return_tensors='pt')  # tokenizer habit", E,
     lambda: embed(SENTS, MODEL, TOK, return_tensors="pt"), names=("return_tensors",))
case(C, "embed(SENTS, MODEL, TOK, device='cuda:0')  # no GPU here", E,
     lambda: embed(SENTS, MODEL, TOK, device="cuda:0"), names=("device",))
case(C, "embed(SENTS, MODEL, TOK, batch_size=2.0)", E, lambda: embed(SENTS, MODEL, TOK, batch_size=2.0), names=("batch_size",))
case(C, "embed(SENTS, MODEL.state_dict(), TOK)", E, lambda: embed(SENTS, MODEL.state_dict(), TOK), names=("model",))
case(C, "embed(SENTS, CHOICE, TOK)  # ModelChoice where model goes", E, lambda: embed(SENTS, CHOICE, TOK), names=("model",))
case(C, "embed(SENTS, 'intfloat/multilingual-e5-small', TOK)  # name where model goes", E,
     lambda: embed(SENTS, "intfloat/multilingual-e5-small", TOK), names=("model",))
case(C, "embed(('a','b'), MODEL, TOK)  # tuple: fine", OK,
     lambda: embed(("영화", "좋아요"), MODEL, TOK), check=lambda r: (np.asarray(r).shape[0] == 2, f"{np.asarray(r).shape}"))
case(C, "embed(SENTS, MODEL, TOK, pooling='cls', normalize=1)  # 1 for True", OK,
     lambda: embed(SENTS, MODEL, TOK, pooling="cls", normalize=1),
     check=lambda r: (np.allclose(np.linalg.norm(r, axis=1), 1, atol=1e-4), "unit rows"))
case(C, "mean_pool(out.last_hidden_state, None)  # mask forgotten", E,
     lambda: sv.mean_pool(torch.randn(1, 3, 4), None), names=("attention_mask",))
case(C, "mean_pool(out.last_hidden_state, FEAT['attention_mask'])  # mask of another batch", E,
     lambda: sv.mean_pool(torch.randn(2, 5, 4), torch.ones(2, 7, dtype=torch.long)), names=("attention_mask",))
case(C, "mean_pool(hidden, mask.bool())  # bool mask: fine", OK,
     lambda: sv.mean_pool(torch.ones(1, 3, 4), torch.tensor([[True, True, False]])),
     check=lambda r: (torch.allclose(r, torch.ones(1, 4)), f"{r.shape}"))
case(C, "mean_pool(hidden, mask of all zeros)", E,
     lambda: sv.mean_pool(torch.ones(1, 3, 4), torch.zeros(1, 3, dtype=torch.long)), names=("attention_mask",))
case(C, "plan_batches([5, 3, 0], batch_size=2)  # zero length", E,
     lambda: sv.plan_batches([5, 3, 0], batch_size=2), names=("lengths",))
case(C, "load_tokenizer(choice, do_lower_case='False')", E, lambda: load_tokenizer(CHOICE, do_lower_case="False"), names=("do_lower_case",))
case(C, "load_tokenizer(choice, use_fast=False)  # old habit", E, lambda: load_tokenizer(CHOICE, use_fast=False), names=("use_fast",))
case(C, "load_model(choice, output_attentions=True)  # from_pretrained kwarg", E,
     lambda: load_model(CHOICE, output_attentions=True), names=("output_attentions",), limit=40)
case(C, "load_model(choice, attn_implementation='flash')", E,
     lambda: load_model(CHOICE, attn_implementation="flash"), names=("attn_implementation",), limit=40)
case(C, "load_model(choice, trust_remote_code=True)", E,
     lambda: load_model(CHOICE, trust_remote_code=True),  # safety: a mistake the helper must refuse
     names=("trust_remote_code",), limit=40)
case(C, "load_model(TOK)  # tokenizer passed to load_model", E, lambda: load_model(TOK), names=("model", "load_tokenizer"), limit=40)
case(C, "load_model(choice, model_class='BertForMaskedLM')", E,
     lambda: load_model(CHOICE, model_class="BertForMaskedLM"), names=("model_class",), limit=40)
case(C, "load_tokenizer(MODEL)  # model passed to load_tokenizer", E, lambda: load_tokenizer(MODEL), names=("model", "load_model"))
case(C, "resolve_model(123)", E, lambda: resolve_model(123), names=("name_or_path",))
case(C, "resolve_model('')  # empty string", E, lambda: resolve_model(""), names=("name_or_path",))
case(C, "resolve_model('  ')  # spaces", E, lambda: resolve_model("  "), names=("name_or_path",))
case(C, "resolve_model('kcbert-base')  # id without owner (offline)", E, lambda: resolve_model("kcbert-base"), names=("kcbert-base",))
case(C, "resolve_model('https://huggingface.co/beomi/kcbert-base')  # URL", E,
     lambda: resolve_model("https://huggingface.co/beomi/kcbert-base"), names=("https://huggingface.co/beomi/kcbert-base", "beomi/kcbert-base"))
case(C, "show_model_choice('embedded')  # string for choice", E,
     lambda: helpers.show_model_choice("embedded"), names=("choice",))
case(C, "show_model_choice(choice, notebook=6)", E,
     lambda: helpers.show_model_choice(CHOICE, notebook=6), names=("notebook",))

# ================================ environment variables ========================================
C = "env"
for val, expect, note in [
    ("emb", E, "typo of embedded"),
    ("'embedded'", E, "quotes kept from a shell line"),
    ("~/models/none", E, "tilde path that does not exist"),
    ("beomi/kcbert-base ", OK, "trailing space: stripped, asks the book model (offline -> clear error expected)"),
    ("intfloat/multilingual-e5-small", OK, "hub id of the embedded model, offline: expectation changed after run 1 - the embedded default IS this id (a 4-bit copy) and the choice's reason says so"),
    ("/etc/passwd", E, "a file, not a folder"),
    ("..", E, "a folder with no model"),
    ("C:\\models\\kcbert", E, "Windows path"),
    ("embedded;english", E, "two values"),
]:
    if val == "beomi/kcbert-base ":
        case(C, f"BERTVEC_MODEL={val!r}; resolve_model() + load_tokenizer()  # {note}", E,
             with_env("BERTVEC_MODEL", val, lambda: load_tokenizer(resolve_model())), names=("BERTVEC_MODEL",))
        continue
    if expect == OK:
        case(C, f"BERTVEC_MODEL={val!r}; resolve_model()  # {note}", OK, with_env("BERTVEC_MODEL", val, lambda: resolve_model()),
             check=lambda r: ("내장" in r.reason and "BERTVEC_MODEL" in r.reason, r.reason))
        continue
    case(C, f"BERTVEC_MODEL={val!r}; load_tokenizer(resolve_model())  # {note}", expect,
         with_env("BERTVEC_MODEL", val, lambda: load_tokenizer(resolve_model())), names=("BERTVEC_MODEL",))
case(C, "BERTVEC_MODEL=<embedded folder>; resolve_model()  # fine", OK,
     with_env("BERTVEC_MODEL", str(EMB), lambda: resolve_model()), check=lambda r: (Path(r.path).resolve() == Path(EMB).resolve(), f"{r.name}"))
case(C, "BERTVEC_MODEL=''; resolve_model()  # empty: default", OK,
     with_env("BERTVEC_MODEL", "", lambda: resolve_model()), check=lambda r: (r.source in ("embedded", "cache"), f"source {r.source}"))
case(C, "BERTVEC_MODEL=<tokenizer-only folder>; load_model(resolve_model())", E,
     with_env("BERTVEC_MODEL", str(folder("tok_only", weights=None)), lambda: load_model(resolve_model())), names=("BERTVEC_MODEL",), limit=40)

OFFLINE_SNIPPET = r'''
import json, os, socket, sys, warnings
net = []
def rec(self, addr, *a, **k):
    net.append(repr(addr)); raise OSError("blocked")
socket.socket.connect = rec
_cc = socket.create_connection
def rec_cc(addr, *a, **k):
    net.append(repr(addr)); raise OSError("blocked")
socket.create_connection = rec_cc
out = {"net": net}
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    try:
        import helpers
        from helpers import resolve_model, load_tokenizer
        what = sys.argv[1]
        if what == "resolve":
            c = resolve_model(); out["result"] = f"{c.source} {c.name}"
        else:
            load_tokenizer(what); out["result"] = "loaded"
    except BaseException as e:
        out["exc"] = type(e).__name__; out["bertvec"] = isinstance(e, helpers.errors.BertvecError) if "helpers" in dir() else False
        out["msg"] = str(e)[:300]
    out["warn"] = [f"{x.category.__name__}: {str(x.message)[:200]}" for x in w if "Bertvec" in x.category.__mro__[1].__name__ or "Bertvec" in x.category.__name__ or any("Bertvec" in b.__name__ for b in x.category.__mro__)]
print("JSON" + json.dumps(out, ensure_ascii=False))
'''


class SubprocessBertvec(BertvecError):
    """A BertvecError raised in the child process, carried back with its message."""
    def __init__(self, msg):
        Exception.__init__(self, msg)
        self.msg = msg

    def __str__(self):
        return self.msg


class SubprocessWarning(BertvecWarning):
    def __init__(self, msg):
        UserWarning.__init__(self, msg)


def offline_run(envs, what):
    def run():
        e = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
        e.update(envs)
        p = subprocess.run([sys.executable, "-c", OFFLINE_SNIPPET, what], env=e, capture_output=True, text=True, timeout=150, cwd=str(TREE))
        line = [l for l in p.stdout.splitlines() if l.startswith("JSON")]
        if not line:
            raise RuntimeError("subprocess failed: " + p.stderr[-300:])
        out = json.loads(line[-1][4:])
        if out["net"]:
            NET.extend(out["net"])
        if out.get("exc"):
            if out.get("bertvec"):
                raise SubprocessBertvec(out["msg"])
            raise RuntimeError(f"{out['exc']}: {out['msg']}")
        if out["warn"]:
            warnings.warn(SubprocessWarning(out["warn"][0]))
        return out.get("result")
    return run


C = "offline"
for envs, what, expect, names in [
    ({"HF_HUB_OFFLINE": "1"}, "klue/bert-base", E, ("klue/bert-base",)),
    ({"HF_HUB_OFFLINE": "true"}, "klue/bert-base", E, ("klue/bert-base",)),
    ({"HF_HUB_OFFLINE": "YES"}, "klue/bert-base", E, ("klue/bert-base",)),
    ({"TRANSFORMERS_OFFLINE": "1"}, "klue/bert-base", E, ("klue/bert-base",)),
    ({"TRANSFORMERS_OFFLINE": "1"}, "resolve", OK, ()),
    ({"HF_HUB_OFFLINE": "on"}, "resolve", OK, ()),
    ({"HF_HUB_OFFLINE": "1 "}, "klue/bert-base", E, ("klue/bert-base", "HF_HUB_OFFLINE")),
    ({"HF_HUB_OFFLINE": "ture"}, "klue/bert-base", E, ("HF_HUB_OFFLINE",)),
    ({"HF_HUB_OFF_LINE": "1"}, "klue/bert-base", E, ("HF_HUB_OFF_LINE", "HF_HUB_OFFLINE")),
]:
    case(C, f"env {envs}; " + ("resolve_model()" if what == "resolve" else f"load_tokenizer({what!r})"), expect,
         offline_run(envs, what), names=names, limit=170,
         check=(lambda r: (True, f"{r}")) if expect == OK else None)

# ================================ model folders on disk ========================================
C = "folders"
def fcase(call, build, expect=E, names=("config.json", "model.safetensors"), loader="model", check=None):
    def run():
        d = build()
        if loader == "model":
            return load_model(str(d))
        if loader == "tok":
            return load_tokenizer(str(d))
        if loader == "resolve":
            return load_tokenizer(resolve_model(str(d)))
        return loader(d)
    case(C, call, expect, run, names=names, limit=60, check=check)

fcase("load_model(folder without weights)", lambda: folder("no_weights", weights=None), names=("model.safetensors", "가중치"))
fcase("load_model(folder with git-lfs pointer as model.safetensors)", lambda: folder("lfs", weights=LFS), names=("lfs", "LFS", "git lfs"))
fcase("load_model(folder with pytorch_model.bin lfs pointer only)", lambda: folder("lfs_bin", weights=None, extra={"pytorch_model.bin": LFS}), names=("lfs", "LFS", "pytorch_model.bin"))
fcase("load_model(folder with empty model.safetensors)", lambda: folder("empty_w", weights=b""), names=("model.safetensors",))
fcase("load_model(folder with truncated safetensors)", lambda: folder("trunc_w", weights=(EMB / "model.safetensors").read_bytes()[:4096]), names=("model.safetensors",))
fcase("load_model(folder whose config.json has a BOM)", lambda: folder("bom", config=b"\xef\xbb\xbf" + CONFIG_TEXT.encode()), names=("config.json", "BOM"))
fcase("load_model(folder whose config.json is broken JSON)", lambda: folder("badjson", config=CONFIG_TEXT[:-10]), names=("config.json",))
fcase("load_model(folder whose config.json is an HTML error page)", lambda: folder("html", config="<html><body>404</body></html>"), names=("config.json",))
fcase("load_model(folder without config.json)", lambda: folder("no_config", config=None), names=("config.json",))
fcase("load_model(config.json missing model_type)  # expectation changed after run: BertModel needs no model_type, so fine", expect=OK, check=lambda r: (hasattr(r, "config"), "loaded"), build= lambda: folder("no_type", config=json.dumps({k: v for k, v in json.loads(CONFIG_TEXT).items() if k != "model_type"})), names=("config.json", "model_type"))
fcase("load_model(config.json says model_type 'gpt2')", lambda: folder("gpt2", config=json.dumps(dict(json.loads(CONFIG_TEXT), model_type="gpt2", architectures=["GPT2Model"]))), names=("config.json", "gpt2", "model_type"))
fcase("load_model(config.json with auto_map + custom .py)  # remote code", lambda: folder("automap", config=json.dumps(dict(json.loads(CONFIG_TEXT), auto_map={"AutoModel": "modeling_evil.EvilModel"})), extra={"modeling_evil.py": "import os\nopen('/tmp/bertvec_probe_pwned','w').write('x')\n"}), names=("auto_map", "코드", "modeling_evil"))
fcase("load_model(sentence-transformers top folder: weights in 0_Transformer/)", lambda: folder("st_layout", weights=None, config=None, tokenizer=False, extra={"modules.json": json.dumps([{"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}]), "0_Transformer/model.safetensors": "@weights", "0_Transformer/config.json": "@config", "0_Transformer/tokenizer.json": "@tok"}), names=("0_Transformer",))
fcase("load_tokenizer(sentence-transformers top folder)", lambda: folder("st_layout2", weights=None, config=None, tokenizer=False, extra={"modules.json": json.dumps([{"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}]), "0_Transformer/model.safetensors": "@weights", "0_Transformer/config.json": "@config", "0_Transformer/tokenizer.json": "@tok"}), names=("0_Transformer",), loader="tok")
fcase("load_model(a file path: model.safetensors itself)", lambda: EMB / "model.safetensors", names=("model.safetensors", "폴더"))
fcase("load_model(config.json path instead of folder)", lambda: EMB / "config.json", names=("config.json", "폴더"))
fcase("load_model(relative path 'models/mine' that does not exist)", lambda: Path("models/mine"), names=("models/mine",))
fcase("load_model(relative path to the embedded folder)  # fine", lambda: Path(os.path.relpath(EMB, os.getcwd())), expect=OK, check=lambda r: (hasattr(r, "config"), "loaded"))
fcase("load_model(folder with shard index but a missing shard)", lambda: folder("shards", weights=None, extra={"model.safetensors.index.json": json.dumps({"metadata": {}, "weight_map": {"embeddings.word_embeddings.weight": "model-00001-of-00002.safetensors", "pooler.dense.weight": "model-00002-of-00002.safetensors"}}), "model-00001-of-00002.safetensors": "@weights"}), names=("model-00002-of-00002.safetensors", "shard", "조각"))
fcase("load_model(folder with only pytorch_model.bin pickle)", lambda: folder("pickle", weights=None, extra={"pytorch_model.bin": b"\x80\x04\x95garbage"}), names=("pytorch_model.bin",))
fcase("load_tokenizer(folder without tokenizer files)", lambda: folder("no_tok", tokenizer=False), names=("tokenizer", "토크나이저"), loader="tok")
fcase("load_tokenizer(folder with broken tokenizer.json)", lambda: folder("bad_tok", tokenizer=False, extra={"tokenizer.json": "{not json", "tokenizer_config.json": "{}"}), names=("tokenizer.json",), loader="tok")
fcase("load_tokenizer(folder with tokenizer.json as lfs pointer)", lambda: folder("lfs_tok", tokenizer=False, extra={"tokenizer.json": LFS, "tokenizer_config.json": "{}"}), names=("tokenizer.json", "lfs", "LFS"), loader="tok")
fcase("resolve_model(empty folder)", lambda: (TMP / "empty").mkdir(exist_ok=True) or TMP / "empty", names=("empty", "폴더"), loader="resolve")
fcase("resolve_model(folder given as Path with ~)", lambda: Path("~/no_such_bertvec_model"), names=("no_such_bertvec_model",), loader="resolve")
fcase("load_model(folder with weights of another width)", lambda: folder("wrong_width", config=json.dumps(dict(json.loads(CONFIG_TEXT), hidden_size=json.loads(CONFIG_TEXT)["hidden_size"] * 2))), names=("hidden_size", "config.json", "model.safetensors"))
fcase("load_model(folder with tokenizer_config.json BOM)", lambda: folder("tokbom", tokenizer=False, extra={"tokenizer.json": (EMB / "tokenizer.json").read_bytes(), "tokenizer_config.json": b"\xef\xbb\xbf" + (EMB / "tokenizer_config.json").read_bytes()}), names=("tokenizer_config.json", "BOM"), loader="tok")
