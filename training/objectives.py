"""The two pretraining objectives as one real training example: what goes in, what is predicted, where the
loss counts.

    causal_example(tokenizer, "Once upon a time")           # inputs ids[:-1], a target at every position
    masked_example(tokenizer, "Once upon a time", seed=0)   # 15 % chosen, 80/10/10, labels -100 elsewhere

The masked one is transformers' own `DataCollatorForLanguageModeling` (BERT's recipe: of the chosen tokens
80 % become [MASK], 10 % a random token, 10 % stay), seeded, so a page can show the same draw again.
Each returns a dict of equal-length lists, one entry per position.
"""

from __future__ import annotations

IGNORE = -100  # the label that tells the loss to skip a position


def causal_example(tokenizer, text: str, most: int = 24) -> dict[str, list]:
    """Next-token prediction: position i reads tokens 0…i and is scored on token i+1 (its label)."""
    ids = tokenizer(text, add_special_tokens=False)["input_ids"][: most + 1]
    pieces = [tokenizer.decode([i]) for i in ids]
    return {
        "input_id": ids[:-1],
        "input": pieces[:-1],
        "label": ids[1:],
        "target": pieces[1:],
    }


def masked_example(tokenizer, text: str, seed: int = 0, probability: float = 0.15, most: int = 24) -> dict[str, list]:
    """Masked-token prediction on one sentence, with [CLS] … [SEP]: each position's original token, the
    input the model sees, its label (IGNORE where not chosen) and what happened to it: "mask", "random",
    "kept" (chosen but left as it was) or "" (not chosen; [CLS] and [SEP] never are)."""
    from transformers import DataCollatorForLanguageModeling

    if tokenizer.mask_token is None:
        raise ValueError("This tokenizer has no [MASK] token: a masked-language objective needs one.")
    encoded = tokenizer(text, truncation=True, max_length=most + 2)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=probability, seed=seed)
    batch = collator([{"input_ids": encoded["input_ids"]}])
    original = encoded["input_ids"]
    inputs = batch["input_ids"][0].tolist()
    labels = batch["labels"][0].tolist()
    mask_id = tokenizer.convert_tokens_to_ids(tokenizer.mask_token)
    kinds = []
    for before, seen, label in zip(original, inputs, labels, strict=True):
        if label == IGNORE:
            kinds.append("")
        elif seen == mask_id:
            kinds.append("mask")
        elif seen != before:
            kinds.append("random")
        else:
            kinds.append("kept")
    return {
        "original_id": list(original),
        "original": [tokenizer.convert_ids_to_tokens(i) for i in original],
        "input": [tokenizer.convert_ids_to_tokens(i) for i in inputs],
        "input_id": inputs,
        "label": labels,
        "kind": kinds,
    }
