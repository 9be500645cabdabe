"""Sentences of the lesson "the original Transformer: encoder, decoder and cross-attention" (English, 中文); terms
from the glossary."""

TEXT = {
    "page.seq2seq": ("11 · Encoder–decoder", "11 · 编码器-解码器"),
    "seq2seq.title": (
        "The original Transformer: an encoder, a decoder, and the attention between them",
        "最初的 Transformer：编码器、解码器，以及连接两者的编码-解码注意力",
    ),
    "home.lesson.seq2seq": (
        "The 2017 Transformer had two stacks: an encoder that reads the input and a decoder that writes the output, "
        "reading the encoder through cross-attention. Watch a tiny one rewrite a date as 1921-03-03, one character at "
        "a time.",
        "2017 年的 Transformer 有两摞模块：编码器读入输入，解码器写出输出，并通过编码-解码注意力（交叉注意力）读取"
        "编码器。看一个小模型怎样把日期一个字符一个字符地改写成 1921-03-03。",
    ),
    "seq2seq.what": (
        "The Transformer of 2017 (“Attention Is All You Need”) was built to translate, and it has two stacks. ① The "
        "input becomes vectors (embedding plus positions). ② The **encoder** turns them into a hidden representation "
        "— the article calls this compressing: still one vector per input token, but each now carries what the whole "
        "input means. ③ Every layer of the **decoder** reads those vectors through **cross-attention** "
        "(encoder–decoder attention). ④ The decoder unpacks them into the output, one token at a time, feeding each "
        "new token back in. ⑤ A softmax at the top gives the next token. {model} is such a model — {enc_layers} "
        "encoder and {dec_layers} decoder layers of {heads} heads — trained to rewrite a date written in English or "
        "Chinese as ISO: “the 3rd of March, 1921” → 1921-03-03. Its tokens are single characters. “Compressed” is a "
        "picture, not a size: the encoder hands over as many vectors as the input has tokens.",
        "2017 年的 Transformer（《Attention Is All You Need》）是为翻译而设计的，它有两摞模块。① 输入先变成向量"
        "（输入嵌入加上位置编码）。② **编码器**把这些向量加工成隐藏表示——文章称之为压缩：每个输入词元仍然对应"
        "一个向量，但这个向量已经带上了整句输入的意思。③ **解码器**的每一层都通过**编码-解码注意力**"
        "（交叉注意力）读取这些向量。④ 解码器把它们解压成输出，一次一个词元，每写出一个就把它接回自己的输入。"
        "⑤ 顶端的 softmax 给出下一个词元。{model} 就是这样一个模型——编码器 {enc_layers} 层、解码器 {dec_layers} "
        "层，每层 {heads} 个注意力头——训练目标是把用英文或中文写的日期改写成 ISO 格式："
        "“the 3rd of March, 1921” → 1921-03-03。它的词元（token）就是单个字符。“压缩”只是个比喻，并不是变小："
        "输入有多少个词元，编码器就交出多少个向量。",
    ),
    "seq2seq.source": ("A date to rewrite", "要改写的日期"),
    "seq2seq.examples": ("Examples", "示例"),
    "seq2seq.output": ("{model} writes {output}.", "{model} 写出 {output}。"),
    # messages
    "seq2seq.need_model": (
        "{model} has no encoder–decoder; this lesson loads TinyDates, a tiny one trained to rewrite dates.",
        "{model} 没有编码器-解码器结构；本课改用 TinyDates——一个专门训练来改写日期的小型编码器-解码器。",
    ),
    "seq2seq.too_long": (
        "This date has {n} characters; {model} reads at most {limit}. Write it shorter, e.g. “the 3rd of March, 1921”.",
        "这个日期有 {n} 个字符；{model} 最多读 {limit} 个。请写短一些，例如“一九二一年三月三日”。",
    ),
    "seq2seq.empty": (
        "The date is empty: type one, e.g. “the 3rd of March, 1921” or “一九二一年三月三日”.",
        "日期是空的：请输入一个，例如“一九二一年三月三日”或“the 3rd of March, 1921”。",
    ),
    "seq2seq.unseen.year": (
        "TinyDates learned only years from {first} to {last}, and {year} is not among them. It will still answer — "
        "the decoder always writes its likeliest next character — but the year may come out wrong: it has never "
        "had to write these digits, so it leans towards the years it saw in training.",
        "TinyDates 只学过 {first} 到 {last} 年，{year} 不在其中。它照样会给出答案——解码器总是写出最可能的下一个"
        "字符——但年份可能是错的：它从来没写过这几个数字，所以会偏向训练时见过的年份。",
    ),
    "seq2seq.unseen.form": (
        "TinyDates learned seven ways of writing a date ({forms}), and this is not one of them. It will still answer "
        "— the decoder writes its likeliest character whatever the input — but the answer may be wrong: the "
        "encoder's vectors for an unfamiliar form are not ones the decoder learned to read, and where they tell it "
        "little it writes what usually comes next in an ISO date.",
        "TinyDates 学过七种日期写法（{forms}），这不是其中之一。它照样会给出答案——不管输入是什么，解码器都会写出"
        "最可能的字符——但答案可能是错的：编码器为陌生写法算出的向量，解码器并没有学过怎么读；这些向量提供的信息"
        "越少，它就越是照着 ISO 日期里通常出现的字符往下写。",
    ),
    "seq2seq.held_out": (
        "This date was held out of training: {model} never saw it, in any form. Writing it right is generalising, "
        "not remembering.",
        "这个日期在训练时被留出了：{model} 从没见过它，无论哪种写法。能写对，靠的是举一反三，而不是死记硬背。",
    ),
    # 1 · the three views
    "seq2seq.views": ("1 · Three kinds of attention", "1 · 三种注意力"),
    "seq2seq.views.pick": ("Attention", "注意力"),
    "seq2seq.views.what": (
        "An encoder–decoder has three kinds of attention; switch between them here. **Encoder self-attention** "
        "(steps ①–②): every input character reads every other, in both directions — a full square, nothing masked, "
        "as in BERT. **Decoder self-attention** (step ④): each output character reads only the ones before it — the "
        "causal mask leaves a triangle, as in GPT. **Cross-attention** (step ③): each decoder position reads the "
        "encoder's output, so the rows are output tokens, the columns input tokens, and the matrix need not be "
        "square. Its queries come from the decoder, its keys and values from the top of the encoder; every decoder "
        "layer has its own cross-attention, and all of them read the same encoder vectors.",
        "编码器-解码器里有三种注意力，可以在这里切换。**编码器自注意力**（步骤 ①–②）：每个输入字符都读取所有"
        "其他字符，前后双向——一个完整的方阵，没有掩码，和 BERT 一样。**解码器自注意力**（步骤 ④）：每个输出"
        "字符只读它前面的字符——因果掩码留下一个三角形，和 GPT 一样。**交叉注意力**（步骤 ③）：解码器的每个"
        "位置读取编码器的输出，所以行是输出词元，列是输入词元，矩阵不必是方的。它的查询（Q）来自解码器，"
        "键（K）和值（V）来自编码器的最顶层；解码器每一层都有自己的交叉注意力，读的都是同一组编码器向量。",
    ),
    "seq2seq.views.notice": (
        "On “{source}” → {output}, cross-attention head L{layer}H{head} is the sharpest: on average {share:.2f} of "
        "an output position's attention goes to a single input character. Position {position}, which writes {char}, "
        "looks hardest at {peak} in the input.",
        "在“{source}” → {output} 上，交叉注意力头 L{layer}H{head} 最集中：每个输出位置平均有 {share:.2f} 的"
        "注意力落在同一个输入字符上。写出 {char} 的位置 {position}，最关注输入中的 {peak}。",
    ),
    "seq2seq.views.try": (
        "Open the encoder view: a full square. Then the decoder view: a triangle. In the cross view, follow "
        "L{layer}H{head} row by row: the year's digits look at the year's digits, the month's {digit} at {month}, and "
        "a 0 that the input never wrote (the 0 of 03) at `</s>`, the end of the input. Then type the same date in "
        "Chinese, “{zh_source}”: the output stays {output}, but the bright cells move to the characters that carry "
        "each number in that form — the month's 三 and the day's 三 are different cells.",
        "先打开编码器视图：一个完整的方阵。再看解码器视图：一个三角形。在交叉注意力视图里逐行看 L{layer}H{head}："
        "年份的数字看向输入里年份的数字，月份的 {digit} 看向 {month}，而输入里根本没写的 0（03 里的 0）看向输入的"
        "结尾 `</s>`。然后用中文输入同一个日期“{zh_source}”：输出仍是 {output}，但亮格移到了这种写法里承载各个数字"
        "的字符上——月份的“三”和日的“三”是两个不同的格子。",
    ),
    "seq2seq.heatmap.title": ("{kind} · layer {layer}, head {head}", "{kind} · 第 {layer} 层，第 {head} 个头"),
    "seq2seq.kind.encoder": ("Encoder self-attention (bidirectional)", "编码器自注意力（双向）"),
    "seq2seq.kind.decoder": ("Decoder self-attention (causal mask)", "解码器自注意力（因果掩码）"),
    "seq2seq.kind.cross": ("Cross-attention: the output reads the input", "交叉注意力：输出读取输入"),
    "seq2seq.axis.input_reads": ("input (encoder) token — reads", "输入词元（编码器，读取方）"),
    "seq2seq.axis.input_read": ("input (encoder) token — is read", "输入词元（编码器，被读取方）"),
    "seq2seq.axis.output_reads": ("output (decoder) token — reads", "输出词元（解码器，读取方）"),
    "seq2seq.axis.output_read": ("output (decoder) token — is read", "输出词元（解码器，被读取方）"),
    "seq2seq.axis.input": ("input (encoder) token", "输入词元（编码器）"),
    "seq2seq.axis.output": ("output (decoder) token", "输出词元（解码器）"),
    "seq2seq.grid.title": ("{kind}: every layer × head", "{kind}：每一层 × 每个头"),
    "seq2seq.grid.hover": (
        "layer %{customdata[0]} · head %{customdata[1]}<br>mean top weight of a row %{customdata[2]}<br>click to open",
        "第 %{customdata[0]} 层 · 第 %{customdata[1]} 个头<br>每行最大权重的平均 %{customdata[2]}<br>点击打开",
    ),
    "seq2seq.grid.caption": (
        "{layers} layers × {heads} heads. A head whose rows each have one bright cell reads one token at a time; "
        "click a thumbnail to open it above.",
        "{layers} 层 × {heads} 个头。如果一个头的每一行都只有一个亮格，它每次只读一个词元；点击缩略图即可在上方"
        "打开它。",
    ),
    # 2 · step-through decoding
    "seq2seq.step": ("2 · Decoding, one character at a time", "2 · 逐字解码"),
    "seq2seq.step.what": (
        "Generating runs the decoder once per output token (step ④). It starts from the **decoder start token** "
        "`<s>`; at each step it reads everything it has written so far, reads the encoder's vectors through "
        "cross-attention, and its softmax (step ⑤) gives the next character. **Greedy decoding** takes the likeliest "
        "and feeds it back in. Move the slider: each step adds one row to the cross-attention matrix, so the "
        "alignment grows as the output does. The encoder ran once, before the first step; its vectors do not change "
        "while the decoder writes.",
        "生成时，每输出一个词元就运行一次解码器（步骤 ④）。它从**解码起始词元** `<s>` 开始；每一步都读取自己"
        "已经写出的全部内容，通过交叉注意力读取编码器的向量，再由 softmax（步骤 ⑤）给出下一个字符。**贪心解码**"
        "取概率最大的那个，再把它接回输入。拖动滑块：每走一步，交叉注意力矩阵就多出一行，对齐随着输出一起长出来。"
        "编码器只在第一步之前运行一次；解码器写字的时候，它的向量不再改变。",
    ),
    "seq2seq.step.slider": ("Decoding step", "解码步"),
    "seq2seq.step.notice": (
        "Step {step}: the decoder has written {written} and writes {char} next, with probability {p}. Its "
        "cross-attention (L{layer}H{head}) puts {share:.2f} on input position {position}, {source_char}.",
        "第 {step} 步：解码器已经写出 {written}，接下来以 {p} 的概率写出 {char}。它的交叉注意力（L{layer}H{head}）"
        "把 {share:.2f} 的注意力放在输入位置 {position} 的 {source_char} 上。",
    ),
    "seq2seq.step.try": (
        "Step to the month's digit (step {month_step}): the bright cell leaves the year's digits for {month}. ISO "
        "writes the year first, the English date writes it last, so the alignment's lines cross. Compare “the 3rd of "
        "March, 1921” with “March 3, 1921”: the day's bright cell sits left of the month's in one, right of it in the "
        "other.",
        "走到月份的数字（第 {month_step} 步）：亮格离开年份的数字，移到 {month} 上。ISO 把年份写在最前面，英文日期"
        "把它写在最后，所以对齐的线是交叉的。对比“the 3rd of March, 1921”和“March 3, 1921”：日的亮格在一种写法里"
        "位于月份的左边，在另一种写法里位于右边。",
    ),
    "seq2seq.step.title": (
        "Step {step}: reading “{token}”, the decoder writes “{next}” ({p})",
        "第 {step} 步：解码器读到“{token}”，写出“{next}”（{p}）",
    ),
    "seq2seq.step.cross": ("cross-attention so far", "到这一步为止的交叉注意力"),
    "seq2seq.step.bars": ("next character at step {step}", "第 {step} 步的下一个字符"),
    "seq2seq.step.pending": ("not generated yet", "尚未生成"),
    # 3 · knocking out cross-attention
    "seq2seq.knock": ("3 · Knock out cross-attention", "3 · 去掉交叉注意力"),
    "seq2seq.knock.what": (
        "Cross-attention is the decoder's only way to see the input. Knock it out — its output set to zero in every "
        "decoder layer — and the decoder keeps only its own self-attention and MLPs: a plain language model of ISO "
        "dates. It still knows the format — four digits, a dash, two digits, a dash, two digits — and it guesses the "
        "digits it saw most in training, but it cannot know which date you typed. The bars give the probability of "
        "the right character at every output position, with cross-attention and without.",
        "交叉注意力是解码器看到输入的唯一途径。把它去掉——解码器每一层交叉注意力的输出都置零——解码器就只剩下"
        "自己的自注意力和前馈神经网络：一个只会写 ISO 日期的普通语言模型。它仍然知道格式——四位数字、连字符、"
        "两位数字、连字符、两位数字——也会猜训练中最常见的数字，但它无从知道你输入的是哪一天。柱子显示每个输出"
        "位置上正确字符的概率：有交叉注意力时和没有时。",
    ),
    "seq2seq.knock.notice": (
        "With cross-attention, {model} writes {output} and gives the right character {with_} on average (lowest: "
        "{low}). Without it the average falls to {without}, and greedy decoding writes {guess} — a date, but not "
        "yours.",
        "有交叉注意力时，{model} 写出 {output}，正确字符的平均概率是 {with_}（最低 {low}）。去掉它之后，平均概率"
        "降到 {without}，贪心解码写出 {guess}——是个日期，但不是你输入的那个。",
    ),
    "seq2seq.knock.try": (
        "Look at the dashes: without cross-attention they keep {dash} — the format needs no input. The digits "
        "become the decoder's own guesses: a year starting with 1 ({year_one}), a month starting with 0 "
        "({month_zero}). Then type “2000年12月29日”: the month's 1 and the year's 2 are exactly what the blind decoder "
        "does not expect, and their bars fall to almost nothing.",
        "看两个连字符：去掉交叉注意力后，它们的概率仍有 {dash}——格式不需要输入。数字则变成解码器自己的猜测："
        "年份以 1 开头（{year_one}），月份以 0 开头（{month_zero}）。再输入“2000年12月29日”：月份的 1 和年份的 2 正是"
        "看不见输入的解码器最不指望的字符，它们的柱子几乎掉到零。",
    ),
    "seq2seq.knock.title": (
        "The right character's probability, with and without cross-attention",
        "有无交叉注意力时正确字符的概率",
    ),
    "seq2seq.knock.with": ("with cross-attention", "有交叉注意力"),
    "seq2seq.knock.without": ("cross-attention knocked out", "去掉交叉注意力"),
    "seq2seq.knock.x": ("output position: the character it should write", "输出位置：它应当写出的字符"),
    "seq2seq.knock.y": ("P(right character)", "正确字符的概率"),
    "seq2seq.knock.guess": ("its own top guess: %{customdata}", "它自己最可能的猜测：%{customdata}"),
    "seq2seq.knock.chance": ("a uniform guess: 1/{vocab}", "均匀瞎猜：1/{vocab}"),
    # 4 · the alignment in training
    "seq2seq.history": ("4 · How the alignment formed in training", "4 · 对齐是怎样在训练中形成的"),
    "seq2seq.history.what": (
        "Nobody told the model which input character an output digit comes from: it was trained only to predict "
        "the next output character (cross-entropy loss). The alignment is what it found useful for that. These are "
        "the same cross-attention head on the same date at saved steps of its training: at first the attention is "
        "spread evenly over the input, then it gathers on the characters that carry each number.",
        "没有人告诉模型某个输出数字来自哪个输入字符：训练时它只被要求预测下一个输出字符（交叉熵损失）。对齐是它"
        "自己发现对这件事有用的东西。这里是同一个交叉注意力头在同一个日期上、在训练中保存下来的几个训练步时的样子："
        "一开始注意力均匀地摊在整个输入上，后来逐渐聚到承载各个数字的字符上。",
    ),
    "seq2seq.history.notice": (
        "This is head L{layer}H{head} on “{source}”. At step {first_step} the characters the finished head reads "
        "get {start:.2f} of each row's attention (an even spread would give {even:.2f}); by step {last_step}, "
        "{end:.2f}. Over the same steps the held-out dates written exactly rose from {exact_start} to {exact_end}.",
        "这是注意力头 L{layer}H{head} 在“{source}”上的样子。在第 {first_step} 步，训练好的头最终读取的那些字符"
        "得到每行 {start:.2f} 的注意力（均匀摊开是 {even:.2f}）；到第 {last_step} 步是 {end:.2f}。同一段时间里，"
        "被完全写对的留出日期从 {exact_start} 升到 {exact_end}。",
    ),
    "seq2seq.history.try": (
        "Find where the curve climbs most (between steps {before} and {jump}): over the same hundred steps the "
        "held-out dates written exactly jump from {exact_before} to {exact_after} — once the decoder can look the "
        "digits up in the input, it no longer has to guess them.",
        "找到曲线爬升最快的地方（第 {before} 步到第 {jump} 步之间）：就在这一百步里，被完全写对的留出日期从 "
        "{exact_before} 跃升到 {exact_after}——解码器一旦能在输入里查到这些数字，就不必再去猜了。",
    ),
    "seq2seq.history.title": ("How the cross-attention formed during training", "交叉注意力在训练中是怎样形成的"),
    "seq2seq.history.step": ("step {step:,}", "第 {step:,} 步"),
    "seq2seq.history.hover": (
        "step %{customdata:,}<br>%{y} → %{x}: %{z:.4f}",
        "第 %{customdata:,} 步<br>%{y} → %{x}：%{z:.4f}",
    ),
    "seq2seq.curve.title": (
        "Attention on the characters the finished head reads, over training",
        "训练过程中落在训练好的头所读字符上的注意力",
    ),
    "seq2seq.curve.x": ("training step", "训练步"),
    "seq2seq.curve.y": ("attention where the finished head looks", "落在训练好的头所看位置上的注意力"),
    "seq2seq.curve.hover": ("step %{x:,}: %{y:.3f}", "第 %{x:,} 步：%{y:.3f}"),
    "seq2seq.curve.chance": ("spread evenly: {share:.2f}", "均匀摊开：{share:.2f}"),
    # 5 · the bridge to GPT
    "seq2seq.bridge": ("5 · The bridge to GPT", "5 · 通往 GPT 的桥"),
    "seq2seq.bridge.what": (
        "{twin} is a decoder-only twin: a GPT-2 trained on the same dates written as one text, "
        "`<s>input→output</s>`. It has no encoder and no cross-attention, only causal self-attention. But its output "
        "positions come after the input in the same sequence, so ordinary self-attention can read the input. Left: "
        "the encoder–decoder's cross-attention; right: the twin's self-attention from its output positions to its "
        "input positions, the block cut out of its triangle. Same rows, same columns, the same job.",
        "{twin} 是一个仅解码器的孪生模型：一个 GPT-2，用同样的日期训练，只是把每条写成一段文本 "
        "`<s>输入→输出</s>`。它没有编码器，也没有交叉注意力，只有带因果掩码的自注意力。但在同一个序列里，它的"
        "输出位置排在输入之后，所以普通的自注意力就能读到输入。左边：编码器-解码器的交叉注意力；右边：孪生模型从"
        "输出位置到输入位置的自注意力，也就是从它的三角形里截出来的那一块。同样的行、同样的列，做的是同一件事。",
    ),
    "seq2seq.bridge.why": (
        "Why did GPT-style models drop the separate encoder? One stack with one kind of attention is simpler to "
        "build, to scale and to train: any plain text is training data, no input–output pairs needed, and the input "
        "is just the start of the text. The price: the input is read causally — each input token sees only those "
        "before it, where an encoder reads both ways — and every layer carries the input along with the output. "
        "Encoder–decoders are still used where input and output differ in kind, as in translation and speech "
        "recognition (Whisper).",
        "为什么 GPT 式的模型不再要单独的编码器？一摞模块、一种注意力，搭建、扩大规模和训练都更简单：任何普通文本"
        "都能拿来训练，不需要成对的输入和输出，输入只是文本的开头。代价是：输入也按因果方式读取——每个输入词元"
        "只看得到它前面的词元，而编码器是双向读的——而且每一层都要把输入和输出一起带着走。在输入和输出性质不同"
        "的任务里，编码器-解码器至今仍在使用，比如翻译和语音识别（Whisper）。",
    ),
    "seq2seq.bridge.notice": (
        "{twin} writes {output} too. Shown on the right is its head L{layer}H{head}, the one whose rows agree most "
        "with cross-attention head L{cross_layer}H{cross_head} on where to look: they pick the same input character "
        "for {agree} of the {rows} output positions. Its rows do not sum to 1 over the input: on average {rest:.2f} of "
        "its attention goes to `<s>`, `→` and the output written so far, which the encoder–decoder reads with a "
        "separate self-attention.",
        "{twin} 也写出了 {output}。右边是它的注意力头 L{layer}H{head}——它的各行在“看哪里”这件事上与交叉注意力头 "
        "L{cross_layer}H{cross_head} 最一致：在 {rows} 个输出位置中，有 {agree} 个位置两者看的是同一个输入字符。它的每一行"
        "在输入上加起来不到 1：平均有 {rest:.2f} 的注意力落在 `<s>`、`→` 和已经写出的输出上，而编码器-解码器用单独的"
        "自注意力来读这部分。",
    ),
    "seq2seq.bridge.try": (
        "Read the two maps row by row. The encoder–decoder has a head whose rows each pick one input character; no "
        "head of the twin draws that clean a line — the best agrees on {agree} of {rows} rows. Same job, another "
        "route: in a decoder alone the input's vectors pass through the same layers that write the output, so after "
        "a layer or two a position holds more than its own character, and the look-up can be spread over its "
        "{twin_layers} layers. Try “一九二一年三月三日” too: both models write the same date.",
        "逐行对照两张图。编码器-解码器有一个头，它的每一行都只挑一个输入字符；孪生模型没有哪个头能画出这么干净的"
        "线——最一致的那个也只在 {rows} 行里对上 {agree} 行。同一件事，另一条路：在仅解码器的模型里，输入的向量要"
        "经过写输出的同一批层，一两层之后，一个位置承载的就不只是它自己的字符了，查找的工作可以分散到它的 "
        "{twin_layers} 层里。也试试“一九二一年三月三日”：两个模型写出的是同一个日期。",
    ),
    "seq2seq.bridge.title": ("The same job, two architectures", "同一件事，两种结构"),
    "seq2seq.bridge.cross": ("encoder–decoder: cross-attention", "编码器-解码器：交叉注意力"),
    "seq2seq.bridge.gpt": ("decoder-only: self-attention, output → input", "仅解码器：自注意力，输出 → 输入"),
}
