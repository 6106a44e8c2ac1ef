# Answers to the exercises of notebooks/04_features.ipynb (instructors; scripts/exercises.py injects them).
# %% 04-1
n_real = sum(features["attention_mask"][1]).item()
# %% 04-1 wrong: the length of the row, padding included
n_real = len(features["attention_mask"][1])
# %% 04-2
smallest = max(len(ids) for ids in tokenizer(quiz_sentences)["input_ids"])
# %% 04-2 wrong: the tokens without [CLS] and [SEP]
smallest = max(len(tokenizer.tokenize(s)) for s in quiz_sentences)
# %% 04-3
n_second = sum(pair["token_type_ids"][0])
# %% 04-3 wrong: the second sentence's tokens, its [SEP] forgotten
n_second = len(tokenizer.tokenize("은행 앞에서 왼쪽으로 가세요"))
