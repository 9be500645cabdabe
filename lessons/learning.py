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
        "Drag the step from 100 to the end and read the continuations: the Chinese model goes from repeating "
        "“我” to clauses of real words (“他与八戒，却就教沙僧”), while the induction map stays pale — it has not "
        "learned to copy yet (TinyTales, in English, has).",
        "把步数从 100 拖到最后，读一读续写：中文模型从重复“我”变成了由真实词语组成的分句（“他与八戒，却就教沙僧”），"
        "而归纳头的图始终很淡——它还没有学会照抄（英文的 TinyTales 学会了）。",
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
}
