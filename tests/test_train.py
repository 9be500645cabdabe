"""The training script on a tiny slice of text: the loss falls, the record is written, it resumes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model import load_model, trace
from model.numeric import induction_score, offset_attention, previous_token_score, repeated_random_ids
from model.positions import sinusoidal
from training.card import model_card
from training.report import evaluate
from training.train import TrainConfig, build_model, get_batch, random_run, split_books, train

STORY = (
    "Once upon a time there was a little girl who lived in a wood with her grandmother.\n\n"
    "Every day she went to the well and came back with water, and every day the old wolf watched her.\n\n"
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    corpus = root / "books"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"book{i}.txt").write_text(f"Book {i}\n\n" + STORY * 30 + "<|endoftext|>\n", encoding="utf-8")
    cfg = TrainConfig(
        vocab_size=300, n_layer=1, n_head=2, n_embd=32, n_positions=32, batch_size=8,
        max_steps=30, lr=3e-3, warmup_steps=5, eval_every=10, eval_batches=2, val_books=1, bf16=False,
    )  # fmt: skip
    record = train(corpus, root / "out", root / "work", cfg)
    return root, cfg, record


def test_loss_falls_and_the_record_is_written(trained):
    root, cfg, record = trained
    losses = [point["train"] for point in record["loss"]]
    assert len(losses) == 3 and losses[-1] < losses[0] - 0.5
    assert record["val_books"] == ["book3.txt"] or len(record["val_books"]) == 1
    saved = json.loads((root / "out" / "training_record.json").read_text())
    assert saved["loss"] == record["loss"]
    assert len(saved["samples"]) == 3 and saved["samples"][0]["samples"][0]["prompt"]
    patterns = np.load(root / "out" / "training_attention.npz")
    assert sorted(patterns.files) == ["step_10", "step_20", "step_30"]
    L, H = cfg.n_layer, cfg.n_head
    assert patterns["step_30"].shape[:2] == (L, H)
    assert np.array(saved["heads"][-1]["induction"]).shape == (L, H)
    by_position = np.array(saved["loss"][-1]["val_by_position"])  # (T,): the loss at each place in the window
    assert by_position.shape == (cfg.n_positions,) and abs(by_position.mean() - saved["loss"][-1]["val"]) < 2e-3


def test_the_trained_folder_loads_and_traces(trained):
    root, _, _ = trained
    lm = load_model(str(root / "out"), device="cpu")
    tr = trace(lm, "Once upon a time")
    assert tr.is_causal and tr.n_layers == 1 and tr.context_size == 32


def test_resume_continues_from_the_checkpoint(trained):
    root, cfg, record = trained
    longer = TrainConfig(**{**cfg.__dict__, "max_steps": 40})
    resumed = train(root / "books", root / "out", root / "work", longer, resume=True)
    assert [p["step"] for p in resumed["loss"]] == [10, 20, 30, 40]
    assert resumed["loss"][:3] == record["loss"]


def test_resume_without_a_checkpoint_continues_from_the_shipped_weights(trained, tmp_path):
    import shutil

    root, cfg, record = trained
    out = tmp_path / "out"
    shutil.copytree(root / "out", out)
    (tmp_path / "work").mkdir()
    for name in ("train.npy", "val.npy"):  # the token cache, but no checkpoint: a new machine
        shutil.copy(root / "work" / name, tmp_path / "work" / name)
    shipped = json.loads((out / "training_record.json").read_text(encoding="utf-8"))
    longer = TrainConfig(**{**cfg.__dict__, "max_steps": shipped["loss"][-1]["step"] + 10})
    resumed = train(root / "books", out, tmp_path / "work", longer, resume=True)
    assert [p["step"] for p in resumed["loss"]][-1] == longer.max_steps
    assert resumed["resumed"][-1]["optimizer"] == "fresh"
    assert resumed["loss"][-1]["val"] < shipped["loss"][0]["val"]  # it kept what it had learned


def test_the_report_measures_the_model_and_writes_its_card(trained):
    root, cfg, record = trained
    report = evaluate(root / "out", root / "books")
    uniform = np.log(cfg.vocab_size)  # nats per token of guessing blindly
    assert 0 < report["val_loss"] < uniform and 0 < report["bigram_val_loss"] < uniform
    assert np.array(report["heads"]["induction"]).shape == (cfg.n_layer, cfg.n_head)
    assert [len(row["tokens"]) for row in report["top5"]] == [5]
    assert [row["prompt"] for row in report["greedy"]] == ["The king said to", "Alice was"]
    assert report["val_loss_per_char"] < report["val_loss"]  # an English token is more than one character
    card = model_card(record, report)
    assert f"{report['val_loss']:.3f}" in card and f"{report['bigram_val_loss']:.3f}" in card
    assert "book3.txt" in card or record["val_books"][0] in card
    assert f"From step {cfg.repeat_from:,}" in card  # the repeated-span curriculum is described
    assert "previous-token head first scored" in card or "no previous-token head scored" in card
    for position_init, alphabet in (("random", 0), ("sinusoidal", 4)):
        config = {**record["config"], "position_init": position_init, "random_alphabet": alphabet}
        card = model_card({**record, "config": config}, report)
        assert ("sin/cos" in card) == (position_init == "sinusoidal")  # how the positions started
        assert ("from only 4 token ids" in card) == bool(alphabet)
    blurred = {**report, "heads": {**report["heads"], "previous_token": [[0.4]], "offsets": [[[0.3, 0.4, 0.2, 0.1]]]}}
    assert "30% on the current token, 40% on the one before" in model_card(record, blurred)
    assert "Trial runs" not in model_card(record, blurred)  # none recorded
    tried = {**record, "trials": [{"change": "wider heads", "result": "0.40 → 0.41"}]}
    assert "Trial runs that did not sharpen it" in model_card(tried, blurred)
    assert "  - wider heads: 0.40 → 0.41" in model_card(tried, blurred)
    sharp = {**blurred, "heads": {**blurred["heads"], "previous_token": [[0.9]]}}
    assert "No head attends to just the previous token" not in model_card(record, sharp)
    assert "wider heads" not in model_card(tried, sharp)  # trials only explain a blurred head


def test_whole_books_are_held_out(tmp_path):
    books = [tmp_path / f"{i}.txt" for i in range(10)]
    train_books, val_books = split_books(books, 3, seed=1)
    assert len(val_books) == 3 and not set(train_books) & set(val_books)
    assert split_books(books, 3, seed=1) == (train_books, val_books)  # repeatable


def test_head_scores_find_previous_token_and_induction_heads():
    T, period = 9, 4  # offset 1 + two copies of 4
    prev = np.zeros((T, T))
    prev[0, 0] = 1
    prev[np.arange(1, T), np.arange(T - 1)] = 1
    induction = np.zeros((T, T))
    induction[np.arange(T), np.arange(T)] = 1
    q = np.arange(1 + period, T)
    induction[q] = 0
    induction[q, q - period + 1] = 1
    pattern = np.stack([prev, induction])[None]  # (1, 2, T, T)
    np.testing.assert_allclose(previous_token_score(pattern), [[1.0, 0.0]])
    np.testing.assert_allclose(offset_attention(pattern, 0), [[1 / 9, 5 / 9]])  # BOS and the first copy: itself
    np.testing.assert_allclose(offset_attention(pattern, 3), [[0.0, 4 / 6]])  # in the second copy: 3 back
    np.testing.assert_allclose(induction_score(pattern, period, offset=1), [[0.0, 1.0]])
    ids = repeated_random_ids(100, period, seed=0)
    assert ids[:period].tolist() == ids[period:].tolist() and ids.min() >= 0


def test_repeated_windows_copy_a_span_and_skip_scoring_random_tokens():
    cfg = TrainConfig(vocab_size=1000, n_positions=64, batch_size=300)
    data = np.arange(50_000) % 200  # a stream with no repeats inside one window
    x, y = get_batch(data, cfg, np.random.default_rng(0), "cpu", repeat=0.3, random_repeat=0.3)
    assert x.shape == y.shape == (300, 64)
    plain, text, rand = 0, 0, 0
    for row, target in zip(x.numpy(), y.numpy(), strict=True):
        scored = target != -100
        np.testing.assert_array_equal(target[:-1][scored[:-1]], row[1:][scored[:-1]])  # y is x shifted by one
        full = np.append(row, target[-1])  # (T+1,) the window the pair was cut from
        periods = [
            p
            for p in range(8, 22)
            if any((full[a : a + p] == full[a + p : a + 2 * p]).all() for a in range(66 - 2 * p))
        ]
        if not periods:  # the stream itself never repeats within a window
            plain += 1
            assert scored.all() and full.max() < 200
        elif (full >= 256).any():  # random tokens: the first copy (and the copy's first token) is not scored
            rand += 1
            at = int(np.argmax(full >= 256))  # the first copy starts here (window position 0 is never a target)
            assert (~scored).sum() == periods[0] + 1 - (at == 0) and (full >= 256).sum() == 2 * periods[0]
        else:
            text += 1
            assert scored.all()
    assert min(plain, text, rand) > 50  # each kind appears about as often as asked


def test_sinusoidal_positions_are_a_fixed_rotation_apart():
    codes = sinusoidal(64, 16)  # (P, W)
    assert codes.shape == (64, 16) and np.abs(codes).max() <= 1.0
    assert len({tuple(row.round(4)) for row in codes}) == 64  # every position has its own code
    # one linear map takes every position to the next: what a head needs to look exactly one back
    step, *_ = np.linalg.lstsq(codes[:-1], codes[1:], rcond=None)
    np.testing.assert_allclose(codes[:-1] @ step, codes[1:], atol=1e-4)
    shuffled = codes[np.random.default_rng(0).permutation(64)]
    fit, *_ = np.linalg.lstsq(shuffled[:-1], shuffled[1:], rcond=None)
    assert np.abs(shuffled[:-1] @ fit - shuffled[1:]).max() > 0.1  # not true of any 64 vectors


def test_position_init_sets_the_position_embeddings():
    cfg = TrainConfig(vocab_size=300, n_layer=1, n_head=2, n_embd=32, n_positions=32, position_init="random")
    random_wpe = build_model(cfg, eot_id=0).transformer.wpe.weight.detach()
    sin_wpe = build_model(
        TrainConfig(**{**cfg.__dict__, "position_init": "sinusoidal"}), 0
    ).transformer.wpe.weight.detach()
    np.testing.assert_allclose(sin_wpe.numpy(), sinusoidal(32, 32) * 0.02 * np.sqrt(2), atol=1e-7)
    assert abs(float(sin_wpe.std()) - float(random_wpe.std())) < 0.005  # same scale as GPT-2's random start
    with pytest.raises(ValueError, match="position_init"):
        build_model(TrainConfig(**{**cfg.__dict__, "position_init": "learned"}), 0)


def test_random_runs_over_a_small_alphabet_reuse_few_tokens():
    rng = np.random.default_rng(0)
    wide = random_run(rng, TrainConfig(vocab_size=8192), 60)
    small = random_run(rng, TrainConfig(vocab_size=8192, random_alphabet=4), 60)
    assert len(set(wide.tolist())) > 50 and len(set(small.tolist())) <= 4
    assert min(wide.min(), small.min()) >= 256 and max(wide.max(), small.max()) < 8192


def test_init_from_copies_the_blocks_and_draws_new_token_embeddings(trained):
    root, cfg, _ = trained
    from safetensors.torch import load_file

    source = load_file(root / "out" / "model.safetensors")
    warm = build_model(TrainConfig(**{**cfg.__dict__, "init_from": str(root / "out"), "seed": 7}), 0)
    state = warm.state_dict()
    for name, value in source.items():
        if "wte" in name or name == "lm_head.weight":
            continue
        assert np.array_equal(state[name].numpy(), value.numpy()), name  # blocks, norms and positions copied
    fresh, old = state["transformer.wte.weight"], source["transformer.wte.weight"]
    assert not np.allclose(fresh.numpy(), old.numpy())  # another tokenizer's ids: new token embeddings
    assert abs(float(fresh.std()) / float(old.std()) - 1) < 0.1  # at the source's own scale
    assert warm.lm_head.weight.data_ptr() == warm.transformer.wte.weight.data_ptr()  # still tied
    with pytest.raises(ValueError, match="not this model's shape"):
        build_model(TrainConfig(**{**cfg.__dict__, "n_embd": 64, "init_from": str(root / "out")}), 0)
