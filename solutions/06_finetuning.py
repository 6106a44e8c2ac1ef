# Answers to the exercises of notebooks/06_finetuning.ipynb (instructors; scripts/exercises.py injects them).
# %% 06-1
labelled_positions = len(first_test.words)
# %% 06-1 also: a NumPy integer
import numpy as np
labelled_positions = np.int64(len(first_test.tags))
# %% 06-1 wrong: every token of the sentence, [CLS] and [SEP] included
labelled_positions = len(tokenizer(list(first_test.words), is_split_into_words=True)["input_ids"])
# %% 06-1 wrong: every piece the tokenizer makes (the 2nd and later pieces of a word get -100)
labelled_positions = len(tokenizer.tokenize(" ".join(first_test.words)))
# %% 06-1 wrong: the words plus [CLS] and [SEP] (special tokens get -100 too)
labelled_positions = len(first_test.words) + 2
# %% 06-2
keep = toy_gold != -100
my_accuracy = (toy_predicted[keep] == toy_gold[keep]).float().mean().item()
# %% 06-2 also: a 0-d tensor instead of a Python float
my_accuracy = (toy_predicted[toy_gold != -100] == toy_gold[toy_gold != -100]).float().mean()
# %% 06-2 wrong: the number of correct positions, not the share
my_accuracy = int((toy_predicted[toy_gold != -100] == toy_gold[toy_gold != -100]).sum())
# %% 06-2 wrong: every position counted, -100 ones included
my_accuracy = (toy_predicted == toy_gold).float().mean().item()
# %% 06-2 wrong: tag 0 (O) left out as well as -100
my_accuracy = (toy_predicted[toy_gold > 0] == toy_gold[toy_gold > 0]).float().mean().item()
# %% 06-2 wrong: the mean of the two sentences' accuracies (sentences of different length weigh the same)
my_accuracy = sum((p[g != -100] == g[g != -100]).float().mean().item() for p, g in zip(toy_predicted, toy_gold)) / 2
# %% 06-2 wrong: the accuracy printed for the sentiment test above
my_accuracy = accuracy_after
