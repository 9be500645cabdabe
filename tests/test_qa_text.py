"""Browser-walk defects in lesson text, token text and model-loading messages (QA 2026-12: items 9, 10, 12, 13,
15, 20, 27, 29, 31), held in both languages."""

from __future__ import annotations

import inspect
import json
import re
import shutil
import string
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from markdown_it import MarkdownIt

import model.errors as errors
from lessons import t
from lessons.i18n import catalog
from model import load_model, trace
from model.arch import FAMILIES
from model.load import WEIGHTS, lowercases, position_init
from model.tokens import Tokenized, special_mask
from model.tracing import _cut
from tests.synthetic import synthetic_trace
from tests.test_pages import run_page, visible_text
from viz import pipeline
from viz import tokens as vt
from viz.labels import code, num, sci, token_labels, visible

# --- model-loading messages (items 9 and 10) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def complete_folder(tiny_folder):
    """A tiny random GPT-2 saved the way a user's own model folder looks."""
    return tiny_folder("gpt2")


def folder_with(base: Path, target: Path, keep: list[str], write: dict[str, bytes] | None = None) -> Path:
    target.mkdir()
    for name in keep:
        shutil.copy(base / name, target / name)
    for name, data in (write or {}).items():
        (target / name).write_bytes(data)
    return target


CASES = {  # folder contents → (error, words in English, words in Chinese)
    "no-config": (
        ["model.safetensors", "tokenizer.json", "tokenizer_config.json"],
        {},
        errors.NoConfig,
        ["has no config.json", "model.safetensors"],
        ["没有 config.json", "model.safetensors"],
    ),
    "pickle-only": (
        [],
        {"pytorch_model.bin": b"pickle"},
        errors.PickleWeights,
        ["pytorch_model.bin", "pickle", "refuses"],
        ["pickle", "pytorch_model.bin", "拒绝"],
    ),
    "no-tokenizer": (
        ["config.json", "model.safetensors"],
        {},
        errors.NoTokenizer,
        ["no tokenizer files", "tokenizer.json"],
        ["没有分词器文件", "tokenizer.json"],
    ),
    "tokenizer-config-only": (
        ["config.json", "model.safetensors", "tokenizer_config.json"],
        {},
        errors.NoTokenizer,
        ["no tokenizer files", "tokenizer_config.json"],
        ["没有分词器文件"],
    ),
    "corrupt-weights": (
        ["config.json", "tokenizer.json", "tokenizer_config.json"],
        {"model.safetensors": b"not a safetensors file" * 4},
        errors.CorruptWeights,
        ["damaged or incomplete", "again"],
        ["已损坏或不完整", "原始报错", "重新下载"],
    ),
    "bad-json": (
        ["model.safetensors", "tokenizer.json"],
        {"config.json": b"{not json"},
        errors.BadConfig,
        ["config.json", "could not be read"],
        ["无法读取", "config.json"],
    ),
    "unknown-type": (
        ["model.safetensors", "tokenizer.json"],
        {"config.json": json.dumps({"model_type": "nosuchtype"}).encode()},
        errors.UnsupportedArchitecture,
        ["nosuchtype", "Supported families"],
        ["nosuchtype", "支持的架构系列"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_folder_says_what_it_lacks_in_both_languages(case, complete_folder, tmp_path):
    keep, write, kind, english, chinese = CASES[case]
    folder = folder_with(complete_folder, tmp_path / case, keep, write)
    with pytest.raises(kind) as caught:
        load_model(str(folder))
    err = caught.value
    assert "on this computer" not in str(err)  # the folder is there: never "No model called …"
    for words in english:
        assert words in str(err)
    zh = t(f"error.{err.key}", "zh", **err.params)
    for words in chinese:
        assert words in zh
    assert "请" in zh  # says what to do


def test_a_complete_folder_still_loads_and_remembers_where_it_came_from(complete_folder):
    lm = load_model(str(complete_folder))
    assert lm.source == str(complete_folder)
    assert trace(lm, "Once upon a time").n_tokens > 0


def error_classes():
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.WalkthroughError) and "key" in vars(cls)
    ]


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_model_error_has_a_chinese_sentence_with_its_blanks(cls):
    if cls is errors.WalkthroughError:
        return
    names = {name for _, name, _, _ in string.Formatter().parse(cls.template) if name}
    err = cls(**{name: f"<{name}>" for name in names})
    zh = t(f"error.{err.key}", "zh", **err.params)
    assert zh.strip() and sum("\u4e00" <= ch <= "\u9fff" for ch in zh) > 5
    for name in {"name", "found", "reason", "model_type"} & names:  # what the user must see to act on
        assert f"<{name}>" in zh, (cls.__name__, name)


def test_unsupported_family_names_the_families_in_chinese(complete_folder, tmp_path):
    folder = folder_with(complete_folder, tmp_path / "t5", ["model.safetensors", "tokenizer.json"])
    (folder / "config.json").write_text(json.dumps({"model_type": "t5"}))
    with pytest.raises(errors.UnsupportedArchitecture) as caught:
        load_model(str(folder))
    err = caught.value
    for family in FAMILIES:  # English names every family; Chinese too, in its own words
        assert family.name in str(err)
        assert family.name.split(" ")[0].replace("-style", "") in t(f"error.{err.key}", "zh", **err.params)
    zh = t(f"error.{err.key}", "zh", **err.params)
    assert ";" not in zh and "style" not in zh and "encoders" not in zh
    assert "；" in zh and "Llama 式" in zh and "BERT 类编码器" in zh


@pytest.mark.parametrize("lang, words", [("en", "has no config.json"), ("zh", "没有 config.json")])
def test_the_page_names_the_missing_config(lang, words, complete_folder, tmp_path):
    folder = folder_with(complete_folder, tmp_path / "no-config", ["model.safetensors", "tokenizer.json"])
    at = run_page("pages/1_tokens.py", lang=lang, model=str(folder))
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]


# --- cutting a long prompt (items 12 and 20) ------------------------------------------------------------------


def test_an_encoder_prompt_is_cut_inside_cls_and_sep(tiny):
    lm = tiny("bert")  # context 64, MiniLM's WordPiece tokenizer
    prompt = "the king said to the queen " * 40
    full = lm.tokenizer(prompt)["input_ids"]
    tr = trace(lm, prompt)
    assert tr.n_tokens == 64 and tr.dropped_tokens == len(full) - 64
    assert tr.tokens[0] == "[CLS]" and tr.tokens[-1] == "[SEP]"
    assert tr.token_ids.tolist() == full[:63] + full[-1:]  # the first 62 words' tokens, then [SEP]
    assert prompt.startswith(tr.prompt)
    for token, (start, end) in zip(tr.token_bytes[1:-1], tr.offsets[1:-1], strict=True):
        assert tr.prompt[start:end].encode() == token  # spans index the kept text


def tokenized(ids: list[int], special: list[bool]) -> tuple[Tokenized, np.ndarray]:
    spans = [(0, 0) if s else (i, i + 1) for i, s in enumerate(special)]
    return (
        Tokenized(
            token_ids=np.asarray(ids),
            tokens=[str(i) for i in ids],
            token_bytes=[b"x"] * len(ids),
            offsets=np.asarray(spans),
            dropped_tokens=0,
        ),
        np.asarray(special),
    )


def test_a_decoder_cut_keeps_its_leading_bos_and_the_last_tokens():
    full, special = tokenized([1, 10, 11, 12, 13, 14], [True, False, False, False, False, False])
    cut = _cut(full, 4, keep_last=True, special=special)
    assert cut.token_ids.tolist() == [1, 12, 13, 14] and cut.dropped_tokens == 2
    plain = _cut(full, 4, keep_last=True)
    assert plain.token_ids.tolist() == [11, 12, 13, 14]


def test_an_unknown_token_at_the_end_is_text_not_frame(wordpiece_tokenizer):
    enc = wordpiece_tokenizer("the king 🐉", return_offsets_mapping=True)
    ids, offsets = enc["input_ids"], np.asarray(enc["offset_mapping"])
    mask = special_mask(wordpiece_tokenizer, ids, offsets)
    assert wordpiece_tokenizer.convert_ids_to_tokens(ids)[-2] == "[UNK]"
    assert mask.tolist() == [True, False, False, False, True]  # [CLS] the king [UNK] [SEP]


def test_counts_and_rows_leave_special_tokens_out():
    offsets = np.array([[0, 0], [0, 3], [4, 8], [0, 0]])
    special = np.array([True, False, False, True])
    counts = vt.count("the king", offsets, special)
    assert (counts.tokens, counts.special) == (4, 2) and counts.chars_per_token == pytest.approx(4.0)
    rows = vt.token_rows(["[CLS]", "the", "king", "[SEP]"], [101, 1, 2, 102], [b""] * 4, offsets, "zh", special)
    assert [r["字符范围"] for r in rows] == ["特殊词元", "0–3", "4–8", "特殊词元"]
    note = vt.special_note(["[CLS]", "the", "king", "[SEP]"], special, "en")
    assert "2 of them special" in note and "`[CLS]`, `[SEP]`" in note
    assert vt.special_note(["a"], np.array([False]), "en") == ""


def test_the_length_chart_says_which_counts_include_special_tokens():
    fig = vt.length_figure({"TinyTales": vt.Counts(10, 10, 3, 0), "MiniLM": vt.Counts(10, 10, 5, 0, 2)}, "en")
    assert list(fig.data[2].text) == ["3", "5 (with 2 special)"]
    assert list(fig.data[2].y) == [3, 5]
    zh = vt.length_figure({"MiniLM": vt.Counts(10, 10, 5, 0, 2)}, "zh")
    assert list(zh.data[2].text) == ["5（含 2 个特殊词元）"]


def test_the_tokens_page_counts_the_part_of_a_long_prompt_it_shows():
    prompt = " ".join(["the king and the queen sat on a mat in the wood"] * 300)  # ~3,300 tokens
    at = run_page("pages/1_tokens.py", lang="en", model="tinytales", prompt=prompt)
    assert not at.exception and not at.error
    notice = next(m.value for m in at.markdown if "reads only the end" in m.value)
    chars = int(re.search(r"\*\*(\d+) characters\*\*", notice).group(1))
    assert chars < len(prompt)
    table = at.dataframe[0].value
    ends = [int(span.split("–")[1]) for span in table["characters"]]
    assert max(ends) == chars  # the spans and the count describe the same text


def test_a_long_minilm_prompt_keeps_its_sep_in_chinese():
    at = run_page("pages/1_tokens.py", lang="zh", model="minilm", prompt="word " * 700)
    assert not at.exception and not at.error
    notice = next(m.value for m in at.markdown if "只读取你的提示词的开头部分" in m.value)
    assert "`[CLS]`、`[SEP]`" in notice
    table = at.dataframe[0].value
    assert table["词元"].iloc[0] == "[CLS]" and table["词元"].iloc[-1] == "[SEP]"
    assert table["字符范围"].iloc[-1] == "特殊词元"


# --- token text (item 13) -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["`", "``", "a`b", "·the", "<e2 80>", "x`"])
def test_inline_code_survives_backticks(text):
    html = MarkdownIt("commonmark").render(f"token **{code(text)}** (ID 64)")
    assert html.count("<code>") == 1
    assert re.search(r"<code>(.*)</code>", html).group(1) == text.replace("<", "&lt;").replace(">", "&gt;")


def test_a_byte_piece_keeps_the_space_between_its_bytes():
    assert visible("<e2 80>") == "<e2 80>" and visible("<e4 bd>") == "<e4 bd>"
    assert token_labels([" a", "<e2 80>"]) == ["0:·a", "1:<e2 80>"]
    assert "&lt;e2 80&gt;" in vt.chips_html(["<e2 80>"], [5])
    assert visible("a b") == "a·b"  # a real space in text is still shown


def test_a_backtick_token_reads_as_code_on_the_tokens_page():
    at = run_page("pages/1_tokens.py", lang="en", model="tinytales", prompt="<script>alert(1)</script> `")
    assert not at.exception and not at.error
    onehot = next(m.value for m in at.markdown if "is **one-hot**" in m.value)
    assert "**`` ` ``**" in onehot and "```" not in onehot


# --- numbers in sentences (item 27) ---------------------------------------------------------------------------


def test_numbers_in_sentences_use_a_minus_sign_and_no_e_notation():
    assert num(-0.316) == "−0.316" and num(0.5) == "0.500" and num(-0.0001) == "0.000"
    assert sci(0) == "0" and sci(3e-8) == "3.0×10⁻⁸" and sci(-2.5e-7) == "−2.5×10⁻⁷" and sci(0.25) == "0.25"
    for value in [0.0, 1e-9, -3e-6, 0.02, 4.0]:
        assert "e" not in sci(value) and "-" not in sci(value)


MY_LESSONS = ("tokens", "embeddings", "positions", "pipeline")


def test_my_lessons_leave_number_formatting_to_the_page():
    import importlib

    for lesson in MY_LESSONS:
        for key, pair in importlib.import_module(f"lessons.{lesson}").TEXT.items():
            for text in pair:
                assert not re.search(r"\{\w+:\.\d+e\}", text), key  # "0.0e+00"
                assert not re.search(r"\b[aA] \{\w+(:[^}]*)?\}", text), key  # "a 8,192-row", "a 18 × 256"


def test_no_english_sentence_puts_a_before_a_number():
    for key, (en, _) in catalog().items():
        filled = re.sub(r"\{[^}]*\}", "8", en)
        assert not re.search(r"\ba (8|18|11)\b", filled), key


def test_the_positions_page_writes_signs_differences_and_the_similarity_scale():
    at = run_page("pages/3_positions.py", lang="en", model="tinytales")
    assert not at.exception and not at.error
    text = visible_text(at)
    assert "−0.225" in text  # TinyTales' positions 0 and 1
    assert not re.search(r"(?<![\w.^(])-\d", text.replace("2i+1", ""))  # no hyphen-minus before a number
    assert "e+0" not in text and "e-0" not in text
    assert "(about 0: unrelated)" not in text and "1 would mean the same directions" in text


# --- sentences that fit the model (item 15) and Chinese wording (item 29) -------------------------------------


def test_tinytales_sentences_stay_off_minilm_pages():
    tokens = visible_text(run_page("pages/1_tokens.py", lang="en", model="minilm"))
    assert "`·the` and `the` are different tokens" not in tokens
    assert "WordPiece drops them" in tokens
    assert "WordPiece lower-cases" not in tokens and "MiniLM (all-MiniLM-L6-v2) also lower-cases" in tokens
    embeddings = visible_text(run_page("pages/2_embeddings.py", lang="en", model="minilm"))
    assert "switch the model to MiniLM" not in embeddings and "switch the model to TinyTales" in embeddings
    positions = visible_text(run_page("pages/3_positions.py", lang="en", model="minilm"))
    assert "TinyTales started from these sinusoids" not in positions
    assert "what MiniLM (all-MiniLM-L6-v2) ended up with" in positions


def test_chinese_minilm_tokens_page_explains_wordpiece():
    text = visible_text(run_page("pages/1_tokens.py", lang="zh", model="minilm"))
    assert "WordPiece 会丢掉空格" in text and "`·the` 和 `the` 是不同的词元" not in text
    assert "转成小写" in text


def test_the_chinese_positions_page_has_no_english_dash_and_says_where_tinytales_started():
    text = visible_text(run_page("pages/3_positions.py", lang="zh", model="tinytales-zh"))
    assert "**《Attention Is All You Need》中的正弦位置编码**：PE" in text
    assert "》中的正弦位置编码** —" not in text
    assert "TinyTales 中文 的位置表从缩小后的这些正弦编码开始" in text


def test_position_init_is_read_from_the_training_record(tmp_path):
    assert position_init(SimpleNamespace(source=str(WEIGHTS / "tinytales"))) == "sinusoidal"
    (tmp_path / "training_record.json").write_text(json.dumps({"config": {"position_init": "random"}}))
    assert position_init(SimpleNamespace(source=str(tmp_path))) == "random"
    assert position_init(SimpleNamespace(source="")) is None
    assert position_init(SimpleNamespace(source="org/name")) is None


def test_tokenizer_notes_name_lower_casing_only_where_the_tokenizer_does_it(bpe_tokenizer, wordpiece_tokenizer):
    assert lowercases(wordpiece_tokenizer) and not lowercases(bpe_tokenizer)
    notes = vt.tokenizer_notes({"A": "byte-level", "B": "wordpiece"}, ["B"], "en")
    assert "256 byte tokens" in notes and "`##`" in notes and "B also lower-cases" in notes
    assert "lower-case" not in vt.tokenizer_notes({"A": "byte-level", "C": "wordpiece"}, [], "en")
    zh = vt.tokenizer_notes({"A": "byte-level", "B": "byte-level"}, [], "zh")
    assert zh.count("字节级 BPE") == 1  # one sentence per scheme


def test_the_overview_names_the_embedding_stage_as_its_lesson_does():
    titles = [stage.title for stage in pipeline.stages(synthetic_trace(), None, "zh")]
    assert "嵌入" in titles and "输入嵌入" not in titles
    assert t("embeddings.title", "zh").startswith("嵌入")


def test_the_wordpiece_try_this_happens_on_minilm():
    """Tokens "Try this" on MiniLM: spaces change nothing, a rare word shows ##-pieces, an emoji is [UNK];
    Embeddings "Try this": ·king picked on MiniLM is ·king on TinyTales."""
    from model import load_model, trace
    from ui.state import same_token

    minilm, tinytales = load_model("minilm"), load_model("tinytales")
    assert trace(minilm, "the cat").token_ids.tolist() == trace(minilm, "  the   cat").token_ids.tolist()
    rare = trace(minilm, "antidisestablishmentarianism 🐉").tokens
    assert rare[1] == "anti" and sum(tok.startswith("##") for tok in rare) >= 3 and "[UNK]" in rare
    page = visible_text(run_page("pages/1_tokens.py", lang="en", model="minilm", prompt="antidisestablishmentarianism"))
    assert "##dis" in page
    king = trace(minilm, "The king and the queen").tokens
    assert king[2] == "king"
    after = trace(tinytales, "The king and the queen").tokens
    assert after[same_token(king, 2, after)] == " king"
