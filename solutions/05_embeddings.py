# Answers to the exercises of notebooks/05_embeddings.ipynb (instructors; scripts/exercises.py injects them).
# %% 05-1
n_numbers = 3 * 8 * model.config.hidden_size
# %% 05-1 wrong: one number per position, the vector's length forgotten
n_numbers = 3 * 8
# %% 05-1 wrong: one vector per sentence, as pooler_output has
n_numbers = 3 * model.config.hidden_size
# %% 05-2
mask = quiz_features["attention_mask"].unsqueeze(-1).float()
my_mean = (quiz_out.last_hidden_state * mask).sum(dim=1) / mask.sum(dim=1)
# %% 05-2 wrong: the plain mean, padding included
my_mean = quiz_out.last_hidden_state.mean(dim=1)
# %% 05-2 wrong: the first three positions of every sentence, whatever its length
my_mean = quiz_out.last_hidden_state[:, :3].mean(dim=1)
# %% 05-2 wrong: padding masked out of the sum, but divided by max_length instead of each sentence's real tokens
my_mean = (quiz_out.last_hidden_state * quiz_features["attention_mask"].unsqueeze(-1)).sum(dim=1) / 8
# %% 05-3
my_cosine = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
# %% 05-3 wrong: the dot product alone
my_cosine = a @ b
# %% 05-3 wrong: divided by one vector's length only
my_cosine = a @ b / np.linalg.norm(a)
