"""TinyDates: the dates task spelt exactly, the held-out dates kept out of training, the character tokenizer, a
tiny training run for each model, and the shipped models, their evaluation and their cards."""

from __future__ import annotations

import contextlib
import io
import json
import re
from datetime import date

import numpy as np
import pytest
import torch

from model.load import WEIGHTS
from training import dates
from training.train_dates import (
    BOS,
    EOS,
    PROBES,
    DatesConfig,
    batch_at,
    build_tokenizer,
    encode,
    gpt_prompt,
    train,
)

SPELT = {  # date → every form, written out by hand
    date(2000, 2, 29): [
        "29 February 2000", "February 29, 2000", "the 29th of February, 2000", "29th February 2000",
        "Feb 29 2000", "2000年2月29日", "二〇〇〇年二月二十九日",
    ],
    date(1900, 3, 1): [
        "1 March 1900", "March 1, 1900", "the 1st of March, 1900", "1st March 1900",
        "Mar 1 1900", "1900年3月1日", "一九〇〇年三月一日",
    ],
    date(1905, 12, 31): [
        "31 December 1905", "December 31, 1905", "the 31st of December, 1905", "31st December 1905",
        "Dec 31 1905", "1905年12月31日", "一九〇五年十二月三十一日",
    ],
    date(1921, 3, 3): [
        "3 March 1921", "March 3, 1921", "the 3rd of March, 1921", "3rd March 1921",
        "Mar 3 1921", "1921年3月3日", "一九二一年三月三日",
    ],
    date(2099, 11, 20): [
        "20 November 2099", "November 20, 2099", "the 20th of November, 2099", "20th November 2099",
        "Nov 20 2099", "2099年11月20日", "二〇九九年十一月二十日",
    ],
    date(1800, 1, 10): [
        "10 January 1800", "January 10, 1800", "the 10th of January, 1800", "10th January 1800",
        "Jan 10 1800", "1800年1月10日", "一八〇〇年一月十日",
    ],
}  # fmt: skip
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd",
            23: "23rd", 24: "24th", 30: "30th", 31: "31st"}  # fmt: skip
ZH_DAYS = {1: "一", 10: "十", 13: "十三", 20: "二十", 23: "二十三", 30: "三十", 31: "三十一"}
TINY = dict(d_model=32, n_head=2, ffn=64, encoder_layers=1, decoder_layers=1, gpt_layers=2, batch_size=32,
            max_steps=40, lr=3e-3, warmup_steps=5, eval_every=20, eval_per_form=4, stop_at=1.01, final_per_form=4)  # fmt: skip


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer()


def test_every_form_spells_known_dates_exactly():
    for day, written in SPELT.items():
        assert [dates.write(day, form) for form in dates.FORMS] == written
        assert dates.iso(day) == day.isoformat()
    assert dates.iso(date(1921, 3, 3)) == "1921-03-03"
    for n, text in ORDINALS.items():
        assert dates.ordinal(n) == text
        assert dates.write(date(1921, 1, n), "dth_month_y") == f"{text} January 1921"
    for n, text in ZH_DAYS.items():
        assert dates.write(date(1921, 1, n), "zh_numerals") == f"一九二一年一月{text}日"
    assert [dates.zh_number(m) for m in (1, 9, 10, 11, 12)] == ["一", "九", "十", "十一", "十二"]


def test_only_real_dates_and_the_range_is_kept():
    held, kept = dates.split("held_out"), dates.split("train")
    every = np.sort(np.concatenate([held, kept]))
    assert len(every) == len(set(every.tolist())) == (dates.LAST - dates.FIRST).days + 1 == 109_573
    by_year = {y: 0 for y in (1900, 2000, 2024, 2100)}
    for ordinal in every:
        year = date.fromordinal(int(ordinal)).year
        if year in by_year:
            by_year[year] += 1
    assert by_year == {1900: 365, 2000: 366, 2024: 366, 2100: 0}  # 1900 is no leap year, 2000 is
    with pytest.raises(ValueError):
        dates.write(date(1799, 12, 31), "d_month_y")
    with pytest.raises(KeyError, match="the forms are"):
        dates.write(date(1921, 3, 3), "3/3/21")


def test_held_out_dates_are_a_tenth_and_never_drawn_for_training():
    held = set(dates.split("held_out").tolist())
    assert 0.09 < len(held) / 109_573 < 0.11
    pairs = dates.sample(np.random.default_rng(7), 5000, "train")
    assert not any(date.fromisoformat(target).toordinal() in held for _, target, _ in pairs)
    counts = {form: sum(p[2] == form for p in pairs) for form in dates.FORMS}
    assert min(counts.values()) > 5000 / 7 * 0.8  # uniformly mixed
    assert all(dates.write(date.fromisoformat(t), f) == s for s, t, f in pairs[:200])
    sample = dates.held_out_sample(50, seed=3)
    for pairs in sample.values():
        days = [date.fromisoformat(t).toordinal() for _, t, _ in pairs]
        assert len(set(days)) == 50 and set(days) <= held
    assert sample == dates.held_out_sample(50, seed=3)  # fixed
    other = dates.held_out_sample(50, seed=4, besides=sample)
    targets = [{t for pairs in s.values() for _, t, _ in pairs} for s in (sample, other)]
    assert not targets[0] & targets[1]  # no date in both


def test_the_tokenizer_is_one_token_per_character_and_gives_the_string_back(tokenizer, tmp_path):
    from transformers import AutoTokenizer

    tokenizer.save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert [loaded.pad_token_id, loaded.bos_token_id, loaded.eos_token_id, loaded.unk_token_id] == [0, 1, 2, 3]
    texts = [s for written in SPELT.values() for s in written] + ["1921-03-03"]
    for text in texts:
        enc = loaded(text, return_offsets_mapping=True)
        ids = enc["input_ids"]
        assert ids[-1] == EOS and len(ids) == len(text) + 1 and loaded.unk_token_id not in ids
        assert loaded.convert_ids_to_tokens(ids[:-1]) == list(text)  # spaces and commas are tokens too
        assert enc["offset_mapping"][:-1] == [(i, i + 1) for i in range(len(text))]
        assert loaded.decode(ids, skip_special_tokens=True) == text
    assert loaded("3 March 1921")["input_ids"] == tokenizer("3 March 1921")["input_ids"]
    assert loaded("<s>3 Mar→", add_special_tokens=False)["input_ids"] == gpt_prompt(loaded, "3 Mar")
    assert set(loaded("3 March 1921")) == {"input_ids", "attention_mask"}  # nothing MBart would refuse


def test_batches_put_the_target_where_each_model_reads_it(tokenizer):
    pairs = [("3 March 1921", "1921-03-03", "d_month_y"), ("一九〇五年十二月三十一日", "1905-12-31", "zh_numerals")]
    s2s = encode(tokenizer, pairs, "seq2seq")
    assert s2s["input_ids"].shape == (2, 13) and s2s["attention_mask"][1].sum() == 13
    assert (s2s["decoder_input_ids"][:, 0] == BOS).all() and (s2s["labels"][:, -1] == EOS).all()
    assert torch.equal(s2s["decoder_input_ids"][:, 1:], s2s["labels"][:, :-1])  # the label is the next input
    gpt = encode(tokenizer, pairs, "gpt")
    row, labels = gpt["input_ids"][0], gpt["labels"][0]
    assert tokenizer.decode(row, skip_special_tokens=False).startswith("<s>3 March 1921→1921-03-03</s>")
    scored = labels != -100
    assert tokenizer.decode(labels[scored]) == "1921-03-03</s>" and scored.sum() == 11
    assert (gpt["labels"][1] != -100).sum() == 11


@pytest.mark.parametrize("kind", ["seq2seq", "gpt"])
def test_a_tiny_run_lowers_the_loss_records_the_probes_and_resumes(kind, tmp_path):
    cfg = DatesConfig(model=kind, **TINY)
    record = train(cfg, tmp_path / "out", tmp_path / "work", quiet=True)
    history = record["history"]
    assert [h["step"] for h in history] == [0, 20, 40] and history[0]["train"] is None
    assert history[2]["train"] < history[1]["train"] < 4.2 - 0.5  # below ln(60) ≈ 4.1 minus some
    assert set(history[-1]["exact_match"]) == set(dates.FORMS)
    patterns = np.load(tmp_path / "out" / "training_attention.npz")
    assert sorted(patterns.files) == sorted(f"probe{i}_step_{s}" for i in (0, 1) for s in (0, 20, 40))
    layers = 1 if kind == "seq2seq" else 2
    for i, probe in enumerate(record["probes"]):
        pattern = patterns[f"probe{i}_step_40"].astype(np.float32)  # (L, H, 11, S)
        assert pattern.shape == (layers, 2, 11, len(probe["columns"])) and probe["source"] == PROBES[i]
        sums = pattern.sum(-1)
        assert np.allclose(sums, 1, atol=1e-2) if kind == "seq2seq" else (sums < 1).all()
    saved = json.loads((tmp_path / "out" / "evaluation.json").read_text())
    assert saved["per_form"] == 4 and set(saved["exact_match"]) == set(dates.FORMS)
    more = DatesConfig(**{**cfg.__dict__, "max_steps": 60})
    resumed = train(more, tmp_path / "out", tmp_path / "work", resume=True, quiet=True)
    assert [h["step"] for h in resumed["history"]] == [0, 20, 40, 60] and resumed["resumed"][0]["step"] == 40


def test_the_same_seed_trains_the_same_model(tmp_path):
    cfg = DatesConfig(**{**TINY, "max_steps": 10, "eval_every": 10, "eval_per_form": 2, "final_per_form": 2})
    runs = [train(cfg, tmp_path / f"out{i}", tmp_path / f"work{i}", quiet=True)["history"] for i in range(2)]
    assert [(h["train"], h["exact_match"]) for h in runs[0]] == [(h["train"], h["exact_match"]) for h in runs[1]]
    assert batch_at(3, cfg) == batch_at(3, cfg) != batch_at(4, cfg)  # a step's batch depends on (seed, step) alone


SHIPPED = {"seq2seq": WEIGHTS / "tinydates", "gpt": WEIGHTS / "tinydates-gpt"}


@pytest.fixture(scope="module", params=["seq2seq", "gpt"])
def shipped(request):
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    folder = SHIPPED[request.param]
    auto = AutoModelForSeq2SeqLM if request.param == "seq2seq" else AutoModelForCausalLM
    return request.param, folder, auto.from_pretrained(folder).eval(), AutoTokenizer.from_pretrained(folder)


def test_the_shipped_models_rewrite_held_out_dates_in_every_form(shipped):
    kind, _, model, tok = shipped
    for form, pairs in dates.held_out_sample(3, seed=99).items():
        for source, target, _ in pairs:
            with torch.no_grad():
                if kind == "seq2seq":
                    out = model.generate(**tok(source, return_tensors="pt"))[0]
                else:
                    ids = tok(f"<s>{source}→", add_special_tokens=False, return_tensors="pt").input_ids
                    out = model.generate(ids)[0, ids.shape[1] :]
            assert tok.decode(out, skip_special_tokens=True) == target, (form, source)
    if kind == "seq2seq":
        out = model.generate(**tok("3 March 1921", return_tensors="pt"))
        assert tok.decode(out[0], skip_special_tokens=True) == "1921-03-03"


def test_the_shipped_evaluation_passes_on_every_form(shipped):
    kind, folder, model, _ = shipped
    ev = json.loads((folder / "evaluation.json").read_text(encoding="utf-8"))
    record = json.loads((folder / "training_record.json").read_text(encoding="utf-8"))
    assert set(ev["exact_match"]) == set(dates.FORMS) and ev["per_form"] >= 500
    assert min(ev["exact_match"].values()) >= 0.95
    assert record["evaluation"] == ev and record["parameters"] == sum(p.numel() for p in model.parameters())
    assert record["config"]["model"] == kind and record["seconds"] > 0


def test_the_card_names_the_evaluations_figures_and_its_code_runs(shipped):
    kind, folder, _, _ = shipped
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    ev = json.loads((folder / "evaluation.json").read_text(encoding="utf-8"))
    record = json.loads((folder / "training_record.json").read_text(encoding="utf-8"))
    for form, score in ev["exact_match"].items():
        assert re.search(rf"`{form}` \| .* \| {re.escape(f'{score:.1%}')} \|", card), form
    assert f"{ev['mean_exact_match']:.1%}" in card and f"{ev['parameters']:,}" in card
    assert f"{record['steps']:,} steps" in card and f"{record['train_seconds']:,.0f} seconds" in card
    code = re.search(r"```python\n(.*?)```", card, re.S).group(1)
    code = code.replace(f'"{folder.relative_to(WEIGHTS.parents[1])}"', f'"{folder}"')  # wherever pytest runs
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # noqa: S102 - the card's own load lines
    assert printed.getvalue().strip().split("→")[-1] == "1921-03-03"  # the GPT prints its prompt too
