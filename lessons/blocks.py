"""Sentences of the lesson "inside the blocks" (English, 中文); terms from the glossary."""

TEXT = {
    "page.blocks": ("5 · Inside the blocks", "5 · 模块内部"),
    "blocks.title": (
        "Inside the blocks: the residual stream and how the guess forms",
        "模块内部：残差流与预测如何逐层成形",
    ),
    "blocks.what": (
        "Each Transformer block has two sub-layers: **self-attention**, which mixes information between tokens, "
        "and a **feed-forward network (MLP)**, which works on each token alone. Neither replaces the token's vector: "
        "each adds its output to it, so a token's vector is a running sum, the **residual stream** — its "
        "**hidden representation** (隐藏表示) after each layer. The **logit lens** reads that sum early: apply the "
        "model's final norm and unembedding to the stream after any sub-block and see what it would predict.",
        "每个 Transformer 模块有两个子层：**自注意力**在词元之间交换信息，**前馈网络**（MLP）对每个词元单独加工。"
        "二者都不替换词元的向量，而是把输出“加”上去，所以一个词元的向量是一路累加的和——**残差流**，也就是它在每一层之后的"
        "**隐藏表示**。**logit lens**（逻辑透镜）提前读这个和：把模型最后的归一化和反嵌入用在任意子层之后的残差流上，看它那时会预测什么。",
    ),
    "blocks.notice": (
        "At the last token, {model}'s final guess is **{answer}** ({p:.1%}). It first becomes and stays the top "
        "guess at **{first}**. The biggest single push toward it comes from **{best}** ({best_v} of its logit "
        "{logit:.2f}).",
        "在最后一个词元处，{model} 最终的预测是 **{answer}**（{p:.1%}）。它从 **{first}** 起成为并一直保持第一名。"
        "对它推动最大的单个部分是 **{best}**（在 logit {logit:.2f} 中占 {best_v}）。",
    ),
    "blocks.notice.late": ("the output", "输出处"),
    "blocks.try": (
        "Pick the example “The cat sat on the mat. The dog sat on the log. The cat sat on the” and read the last "
        "column. The embedding row guesses the input token itself (` the`: TinyTales' embedding and unembedding are "
        "one matrix), the middle rows guess words like ` same`, ` side`, ` table`, and the final guess ` hearth` "
        "takes the top place only after layer 3's attention. Then switch off the final norm: the top guesses barely "
        "move, but ` the` in the embedding row falls from 100% to almost 0% — the norm sets how sure the lens looks.",
        "选择示例“The cat sat on the mat. The dog sat on the log. The cat sat on the”，看最后一列。嵌入那一行猜的是"
        "输入词元本身（` the`：TinyTales 的嵌入矩阵和反嵌入矩阵是同一个），中间几行猜 ` same`、` side`、` table` 之类的词，"
        "最终的答案 ` hearth` 直到第 3 层的注意力之后才排到第一。再关掉最后的归一化：第一猜测几乎不变，但嵌入那一行的 "
        "` the` 从 100% 跌到几乎 0%——归一化决定了透镜看起来有多“确定”。",
    ),
    "blocks.try@zh": (
        "Pick the example “小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到” and read the last column: up to layer 2 the rows guess other words (`跑到`, `想着`, `学生`, `窗外`), then layer 3's attention writes the copy `河` and it stays the top guess to the end — its induction heads at work. Then switch off the final norm and compare the probabilities.",
        "选择示例“小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到”，看最后一列：到第 2 层为止，各行猜的都是别的词（`跑到`、`想着`、`学生`、`窗外`），到了第 3 层的注意力，照抄的 `河` 才被写进来，并且一直保持为第一名——这就是它的归纳头在起作用。再关掉最后的归一化，比较一下概率。",
    ),
    "blocks.encoder": (
        "{model} is an encoder without a language-model head: it has no final norm and unembedding that turn a "
        "vector into next-token scores, so there is no lens to read. What is real here: how much each layer "
        "changes each token's representation, measured as the cosine similarity to its final one.",
        "{model} 是没有语言模型头的编码器：它没有把向量变成下一个词元分数的最后归一化和反嵌入，所以没有透镜可读。"
        "这里能看的真实数字是：每一层把每个词元的表示改变了多少——用它与最终表示的余弦相似度来衡量。",
    ),
    "blocks.encoder.title": (
        "Cosine similarity of each layer's representation to the final one",
        "每层表示与最终表示的余弦相似度",
    ),
    "blocks.lens": (
        "The logit lens: what the stream would predict after each sub-block",
        "logit lens：每个子层之后的残差流会预测什么",
    ),
    "blocks.lens.title": (
        "Top guess after each sub-block (colour: see the switch)",
        "每个子层之后的第一猜测（颜色见开关）",
    ),
    "blocks.lens.hover": (
        "{row} at {token}<br>top: {top} ({top_p:.1f}%)<br>final answer {answer}: {answer_p:.1f}% (rank {rank})"
        "<br>entropy {entropy:.2f} nats",
        "{row}，位置 {token}<br>第一：{top}（{top_p:.1f}%）<br>最终答案 {answer}：{answer_p:.1f}%（第 {rank} 名）"
        "<br>熵 {entropy:.2f} 奈特",
    ),
    "blocks.part.attn": ("L{layer} attn", "第{layer}层 注意力"),
    "blocks.part.mlp": ("L{layer} mlp", "第{layer}层 MLP"),
    "blocks.part.embed": ("embed", "嵌入"),
    "blocks.part.token_embedding": ("token embedding", "词元嵌入"),
    "blocks.part.position_embedding": ("position embedding", "位置嵌入"),
    "blocks.part.bias": ("bias", "偏置"),
    "blocks.cell": ("One cell of the lens, opened", "展开透镜中的一格"),
    "blocks.cell.explain": (
        "**{row}** at **{token}**: the stream's top {k} guesses there, and how each moved since the row below "
        "(**{below}**): ↑ climbed, ↓ fell, = held. Click any cell of the lens to open it here.",
        "**{row}**，位置 **{token}**：此处残差流的前 {k} 个猜测，以及与下面一行（**{below}**）相比各自的名次变化："
        "↑ 上升，↓ 下降，= 不变。点击透镜中的任意一格即可在这里展开它。",
    ),
    "blocks.cell.explain_first": (
        "**{row}** at **{token}**: the embedding's top {k} guesses there — the first row, nothing below it to "
        "compare with. Click any cell of the lens to open it here.",
        "**{row}**，位置 **{token}**：嵌入的前 {k} 个猜测——这是第一行，下面没有可比的行。点击透镜中的任意一格即可在这里展开它。",
    ),
    "blocks.cell.token": ("Token", "词元"),
    "blocks.cell.p": ("Probability", "概率"),
    "blocks.cell.rank": ("Rank", "名次"),
    "blocks.cell.below": ("Rank below", "下一行名次"),
    "blocks.cell.change": ("Change", "变化"),
    "blocks.reader": ("Read each row with", "每一行用什么来读"),
    "blocks.reader.logit": ("the logit lens (the model's own readout)", "logit lens（模型自己的读出）"),
    "blocks.reader.tuned": ("a tuned lens (one learned map per row)", "调校透镜（每行一个学到的映射）"),
    "blocks.reader.help": (
        "The logit lens applies the final norm and unembedding to the stream as it is. A tuned lens first "
        "passes each row through its own affine map, learned once on the training books so that the read-out "
        "matches the model's final output (Belrose et al. 2023).",
        "logit lens 直接对残差流施加最后的归一化和反嵌入。调校透镜先让每一行经过它自己的仿射映射——在训练语料上学过一次，"
        "使读出结果接近模型最终的输出（Belrose 等，2023）。",
    ),
    "blocks.tuned.explain": (
        "Tuned lens: one map per row, trained once ({steps} steps, {tokens:,} training tokens) so that reading the "
        "row predicts the model's final output. On held-out books its KL to that output averages {mean_tuned:.2f} "
        "nats against the logit lens' {mean_raw:.2f}; at **{row}**, the row the logit lens reads worst, "
        "{tuned:.2f} against {raw:.2f}. It shows what can be decoded from a row — not what the model itself "
        "reads there, and its maps were trained toward the answer the last row gives.",
        "调校透镜：每行一个映射，训练过一次（{steps} 步，{tokens:,} 个训练词元），让读出的结果预测模型最终的输出。"
        "在留出的书上，它与最终输出的 KL 平均为 {mean_tuned:.2f} 奈特，logit lens 为 {mean_raw:.2f}；在 logit lens 读得最差的 "
        "**{row}**，是 {tuned:.2f} 对 {raw:.2f}。它显示的是一行里能解码出什么——而不是模型自己在那里读到什么；它的映射本来"
        "就是朝最后一行的答案训练的。",
    ),
    "blocks.colour": ("Colour", "颜色"),
    "blocks.colour.answer": ("p(final answer)", "最终答案的概率"),
    "blocks.colour.top1": ("p(top guess)", "第一猜测的概率"),
    "blocks.colour.rank": ("log10 rank of the answer", "答案排名的 log10"),
    "blocks.colour.entropy": ("entropy (nats)", "熵（奈特）"),
    "blocks.final_norm": ("Apply the final norm", "使用最后的归一化"),
    "blocks.final_norm.help": (
        "The model normalises the stream before unembedding it. Without that step the lens reads raw vectors "
        "whose size grows layer by layer, and the early rows mean little: the pitfall this switch shows.",
        "模型在反嵌入之前先对残差流做归一化。去掉这一步，透镜读到的是逐层变大的原始向量，前几行几乎没有意义——这个开关就是展示这个陷阱。",
    ),
    "blocks.no_norm": (
        "Without the final norm: these rows are not what the model would predict; they show why the lens needs it.",
        "没有最后的归一化：这些行并不是模型会做的预测，它们说明了透镜为什么需要这一步。",
    ),
    "blocks.axis.input": ("input token", "输入词元"),
    "blocks.axis.next": (
        "actual next token (✓: the model's final guess is right)",
        "实际的下一个词元（✓：模型最终猜对）",
    ),
    "blocks.axis.probability": ("probability", "概率"),
    "blocks.axis.depth": ("depth (after each sub-block)", "深度（每个子层之后）"),
    "blocks.axis.logit": ("logit of {token}", "{token} 的 logit"),
    "blocks.axis.contribution": ("logit", "logit"),
    "blocks.pinned": ("Pinned tokens: one guess followed through the depth", "固定词元：沿着深度跟踪一个猜测"),
    "blocks.pinned.pick": ("Tokens to follow", "要跟踪的词元"),
    "blocks.pinned.title": ("Probability across depth, at the chosen position", "所选位置上，概率随深度的变化"),
    "blocks.pinned.first": (
        "**{token}** becomes and stays the top guess at **{row}**.",
        "**{token}** 从 **{row}** 起成为并保持第一。",
    ),
    "blocks.pinned.never": ("**{token}** never becomes the top guess here.", "**{token}** 在这里从未成为第一。"),
    "blocks.position": ("Position to read", "要读取的位置"),
    "blocks.ledger": ("The residual ledger: who wrote the logit", "残差账本：logit 是谁写进去的"),
    "blocks.ledger.explain": (
        "With the final norm's scale frozen at this position ({scale:.3f}), the norm is a fixed linear map, so "
        "the logit of **{token}** splits exactly into what each part wrote into the stream. Check: the bars sum "
        "to {total:.4f}; the model's own logit is {logit:.4f} (difference {gap}).",
        "把最后归一化在这个位置上的缩放因子固定住（{scale:.3f}），归一化就成了一个固定的线性映射，于是 **{token}** 的 "
        "logit 可以精确地拆成每个部分写入残差流的贡献。核对：柱子之和为 {total:.4f}；模型自己的 logit 是 {logit:.4f}"
        "（差 {gap}）。",
    ),
    "blocks.rival": ("Against a rival", "和对手比"),
    "blocks.rival.none": ("no rival: the logit itself", "不比：只看 logit 本身"),
    "blocks.rival.help": (
        "Which parts favour the answer over another candidate: each bar is a part's push toward the answer "
        "minus its push toward the rival.",
        "哪些部分让答案胜过另一个候选：每根柱子是该部分对答案的推动减去对对手的推动。",
    ),
    "blocks.rival.explain": (
        "Each bar: how much that part favours {token} over {rival}. Check: the bars sum to {total}; the model's "
        "own logit difference is {difference}.",
        "每根柱子：该部分让 {token} 比 {rival} 多得了多少。核对：柱子之和为 {total}；模型自己的 logit 之差是 {difference}。",
    ),
    "blocks.ledger.title": ("Direct contributions to the logit of {token}", "对 {token} 的 logit 的直接贡献"),
    "blocks.ledger.total": ("total", "合计"),
    "blocks.ledger.model": ("model's logit {logit:.2f}", "模型的 logit {logit:.2f}"),
    "blocks.ledger.post_norm": (
        "{model} has post-norm blocks: the stream is normalised after every sub-layer, so it is not a sum of "
        "parts and the ledger does not apply.",
        "{model} 的模块是后归一化：每个子层之后都做归一化，残差流不是各部分之和，账本不适用。",
    ),
    "home.lesson.blocks": (
        "The residual stream, layer by layer: the logit lens and who wrote the answer.",
        "逐层看残差流：logit lens，以及答案是谁写进去的。",
    ),
    "blocks.heads": ("Each head's direct push", "每个头的直接推动"),
    "blocks.heads.title": (
        "Each head's direct contribution to the logit of {token}",
        "每个头对 {token} 的 logit 的直接贡献",
    ),
    "blocks.head": ("head {h}", "头 {h}"),
    "blocks.neurons": ("The MLP's neurons: which ones write the answer", "MLP 的神经元：哪些把答案写了进去"),
    "blocks.neurons.explain": (
        "Layer {layer}'s MLP has {m} neurons. Each neuron's activation (after the non-linearity) scales one fixed "
        "vector it adds to the stream; through the frozen final norm, that is its push on the logit of {token}. "
        "Its {n} strongest pushes here add up to {share:.0%} of the MLP's {total:+.2f}.",
        "第 {layer} 层的 MLP 有 {m} 个神经元。每个神经元的激活值（经过非线性之后）缩放一个它加进残差流的固定向量；"
        "通过固定住的最后归一化，这就是它对 {token} 的 logit 的推动。这里最强的 {n} 个推动合计占 MLP 总贡献 {total:+.2f} 的 {share:.0%}。",
    ),
    "blocks.neurons.layer": ("MLP layer", "MLP 所在层"),
    "blocks.neurons.title": ("Neurons pushing the logit of {token} most", "对 {token} 的 logit 推动最大的神经元"),
    "blocks.act": ("Through the activation function", "经过激活函数"),
    "blocks.act.title": (
        "{function} at {token}: each neuron's input and output",
        "{token} 处的 {function}：每个神经元的输入与输出",
    ),
    "blocks.act.x": ("pre-activation (what the neuron receives)", "激活前的值（神经元收到的）"),
    "blocks.act.y": ("after the activation function", "经过激活函数之后"),
    "blocks.act.all": ("all {m} neurons", "全部 {m} 个神经元"),
    "blocks.act.marked": ("the {n} that push the answer most", "推动答案最多的 {n} 个"),
    "blocks.act.explain": (
        "The MLP first projects the token's vector to {m} numbers, one per neuron, then bends each through "
        "**{function}**: a negative input comes out near 0, a positive one almost unchanged. At this token "
        "{active} of the {m} neurons come out above 0.1 — the MLP writes mostly through a few.",
        "MLP 先把词元的向量投影成 {m} 个数，每个神经元一个，再让每个数经过 **{function}** 弯折：负的输入出来接近 0，"
        "正的几乎不变。在这个词元上，{m} 个神经元中有 {active} 个的输出大于 0.1——MLP 主要通过少数几个神经元写入。",
    ),
    "blocks.act.gated": (
        "This is a gated MLP: each neuron's value is the function's output times a second projection of the "
        "input, so the dots show only the first factor.",
        "这是门控 MLP：每个神经元的值是激活函数的输出再乘以输入的另一个投影，所以这些点只显示第一个因子。",
    ),
    "blocks.act.none": (
        "{model} keeps its activation function outside a module, so it cannot be hooked and drawn here.",
        "{model} 的激活函数不在模块里，无法挂钩，这里画不出来。",
    ),
    "blocks.neuron": ("neuron {n}", "神经元 {n}"),
    "blocks.neuron.activation": ("activation", "激活值"),
    "blocks.neuron.promotes": (
        "Neuron {n} (activation {a:.3f} here), read through the unembedding, raises most: {tokens}.",
        "把神经元 {n}（这里的激活值为 {a:.3f}）的输出经过反嵌入读出，它最推高的词元是：{tokens}。",
    ),
    "blocks.neuron.pick": ("Neuron to read", "要查看的神经元"),
    "blocks.neuron.option": ("neuron {n} ({push} to the logit)", "神经元 {n}（对 logit 贡献 {push}）"),
    "blocks.neuron.contexts": (
        "Where neuron {n} fires most in the training books ({scanned:,} tokens read once, when the model was "
        "shipped): the firing token is outlined, its value beside it.",
        "神经元 {n} 在训练语料中激活最强的地方（在发布模型时读过一次，共 {scanned:,} 个词元）：被框出的是激活的词元，旁边是它的值。",
    ),
    "blocks.neuron.fired": ("its value there: {value:.2f}", "它在这里的值：{value:.2f}"),
    "blocks.neuron.no_contexts": (
        "{model} ships no corpus contexts for its neurons (only the bundled models do).",
        "{model} 没有附带神经元的语料上下文（只有内置模型才有）。",
    ),
    "blocks.layer": ("layer {layer}", "第 {layer} 层"),
    "blocks.later": (
        "Not yet here: sparse features (dictionary learning) beyond single neurons, and a tuned lens for the "
        "downloaded models; both would need training on their own corpora.",
        "尚未包含：单个神经元之外的稀疏特征（字典学习），以及下载模型的调校透镜；两者都需要在各自的语料上训练。",
    ),
}
