# Answers to the exercises of notebooks/06_finetuning.ipynb (instructors; scripts/exercises.py injects them).
# %% 06-1
labelled_positions = len(first_test.words)
# %% 06-1 wrong: every token of the sentence, [CLS] and [SEP] included
labelled_positions = len(tokenizer(list(first_test.words), is_split_into_words=True)["input_ids"])
# %% 06-2
my_accuracy = (sentiment_predictions == test_features["labels"]).float().mean().item()
# %% 06-2 wrong: the number of correct answers, not the share
my_accuracy = (sentiment_predictions == test_features["labels"]).sum().item()
