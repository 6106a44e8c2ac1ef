# Answers to the exercises of notebooks/03_model.ipynb (instructors; scripts/exercises.py injects them).
# %% 03-1
head_size = model.config.hidden_size // model.config.num_attention_heads
# %% 03-1 wrong: the whole hidden size, not one head's share
head_size = model.config.hidden_size
# %% 03-2
embedding_shape = (model.config.vocab_size, model.config.hidden_size)
# %% 03-2 wrong: rows and columns swapped
embedding_shape = (model.config.hidden_size, model.config.vocab_size)
# %% 03-2 wrong: the tokenizer's vocabulary instead of the table's rows
embedding_shape = (len(tokenizer), model.config.hidden_size)
# %% 03-3
extra = (512 - pretrained_model_config.max_position_embeddings) * pretrained_model_config.hidden_size
# %% 03-3 wrong: only the number of new positions, not their vectors
extra = 512 - pretrained_model_config.max_position_embeddings
