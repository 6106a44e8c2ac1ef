# Answers to the exercises of notebooks/07_fast_embedding.ipynb (instructors; scripts/exercises.py injects them).
# %% 07-1
n_cut = sum(n > limit for n in lengths)
# %% 07-1 wrong: off by one at the boundary (a sentence of exactly `limit` tokens fits)
n_cut = sum(n >= limit for n in lengths)
# %% 07-1 wrong: words counted instead of tokens
n_cut = sum(len(s.split()) > limit for s in corpus)
# %% 07-1 wrong: characters counted instead of tokens
n_cut = sum(len(s) > limit for s in corpus)
# %% 07-2
real_share = sum(lengths) / (len(lengths) * 128)
# %% 07-2 wrong: the padding's share instead of the real tokens'
real_share = 1 - sum(lengths) / (len(lengths) * 128)
# %% 07-2 wrong: padded to the longest sentence instead of max_length=128
real_share = sum(lengths) / (len(lengths) * max(lengths))
# %% 07-3
my_computed = sum(len(b) * max(lengths[i] for i in b) for b in in_order)
# %% 07-3 wrong: the real tokens only
my_computed = sum(lengths)
# %% 07-3 wrong: embed's own (sorted) batches
my_computed = sum(len(b) * max(lengths[i] for i in b) for b in batches)
# %% 07-3 wrong: every sentence padded to the longest of all
my_computed = len(lengths) * max(lengths)
