"""Lesson 5 — next token: logits, softmax, temperature, top-k, top-p, greedy or sampled, generation."""

TEXT = {
    "next_token.title": ("Next token: from logits to a choice", "下一个词元：从 logits 到最终选择"),
    "next_token.what": (
        "After the last block, the model scores **every token of its vocabulary** as the next one: {vocab:,} "
        "numbers called **logits** (raw, unnormalised scores). **Softmax** turns them into a probability "
        "distribution. To write text, something must pick one token — the favourite (**greedy decoding**) or a "
        "random draw (**sampling**), shaped by **temperature**, **top-k** and **top-p**. The chosen token is "
        "appended and the whole walk runs again: that loop is **autoregressive generation**.",
        "最后一个模块之后，模型为**词表中的每一个词元**打分，作为下一个词元的候选：共 {vocab:,} 个数，称为 "
        "**logits（未归一化分数）**。**softmax** 把它们变成一个**概率分布**。要写出文字，就得选出一个词元——"
        "选最可能的（**贪心解码**），或者随机抽一个（**采样**），并用**温度**、**top-k 采样**和 **top-p（核）采样**"
        "调整。选中的词元接到末尾，整个流程再走一遍：这个循环就是**自回归**生成。",
    ),
    "next_token.notice": (
        "After {last}, the most likely next token for {model} is {fav}, at **{fav_p}**. The top 10 together hold **{top10}**; "
        "the most likely **{n90:,}** tokens are needed to reach 90% — out of {vocab:,}.",
        "在 {last} 之后，{model} 最看好的是 {fav}，概率 **{fav_p}**。前 10 名合计 **{top10}**；"
        "要凑够 90% 的概率，需要最可能的 **{n90:,}** 个词元——词表共 {vocab:,} 个。",
    ),
    "next_token.try": (
        "Set the temperature to 0 (greedy), then to 2, and watch the bars and the chosen token. Set top-k to 3, "
        "or top-p to 0.5, and see which tokens turn grey. Then press **Add the next token** a few times.",
        "把温度调到 0（贪心解码），再调到 2，观察柱子和被选中的词元。把 top-k 设为 3，或把 top-p 设为 0.5，"
        "看哪些词元变成灰色。然后多按几次**添加下一个词元**。",
    ),
    # on a masked-language model the lesson fills a [MASK] instead
    "next_token.fill.what": (
        "A **masked-language model** such as BERT is not trained to continue text but to fill gaps: a "
        "**[MASK]** token stands in a slot, the model reads the whole sentence, both before and after the slot, "
        "and scores each of its {vocab:,} tokens for it; softmax turns the scores into probabilities. It writes "
        "no text by itself, so there is no sampling loop here.",
        "像 BERT 这样的**掩码语言模型**学的不是续写，而是填空：一个 **[MASK]** 词元占住一个位置，模型读完整句话——空位的前面和后面都读——"
        "为词表中的 {vocab:,} 个词元逐一打分，再由 softmax 变成概率。它自己不会写出文字，所以这里没有采样循环。",
    ),
    "next_token.fill.notice.hidden": (
        "With {hidden} hidden, {model} fills the slot with {best} (**{p}**); the hidden token is its "
        "choice number **{rank:,}** of {vocab:,} ({hidden_p}).",
        "把 {hidden} 遮住之后，{model} 在这个位置最看好 {best}（**{p}**）；被遮住的词元在它的 {vocab:,} 个候选里排第 **{rank:,}** 位（{hidden_p}）。",
    ),
    "next_token.fill.notice.typed": (
        "{model} fills your [MASK] with {best} (**{p}**).",
        "{model} 用 {best} 填你的 [MASK]（**{p}**）。",
    ),
    "next_token.fill.try": (
        "Press **Try a sentence with a [MASK]** ({example}): the model fills the slot with `·king` (18%), then "
        "`·giant` and `·princess` — fairy-tale characters, read from the words on both sides of the slot. Then "
        "hide tokens of the default prompt one by one: small words come back first (`·a`, `·was`, `·in` at rank "
        "1), while `·wood` and `·she` are only 19th.",
        "按**试一句带 [MASK] 的话**（{example}）：模型用 `·king` 填这个空（18%），其次是 `·giant` 和 `·princess`——"
        "都是童话里的角色，是从空位两边的词读出来的。再把默认提示词的词元一个个遮住：常用小词最先被猜回来（`·a`、`·was`、`·in` "
        "排第 1），而 `·wood` 和 `·she` 只排第 19。",
    ),
    "next_token.fill.hide": ("Token to hide", "要遮住的词元"),
    "next_token.fill.which": ("Which [MASK]", "哪一个 [MASK]"),
    "next_token.fill.example": ("Try a sentence with a [MASK]", "试一句带 [MASK] 的话"),
    "next_token.fill.title.hidden": ("What fills the slot of “{token}”", "“{token}”所在的空位里填什么"),
    "next_token.fill.title.typed": ("What fills the [MASK]", "[MASK] 里填什么"),
    "next_token.fill.x": ("probability", "概率"),
    "next_token.fill.caption": (
        "The filled bar is the token that was hidden. Type [MASK] into the prompt to make a slot of your own.",
        "实心的柱子就是被遮住的那个词元。在提示词里输入 [MASK]，就能自己挖一个空。",
    ),
    # logits → softmax
    "next_token.softmax.header": ("From logits to probabilities: softmax", "从 logits 到概率：softmax"),
    "next_token.softmax.explain": (
        "Softmax: p = e^z / Σ e^z, summed over all {vocab:,} tokens. Here the top logit is **{z1:.3f}** ({tok1}) "
        "and the second **{z2:.3f}** ({tok2}). Subtracting the top logit from every logit changes nothing and "
        "keeps the exponentials small: the sum of e^(z − {z1:.3f}) over the vocabulary is **{total:.3f}**, so "
        "{tok1} gets 1 / {total:.3f} = **{p1}**. A gap of {gap:.3f} in logits means e^{gap:.3f} = **{ratio:.2f}×** "
        "the probability.",
        "softmax：p = e^z / Σ e^z，对全部 {vocab:,} 个词元求和。这里最大的 logit 是 **{z1:.3f}**（{tok1}），"
        "第二大的是 **{z2:.3f}**（{tok2}）。把每个 logit 都减去最大值，结果不变，指数也不会溢出："
        "整个词表上 e^(z − {z1:.3f}) 之和为 **{total:.3f}**，所以 {tok1} 得到 1 / {total:.3f} = **{p1}**。"
        "logits 相差 {gap:.3f}，概率就相差 e^{gap:.3f} = **{ratio:.2f} 倍**。",
    ),
    "next_token.softmax.temperature": (
        "Temperature {temperature:g} divides every logit before softmax: below 1 the gaps grow and the favourite "
        "takes more; above 1 they shrink and the distribution flattens. The last column shows the result.",
        "在 softmax 之前，每个 logit 都先除以温度 {temperature:g}：小于 1 时差距变大，最可能的词元占得更多；"
        "大于 1 时差距变小，概率分布变平。最后一列是调整后的结果。",
    ),
    "next_token.softmax.zero": (
        "Temperature 0 would divide by zero: it is read as greedy decoding — always the top logit's token. "
        "The bars then show the temperature-1 probabilities, but no draw is made.",
        "温度为 0 时无法做除法：它被当作贪心解码——总是选 logit 最大的词元。此时柱状图显示的是温度 1 的概率，但不会随机抽取。",
    ),
    "next_token.softmax.greedy": (
        "Greedy decoding ignores the temperature: dividing every logit by the same number never changes which "
        "one is largest. The table shows the temperature-1 probabilities.",
        "贪心解码不理会温度：把每个 logit 都除以同一个数，并不会改变哪个最大。表中是温度 1 的概率。",
    ),
    "next_token.col.rank": ("rank", "排名"),
    "next_token.col.token": ("token", "词元"),
    "next_token.col.id": ("token ID", "token ID"),
    "next_token.col.logit": ("logit z", "logit z"),
    "next_token.col.shifted": ("z − max", "z − 最大值"),
    "next_token.col.exp": ("e^(z − max)", "e^(z − 最大值)"),
    "next_token.col.prob": ("probability (softmax)", "概率（softmax）"),
    "next_token.col.tempered": ("probability at temperature {temperature:g}", "温度 {temperature:g} 时的概率"),
    # settings
    "next_token.settings.header": ("Temperature, top-k and top-p", "温度、top-k 采样与 top-p（核）采样"),
    "next_token.temperature": ("Temperature", "温度"),
    "next_token.temperature.help": (
        "Divides the logits before softmax. 0 = always the favourite (greedy); 1 = the model's own distribution; "
        "higher = flatter, more surprising.",
        "在 softmax 之前，logits 先除以温度。0 = 总是选最可能的（贪心解码）；1 = 模型自己的分布；越大越平坦、越出人意料。",
    ),
    "next_token.top_k": ("Top-k (0 = off)", "top-k（0 = 关闭）"),
    "next_token.top_k.help": (
        "Keep only the k most likely tokens and cut the rest.",
        "只保留最可能的 k 个词元，其余全部剪掉。",
    ),
    "next_token.top_p": ("Top-p (1 = off)", "top-p（1 = 关闭）"),
    "next_token.top_p.help": (
        "Keep the smallest set of most likely tokens whose probabilities add up to p (nucleus sampling). With "
        "top-k as well, p is measured on what top-k kept, renormalised — as transformers' generate() does.",
        "保留概率之和达到 p 的最小一组最可能的词元（核采样）。同时设置了 top-k 时，p 是在 top-k 保留下来并重新归一化的"
        "分布上计算的——与 transformers 的 generate() 一致。",
    ),
    "next_token.seed": ("Seed", "随机种子"),
    "next_token.seed.help": (
        "The same seed gives the same draw, so a link repeats exactly.",
        "相同的种子给出相同的抽样结果，所以分享的链接能完全重现。",
    ),
    "next_token.greedy": ("Greedy", "贪心解码"),
    "next_token.greedy.help": (
        "Greedy decoding: always take the most likely token, with no draw. The same prompt then always "
        "continues the same way.",
        "贪心解码：总是选最可能的词元，不做随机抽取。同一个提示词总会以同样的方式接下去。",
    ),
    "next_token.kept": (
        "After your settings, **{kept:,}** of {vocab:,} tokens can still be drawn: top-k cut {by_k:,}, "
        "top-p cut {by_p:,}. The kept probabilities are rescaled to add up to 100%.",
        "按你的设置，{vocab:,} 个词元中还剩 **{kept:,}** 个可以被抽中：top-k 剪掉 {by_k:,} 个，"
        "top-p 剪掉 {by_p:,} 个。保留下来的概率会重新缩放，使总和为 100%。",
    ),
    "next_token.kept.greedy": (
        "**Greedy decoding** makes no draw: it always takes the most likely token, so only **1** of {vocab:,} "
        "tokens can be chosen, and it gets 100%. Temperature, top-k and top-p change nothing here: they only "
        "shape what a random draw picks from.",
        "**贪心解码**不做随机抽取：总是选最可能的词元，所以 {vocab:,} 个词元中只有 **1** 个会被选中，它得到 100%。"
        "温度、top-k 和 top-p 在这里都不起作用：它们只影响随机抽取时从哪些词元里抽。",
    ),
    "next_token.kept.zero": (
        "**Temperature 0 means greedy decoding**: no draw, always the most likely token, so only **1** of "
        "{vocab:,} tokens can be chosen, and it gets 100%. Top-k and top-p change nothing here: they only "
        "shape what a random draw picks from.",
        "**温度为 0 即贪心解码**：不做随机抽取，总是选最可能的词元，所以 {vocab:,} 个词元中只有 **1** 个会被选中，"
        "它得到 100%。top-k 和 top-p 在这里都不起作用：它们只影响随机抽取时从哪些词元里抽。",
    ),
    "next_token.bars.title": ("The {n} most likely tokens after {last}", "{last} 之后最可能的 {n} 个词元"),
    "next_token.legend.model": ("model's own (temperature 1)", "模型自己的概率（温度 1）"),
    "next_token.legend.kept": ("after your settings: kept", "按你的设置：保留"),
    "next_token.legend.top_k": ("cut by top-k (bar: before the cut)", "被 top-k 剪掉（柱长：剪掉之前）"),
    "next_token.legend.top_p": ("cut by top-p (bar: before the cut)", "被 top-p 剪掉（柱长：剪掉之前）"),
    "next_token.legend.greedy": (
        "left out by greedy decoding (bar: the model's own)",
        "贪心解码不选（柱长：模型自己的概率）",
    ),
    "next_token.reason.kept": ("kept", "保留"),
    "next_token.reason.top_k": ("cut by top-k", "被 top-k 剪掉"),
    "next_token.reason.top_p": ("cut by top-p", "被 top-p 剪掉"),
    "next_token.reason.greedy": ("not the favourite", "不是最可能的"),
    "next_token.hover": (
        "{token} (id {id}) · rank {rank}<br>logit {logit:.3f}<br>model's own: {mp}<br>"
        "after temperature: {tp}<br>after your settings: {p} ({reason})",
        "{token}（id {id}）· 排名 {rank}<br>logit {logit:.3f}<br>模型自己的概率：{mp}<br>"
        "温度调整后：{tp}<br>按你的设置：{p}（{reason}）",
    ),
    "next_token.chosen_mark": ("◀ chosen", "◀ 选中"),
    "next_token.cum.title": (
        "Probability covered by the most likely tokens: where top-k and top-p cut",
        "最可能的词元累计覆盖的概率：top-k 与 top-p 在哪里剪",
    ),
    "next_token.cum.x": (
        "number of most likely tokens (log scale, out to all {vocab:,})",
        "最可能的词元个数（对数刻度，直到全部 {vocab:,} 个）",
    ),
    "next_token.cum.y": ("cumulative probability", "累计概率"),
    "next_token.cum.tempered": ("after temperature {temperature:g}", "温度 {temperature:g} 调整后"),
    "next_token.cum.greedy": ("greedy (temperature 1)", "贪心解码（温度 1）"),
    "next_token.cum.series": ("{curve}: {reason}", "{curve}：{reason}"),
    "next_token.cum.hover": ("top %{x:,}: %{y:.2%}", "前 %{x:,} 个：%{y:.2%}"),
    # the choice
    "next_token.choice.header": (
        "Greedy or sampled: the token the model would write",
        "贪心还是采样：模型会写下的词元",
    ),
    "next_token.choice.sampled": (
        "**Sampled** (seed {seed}) {token} — probability **{p}** after your settings (model's own: {mp}, "
        "rank {rank}). Greedy would take {fav} ({fav_p}).",
        "**采样**（种子 {seed}）得到 {token}——按你的设置概率为 **{p}**（模型自己的概率：{mp}，排名 {rank}）。"
        "贪心解码会选 {fav}（{fav_p}）。",
    ),
    "next_token.choice.sampled_favourite": (
        "**Sampled** (seed {seed}) {token} — probability **{p}** after your settings (model's own: {mp}, "
        "rank 1): this draw landed on the model's favourite, the token greedy would take too.",
        "**采样**（种子 {seed}）得到 {token}——按你的设置概率为 **{p}**（模型自己的概率：{mp}，排名 1）："
        "这次正好抽中了最可能的词元，和贪心解码的选择相同。",
    ),
    "next_token.choice.greedy": (
        "**Greedy**: takes the model's favourite, {token} — model's own probability **{mp}** (rank {rank}). "
        "No draw, so the seed, the temperature, top-k and top-p do not matter.",
        "**贪心解码**：直接选最可能的 {token}——模型自己的概率 **{mp}**（排名 {rank}）。"
        "没有随机抽取，所以种子、温度、top-k 和 top-p 都不起作用。",
    ),
    "next_token.choice.zero": (
        "**Temperature 0 means greedy**: the model's favourite, {token} — model's own probability **{mp}** "
        "(rank {rank}). No draw, so the seed does not matter.",
        "**温度为 0 即贪心解码**：选最可能的 {token}——模型自己的概率 **{mp}**（排名 {rank}）。"
        "没有随机抽取，所以种子不起作用。",
    ),
    # generation
    "next_token.gen.header": ("Append it and run again: autoregressive generation", "接上去再跑一遍：自回归生成"),
    "next_token.gen.explain": (
        "The model only ever predicts **one** token. To write more, the chosen token is appended to the prompt "
        "and the whole walk — tokens, embeddings, attention — runs again on the longer text. **Generate** takes "
        "the same steps one after another, so with the same settings and seed it writes exactly what pressing "
        "**Add the next token** that many times writes. Both buttons change the prompt in the sidebar, so "
        "every lesson then shows the longer text.",
        "模型每次只预测**一个**词元。要写更多，就把选中的词元接到提示词末尾，在更长的文字上把整个流程——"
        "词元、嵌入、注意力——再走一遍。**生成**按钮把同样的步骤一步接一步地做，所以在设置和种子相同时，"
        "它写出的内容与连按同样次数的**添加下一个词元**完全相同。两个按钮都会修改侧边栏中的提示词，"
        "之后每一课都会显示更长的文字。",
    ),
    "next_token.gen.step": ("Add the next token", "添加下一个词元"),
    "next_token.gen.n": ("Tokens to generate", "生成的词元数"),
    "next_token.gen.button": ("Generate {n} tokens", "生成 {n} 个词元"),
    "next_token.gen.added_one": (
        "Added {token} — **{p}** after your settings (model's own: {mp}, rank {rank}). The prompt in the "
        "sidebar now ends with it.",
        "已添加 {token}——按你的设置概率为 **{p}**（模型自己的概率：{mp}，排名 {rank}）。侧边栏中的提示词现在以它结尾。",
    ),
    "next_token.gen.added_many": (
        "Added {n} tokens, one step at a time. Colour = probability after your settings when it was chosen "
        "(darker = more likely); hover a token for its numbers. {n_low} of them had under 10%.",
        "已逐步添加 {n} 个词元。颜色 = 被选中时按你的设置的概率（越深越可能）；把鼠标移到词元上可看具体数字。"
        "其中 {n_low} 个的概率低于 10%。",
    ),
    "next_token.gen.chip": (
        "step {step}: {token} · {p} after your settings · model's own {mp} · rank {rank}",
        "第 {step} 步：{token} · 按你的设置 {p} · 模型自己的概率 {mp} · 排名 {rank}",
    ),
    "next_token.gen.joined": (
        "A token can be a single byte of a character's UTF-8 code, which is no text on its own: after such a "
        "token the step drew on until the character was complete (extra tokens drawn: {n}).",
        "一个词元可能只是某个字符 UTF-8 编码中的一个字节，单独不能成为文字：遇到这样的词元，这一步会继续抽取，"
        "直到字符完整（共多抽了 {n} 个词元）。",
    ),
    "next_token.gen.dropped": (
        "Some bytes drawn make no character ({n} in all, shown as <…> on the chips): they were left out of "
        "the prompt, not written as “�”.",
        "抽到的字节中有一些拼不成字符（共 {n} 个，在词元块中显示为 <…>）：它们被略去，没有写进提示词，也不会变成“�”。",
    ),
    "next_token.gen.retokenized": (
        "The new prompt is text, so it is cut into tokens afresh: the pieces may differ from the ones generated.",
        "新的提示词是文字，会被重新分词：切出的词元可能与生成时的不同。",
    ),
    # a typed word
    "next_token.word.header": ("How likely is a word you type?", "你输入的词有多大概率？"),
    "next_token.word.input": ("A word or phrase to come next", "接下来的一个词或短语"),
    "next_token.word.placeholder": ("e.g. cat, or ' cat' with a space", "例如 cat，或带空格的 ' cat'"),
    "next_token.word.empty": (
        "Type a word to see how likely the model thinks it is to come next.",
        "输入一个词，看看模型认为它接下来出现的概率有多大。",
    ),
    "next_token.word.no_tokens": (
        "{word} gives no tokens with this tokenizer — try a real word.",
        "{word} 在这个分词器下没有切出任何词元——请换一个真实的词。",
    ),
    "next_token.word.too_long": (
        "{word} is {n} tokens — more than {model} reads at once ({limit}). Try a shorter one.",
        "{word} 有 {n} 个词元——超过了 {model} 一次能读取的上限（{limit}）。请换短一点的。",
    ),
    "next_token.word.single": (
        "{word} is one token, {tokens}: probability **{p}** as the next token (model's own, temperature 1; "
        "rank {rank:,} of {vocab:,}).",
        "{word} 是一个词元 {tokens}：作为下一个词元的概率为 **{p}**（模型自己的概率，温度 1；"
        "在 {vocab:,} 个中排名 {rank:,}）。",
    ),
    "next_token.word.multi": (
        "{word} is {n} tokens: {tokens}. The first has probability **{p1}** as the next token (rank {rank:,}). "
        "The whole text needs every piece in turn, each given the ones before it (chain rule): "
        "{chain} = **{total}**.",
        "{word} 是 {n} 个词元：{tokens}。第一个作为下一个词元的概率为 **{p1}**（排名 {rank:,}）。"
        "整段文字需要每一块依次出现，每一块都以前面的为条件（链式法则）：{chain} = **{total}**。",
    ),
    "next_token.word.space": (
        "A leading space is part of the token: {a} is cut into {a_tokens}, {b} into {b_tokens} — different "
        "tokens with different probabilities. After a word, the next word usually starts with a space.",
        "开头的空格是词元的一部分：{a} 被切成 {a_tokens}，{b} 被切成 {b_tokens}——词元不同，概率也不同。"
        "在一个单词后面，下一个单词通常以空格开头。",
    ),
    "next_token.word.space.unspaced": (
        "A leading space is part of the token: {a} is cut into {a_tokens}, {b} into {b_tokens} — different "
        "tokens with different probabilities. Chinese is written without spaces, so the version without one is "
        "the usual continuation.",
        "开头的空格是词元的一部分：{a} 被切成 {a_tokens}，{b} 被切成 {b_tokens}——词元不同，概率也不同。"
        "中文词之间不加空格，所以不带空格的写法才是常见的接续。",
    ),
    "next_token.word.col.text": ("text", "文字"),
    "next_token.word.col.tokens": ("tokens", "词元"),
    "next_token.word.col.first": ("first token: probability", "第一个词元：概率"),
    "next_token.word.col.rank": ("first token: rank", "第一个词元：排名"),
    "next_token.word.col.total": ("whole text: probability (chain rule)", "整段文字：概率（链式法则）"),
}
