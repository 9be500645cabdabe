"""Sentences shared by every page: the frame, the sidebar, messages and common axis names."""

TEXT = {
    # the frame
    "app.title": ("LLM Walkthrough", "深入浅出 LLM"),
    "app.tagline": (
        "One prompt, walked through a real language model — every number on screen is computed live.",
        "一句提示词（prompt），走完一个真实语言模型的全过程——屏幕上的每个数字都是实时算出来的。",
    ),
    "page.home": ("Overview", "总览"),
    "page.tokens": ("1 · Tokens", "1 · 词元"),
    "page.embeddings": ("2 · Embeddings", "2 · 嵌入"),
    "page.positions": ("3 · Positions", "3 · 位置编码"),
    "page.attention": ("4 · Attention", "4 · 注意力"),
    "page.next_token": ("6 · Next token", "6 · 下一个词元"),
    "nav.walk": ("The walk", "学习路线"),
    "page.not_found": ("Page not found", "找不到页面"),
    # sidebar
    "sidebar.language": ("Language", "语言"),
    "sidebar.model": ("Model", "模型"),
    "sidebar.model.tinytales": ("TinyTales", "TinyTales"),
    "sidebar.model.tinytales-zh": ("TinyTales 中文", "TinyTales 中文"),
    "sidebar.model.tinytales-mlm": ("TinyTales MLM", "TinyTales MLM"),
    "sidebar.model.minilm": ("MiniLM", "MiniLM"),
    "sidebar.model.custom": ("Your own model…", "自定义模型……"),
    "sidebar.about.tinytales": ("Our small GPT-2, a decoder", "我们训练的小型 GPT-2（解码器）"),
    "sidebar.about.tinytales-zh": ("Our small Chinese GPT-2, a decoder", "我们训练的小型中文 GPT-2（解码器）"),
    "sidebar.about.tinytales-mlm": (
        "Our small BERT, a masked-language encoder: it fills a [MASK]",
        "我们训练的小型 BERT（掩码语言编码器）：会填 [MASK]",
    ),
    "sidebar.session_model": (
        "The lessons read your own tuned copy, {model} (lesson 9 turns it off).",
        "各课正在使用你自己微调后的副本：{model}（在第 9 课可以关掉）。",
    ),
    "sidebar.about.minilm": ("A BERT-family encoder", "BERT 系列编码器"),
    "sidebar.about.custom": (
        "A Hugging Face id or a folder on this computer",
        "Hugging Face 模型名或本机上的文件夹",
    ),
    "sidebar.custom.waiting": (
        "Type an id or a folder above and press Enter. Until then every lesson shows {model}.",
        "请在上面输入模型名或文件夹路径并按回车。在此之前，各课仍显示 {model}。",
    ),
    "sidebar.model_id": ("Hugging Face id or local folder", "Hugging Face 模型名或本地文件夹路径"),
    "sidebar.model_id.help": (
        "A model already on this computer, e.g. a folder with config.json and model.safetensors, "
        "or an id such as EleutherAI/pythia-70m that you downloaded before.",
        "本机上已有的模型：包含 config.json 和 model.safetensors 的文件夹，"
        "或以前下载过的模型名，例如 EleutherAI/pythia-70m。",
    ),
    "sidebar.allow_download": ("Allow downloading this model", "允许下载该模型"),
    "sidebar.prompt": ("Prompt", "提示词（prompt）"),
    "sidebar.examples": ("Examples", "示例"),
    "sidebar.examples.pick": ("Pick an example…", "选择一个示例……"),
    "sidebar.loading": ("Loading {model}…", "正在加载 {model}……"),
    "sidebar.model_info": (
        "{model}: {layers} layers × {heads} heads, width {width}, vocabulary {vocab:,}, context {context} tokens.",
        "{model}：{layers} 层 × {heads} 个注意力头，宽度 {width}，词表 {vocab:,}，上下文窗口 {context} 个词元。",
    ),
    "sidebar.present": ("Presentation view", "演示模式"),
    "sidebar.present.help": (
        "For a projector: hides this sidebar and enlarges text and charts. Kept in the link, so you can open it "
        "straight on the teacher's screen.",
        "用于投影：隐藏侧边栏，放大文字和图表。会保存在链接里，可以直接在讲台电脑上打开。",
    ),
    "present.leave": ("✕ Leave the presentation view", "✕ 退出演示模式"),
    "sidebar.share": (
        "Share this view: copy the address bar — it holds the prompt, model, page and settings.",
        "分享当前视图：复制浏览器地址栏即可——其中包含提示词、模型、页面和设置。",
    ),
    "sidebar.share.no_prompt": (
        "Share this view: copy the address bar — it holds the model, page and settings, but not this prompt: at "
        "{n:,} characters it is too long for a link. Send the prompt along separately.",
        "分享当前视图：复制浏览器地址栏即可——其中包含模型、页面和设置，但不包含提示词：它有 {n:,} 个字符，"
        "放进链接太长了。请另外把提示词发给对方。",
    ),
    # messages
    "msg.cut": (
        "This prompt has {n_tokens} tokens; {model} reads at most {limit}. The first {dropped} were dropped — the walk shows the last {limit}.",
        "这段提示词有 {n_tokens} 个词元；{model} 最多读取 {limit} 个。前 {dropped} 个已被舍弃——下面展示的是最后 {limit} 个。",
    ),
    "msg.cut_encoder": (
        "This prompt has {n_tokens} tokens; {model} reads at most {limit}. The last {dropped} were dropped.",
        "这段提示词有 {n_tokens} 个词元；{model} 最多读取 {limit} 个。最后 {dropped} 个已被舍弃。",
    ),
    "msg.cut_budget": (
        "This prompt has {n_tokens} tokens. {model} could read {context}, but tracing that many would take more "
        "memory than one trace may use on this server, so the first {dropped} were dropped — the walk shows the "
        "last {limit}. (The budget is the WALKTHROUGH_TRACE_BUDGET_MB setting.)",
        "这段提示词有 {n_tokens} 个词元。{model} 能读 {context} 个，但追踪这么多词元所需的内存超过了本服务器给单次追踪的上限，"
        "所以前 {dropped} 个已被舍弃——下面展示的是最后 {limit} 个。（上限由 WALKTHROUGH_TRACE_BUDGET_MB 设置。）",
    ),
    "msg.cut_encoder_budget": (
        "This prompt has {n_tokens} tokens. {model} could read {context}, but tracing that many would take more "
        "memory than one trace may use on this server, so the last {dropped} were dropped. (The budget is the "
        "WALKTHROUGH_TRACE_BUDGET_MB setting.)",
        "这段提示词有 {n_tokens} 个词元。{model} 能读 {context} 个，但追踪这么多词元所需的内存超过了本服务器给单次追踪的上限，"
        "所以最后 {dropped} 个已被舍弃。（上限由 WALKTHROUGH_TRACE_BUDGET_MB 设置。）",
    ),
    "msg.chars_cut": (
        "The prompt was {n:,} characters long; only the first {limit:,} are used.",
        "提示词共有 {n:,} 个字符；只使用前 {limit:,} 个。",
    ),
    "msg.bad_url": (
        "The link's {name}={value!r} cannot be used: {rule}. The default ({default}) is shown instead.",
        "链接中的 {name}={value!r} 无法使用：{rule}。已改用默认值（{default}）。",
    ),
    "rule.int": ("it must be a whole number from {low} to {high}", "它应是 {low} 到 {high} 之间的整数"),
    "rule.float": ("it must be a number from {low} to {high}", "它应是 {low} 到 {high} 之间的数"),
    "rule.choice": ("it must be one of {options}", "它应是以下之一：{options}"),
    "rule.flag": ("it must be 1 (on) or 0 (off)", "它应是 1（开）或 0（关）"),
    "rule.ids": (
        "it must be up to 8 token ids joined by “-”, such as 12-40-7",
        "它应是用“-”连接的至多 8 个词元 id，例如 12-40-7",
    ),
    "rule.heads": (
        "it must be heads such as L3H3 joined by “-”, such as L3H3-L3H2",
        "它应是用“-”连接的头，例如 L3H3-L3H2",
    ),
    "rule.cell": (
        "it must be a row and a column joined by “-”, such as 3-10",
        "它应是用“-”连接的行号和列号，例如 3-10",
    ),
    "rule.model": (
        "it must name a model or a folder, in at most 300 characters",
        "它应是模型名或文件夹路径，最多 300 个字符",
    ),
    "msg.url_snapped": (
        "The link's {name}={value} lies between the slider's steps of {step}; the nearest step, {shown}, is used.",
        "链接中的 {name}={value} 不在滑块的刻度上（步长 {step}）；已改用最近的刻度 {shown}。",
    ),
    "msg.no_layer": (
        "{model} has {n} layers (0–{last}); there is no layer {value}, so layer {shown} is shown.",
        "{model} 有 {n} 层（0–{last}），没有第 {value} 层，所以显示第 {shown} 层。",
    ),
    "msg.no_head": (
        "{model} has {n} heads in each layer (0–{last}); there is no head {value}, so head {shown} is shown.",
        "{model} 每层有 {n} 个注意力头（0–{last}），没有第 {value} 个头，所以显示第 {shown} 个头。",
    ),
    "msg.no_token": (
        "On {model} this prompt has {n} tokens (0–{last}); there is no token {value}, so the last token is shown.",
        "在 {model} 上，这句提示词有 {n} 个词元（0–{last}），没有第 {value} 个词元，所以显示最后一个词元。",
    ),
    "msg.token_gone": (
        "The token you picked, {token}, is not among this prompt's tokens on {model}, so the last token is shown.",
        "你选中的词元 {token} 不在 {model} 对这句提示词的切分里，所以显示最后一个词元。",
    ),
    "msg.no_page": (
        "This app has no page “{page}”; here is the Overview. The lessons are listed in the sidebar.",
        "本应用没有“{page}”这个页面，现在显示的是总览。各课的链接在侧边栏里。",
    ),
    "msg.encoder_only": (
        "{model} is an encoder: it reads the whole sentence at once and does not predict a next token, and it "
        "was saved without the head that fills a [MASK]. Switch to TinyTales for this lesson, or to TinyTales MLM "
        "to fill a [MASK].",
        "{model} 是编码器：它一次读取整句话，不预测下一个词元，保存时也没有带上填 [MASK] 的输出头。本课请切换到 TinyTales；"
        "想填 [MASK]，请切换到 TinyTales MLM。",
    ),
    "msg.seq2seq_elsewhere": (
        "{model} is an encoder–decoder: an encoder reads the input and a decoder writes the output. The lessons up "
        "to 10 follow one stack of blocks; lesson 11 shows this model's two halves and the cross-attention between "
        "them.",
        "{model} 是编码器-解码器：编码器读入输入，解码器写出输出。第 1 到 10 课讲的是一叠模块；第 11 课展示这个模型的"
        "两半，以及连接它们的编码-解码注意力。",
    ),
    "msg.unexpected": (
        "Something went wrong while computing this page ({kind}). Try another prompt or model; the rest of the app keeps working.",
        "计算本页时出错（{kind}）。请换一个提示词或模型再试；应用的其他部分不受影响。",
    ),
    # model-layer errors: English comes from the exception itself (model/errors.py)
    "error.empty_prompt": ("", "提示词为空。请输入一句话（或选择一个示例），看看模型如何读取它。"),
    "error.bad_edit": ("", "无法应用这个修改：{reason}。"),
    "error.hub_unreachable": (
        "",
        "无法下载“{name}”：这台电脑连不上 Hugging Face Hub。请检查网络，或选择无需下载的 TinyTales、TinyTales 中文或 MiniLM。",
    ),
    "error.not_on_hub": (
        "",
        "无法下载“{name}”：Hugging Face Hub 上没有这个模型名，或需要登录。请检查拼写（组织/名称），"
        "或选择 TinyTales、TinyTales 中文或 MiniLM。",
    ),
    "error.prompt_over_budget": (
        "",
        "这段提示词有 {n_tokens} 个词元；在 {model} 上追踪它需要 {needed_mb} MB，超过单次追踪可用的 {budget_mb} MB。"
        "请缩短到 {limit} 个词元，或让本应用保留其中 {limit} 个。",
    ),
    "error.prompt_too_long": (
        "",
        "这段提示词有 {n_tokens} 个词元；{model} 最多读取 {limit} 个。请缩短，或让本应用保留其中 {limit} 个（舍弃 {dropped} 个）。",
    ),
    "error.model_not_found": (
        "",
        "本机上没有名为“{name}”的模型。请选择 TinyTales 或 MiniLM，或填写包含 config.json 和 *.safetensors 的文件夹路径，"
        "或以前下载过的 Hugging Face 模型名。",
    ),
    "error.no_safetensors": (
        "",
        "文件夹“{name}”中没有 *.safetensors 权重（找到：{found}）。本应用只加载 safetensors（它不能执行代码）：请转换权重或换一个模型。",
    ),
    "error.broken_model": ("", "无法加载“{name}”（原始报错：{reason}）。请检查文件是否完整，或换一个模型。"),
    # shared chart words
    "axis.token": ("token", "词元"),
    "axis.query": ("query token (reads)", "查询词元（Q，读取方）"),
    "axis.key": ("key token (is read)", "键词元（K，被读取方）"),
    "axis.dimension": ("dimension", "维度"),
    "axis.position": ("position", "位置"),
    "axis.probability": ("probability", "概率"),
    "axis.layer": ("layer", "层"),
    "axis.head": ("head", "注意力头"),
    "axis.value": ("value", "数值"),
    "axis.cosine": ("cosine similarity", "余弦相似度"),
    "section.what": ("What it is", "这是什么"),
    "section.notice": ("What to notice on this prompt", "在这句提示词上注意什么"),
    "section.try": ("Try this", "动手试试"),
    "pick.last": ("last token — {label}", "最后一个词元——{label}"),
    "next_lesson": ("Next lesson: {page}", "下一课：{page}"),
}
