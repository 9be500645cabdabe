"""Sentences of the lesson "the head lab" (English, 中文); terms from the glossary."""

TEXT = {
    "page.heads": ("7 · Head lab", "7 · 注意力头实验室"),
    "heads.title": (
        "The head lab: what each head does, and what breaks when you knock it out",
        "注意力头实验室：每个头做什么，把它消融会坏掉什么",
    ),
    "home.lesson.heads": (
        "Score every head's role, knock heads out, patch activations.",
        "给每个头的角色打分，消融注意力头，做激活修补。",
    ),
    "heads.what": (
        "The model has {heads} attention heads. Looking at a pattern suggests what a head does; breaking it shows "
        "what the model needs it for. Here every head is scored on fixed probes, you can **knock heads out** "
        "(their output set to zero, or to its average) and watch the prediction and the loss change, sweep every "
        "head in turn, and **patch** activations from one prompt into another.",
        "模型一共有 {heads} 个注意力头。看注意力模式只能猜一个头在做什么；把它弄坏，才能看出模型需要它做什么。"
        "这里每个头都在固定的探针上打分，你可以**消融注意力头**（把它的输出设为零或它的平均值），看预测和损失如何变化，"
        "也可以依次消融每个头，或把一个提示词的激活**修补**到另一个提示词里。",
    ),
    "heads.notice": (
        "On {model}, the strongest induction head is **{ind}** ({ind_v:.2f}): on a random sequence written twice "
        "it looks at the token that followed the earlier copy. The strongest previous-token head is **{prev}** "
        "({prev_v:.2f}). On average a head puts {sink:.0%} of its attention on the first token.",
        "在 {model} 上，最强的归纳头是 **{ind}**（{ind_v:.2f}）：在写了两遍的随机序列上，它会看向前一遍里紧跟其后的那个词元。"
        "最强的前一词元头是 **{prev}**（{prev_v:.2f}）。平均而言，一个头把 {sink:.0%} 的注意力放在第一个词元上。",
    ),
    "heads.try": (
        "Keep the two top induction heads knocked out (the default) and read the loss chart: on the second copy "
        "of the random sequence TinyTales' loss jumps from 0.12 to 11.6 nats — it can no longer copy. Then click "
        "“the two strongest previous-token heads”: the second copy suffers too, since an induction head needs to "
        "know what came before each token. Last, patch the ready pair “King Arthur / King Henry”: the name's "
        "information sits at its own position in the early layers and reaches the final “King” through layer 3's "
        "attention (0.62 of the answer restored there).",
        "保持消融两个最强的归纳头（默认设置），看损失图：在随机序列的第二遍上，TinyTales 的损失从 0.12 跳到 11.6 奈特——"
        "它再也不会照抄了。再点“两个最强的前一词元头”：第二遍同样变差，因为归纳头需要知道每个词元前面是什么。最后修补现成的“King Arthur / King Henry”一对：名字的信息在前几层停在它自己的位置上，"
        "再经由第 3 层的注意力到达最后的“King”（在那里恢复了 0.62 的答案）。",
    ),
    "heads.try@zh": (
        "Knock out the two top “induction” heads (layer 3, heads 2 and 3: 0.91 and 0.90) and read the loss chart: on TinyTales 中文 the second copy's loss jumps from about 0.1 to about 10 nats per token, almost as high as the first copy's (about 12). Knock out only the best one and it rises to about 1.4: the other heads still copy.",
        "消融两个得分最高的“归纳头”（第 3 层第 2、3 个头：0.91 和 0.90），看损失图：在 TinyTales 中文上，第二遍的损失从每个词元约 0.1 奈特跳到约 10，几乎和第一遍（约 12）一样高。只消融最好的那一个，损失只升到约 1.4：其余的头还在照抄。",
    ),
    "heads.sink": ("Leave the first token out of the scores", "打分时不计第一个词元"),
    "heads.sink.help": (
        "Many heads rest on the first token when they have nothing to do (an attention sink). Left out, each row "
        "of attention is renormalised over the other tokens, so a resting head is not counted as focused.",
        "很多头没事可做时会停在第一个词元上（注意力汇点）。不计它时，每一行注意力在其余词元上重新归一化，"
        "这样停着的头就不会被算成“专注”。",
    ),
    "heads.atlas": ("Head roles: every head scored on the same probes", "头的角色：每个头在同样的探针上打分"),
    "heads.role": ("Role", "角色"),
    "heads.role.induction": ("induction", "归纳"),
    "heads.role.previous_token": ("previous token", "前一词元"),
    "heads.role.next_token": ("next token", "后一词元"),
    "heads.role.duplicate_token": ("duplicate token", "重复词元"),
    "heads.role.first_token": ("first token (sink)", "第一个词元（汇点）"),
    "heads.role.entropy": ("entropy", "熵"),
    "heads.role.induction.how": (
        "Mean attention from each token of the second copy of a random sequence to the token after its earlier copy.",
        "随机序列第二遍中的每个词元，投向它在第一遍中那一处之后一个词元的平均注意力。",
    ),
    "heads.role.previous_token.how": (
        "Mean attention from each token of a short story to the token just before it.",
        "一小段故事中每个词元投向它前一个词元的平均注意力。",
    ),
    "heads.role.duplicate_token.how": (
        "Mean attention from each token of the second copy to the same token in the first copy.",
        "第二遍中每个词元投向第一遍中同一个词元的平均注意力。",
    ),
    "heads.role.first_token.how": (
        "Mean attention from every token of the story to its first token.",
        "故事中每个词元投向第一个词元的平均注意力。",
    ),
    "heads.role.entropy.how": (
        "Mean entropy of each attention row on the story, in bits: low = a head that looks at one place.",
        "故事上每一行注意力的平均熵（比特）：越低，这个头越只看一个地方。",
    ),
    "heads.unit.bits": ("bits", "比特"),
    "heads.unit.share": ("attention", "注意力"),
    "heads.unit.nats": ("Δ loss (nats)", "损失变化（奈特）"),
    "heads.atlas.title": (
        "{role} score of every head · {model} (click a head)",
        "每个头的{role}得分 · {model}（点击一个头）",
    ),
    "heads.not_proof": (
        "A score says where a head looks on these probes, not what it does for the model: a head can score high "
        "and matter little (another head does the same), or score low and matter a lot on other text. The "
        "knock-out below tests it.",
        "得分只说明一个头在这些探针上看向哪里，并不说明它为模型做了什么：一个头可以得分很高却无关紧要（别的头做了同样的事），"
        "也可以得分很低却在别的文本上很关键。下面的消融实验来检验它。",
    ),
    "heads.pattern.probe": ("{head} on the repeated random probe", "{head} 在重复随机探针上"),
    "heads.pattern.prompt": ("{head} on your prompt", "{head} 在你的提示词上"),
    "heads.knock": ("Knock heads out", "消融注意力头"),
    "heads.knock.pick": ("Heads to knock out", "要消融的头"),
    "heads.knock.top_induction": ("The two strongest induction heads", "两个最强的归纳头"),
    "heads.knock.top_previous": ("The two strongest previous-token heads", "两个最强的前一词元头"),
    "heads.knock.role_all": ("Every {role} head (score ≥ {bar})", "所有{role}头（得分 ≥ {bar}）"),
    "heads.knock.none": ("Pick one head or more to see what the model loses.", "选一个或多个头，看看模型失去了什么。"),
    "heads.mode": ("Knock out by setting the head's output to", "把头的输出设为"),
    "heads.mode.zero": ("zero", "置零"),
    "heads.mode.mean": ("its average", "均值"),
    "heads.mode.help": (
        "Zero is simple but pushes the stream somewhere it never is; the average (over a reference text) keeps "
        "what the head always writes and removes only what depends on this input.",
        "置零很简单，但会把残差流推到它从未到过的地方；平均值（在一段参考文本上求得）保留这个头总会写入的部分，"
        "只去掉随输入而变的部分。",
    ),
    "heads.knock.prompt": (
        "With {heads} knocked out, the model's top guess on your prompt, {token}, changes its log-probability by "
        "{shift}; the whole next-token distribution moves by a KL divergence of {kl} nats.",
        "消融 {heads} 后，模型在你的提示词上的第一猜测 {token} 的对数概率变化了 {shift}；整个下一个词元分布的 KL 散度变化为 {kl} 奈特。",
    ),
    "heads.knock.probe": (
        "On the random probe, the second copy's mean loss goes from **{clean:.2f}** to **{knocked:.2f}** nats "
        "(the first copy, which nothing can predict, costs {first:.2f}).",
        "在随机探针上，第二遍的平均损失从 **{clean:.2f}** 变为 **{knocked:.2f}** 奈特（第一遍无从预测，损失为 {first:.2f}）。",
    ),
    "heads.loss.title": ("Next-token loss at each position of the probe", "探针上每个位置的下一个词元损失"),
    "heads.loss.x": ("position (the token being predicted)", "位置（被预测的词元）"),
    "heads.loss.y": ("loss (nats)", "损失（奈特）"),
    "heads.loss.clean": ("all heads", "全部头"),
    "heads.loss.knocked": ("knocked out", "消融之后"),
    "heads.loss.second": ("second copy", "第二遍"),
    "heads.bars.title": (
        "Top next tokens on your prompt, before and after",
        "你的提示词上的前几个下一个词元：消融前后",
    ),
    "heads.bars.x": ("probability", "概率"),
    "heads.encoder": (
        "{model} is an encoder: it has no next-token loss to break, so the knock-out and patching experiments "
        "need a decoder (TinyTales). The role scores above are real.",
        "{model} 是编码器：没有下一个词元的损失可以破坏，所以消融和修补实验需要解码器（TinyTales）。上面的角色得分是真实的。",
    ),
    "heads.sweep": ("Predict, then test: every head knocked out in turn", "先预测，再检验：依次消融每个头"),
    "heads.sweep.explain": (
        "Which single head does the model need most to copy the second half of the probe? Make a guess, then "
        "run the sweep: one forward pass per head, each with that head alone knocked out.",
        "模型照抄探针后半段时最需要哪一个头？先猜一个，再运行扫描：每个头一次前向计算，每次只消融那一个头。",
    ),
    "heads.guess": ("Your guess", "你的猜测"),
    "heads.guess.none": ("no guess", "不猜"),
    "heads.sweep.run": ("Knock out every head in turn", "依次消融每个头"),
    "heads.sweep.top.copy": (
        "Knocking out **{head}** alone raises the second copy's loss most: {delta:+.2f} nats.",
        "单独消融 **{head}** 让第二遍的损失上升最多：{delta:+.2f} 奈特。",
    ),
    "heads.sweep.top.prompt": (
        "Knocking out **{head}** alone lowers the followed token's log-probability most: by {delta:.2f}.",
        "单独消融 **{head}** 让所跟踪词元的对数概率下降最多：{delta:.2f}。",
    ),
    "heads.metric": ("Measure", "衡量"),
    "heads.metric.copy": ("copying on the random probe (its second copy's loss)", "随机探针上的照抄（第二遍的损失）"),
    "heads.metric.prompt": (
        "your prompt (the followed token's log-probability)",
        "你的提示词（所跟踪词元的对数概率）",
    ),
    "heads.follow": ("Token to follow", "要跟踪的词元"),
    "heads.sweep.guess": (
        "Your guess {head}: {delta:+.2f} nats, number {rank} of {n}.",
        "你猜的 {head}：{delta:+.2f} 奈特，在 {n} 个头中排第 {rank}。",
    ),
    "heads.sweep.title.copy": (
        "Change in the second copy's loss, one head knocked out · {model}",
        "消融一个头后第二遍损失的变化 · {model}",
    ),
    "heads.sweep.title.prompt": (
        "Drop in the followed token's log-probability, one head knocked out · {model}",
        "消融一个头后所跟踪词元对数概率的下降 · {model}",
    ),
    "heads.patch": ("Activation patching: where does the answer live?", "激活修补：答案藏在哪里？"),
    "heads.patch.explain": (
        "Two prompts of the same length differ in one detail, so they point to different answers. Run the "
        "corrupted one, but copy in one vector from the clean run — one layer, one position — and see how much "
        "of the clean answer comes back: 1 = all of it, 0 = none.",
        "两个长度相同的提示词只差一个细节，因此指向不同的答案。运行被改动的那个，但从干净的运行中拷贝进一个向量——"
        "某一层、某一个位置——看干净的答案回来了多少：1 = 全部回来，0 = 没有回来。",
    ),
    "heads.patch.no_pairs": (
        "There are ready prompt pairs for the bundled decoders only; {model} has none.",
        "只有内置的解码器模型才有现成的提示词对；{model} 没有。",
    ),
    "heads.patch.pair": ("Prompt pair", "提示词对"),
    "heads.patch.own": ("your own pair…", "自己写一对……"),
    "heads.patch.clean": ("Clean prompt", "干净的提示词"),
    "heads.patch.corrupt": (
        "Corrupted prompt (same length, one detail changed)",
        "改动的提示词（长度相同，只改一个细节）",
    ),
    "heads.patch.answer": ("The clean prompt's next token", "干净提示词的下一个词元"),
    "heads.patch.foil": ("The corrupted prompt's next token", "改动提示词的下一个词元"),
    "heads.patch.type": (
        "Type both prompts and the next token each should favour.",
        "请输入两个提示词，以及各自应当偏向的下一个词元。",
    ),
    "heads.patch.lengths": (
        "The two prompts must be the same length in tokens to be patched position by position: the clean one "
        "is {clean} tokens, the corrupted one {corrupt}. Change a word for one that splits the same way.",
        "两个提示词的词元数必须相同，才能逐位置修补：干净的是 {clean} 个词元，改动的是 {corrupt} 个。"
        "换一个切分方式相同的词试试。",
    ),
    "heads.patch.one_token": (
        "The answer {answer} and the foil {foil} must each be one token for this model; pick words it does not split.",
        "答案 {answer} 和对照 {foil} 对这个模型都必须是一个词元；请选不会被切开的词。",
    ),
    "heads.patch.pair_text": (
        "Clean: “{clean}” · corrupted: “{corrupt}” ({n} tokens each). The metric is the logit of {answer} minus "
        "that of {foil} at the last position: {clean_m:.2f} clean, {corrupt_m:.2f} corrupted.",
        "干净的：“{clean}” · 改动的：“{corrupt}”（各 {n} 个词元）。指标是最后一个位置上 {answer} 的 logit 减去 {foil} 的 logit："
        "干净时 {clean_m:.2f}，改动后 {corrupt_m:.2f}。",
    ),
    "heads.patch.weak": (
        "The model barely tells these two prompts apart (a gap of {gap:.2f}), so the patching map below is "
        "mostly noise: this pair is beyond what it learned.",
        "模型几乎分不清这两个提示词（差距只有 {gap:.2f}），所以下面的修补图大多是噪声：这一对超出了它学到的东西。",
    ),
    "heads.patch.run": ("Patch every layer and position", "修补每一层、每个位置"),
    "heads.patch.resid_pre": ("The residual stream entering each layer", "进入每一层的残差流"),
    "heads.patch.attn_out": ("What each layer's attention writes", "每一层注意力写入的内容"),
    "heads.patch.mlp_out": ("What each layer's MLP writes", "每一层 MLP 写入的内容"),
    "heads.patch.head_out": ("One head's output at every position · {model}", "一个头在所有位置上的输出 · {model}"),
    "heads.patch.colour": ("clean answer restored", "恢复的干净答案"),
    "heads.patch.hover": ("layer %{y}, %{customdata}: %{z:.3f}", "第 %{y} 层，%{customdata}：%{z:.3f}"),
    "heads.head": ("H{h}", "头{h}"),
    "heads.layer": ("L{layer}", "第{layer}层"),
    "jobs.waiting": ("Waiting for the server: number {place} in line.", "正在等待服务器：排在第 {place} 位。"),
    "jobs.running": ("Running…", "正在运行……"),
    "jobs.cancel": ("Cancel", "取消"),
    "jobs.cancelled": ("Cancelled. Press the button to run it again.", "已取消。按按钮可以重新运行。"),
    "jobs.failed": ("The run failed: {error}", "运行失败：{error}"),
}
