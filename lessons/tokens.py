"""Lesson 1 — tokens."""

TEXT = {
    "tokens.title": ("Tokens: how the model cuts text into pieces", "词元（token）：模型如何把文字切成小块"),
    "tokens.what": (
        "A language model never sees letters. A **tokenizer** first cuts the text into **tokens** — whole words, "
        "pieces of words, single characters or even single bytes — and replaces each by its number in the "
        "**vocabulary**, the token ID. Those numbers are all the model receives.",
        "语言模型看不到字母。**分词器**先把文字切成**词元（token）**——可能是整个单词、单词的一部分、单个字符，"
        "甚至单个字节——再把每个词元换成它在**词表**中的编号，即 token ID。模型收到的只有这些数字。",
    ),
    "tokens.notice": (
        "Your prompt has **{chars} characters**, **{bytes} bytes** (UTF-8) and **{tokens} tokens** for {model}"
        "{special}: {ratio:.1f} characters per token. {split_note}",
        "你的提示词有 **{chars} 个字符**、**{bytes} 个字节**（UTF-8），在 {model} 中是 **{tokens} 个词元**"
        "{special}：平均每个词元 {ratio:.1f} 个字符。{split_note}",
    ),
    "tokens.notice.cut_last": (
        "{model} reads only the end of your prompt: its last **{tokens} tokens**{special}, which hold **{chars} "
        "characters** and **{bytes} bytes** (UTF-8), {ratio:.1f} characters per token. This page shows that part; "
        "the character spans in the table count from its start. {split_note}",
        "{model} 只读取你的提示词的结尾部分：最后 **{tokens} 个词元**{special}，共 **{chars} 个字符**、"
        "**{bytes} 个字节**（UTF-8），平均每个词元 {ratio:.1f} 个字符。本页展示的就是这一部分，"
        "表中的字符范围从这一部分的开头算起。{split_note}",
    ),
    "tokens.notice.cut_first": (
        "{model} reads only the start of your prompt: its first **{tokens} tokens**{special}, which hold **{chars} "
        "characters** and **{bytes} bytes** (UTF-8), {ratio:.1f} characters per token. This page shows that part. "
        "{split_note}",
        "{model} 只读取你的提示词的开头部分：前 **{tokens} 个词元**{special}，共 **{chars} 个字符**、"
        "**{bytes} 个字节**（UTF-8），平均每个词元 {ratio:.1f} 个字符。本页展示的就是这一部分。{split_note}",
    ),
    "tokens.special": ("special token", "特殊词元"),
    "tokens.special.note": (
        " ({n} of them special tokens the tokenizer adds around the text: {names}; they stand for no characters)",
        "（其中 {n} 个是分词器在文字前后加上的特殊词元：{names}，不对应任何字符）",
    ),
    "tokens.split_note": (
        "{n} character(s) did not fit in one token and were cut into byte pieces — shown as `<e4 bd>`-style hex below.",
        "有 {n} 个字符无法用一个词元表示，被切成了几个字节片段——下表中以 `<e4 bd>` 这样的十六进制显示。",
    ),
    "tokens.no_split": ("Every character fits in whole tokens here.", "这里每个字符都完整地落在词元里。"),
    "tokens.try": (
        'Put a rare word ("antidisestablishmentarianism"), a Chinese sentence or an emoji in the prompt and '
        "watch the token count jump. Add a space before a word: `·the` and `the` are different tokens.",
        "在提示词里放一个生僻长词（如“antidisestablishmentarianism”）、一句中文或一个表情符号，看词元数量如何猛增。"
        "在单词前加一个空格：`·the` 和 `the` 是不同的词元。",
    ),
    "tokens.try.wordpiece": (
        "Add or remove spaces between words: WordPiece drops them, so `the` is the same token wherever it stands, "
        'and a piece that continues a word is marked `##` instead. Type a rare word ("antidisestablishmentarianism") '
        "to see the `##`-pieces, and an emoji to meet `[UNK]`, the token for characters it has never seen.",
        "在单词之间加上或删掉空格：WordPiece 会丢掉空格，所以 `the` 无论在哪里都是同一个词元；"
        "接在单词后半截的片段则用 `##` 标出。输入一个生僻长词（如“antidisestablishmentarianism”）看看 `##` 片段，"
        "再输入一个表情符号，认识 `[UNK]`——它代表分词器没见过的字符。",
    ),
    "tokens.try@zh": (
        "Type a long name such as 孙悟空 or 林黛玉: this tokenizer learned them from the novels and keeps each as one "
        'or two tokens. Then type an English word ("antidisestablishmentarianism"): it falls apart into letters, '
        "because the Chinese corpus has almost no English.",
        "输入一个长名字，比如“孙悟空”或“林黛玉”：这个分词器从小说里学过它们，只用一两个词元。再输入一个英文单词"
        "（如“antidisestablishmentarianism”）：它被拆成一个个字母，因为中文语料里几乎没有英文。",
    ),
    "tokens.chips": ("The prompt as tokens (number = token ID)", "切分后的提示词（数字为 token ID）"),
    "tokens.legend": (
        "`·` is a space, `↵` a new line, `⇥` a tab; `<e4 bd>` is a piece of a character given as raw bytes.",
        "`·` 表示空格，`↵` 表示换行，`⇥` 表示制表符；`<e4 bd>` 是某个字符的一部分，以原始字节显示。",
    ),
    "tokens.table": (
        "Every token: ID, raw bytes and where it sits in the text",
        "每个词元：ID、原始字节及其在文本中的位置",
    ),
    "tokens.col.position": ("#", "#"),
    "tokens.col.token": ("token", "词元"),
    "tokens.col.id": ("token ID", "token ID"),
    "tokens.col.bytes": ("bytes (hex)", "字节（十六进制）"),
    "tokens.col.span": ("characters", "字符范围"),
    "tokens.compare": ("The same text, three tokenizers", "同一段文字，三种分词器"),
    "tokens.compare.han": (
        "Your prompt has {n} Chinese characters. Chinese characters per token on them: {rates}. TinyTales 中文's "
        "BPE was trained on Chinese, so most of its tokens are one or two characters (a word such as 孙悟空 can be "
        "one); TinyTales' was trained on English and spells each character in two or three byte pieces.",
        "你的提示词里有 {n} 个汉字。在这些汉字上，平均每个词元包含的汉字数：{rates}。TinyTales 中文的 BPE 是在中文上训练的，"
        "所以它的词元大多是一两个字（“孙悟空”这样的词可以只是一个词元）；TinyTales 的 BPE 是在英文上训练的，每个汉字要用两三个字节片段拼出来。",
    ),
    "tokens.compare.explain": (
        "**{a}** uses {a_scheme}; **{b}** uses {b_scheme}. {how}",
        "**{a}** 使用 {a_scheme}；**{b}** 使用 {b_scheme}。{how}",
    ),
    "tokens.how.byte-level": (
        "Byte-level BPE can spell anything from its 256 byte tokens, so it never needs an unknown token; a space "
        "belongs to the token after it (`·the`).",
        "字节级 BPE 能用 256 个字节词元拼出任何文字，所以从不需要“未知词元”；空格属于它后面的那个词元（`·the`）。",
    ),
    "tokens.how.wordpiece": (
        "WordPiece drops the spaces, marks a piece that continues a word with `##`, and maps characters it has "
        "never seen to `[UNK]`.",
        "WordPiece 会丢掉空格，用 `##` 标出接在单词后半截的片段，并把没见过的字符变成 `[UNK]`。",
    ),
    "tokens.how.sentencepiece": (
        "SentencePiece keeps a space as part of the piece after it (`▁the`, shown here as `·the`).",
        "SentencePiece 把空格留在它后面的片段里（`▁the`，这里显示为 `·the`）。",
    ),
    "tokens.how.lowercase": (
        "{model} also lower-cases the text before cutting it: a setting of this model's tokenizer (an “uncased” "
        "model), not part of the scheme.",
        "{model} 还会在切分前把文字转成小写：这是这个模型的分词器的设置（uncased），不是切分方法本身的规则。",
    ),
    "tokens.scheme.byte-level": ("byte-level BPE", "字节级 BPE（字节对编码）"),
    "tokens.scheme.wordpiece": ("WordPiece", "WordPiece"),
    "tokens.scheme.sentencepiece": ("SentencePiece", "SentencePiece"),
    "tokens.scheme.plain": ("its own tokenizer", "自带的分词器"),
    "tokens.count.title": ("Length of the prompt in characters, bytes and tokens", "提示词长度：字符、字节与词元"),
    "tokens.count.characters": ("characters", "字符"),
    "tokens.count.bytes": ("bytes", "字节"),
    "tokens.count.tokens": ("tokens", "词元"),
    "tokens.count.y": ("count", "数量"),
    "tokens.count.with_special": ("{n} (with {special} special)", "{n}（含 {special} 个特殊词元）"),
    "tokens.onehot": ("From ID to one-hot vector", "从 ID 到独热编码（one-hot encode）"),
    "tokens.onehot.explain": (
        "Written as a vector, token **{token}** (ID {id}) is **one-hot**: {vocab:,} numbers, all 0 except a single 1 "
        "at position {id}. Multiplying this vector by the embedding matrix picks out one row — the next lesson.",
        "写成向量时，词元 **{token}**（ID {id}）是一个**独热编码**：{vocab:,} 个数，除了第 {id} 位是 1，其余全是 0。"
        "用它乘以嵌入矩阵，就取出了矩阵的一行——这就是下一课。",
    ),
    "tokens.onehot.pick": ("Token to show", "选择词元"),
    "tokens.onehot.title": ("One-hot vector of {token}: {vocab:,} entries", "{token} 的独热向量：共 {vocab:,} 维"),
    "tokens.onehot.x": ("position in the vocabulary (0 … {last:,})", "在词表中的位置（0 … {last:,}）"),
    "tokens.onehot.hover": ("position %{x}: %{y}", "位置 %{x}：%{y}"),
}
