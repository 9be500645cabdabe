"""Sentences of the lesson "how it learned" (English, 中文); terms from the glossary."""

TEXT = {
    "page.learning": ("8 · How it learned", "8 · 它是怎么学会的"),
    "learning.title": (
        "How it learned: the model's own pretraining, replayed",
        "它是怎么学会的：回放这个模型自己的预训练",
    ),
    "home.lesson.learning": (
        "Replay the bundled model's training: loss, samples, heads appearing.",
        "回放内置模型的训练：损失、生成样例、注意力头的出现。",
    ),
    "learning.what": (
        "**Pretraining** is self-supervised: the text is its own answer key. A decoder like this one learns "
        "to predict every next token of its training books, and its weights move a little after every batch. "
        "Its run recorded, every 100 steps, the loss on the training text and on held-out books, a few "
        "continuations, and how every head attends. Move the step to watch it learn.",
        "**预训练**是自监督的：文本本身就是答案。像这样的解码器学着预测训练语料中的每一个下一个词元，每一批数据之后权重都会"
        "挪动一点。它的训练每 100 步记录一次：训练文本和留出书籍上的损失、几段续写，以及每个头的注意力方式。拖动步数，看它怎样学会。",
    ),
    "learning.notice": (
        "At step {step:,} ({tokens:.1f} M tokens read), {model}'s validation loss is {val:.2f} nats per token; "
        "a bigram model (the previous token only) reaches {bigram:.2f}. Its best induction head is then "
        "**{head}** ({score:.2f}).",
        "在第 {step:,} 步（已读 {tokens:.1f} M 个词元），{model} 的验证损失是每词元 {val:.2f} 奈特；"
        "二元模型（只看前一个词元）为 {bigram:.2f}。此时最好的归纳头是 **{head}**（{score:.2f}）。",
    ),
    "learning.what.masked": (
        "**Pretraining** is self-supervised: the text is its own answer key. A masked-language model like this "
        "one sees its training books with 15% of the tokens hidden and learns to restore them, reading both "
        "ways. Its run recorded, every 200 steps, the loss at the masks on the training text and on held-out "
        "books, how often its first guess was right, its fill-ins of a few sentences, and how every head "
        "attends. Move the step to watch it learn.",
        "**预训练**是自监督的：文本本身就是答案。像这样的掩码语言模型看到的训练语料里有 15% 的词元被遮住，它要学着把它们还原，"
        "而且前后文都能读。它的训练每 200 步记录一次：训练文本和留出书籍上被遮位置的损失、第一猜测猜对的比例、几个句子的填空，"
        "以及每个头的注意力方式。拖动步数，看它怎样学会。",
    ),
    "learning.notice.masked": (
        "At step {step:,} ({tokens:.1f} M tokens read), {model}'s loss at the masks of held-out books is "
        "{val:.2f} nats, and its first guess is right for **{top1:.1%}** of them; always guessing the most "
        "frequent token would be right for {base:.1%}. Its clearest next-token head is then **{head}** "
        "({score:.2f}).",
        "在第 {step:,} 步（已读 {tokens:.1f} M 个词元），{model} 在留出书籍被遮位置上的损失是 {val:.2f} 奈特，"
        "第一猜测猜对了其中的 **{top1:.1%}**；总猜最常见的词元只能猜对 {base:.1%}。此时最明显的后一词元头是 **{head}**"
        "（{score:.2f}）。",
    ),
    "learning.try.masked": (
        "Drag the step to the start and read the fill-ins: every [MASK] becomes “the” or a comma, the most "
        "frequent tokens. Move to the end and read them again, then compare the previous-token and next-token "
        "maps: an encoder reads both ways, and grows heads that look at the token after as well as before.",
        "把步数拖到最开始，读一读填空：每个 [MASK] 都被填成 “the” 或逗号——最常见的词元。再拖到最后读一遍，然后比较"
        "前一词元和后一词元两张图：编码器前后都读，会长出看后一个词元的头，也会长出看前一个词元的头。",
    ),
    "learning.notice.phase": (
        "Its first induction head (score ≥ {bar}) appeared by step {step:,}: the phase change.",
        "它的第一个归纳头（得分 ≥ {bar}）在第 {step:,} 步前出现：这就是相变。",
    ),
    "learning.notice.no_phase": (
        "No head reached an induction score of {bar} in this run: it never learned to copy.",
        "这次训练中没有一个头的归纳得分达到 {bar}：它始终没有学会照抄。",
    ),
    "learning.try": (
        "Drag the step to 100: the greedy continuation loops on “the king, and the king”. Then move to 3,600 "
        "and on to 4,000, watching the induction map: layer 3's heads 2 and 3 light up within 400 steps, while "
        "the loss curve only bends a little — the phase change.",
        "把步数拖到 100：贪心续写在“the king, and the king”里打转。再移到 3,600 并继续到 4,000，看归纳头的图："
        "第 3 层的头 2 和头 3 在 400 步之内亮起来，而损失曲线只是稍稍弯了一下——这就是相变。",
    ),
    "learning.try@zh": (
        "Drag the step from 100 to 200: at step 100 the Chinese model writes only commas and its induction map is "
        "pale; at step 200 layer 3, head 3 scores 0.73. Its blocks started from TinyTales', so it had the copying "
        "circuit to re-learn, not to grow — two runs from scratch never grew one (see its model card).",
        "把步数从 100 拖到 200：第 100 步时中文模型只会写逗号，归纳头的图很淡；到第 200 步，第 3 层第 3 个头的得分已是 "
        "0.73。它的模块是从 TinyTales 的权重起步的，所以照抄的回路只需重新学会，而不必从零长出——两次从零开始的训练"
        "都没能长出它（见它的模型卡）。",
    ),
    "learning.no_record": (
        "{model} was trained elsewhere: there is no record of its training to replay. Choose TinyTales or "
        "TinyTales 中文, which we trained and recorded ourselves.",
        "{model} 是在别处训练的：没有可以回放的训练记录。请选择 TinyTales 或 TinyTales 中文，它们是我们自己训练并记录的。",
    ),
    "learning.step": ("Training step", "训练步数"),
    "learning.play": ("Play", "播放"),
    "learning.play.help": ("Step through the recorded run, about one record a second.", "逐个播放记录，大约每秒一个。"),
    "learning.loss.title": ("Loss during training", "训练过程中的损失"),
    "learning.loss.train": ("training text", "训练文本"),
    "learning.loss.val": ("held-out books", "留出的书"),
    "learning.loss.bigram": ("bigram baseline {loss:.2f}", "二元模型基线 {loss:.2f}"),
    "learning.loss.phase": ("first induction head, step {step:,}", "第一个归纳头，第 {step:,} 步"),
    "learning.loss.x": ("step", "步数"),
    "learning.loss.y": ("loss (nats per token)", "损失（每词元奈特）"),
    "learning.samples": ("What it wrote at step {step:,}", "第 {step:,} 步时它写出的内容"),
    "learning.sample": ("*{prompt}* → {greedy}", "*{prompt}* → {greedy}"),
    "learning.heads": ("Every head at step {step:,}", "第 {step:,} 步时的每个头"),
    "learning.heads.title": ("{role} scores, step {step:,}", "{role}得分，第 {step:,} 步"),
    "learning.probe": ("One head's attention on the probe, then", "某个头当时在探针上的注意力"),
    "learning.probe.head": ("Head", "头"),
    "learning.probe.title": ("{head} at step {step:,}", "第 {step:,} 步的 {head}"),
    "learning.probe.caption": (
        "The probe, recorded at every step: “{probe}” — a head that has learned to copy looks, from a repeated "
        "word, at the token that followed its first appearance.",
        "每一步都记录的探针：“{probe}”——学会照抄的头会从重复出现的词看向它第一次出现之后的那个词元。",
    ),
    "learning.live": ("Train a tiny model yourself", "自己训练一个微型模型"),
    "learning.live.explain": (
        "A model of your own, two layers of 64 numbers, starts from random weights and learns the text below "
        "by predicting its next tokens, one batch of 16 windows per step. Its vocabulary is only the tokens "
        "the text uses, so its first loss is that of a uniform guess among them. The text's last tenth is held "
        "out and only measured. Train runs for up to {seconds} seconds (in the class's queue, on one core); "
        "nobody else's model is touched.",
        "一个属于你自己的模型——两层、每层 64 个数——从随机权重开始，通过预测下面这段文本的下一个词元来学习，每一步一批 16 个窗口。"
        "它的词表只有这段文本用到的词元，所以最初的损失等于在它们之中均匀乱猜。文本最后的十分之一被留出，只用来测量。"
        "“训练”最多运行 {seconds} 秒（在全班共用的队列里，占一个核）；不会动到任何别人的模型。",
    ),
    "learning.live.source": ("Text to learn", "要学的文本"),
    "learning.live.source.passage": (
        "18 fables from The Aesop for Children (1919)",
        "《伊索寓言（儿童版）》（1919）中的 18 则寓言（英文）",
    ),
    "learning.live.source.own": ("Your own text", "你自己的文本"),
    "learning.live.own": (
        "Paste a text (a few hundred words or more; up to 20,000 characters)",
        "粘贴一段文本（至少几百字；最多 20,000 个字符）",
    ),
    "learning.live.too_short": (
        "This text has {tokens} tokens; a live run needs at least {needed} (one training window and the next "
        "token). Paste a longer text.",
        "这段文本只有 {tokens} 个词元；实时训练至少需要 {needed} 个（一个训练窗口再加下一个词元）。请粘贴更长的文本。",
    ),
    "learning.live.cut": ("Only the first {most:,} characters are used.", "只使用前 {most:,} 个字符。"),
    "learning.live.rate": ("Learning rate", "学习率"),
    "learning.live.shape": (
        "{tokens:,} tokens to learn from, {held:,} held out; a vocabulary of {vocab:,} tokens.",
        "用来学习的词元 {tokens:,} 个，留出 {held:,} 个；词表 {vocab:,} 个词元。",
    ),
    "learning.live.train": ("Train ({seconds} s)", "训练（{seconds} 秒）"),
    "learning.live.step": ("One step", "走一步"),
    "learning.live.reset": ("Start over", "重新开始"),
    "learning.live.pause": ("Pause", "暂停"),
    "learning.live.running": (
        "Training… step {step:,} (at most {seconds} s)",
        "训练中……第 {step:,} 步（最多 {seconds} 秒）",
    ),
    "learning.live.ready": (
        "A fresh model, untrained. Press Train, or take one step.",
        "一个全新的、未训练的模型。按“训练”，或者先走一步。",
    ),
    "learning.live.numbers": (
        "Step {step:,}: training loss {loss:.2f} (a uniform guess: {start:.2f}); {speed:.1f} steps a second.",
        "第 {step:,} 步：训练损失 {loss:.2f}（均匀乱猜：{start:.2f}）；每秒 {speed:.1f} 步。",
    ),
    "learning.live.best": (
        "The held-out text was predicted best at step {step:,} ({loss:.2f}).",
        "留出文本在第 {step:,} 步预测得最好（{loss:.2f}）。",
    ),
    "learning.live.sample": (
        "At step {step:,} it continues the text's first words as: *{text}*",
        "第 {step:,} 步时，它这样续写文本开头的几个词元：*{text}*",
    ),
    "learning.live.loss.title": ("Your model's loss", "你的模型的损失"),
    "learning.live.loss.train": ("training text", "训练文本"),
    "learning.live.loss.val": ("held-out tenth", "留出的十分之一"),
    "learning.live.loss.start": ("uniform guess {loss:.2f}", "均匀乱猜 {loss:.2f}"),
    "learning.live.try@zh": (
        "**Try this:** TinyTales 中文's tokenizer cuts the English fables into 60 letters (16,976 tokens), so "
        "here there is far too much to memorise: at 0.003 the held-out line keeps falling with the training "
        "line for the whole run (about 2.0 after 600 steps). Switch the model to TinyTales and start over: its "
        "1,234-token vocabulary turns the same text into 4,312 tokens, and within about 100 steps the held-out "
        "loss turns up while the training loss keeps falling — memorising.",
        "**试一试**：TinyTales 中文的分词器把这些英文寓言切成 60 种字母（16,976 个词元），要背下来实在太多了：学习率 0.003 时，"
        "留出文本那条线整轮都跟着训练损失一起下降（600 步后约 2.0）。把模型换成 TinyTales 再重新开始：它的 1,234 个词元的词表"
        "把同一段文本变成 4,312 个词元，大约 100 步之内留出损失就转而上升，而训练损失还在下降——这就是在死记硬背。",
    ),
    "learning.live.try": (
        "**Try this:** at the learning rate 0.003, watch the held-out line: within about 100 steps it stops "
        "falling and turns up, while the training loss keeps going down — the model is memorising these few "
        "thousand tokens, not learning the language. Start over at 0.0003: after as many steps the training "
        "loss is still far above. The head maps stay nearly even: a minute is far too short for a head to find a job "
        "(TinyTales' first induction head took 3,800 steps of 16 long windows).",
        "**试一试**：学习率设为 0.003，盯住留出文本那条线：大约 100 步之内它就不再下降、转而上升，而训练损失还在往下走——"
        "模型是在背下这几千个词元，而不是在学语言。再以 0.0003 重新开始：同样的步数之后训练损失还高得多。各个头的图几乎一样淡：一分钟远不够一个头找到自己的分工"
        "（TinyTales 的第一个归纳头用了 3,800 步，每步 16 个长窗口）。",
    ),
    "learning.probe.caption.masked": (
        "The probe, recorded at every step: “{probe}” — an encoder's head may look at the token before, the "
        "token after, or the same word elsewhere in the sentence.",
        "每一步都记录的探针：“{probe}”——编码器的头可能看前一个词元、后一个词元，或者句中别处的同一个词。",
    ),
    "learning.objectives": ("Two objectives, one sentence", "两种目标，同一句话"),
    "learning.objectives.explain": (
        "A decoder such as GPT learns to predict the **next token**: every position is a question, the "
        "token after it the answer, and a mask keeps it from looking ahead. An encoder such as BERT is "
        "trained on **masked tokens**: about 15% of the positions are chosen, and the model, reading the "
        "whole sentence both ways, must restore them; the loss counts only there (everywhere else the label "
        "is −100). Here is one real training example of each, from the start of your prompt.",
        "像 GPT 这样的解码器学习预测**下一个词元**：每个位置都是一道题，它后面的词元就是答案，掩码让它看不到后面。"
        "像 BERT 这样的编码器用**掩码词元**训练：选出约 15% 的位置，模型双向读完整句话，要把它们还原；损失只在这些位置上计算"
        "（其余位置的标签是 −100）。下面是用你的提示词开头做出的两种真实训练样本。",
    ),
    "learning.fill.title": ("{model}'s guesses where “{token}” was chosen", "{model} 在被选中的“{token}”处的猜测"),
    "learning.fill.caption": (
        "{model}, trained on exactly this recipe, restores {right} of the {chosen} chosen tokens with its first "
        "guess (the filled bar is the original).",
        "用的正是这套做法训练出来的 {model}，第一猜测还原了 {chosen} 个被选词元中的 {right} 个（实心柱子是原词元）。",
    ),
    "learning.causal": ("Next-token (causal)", "下一个词元（因果）"),
    "learning.masked": ("Masked (BERT)", "掩码（BERT）"),
    "learning.mask_seed": ("Which 15% (a seed)", "选哪 15%（随机种子）"),
    "learning.col.input": ("input", "输入"),
    "learning.col.target": ("target", "目标"),
    "learning.col.label": ("label id", "标签 id"),
    "learning.col.original": ("original", "原词元"),
    "learning.col.kind": ("chosen as", "被选后"),
    "learning.kind.mask": ("→ [MASK]", "→ [MASK]"),
    "learning.kind.random": ("→ random token", "→ 随机词元"),
    "learning.kind.kept": ("kept", "保持不变"),
    "learning.causal.caption": (
        "{n} positions, {n} targets: the loss counts everywhere.",
        "{n} 个位置，{n} 个目标：每个位置都计入损失。",
    ),
    "learning.masked.caption": (
        "{chosen} of {n} tokens chosen ({mask} → [MASK], {random} → a random token, {kept} kept); only they "
        "count in the loss. With so short a text the share strays from 15%: change the seed.",
        "{n} 个词元中选中 {chosen} 个（{mask} 个 → [MASK]，{random} 个 → 随机词元，{kept} 个保持不变）；只有它们计入损失。"
        "文本这么短，比例会偏离 15%：换个种子试试。",
    ),
}
