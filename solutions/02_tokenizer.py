# Answers to the exercises of notebooks/02_tokenizer.ipynb (instructors; scripts/exercises.py injects them).
# %% 02-1
sep_id = tokenizer.convert_tokens_to_ids("[SEP]")
# %% 02-1 wrong: the id of [CLS], the other special token around a sentence
sep_id = tokenizer.convert_tokens_to_ids("[CLS]")
# %% 02-1 wrong: the token itself, not its id
sep_id = tokenizer.sep_token
# %% 02-1 wrong: the running model's tokenizer instead of the book's
sep_id = model_tokenizer.sep_token_id
# %% 02-1 also: a NumPy integer
import numpy
sep_id = numpy.int64(tokenizer.convert_tokens_to_ids("[SEP]"))
# %% 02-2
glued = "".join(p[2:] if p.startswith("##") else p for p in word_pieces)
# %% 02-2 wrong: the ## markers left in
glued = "".join(word_pieces)
# %% 02-2 wrong: the pieces joined with spaces
glued = " ".join(p.removeprefix("##") for p in word_pieces)
# %% 02-2 wrong: a string operation that skips the tokenizer
glued = "배고파서 라면을 끓였다 🍜".replace(" ", "")
# %% 02-2 wrong: the library's own joining, which puts the spaces back
glued = tokenizer.convert_tokens_to_string(word_pieces)
# %% 02-3
n_unk = lowered.tokenize(mixed).count("[UNK]")
# %% 02-3 wrong: counted with the book's (cased) tokenizer
n_unk = tokenizer.tokenize(mixed).count("[UNK]")
# %% 02-3 wrong: every piece counted, not only [UNK]
n_unk = len(lowered.tokenize(mixed))
# %% 02-3 wrong: the number of words
n_unk = len(mixed.split())
# %% 02-3 also: a tensor
import torch
n_unk = torch.tensor(lowered.tokenize(mixed).count("[UNK]"))
