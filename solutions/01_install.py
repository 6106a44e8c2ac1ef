# Answers to the exercises of notebooks/01_install.ipynb (instructors; scripts/exercises.py injects them).
# %% 01-1
weights_file = "model.safetensors"
# %% 01-1 wrong: the configuration, not the weights
weights_file = "config.json"
# %% 01-1 wrong: the vocabulary, not the weights
weights_file = "tokenizer.json" if "tokenizer.json" in model_files(choice) else "vocab.txt"
# %% 01-2
n_positions = len(tokenizer("오늘 날씨가 정말 좋네요")["input_ids"])
# %% 01-2 wrong: the pieces only, without the special tokens
n_positions = len(tokenizer.tokenize("오늘 날씨가 정말 좋네요"))
# %% 01-2 wrong: characters instead of tokens
n_positions = len("오늘 날씨가 정말 좋네요")
# %% 01-2 wrong: words plus [CLS] and [SEP], skipping the tokenizer
n_positions = len("오늘 날씨가 정말 좋네요".split()) + 2
# %% 01-2 also: a tensor
n_positions = tokenizer("오늘 날씨가 정말 좋네요", return_tensors="pt")["input_ids"].shape[1]
