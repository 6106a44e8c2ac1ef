# Answers to the exercises of notebooks/00_overview.ipynb (instructors; scripts/exercises.py injects them).
# %% 00-1
expected_shape = (5, 20, num_tags)
# %% 00-1 wrong: one vector per token, not one score per tag
expected_shape = (5, 20, hidden)
# %% 00-1 wrong: one score per sentence, as for document classification
expected_shape = (5, num_tags)
# %% 00-2
head_parameters = hidden * num_classes + num_classes
# %% 00-2 wrong: the bias is forgotten
head_parameters = hidden * num_classes
