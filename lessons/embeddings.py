"""Lesson 2 — embeddings."""

TEXT = {
    "embeddings.title": ("Embeddings: from token IDs to vectors", "嵌入（Embedding）：从 token ID 到向量"),
    "embeddings.what": (
        "The model turns each token ID into a **vector** — a list of d numbers — by looking up one row of the "
        "**embedding matrix**, which has one row per entry of the **vocabulary**. In matrix terms: one-hot vector × "
        "embedding matrix = that row. The numbers are learned in training: tokens used in similar ways end up with "
        "vectors pointing in similar directions, measured by **cosine similarity** "
        "(1 = same direction, 0 = unrelated, −1 = opposite).",
        "模型把每个 token ID 变成一个**向量**——一串 d 个数字——方法是在**嵌入矩阵**中取出一行；"
        "嵌入矩阵中**词表**的每个条目各占一行。用矩阵的话说：独热编码（one-hot encode）向量 × 嵌入矩阵 = 那一行。"
        "这些数字是训练中学到的：用法相近的词元（token），向量方向也相近，用**余弦相似度**衡量"
        "（1 = 方向相同，0 = 无关，−1 = 方向相反）。",
    ),
    "embeddings.notice": (
        "{model} keeps an embedding matrix of **{vocab:,} rows × {d} columns** ({params:,} learned numbers). "
        "Your {tokens} tokens use {unique} different rows, so the model receives a table of {tokens} × {d} numbers. {pairs}",
        "{model} 的嵌入矩阵有 **{vocab:,} 行 × {d} 列**（共 {params:,} 个学到的数字）。"
        "你的 {tokens} 个词元用到其中 {unique} 个不同的行，所以模型收到的是一张 {tokens} × {d} 的表。{pairs}",
    ),
    "embeddings.notice.pairs": (
        "Of two different tokens in your prompt, **{a}** and **{b}** point most the same way (cosine {hi}); "
        "**{c}** and **{e}** least ({lo}).",
        "在提示词中两个不同的词元里，**{a}** 与 **{b}** 方向最接近（余弦相似度 {hi}）；"
        "**{c}** 与 **{e}** 最不接近（{lo}）。",
    ),
    "embeddings.notice.no_pairs": (
        "Every token here is the same ID; add a different word to compare two vectors.",
        "这里所有词元的 ID 都相同；再加一个不同的词，就能比较两个向量。",
    ),
    "embeddings.try": (
        'Write "The king and the queen" as the prompt, pick `·king` below and read its nearest neighbours. '
        "Then switch the model to MiniLM and compare: two models, two different learned maps.",
        "把提示词写成“The king and the queen”，在下面选择 `·king`，看它的最近邻。"
        "再把模型切换到 MiniLM 比较一下：两个模型学到的是两张不同的“地图”。",
    ),
    "embeddings.try@zh": (
        "Put `说道` (“said”) in the prompt and pick it below: its nearest neighbours include `答道`, `叫道` and `奏道` (“replied”, “cried”, “reported to the throne”) — other ways to say “said”, learned from text alone. `宝玉` sits next to `宝钗` and `黛玉道`. Then switch the model to MiniLM and compare.",
        "在提示词里写上 `说道`，在下面选中它：它的最近邻里有 `答道`、`叫道`、`奏道`——都是“说”的不同说法，全是从文字中学来的。`宝玉` 的旁边则是 `宝钗` 和 `黛玉道`。再把模型切换到 MiniLM 比较一下。",
    ),
    "embeddings.try.wordpiece": (
        'Write "The king and the queen" as the prompt, pick `king` below and read its nearest neighbours. '
        "Then switch the model to TinyTales and compare (there the token is `·king`, with its space): two models, "
        "two different learned maps.",
        "把提示词写成“The king and the queen”，在下面选择 `king`，看它的最近邻。"
        "再把模型切换到 TinyTales 比较一下（在那里这个词元是带空格的 `·king`）：两个模型学到的是两张不同的“地图”。",
    ),
    "embeddings.barely": (
        "{n} of the prompt's {total} tokens ({tokens}) are rows that training hardly ever updated: each points "
        "almost exactly the way some other row does (cosine above 0.999), so their similarities below say nothing "
        "about how the tokens are used: this model rarely saw such text.",
        "提示词的 {total} 个词元中有 {n} 个（{tokens}）对应的矩阵行几乎没被训练更新过：每一行都与另外某一行几乎同向"
        "（余弦相似度高于 0.999），所以下面关于它们的相似度说明不了这些词元的用法：这个模型很少见到这类文字。",
    ),
    "embeddings.barely.zh": (
        "For Chinese text, pick the model TinyTales 中文, which was trained on Chinese.",
        "中文文本请选择模型 TinyTales 中文——它是用中文训练的。",
    ),
    "embeddings.pick": ("Token to look at", "选择要查看的词元"),
    # lookup
    "embeddings.lookup": ("Lookup: one-hot × embedding matrix = one row", "查表：独热编码 × 嵌入矩阵 = 矩阵的一行"),
    "embeddings.lookup.explain": (
        "Token **{token}** has ID {id}. Its one-hot vector has a single 1 at position {id}; multiplying it by the "
        "{vocab:,} × {d} matrix keeps row {id} and drops every other row. Below: rows {lo}–{hi} of the real "
        "matrix, and row {id} drawn as {d} bars.",
        "词元 **{token}** 的 ID 是 {id}。它的独热向量只在第 {id} 位是 1；用它乘以 {vocab:,} × {d} 的嵌入矩阵，"
        "只留下第 {id} 行，其余各行都被乘以 0。下图：真实矩阵的第 {lo}–{hi} 行，以及用 {d} 根柱子画出的第 {id} 行。",
    ),
    "embeddings.lookup.check": (
        "Check: row {id} of the matrix and the vector the model used for this token differ by at most {gap}.",
        "核对：矩阵第 {id} 行与模型对这个词元实际使用的向量，最大差值为 {gap}。",
    ),
    "embeddings.lookup.title": (
        "{token} (id {id}) → row {id} of the embedding matrix",
        "{token}（id {id}）→ 嵌入矩阵第 {id} 行",
    ),
    "embeddings.lookup.onehot": ("one-hot", "独热"),
    "embeddings.lookup.matrix": ("embedding matrix, rows near the id", "嵌入矩阵中该 id 附近的几行"),
    "embeddings.lookup.row": ("row {id}: the token's vector", "第 {id} 行：这个词元的向量"),
    # the prompt as vectors
    "embeddings.heatmap": ("Your prompt as a table of vectors", "提示词变成一张向量表"),
    "embeddings.heatmap.title": (
        "Token embeddings: {tokens} tokens × {d} dimensions",
        "词元嵌入：{tokens} 个词元 × {d} 维",
    ),
    "embeddings.heatmap.explain": (
        "One row per token, one column per dimension: red positive, blue negative. The same ID always gives the "
        "same row, wherever it stands — where it stands comes in the next lesson.",
        "每个词元一行，每个维度一列：红色为正，蓝色为负。同一个 ID 无论出现在哪里都得到同一行——“在哪里”是下一课的内容。",
    ),
    # PCA map
    "embeddings.pca": ("A map: your tokens among common words", "一张地图：你的词元与常见词"),
    "embeddings.pca.explain": (
        "The {d}-dimensional vectors squashed to 2D by PCA (principal component analysis), fitted on {n} common "
        "words — whole words of 3+ letters with the lowest IDs. The two directions keep {share:.0f}% of those words' "
        "variance, so this map is only a rough picture; the similarities below use all {d} dimensions.",
        "用主成分分析（PCA）把 {d} 维向量投影到二维；投影方向由 {n} 个常见词求得——ID 最小、3 个字母以上的整词。"
        "这两个方向只保留了这些词 {share:.0f}% 的方差，所以这张图只是个粗略的样子；下面的相似度用的是全部 {d} 维。",
    ),
    "embeddings.pca.explain@zh": (
        "The {d}-dimensional vectors squashed to 2D by PCA (principal component analysis), fitted on {n} common "
        "words — tokens of two or more Chinese characters with the lowest IDs. The two directions keep {share:.0f}% "
        "of those words' variance, so this map is only a rough picture; the similarities below use all {d} dimensions.",
        "用主成分分析（PCA）把 {d} 维向量投影到二维；投影方向由 {n} 个常见词求得——ID 最小、由两个或更多汉字组成的词元。"
        "这两个方向只保留了这些词 {share:.0f}% 的方差，所以这张图只是个粗略的样子；下面的相似度用的是全部 {d} 维。",
    ),
    "embeddings.pca.none": (
        "This vocabulary has no whole English words of 3+ letters to draw a map with.",
        "这个词表里没有 3 个字母以上的英文整词，无法画出地图。",
    ),
    "embeddings.pca.title": ("Your tokens on the PCA map of {n} common words", "你的词元在 {n} 个常见词的 PCA 地图上"),
    "embeddings.pca.axis": ("PCA direction {n} ({share:.1f}% of variance)", "PCA 方向 {n}（占方差 {share:.1f}%）"),
    "embeddings.pca.words": ("common words", "常见词"),
    "embeddings.pca.prompt": ("your tokens", "你的词元"),
    # nearest neighbours
    "embeddings.neighbours": ("Nearest neighbours in the whole vocabulary", "整个词表中的最近邻"),
    "embeddings.neighbours.explain": (
        "The {k} vocabulary entries whose vectors have the highest cosine similarity to **{token}**, "
        "among all {vocab:,} (the token itself left out).",
        "在全部 {vocab:,} 个词表条目中，与 **{token}** 的向量余弦相似度最高的 {k} 个（不含它自己）。",
    ),
    "embeddings.neighbours.title": ("Nearest neighbours of {token} (top {n})", "{token} 的最近邻（前 {n} 个）"),
    "embeddings.neighbours.axis": ("vocabulary entry", "词表条目"),
    "embeddings.col.rank": ("rank", "排名"),
    "embeddings.col.token": ("token", "词元"),
    "embeddings.col.id": ("token ID", "token ID"),
    # similarity in the prompt
    "embeddings.similarity": ("Which tokens of your prompt point the same way?", "提示词中哪些词元方向相近？"),
    "embeddings.similarity.title": ("Cosine similarity of the token embeddings", "词元嵌入之间的余弦相似度"),
    "embeddings.similarity.explain": (
        "Every pair of tokens in your prompt. The diagonal is 1 (each token with itself); a repeated token also "
        "scores 1 with its copy, since both are the same row.",
        "提示词中每一对词元。对角线是 1（每个词元与自己）；重复出现的词元与它的副本也是 1，因为它们是同一行。",
    ),
    "embeddings.colour_cap": ("value<br>(colour capped<br>at ±{cap:.3g})", "数值<br>（颜色上限<br>±{cap:.3g}）"),
    # hover
    "embeddings.hover.vector": ("%{y}<br>dimension %{x}<br>value %{z:.6g}", "%{y}<br>维度 %{x}<br>数值 %{z:.6g}"),
    "embeddings.hover.similarity": ("%{y} · %{x}<br>cosine %{z:.6f}", "%{y} · %{x}<br>余弦相似度 %{z:.6f}"),
    "embeddings.hover.bar": ("dimension %{x}: %{y:.6g}", "维度 %{x}：%{y:.6g}"),
    "embeddings.hover.pca": (
        "%{text}<br>PCA 1: %{x:.4f}<br>PCA 2: %{y:.4f}",
        "%{text}<br>PCA 1：%{x:.4f}<br>PCA 2：%{y:.4f}",
    ),
    "embeddings.hover.neighbour": ("%{y}<br>cosine %{x:.6f}", "%{y}<br>余弦相似度 %{x:.6f}"),
}
