# Answers to the exercises of notebooks/04_features.ipynb (instructors; scripts/exercises.py injects them).
# %% 04-1
n_real = sum(quiz["attention_mask"][0])
# %% 04-1 wrong: the length of the row, padding included
n_real = len(quiz["attention_mask"][0])
# %% 04-1 wrong: the other sentence's row
n_real = sum(quiz["attention_mask"][1])
# %% 04-1 wrong: the words of the sentence, without [CLS] and [SEP]
n_real = len("오늘 날씨가 정말 좋네요".split())
# %% 04-1 wrong: the tokens without [CLS] and [SEP]
n_real = len(tokenizer.tokenize("오늘 날씨가 정말 좋네요"))
# %% 04-1 also: a NumPy integer
import numpy
n_real = numpy.array(quiz["attention_mask"][0]).sum()
# %% 04-2
smallest = max(len(ids) for ids in tokenizer(quiz_sentences)["input_ids"])
# %% 04-2 wrong: the tokens without [CLS] and [SEP]
smallest = max(len(tokenizer.tokenize(s)) for s in quiz_sentences)
# %% 04-2 wrong: the running model's tokenizer instead of the book's
smallest = max(len(ids) for ids in model_tokenizer(quiz_sentences)["input_ids"])
# %% 04-2 wrong: characters instead of tokens
smallest = max(len(s) for s in quiz_sentences)
# %% 04-2 wrong: words plus the two special tokens
smallest = max(len(s.split()) + 2 for s in quiz_sentences)
# %% 04-2 also: a tensor
import torch
smallest = torch.tensor(max(len(ids) for ids in tokenizer(quiz_sentences)["input_ids"]))
# %% 04-3
n_second = sum(pair["token_type_ids"][0])
# %% 04-3 wrong: the second sentence's tokens, its [SEP] forgotten
n_second = len(tokenizer.tokenize("은행 앞 횡단보도를 건너서 왼쪽으로 가세요"))
# %% 04-3 wrong: the zeros (the first segment) counted
n_second = pair["token_type_ids"][0].count(0)
# %% 04-3 wrong: half the pair, as if both segments had the same length
n_second = len(pair["input_ids"][0]) // 2
# %% 04-3 also: a NumPy integer
import numpy
n_second = numpy.array(pair["token_type_ids"][0]).sum()
