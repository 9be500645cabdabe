"""The overview page: the pipeline with this prompt's numbers."""

TEXT = {
    "pipeline.title": ("One forward pass of this prompt", "这句提示词的一次前向计算"),
    "pipeline.prompt": ("Prompt", "提示词"),
    "pipeline.prompt.detail": ("{chars} characters", "{chars} 个字符"),
    "pipeline.tokens": ("Tokens", "词元"),
    "pipeline.tokens.detail": ("{n} tokens<br>{shown}", "{n} 个词元<br>{shown}"),
    "pipeline.embeddings": ("Embeddings", "嵌入"),
    "pipeline.embeddings.detail": (
        "{n} vectors × {d}<br>from a table of<br>{vocab:,} rows",
        "{n} 个向量 × {d} 维<br>取自 {vocab:,} 行的<br>嵌入矩阵",
    ),
    "pipeline.positions": ("+ Positions", "+ 位置编码"),
    "pipeline.positions.learned": (
        "learned table,<br>added to<br>each token",
        "可学习的<br>位置嵌入，<br>加到每个词元上",
    ),
    "pipeline.positions.rotary": ("rotary (RoPE):<br>rotates<br>Q and K", "旋转位置编码<br>（RoPE）：<br>旋转 Q 和 K"),
    "pipeline.blocks": ("{layers} Transformer blocks", "{layers} 个 Transformer 模块"),
    "pipeline.blocks.detail": (
        "each: {heads}-head<br>attention ({mask})<br>+ MLP",
        "每个：{heads} 头注意力<br>（{mask}）<br>+ 前馈网络",
    ),
    "pipeline.mask.True": ("masked", "带掩码"),
    "pipeline.mask.False": ("bidirectional", "双向"),
    "pipeline.logits": ("Logits", "logits"),
    "pipeline.logits.detail": (
        "{vocab:,} scores,<br>one per<br>vocabulary entry",
        "{vocab:,} 个分数，<br>词表中<br>每个词元一个",
    ),
    "pipeline.next": ("Next token", "下一个词元"),
    "pipeline.next.detail": ("<b>{token}</b><br>{p} likely", "<b>{token}</b><br>概率 {p}"),
    "pipeline.encoder_out": ("Hidden representation", "隐藏表示"),
    "pipeline.encoder_out.detail": (
        "{n} vectors × {d}<br>(an encoder predicts<br>no next token)",
        "{n} 个向量 × {d} 维<br>（编码器不预测<br>下一个词元）",
    ),
    "home.intro": (
        "Type a prompt in the sidebar, then follow it through the model, one lesson per step. "
        "Everything you see — token IDs, vectors, attention weights, probabilities — is computed right now "
        "by **{model}** on your prompt.",
        "在侧边栏输入提示词，然后一课一步，跟着它走完整个模型。你看到的一切——token ID、向量、注意力权重、概率——"
        "都是 **{model}** 此刻在你的提示词上实时算出来的。",
    ),
    "home.lessons": ("The lessons", "课程"),
    "home.lesson.tokens": ("How text becomes {n} numbers.", "文字如何变成 {n} 个数字。"),
    "home.lesson.embeddings": ("Each number becomes a vector of {d} values.", "每个数字变成一个 {d} 维向量。"),
    "home.lesson.positions": ("How the model knows the order of words.", "模型如何知道词的顺序。"),
    "home.lesson.attention": (
        "{layers} layers × {heads} heads decide which tokens to read.",
        "{layers} 层 × {heads} 个头决定读取哪些词元。",
    ),
    "home.lesson.next_token": ("Probabilities, sampling and generation.", "概率、采样与生成。"),
    "home.models": (
        "**Models.** TinyTales is our own small GPT-2-style decoder, trained on public-domain children's books; "
        "TinyTales 中文 is its Chinese sibling, trained on public-domain Chinese fiction (鲁迅, 西游记, 红楼梦, …); "
        "TinyTales MLM is a masked-language encoder trained on the same books; TinyDates, a tiny encoder–decoder that "
        "rewrites dates, serves lesson 11; MiniLM (all-MiniLM-L6-v2) is a pretrained BERT-family encoder. You can "
        "also load any GPT-2, Llama-style, GPT-NeoX, BERT or MBart model you have on disk.",
        "**模型。** TinyTales 是我们自己用公版儿童读物训练的小型 GPT-2 式解码器；TinyTales 中文是它的中文版，"
        "用公版中文小说（鲁迅、《西游记》、《红楼梦》等）训练；MiniLM（all-MiniLM-L6-v2）是预训练的 "
        "BERT 系列编码器；TinyTales MLM 是用同一批书训练的掩码语言模型编码器；TinyDates 是一个改写日期的小型"
        "编码器-解码器，供第 11 课使用。你也可以加载本机上的任意 GPT-2、Llama 式、GPT-NeoX、BERT 或 MBart 模型。",
    ),
    # model-loading errors that name what is wrong (model/errors.py); English comes from the exception itself
    "error.unsupported_family": (
        "",
        "“{name}”是 {model_type} 模型，本应用暂时无法追踪它。支持的架构系列：GPT-2；Llama 式（Llama、Qwen2/3、Mistral、"
        "SmolLM 等）；GPT-NeoX（Pythia）；BERT 类编码器（BERT、MiniLM、RoBERTa）；MBart 式编码器-解码器（MBart、"
        "TinyDates）。请换一个属于这些系列的模型。",
    ),
    "error.pickle_weights": (
        "",
        "文件夹“{name}”里只有 pickle 格式的权重（{found}）。本应用拒绝加载它们，因为加载 pickle 可能执行任意代码："
        "请先把权重转换成 *.safetensors（例如用 transformers 的 save_pretrained），或换一个模型。",
    ),
    "error.no_config": (
        "",
        "文件夹“{name}”里没有 config.json（找到：{found}），本应用无法判断这是哪种模型。"
        "请从权重的来源处复制 config.json，或换一个模型。",
    ),
    "error.bad_config": (
        "",
        "无法读取“{name}”的 config.json（原始报错：{reason}）。请从模型的来源处重新复制它，或换一个模型。",
    ),
    "error.no_tokenizer": (
        "",
        "文件夹“{name}”里没有分词器文件（tokenizer.json，或 vocab.txt，或 vocab.json 加 merges.txt，"
        "或 SentencePiece 的 *.model；找到：{found}）。请从模型的来源处复制这些文件，或换一个模型。",
    ),
    "error.corrupt_weights": (
        "",
        "“{name}”的权重文件已损坏或不完整（原始报错：{reason}）。请重新下载或复制 *.safetensors 文件，或换一个模型。",
    ),
}
