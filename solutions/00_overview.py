# Answers to the exercises of notebooks/00_overview.ipynb (instructors; scripts/exercises.py injects them).
# %% 00-1
expected_shape = (5, 20, num_tags)
# %% 00-1 wrong: one vector per token, not one score per tag
expected_shape = (5, 20, hidden)
# %% 00-1 wrong: one score per sentence, as for document classification
expected_shape = (5, num_tags)
# %% 00-1 wrong: the shape of the batch above (4 sentences, its own length), not 5 x 20
expected_shape = (batch_size, seq_len, num_tags)
# %% 00-1 wrong: the number of sentiment labels instead of the tags
expected_shape = (5, 20, num_classes)
# %% 00-1 also: a torch.Size
import torch
expected_shape = torch.Size([5, 20, num_tags])
# %% 00-2
head_parameters = hidden * num_classes + num_classes
# %% 00-2 wrong: the bias is forgotten
head_parameters = hidden * num_classes
# %% 00-2 wrong: the whole model counted
head_parameters = sum(p.numel() for p in classifier.parameters())
# %% 00-2 wrong: sizes added instead of multiplied
head_parameters = hidden + num_classes
