# Answers to the exercises of notebooks/03_model.ipynb (instructors; scripts/exercises.py injects them).
# %% 03-1
head_size = model.config.hidden_size // model.config.num_attention_heads
# %% 03-1 wrong: the whole hidden size, not one head's share
head_size = model.config.hidden_size
# %% 03-1 wrong: the number of heads, not the size of one
head_size = model.config.num_attention_heads
# %% 03-1 wrong: computed from the book's configuration, not the running model's
head_size = pretrained_model_config.hidden_size // pretrained_model_config.num_attention_heads
# %% 03-1 also: a tensor
import torch
head_size = torch.tensor(model.config.hidden_size // model.config.num_attention_heads)
# %% 03-2
embedding_shape = (model.config.vocab_size, model.config.hidden_size)
# %% 03-2 wrong: rows and columns swapped
embedding_shape = (model.config.hidden_size, model.config.vocab_size)
# %% 03-2 wrong: the book's configuration instead of the running model's
embedding_shape = (pretrained_model_config.vocab_size, pretrained_model_config.hidden_size)
# %% 03-2 wrong: the position table's rows instead of the vocabulary
embedding_shape = (model.config.max_position_embeddings, model.config.hidden_size)
# %% 03-2 wrong: the tokenizer's vocabulary instead of the table's rows
embedding_shape = (len(tokenizer), model.config.hidden_size)
# %% 03-2 also: the weight's torch.Size
embedding_shape = model.embeddings.word_embeddings.weight.shape
# %% 03-3
extra = (512 - pretrained_model_config.max_position_embeddings) * pretrained_model_config.hidden_size
# %% 03-3 wrong: only the number of new positions, not their vectors
extra = 512 - pretrained_model_config.max_position_embeddings
# %% 03-3 wrong: the whole new position table, not what is added
extra = 512 * pretrained_model_config.hidden_size
# %% 03-3 wrong: the running model's hidden size instead of the book's configuration
extra = (512 - pretrained_model_config.max_position_embeddings) * model.config.hidden_size
