"""Lesson 3 — positions."""

TEXT = {
    "positions.title": (
        "Positions: how the model knows the order",
        "位置编码（Positional Encoding）：模型如何知道词序",
    ),
    "positions.what": (
        "Attention (next lesson) compares every token with every other one, and by itself it ignores order: "
        "“dog bites man” would look like “man bites dog”. So the model is told **where** each token stands. "
        "GPT-2, TinyTales and BERT keep a **learned position embedding**: one more table, one row per position, "
        "added to the token vector. The original Transformer used a fixed **sinusoidal encoding** instead. Newer "
        "models (Llama, Qwen, Pythia) use **rotary position embedding (RoPE)**: nothing is added; the query and key "
        "vectors are rotated by angles that grow with the position.",
        "注意力（下一课）把每个词元（token）与其他所有词元作比较，但它本身不管顺序：“狗咬人”和“人咬狗”看起来一样。"
        "所以必须告诉模型每个词元**在哪里**。GPT-2、TinyTales 和 BERT 使用**可学习的位置嵌入**：再加一张表，每个位置一行，"
        "加到词元向量上。原始的 Transformer 用的则是固定的**正弦位置编码**。较新的模型（Llama、Qwen、Pythia）使用"
        "**旋转位置编码（RoPE）**：什么也不加，而是把查询（Q）和键（K）向量按随位置增长的角度旋转。",
    ),
    "positions.notice.learned": (
        "{model} uses a **learned** table of {rows} positions × {d} numbers. Position 0 and position 1 have cosine "
        "similarity {near}; position 0 and position {far}, {far_sim}. Averaged over your "
        "{tokens} tokens, a position vector is {pos_norm:.3f} long and a token vector {tok_norm:.3f}.",
        "{model} 使用一张**可学习的**位置表：{rows} 个位置 × {d} 个数字。位置 0 与位置 1 的余弦相似度是 {near}；"
        "位置 0 与位置 {far} 是 {far_sim}。在你的 {tokens} 个词元上平均，"
        "位置向量的长度是 {pos_norm:.3f}，词元向量是 {tok_norm:.3f}。",
    ),
    "positions.notice.rotary": (
        "{model} uses **RoPE** (base {base:g}, {dim} rotating dimensions per head), so nothing is added to the token "
        "vectors. Pair 0 turns {fast:.3f} rad per position, the slowest pair {slow:.3g} rad; at your last token "
        "(position {last}) pair 0 has turned {angle:.1f} rad — {turns:.1f} full turns.",
        "{model} 使用 **RoPE**（基数 {base:g}，每个注意力头有 {dim} 个维度参与旋转），所以不往词元向量上加任何东西。"
        "第 0 对维度每个位置转 {fast:.3f} 弧度，最慢的一对只转 {slow:.3g} 弧度；到你的最后一个词元（位置 {last}），"
        "第 0 对已经转了 {angle:.1f} 弧度——{turns:.1f} 圈。",
    ),
    "positions.try": (
        "Paste a long paragraph as the prompt and widen “positions to show”. In the sinusoidal similarity matrix, "
        "nearby positions are alike and far ones less so; does the learned table do the same? Where does it differ?",
        "把一整段长文字粘贴为提示词，并调大“显示的位置数”。在正弦位置编码的相似度矩阵里，相邻位置彼此相似，"
        "相隔越远越不相似；可学习的位置表也是这样吗？哪里不一样？",
    ),
    "positions.try_rotary": (
        "Widen “positions to show” and hover over the RoPE angles: how many positions does pair 0 need for one full "
        "turn (2π ≈ 6.28 rad)? Then read the slowest pair's speed below and work out how many it would need.",
        "调大“显示的位置数”，把鼠标悬停在 RoPE 角度图上：第 0 对维度要经过多少个位置才转满一圈（2π ≈ 6.28 弧度）？"
        "再看下面最慢那一对的速度，算一算它需要多少个位置。",
    ),
    "positions.uses.learned": (
        "**This model uses the learned table** (left). The sinusoidal table (right) is the textbook version, "
        "computed here at the same width d = {d} for comparison. Row by row, the two tables have an average cosine "
        "similarity of **{sim}**; 1 would mean the same directions, about 0 unrelated ones. {origin}",
        "**这个模型用的是可学习的位置表**（左）。右边的正弦位置编码是教科书里的版本，这里按同样的宽度 d = {d} "
        "算出来作比较。逐行比较，两张表的平均余弦相似度是 **{sim}**；1 表示方向完全相同，约为 0 表示毫不相关。{origin}",
    ),
    "positions.origin.sinusoidal": (
        "GPT-2 started its table from random numbers; {model} started from these sinusoids, scaled down, and "
        "training reshaped them.",
        "GPT-2 的位置表从随机数开始训练；{model} 的位置表从缩小后的这些正弦编码开始，训练又改变了它的形状。",
    ),
    "positions.origin.random": (
        "{model} started its table from random numbers, as GPT-2 did, and training shaped it.",
        "{model} 的位置表和 GPT-2 一样从随机数开始，由训练塑造成形。",
    ),
    "positions.origin.unknown": (
        "GPT-2 and BERT started their tables from random numbers, and training shaped them; the left table is "
        "what {model} ended up with.",
        "GPT-2 和 BERT 的位置表都从随机数开始，由训练塑造成形；左边这张就是 {model} 最终学到的位置表。",
    ),
    "positions.uses.rotary": (
        "**This model uses RoPE** and has no position table at all. The sinusoidal table below is the textbook "
        "version at width d = {d}, for comparison; RoPE turns the same kind of frequencies into rotation speeds.",
        "**这个模型用的是 RoPE**，根本没有位置表。下面的正弦位置编码是教科书版本，宽度 d = {d}，仅作比较；"
        "RoPE 把同一类频率变成了旋转速度。",
    ),
    "positions.pick": ("Token to look at", "选择要查看的词元"),
    "positions.rows": ("Positions to show", "显示的位置数"),
    "positions.tables": (
        "The model's position vectors, and the textbook sinusoids",
        "模型自己的位置向量，与教科书中的正弦编码",
    ),
    "positions.sinusoidal.header": (
        "The sinusoidal encoding of “Attention Is All You Need”",
        "《Attention Is All You Need》中的正弦位置编码",
    ),
    "positions.sinusoidal.lead": ("**{header}** — {explain}", "**{header}**：{explain}"),
    "positions.sinusoidal.explain": (
        "PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)). Each pair of dimensions "
        "is a clock hand turning at its own speed: the first pairs change every position, the last barely move. "
        "Nothing is learned. Its cosine similarity depends only on the distance between two positions, so every "
        "diagonal of its similarity matrix has one colour.",
        "PE[pos, 2i] = sin(pos / 10000^(2i/d))，PE[pos, 2i+1] = cos(pos / 10000^(2i/d))。每一对维度像一根按自己速度"
        "转动的指针：前面几对每个位置都在变，最后几对几乎不动。这里没有任何需要学习的参数。它的余弦相似度只取决于两个位置"
        "之间的距离，所以相似度矩阵的每条对角线都是同一种颜色。",
    ),
    "positions.learned.title": ("Learned position table, d = {d}", "可学习的位置表，d = {d}"),
    "positions.learned.sim_title": ("Learned: cosine similarity of positions", "可学习的位置表：位置之间的余弦相似度"),
    "positions.sinusoidal.title": ("Sinusoidal encoding, d = {d}", "正弦位置编码，d = {d}"),
    "positions.sinusoidal.sim_title": (
        "Sinusoidal: cosine similarity of positions",
        "正弦位置编码：位置之间的余弦相似度",
    ),
    "positions.check.offset": (
        "Check: the {tokens} position vectors your prompt used (from the trace) are rows {start}–{end} of this table "
        "(largest difference {gap}).",
        "核对：你的提示词实际用到的 {tokens} 个位置向量（来自这次前向计算）就是这张表的第 {start}–{end} 行（最大差值 {gap}）。",
    ),
    "positions.check.none": (
        "Your prompt's position vectors are not the first rows of this table: this model numbers positions its own way.",
        "你的提示词的位置向量并不是这张表的前几行：这个模型有自己的位置编号方式。",
    ),
    # token + position
    "positions.sum.header": ("Token + position = what the first block reads", "词元 + 位置 = 第一个模块读到的输入"),
    "positions.sum.gpt2": (
        "For {model} the first block reads exactly token vector + position vector: over your whole prompt the "
        "largest difference is {gap} (rounding). The black × marks (the sum) sit on the grey bars.",
        "对 {model} 来说，第一个模块读到的正是词元向量 + 位置向量：在整段提示词上，最大差值为 {gap}（舍入误差）。"
        "黑色 × 号（两者之和）正好落在灰色柱子顶端。",
    ),
    "positions.sum.encoder": (
        "{model} is a BERT-style encoder and does not pass the plain sum on: it adds a third vector (the token-type, "
        "or segment, embedding) and then applies layer normalization (LayerNorm), so the first block reads "
        "LayerNorm(token + position + token type). That is why the black × marks (token + position) are not on the "
        "grey bars: largest difference {gap:.2f}. Averaged over your tokens, the correlation between the sum and the "
        "block input is {corr}, and their spread (standard deviation) is {s_sum:.3f} vs {s_input:.3f}.",
        "{model} 是 BERT 类编码器，不会把简单的和直接传下去：它还加上第三个向量（句子类型，即 token type 嵌入），"
        "再做层归一化（LayerNorm），所以第一个模块读到的是 LayerNorm(词元 + 位置 + 句子类型)。因此黑色 × 号（词元 + 位置）"
        "不在灰色柱子上：最大差值 {gap:.2f}。在你的词元上平均，两者的相关系数是 {corr}，"
        "离散程度（标准差）分别是 {s_sum:.3f} 和 {s_input:.3f}。",
    ),
    "positions.sum.rotary": (
        "{model} uses RoPE, so the first block reads the token vector alone (largest difference {gap}). "
        "Position enters inside every attention layer, where queries and keys are rotated — see below.",
        "{model} 使用 RoPE，所以第一个模块读到的只是词元向量（最大差值 {gap}）。"
        "位置信息是在每一层注意力内部进入的：查询和键在那里被旋转——见下文。",
    ),
    "positions.sum.token": ("token vector", "词元向量"),
    "positions.sum.position": ("position vector (position {pos})", "位置向量（位置 {pos}）"),
    "positions.sum.input": ("first block's input (resid[0])", "第一个模块的输入（resid[0]）"),
    "positions.sum.marks": ("× token + position", "× 词元 + 位置"),
    "positions.sum.marks_rotary": ("× token vector", "× 词元向量"),
    "positions.sum.title": (
        "{token} at position {pos}: token + position → block input",
        "位置 {pos} 上的 {token}：词元 + 位置 → 模块输入",
    ),
    "positions.sum.title_rotary": (
        "{token} at position {pos}: token vector → block input",
        "位置 {pos} 上的 {token}：词元向量 → 模块输入",
    ),
    # rotary
    "positions.rotary.header": (
        "Rotary position embedding (RoPE): angles, not added vectors",
        "旋转位置编码（RoPE）：用角度，而不是加向量",
    ),
    "positions.rotary.explain": (
        "RoPE splits the first {dim} dimensions of every query and key vector into {pairs} pairs and rotates pair i "
        "at position pos by angle(pos, i) = pos · {base:g}^(−2i/{dim}). In the score q·k of two rotated vectors, "
        "the positions then count only through how far apart the two tokens are — their relative position — not "
        "where they sit; the content counts as before. Fast pairs "
        "(left) tell near neighbours apart; slow pairs (right) change little over the whole context. The colour "
        "wraps around at every full turn (2π); hover shows the whole angle.",
        "RoPE 把每个查询和键向量的前 {dim} 个维度分成 {pairs} 对，在位置 pos 上把第 i 对旋转 "
        "angle(pos, i) = pos · {base:g}^(−2i/{dim})。两个旋转后向量的打分 q·k 里，位置的作用只取决于两个词元相隔多远（相对位置），"
        "而与它们具体在哪里无关；内容照样起作用。转得快的维度对（左）分辨近邻；转得慢的（右）在整个上下文里变化很小。"
        "颜色每转满一圈（2π）重复一次；悬停可看到完整角度。",
    ),
    "positions.rotary.scaled": (
        "This model's config also rescales RoPE frequencies ({kind}); the chart shows the plain formula from its base.",
        "这个模型的配置还对 RoPE 频率做了缩放（{kind}）；图中画的是按基数计算的原始公式。",
    ),
    "positions.rotary.title": (
        "RoPE rotation angle (base {base:g}, {dim} rotating dimensions)",
        "RoPE 旋转角度（基数 {base:g}，{dim} 个旋转维度）",
    ),
    "positions.rotary.freq_title": ("How fast each pair turns", "每对维度转得多快"),
    "positions.rotary.colour": ("angle mod 2π", "角度 mod 2π"),
    "positions.rotary.pair": ("dimension pair i", "维度对 i"),
    "positions.rotary.speed": ("radians per position", "每个位置转过的弧度"),
    "positions.prompt_end": ("your prompt: {n} tokens", "你的提示词：{n} 个词元"),
    # hover
    "positions.hover.table": (
        "position %{y}<br>dimension %{x}<br>value %{z:.6g}",
        "位置 %{y}<br>维度 %{x}<br>数值 %{z:.6g}",
    ),
    "positions.hover.similarity": (
        "positions %{y} and %{x}<br>cosine %{z:.6f}",
        "位置 %{y} 与 %{x}<br>余弦相似度 %{z:.6f}",
    ),
    "positions.hover.bar": ("dimension %{x}: %{y:.6g}", "维度 %{x}：%{y:.6g}"),
    "positions.hover.rotary": (
        "position %{y}, pair %{x}<br>angle %{customdata:.6g} rad<br>within one turn: %{z:.4f} rad",
        "位置 %{y}，维度对 %{x}<br>角度 %{customdata:.6g} 弧度<br>除去整圈后：%{z:.4f} 弧度",
    ),
    "positions.hover.frequency": ("pair %{x}: %{y:.6g} rad per position", "维度对 %{x}：每个位置 %{y:.6g} 弧度"),
}
