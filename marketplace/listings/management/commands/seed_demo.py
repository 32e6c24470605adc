"""Fill an empty database with a believable bilingual marketplace for demos and manual tests.

Every write that has a service goes through it (sign-up, joining, verification, the listing
lifecycle), so the demo obeys the same rules and leaves the same history as real use. Only
what no service offers is written directly: staff accounts, the moderators' group, and the
timestamps moved back in time so that the site looks like months of use.

The content is hand-written below; nothing is random, so two runs give the same data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from accounts.choices import Language, MembershipStatus, OrganizationKind, Region
from accounts.models import Membership, Organization, User
from accounts.services import (
    membership_approve,
    organization_verify,
    user_signup_joining,
    user_signup_with_organization,
)
from marketplace.celery import app as celery_app
from marketplace.listings.choices import CooperationMode, IPStatus, ListingStatus
from marketplace.listings.models import Achievement, Challenge, ListingEvent, TechnicalField
from marketplace.listings.services import (
    TransitionNotAllowed,
    listing_archive,
    listing_create,
    listing_publish,
    listing_reject,
    listing_submit,
    listings_expire_due,
)

PASSWORD = "keqiao-demo-2026"
ADMIN_EMAIL = "admin@keqiao.local"
MODERATOR_EMAIL = "moderator@keqiao.local"
MODERATORS_GROUP = "Moderators"

# What moderators may see and change in the admin site: (app label, model name).
MODERATED_MODELS = [
    ("listings", "achievement"),
    ("listings", "challenge"),
    ("listings", "attachment"),
    ("listings", "listingevent"),
    ("accounts", "organization"),
    ("accounts", "membership"),
    ("accounts", "user"),
]

S = ListingStatus
IP = IPStatus
TRANSFER = CooperationMode.TRANSFER
LICENCE = CooperationMode.LICENCE
EQUITY = CooperationMode.EQUITY
JOINT = CooperationMode.JOINT_DEVELOPMENT
SERVICE = CooperationMode.TECHNICAL_SERVICE
ZH = Language.ZH_HANS
EN = Language.EN

# ---------------------------------------------------------------------------------------------
# Organisations. ``since``: days ago the organisation joined (its history is moved back so far).
# Members are (email, full name, language, approved by the owner?).

ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "key": "sustech",
        "kind": OrganizationKind.UNIVERSITY,
        "name": "南方科技大学",
        "name_en": "Southern University of Science and Technology",
        "region": Region.GUANGDONG,
        "website": "https://www.sustech.edu.cn",
        "description": "深圳在高等教育改革中创建的公办新型研究型大学，设有深港微电子学院和量子科学与工程研究院，参与深圳高重频X射线自由电子激光装置建设，在新材料、新能源和机器人领域成果转化活跃。",
        "verified": True,
        "since": 430,
        "owner": ("tto@sustech.demo", "林晓雯", ZH),
        "members": [("fel@sustech.demo", "Chen Hao", EN, True)],
    },
    {
        "key": "zju",
        "kind": OrganizationKind.UNIVERSITY,
        "name": "浙江大学",
        "name_en": "Zhejiang University",
        "region": Region.ZHEJIANG,
        "website": "https://www.zju.edu.cn",
        "description": "综合性研究型大学，在人工智能、脑机接口、农业与生命科学及交叉学科基础研究方面积累深厚。技术转移中心负责学校科技成果的许可、转让与作价入股。",
        "verified": True,
        "since": 440,
        "owner": ("tto@zju.demo", "沈嘉怡", ZH),
        "members": [("ai-lab@zju.demo", "吴俊杰", ZH, True)],
    },
    {
        "key": "xjtu",
        "kind": OrganizationKind.UNIVERSITY,
        "name": "西安交通大学",
        "name_en": "Xi'an Jiaotong University",
        "region": Region.SHAANXI,
        "website": "https://www.xjtu.edu.cn",
        "description": "在能源动力、电气工程和智能制造方面具有传统优势，拥有电力设备电气绝缘、机械制造系统工程等国家重点实验室，推动成果在西部地区落地转化。",
        "verified": True,
        "since": 420,
        "owner": ("tto@xjtu.demo", "杨帆", ZH),
        "members": [("power@xjtu.demo", "李文博", ZH, True)],
    },
    {
        "key": "fudan",
        "kind": OrganizationKind.UNIVERSITY,
        "name": "复旦大学",
        "name_en": "Fudan University",
        "region": Region.SHANGHAI,
        "website": "https://www.fudan.edu.cn",
        "description": "在集成电路、计算科学、生物医药和人工智能领域形成多学科交叉优势，微电子学院承担大量芯片设计、新器件与新工艺研究。",
        "verified": True,
        "since": 410,
        "owner": ("tto@fudan.demo", "顾佳琪", ZH),
        "members": [("ic@fudan.demo", "Lu Yiming", EN, True)],
    },
    {
        "key": "shenxin",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "深芯微电子（深圳）有限公司",
        "name_en": "Shenxin Microelectronics (Shenzhen) Co., Ltd.",
        "region": Region.GUANGDONG,
        "website": "",
        "description": "专注高速接口与车规级芯片设计的集成电路企业，总部位于深圳南山，研发人员约300人，产品用于数据中心交换、AI加速互联和智能汽车。",
        "verified": True,
        "since": 380,
        "owner": ("rd@shenxin.demo", "黄志强", ZH),
        # The second applicant is left waiting, so the owner has a request to answer.
        "members": [
            ("ip@shenxin.demo", "郑雅婷", ZH, True),
            ("intern@shenxin.demo", "刘洋", ZH, False),
        ],
    },
    {
        "key": "ningchuan",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "宁川新能源科技有限公司",
        "name_en": "Ningchuan New Energy Technology Co., Ltd.",
        "region": Region.FUJIAN,
        "website": "",
        "description": "动力与储能锂离子电池制造企业，在福建宁德和浙江湖州设有生产基地，年产能约40 GWh，正在布局钠离子电池与电池回收。",
        "verified": True,
        "since": 360,
        "owner": ("tech@ningchuan.demo", "陈立新", ZH),
        "members": [],
    },
    {
        "key": "zhiyu",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "杭州智语科技有限公司",
        "name_en": "Hangzhou Zhiyu AI Technology Co., Ltd.",
        "region": Region.ZHEJIANG,
        "website": "",
        "description": "专注大模型应用与智能客服的人工智能企业，服务金融、电商和政务客户，在杭州和上海设有研发中心。",
        "verified": True,
        "since": 350,
        "owner": ("ai@zhiyu.demo", "王思远", ZH),
        "members": [("product@zhiyu.demo", "Emily Zhao", EN, True)],
    },
    {
        "key": "ruituo",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "西安锐拓智能装备有限公司",
        "name_en": "Xi'an Ruituo Intelligent Equipment Co., Ltd.",
        "region": Region.SHAANXI,
        "website": "",
        "description": "生产五轴数控机床、协作机器人与自动化产线，服务航空航天与汽车零部件制造企业。",
        "verified": True,
        "since": 370,
        "owner": ("eng@ruituo.demo", "张建国", ZH),
        "members": [],
    },
    {
        "key": "kangheng",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "上海康衡生物医药有限公司",
        "name_en": "Shanghai Kangheng Biopharma Co., Ltd.",
        "region": Region.SHANGHAI,
        "website": "",
        "description": "位于张江科学城的创新药企业，专注自身免疫与肿瘤领域的抗体药物和多肽药物开发。",
        "verified": True,
        "since": 330,
        "owner": ("cmc@kangheng.demo", "徐婧", ZH),
        "members": [],
    },
    {
        # Signed up recently and not verified yet: its pending challenge cannot be published.
        "key": "yihang",
        "kind": OrganizationKind.ENTERPRISE,
        "name": "苏州翼航低空科技有限公司",
        "name_en": "Suzhou Yihang Low-Altitude Technology Co., Ltd.",
        "region": Region.JIANGSU,
        "website": "",
        "description": "成立于2025年的初创企业，研发城市空中交通用电动垂直起降飞行器（eVTOL）与物流无人机。",
        "verified": False,
        "since": 12,
        "owner": ("ceo@yihang.demo", "赵宇航", ZH),
        "members": [],
    },
    {
        "key": "gba",
        "kind": OrganizationKind.TRANSFER_CENTRE,
        "name": "粤港澳大湾区技术转移中心",
        "name_en": "Greater Bay Area Technology Transfer Centre",
        "region": Region.GUANGDONG,
        "website": "",
        "description": "面向粤港澳大湾区的技术转移服务机构，受高校院所和企业委托发布成果与需求，提供技术评估、经纪与交易撮合服务。",
        "verified": True,
        "since": 450,
        "owner": ("broker@gba-ttc.demo", "何嘉欣", ZH),
        "members": [("ops@gba-ttc.demo", "梁振华", ZH, True)],
    },
]

# ---------------------------------------------------------------------------------------------
# Achievements. ``price`` None means negotiable; ``by`` "member" means the org's first member
# wrote it (else the owner). ``reason`` is the moderator's reason for rejected ones.

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Southern University of Science and Technology ---------------------------------------
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "超导射频腔中温烘烤与氮掺杂表面处理工艺",
        "summary": "面向高重频X射线自由电子激光与先进加速器的1.3 GHz纯铌超导腔表面处理工艺，可将腔体品质因数提升至4×10¹⁰以上，已在多只九腔单元样腔上验证。",
        "description": "连续波运行的超导直线加速器是高重频自由电子激光的核心，其运行成本主要取决于超导腔在2 K下的品质因数（Q0）。团队建立了电抛光、中温（300–400 °C）真空烘烤与低浓度氮掺杂相结合的表面处理流程，并配套腔体温度映射与二次电子倍增诊断。在1.3 GHz九腔单元样腔上，16 MV/m加速梯度下Q0达到4.2×10¹⁰，较常规120 °C烘烤工艺提高约一倍，低温制冷负荷相应降低。工艺对炉温均匀性与氮分压有明确的控制窗口，可移植至国内现有真空热处理炉。可提供工艺包许可、设备改造方案与驻厂调试服务。",
        "fields": ["manufacturing-precision", "materials-superconductors"],
        "keywords": ["超导射频腔", "自由电子激光", "氮掺杂", "中温烘烤", "加速器"],
        "trl": 6,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN115332945B, CN116387210B",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "物理系加速器物理课题组：教授 2 名、研究员 3 名、工程师 5 名，参与深圳高重频X射线自由电子激光装置超导直线加速器研制。",
    },
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "title": "飞秒激光玻璃通孔（TGV）精密加工技术",
        "summary": "利用飞秒激光诱导改性结合选择性化学刻蚀，在硼硅玻璃和石英上加工深宽比大于10:1的微通孔，用于玻璃基板先进封装与微流控芯片。",
        "description": "玻璃基板介电损耗低、热膨胀系数可调，被视为下一代芯片封装中介层的重要方向，但高密度通孔加工是量产瓶颈。团队采用飞秒激光逐点改性与湿法选择性刻蚀的两步工艺，孔径20–80 μm，深宽比最高15:1，孔壁粗糙度Ra<0.3 μm，无微裂纹和热影响区。自研的光束整形与振镜同步控制软件使单片加工速度达到每秒5000孔以上。已完成100 mm晶圆级样片，并通过金属化与可靠性测试。可以许可或联合开发方式与封装设备、玻璃基板企业合作。",
        "fields": ["ic-packaging", "manufacturing-precision"],
        "keywords": ["飞秒激光", "玻璃通孔", "TGV", "先进封装", "微流控"],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117415621A, CN118002387A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "深港微电子学院超快激光制造团队：教授 1 名、副教授 2 名、博士后 2 名、博士研究生 8 名。",
    },
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "title": "钙钛矿/晶硅两端叠层太阳电池",
        "summary": "基于自组装单分子层空穴传输与宽带隙钙钛矿组分调控，1 cm²两端叠层电池认证效率30.1%，并通过1000小时湿热老化测试。",
        "description": "叠层电池是突破晶硅单结效率极限的主要路线。团队开发了适配绒面晶硅底电池的自组装单分子层（SAM）空穴传输层和1.68 eV宽带隙钙钛矿组分，抑制了光致相分离。1 cm²器件经第三方认证效率30.1%，封装器件按IEC 61215进行1000小时湿热测试后保持初始效率的92%。目前正与合作方进行M10尺寸全面积器件的狭缝涂布工艺放大。寻求与光伏组件企业开展中试线联合开发或独占许可。",
        "fields": ["energy-pv", "materials-semiconductor"],
        "keywords": ["钙钛矿", "叠层电池", "晶硅", "自组装单分子层", "光伏"],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117832106A, CN118116543A",
        "modes": [LICENCE, JOINT, EQUITY],
        "price": None,
        "team": "材料科学与工程系新能源材料课题组：教授 1 名、研究助理教授 2 名、博士研究生 10 名。",
    },
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Air-stable sulfide solid electrolyte for all-solid-state lithium batteries",
        "summary": "A halogen-rich argyrodite electrolyte with 8 mS/cm ionic conductivity that releases almost no H₂S after 24 hours in dry-room air, processed into 30 μm free-standing films.",
        "description": "Sulfide electrolytes conduct lithium ions as well as liquids do, but they react with moisture, which forces argon glove boxes and raises cost. The team replaced part of the sulfur in Li₆PS₅Cl with oxygen and bromine, keeping room-temperature conductivity at 8 mS/cm while cutting H₂S release by more than 90% at a dew point of −40 °C. A solvent-free binder fibrillation process turns the powder into 30 μm films that laminate onto NCM811 cathodes. Pouch cells of 2 Ah have passed 800 cycles at 0.5C with 85% capacity retention. We offer a licence to the composition and the film process, with technical support for scale-up to 100 kg batches.",
        "fields": ["energy-battery", "materials-ceramics"],
        "keywords": [
            "solid-state battery",
            "sulfide electrolyte",
            "argyrodite",
            "dry-room processing",
            "lithium metal",
        ],
        "trl": 5,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN116014287B",
        "modes": [LICENCE, SERVICE],
        "price": 3_000_000,
        "team": "Department of Materials Science and Engineering, solid-state ionics group: 2 professors, 1 research assistant professor, 3 postdocs.",
    },
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "title": "仿生软体机器人柔性抓手",
        "summary": "气动驱动的多指软体抓手可无损抓取鸡蛋、水果和异形零件，单指成本低于百元，已在食品分拣线上连续运行6个月。",
        "description": "传统刚性夹爪抓取易损、形状不规则的物体时，需要复杂的力控与视觉配合。团队基于纤维增强硅橡胶设计了可编程弯曲的软体手指，通过模块化快换接口组合成2–6指抓手，最大负载3 kg，响应时间小于0.3秒。手指内置液态金属应变传感器，可实时估计抓取力与接触状态。产品已在合作企业的鲜果分拣和烘焙食品装箱产线验证，破损率由2.1%降至0.2%以下。可转让专利与模具设计，或以作价入股方式合作。",
        "fields": ["manufacturing-robots", "ai-robotics"],
        "keywords": ["软体机器人", "柔性抓手", "食品分拣", "液态金属传感"],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN114986732B, CN115401299B",
        "modes": [TRANSFER, EQUITY],
        "price": 800_000,
        "team": "机械与能源工程系软体机器人实验室：教授 1 名、副教授 1 名、工程师 3 名。",
    },
    {
        "org": "sustech",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Low-loss flip-chip packaging for superconducting qubit processors",
        "summary": "An indium-bump flip-chip process that joins qubit and readout chips with sub-micron alignment and keeps qubit coherence times above 100 μs.",
        "description": "Scaling superconducting quantum processors beyond a hundred qubits needs wiring in the third dimension. The team developed an indium-bump bonding process on sapphire and high-resistivity silicon with titanium nitride under-bump layers, reaching ±0.5 μm alignment and a gap uniformity of ±0.3 μm across 20 mm dies. Measured T1 times on bonded 24-qubit devices average 112 μs, comparable to single-layer chips. The process runs on commercial flip-chip bonders, and we transfer the recipe and fixture set. It suits quantum-computing start-ups and packaging foundries entering the cryogenic market.",
        "fields": ["it-quantum", "ic-packaging"],
        "keywords": [
            "superconducting qubits",
            "flip-chip",
            "indium bumps",
            "3D integration",
            "quantum computing",
        ],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118248519A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "Institute for Quantum Science and Engineering, device fabrication group: 1 professor, 2 research scientists, 4 engineers.",
    },
    {
        "org": "sustech",
        "status": S.PENDING,
        "title": "海水直接电解制氢抗氯腐蚀电极",
        "summary": "带有硫酸根自修复保护层的镍铁基阳极，可在天然海水中以500 mA/cm²稳定电解超过2000小时，无需海水淡化预处理。",
        "description": "沿海风电就地制氢可以省去输电和淡水制备成本，但海水中的氯离子会引发阳极腐蚀和析氯副反应。团队在泡沫镍上原位生长镍铁层状双氢氧化物，并构建富含硫酸根的阴离子选择层，阻止氯离子接近活性位点。在仅经简单过滤的天然海水中，500 mA/cm²电流密度下槽压1.85 V，连续运行2000小时衰减小于3%。电极采用常压水热与电沉积工艺制备，易于放大到平方米级。寻求与电解槽企业或海上风电运营商联合开发示范装置。",
        "fields": ["energy-hydrogen", "materials-2d"],
        "keywords": ["海水电解", "制氢", "析氧电极", "抗氯腐蚀", "海上风电"],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117999361A",
        "modes": [JOINT, LICENCE],
        "price": None,
        "team": "环境科学与工程学院电化学能源课题组：教授 1 名、副研究员 1 名、博士研究生 7 名。",
    },
    {
        "org": "sustech",
        "status": S.DRAFT,
        "title": "可降解锌合金血管支架",
        "summary": "Zn-Cu-Li系可降解合金支架，径向支撑力接近钴铬合金支架，植入12个月内在动物体内基本降解。",
        "description": "永久金属支架长期留存体内，会带来晚期血栓与再狭窄风险。团队开发的锌铜锂合金经热挤压和微管拉拔后，屈服强度超过350 MPa，延伸率大于20%，可加工成壁厚100 μm的支架。兔髂动脉植入实验显示6个月内膜化良好，12个月降解率约85%，未见明显炎症反应。目前正在开展大动物实验和GLP毒理评价。寻求医疗器械企业共同推进注册检验与临床试验。",
        "fields": ["biomed-devices", "materials-biomaterials"],
        "keywords": ["可降解支架", "锌合金", "心血管", "医疗器械"],
        "trl": 3,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118420773A",
        "modes": [JOINT, EQUITY],
        "price": None,
        "team": "生物医学工程系植介入器械团队：教授 1 名、副教授 1 名、博士后 2 名。",
    },
    {
        "org": "sustech",
        "status": S.REJECTED,
        "title": "城市污水主流厌氧氨氧化低碳脱氮工艺",
        "summary": "主流厌氧氨氧化（Anammox）脱氮工艺，曝气能耗降低约50%，无需外加碳源。",
        "description": "传统硝化反硝化工艺曝气能耗高，低碳氮比污水还需投加甲醇等外碳源。团队通过间歇曝气与羟胺调控抑制亚硝酸盐氧化菌，实现主流部分亚硝化-厌氧氨氧化耦合，颗粒污泥与生物膜复合反应器在12–30 °C下总氮去除率稳定在80%以上。与常规A²O工艺相比，曝气量降低约50%，污泥产量降低60%，吨水处理成本下降0.15元。",
        "fields": ["environment-water", "environment-carbon"],
        "keywords": ["厌氧氨氧化", "污水处理", "低碳脱氮", "节能降耗"],
        "trl": 6,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN115124089B",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "环境科学与工程学院水处理团队：教授 2 名、工程师 3 名。",
        "reason": "完整描述中的吨水成本和去除率数据没有注明测试条件。请补充中试规模、连续运行时间和检测单位后重新提交。",
    },
    {
        "org": "sustech",
        "status": S.ARCHIVED,
        "by": "member",
        "title": "Ultrafast X-ray spectroscopy of battery and catalyst materials (measurement service)",
        "summary": "Time-resolved X-ray absorption measurements that follow charge transfer in electrode and catalyst materials from femtoseconds to nanoseconds.",
        "description": "Understanding why a cathode degrades or a catalyst deactivates often means watching electrons and atoms move in real time. The team operates a laboratory high-harmonic X-ray source and a pump-probe end-station with 50 fs resolution, and coordinates beamtime applications at free-electron laser facilities. Industrial users send powders or thin films; we prepare the samples, run the measurements and deliver an analysed report with structural models. Past projects covered nickel-rich cathodes, single-atom catalysts and perovskite films. Typical turnaround is six to ten weeks.",
        "fields": ["materials-semiconductor", "energy-battery"],
        "keywords": [
            "ultrafast spectroscopy",
            "X-ray absorption",
            "free-electron laser",
            "battery materials",
            "catalysis",
        ],
        "trl": 8,
        "ip": IP.KNOW_HOW,
        "patents": "",
        "modes": [SERVICE],
        "price": 120_000,
        "team": "Department of Physics, ultrafast X-ray science group: 1 professor, 2 staff scientists, 3 postdocs.",
    },
    # --- Zhejiang University -----------------------------------------------------------------
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "面向工业质检的小样本视觉缺陷检测系统",
        "summary": "每类缺陷仅需约20张样本即可训练的表面缺陷检测模型，在金属、玻璃和纺织品产线上检出率超过99%。",
        "description": "制造企业换线频繁，缺陷样本少且类别不平衡，传统深度学习模型需要数千张标注图像。团队提出基于正常样本重建与缺陷合成的小样本学习框架，配合主动标注工具，每类缺陷约20张样本即可达到上线指标。在浙江多家企业的冷轧钢板、手机盖板玻璃和坯布检测线上，检出率99.2%，误报率低于0.5%，单张图像推理时间小于30 ms（工控机GPU）。系统包括采集标定、模型训练和产线部署三个模块。可提供软件许可与定制化技术服务。",
        "fields": ["ai-vision", "manufacturing-inspection"],
        "keywords": ["缺陷检测", "小样本学习", "工业视觉", "质量控制", "智能制造"],
        "trl": 8,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2023SR1456278, 2024SR0392015",
        "modes": [LICENCE, SERVICE],
        "price": 500_000,
        "team": "计算机科学与技术学院视觉智能团队：教授 1 名、副教授 2 名、工程师 4 名、研究生 12 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "支持检索增强的中文医疗问答大模型",
        "summary": "在开源基座模型上以医学指南与脱敏病历继续训练的130亿参数模型，结合知识库检索回答临床问题并给出出处。",
        "description": "通用大模型在医疗场景中存在幻觉与知识过时的问题。团队与附属医院合作，在开源基座模型上使用脱敏病历、临床指南和药品说明书进行继续预训练与指令微调，并构建可更新的医学知识库检索模块，回答时引用指南条款与文献出处。在执业医师资格考试题上准确率达到78%，在院内导诊与病历质控试点中医生采纳率为86%。模型支持私有化部署，单台8卡服务器即可提供推理服务。可通过软件许可或联合开发方式与医疗信息化企业合作。",
        "fields": ["ai-llm"],
        "keywords": ["大语言模型", "医疗问答", "检索增强生成", "私有化部署"],
        "trl": 6,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2024SR0871563",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "计算机科学与技术学院与医学院联合团队：教授 2 名、主任医师 3 名、工程师 6 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "title": "植入式脑机接口运动意图解码算法与系统",
        "summary": "基于皮层内微电极阵列信号的实时运动意图解码，使高位截瘫患者可以用意念控制机械臂完成抓取与进食。",
        "description": "团队长期从事脑机接口研究，建立了从神经信号采集、特征提取到在线解码的完整技术链。解码算法融合神经元放电与局部场电位信息，并引入自适应校准，使解码性能在数周内保持稳定，大幅减少每日重新标定的时间。在临床研究中，受试者可控制七自由度机械臂完成抓取水杯、进食等动作，任务成功率超过90%。信号处理软件与低延迟解码平台可用于康复医疗设备开发。寻求医疗器械企业共同开展产品注册与临床转化。",
        "fields": ["biomed-devices", "ai-decision"],
        "keywords": ["脑机接口", "神经解码", "康复医疗", "机械臂控制"],
        "trl": 4,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113951899B, CN115736947B",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "医工交叉脑机接口团队：教授 3 名、神经外科医师 2 名、工程师 5 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Graph neural networks for molecular property prediction in early drug discovery",
        "summary": "A pre-trained molecular graph model that predicts ADMET properties from structure, cutting the number of compounds synthesised in lead optimisation by about a third.",
        "description": "Medicinal chemists make and test thousands of compounds to find a few with the right absorption, metabolism and toxicity profile. The team pre-trained a geometry-aware graph transformer on 20 million molecules and fine-tuned it on 40 curated ADMET endpoints. On public benchmarks it ranks in the top three for 28 endpoints, and in a retrospective study with a partner company it would have removed 35% of the compounds synthesised without losing any of the final candidates. The model ships as a containerised service with an API and a web interface for chemists, and can be fine-tuned on private data inside the client's network.",
        "fields": ["ai-science", "biomed-drugs"],
        "keywords": [
            "AI for science",
            "graph neural networks",
            "ADMET",
            "drug discovery",
            "molecular modelling",
        ],
        "trl": 6,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2024SR1120436",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "College of Computer Science and Technology with the College of Pharmaceutical Sciences: 2 professors, 1 associate professor, 5 engineers.",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "title": "耐盐碱水稻基因编辑育种技术",
        "summary": "利用CRISPR/Cas9精准编辑耐盐相关基因，获得在0.4%盐度土壤中增产20%以上、且不含外源基因的水稻新种质。",
        "description": "我国有大量可开发利用的盐碱地，耐盐碱作物是重要突破口。团队鉴定了调控水稻离子稳态的关键基因，通过多靶点基因编辑获得耐盐性显著提高的新种质，并经分离筛选去除了转基因元件。在江苏、山东盐碱地连续两年的田间试验中，0.3%–0.4%盐度下较对照品种增产21%–27%，稻米品质达到国标三级以上。可与种业企业合作开展品种审定与推广，或以种质资源许可方式转让。",
        "fields": ["agriculture-breeding"],
        "keywords": ["基因编辑", "耐盐碱", "水稻", "种质创新", "生物育种"],
        "trl": 5,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN114107358B",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "农业与生物技术学院作物分子育种团队：教授 2 名、副教授 1 名、博士后 3 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "title": "名优茶智能采摘机器人",
        "summary": "基于三维视觉识别嫩芽并规划采摘路径的龙井茶采摘机器人，一芽一叶识别准确率92%，采摘效率约为人工的1.5倍。",
        "description": "名优茶采摘依赖人工，采摘季短、用工贵已成为茶产业的突出问题。团队研制的采摘机器人采用RGB-D相机与轻量化分割网络识别一芽一叶、一芽二叶，结合茶篷曲面重建规划机械臂采摘顺序；末端采用仿生指夹加旋切结构，避免压伤芽叶。在杭州西湖龙井茶园的测试中，识别准确率92%，完整芽叶率85%，单台每小时采摘鲜叶约1.2公斤。可与农机企业联合开发量产机型。",
        "fields": ["agriculture-smart", "ai-robotics"],
        "keywords": ["采茶机器人", "三维视觉", "智慧农业", "农业机器人"],
        "trl": 6,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117562049A, CN118160625A",
        "modes": [JOINT, LICENCE],
        "price": None,
        "team": "生物系统工程与食品科学学院农业机器人团队：教授 1 名、副教授 2 名、博士研究生 6 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "title": "Multi-agent reinforcement learning for warehouse robot fleets",
        "summary": "Scheduling software that coordinates hundreds of mobile robots in a warehouse; it raised order throughput by 18% over rule-based dispatch at a live site.",
        "description": "In goods-to-person warehouses, congestion at picking stations and in aisles limits throughput long before the robots themselves are busy. The team trained a multi-agent reinforcement-learning policy in a simulator calibrated with logs from a partner's 600-robot site, combining task assignment and path reservation in a single decision step. In a four-week live A/B test the policy raised orders per hour by 18% and cut average robot idle time by 26%, with a fallback to the existing rule-based dispatcher. The software integrates with common warehouse management systems through a REST interface.",
        "fields": ["ai-decision", "manufacturing-smart-factory"],
        "keywords": [
            "reinforcement learning",
            "multi-agent systems",
            "warehouse robotics",
            "logistics",
            "scheduling",
        ],
        "trl": 7,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2023SR0984411",
        "modes": [LICENCE, SERVICE],
        "price": 1_200_000,
        "team": "College of Control Science and Engineering, intelligent systems lab: 1 professor, 2 associate professors, 4 engineers.",
    },
    {
        "org": "zju",
        "status": S.PENDING,
        "title": "农产品农药残留荧光快速检测试纸",
        "summary": "基于纳米酶荧光探针的有机磷与氨基甲酸酯类农药残留检测试纸，配合手机读数，10分钟出结果。",
        "description": "农贸市场与种植基地自检普遍采用酶抑制率法，灵敏度有限，且易受蔬菜色素干扰。团队设计了具有乙酰胆碱酯酶模拟活性的纳米酶和比率荧光探针，将其固定在纸基芯片上，配合手机摄像头与标定软件完成定量读数。对毒死蜱、敌敌畏等12种常见农药的检出限达到0.01 mg/kg，低于国家最大残留限量；蔬菜样品检测结果与色谱法符合率95%。单次检测成本约3元。寻求食品检测设备企业独家许可。",
        "fields": ["agriculture-food", "biomed-diagnostics"],
        "keywords": ["农药残留", "快速检测", "纳米酶", "荧光探针", "食品安全"],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118191447A",
        "modes": [LICENCE, TRANSFER],
        "price": None,
        "team": "生物系统工程与食品科学学院食品安全检测团队：教授 1 名、副教授 1 名、博士研究生 5 名。",
    },
    {
        "org": "zju",
        "status": S.DRAFT,
        "by": "member",
        "title": "Printed sweat-sensing patch for continuous hydration monitoring",
        "summary": "A disposable screen-printed patch that measures sodium, potassium and sweat rate and streams the readings to a phone over Bluetooth Low Energy.",
        "description": "Athletes and outdoor workers lose electrolytes faster than they notice. The patch combines ion-selective electrodes printed on a stretchable polyurethane substrate with a microfluidic channel that measures sweat rate, and a coin-sized readout board. In trials with 40 volunteers during cycling, sodium readings agreed with laboratory analysis within 8%. Materials cost is under 6 yuan per patch at 100,000 units. We are preparing a Class II medical device registration and are looking for a consumer-electronics or sports-equipment partner.",
        "fields": ["it-iot", "biomed-diagnostics"],
        "keywords": [
            "wearable sensors",
            "sweat analysis",
            "flexible electronics",
            "health monitoring",
        ],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118033571A",
        "modes": [JOINT, LICENCE],
        "price": None,
        "team": "College of Biomedical Engineering and Instrument Science, flexible electronics group: 1 professor, 1 assistant professor, 4 PhD students.",
    },
    {
        "org": "zju",
        "status": S.EXPIRED,
        "title": "城市无人机物流航路规划与冲突消解系统",
        "summary": "面向城市低空物流的航路网格化规划与多机冲突消解软件，支持千架级无人机并发调度。",
        "description": "城市低空物流需要在建筑、禁飞区和气象约束下为大量无人机分配航路。系统将城市空域划分为三维网格，结合建筑物数字高程模型和动态禁飞区生成分层航路网络，并采用基于优先级的时空预约算法消解冲突。在杭州某试点区的仿真与实飞验证中，系统支持1200架无人机并发调度，平均航路规划时间小于200毫秒，未出现冲突告警遗漏。系统提供与民航无人机综合监管平台对接的接口。",
        "fields": ["low-altitude-traffic", "ai-decision"],
        "keywords": ["低空物流", "航路规划", "冲突消解", "无人机调度", "低空经济"],
        "trl": 6,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2022SR1375520",
        "modes": [LICENCE, SERVICE],
        "price": 600_000,
        "team": "航空航天学院无人系统团队：教授 1 名、副教授 2 名、工程师 3 名。",
    },
    # --- Xi'an Jiaotong University -----------------------------------------------------------
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "特高压直流GIS盆式绝缘子表面电荷抑制技术",
        "summary": "通过表面氟化与功能梯度材料设计抑制直流电场下绝缘子表面电荷积聚，使沿面闪络电压提高约30%。",
        "description": "直流气体绝缘金属封闭开关设备（GIS）中，环氧绝缘子表面电荷积聚会畸变电场、诱发沿面闪络，是制约特高压直流GIS发展的关键问题。团队提出以表面直接氟化调控电导率、以功能梯度材料（FGM）调控介电常数分布的联合方案，并开发了配套的真空浇注与梯度离心工艺。±550 kV试品在直流叠加冲击试验中沿面闪络电压提高约30%，表面电荷衰减时间缩短一个数量级。可向开关设备制造企业许可工艺，并提供材料配方与测试服务。",
        "fields": ["energy-grid", "materials-polymers"],
        "keywords": ["直流GIS", "盆式绝缘子", "表面电荷", "功能梯度材料", "特高压"],
        "trl": 6,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113745812B, CN114628975B, CN116110524B",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "电气工程学院高电压与绝缘技术团队：教授 3 名、副教授 2 名、博士研究生 10 名。",
    },
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "title": "大型金属构件电弧熔丝增材制造装备与工艺",
        "summary": "多机器人协同电弧熔丝增材制造，沉积效率最高每小时5公斤，用于航空航天钛合金、铝合金大型框梁类构件近净成形。",
        "description": "航空航天大型框梁和整体舱段传统上采用大型锻件加数控铣削，材料利用率不足10%，周期长达数月。团队研制了多机器人协同电弧熔丝增材制造装备，采用冷金属过渡电源、层间温度闭环控制与在线熔池视觉监测，配合路径规划软件实现大尺寸构件近净成形。TC4钛合金沉积件经热处理后拉伸性能达到锻件标准，沉积效率最高5 kg/h，材料利用率提高到60%以上。可提供整机与工艺包转让，或联合开发专用装备。",
        "fields": ["manufacturing-additive", "manufacturing-aerospace"],
        "keywords": ["电弧增材制造", "钛合金", "航空航天", "大型构件", "机器人"],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN112894083B, CN115041708B",
        "modes": [TRANSFER, JOINT],
        "price": 5_000_000,
        "team": "机械工程学院增材制造团队：教授 2 名、副教授 3 名、工程师 6 名。",
    },
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "超临界二氧化碳布雷顿循环发电关键技术",
        "summary": "面向光热、余热与核能发电的超临界二氧化碳循环系统设计方法与紧凑式印刷电路板换热器，系统热效率较蒸汽朗肯循环提高3–5个百分点。",
        "description": "超临界二氧化碳布雷顿循环效率高、系统紧凑，是新一代热力发电的重要方向。团队建立了从热力循环优化、透平与压缩机气动设计到换热器传热强化的设计方法体系；研制的印刷电路板式换热器（PCHE）功率密度达到传统管壳式换热器的4倍以上，并在兆瓦级试验回路上完成了长时间运行验证。透平入口温度550 °C时，再压缩循环热效率达到45%以上。可为发电集团和装备企业提供系统设计、关键部件联合研制与试验服务。",
        "fields": ["energy-nuclear", "environment-efficiency"],
        "keywords": ["超临界二氧化碳", "布雷顿循环", "印刷电路板换热器", "余热发电", "光热发电"],
        "trl": 5,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113202573B",
        "modes": [JOINT, SERVICE],
        "price": None,
        "team": "能源与动力工程学院热力系统团队：教授 2 名、副教授 2 名、博士后 3 名。",
    },
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "title": "五轴数控机床热误差建模与实时补偿",
        "summary": "基于少量温度测点的热误差预测模型与数控系统补偿模块，使五轴机床连续加工8小时的热漂移由30 μm降至6 μm以内。",
        "description": "热误差占精密机床总误差的40%–70%，是国产机床精度保持性的主要短板。团队基于有限元热分析与温度敏感点优选，仅用8个温度传感器即可建立覆盖主轴与进给轴的热误差模型，并开发了适配主流国产及进口数控系统的补偿模块，通过PLC外部原点偏移实时补偿。在合作机床厂的五轴立式加工中心上，连续运行8小时的主轴轴向热漂移由30 μm降至5.8 μm。补偿模块可单独许可，也可提供机床出厂前的建模标定服务。",
        "fields": ["manufacturing-machine-tools", "manufacturing-precision"],
        "keywords": ["数控机床", "热误差补偿", "五轴加工", "精度保持性"],
        "trl": 8,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN111459094B, CN114237155B",
        "modes": [LICENCE, SERVICE],
        "price": 300_000,
        "team": "机械工程学院精密加工与测量团队：教授 1 名、副教授 2 名、工程师 3 名。",
    },
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Battery state-of-health estimation from partial charging data",
        "summary": "An algorithm that estimates lithium-ion battery capacity fade within 2% error from any 10-minute segment of a normal charging curve, with no special test cycles.",
        "description": "Fleet operators and energy-storage stations need to know each battery's state of health, but full capacity tests take hours and interrupt service. The team extracts incremental-capacity features from short segments of ordinary constant-current charging and feeds them to a physics-informed neural network trained on more than 2,000 LFP and NCM cells. On field data from electric buses and a 100 MWh storage station, the mean absolute error was 1.6% of rated capacity. The algorithm runs on a battery management system microcontroller or in the cloud, and we provide integration support.",
        "fields": ["energy-battery", "ai-decision"],
        "keywords": [
            "battery management",
            "state of health",
            "machine learning",
            "energy storage",
            "electric vehicles",
        ],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN114252795B",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "School of Electrical Engineering, battery management group: 1 professor, 2 associate professors, 3 engineers.",
    },
    {
        "org": "xjtu",
        "status": S.PUBLISHED,
        "title": "变压器油中溶解气体光声光谱在线监测装置",
        "summary": "单台装置同时测量7种故障特征气体，乙炔检测下限0.1 μL/L，无需载气和标定气，适用于变电站无人值守运维。",
        "description": "油中溶解气体分析是诊断变压器内部故障最有效的方法之一，传统气相色谱在线装置需要定期更换载气，维护量大。团队研制的光声光谱装置采用中红外量子级联激光器与差分式光声池，配合真空脱气模块，可同时检测氢气、乙炔、乙烯等7种特征气体，乙炔检测下限0.1 μL/L。装置已在多座220 kV和500 kV变电站挂网运行两年以上，与实验室色谱比对偏差小于10%。可转让技术或许可生产。",
        "fields": ["energy-grid", "environment-monitoring"],
        "keywords": ["光声光谱", "油中溶解气体", "变压器", "在线监测", "状态检修"],
        "trl": 8,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN112630172B, CN215678904U",
        "modes": [TRANSFER, LICENCE],
        "price": 1_500_000,
        "team": "电气工程学院电力设备状态监测团队：教授 2 名、副教授 1 名、工程师 4 名。",
    },
    {
        "org": "xjtu",
        "status": S.PENDING,
        "title": "燃料电池超薄金属双极板成形与涂层技术",
        "summary": "0.1 mm不锈钢双极板的精密冲压成形与非晶碳涂层技术，接触电阻低于5 mΩ·cm²，耐腐蚀性能达到车用燃料电池要求。",
        "description": "金属双极板是车用质子交换膜燃料电池电堆降本和提升功率密度的关键部件。团队开发了超薄不锈钢板微流道多工步精密冲压工艺及回弹补偿设计方法，流道深宽比达到0.6，成形后平面度小于0.1 mm；配套的磁控溅射非晶碳涂层在模拟电堆环境中腐蚀电流密度低于1 μA/cm²，接触电阻低于5 mΩ·cm²。已完成200片级小批量试制和千小时电堆耐久测试。",
        "fields": ["energy-hydrogen", "materials-alloys"],
        "keywords": ["燃料电池", "金属双极板", "精密冲压", "涂层", "氢能汽车"],
        "trl": 6,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117507361A, CN118269553A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "材料科学与工程学院表面工程团队：教授 1 名、副教授 2 名、博士研究生 6 名。",
    },
    {
        "org": "xjtu",
        "status": S.REJECTED,
        "by": "member",
        "title": "Grid-forming inverter control for renewable-rich power systems",
        "summary": "A virtual synchronous generator controller with adaptive inertia that keeps weak grids stable when wind and solar exceed 60% of generation.",
        "description": "As inverter-based wind and solar plants replace synchronous machines, grids lose inertia and become prone to oscillation. The team designed a grid-forming control strategy with adaptive virtual inertia and damping, and a fault-ride-through scheme that limits current without losing synchronism. Hardware-in-the-loop tests on a real-time digital simulator modelled a provincial grid with 65% renewable penetration; the frequency nadir after a 1 GW loss improved by 0.3 Hz compared with grid-following control. Field trials on a 50 MW photovoltaic plant are planned.",
        "fields": ["energy-grid", "energy-wind"],
        "keywords": [
            "grid-forming inverters",
            "virtual synchronous generator",
            "renewable integration",
            "power system stability",
        ],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118100231A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "School of Electrical Engineering, power electronics and renewable energy group: 2 professors, 1 associate professor, 5 PhD students.",
        "reason": "The summary claims stable operation above 60% renewable share, but the description reports simulator results only. Please say in the summary that the figures come from hardware-in-the-loop tests, or add field data, and resubmit.",
    },
    {
        "org": "xjtu",
        "status": S.EXPIRED,
        "title": "陶瓷光固化3D打印空心涡轮叶片型芯",
        "summary": "以光固化增材制造替代模具压注制备航空发动机空心叶片陶瓷型芯，研制周期由数月缩短到两周。",
        "description": "航空发动机涡轮叶片内部复杂冷却通道依赖陶瓷型芯成形，传统压注工艺需要昂贵的金属模具，设计修改周期长。团队开发了高固含量硅基陶瓷浆料与面曝光光固化成形工艺，并通过烧结收缩补偿设计使型芯尺寸精度达到±0.1 mm，高温抗弯强度满足定向凝固浇注要求。已为多家发动机研究单位提供百余件型芯样件。",
        "fields": ["manufacturing-aerospace", "materials-ceramics"],
        "keywords": ["陶瓷型芯", "光固化", "3D打印", "涡轮叶片", "航空发动机"],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN110606757B, CN113185268B",
        "modes": [SERVICE, LICENCE],
        "price": None,
        "team": "机械工程学院增材制造团队陶瓷方向：教授 1 名、副教授 1 名、工程师 3 名。",
    },
    {
        "org": "xjtu",
        "status": S.ARCHIVED,
        "title": "高强韧异构高熵合金及其制备方法",
        "summary": "铁锰钴铬系高熵合金经异构组织设计，室温屈服强度超过1 GPa，断后伸长率保持在25%以上。",
        "description": "高熵合金在强韧性匹配方面显示出独特优势。团队通过冷轧加部分再结晶退火获得异构晶粒组织，并引入纳米析出相，实现强度与塑性协同提升：屈服强度1.05 GPa，抗拉强度1.3 GPa，延伸率26%，−196 °C低温下冲击韧性进一步提高。可用于液氢储运容器、深冷装备等对低温韧性要求高的场景。该成果已与企业签订独占许可，本条信息下架存档。",
        "fields": ["materials-alloys"],
        "keywords": ["高熵合金", "异构组织", "低温韧性", "结构材料"],
        "trl": 4,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN112813051B",
        "modes": [LICENCE],
        "price": None,
        "team": "材料科学与工程学院金属材料强度研究团队：教授 1 名、副教授 1 名、博士后 2 名。",
    },
    # --- Fudan University --------------------------------------------------------------------
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "title": "晶圆级二维二硫化钼晶体管集成工艺",
        "summary": "在8英寸晶圆上生长单层二硫化钼，并完成数千晶体管规模的逻辑电路集成，器件迁移率与良率达到工程化门槛。",
        "description": "二维半导体原子级的厚度带来优异的栅控能力，是延续摩尔定律的候选沟道材料。团队建立了单层MoS₂金属有机化学气相沉积晶圆级生长、低损伤转移、高k介质原子层沉积和低接触电阻电极的完整工艺流程：8英寸晶圆薄膜覆盖率超过99%，晶体管平均场效应迁移率30 cm²/V·s，反相器阵列良率超过95%。工艺与现有硅基产线设备兼容，可为代工厂与器件企业提供工艺许可及联合开发。",
        "fields": ["ic-manufacturing", "materials-2d"],
        "keywords": ["二维半导体", "二硫化钼", "晶圆级集成", "后摩尔", "晶体管"],
        "trl": 4,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN114914176B, CN116190227B",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "微电子学院新器件与工艺团队：教授 2 名、青年研究员 3 名、博士研究生 12 名。",
    },
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "面向边缘AI的存算一体SRAM宏单元",
        "summary": "28 nm工艺下的数字存算一体SRAM宏，支持INT4/INT8可重构运算，能效达到每瓦数十TOPS，可作为IP集成到边缘AI芯片中。",
        "description": "端侧AI芯片的能耗主要花在存储器与计算单元之间的数据搬运上。团队设计的数字存算一体（CIM）SRAM宏在存储阵列内完成乘累加运算，采用可重构位宽加法树与稀疏感知时钟门控，避免了模拟方案的精度和工艺波动问题。28 nm流片测试在0.7 V下INT8能效达到27 TOPS/W，INT4达到89 TOPS/W，面积效率优于同类公开结果。提供硬核IP交付、参考设计与集成支持，适用于智能摄像头、语音终端等芯片。",
        "fields": ["ic-design", "ai-computing"],
        "keywords": ["存算一体", "SRAM", "边缘AI", "芯片IP", "低功耗"],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117373508A, CN117874512A",
        "modes": [LICENCE],
        "price": 2_000_000,
        "team": "微电子学院存算一体芯片团队：教授 1 名、青年研究员 2 名、博士研究生 8 名。",
    },
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "RISC-V application processor core with vector extension",
        "summary": "A synthesisable 64-bit RISC-V core with RVV 1.0 vector support, verified against the official architecture tests and running Linux on FPGA and on 22 nm silicon.",
        "description": "Chip companies adopting RISC-V need cores that are verified and documented well enough to integrate without a large CPU team. The team's out-of-order core implements RV64GCV with a 256-bit vector unit, a coherent three-level cache hierarchy and a debug module that follows the RISC-V debug specification. It passes the official architecture test suite, boots mainline Linux and reached 1.6 GHz in 22 nm at 6.1 CoreMark/MHz. Deliverables include the RTL, a verification environment, a software development kit and integration guides; we offer licences with optional customisation.",
        "fields": ["ic-design", "it-software"],
        "keywords": [
            "RISC-V",
            "processor IP",
            "vector extension",
            "CPU design",
            "open instruction set",
        ],
        "trl": 6,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2024SR0715329",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "School of Microelectronics, processor architecture group: 1 professor, 2 associate professors, 6 engineers.",
    },
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "title": "金属氧化物极紫外（EUV）光刻胶",
        "summary": "基于锡氧簇的负性金属氧化物光刻胶，在EUV曝光下实现16 nm半节距线条，感度约30 mJ/cm²。",
        "description": "随着光刻节点推进，传统化学放大胶难以同时兼顾分辨率、线边粗糙度与感度。团队合成了尺寸均一、溶液稳定性好的有机锡氧簇分子，制备的负性金属氧化物光刻胶EUV吸收系数高，在同步辐射EUV干涉光刻平台上获得16 nm半节距线条，线宽粗糙度3.1 nm，感度约30 mJ/cm²，并完成了与显影液和刻蚀工艺的匹配验证。可与光刻胶企业开展配方转化及中试放大合作。",
        "fields": ["ic-lithography", "materials-polymers"],
        "keywords": ["极紫外光刻", "光刻胶", "金属氧化物", "锡氧簇", "半导体材料"],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117908324A",
        "modes": [JOINT, LICENCE],
        "price": None,
        "team": "化学系与微电子学院联合光刻材料团队：教授 2 名、副研究员 1 名、博士研究生 7 名。",
    },
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "title": "模拟集成电路版图自动生成工具",
        "summary": "结合约束学习与强化学习的模拟电路版图自动布局布线工具，将运放、带隙基准等模块的版图设计时间由数天缩短到数小时。",
        "description": "模拟与射频电路版图仍高度依赖工程师手工完成，匹配、对称和寄生方面的要求使其自动化难度远高于数字电路。团队开发的工具从原理图自动识别差分对、电流镜等结构约束，用强化学习完成布局、用基于A*的算法完成布线，并自动插入虚拟器件和保护环；生成的版图通过DRC/LVS检查，后仿性能达到人工版图的95%以上。已在40 nm和28 nm工艺设计套件上验证，支持与主流设计平台交换数据。",
        "fields": ["ic-eda", "ai-decision"],
        "keywords": ["EDA", "模拟版图", "自动布局布线", "强化学习", "芯片设计"],
        "trl": 6,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2023SR1204588, 2024SR0227014",
        "modes": [LICENCE, EQUITY],
        "price": None,
        "team": "微电子学院设计自动化团队：教授 1 名、青年研究员 1 名、工程师 5 名。",
    },
    {
        "org": "fudan",
        "status": S.PUBLISHED,
        "title": "Lipid nanoparticles for extrahepatic mRNA delivery",
        "summary": "A library of ionisable lipids that steers mRNA nanoparticles to the lung and spleen instead of the liver, with only mild liver-enzyme changes in mice and primates.",
        "description": "Most lipid nanoparticles deliver their mRNA cargo to the liver, which limits mRNA therapies for lung disease and immune cells. The team synthesised more than 600 ionisable lipids with degradable ester linkers and screened them in vivo with DNA barcodes. Lead formulations deliver over 70% of the detected mRNA expression to the lungs in mice after intravenous injection, and a non-human primate study confirmed lung targeting with transient, mild liver-enzyme changes. The lipids are made in three synthetic steps. We seek licensees or co-development partners for inhaled or intravenous mRNA therapeutics.",
        "fields": ["biomed-cell-gene", "biomed-biologics"],
        "keywords": [
            "mRNA",
            "lipid nanoparticles",
            "drug delivery",
            "lung targeting",
            "gene therapy",
        ],
        "trl": 4,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117486993A, CN118146187A",
        "modes": [LICENCE, JOINT, EQUITY],
        "price": None,
        "team": "School of Pharmacy, nanomedicine group: 1 professor, 2 associate professors, 5 postdocs.",
    },
    {
        "org": "fudan",
        "status": S.PENDING,
        "by": "member",
        "title": "氮化镓功率器件单片集成栅极驱动芯片",
        "summary": "单片集成650 V氮化镓功率管与栅极驱动，开关频率可达2 MHz，面向快充与数据中心电源。",
        "description": "氮化镓功率器件开关速度快，但分立驱动带来的寄生电感会造成栅极振荡和误导通。团队设计了与增强型GaN HEMT单片集成的栅极驱动与保护电路，集成欠压锁定、过温保护和可调驱动强度，并采用负压关断抑制误导通。在65 W快充参考设计中效率达到94.5%，功率密度提高约30%。已完成两轮流片与可靠性初测，正在进行动态导通电阻长期测试。",
        "fields": ["ic-power", "ic-design"],
        "keywords": ["氮化镓", "功率器件", "栅极驱动", "快充", "电源管理"],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN118315322A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "微电子学院功率器件团队：教授 1 名、副教授 1 名、博士研究生 5 名。",
    },
    {
        "org": "fudan",
        "status": S.PENDING,
        "by": "member",
        "title": "Safety and alignment evaluation toolkit for Chinese large language models",
        "summary": "A benchmark and red-teaming toolkit with 30,000 Chinese test prompts that scores models for harmful content, bias and privacy leaks before release.",
        "description": "Companies deploying large language models in China must assess them against content-security requirements before launch. The toolkit contains 30,000 Chinese prompts across 12 risk categories, adversarial prompt generators for jailbreak testing, and an automatic judge model whose verdicts agree with human annotators 91% of the time. Reports map the results to the relevant national standard so that filings can reuse them. It runs fully offline and has been used to evaluate more than 20 open and commercial models.",
        "fields": ["ai-llm", "it-security"],
        "keywords": [
            "large language models",
            "AI safety",
            "red teaming",
            "content security",
            "evaluation",
        ],
        "trl": 7,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2024SR1583207",
        "modes": [LICENCE, SERVICE],
        "price": 400_000,
        "team": "School of Computer Science, natural language processing lab: 2 professors, 1 associate professor, 6 engineers.",
    },
    {
        "org": "fudan",
        "status": S.DRAFT,
        "title": "基于ctDNA甲基化的多癌种早筛检测",
        "summary": "通过血浆游离DNA甲基化标志物与机器学习模型，实现肺癌、肝癌、结直肠癌等6种常见癌症的早期筛查与组织溯源。",
        "description": "多数癌症在晚期才被发现，血液液体活检为无创早筛提供了可能。团队在3000余例前瞻性队列中筛选出约1200个癌症特异性甲基化区域，建立了靶向捕获测序方案与分类模型；在独立验证集中特异性98.5%，I–II期癌症灵敏度约60%，组织溯源准确率85%。目前正在推进多中心临床试验。",
        "fields": ["biomed-diagnostics"],
        "keywords": ["液体活检", "ctDNA", "甲基化", "癌症早筛", "高通量测序"],
        "trl": 5,
        "ip": IP.INVENTION_PENDING,
        "patents": "CN117305421A",
        "modes": [LICENCE, JOINT],
        "price": None,
        "team": "生命科学学院与附属医院联合团队：教授 2 名、主任医师 2 名、生物信息工程师 4 名。",
    },
    {
        "org": "fudan",
        "status": S.REJECTED,
        "title": "面向城域网的量子密钥分发系统",
        "summary": "基于诱骗态BB84协议的量子密钥分发终端，50公里光纤成码率超过10 kbps，可直接商用部署。",
        "description": "量子密钥分发基于物理原理保障密钥安全，是政务、金融等领域高安全通信的重要手段。团队研制的诱骗态BB84终端采用高速相位调制与超导纳米线单光子探测器，50公里标准光纤成码率超过10 kbps，并通过波分复用实现与经典业务光信号共纤传输。系统可直接商用部署，支持与对称加密设备对接。",
        "fields": ["it-quantum", "it-photonics"],
        "keywords": ["量子密钥分发", "量子通信", "单光子探测", "光纤网络"],
        "trl": 6,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113572594B",
        "modes": [TRANSFER, LICENCE],
        "price": None,
        "team": "物理学系量子光学团队：教授 1 名、青年研究员 2 名、工程师 3 名。",
        "reason": "请说明设备是否已取得商用密码产品认证及其适用范围。未经认证的设备不宜写“可直接商用部署”，请修改摘要和描述后重新提交。",
    },
    # --- Greater Bay Area Technology Transfer Centre (listing on behalf of others) -------------
    {
        "org": "gba",
        "status": S.PUBLISHED,
        "title": "赤泥与粉煤灰制备低碳地聚合物建材",
        "summary": "利用氧化铝工业赤泥和电厂粉煤灰制备免烧地聚合物砖与预制构件，较普通硅酸盐水泥制品减少碳排放约60%。本中心受原研单位委托发布。",
        "description": "赤泥是氧化铝生产排出的强碱性固废，累计堆存量大且综合利用率低。原研团队以赤泥中的碱为激发剂，与粉煤灰、矿渣复配制备地聚合物胶凝材料，常温养护28天抗压强度达到40 MPa以上，重金属浸出满足国家标准限值。已在广西一条示范线上生产免烧砖和市政预制构件。本中心受原研单位委托发布并负责对接，可组织技术许可、工艺包和生产线设计服务。",
        "fields": ["environment-solid-waste", "materials-ceramics"],
        "keywords": ["赤泥", "地聚合物", "固废资源化", "低碳建材", "碳减排"],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113754360B",
        "modes": [LICENCE, SERVICE],
        "price": 1_000_000,
        "team": "原研单位：省属高校材料学院固废资源化团队（教授 2 名、工程师 4 名）；本中心负责商务对接与合同谈判。",
    },
    {
        "org": "gba",
        "status": S.DRAFT,
        "by": "member",
        "title": "无人机输电线路巡检缺陷智能识别平台",
        "summary": "自动识别无人机巡检图像中的绝缘子破损、销钉缺失、鸟巢等20类缺陷，识别准确率93%。本中心受企业研究院委托发布。",
        "description": "输电线路无人机巡检每年产生海量图像，人工判读效率低、易漏检。平台采用多尺度目标检测与小目标增强算法，支持20类常见缺陷的自动识别与分级，并可与巡检航线规划、缺陷闭环工单系统对接。在南方一家电网公司的试点中，单日处理图像10万张，识别准确率93%，判读人力减少约70%。",
        "fields": ["low-altitude-uav", "ai-vision"],
        "keywords": ["无人机巡检", "输电线路", "缺陷识别", "深度学习"],
        "trl": 8,
        "ip": IP.SOFTWARE_COPYRIGHT,
        "patents": "2023SR0655741",
        "modes": [LICENCE, SERVICE],
        "price": None,
        "team": "委托方研究院视觉算法团队：工程师 12 名；本中心负责技术经纪。",
    },
]

# ---------------------------------------------------------------------------------------------
# Challenges. ``budget`` is (from, up to) in yuan or None; ``deadline_in`` days from today.

CHALLENGES: list[dict[str, Any]] = [
    # --- Shenxin Microelectronics ------------------------------------------------------------
    {
        "org": "shenxin",
        "status": S.PUBLISHED,
        "title": "28 nm高速SerDes低抖动锁相环设计",
        "summary": "为56 Gbps PAM4 SerDes寻求低抖动LC锁相环设计方案，要求随机抖动低于100 fs rms。",
        "description": "我司正在开发面向数据中心交换与AI加速互联的56 Gbps PAM4 SerDes IP，现有环形振荡器锁相环在28 nm工艺下抖动性能不足，影响误码率余量。希望与高校或设计团队合作开发LC-VCO锁相环，频率覆盖12–16 GHz，随机抖动低于100 fs rms，功耗低于15 mW，面积小于0.15 mm²。合作方需具备高速模拟电路流片经验，我司提供工艺设计套件、流片与测试资源。",
        "confidential": "目标客户为国内两家交换芯片厂商，计划明年第三季度完成MPW流片。现有方案实测随机抖动约180 fs rms，问题集中在电源噪声耦合。合作费用可按里程碑支付，量产后可追加销售提成。",
        "fields": ["ic-design"],
        "keywords": ["SerDes", "锁相环", "低抖动", "高速接口", "28 nm"],
        "budget": (1_500_000, 3_000_000),
        "deadline_in": 120,
        "modes": [JOINT, SERVICE],
        "min_trl": 4,
    },
    {
        "org": "shenxin",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "大尺寸FC-BGA封装翘曲控制",
        "summary": "55 mm×55 mm FC-BGA封装在回流焊过程中翘曲超标，寻求基板材料、结构或工艺方面的解决方案。",
        "description": "我司AI加速芯片采用55 mm×55 mm FC-BGA封装，回流焊峰值温度下翘曲达到150 μm，超出客户板级装配要求的100 μm，导致焊点开路和桥连。希望合作方通过有限元仿真分析翘曲机理，从加强环设计、底部填充胶选型、基板叠层结构等方面提出改进方案，最终在量产条件下将全温区翘曲控制在80 μm以内。",
        "confidential": "基板为ABF材料14层结构，现用底填胶型号与影子云纹法翘曲测试数据在签署保密协议后提供。封测由外部合作工厂承担，需三方共同验证。",
        "fields": ["ic-packaging", "materials-composites"],
        "keywords": ["先进封装", "FC-BGA", "翘曲", "有限元仿真", "底部填充"],
        "budget": (500_000, 1_200_000),
        "deadline_in": 75,
        "modes": [SERVICE, JOINT],
        "min_trl": 5,
    },
    {
        "org": "shenxin",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "ISO 26262 fault-injection verification flow for an automotive SoC",
        "summary": "We need a fault-injection and safety-analysis flow that produces ASIL-D evidence for our automotive gateway SoC within the current tape-out schedule.",
        "description": "Our automotive gateway SoC has to reach ASIL-D for its safety island and ASIL-B for the rest of the chip. We have the RTL and a formal verification setup, but no automated way to inject permanent and transient faults at scale and compute diagnostic coverage. We are looking for a partner who can build or adapt a fault-injection flow on our simulation and emulation farm, produce FMEDA inputs, and train our verification team. Experience with a previous ISO 26262 assessment is essential.",
        "confidential": "Tape-out is planned for Q2 next year and the assessor is already appointed. The SoC has about 180 million gates; our emulator capacity is two racks. The budget can be raised if the flow can be reused for the next two projects.",
        "fields": ["ic-eda", "ic-design"],
        "keywords": [
            "ISO 26262",
            "functional safety",
            "fault injection",
            "automotive chips",
            "verification",
        ],
        "budget": (800_000, 2_000_000),
        "deadline_in": 90,
        "modes": [SERVICE],
        "min_trl": 6,
    },
    {
        "org": "shenxin",
        "status": S.PENDING,
        "title": "晶圆光学检测缺陷图像自动分类",
        "summary": "寻求适用于晶圆光学检测图像的缺陷自动分类算法，要求分类准确率95%以上，并能在线增加新类别。",
        "description": "在与代工厂合作的良率分析中，我司每周需人工复判数万张光学检测缺陷图像。希望合作开发缺陷自动分类（ADC）模型，支持划伤、颗粒、残胶、图形缺失等15类以上缺陷，分类准确率不低于95%，并能在出现新缺陷类型时以少量样本快速增量学习。模型需离线部署在厂内服务器上。",
        "confidential": "历史标注图像约12万张，类别分布极不均衡；现有外购软件许可费用高且无法定制。数据不得出厂，合作方需驻场开发。",
        "fields": ["ai-vision", "ic-manufacturing"],
        "keywords": ["晶圆检测", "缺陷分类", "深度学习", "良率提升"],
        "budget": (300_000, 800_000),
        "deadline_in": 60,
        "modes": [JOINT, SERVICE],
        "min_trl": 5,
    },
    {
        "org": "shenxin",
        "status": S.REJECTED,
        "title": "高功率芯片低热阻导热界面材料",
        "summary": "寻找热导率大于8 W/m·K、可用于高功率AI芯片封装的导热界面材料，现为某知名服务器厂商供货。",
        "description": "我司高功率AI芯片功耗超过500 W，现用导热硅脂在长期功率循环后出现泵出与干涸，热阻上升约30%。需求导热界面材料热导率大于8 W/m·K，界面热阻小于0.05 °C·cm²/W，可承受−40–125 °C下1000次温度循环，并适配自动点胶工艺。目标采购单价低于每克2元。",
        "confidential": "现用材料为进口品牌导热硅脂，目标明年导入量产。",
        "fields": ["materials-composites", "ic-packaging"],
        "keywords": ["导热界面材料", "热管理", "芯片封装", "高功率"],
        "budget": (200_000, 600_000),
        "deadline_in": 100,
        "modes": [JOINT, TRANSFER],
        "min_trl": 5,
        "reason": "公开摘要提到了客户关系，描述中写明了目标采购价，这些属于商业敏感信息，应移到保密信息栏。请修改后重新提交。",
    },
    # --- Ningchuan New Energy ----------------------------------------------------------------
    {
        "org": "ningchuan",
        "status": S.PUBLISHED,
        "title": "磷酸锰铁锂正极材料倍率与循环性能提升",
        "summary": "寻求磷酸锰铁锂（LMFP）正极的包覆与掺杂改性方案，目标3C倍率容量保持率90%以上，1C循环2000次容量保持率80%以上。",
        "description": "磷酸锰铁锂比磷酸铁锂电压平台更高，可使电池能量密度提升约15%，但电子电导率低、锰溶出导致倍率和循环性能不足。我司希望与材料研究团队合作，从纳米化、碳包覆、离子掺杂等方面优化材料，并在我司中试线上完成公斤级制备和软包电池验证。成果将用于储能与中端乘用车电池。",
        "confidential": "现有中试样品1C循环2000次容量保持率约72%。锰溶出测试数据与现行配方在签署保密协议后提供，知识产权归属可协商共有。",
        "fields": ["energy-battery", "materials-ceramics"],
        "keywords": ["磷酸锰铁锂", "正极材料", "锂离子电池", "掺杂包覆"],
        "budget": (1_000_000, 3_000_000),
        "deadline_in": 150,
        "modes": [JOINT, LICENCE],
        "min_trl": 3,
    },
    {
        "org": "ningchuan",
        "status": S.PUBLISHED,
        "title": "储能电池舱热失控早期预警",
        "summary": "需要一套能在热失控发生前10分钟以上发出预警的储能电池舱监测方案，融合气体、温度与电压信号。",
        "description": "大型储能电站电池舱一旦发生热失控，火势蔓延快、处置难度大。我司希望引入多源信号融合的早期预警技术：利用一氧化碳、氢气、电解液挥发物等特征气体传感器，结合电芯温度与电压异常识别，在热失控前10分钟以上给出分级预警，误报率每舱每年少于1次。方案需能接入现有电池管理系统与消防联动系统。",
        "confidential": "去年某储能项目曾发生一次电池模组冒烟事件，事故分析报告可在签署保密协议后提供。",
        "fields": ["energy-battery", "it-iot"],
        "keywords": ["储能安全", "热失控", "气体传感", "早期预警", "电池管理系统"],
        "budget": (800_000, 1_500_000),
        "deadline_in": 90,
        "modes": [JOINT, TRANSFER],
        "min_trl": 5,
    },
    {
        "org": "ningchuan",
        "status": S.PUBLISHED,
        "title": "Dry electrode coating for thick LFP cathodes",
        "summary": "Looking for a solvent-free dry electrode process that makes LFP cathodes above 5 mAh/cm² at line speeds of at least 30 m/min.",
        "description": "Our cathode lines use NMP slurry coating, which needs long drying ovens and solvent recovery. We want to evaluate dry electrode processing based on PTFE fibrillation for LFP cathodes with an areal capacity above 5 mAh/cm² and coating widths of at least 600 mm. The partner should demonstrate films with uniform thickness (±2%) and adequate peel strength, then help us design a pilot line. Equipment makers are as welcome as university groups.",
        "confidential": "The aim is to cut cathode manufacturing energy use by 40% at our Ningde plant; about 20 million yuan is reserved for a pilot line next year.",
        "fields": ["energy-battery", "environment-efficiency"],
        "keywords": [
            "dry electrode",
            "LFP cathode",
            "solvent-free process",
            "battery manufacturing",
        ],
        "budget": (2_000_000, 5_000_000),
        "deadline_in": 120,
        "modes": [JOINT, LICENCE, TRANSFER],
        "min_trl": 4,
    },
    {
        "org": "ningchuan",
        "status": S.EXPIRED,
        "title": "钠离子电池低成本硬碳负极",
        "summary": "寻求以生物质或沥青为前驱体的硬碳负极制备技术，首周效率大于88%，成本低于每吨5万元。",
        "description": "钠离子电池适用于两轮车与储能等成本敏感场景，但硬碳负极价格偏高、首周效率偏低。我司希望获得以椰壳、竹材或沥青为原料的硬碳制备工艺，要求可逆容量大于320 mAh/g，首周库仑效率大于88%，并可放大至千吨级生产。",
        "confidential": "已有两家供应商样品在测，首周效率约85%。",
        "fields": ["energy-battery", "materials-composites"],
        "keywords": ["钠离子电池", "硬碳", "负极材料", "生物质"],
        "budget": (500_000, 1_500_000),
        "deadline_in": 45,
        "modes": [TRANSFER, LICENCE],
        "min_trl": 5,
    },
    {
        "org": "ningchuan",
        "status": S.DRAFT,
        "title": "退役磷酸铁锂电池选择性提锂工艺",
        "summary": "寻求退役磷酸铁锂电池选择性提锂工艺，锂回收率大于95%，并减少酸碱消耗。",
        "description": "我司每年产生数千吨生产废料和售后退役电池，磷酸铁锂电池中锂的经济回收是难点。希望合作开发选择性浸出提锂工艺，在不溶解铁、磷的条件下实现锂回收率95%以上、碳酸锂产品纯度99.5%以上，并尽量降低酸碱消耗与废水量。",
        "confidential": "回收车间规划在福建，需先完成环评；工艺路线选定后再确定投资规模。",
        "fields": ["environment-solid-waste", "energy-battery"],
        "keywords": ["电池回收", "提锂", "磷酸铁锂", "湿法冶金"],
        "budget": (1_000_000, 2_000_000),
        "deadline_in": 180,
        "modes": [JOINT, TRANSFER],
        "min_trl": 4,
    },
    # --- Hangzhou Zhiyu AI -------------------------------------------------------------------
    {
        "org": "zhiyu",
        "status": S.PUBLISHED,
        "title": "大模型端侧部署低比特量化",
        "summary": "寻求将70亿参数大模型量化到4比特以下、在手机端流畅运行且精度损失小于2%的技术方案。",
        "description": "我司智能助手产品计划在手机和车机端本地运行大模型，以降低云端推理成本并保护用户隐私。目前8比特量化模型在旗舰手机上首字延迟约1.5秒，内存占用过高。希望合作方提供权重与激活的低比特量化、KV缓存压缩以及面向手机NPU的算子优化方案，目标是4比特以下量化后在通用评测集上精度损失小于2%，首字延迟小于500毫秒。",
        "confidential": "目标机型为两家国产手机厂商的旗舰芯片平台，NPU接口文档需与厂商另签保密协议。",
        "fields": ["ai-llm", "ai-computing"],
        "keywords": ["大模型", "模型量化", "端侧部署", "推理加速"],
        "budget": (600_000, 1_500_000),
        "deadline_in": 80,
        "modes": [JOINT, LICENCE],
        "min_trl": 4,
    },
    {
        "org": "zhiyu",
        "status": S.PUBLISHED,
        "title": "吴语方言语音识别",
        "summary": "面向杭州话、宁波话和上海话的语音识别模型，要求在电话客服场景下字错误率低于12%。",
        "description": "我司为浙江、上海的银行和政务热线提供智能客服，老年用户大量使用方言，现有普通话模型识别效果差。希望与高校语音团队合作，构建吴语方言语音数据集并训练识别模型，支持方言与普通话混说，在8 kHz电话信道下字错误率低于12%，并可私有化部署。",
        "confidential": "可提供约2000小时经脱敏的客服录音，仅限在我司环境内使用，标注费用另计。",
        "fields": ["ai-speech"],
        "keywords": ["语音识别", "方言", "吴语", "智能客服"],
        "budget": (400_000, 900_000),
        "deadline_in": 110,
        "modes": [JOINT, SERVICE],
        "min_trl": 3,
    },
    {
        "org": "zhiyu",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Hallucination detection for a retrieval-augmented customer-service assistant",
        "summary": "We need a method that flags unsupported statements in our RAG assistant's answers before they reach bank customers, with recall above 90%.",
        "description": "Our retrieval-augmented assistant answers questions about bank products from policy documents. In audits about 3% of answers contain statements that the retrieved documents do not support, which is unacceptable in financial services. We are looking for a method that checks each answer against its sources sentence by sentence, flags or rewrites unsupported claims, and adds less than 300 ms of latency. Recall on unsupported statements should exceed 90% at a precision of at least 80%.",
        "confidential": "An annotated audit set of 5,000 answers is available under NDA. The first deployment will be at a joint-stock bank in Hangzhou.",
        "fields": ["ai-llm", "it-security"],
        "keywords": [
            "large language models",
            "hallucination detection",
            "RAG",
            "financial services",
            "trustworthy AI",
        ],
        "budget": (300_000, 800_000),
        "deadline_in": 70,
        "modes": [JOINT, LICENCE],
        "min_trl": 4,
    },
    {
        "org": "zhiyu",
        "status": S.ARCHIVED,
        "title": "直播电商视频商品实时识别",
        "summary": "寻求在直播视频流中实时识别主播展示的商品，并与商品库SKU匹配的算法。",
        "description": "我司需要在直播视频流中实时识别主播展示的商品，并与商品库中的SKU匹配，用于自动生成商品讲解切片和合规审核。要求支持服装、美妆、食品等类目，Top-5匹配准确率大于90%，单路视频处理延迟小于1秒。",
        "confidential": "已与合作方签约，需求关闭。",
        "fields": ["ai-vision"],
        "keywords": ["视频理解", "商品识别", "直播电商", "多模态检索"],
        "budget": (300_000, 600_000),
        "deadline_in": 60,
        "modes": [JOINT],
        "min_trl": 5,
    },
    # --- Xi'an Ruituo Intelligent Equipment --------------------------------------------------
    {
        "org": "ruituo",
        "status": S.PUBLISHED,
        "title": "协作机器人关节一体化力矩传感器",
        "summary": "寻求低成本、高精度的关节力矩传感器方案，用于协作机器人碰撞检测与力控，精度优于0.5% FS。",
        "description": "我司协作机器人目前依靠电机电流估计外力，碰撞检测灵敏度和力控精度有限。希望开发可集成在谐波减速器输出端的一体化力矩传感器，量程±150 N·m，精度优于0.5% FS，抗弯矩串扰小于1%，温漂小于0.02% FS/°C，单只成本控制在800元以内。",
        "confidential": "关节模组结构图与安装空间约束在签署保密协议后提供，计划明年底小批量装机。",
        "fields": ["manufacturing-robots", "it-iot"],
        "keywords": ["协作机器人", "力矩传感器", "力控", "碰撞检测"],
        "budget": (500_000, 1_000_000),
        "deadline_in": 100,
        "modes": [JOINT, TRANSFER],
        "min_trl": 4,
    },
    {
        "org": "ruituo",
        "status": S.PUBLISHED,
        "title": "航空钛合金薄壁件铣削颤振抑制",
        "summary": "钛合金薄壁件五轴铣削颤振严重，寻求颤振预测与在线抑制技术，将表面粗糙度稳定控制在Ra 0.8 μm以内。",
        "description": "我司为航空主机厂加工钛合金机匣与整体叶盘，薄壁部位精铣时易发生颤振，产生振纹和尺寸超差，返修率约8%。希望合作方建立工件-刀具系统动力学模型，给出稳定切削参数域，并开发基于主轴振动信号的在线颤振识别与主轴变速抑制模块，集成到我司数控系统中。",
        "confidential": "涉及的零件图纸按客户保密要求只能在我司现场使用，合作人员需通过保密审查。",
        "fields": ["manufacturing-machine-tools", "manufacturing-aerospace"],
        "keywords": ["颤振抑制", "薄壁件加工", "钛合金", "五轴铣削", "航空制造"],
        "budget": (800_000, 1_600_000),
        "deadline_in": 130,
        "modes": [JOINT, SERVICE],
        "min_trl": 5,
    },
    {
        "org": "ruituo",
        "status": S.PENDING,
        "title": "Digital twin for scheduling a flexible CNC machining line",
        "summary": "We want a digital twin of our 12-machine flexible line that re-plans the schedule within a minute when a machine stops or a rush order arrives.",
        "description": "Our flexible line for automotive die-cast parts has 12 five-axis machines, two robots and an automated pallet store. Schedules are planned daily in spreadsheets and fall apart as soon as a machine stops. We are looking for a partner to build a digital twin that reads machine states over OPC UA, simulates the line and re-plans the schedule in under a minute, aiming at 10% higher machine utilisation. It should run on premises and be maintainable by our own IT team.",
        "confidential": "Current OEE is about 62%. Our MES comes from a domestic vendor with an open API.",
        "fields": ["manufacturing-smart-factory", "ai-decision"],
        "keywords": ["digital twin", "production scheduling", "flexible manufacturing", "OPC UA"],
        "budget": (600_000, 1_200_000),
        "deadline_in": 95,
        "modes": [JOINT, SERVICE],
        "min_trl": 6,
    },
    {
        "org": "ruituo",
        "status": S.EXPIRED,
        "title": "轧辊激光熔覆修复工艺",
        "summary": "寻求轧辊表面激光熔覆修复工艺及专用合金粉末，修复层硬度HRC 55以上且无裂纹。",
        "description": "我司为钢铁企业提供轧辊再制造服务，现有堆焊工艺热影响区大、易开裂。希望引进激光熔覆修复工艺与专用合金粉末，修复层硬度HRC 55–60，无裂纹与气孔，修复后使用寿命达到新辊的90%以上。",
        "confidential": "年修复量约400支，客户集中在陕西和甘肃。",
        "fields": ["manufacturing-additive", "materials-alloys"],
        "keywords": ["激光熔覆", "再制造", "轧辊修复", "表面工程"],
        "budget": (300_000, 700_000),
        "deadline_in": 40,
        "modes": [TRANSFER, SERVICE],
        "min_trl": 6,
    },
    # --- Shanghai Kangheng Biopharma ---------------------------------------------------------
    {
        "org": "kangheng",
        "status": S.PUBLISHED,
        "title": "高浓度抗体皮下制剂降粘度",
        "summary": "寻求将150 mg/mL单抗制剂粘度降至20 cP以下的处方与辅料方案，以满足自动注射器给药要求。",
        "description": "我司一款治疗自身免疫疾病的IgG1单抗计划开发皮下注射剂型，150 mg/mL浓度下粘度约45 cP，无法使用2 mL自动注射器给药。希望合作方通过辅料筛选（如氨基酸、盐类）、缓冲体系优化或分子表面电荷分析，将粘度降至20 cP以下，同时保证加速稳定性与聚集体水平满足申报要求。",
        "confidential": "分子序列及现有处方稳定性数据在签署保密协议后提供，计划明年提交新剂型临床试验申请。",
        "fields": ["biomed-biologics"],
        "keywords": ["抗体药物", "高浓度制剂", "降粘度", "皮下注射", "处方开发"],
        "budget": (800_000, 2_000_000),
        "deadline_in": 85,
        "modes": [SERVICE, JOINT],
        "min_trl": 4,
    },
    {
        "org": "kangheng",
        "status": S.REJECTED,
        "title": "Oral delivery of a GLP-1 receptor agonist peptide",
        "summary": "Seeking a permeation-enhancer or nanocarrier platform that gives our GLP-1 peptide an oral bioavailability of at least 1%.",
        "description": "Our GLP-1 receptor agonist peptide is currently given by weekly injection. We want an oral tablet and need a delivery platform, such as a permeation enhancer, enteric nanoparticles or an ionic-liquid system, that reaches at least 1% oral bioavailability in dogs with acceptable variability. The partner must transfer all background IP to us. Please describe data from previous peptide projects.",
        "confidential": "Peptide sequence and pharmacokinetic data are available under NDA.",
        "fields": ["biomed-drugs"],
        "keywords": [
            "oral peptide delivery",
            "GLP-1",
            "bioavailability",
            "permeation enhancers",
            "diabetes",
        ],
        "budget": None,
        "deadline_in": 120,
        "modes": [LICENCE, JOINT],
        "min_trl": 3,
        "reason": "Please give a budget range, and remove the demand that partners hand over all background IP: terms on background IP belong in the confidential details or in later negotiation.",
    },
    # --- Suzhou Yihang Low-Altitude Technology (not verified yet) ----------------------------
    {
        "org": "yihang",
        "status": S.PENDING,
        "title": "eVTOL高功率密度电推进电机",
        "summary": "寻求峰值功率密度大于8 kW/kg的航空电推进电机及控制器方案，用于5座电动垂直起降飞行器。",
        "description": "我司正在研制5座复合翼eVTOL，需要6套升力电机和2套巡航电机。要求电机连续功率密度大于5 kW/kg、峰值大于8 kW/kg，效率大于95%，具备单相故障容错能力，并满足适航审定对振动、温度与电磁兼容的要求。希望与高校或企业联合开发电机与控制器样机，共同推进适航取证。",
        "confidential": "预计明年完成全尺寸验证机首飞，已完成天使轮融资。",
        "fields": ["low-altitude-propulsion", "low-altitude-evtol"],
        "keywords": ["eVTOL", "电推进", "航空电机", "功率密度", "适航"],
        "budget": (2_000_000, 5_000_000),
        "deadline_in": 140,
        "modes": [JOINT, EQUITY],
        "min_trl": 4,
    },
    {
        "org": "yihang",
        "status": S.DRAFT,
        "title": "城市低空物流无人机细小障碍物感知",
        "summary": "物流无人机在城市楼宇间飞行时，对电线、玻璃幕墙等细小与透明障碍物的检测。",
        "description": "我司物流无人机在城区低空航线上需识别电线、风筝线和玻璃幕墙等障碍物，现有双目视觉方案对细小和透明目标识别率低。希望合作开发融合毫米波雷达与视觉的避障感知算法，在10米外检测直径5毫米的电线，检测率大于98%。",
        "confidential": "航线数据待补充。",
        "fields": ["low-altitude-navigation", "ai-vision"],
        "keywords": ["无人机避障", "毫米波雷达", "多传感器融合", "城市物流"],
        "budget": (300_000, 800_000),
        "deadline_in": 160,
        "modes": [JOINT],
        "min_trl": 4,
    },
    # --- Greater Bay Area Technology Transfer Centre (on behalf of clients) -------------------
    {
        "org": "gba",
        "status": S.PUBLISHED,
        "title": "对虾工厂化养殖尾水处理与循环利用",
        "summary": "受珠海一家对虾养殖企业委托，征集养殖尾水低成本处理与循环利用技术，出水满足地方海水养殖尾水排放要求。",
        "description": "委托企业拥有约200亩工厂化对虾养殖车间，每日排放尾水约3000吨，氨氮、亚硝酸盐和总磷超标，现有沉淀池占地大。希望征集集生物处理、固液分离与消毒于一体的尾水处理技术，处理后出水部分回用于养殖，回用率不低于50%，吨水处理成本低于0.8元。本中心负责需求对接与合作谈判。",
        "confidential": "委托企业名称在签署保密协议后披露；企业已获当地农业农村部门尾水治理补贴意向。",
        "fields": ["agriculture-aquaculture", "environment-water"],
        "keywords": ["水产养殖", "尾水处理", "循环水", "对虾"],
        "budget": (500_000, 1_000_000),
        "deadline_in": 100,
        "modes": [TRANSFER, SERVICE],
        "min_trl": 6,
    },
    {
        "org": "gba",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "荔枝采后保鲜与冷链物流技术",
        "summary": "受广东茂名一家荔枝加工企业委托，寻求常温货架期延长到7天以上的荔枝保鲜技术。",
        "description": "荔枝采后极易褐变和腐烂，远途销售依赖高成本冷链。委托企业希望获得安全、低成本的采后保鲜技术，如可食性涂膜、气调包装或生物防腐剂，在常温下将商品货架期延长到7天以上、在低温冷链下延长到30天以上，且不使用含硫熏蒸剂。本中心负责组织技术评估与对接。",
        "confidential": "委托企业年加工鲜果约5000吨，出口东南亚和中东市场，对农药残留检测要求严格。",
        "fields": ["agriculture-food"],
        "keywords": ["荔枝保鲜", "采后处理", "冷链物流", "可食性涂膜", "食品安全"],
        "budget": (200_000, 500_000),
        "deadline_in": 55,
        "modes": [TRANSFER, LICENCE],
        "min_trl": 5,
    },
]


def _days_back(model: type[Achievement | Challenge], status: str, index: int) -> int:
    """How long ago a listing was reviewed; fixed per position so that runs agree."""
    if model is Challenge and status == S.EXPIRED:
        return 50 + index % 30  # its deadline is then moved to yesterday
    return {
        S.DRAFT: 1 + index % 9,
        S.PENDING: 1 + index % 4,
        S.REJECTED: 6 + index % 20,
        S.PUBLISHED: 3 + (index * 37) % 175,
        S.ARCHIVED: 140 + (index * 13) % 60,
        # Published a year and a day ago (ACHIEVEMENT_VALID_DAYS), so it fell due last night.
        S.EXPIRED: 366,
    }[status]


@contextmanager
def _emails_kept_in_memory() -> Iterator[None]:
    """Deliver the services' emails to the in-memory outbox, in-process and without log lines.

    Demo addresses cannot receive mail, and a configured broker would hand the tasks to a
    worker with the real email backend; each eager task also logs a line of its own.
    """
    quiet = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    saved_levels = [logger.level for logger in quiet]
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        celery_app.conf.task_always_eager = was_eager
        for logger, level in zip(quiet, saved_levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Create demo organisations, people, achievements and challenges (first run only)."

    def handle(self, *args, **options) -> None:
        if User.objects.filter(email__iexact=ADMIN_EMAIL).exists():
            self.stdout.write("Demo data already present")
            return

        fields = {f.code: f for f in TechnicalField.objects.all()}
        wanted = {c for spec in ACHIEVEMENTS + CHALLENGES for c in spec["fields"]}
        if missing := sorted(wanted - set(fields)):
            raise CommandError(f"Technical fields missing ({', '.join(missing)}); run migrate.")

        try:
            with _emails_kept_in_memory(), transaction.atomic():
                _Seeder(fields).run()
        except (ValidationError, TransitionNotAllowed) as exc:
            # E.g. an organisation of the same name registered by hand; nothing was written.
            detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
            raise CommandError(f"Demo data not created: {detail}") from exc

        self._report()

    def _report(self) -> None:
        for model in (Achievement, Challenge):
            counts = {s: model.objects.filter(status=s).count() for s in S.values}
            line = ", ".join(f"{s} {n}" for s, n in counts.items())
            self.stdout.write(f"{model.__name__}s: {line}")
        self.stdout.write(f"Organisations: {Organization.objects.count()}\n")

        rows = [
            ("Admin (superuser)", ADMIN_EMAIL),
            ("Moderator", MODERATOR_EMAIL),
            ("University owner", "tto@sustech.demo"),
            ("Enterprise owner", "rd@shenxin.demo"),
            ("Transfer centre staff", "broker@gba-ttc.demo"),
            ("Unverified org owner", "ceo@yihang.demo"),
        ]
        header = ("Role", "Email", "Password")
        widths = [max(len(r[0]) for r in [*rows, header]), max(len(r[1]) for r in [*rows, header])]
        self.stdout.write("Demo log-ins:")
        for role, email, password in [header, *((r, e, PASSWORD) for r, e in rows)]:
            self.stdout.write(f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {password}")


class _Seeder:
    """Writes the demo in an order the services accept: people, organisations, listings."""

    def __init__(self, fields: dict[str, TechnicalField]) -> None:
        self.fields = fields
        self.orgs: dict[str, Organization] = {}
        self.owners: dict[str, User] = {}
        self.members: dict[str, list[User]] = {}
        self.today = timezone.localdate()

    def run(self) -> None:
        self.admin, self.moderator = self._staff()
        for spec in ORGANIZATIONS:
            self._organization(spec)

        expiring: list[Achievement | Challenge] = []
        for index, spec in enumerate(ACHIEVEMENTS):
            listing = self._listing(Achievement, spec, index, self._achievement_data(spec))
            if spec["status"] == S.EXPIRED:
                expiring.append(listing)
        for index, spec in enumerate(CHALLENGES):
            listing = self._listing(Challenge, spec, index, self._challenge_data(spec))
            if spec["status"] == S.EXPIRED:
                # It could only be published before its deadline; that passed yesterday.
                Challenge.objects.filter(pk=listing.pk).update(
                    deadline=self.today - timedelta(days=1)
                )
                expiring.append(listing)

        # The same sweep the nightly task runs; only the listings set up above are due.
        expired = listings_expire_due()
        if expired != len(expiring):
            raise CommandError(f"Expected {len(expiring)} listings to expire, got {expired}.")

    # --- People and organisations --------------------------------------------------------------

    def _staff(self) -> tuple[User, User]:
        admin = User.objects.create_superuser(
            email=ADMIN_EMAIL, password=PASSWORD, full_name="科桥管理员 Keqiao Admin"
        )
        moderator = User.objects.create_user(
            email=MODERATOR_EMAIL, password=PASSWORD, full_name="周敏", is_staff=True
        )
        group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
        wanted = [
            (app, f"{action}_{model}")
            for app, model in MODERATED_MODELS
            for action in ("view", "change")
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)
        moderator.groups.add(group)
        since = timezone.now() - timedelta(days=500)
        User.objects.filter(pk__in=[admin.pk, moderator.pk]).update(date_joined=since)
        return admin, moderator

    def _organization(self, spec: dict[str, Any]) -> None:
        email, full_name, language = spec["owner"]
        owner = user_signup_with_organization(
            email=email,
            full_name=full_name,
            password=PASSWORD,
            preferred_language=language,
            organization={
                "kind": spec["kind"],
                "name": spec["name"],
                "name_en": spec["name_en"],
                "region": spec["region"],
                "website": spec["website"],
                "description": spec["description"],
            },
        )
        org = owner.membership.organization
        self.orgs[spec["key"]] = org
        self.owners[spec["key"]] = owner
        self.members[spec["key"]] = []
        for member_email, member_name, member_language, approved in spec["members"]:
            member = user_signup_joining(
                email=member_email,
                full_name=member_name,
                password=PASSWORD,
                preferred_language=member_language,
                organization=org,
            )
            if approved:
                membership_approve(membership=member.membership, actor=owner)
                self.members[spec["key"]].append(member)
        if spec["verified"]:
            organization_verify(organization=org, moderator=self.moderator)
        self._backdate_organization(org, days=spec["since"])

    def _backdate_organization(self, org: Organization, *, days: int) -> None:
        since = timezone.now() - timedelta(days=days)
        Organization.objects.filter(pk=org.pk).update(created_at=since)
        # Verified about a week after signing up.
        Organization.objects.filter(pk=org.pk, verified_at__isnull=False).update(
            verified_at=since + timedelta(days=min(7, days // 2))
        )
        # Applicants still waiting asked just now; everyone else came with the organisation.
        active = Membership.objects.filter(organization=org, status=MembershipStatus.ACTIVE)
        active.update(created_at=since)
        User.objects.filter(membership__in=active).update(date_joined=since)

    # --- Listings -----------------------------------------------------------------------------

    def _author(self, spec: dict[str, Any]) -> User:
        if spec.get("by") == "member":
            return self.members[spec["org"]][0]
        return self.owners[spec["org"]]

    def _common_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "keywords": spec["keywords"],
            "fields": [self.fields[code] for code in spec["fields"]],
        }

    def _achievement_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        author = self._author(spec)
        price = spec["price"]
        return {
            **self._common_data(spec),
            "trl": spec["trl"],
            "ip_status": spec["ip"].value,
            "patent_numbers": spec["patents"],
            "transaction_modes": [mode.value for mode in spec["modes"]],
            "price_negotiable": price is None,
            "asking_price": None if price is None else Decimal(price),
            "team": spec["team"],
            "contact_name": author.full_name,
            "contact_email": author.email,
        }

    def _challenge_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        budget_min, budget_max = spec["budget"] or (None, None)
        return {
            **self._common_data(spec),
            "confidential_details": spec["confidential"],
            "budget_min": None if budget_min is None else Decimal(budget_min),
            "budget_max": None if budget_max is None else Decimal(budget_max),
            "deadline": self.today + timedelta(days=spec["deadline_in"]),
            "cooperation_modes": [mode.value for mode in spec["modes"]],
            "min_trl": spec["min_trl"],
        }

    def _listing(
        self, model: type[Achievement | Challenge], spec: dict[str, Any], index: int, data: dict
    ) -> Achievement | Challenge:
        author = self._author(spec)
        # Most reviews by the moderator, some by the admin, as on a real site.
        reviewer = self.admin if index % 5 == 4 else self.moderator
        status = spec["status"]
        listing = listing_create(
            model=model, organization=self.orgs[spec["org"]], user=author, data=data
        )
        if status != S.DRAFT:
            listing = listing_submit(listing=listing, user=author)
        if status == S.REJECTED:
            listing = listing_reject(listing=listing, moderator=reviewer, reason=spec["reason"])
        elif status in (S.PUBLISHED, S.ARCHIVED, S.EXPIRED):
            listing = listing_publish(listing=listing, moderator=reviewer)
            if status == S.ARCHIVED:
                listing = listing_archive(listing=listing, user=author)
        self._backdate_listing(listing, days=_days_back(model, status, index), status=status)
        return listing

    def _backdate_listing(
        self, listing: Achievement | Challenge, *, days: int, status: str
    ) -> None:
        """Move a listing's history back by ``days`` so that the demo spans months of use.

        Written a week before review and submitted two days before it; an archived listing
        was withdrawn two thirds of the way from its publication to today.
        """
        shift = timedelta(days=days)
        withdrawn_shift = shift / 3 if status == S.ARCHIVED else shift
        updates = {
            "created_at": F("created_at") - (shift + timedelta(days=6)),
            "updated_at": F("updated_at") - withdrawn_shift,
            "submitted_at": F("submitted_at") - (shift + timedelta(days=2)),
            "published_at": F("published_at") - shift,
            "reviewed_at": F("reviewed_at") - shift,
        }
        if isinstance(listing, Achievement):
            updates["expires_at"] = F("expires_at") - shift
        type(listing).objects.filter(pk=listing.pk).update(**updates)

        events = ListingEvent.objects.filter(**{listing.kind: listing})
        events.filter(to_status=S.PENDING).update(
            created_at=F("created_at") - (shift + timedelta(days=2))
        )
        events.filter(to_status__in=[S.PUBLISHED, S.REJECTED]).update(
            created_at=F("created_at") - shift
        )
        events.filter(to_status=S.ARCHIVED).update(created_at=F("created_at") - withdrawn_shift)
