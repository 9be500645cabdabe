"""Lesson 4 — attention."""

TEXT = {
    "attention.title": (
        "Attention: how each token reads the others",
        "注意力：每个词元如何读取其他词元",
    ),
    "attention.what": (
        "**Self-attention** lets every token gather information from other tokens. Each token makes a "
        "**query (Q)** — what it looks for — a **key (K)** — what it offers — and a **value (V)** — what it passes on. "
        "A head **scores** every key with q·k, **scales** the score (×1/√dₕ, where dₕ = {dh} is the head width, not the model width d), **masks** the keys a "
        "decoder may not see yet, and a **softmax** turns the scores into weights that sum to 1: the **attention "
        "pattern**. The token's output is the weighted sum of the values. **Multi-head attention** runs "
        "{heads} such heads side by side in each of the {layers} layers of {model}, each free to look for something else.",
        "**自注意力**（Self-Attention）让每个词元从其他词元那里收集信息。每个词元生成一个**查询（Q）**——它要找什么，"
        "一个**键（K）**——它能提供什么，以及一个**值（V）**——它要传递的内容。一个**注意力头**先用 q·k 给每个键**打分**，"
        "再**缩放**（×1/√dₕ，这里 dₕ = {dh} 是每个头的宽度，不是模型宽度 d），然后用**掩码**遮住解码器还不能看到的键，最后用 **softmax** 把分数变成"
        "总和为 1 的权重：这就是**注意力模式**。词元的输出是各个值按权重的加和。**多头注意力**在 {model} 的 {layers} "
        "层中每层并排运行 {heads} 个这样的头，每个头可以寻找不同的东西。",
    ),
    # prev_head and first_head come in bold from the page: a bold run that ends in a Chinese character may be
    # followed straight by Chinese text, with no stray space, where the test's placeholder could not
    "attention.notice": (
        "Of the {total} heads of {model}, {prev_head} looks most at the previous token (a **previous-token head** when "
        "this is high): on average {prev:.0%} of a token's attention goes to the token just before it. {first_head} puts {first:.0%} "
        "on the very first token. The head you picked, {head_name}, gives {sel_prev:.0%} to the previous token, "
        "{sel_first:.0%} to the first, and the mean entropy of its rows is {entropy:.2f} bits "
        "(0 = all on one token).",
        "在这句提示词上，{model} 的 {total} 个头中，{prev_head}最关注前一个词元（这个比例很高时就叫**前一词元头**）："
        "平均每个词元有 {prev:.0%} 的注意力落在它前面紧挨着的词元上。{first_head}把 {first:.0%} 的注意力放在第一个词元上。你选中的{head_name}给前一个"
        "词元 {sel_prev:.0%}，给第一个词元 {sel_first:.0%}，每行的平均熵为 {entropy:.2f} 比特（0 表示全部集中在一个词元上）。",
    ),
    "attention.notice.one_token": (
        "This prompt has a single token, so every head can only attend to it: each pattern is one cell of 1.0. "
        "Type a longer prompt to see the heads differ.",
        "这句提示词只有一个词元，所以每个头只能关注它自己：每个注意力模式都只有一个值为 1.0 的格子。输入更长的提示词，看看各个头的差别。",
    ),
    "attention.try@zh": (
        "Pick the example “小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到”, keep the last token `跑到` as the query and open layer 3, head 6: it puts about 62% of its attention on the first `河`, the word that followed `跑到` the first time — an **induction head** (it scores 0.72 on repeated random tokens; layer 3, heads 2 and 3 score 0.91 and 0.90 and look about 49% and 46% at the same `河`). Layer 2, head 5 looks about 70% at the second `狗`, the token just before: the previous-token step the induction heads build on.",
        "选择示例“小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到”，查询词元保持最后一个 `跑到`，打开第 3 层第 6 个头：它把约 62% 的注意力放在第一个 `河` 上——也就是第一次出现 `跑到` 时紧跟在后面的那个词。这就是**归纳头**（它在重复的随机词元上得分 0.72；第 3 层第 2、3 个头得分 0.91 和 0.90，分别约有 49% 和 46% 看向同一个 `河`）。第 2 层第 5 个头约 70% 看向第二个 `狗`，也就是紧挨着的前一个词元：归纳头正是建立在这种“看前一个词元”的一步之上。",
    ),
    "attention.try": (
        'Pick the example "The cat sat on the mat. The dog sat on the log. The cat sat on the", keep the last token '
        "` the` as the query and open layer 3, heads 2 and 6: they put most of its attention (about 61% and 80%) on "
        "` log`, the token that followed the previous ` the`. That is an **induction head**: it looks up what came "
        "after the same token earlier in the prompt, so the model can copy patterns it has seen.",
        "选择示例“The cat sat on the mat. The dog sat on the log. The cat sat on the”，查询词元保持最后一个 ` the`，"
        "打开第 3 层的第 2 个和第 6 个头：它们把大部分注意力（约 61% 和 80%）放在 ` log` 上——也就是上一个 ` the` "
        "后面的词元。这就是**归纳头**：它去找提示词前面同一个词元之后出现过什么，模型借此复制见过的模式。",
    ),
    "attention.head_name": ("layer {layer} · head {head}", "第 {layer} 层 · 第 {head} 个头"),
    "attention.pick.layer": ("Layer", "层"),
    "attention.pick.head": ("Head", "注意力头"),
    "attention.pick.token": ("Query token (the one that reads)", "查询词元（读取方）"),
    "attention.weight": ("attention weight", "注意力权重"),
    "attention.masked": ("masked (−∞ before softmax, weight 0)", "被掩码遮住（softmax 前为 −∞，权重为 0）"),
    # one head
    "attention.pattern": ("The attention pattern of one head", "一个注意力头的注意力模式"),
    "attention.pattern.caption": (
        "Row = the token that reads (query), column = the token it reads (key); every row sums to 1. "
        "{mask_note} The red outline is the query token chosen above.",
        "行是读取方词元（查询），列是被读取的词元（键）；每一行的和为 1。{mask_note}红框是上面选中的查询词元。",
    ),
    "attention.pattern.mask_note": (
        "Grey cells above the diagonal are hidden by the **causal mask**: a decoder cannot read later tokens.",
        "对角线上方的灰色格子被**因果掩码**遮住：解码器不能读取后面的词元。",
    ),
    "attention.pattern.no_mask": (
        "No cell is masked: an encoder is **bidirectional**, every token reads every other.",
        "没有格子被遮住：编码器是**双向**的，每个词元都读取所有其他词元。",
    ),
    "attention.heatmap.title": (
        "{model}: layer {layer}, head {head}",
        "{model}：第 {layer} 层，第 {head} 个头",
    ),
    # short labels: four metrics share a row, and a 1024-px window leaves each about 110 px
    "attention.metric.previous": ("to previous", "给前一个词元"),
    "attention.metric.first": ("to first", "给第一个词元"),
    "attention.metric.self": ("to itself", "给自己"),
    "attention.metric.entropy": ("mean entropy", "平均熵"),
    "attention.metric.help.previous": (
        "The share of its attention a token gives to the token just before it, averaged over the query tokens "
        "of this prompt (from the second on), for the selected head.",
        "选中的头里，一个词元分给紧挨在它前面的词元的注意力比例，在这句提示词的查询词元上（从第二个起）取平均。",
    ),
    "attention.metric.help.first": (
        "The share of its attention a token gives to the first token of the prompt, averaged over the query "
        "tokens of this prompt (from the second on), for the selected head.",
        "选中的头里，一个词元分给提示词第一个词元的注意力比例，在这句提示词的查询词元上（从第二个起）取平均。",
    ),
    "attention.metric.help.self": (
        "The share of its attention a token gives to itself, averaged over the query tokens of this prompt, "
        "for the selected head.",
        "选中的头里，一个词元分给它自己的注意力比例，在这句提示词的所有查询词元上取平均。",
    ),
    "attention.metric.help.entropy": (
        "The entropy of each row of the pattern, averaged over the rows: 0 bits when a token puts all its "
        "attention on one key, log₂ n bits when it spreads it evenly over n keys.",
        "注意力模式每一行的熵在所有行上的平均值：一个词元把注意力全部放在一个键上时为 0 比特，"
        "平均分给 n 个键时为 log₂ n 比特。",
    ),
    "attention.metric.bits": ("{value:.2f} bits", "{value:.2f} 比特"),
    # lines
    "attention.lines": ("Who reads whom: lines from one query token", "谁在读谁：从一个查询词元出发的连线"),
    "attention.lines.caption": (
        "Line width and opacity follow the attention weight; hover a line for its exact value. "
        "Links under {min:.1%} are not drawn.",
        "连线的粗细和不透明度与注意力权重成正比；把鼠标移到线上可看到精确数值。低于 {min:.1%} 的连接不画出。",
    ),
    "attention.lines.caption_long": (
        "Line width and opacity follow the attention weight; hover a line for its exact value. This prompt has "
        "{tokens} tokens, too many to list: the chart shows only {token} and the {n} keys it reads most "
        "(together {share} of its attention), in prompt order; ⋮ marks the positions left out, with how many. "
        "Links under {min:.1%} are not drawn.",
        "连线的粗细和不透明度与注意力权重成正比；把鼠标移到线上可看到精确数值。这句提示词有 {tokens} 个词元，"
        "太多，无法一一列出：图中只列出 {token} 和它读得最多的 {n} 个键（合计占它注意力的 {share}），按提示词中的"
        "顺序排列；⋮ 标出省略的位置及其个数。低于 {min:.1%} 的连接不画出。",
    ),
    "attention.lines.title": (
        "{token} in layer {layer}, head {head}: {n} links drawn",
        "第 {layer} 层第 {head} 个头中的 {token}：画出 {n} 条连线",
    ),
    "attention.lines.title_long": (
        "{token} in layer {layer}, head {head}: its {n} strongest links",
        "第 {layer} 层第 {head} 个头中的 {token}：最强的 {n} 条连线",
    ),
    "attention.lines.queries": ("queries (read)", "查询（读取方）"),
    "attention.lines.keys": ("keys (are read)", "键（被读取方）"),
    # steps
    "attention.steps": (
        "Step by step: score → scale → mask → softmax",
        "逐步计算：打分 → 缩放 → 掩码 → softmax",
    ),
    "attention.steps.explain": (
        "For the query token {token}: the **score** of each key is the dot product of the two {dh}-number vectors "
        "q·k; it is **scaled** by {scale}; the **mask** {mask_text}; **softmax** exp(s)/Σexp(s) turns the scores "
        "into weights. The last column is exactly row {query} of the pattern above (largest difference: {diff}).",
        "对于查询词元 {token}：每个键的**打分**是两个 {dh} 维向量的点积 q·k；再乘以 {scale} 进行**缩放**；"
        "**掩码**{mask_text}；**softmax** 用 exp(s)/Σexp(s) 把分数变成权重。最后一列正是上面注意力模式的第 {query} 行"
        "（最大差异：{diff}）。",
    ),
    "attention.steps.mask_causal": (
        "sets the {n} keys after it to −∞, so they get weight 0",
        "把它后面的 {n} 个键设为 −∞，它们的权重就是 0",
    ),
    "attention.steps.mask_last": (
        "hides nothing here: this is the last token, so every key comes before it",
        "在这里不遮住任何键：这是最后一个词元，所有键都在它前面",
    ),
    "attention.steps.mask_none": (
        "hides nothing in this encoder: every key stays",
        "在这个编码器里不遮住任何键：所有键都保留",
    ),
    "attention.steps.col.key": ("key token", "键词元"),
    "attention.steps.col.score": ("score q·k", "打分 q·k"),
    "attention.steps.col.scaled": ("× scale", "× 缩放"),
    "attention.steps.col.masked": ("+ mask", "+ 掩码"),
    "attention.steps.col.softmax": ("softmax (weight)", "softmax（权重）"),
    "attention.steps.bars.title": ("Scores and weights of {token}", "{token} 的打分与权重"),
    "attention.steps.bars.score": ("score × scale (grey: masked)", "打分 × 缩放（灰色：被掩码）"),
    "attention.steps.bars.score_plain": ("score × scale", "打分 × 缩放"),
    "attention.steps.bars.score_axis": ("scaled score", "缩放后的分数"),
    "attention.steps.bars.softmax": ("after softmax", "softmax 之后"),
    # grid
    "attention.grid": ("Every head of every layer", "所有层的所有注意力头"),
    "attention.grid.caption": (
        "{layers} layers × {heads} heads = {total} patterns on this prompt. Click a thumbnail to open that head above "
        "(or use the layer and head boxes). Hover one for its scores.",
        "这句提示词上共有 {layers} 层 × {heads} 个头 = {total} 个注意力模式。点击缩略图即可在上方打开该头"
        "（也可以用层和头的选择框）。鼠标悬停可看到它的各项分数。",
    ),
    "attention.grid.pooled": (
        "With {tokens} tokens a thumbnail would have cells too small to see, so each of its cells groups "
        "{group} × {group} positions: the attention that {group} neighbouring query tokens give to {group} "
        "neighbouring keys, summed over the keys and averaged over the queries (each row of a thumbnail "
        "still sums to 1). Open a head above to see every token.",
        "有 {tokens} 个词元时，缩略图的格子小得看不见，所以每个格子合并了 {group} × {group} 个位置：相邻 {group} "
        "个查询词元分给相邻 {group} 个键的注意力，对键求和、对查询取平均（缩略图的每一行仍然总和为 1）。"
        "在上方打开某个头可以看到每个词元。",
    ),
    "attention.grid.title": ("{model}: every attention pattern", "{model}：所有注意力模式"),
    "attention.grid.head": ("H{head}", "头 {head}"),
    "attention.grid.layer": ("L{layer}", "层 {layer}"),
    "attention.grid.hover": (
        "layer %{customdata[0]} · head %{customdata[1]}<br>to previous %{customdata[2]}<br>"
        "to first %{customdata[3]}<br>mean entropy %{customdata[4]}<br>click to open",
        "第 %{customdata[0]} 层 · 第 %{customdata[1]} 个头<br>给前一个词元 %{customdata[2]}<br>"
        "给第一个词元 %{customdata[3]}<br>平均熵 %{customdata[4]}<br>点击打开",
    ),
    # decoder vs encoder
    "attention.compare": ("Decoder (masked) beside encoder (bidirectional)", "解码器（带掩码）与编码器（双向）对照"),
    "attention.compare.explain": (
        "A **decoder** such as {dec} writes text one token at a time, so its **causal mask** lets a token read only "
        "itself and the tokens before it: in {dec}, token 0 can see {dec_first} token and the last token sees "
        "{dec_last}. An **encoder** such as {enc} reads the whole sentence at once and is **bidirectional**: "
        "in {enc} every token sees all {enc_all}. Same sentence, layer {layer}, head {head} (or the nearest that "
        "each model has); the two models cut the text into different tokens.",
        "像 {dec} 这样的**解码器**一次写一个词元，所以**因果掩码**只允许词元读取自己和它前面的词元：在 {dec} 中，"
        "第 0 个词元只能看到 {dec_first} 个词元，最后一个词元能看到 {dec_last} 个。像 {enc} 这样的**编码器**一次读完整句话，"
        "是**双向**的：在 {enc} 中每个词元都能看到全部 {enc_all} 个。同一句话，第 {layer} 层第 {head} 个头"
        "（或每个模型拥有的最接近的那个）；两个模型把文字切成了不同的词元。",
    ),
    "attention.compare.decoder": ("Decoder — {model}", "解码器——{model}"),
    "attention.compare.encoder": ("Encoder — {model}", "编码器——{model}"),
}
