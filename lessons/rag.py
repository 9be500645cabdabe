"""Sentences of the lesson "retrieval-augmented generation" (English, 中文); terms from the glossary."""

TEXT = {
    "page.rag": ("10 · Retrieval (RAG)", "10 · 检索增强生成"),
    "rag.title": (
        "Retrieval-augmented generation: look it up, put it in the prompt, let the model copy",
        "检索增强生成：先查找，再放进提示词，让模型照着抄",
    ),
    "home.lesson.rag": (
        "Chunk a knowledge base, retrieve for a question, add what was found to the prompt: what the model's next "
        "token does with and without it, and which heads copy it.",
        "把知识库分块，为一个问题检索，再把找到的内容加进提示词：模型的下一个词元有它和没它时有何不同，又是哪些头在照抄。",
    ),
    "rag.encoder": (
        "{model} is an encoder: this lesson feeds retrieved text to a decoder that continues the prompt. Choose "
        "TinyTales or TinyTales 中文.",
        "{model} 是编码器：本课把检索到的文本交给一个续写提示词的解码器。请选择 TinyTales 或 TinyTales 中文。",
    ),
    "rag.what": (
        "A language model knows only the text it was trained on: none of its books mention the island of Mirrow. "
        "**Retrieval-augmented generation (RAG)** works in three stages: **retrieve** passages relevant to the "
        "question from a **knowledge base** (usually by vector search), **augment** the prompt by adding them as "
        "plain text, and **generate** from that prompt. A 5-million-parameter story model cannot answer questions, "
        "but it can continue a sentence by copying from its context, so the questions here are sentences to "
        "finish, and the measure is the probability of the answer's first token.",
        "语言模型只知道训练时读过的文本：它读过的书里没有米洛岛。**检索增强生成（RAG）** 分三步：从**知识库**里"
        "**检索**与问题相关的段落（通常用向量检索），把它们作为普通文本加进提示词来**增强**它，再从这个提示词**生成**。"
        "一个五百万参数的故事模型不会回答问题，但它能照着上下文把一句话续写下去，所以这里的问题都是待续写的句子，"
        "衡量的是答案第一个词元（token）的概率。",
    ),
    "rag.notice": (
        "On {model}, after “{question}” alone, {token} has a probability of **{without}**.",
        "在 {model} 上，只有“{question}”时，{token} 的概率是 **{without}**。",
    ),
    "rag.notice.with": (
        " With the {chunks} retrieved chunks in front of it: **{with_}** (×{lift}).",
        "前面加上检索到的 {chunks} 个文本块后：**{with_}**（×{lift}）。",
    ),
    "rag.notice.head": (
        " Head **{head}** puts {share:.2f} of its attention on that token in the passage.",
        "注意力头 **{head}** 把 {share:.2f} 的注意力放在段落里的这个词元上。",
    ),
    "rag.notice.none": (
        "Give the lesson a knowledge base and a question: the numbers appear here.",
        "给本课一个知识库和一个问题，这里就会出现数字。",
    ),
    "rag.try": (
        "Keep the lighthouse question: TinyTales gives `·green` **0.086%** alone and **8.3%** with the three "
        "retrieved chunks (×96), and head L3H2 puts 0.82 of its attention on the `·green` in the passage. Pick the "
        "market question: only ×2, because the passage says “Every Tuesday the people…” — no words before Tuesday "
        "repeat the end of the question, so there is nothing to copy. Then, in the position experiment, turn on "
        "the wrong chunk: with the true passage first, `·red` wins with **72%** — the model copies the nearest "
        "match, not the truth.",
        "保持灯塔的问题：TinyTales 只看问题时给 `·green` **0.086%**，加上检索到的三个文本块后是 **8.3%**（×96），"
        "注意力头 L3H2 把 0.82 的注意力放在段落里的 `·green` 上。再选集市的问题：只有 ×2，因为段落写的是"
        "“Every Tuesday the people…”——Tuesday 前面没有哪几个词和问题的结尾相同，也就没什么可抄。最后在位置实验里"
        "打开错误的文本块：真段落放在最前时，`·red` 以 **72%** 胜出——模型抄的是离得最近的匹配，而不是真相。",
    ),
    "rag.try@zh": (
        "Keep the lighthouse question: on TinyTales 中文, 绿 goes from **0.071%** alone to **45.2%** with the three "
        "retrieved chunks (×635), and head L3H2 puts 0.94 of its attention on the 绿 in the passage: it copies, "
        "through its induction head (lesson 7: 0.91). Pick the other questions: every one rises at least ×290.",
        "保持灯塔问题：在 TinyTales 中文上，只看问题时“绿”的概率是 **0.071%**，加上检索到的三个文本块后是 "
        "**45.2%**（×635），注意力头 L3H2 把 0.94 的注意力放在段落里的“绿”上：它在照抄，靠的是它的归纳头"
        "（第 7 课：0.91）。换成其他问题：每一个都至少升高 290 倍。",
    ),
    # 1 · knowledge base
    "rag.kb": ("1 · The knowledge base", "1 · 知识库"),
    "rag.kb.source": ("Documents", "文档"),
    "rag.kb.world": ("The island of Mirrow (bundled)", "米洛岛（自带）"),
    "rag.kb.paste": ("Paste a text", "粘贴一段文本"),
    "rag.kb.upload": ("Upload a .txt or .md file", "上传 .txt 或 .md 文件"),
    "rag.kb.world.about": (
        "{n} short documents about a made-up island, written for this app: no book the models read mentions it.",
        "{n} 篇关于一座虚构小岛的短文，为本应用而写：模型读过的书里都没有它。",
    ),
    "rag.kb.paste.label": ("Your text (at most 50,000 characters)", "你的文本（最多 50,000 个字符）"),
    "rag.kb.upload.label": ("A UTF-8 text file, at most 50 KB", "一个 UTF-8 文本文件，最大 50 KB"),
    "rag.kb.pasted": ("Your text", "你的文本"),
    "rag.kb.empty": (
        "The knowledge base is empty: paste or upload some text, or choose the island of Mirrow.",
        "知识库是空的：请粘贴或上传一些文本，或者选择米洛岛。",
    ),
    "rag.kb.upload.none": (
        "Upload a .txt or .md file to use as the knowledge base.",
        "请上传一个 .txt 或 .md 文件作为知识库。",
    ),
    "rag.kb.too_big": (
        "This file has {kb} KB; the lesson takes at most {most} KB. Upload a shorter file, or paste a part of it.",
        "这个文件有 {kb} KB；本课最多接受 {most} KB。请上传更短的文件，或粘贴其中一部分。",
    ),
    "rag.kb.not_utf8": (
        "“{name}” is not UTF-8 text. Save it as UTF-8 (plain text) and upload it again.",
        "“{name}”不是 UTF-8 文本。请把它另存为 UTF-8 纯文本后重新上传。",
    ),
    # 2 · chunking
    "rag.chunking": ("2 · Chunking", "2 · 分块"),
    "rag.by": ("Cut by", "按什么切分"),
    "rag.by.chars": ("characters", "字符"),
    "rag.by.sentences": ("sentences", "句子"),
    "rag.by.words": ("words", "词"),
    "rag.size": ("Chunk size ({unit})", "文本块大小（{unit}）"),
    "rag.overlap": ("Overlap ({unit})", "重叠（{unit}）"),
    "rag.overlap.none": (
        "One sentence a chunk: no overlap is possible.",
        "每个文本块一句话：无法重叠。",
    ),
    "rag.chunks.count": (
        "**{n} chunks** from {docs} documents, on average {chars:.0f} characters and {tokens:.0f} tokens each.",
        "从 {docs} 篇文档切出 **{n} 个文本块**，平均每块 {chars:.0f} 个字符、{tokens:.0f} 个词元。",
    ),
    "rag.chunks.legend": (
        "Neighbouring chunks alternate blue and orange; a striped, underlined stretch belongs to two chunks (their "
        "overlap), so a fact cut at a boundary is still whole in one of them. #n is the chunk's number.",
        "相邻的文本块交替用蓝色和橙色；带条纹和下划线的部分同时属于两个文本块（即重叠），这样在边界处被切开的事实"
        "仍能完整地留在其中一块里。#n 是文本块的编号。",
    ),
    # 3 · retrieval
    "rag.retrieval": ("3 · Retrieval", "3 · 检索"),
    "rag.q": (
        "Question (a sentence for the model to finish → the answer in the text)",
        "问题（让模型续写的句子 → 文中的答案）",
    ),
    "rag.q.own": ("Your own…", "自己输入……"),
    "rag.ask": ("Your sentence to finish", "你要续写的句子"),
    "rag.answer": ("Expected answer (optional)", "期望的答案（可选）"),
    "rag.answer.help": (
        "The word that should come next. Left empty, the lesson follows the token the model likes best with the "
        "retrieved text.",
        "接下来应该出现的词。留空时，本课跟踪模型在有检索文本时最想写的那个词元。",
    ),
    "rag.ask.empty": (
        "The question is empty: type a sentence for the model to continue.",
        "问题是空的：请输入一句让模型续写的话。",
    ),
    "rag.answer.top": (
        "No answer given: following {token}, the model's top next token with the retrieved text.",
        "没有给出答案：跟踪 {token}，即模型在有检索文本时最可能的下一个词元。",
    ),
    "rag.method": ("Search", "检索方式"),
    "rag.method.dense": ("dense (MiniLM vectors)", "稠密检索（MiniLM 向量）"),
    "rag.method.bm25": ("sparse (BM25 words)", "稀疏检索（BM25）"),
    "rag.method.hybrid": ("hybrid (both, rank fusion)", "混合（两者按排名融合）"),
    "rag.k": ("Chunks to retrieve (k)", "检索的文本块数（k）"),
    "rag.zh_dense": (
        "MiniLM is an English model, so dense retrieval is weak on Chinese; BM25 over jieba's words does better. "
        "On twelve questions about Mirrow the retrieval tests measured 3 of 12 right for dense, 10 of 12 for BM25.",
        "MiniLM 是英文模型，所以稠密检索在中文上很弱；基于结巴分词的 BM25 好得多。在关于米洛岛的十二个问题上，"
        "检索测试量得：稠密检索答对 3 个，BM25 答对 10 个。",
    ),
    "rag.embedding": ("Embedding {n} chunks with MiniLM…", "正在用 MiniLM 为 {n} 个文本块计算句向量……"),
    "rag.col.rank": ("rank", "排名"),
    "rag.col.chunk": ("chunk", "文本块"),
    "rag.col.score": ("score", "分数"),
    "rag.col.doc": ("document", "文档"),
    "rag.col.text": ("text", "文本"),
    "rag.none_found": (
        "BM25 found no chunk sharing a word with the question: the prompt is the question alone. Try dense or hybrid.",
        "BM25 没有找到与问题有共同词语的文本块：提示词只有问题本身。试试稠密检索或混合检索。",
    ),
    "rag.compare": (
        "The same question through all three searches (dense: cosine similarity; BM25: word-match score; hybrid: "
        "reciprocal-rank fusion):",
        "同一个问题分别用三种方式检索（稠密：余弦相似度；BM25：词语匹配分数；混合：倒数排名融合）：",
    ),
    # 4 · map
    "rag.map": ("4 · The map of the chunks", "4 · 文本块地图"),
    "rag.map.title": (
        "Chunk embeddings (MiniLM) on their first two principal axes",
        "文本块的句向量（MiniLM）在前两个主成分上",
    ),
    "rag.map.x": ("first principal axis ({share} of the variance)", "第一主成分（占方差 {share}）"),
    "rag.map.y": ("second principal axis ({share} of the variance)", "第二主成分（占方差 {share}）"),
    "rag.map.chunks": ("chunk", "文本块"),
    "rag.map.retrieved": ("retrieved (rank)", "检索到的（排名）"),
    "rag.map.query": ("the question", "问题"),
    "rag.map.hover": (
        "rank %{customdata[0]} · #%{customdata[1]}: %{customdata[2]}",
        "排名 %{customdata[0]} · #%{customdata[1]}：%{customdata[2]}",
    ),
    "rag.map.caution": (
        "Principal component analysis (PCA) keeps only two of 384 directions, so distances on this 2-D map "
        "mislead: a ringed chunk may look far from the question. The ranks come from the full scores of the "
        "chosen search, not from the map. Search: {method}.",
        "主成分分析（PCA）二维投影只保留了 384 个方向中的两个，所以这张图上的距离会误导人：带圈的文本块看上去"
        "可能离问题很远。排名来自所选检索方式的完整分数，而不是这张图。当前检索方式：{method}。",
    ),
    # 5 · augmentation
    "rag.augment": ("5 · Augmentation: the prompt the model reads", "5 · 增强：模型读到的提示词"),
    "rag.tokens": (
        "This is exactly what {model} reads: {chunks} chunks, then the question, **{n} tokens** of a context "
        "window of {context}.",
        "这正是 {model} 读到的内容：{chunks} 个文本块，然后是问题，共 **{n} 个词元**，上下文窗口是 {context}。",
    ),
    "rag.cut": (
        "{n} chunk(s) did not fit and were left out, least relevant first: {ranks}.",
        "有 {n} 个文本块放不下，按相关性从低到高被去掉了：{ranks}。",
    ),
    "rag.question_cut": (
        "The question alone has {n} tokens, over the model's {context}: it reads only its last {context}.",
        "问题本身就有 {n} 个词元，超过了模型的 {context}：它只读最后 {context} 个。",
    ),
    # 6 · generation
    "rag.generate": ("6 · Generation with and without the retrieved text", "6 · 有检索文本与没有检索文本时的生成"),
    "rag.bars.title": ("Next token after “{question}”", "“{question}”之后的下一个词元"),
    "rag.bars.without": ("the question alone", "只有问题"),
    "rag.bars.with": ("with the retrieved chunks", "加上检索到的文本块"),
    "rag.lift": (
        "The answer's first token {token}: **{without}** without the chunks, **{with_}** with them — ×{lift}.",
        "答案的第一个词元 {token}：没有文本块时 **{without}**，有文本块时 **{with_}**——×{lift}。",
    ),
    "rag.copy.title": (
        "Attention from the last token onto “{token}” in the passage, per head",
        "每个头从最后一个词元投向段落中“{token}”的注意力",
    ),
    "rag.copy.top": (
        "**{head}** looks hardest at {token} in the retrieved text: {share:.2f} of its attention. That is how this "
        "model copies: an induction head finds where the last words appeared before and looks at what came next. "
        "In lesson 7 its induction score is {ind:.2f}.",
        "**{head}** 最用力地看检索文本中的 {token}：它 {share:.2f} 的注意力在那里。这个模型就是这样照抄的：归纳头"
        "找到最后几个词上一次出现的位置，再看紧跟其后的是什么。在第 7 课里，它的归纳得分是 {ind:.2f}。",
    ),
    "rag.copy.weak": (
        "**{head}** looks hardest at {token} in the retrieved text: {share:.2f} of its attention. But its induction "
        "score in lesson 7 is only {ind:.2f}: looking is not copying, and an induction head is what copies what "
        "came next.",
        "**{head}** 最用力地看检索文本中的 {token}：它 {share:.2f} 的注意力在那里。但它在第 7 课里的归纳得分只有 "
        "{ind:.2f}：看见不等于照抄，能把“紧跟其后的内容”抄过来的是归纳头。",
    ),
    "rag.copy.link": ("Lesson 7: induction heads in the head lab", "第 7 课：注意力头实验室里的归纳头"),
    "rag.copy.none": (
        "The answer's first token {token} is not in the prompt: there is nothing to copy.",
        "答案的第一个词元 {token} 不在提示词里：没有什么可抄的。",
    ),
    "rag.loo.title": (
        "Leave one out: the answer's probability with each chunk dropped",
        "留一法：依次去掉每个文本块后答案的概率",
    ),
    "rag.loo.x": ("chunk dropped (rank, text)", "去掉的文本块（排名、文本）"),
    "rag.loo.y": ("P(answer's first token)", "答案第一个词元的概率"),
    "rag.loo.all": ("all chunks: {p}", "全部文本块：{p}"),
    "rag.loo.none": ("question alone: {p}", "只有问题：{p}"),
    "rag.loo.most": (
        "Dropping chunk #{rank} hurts most: the answer falls from {full} to **{p}**. Green bars are chunks that "
        "state the answer.",
        "去掉第 {rank} 名的文本块影响最大：答案的概率从 {full} 降到 **{p}**。绿色柱子是写有答案的文本块。",
    ),
    # 7 · position
    "rag.place": ("7 · Where the passage sits", "7 · 段落放在哪里"),
    "rag.place.no_relevant": (
        "No chunk states {token}, so there is no relevant passage to move.",
        "没有哪个文本块写有 {token}，也就没有可以挪动的相关段落。",
    ),
    "rag.wrong": ("Add a distractor that states a wrong answer: “{chunk}”", "加入一个写着错误答案的干扰块：“{chunk}”"),
    "rag.place.first": ("first", "最前"),
    "rag.place.middle": ("middle", "中间"),
    "rag.place.last": ("last", "最后"),
    "rag.place.right": ("P({answer}), the right answer", "P（{answer}），正确答案"),
    "rag.place.wrong": ("P({answer}), the wrong answer", "P（{answer}），错误答案"),
    "rag.place.title": (
        "The relevant chunk first, in the middle or last among distractors",
        "相关文本块放在干扰块的最前、中间或最后",
    ),
    "rag.place.x": ("place of the relevant chunk", "相关文本块的位置"),
    "rag.place.y": ("probability", "概率"),
    "rag.place.caption": (
        "{n} distractor chunks around the relevant one (★): the best-scoring chunks that do not state the answer, "
        "and the wrong one (✗) when it is on. Large models often miss facts in the middle of a long context "
        "(“lost in the middle”); this small one mostly copies the match nearest the question.",
        "相关文本块（★）周围有 {n} 个干扰块：得分最高、但不含答案的文本块，打开开关时再加上错误的那一块（✗）。"
        "大模型常常漏掉长上下文中间的事实（“迷失在中间”）；这个小模型则主要照抄离问题最近的匹配。",
    ),
    "rag.place.show": ("Show the prompt with the relevant chunk", "显示相关文本块放在这里的提示词"),
}
