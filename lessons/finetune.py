"""Sentences of the lesson "fine-tuning" (English, 中文); terms from the glossary."""

TEXT = {
    "page.finetune": ("9 · Fine-tuning", "9 · 微调"),
    "finetune.title": (
        "Fine-tuning: teach the model something its books never said",
        "微调：教模型一件它读过的书里没有的事",
    ),
    "home.lesson.finetune": (
        "Fine-tune the model live, fully or with LoRA: what it learned, what changed, what it forgot.",
        "现场微调模型（全参数或 LoRA）：它学到了什么、哪些权重变了、又忘了什么。",
    ),
    "finetune.what": (
        "Pretraining gave the model its language; **fine-tuning** trains it further on a few **labelled "
        "examples** so it fits one task. Here the task is a made-up island, Mirrow, that none of its books "
        "mention. Each example is a prompt and the completion to learn, and the loss counts only on the "
        "completion. **Full fine-tuning** moves every weight; **LoRA** freezes them and learns, beside chosen "
        "matrices, a small update of low rank. Your run tunes a copy of your own: nobody else's model changes.",
        "预训练给了模型语言能力；**微调**再用少量**有标注数据**继续训练，让它适应一个具体任务。这里的任务是一座虚构的小岛——米洛岛，"
        "它读过的书里从没提过。每个样本是一段提示词和要学会的补全，损失只在补全部分计算。**全参数微调**会改动每一个权重；"
        "**LoRA** 把原权重冻结，只在选定的矩阵旁学一个低秩的小更新。你训练的是你自己的一份副本：别人的模型不会变。",
    ),
    "finetune.notice": (
        "Before tuning, {model} gives “{completion}” after “{prompt}” a probability of **{p}**: it has never "
        "heard of Mirrow.",
        "微调之前，{model} 在“{prompt}”之后给出“{completion}”的概率只有 **{p}**：它从没听说过米洛岛。",
    ),
    "finetune.notice.after": (
        " After your run it gives **{p}**, and the held-out story's loss went from {before:.2f} to {after:.2f}.",
        " 你训练之后变成了 **{p}**，而留出故事上的损失从 {before:.2f} 变成了 {after:.2f}。",
    ),
    "finetune.try": (
        "Press **Fine-tune** with LoRA (rank 4, 60 steps): the facts go from nearly impossible to almost "
        "certain, while the story's loss rises by about 1 nat. Then switch to **full** fine-tuning (its learning "
        "rate drops to 0.001) and run again: the same facts, but the story's loss climbs more than twice as far — it forgot more (catastrophic "
        "forgetting, measured). Turn the "
        "adapter off, and the base model's bars come back exactly.",
        "用 LoRA（秩 4，60 步）按**开始微调**：这些事实从几乎不可能变成几乎确定，而故事上的损失只升高约 1 奈特。"
        "再切换到**全参数**微调（学习率自动降到 0.001）重跑一次：同样学会了这些事实，但故事上的损失升高了两倍多——它忘掉的更多（这就是灾难性遗忘，这里量了出来）。关掉适配器，"
        "基础模型的柱子就原样回来了。",
    ),
    "finetune.try@zh": (
        "Press **Fine-tune** with LoRA (rank 4, 60 steps): the facts go from nearly impossible to almost "
        "certain, while the story's loss rises from 6.09 to about 8.17. Then switch to **full** fine-tuning (its "
        "learning rate drops to 0.001) and run again: the same facts, and the story's loss climbs further, to "
        "about 11.58 — it forgot more (catastrophic forgetting, measured). Turn the adapter off, and the base "
        "model's bars come back exactly.",
        "用 LoRA（秩 4，60 步）按**开始微调**：这些事实从几乎不可能变成几乎确定，而故事上的损失从 6.09 升到约 8.17。"
        "再切换到**全参数**微调（学习率自动降到 0.001）重跑一次：同样学会了这些事实，故事上的损失升得更高，约 11.58——"
        "它忘掉的更多（这就是灾难性遗忘，这里量了出来）。关掉适配器，基础模型的柱子就原样回来了。",
    ),
    "finetune.encoder": (
        "{model} is an encoder: this lesson fine-tunes a decoder's next-token guesses. Choose TinyTales or "
        "TinyTales 中文.",
        "{model} 是编码器：本课微调的是解码器对下一个词元的预测。请选择 TinyTales 或 TinyTales 中文。",
    ),
    "finetune.examples": ("1 · The labelled examples", "1 · 有标注的样本"),
    "finetune.set": ("Examples", "样本"),
    "finetune.set.facts": ("Facts: a sentence to complete", "事实：补全一句话"),
    "finetune.set.qa": ("Questions: “Q: … A: …”, one template", "问答：“问：… 答：…”，统一模板"),
    "finetune.examples.help": (
        "Edit, add or delete rows. The loss counts only on the completion; the prompt is context.",
        "可以修改、添加或删除行。损失只在补全部分计算；提示词只是上下文。",
    ),
    "finetune.col.prompt": ("prompt", "提示词"),
    "finetune.col.completion": ("completion (learned)", "补全（要学的）"),
    "finetune.no_examples": (
        "Add at least one example with a prompt and a completion.",
        "请至少添加一个有提示词和补全的样本。",
    ),
    "finetune.method": ("2 · How to tune", "2 · 怎样微调"),
    "finetune.method.choice": ("Method", "方法"),
    "finetune.method.lora": ("LoRA (low-rank adaptation)", "LoRA（低秩适配）"),
    "finetune.method.full": ("Full fine-tuning (every weight)", "全参数微调（每一个权重）"),
    "finetune.rank": ("LoRA rank r", "LoRA 的秩 r"),
    "finetune.steps": ("Steps", "步数"),
    "finetune.lr": ("Learning rate", "学习率"),
    "finetune.targets": (
        "LoRA adapts these matrices in every block: {targets}.",
        "LoRA 在每个模块里适配这些矩阵：{targets}。",
    ),
    "finetune.params": (
        "Trainable: **{trainable:,}** of {total:,} numbers (**{share}**).",
        "可训练参数：**{trainable:,}** 个，全部 {total:,} 个（**{share}**）。",
    ),
    "finetune.run": ("Fine-tune", "开始微调"),
    "finetune.running": ("Tuning… step {step} of {steps}", "微调中……第 {step} / {steps} 步"),
    "finetune.result": ("3 · Before and after", "3 · 微调前后"),
    "finetune.seconds": (
        "{steps} steps in {seconds:.1f} s ({method}).",
        "{steps} 步，用时 {seconds:.1f} 秒（{method}）。",
    ),
    "finetune.loss.title": ("Learning the new, forgetting the old", "学会新的，忘掉旧的"),
    "finetune.loss.task": ("the examples (completion only)", "样本（只算补全）"),
    "finetune.loss.story": ("a held-out story", "一段留出的故事"),
    "finetune.table.example": ("example", "样本"),
    "finetune.table.before": ("P before", "微调前概率"),
    "finetune.table.after": ("P after", "微调后概率"),
    "finetune.prompt": ("Prompt to compare", "用来比较的提示词"),
    "finetune.adapter": ("Adapter on", "打开适配器"),
    "finetune.adapter.help": (
        "Off: the same tuned model with LoRA's update switched off — the base model's numbers, exactly.",
        "关闭：同一个微调后的模型，把 LoRA 的更新关掉——得到的正是基础模型的数字。",
    ),
    "finetune.bars.title": ("Next token after “{prompt}”", "“{prompt}”之后的下一个词元"),
    "finetune.bars.base": ("base model", "基础模型"),
    "finetune.bars.tuned": ("tuned", "微调后"),
    "finetune.bars.off": ("tuned, adapter off", "微调后，适配器关闭"),
    "finetune.greedy": (
        "Greedy continuation — base: *{base}* · tuned: *{tuned}*",
        "贪心续写——基础：*{base}* · 微调后：*{tuned}*",
    ),
    "finetune.history": (
        "**Your runs so far** — compare how much each forgot:",
        "**你到目前为止的几次训练**——比一比每次忘掉了多少：",
    ),
    "finetune.history.method": ("method", "方法"),
    "finetune.history.facts": ("mean P of the completions", "补全的平均概率"),
    "finetune.history.story": ("held-out story's loss", "留出故事的损失"),
    "finetune.change": ("4 · What changed", "4 · 哪些权重变了"),
    "finetune.change.title": ("How far each matrix moved: ‖ΔW‖ / ‖W‖", "每个矩阵挪动了多少：‖ΔW‖ / ‖W‖"),
    "finetune.matrix": ("Matrix", "矩阵"),
    "finetune.delta.title": ("ΔW of {matrix}", "{matrix} 的 ΔW"),
    "finetune.delta.in": ("inputs ({n})", "输入（{n}）"),
    "finetune.delta.out": ("outputs ({n})", "输出（{n}）"),
    "finetune.singular.title": ("Singular values of ΔW", "ΔW 的奇异值"),
    "finetune.singular.x": ("singular value", "第几个奇异值"),
    "finetune.singular.y": ("size", "大小"),
    "finetune.singular.caption": (
        "LoRA's update is B·A with r = {rank}: only {rank} singular values are not zero. Full fine-tuning's "
        "update has many.",
        "LoRA 的更新是 B·A，r = {rank}：只有 {rank} 个奇异值不为零。全参数微调的更新有很多个。",
    ),
    "finetune.singular.caption.full": (
        "Full fine-tuning's update spreads over many directions; LoRA's would have only r.",
        "全参数微调的更新分散在许多方向上；LoRA 的只有 r 个。",
    ),
    "finetune.everywhere": ("5 · Take it through the other lessons", "5 · 带着它走完其他课程"),
    "finetune.everywhere.toggle": (
        "Use my tuned model on every lesson page",
        "在每一课里都使用我微调后的模型",
    ),
    "finetune.everywhere.help": (
        "Only in this browser session: the tokens, attention, blocks and next-token pages then read your tuned "
        "copy (LoRA's update added into its weights). Nobody else sees it; turn it off to go back.",
        "只在你这个浏览器会话里有效：词元、注意力、模块内部和下一个词元等页面都改用你微调后的副本（LoRA 的更新已加进权重）。"
        "别人看不到它；关掉就回到原来的模型。",
    ),
    "finetune.download": ("Download the adapter (safetensors)", "下载适配器（safetensors）"),
    "finetune.stale": (
        "Your last run tuned another model or other examples; press Fine-tune to tune these.",
        "你上一次微调的是别的模型或别的样本；按“开始微调”来微调现在这些。",
    ),
}
