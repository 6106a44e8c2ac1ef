# Answers to the exercises of notebooks/04_features.ipynb (instructors; scripts/exercises.py injects them).
# %% 04-1
n_real = sum(quiz["attention_mask"][0])
# %% 04-1 wrong: the length of the row, padding included
n_real = len(quiz["attention_mask"][0])
# %% 04-1 wrong: the other sentence's row
n_real = sum(quiz["attention_mask"][1])
# %% 04-1 wrong: the words of the sentence, without [CLS] and [SEP]
n_real = len("오늘 날씨가 정말 좋네요".split())
# %% 04-2
smallest = max(len(ids) for ids in tokenizer(quiz_sentences)["input_ids"])
# %% 04-2 wrong: the tokens without [CLS] and [SEP]
smallest = max(len(tokenizer.tokenize(s)) for s in quiz_sentences)
# %% 04-3
n_second = sum(pair["token_type_ids"][0])
# %% 04-3 wrong: the second sentence's tokens, its [SEP] forgotten
n_second = len(tokenizer.tokenize("은행 앞에서 왼쪽으로 가세요"))
