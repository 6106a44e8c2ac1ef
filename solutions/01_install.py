# Answers to the exercises of notebooks/01_install.ipynb (instructors; scripts/exercises.py injects them).
# %% 01-1
weights_file = "model.safetensors"
# %% 01-1 wrong: the configuration, not the weights
weights_file = "config.json"
# %% 01-1 wrong: the vocabulary, not the weights
weights_file = "tokenizer.json" if "tokenizer.json" in model_files(choice) else "vocab.txt"
# %% 01-2
expected_source = "embedded"
# %% 01-2 wrong: the usual source of a name given as an argument
expected_source = "explicit"
