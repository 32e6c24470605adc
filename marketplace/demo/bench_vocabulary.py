"""What the bench listings talk about and in what proportions, for ``manage.py bench_data``.

Per-field Chinese and English phrase banks, sentence and title templates, and the weights of
fields, regions, statuses, IP, modes and TRLs; the command draws from them with a seeded
``random.Random``.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.choices import OrganizationKind
from marketplace.listings.choices import CooperationMode, IPStatus, ListingStatus

S = ListingStatus
M = CooperationMode


@dataclass(frozen=True)
class Bank:
    """What listings of one top-level field talk about, in both languages."""

    zh_terms: tuple[str, ...]  # technologies and materials
    zh_objects: tuple[str, ...]  # what is built or done with them
    zh_uses: tuple[str, ...]  # where it is applied
    en_terms: tuple[str, ...]
    en_objects: tuple[str, ...]
    en_uses: tuple[str, ...]


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


BANKS: dict[str, Bank] = {
    "ai": Bank(
        _t(
            "大模型|多模态|具身智能|知识图谱|强化学习|联邦学习|检索增强生成|小样本学习|"
            "目标检测|语义分割|语音识别|语音合成|模型压缩|低比特量化|图神经网络|智能体"
        ),
        _t("算法|平台|系统|推理引擎|训练框架|数据集|开发套件|智能终端"),
        _t("工业质检|智慧医疗|金融风控|智能客服|自动驾驶|智慧城市|教育|电商推荐"),
        _t(
            "large language model|multimodal learning|embodied AI|knowledge graph|"
            "reinforcement learning|federated learning|retrieval-augmented generation|"
            "few-shot learning|object detection|semantic segmentation|speech recognition|"
            "text-to-speech|model compression|low-bit quantisation|graph neural network|AI agent"
        ),
        _t("algorithm|platform|system|inference engine|training framework|dataset|toolkit"),
        _t(
            "industrial inspection|healthcare|financial risk control|customer service|"
            "autonomous driving|smart cities|education|e-commerce"
        ),
    ),
    "ic": Bank(
        _t(
            "光刻胶|晶圆|先进封装|极紫外光刻|晶圆键合|化学机械抛光|刻蚀|薄膜沉积|芯粒|"
            "硅通孔|碳化硅|氮化镓|存算一体|射频前端|模拟芯片|电子设计自动化|缺陷检测"
        ),
        _t("芯片|工艺|器件|设备|IP核|测试方案|封装基板|材料"),
        _t("智能手机|数据中心|新能源汽车|5G基站|物联网终端|工业控制|消费电子|人工智能芯片"),
        _t(
            "photoresist|wafer|advanced packaging|EUV lithography|wafer bonding|"
            "chemical mechanical polishing|plasma etching|thin-film deposition|chiplet|"
            "through-silicon via|silicon carbide|gallium nitride|compute-in-memory|RF front end|"
            "analog IC|EDA|defect inspection"
        ),
        _t("chip|process|device|tool|IP core|test solution|substrate|material"),
        _t(
            "smartphones|data centres|electric vehicles|5G base stations|IoT devices|"
            "industrial control|consumer electronics|AI accelerators"
        ),
    ),
    "energy": Bank(
        _t(
            "固态电池|电解质|储能|钠离子电池|锂离子电池|正极材料|硅碳负极|电解水制氢|燃料电池|"
            "钙钛矿|光伏组件|风电叶片|构网型逆变器|虚拟电厂|热管理|电池回收|超级电容器"
        ),
        _t("电池|电芯|系统|电堆|装置|材料|控制策略|管理系统"),
        _t("电网调峰|新能源汽车|户用储能|工商业储能|数据中心备电|分布式光伏|海上风电|重卡"),
        _t(
            "solid-state battery|solid electrolyte|energy storage|sodium-ion battery|"
            "lithium-ion battery|cathode material|silicon anode|hydrogen electrolysis|fuel cell|"
            "perovskite|PV module|wind turbine blade|grid-forming inverter|virtual power plant|"
            "thermal management|battery recycling|supercapacitor"
        ),
        _t("battery|cell|system|stack|device|material|control strategy|management system"),
        _t(
            "grid peak shaving|electric vehicles|home storage|commercial storage|"
            "data-centre backup|distributed solar|offshore wind|heavy trucks"
        ),
    ),
    "materials": Bank(
        _t(
            "石墨烯|碳纤维|高熵合金|钛合金|聚酰亚胺|气凝胶|陶瓷基复合材料|二维材料|量子点|"
            "超导材料|可降解高分子|形状记忆合金|纳米涂层|热界面材料|稀土永磁|特种玻璃"
        ),
        _t("材料|薄膜|涂层|制备方法|复合结构|粉体|纤维|构件"),
        _t("航空航天|电子封装|汽车轻量化|医疗植入|海洋工程|建筑节能|柔性显示|新能源"),
        _t(
            "graphene|carbon fibre|high-entropy alloy|titanium alloy|polyimide|aerogel|"
            "ceramic matrix composite|2D material|quantum dot|superconducting material|"
            "biodegradable polymer|shape-memory alloy|nano-coating|thermal interface material|"
            "rare-earth magnet|specialty glass"
        ),
        _t("material|film|coating|synthesis route|composite|powder|fibre|component"),
        _t(
            "aerospace|electronic packaging|vehicle lightweighting|medical implants|"
            "marine engineering|green buildings|flexible displays|new energy"
        ),
    ),
    "biomed": Bank(
        _t(
            "单克隆抗体|双特异性抗体|抗体偶联药物|mRNA疫苗|基因编辑|CAR-T|干细胞|小分子抑制剂|"
            "多肽药物|脂质纳米颗粒|液体活检|分子诊断|医学影像|手术机器人|可穿戴监测|中药配方颗粒"
        ),
        _t("药物|疗法|试剂盒|检测平台|医疗器械|递送系统|制剂|诊断系统"),
        _t("肿瘤|心血管疾病|糖尿病|罕见病|感染性疾病|神经退行性疾病|慢病管理|基层医疗"),
        _t(
            "monoclonal antibody|bispecific antibody|antibody-drug conjugate|mRNA vaccine|"
            "gene editing|CAR-T|stem cell|small-molecule inhibitor|peptide drug|"
            "lipid nanoparticle|liquid biopsy|molecular diagnostics|medical imaging|"
            "surgical robot|wearable monitoring|herbal granules"
        ),
        _t("drug|therapy|assay kit|platform|medical device|delivery system|formulation"),
        _t(
            "oncology|cardiovascular disease|diabetes|rare diseases|infectious diseases|"
            "neurodegeneration|chronic disease care|primary care"
        ),
    ),
    "manufacturing": Bank(
        _t(
            "五轴数控|工业机器人|增材制造|激光熔覆|超精密加工|数字孪生|工业互联网|机器视觉|"
            "无损检测|伺服驱动|减速器|柔性产线|预测性维护|焊接机器人|复合材料成型"
        ),
        _t("装备|系统|工艺|控制器|检测设备|产线|软件|解决方案"),
        _t("汽车制造|航空发动机|3C电子|模具|船舶|轨道交通|工程机械|光伏设备"),
        _t(
            "five-axis machining|industrial robot|additive manufacturing|laser cladding|"
            "ultra-precision machining|digital twin|industrial internet|machine vision|"
            "non-destructive testing|servo drive|precision reducer|flexible production line|"
            "predictive maintenance|welding robot|composite forming"
        ),
        _t("equipment|system|process|controller|inspection tool|production line|software"),
        _t(
            "automotive manufacturing|aero engines|3C electronics|moulds|shipbuilding|"
            "rail transit|construction machinery|PV equipment"
        ),
    ),
    "low-altitude": Bank(
        _t(
            "低空经济|电动垂直起降|无人机|电推进|航电系统|飞控|低空交通管理|感知避障|"
            "北斗导航|氢燃料动力|复合翼|起降场|通信链路|集群控制"
        ),
        _t("飞行器|系统|平台|动力系统|管理系统|载荷|起降设施|解决方案"),
        _t("物流配送|应急救援|电力巡检|农林植保|城市空中交通|文旅观光|测绘|安防"),
        _t(
            "low-altitude economy|eVTOL|drone|electric propulsion|avionics|flight control|"
            "UTM|detect and avoid|BeiDou navigation|hydrogen propulsion|compound wing|vertiport|"
            "datalink|swarm control"
        ),
        _t("aircraft|system|platform|powertrain|management system|payload|solution"),
        _t(
            "parcel delivery|emergency response|power-line inspection|crop spraying|"
            "urban air mobility|tourism|surveying|security"
        ),
    ),
    "it": Bank(
        _t(
            "6G|毫米波|光通信|硅光|量子密钥分发|量子计算|工业软件|操作系统|数据库|隐私计算|"
            "区块链|边缘计算|传感器|微型发光二极管|网络安全|数据安全"
        ),
        _t("系统|平台|软件|模块|芯片|协议栈|传感器|解决方案"),
        _t("通信网络|政务|金融|智能制造|车联网|智慧能源|医疗信息化|智能家居"),
        _t(
            "6G|millimetre wave|optical communication|silicon photonics|quantum key distribution|"
            "quantum computing|industrial software|operating system|database|"
            "privacy-preserving computation|blockchain|edge computing|sensor|micro-LED|"
            "cybersecurity|data security"
        ),
        _t("system|platform|software|module|chip|protocol stack|sensor|solution"),
        _t(
            "telecom networks|e-government|finance|smart manufacturing|connected vehicles|"
            "smart energy|health IT|smart homes"
        ),
    ),
    "agriculture": Bank(
        _t(
            "基因编辑育种|分子标记|耐盐碱水稻|智能农机|植保无人机|生物农药|水肥一体化|"
            "设施农业|冷链保鲜|食品检测|水产养殖|土壤修复|生物饲料|智慧温室"
        ),
        _t("品种|技术|装备|系统|制剂|检测方法|模式|产品"),
        _t("粮食生产|果蔬种植|畜禽养殖|水产养殖|茶叶加工|食品加工|盐碱地改良|农产品流通"),
        _t(
            "gene-edited breeding|molecular markers|salt-tolerant rice|smart farm machinery|"
            "spraying drone|biopesticide|fertigation|protected agriculture|cold-chain preservation|"
            "food testing|aquaculture|soil remediation|biological feed|smart greenhouse"
        ),
        _t("variety|technology|machine|system|formulation|test method|product"),
        _t(
            "grain production|horticulture|livestock|fish farming|tea processing|"
            "food processing|saline land|produce logistics"
        ),
    ),
    "environment": Bank(
        _t(
            "污水处理|膜分离|厌氧氨氧化|烟气脱硝|挥发性有机物|固废资源化|碳捕集|碳足迹|"
            "环境监测|余热回收|电池回收|土壤修复|高效电机|节能改造"
        ),
        _t("工艺|装备|系统|材料|监测平台|催化剂|技术|解决方案"),
        _t("市政污水|化工园区|钢铁行业|水泥行业|垃圾焚烧|数据中心|电子制造|城市更新"),
        _t(
            "wastewater treatment|membrane separation|anammox|flue-gas denitrification|"
            "VOC abatement|solid-waste recycling|carbon capture|carbon footprint|"
            "environmental monitoring|waste-heat recovery|battery recycling|soil remediation|"
            "high-efficiency motor|energy retrofit"
        ),
        _t("process|equipment|system|material|monitoring platform|catalyst|technology"),
        _t(
            "municipal wastewater|chemical parks|steelmaking|cement|waste incineration|"
            "data centres|electronics manufacturing|urban renewal"
        ),
    ),
}

# How often each top-level field is the main field of a listing (a few fields dominate).
FIELD_WEIGHTS = {
    "ai": 16,
    "ic": 14,
    "energy": 14,
    "materials": 12,
    "biomed": 12,
    "manufacturing": 10,
    "it": 8,
    "environment": 6,
    "agriculture": 5,
    "low-altitude": 3,
}
# Where organisations are: the coast and a few university cities dominate.
REGION_WEIGHTS = {
    "guangdong": 14,
    "jiangsu": 12,
    "beijing": 11,
    "shanghai": 10,
    "zhejiang": 10,
    "shandong": 5,
    "hubei": 5,
    "sichuan": 4,
    "shaanxi": 4,
    "anhui": 4,
    "tianjin": 3,
    "hunan": 3,
    "fujian": 3,
    "liaoning": 3,
    "henan": 3,
    "chongqing": 2,
}
REGION_CITY = {
    "guangdong": ("深圳", "Shenzhen"),
    "jiangsu": ("苏州", "Suzhou"),
    "beijing": ("北京", "Beijing"),
    "shanghai": ("上海", "Shanghai"),
    "zhejiang": ("杭州", "Hangzhou"),
    "shandong": ("济南", "Jinan"),
    "hubei": ("武汉", "Wuhan"),
    "sichuan": ("成都", "Chengdu"),
    "shaanxi": ("西安", "Xi'an"),
    "anhui": ("合肥", "Hefei"),
    "tianjin": ("天津", "Tianjin"),
    "hunan": ("长沙", "Changsha"),
    "fujian": ("厦门", "Xiamen"),
    "liaoning": ("大连", "Dalian"),
    "henan": ("郑州", "Zhengzhou"),
    "chongqing": ("重庆", "Chongqing"),
}
ORG_STEMS = (
    ("华", "Hua"),
    ("东", "Dong"),
    ("南", "Nan"),
    ("北", "Bei"),
    ("中", "Zhong"),
    ("新", "Xin"),
    ("科", "Ke"),
    ("芯", "Xin"),
    ("创", "Chuang"),
    ("远", "Yuan"),
    ("明", "Ming"),
    ("博", "Bo"),
    ("智", "Zhi"),
    ("启", "Qi"),
    ("恒", "Heng"),
    ("德", "De"),
)
ORG_KIND_NAMES = {
    OrganizationKind.UNIVERSITY: (
        ("理工大学", "University of Technology"),
        ("科技大学", "University of Science and Technology"),
        ("工业大学", "Polytechnic University"),
        ("先进技术研究院", "Institute of Advanced Technology"),
        ("材料研究所", "Institute of Materials"),
        ("交通大学", "Jiaotong University"),
    ),
    OrganizationKind.ENTERPRISE: (
        ("科技有限公司", "Technology Co., Ltd."),
        ("半导体有限公司", "Semiconductor Co., Ltd."),
        ("新能源股份有限公司", "New Energy Co., Ltd."),
        ("智能装备有限公司", "Intelligent Equipment Co., Ltd."),
        ("生物医药有限公司", "Biopharma Co., Ltd."),
        ("材料科技有限公司", "Materials Co., Ltd."),
    ),
    OrganizationKind.TRANSFER_CENTRE: (("技术转移中心", "Technology Transfer Centre"),),
}

ZH_ADJ = _t("高性能|低成本|高可靠|轻量化|高精度|绿色|超薄|长寿命|高效|智能")
EN_ADJ = _t("High-performance|Low-cost|Reliable|Lightweight|High-precision|Green|Scalable")
ZH_PROBLEMS = _t(
    "成本偏高|稳定性不足|良率偏低|能耗较高|寿命较短|关键部件依赖进口|精度不足|效率偏低"
)
EN_PROBLEMS = _t(
    "high cost|poor stability|low yield|high energy use|short lifetime|"
    "reliance on imported parts|limited precision|low throughput"
)
ZH_SCALES = _t("实验室|小试|中试|百公斤级|样机|示范线|工程化")
EN_SCALES = _t("laboratory|bench|pilot|prototype|demonstration-line|field")

ZH_ACH_TITLES = (
    "{t}{o}关键技术",
    "基于{t}的{o}",
    "面向{u}的{t}{o}",
    "一种{a}{t}{o}及其制备方法",
    "{a}{t}{o}",
    "{t}与{t2}融合{o}",
    "{u}用{a}{t}",
)
ZH_CH_TITLES = (
    "寻求{t}{o}解决方案",
    "{u}中的{t}技术难题",
    "征集{a}{t}{o}",
    "{o}{p}问题攻关",
    "{u}{t}国产化替代",
)
EN_ACH_TITLES = (
    "{A} {t} {o} for {u}",
    "{T} {o} based on {t2}",
    "{A} {t} for {u}",
    "{T} and {t2} {o}",
)
EN_CH_TITLES = (
    "Seeking a {t} {o} for {u}",
    "{T} {o} wanted for {u}",
    "Partner wanted: {a} {t}",
)
ZH_ACH_SENTENCES = (
    "{u}对{t}提出了更高要求，现有{o}普遍存在{p}的问题。",
    "团队围绕{t}开展了{n}年系统研究，建立了从{t2}到{o}的完整技术路线。",
    "核心指标较现有方案提升{pct}%，{t}相关性能达到国际先进水平。",
    "已完成{s}验证，并与{k}家企业开展了试用。",
    "技术可应用于{u}和{u2}等场景，市场空间广阔。",
    "关键工艺参数窗口明确，可在现有产线上快速导入。",
    "已申请发明专利{k}项，其中授权{j}项。",
    "采用{a}{t2}设计，显著降低了{o}的综合成本。",
    "可提供专利许可、技术咨询与驻厂调试服务。",
    "与进口{o}相比，价格降低约{pct}%，供货周期缩短一半。",
)
ZH_CH_SENTENCES = (
    "我公司在{u}业务中需要{t}方面的技术支持。",
    "目前采用的{o}存在{p}的问题，影响产品竞争力。",
    "希望合作方具备{t2}相关研发经验，能够在{n}个月内完成样机。",
    "可提供测试场地、样品和配套研发经费。",
    "目标是将{t}相关指标提升{pct}%以上，并实现批量稳定供货。",
    "项目成果将优先在{u2}产线上推广应用。",
    "欢迎高校、科研院所和技术转移机构联系洽谈。",
)
EN_ACH_SENTENCES = (
    "Demand from {u} puts new pressure on {t}, and current {o}s suffer from {p}.",
    "Over {n} years the team has built a complete route from {t2} to a working {o}.",
    "Key metrics improve by {pct}% over the state of the art.",
    "The technology has passed {s}-scale validation and is being trialled by {k} companies.",
    "Applications include {u} and {u2}.",
    "The process window is well defined and transfers to existing production lines.",
    "{k} invention patents have been filed, {j} of them granted.",
    "A {a2} {t2} design cuts the overall cost of the {o}.",
    "We offer licences, consulting and on-site support for scale-up.",
)
EN_CH_SENTENCES = (
    "Our {u} business needs support on {t}.",
    "The {o} we use today suffers from {p}.",
    "Partners should have experience with {t2} and deliver a prototype within {n} months.",
    "We provide test sites, samples and research funding.",
    "The goal is a {pct}% improvement with stable volume supply.",
    "Results will first be rolled out on our {u2} lines.",
)

STATUS_WEIGHTS = {
    S.PUBLISHED: 86,
    S.DRAFT: 4,
    S.PENDING: 3,
    S.REJECTED: 2,
    S.ARCHIVED: 3,
    S.EXPIRED: 2,
}
IP_WEIGHTS = {
    IPStatus.INVENTION_GRANTED: 30,
    IPStatus.INVENTION_PENDING: 30,
    IPStatus.UTILITY_MODEL: 10,
    IPStatus.SOFTWARE_COPYRIGHT: 10,
    IPStatus.KNOW_HOW: 12,
    IPStatus.NONE: 8,
}
MODE_WEIGHTS = {
    M.LICENCE: 30,
    M.TRANSFER: 25,
    M.JOINT_DEVELOPMENT: 25,
    M.TECHNICAL_SERVICE: 12,
    M.EQUITY: 8,
}
TRL_WEIGHTS = (3, 6, 12, 16, 17, 16, 14, 10, 6)  # TRL 1..9: most results are in the middle
REJECTION_REASON = "请补充可核实的性能指标与知识产权证明。"
