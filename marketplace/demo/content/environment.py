"""Demo listings of one field: Environment (节能环保).

The achievements and challenges whose first field is ``environment`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import IP, JOINT, LICENCE, SERVICE, TRANSFER, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Southern University of Science and Technology -------------------------------------------
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
    # --- Greater Bay Area Technology Transfer Centre (on behalf of others) -----------------------
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
    # --- Zhejiang University ---------------------------------------------------------------------
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "title": "化工园区VOCs低温催化燃烧蜂窝催化剂与工艺",
        "summary": "锰铈复合氧化物整体式蜂窝催化剂，220 °C下对甲苯、乙酸乙酯等典型挥发性有机物去除率超过98%，含氯工况下长期运行不中毒。",
        "description": "化工、涂装与制药企业排放的挥发性有机物（VOCs）成分复杂，其中的含氯组分容易使贵金属催化剂中毒失活，蓄热式焚烧又能耗偏高。团队开发了负载于堇青石蜂窝载体的锰铈复合氧化物非贵金属催化剂，通过调控氧空位和酸性位点提高低温活性与抗氯性能，并配套“沸石转轮浓缩＋催化燃烧”工艺。在山东、江苏多家化工企业的示范装置上，处理风量2万–5万m³/h，220 °C下非甲烷总烃去除率超过98%，含二氯甲烷工况连续运行8000小时活性无明显下降，运行能耗较蓄热式焚烧降低约45%。可提供催化剂许可、工艺设计与运维服务。",
        "fields": ["environment-air", "materials-ceramics"],
        "keywords": ["挥发性有机物", "催化燃烧", "蜂窝催化剂", "含氯废气", "大气污染"],
        "trl": 8,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN112844356B, CN114669308B",
        "modes": [LICENCE, SERVICE, TRANSFER],
        "price": 1_200_000,
        "team": "环境与资源学院大气污染控制团队：教授 2 名、副教授 2 名、工程师 5 名。",
    },
    {
        "org": "zju",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Low-energy phase-change amine solvent for post-combustion CO2 capture",
        "summary": "A phase-change amine blend and an intercooled absorber that capture 90% of the CO2 in flue gas at 2.3 GJ per tonne regeneration energy, proven in a 1,000 t/year pilot on a coal boiler.",
        "description": "Capturing carbon dioxide (CO2) from power plants and cement kilns is expensive mainly because of the steam that regenerates the amine solvent: 3.5–4 GJ per tonne with monoethanolamine (MEA). The team formulated a blend of tertiary and sterically hindered amines that splits into two liquid phases after absorbing CO2, so only the CO2-rich phase goes to the stripper, and designed an absorber with intercooling stages. In a 1,000 t/year pilot on a coal-fired boiler the process captured 90% of the CO2 at 2.3 GJ/t regeneration energy, with solvent losses below 0.5 kg per tonne of CO2 and stable operation with 50 mg/m³ SO2 after a caustic prescrubber. For flue gas with 20–25% CO2, as from cement kilns, the estimated capture cost is about 220 yuan per tonne when waste heat covers part of the steam. We offer process licences and engineering design with our EPC partners.",
        "fields": ["environment-carbon"],
        "keywords": [
            "carbon capture",
            "CO2",
            "amine solvent",
            "flue gas",
            "carbon neutrality",
        ],
        "trl": 6,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN113476892B, CN115957597B",
        "modes": [LICENCE, JOINT, SERVICE],
        "price": None,
        "team": "Institute for Thermal Power Engineering, carbon capture group: 2 professors, 2 associate professors, 6 engineers.",
    },
    # --- Central South University ----------------------------------------------------------------
    {
        "org": "csu",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Selective lithium recovery from spent LFP batteries",
        "summary": "An oxidative leaching process that dissolves only the lithium from spent LFP cathode powder, recovering 97% as battery-grade lithium carbonate with 80% less acid, and leaves iron phosphate for re-synthesis.",
        "description": "Spent lithium iron phosphate (LFP) batteries contain no cobalt or nickel, so recycling pays only if lithium is recovered cheaply. Dissolving the whole cathode in sulfuric acid consumes large amounts of acid and alkali and leaves sodium sulfate wastewater. Our process oxidises Fe(II) to Fe(III) with persulfate or air in a mildly acidic solution, so lithium leaches selectively while iron and phosphate stay in the solid as FePO4. Lithium recovery reaches 97%, the lithium carbonate is 99.6% pure (battery grade), and acid use falls by 80% compared with full leaching. The FePO4 residue goes back into new LFP. A 2,000 t/year line has run at a partner plant in Hunan for a year. We license the process and provide engineering support.",
        "fields": ["environment-solid-waste", "energy-battery"],
        "keywords": [
            "battery recycling",
            "lithium recovery",
            "LFP",
            "hydrometallurgy",
            "circular economy",
        ],
        "trl": 7,
        "ip": IP.INVENTION_GRANTED,
        "patents": "CN112499651B, CN114438512B",
        "modes": [LICENCE, TRANSFER, SERVICE],
        "price": 3_000_000,
        "team": "School of Metallurgy and Environment, resource recycling group: 2 professors, 2 associate professors, 5 engineers.",
    },
]

CHALLENGES: list[dict[str, Any]] = [
    # --- Ningchuan New Energy Technology Co., Ltd. -----------------------------------------------
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
        "fits": ["Selective lithium recovery from spent LFP batteries"],
    },
    # --- Shandong Zehua Fine Chemicals Co., Ltd. -------------------------------------------------
    {
        "org": "zehua",
        "status": S.PUBLISHED,
        "title": "精细化工车间含氯挥发性有机物废气低能耗治理",
        "summary": "寻求含二氯甲烷等含氯组分的VOCs废气治理技术，非甲烷总烃去除率不低于95%，运行能耗较现有蓄热式焚烧降低30%以上。",
        "description": "我司位于淄博化工园区，生产医药中间体与精细化学品，车间废气风量约3万m³/h，含二氯甲烷、甲苯、乙酸乙酯等挥发性有机物，浓度波动大。现有蓄热式焚烧炉天然气消耗高，含氯组分燃烧产生的氯化氢腐蚀设备，并存在二噁英排放风险。希望引进抗氯中毒的催化燃烧或浓缩—催化燃烧组合工艺，非甲烷总烃去除率不低于95%，满足山东省挥发性有机物排放标准，运行能耗较现有工艺降低30%以上。",
        "confidential": "现有蓄热式焚烧炉年天然气费用约380万元；在线监测数据与环评批复在签署保密协议后提供。",
        "fields": ["environment-air"],
        "keywords": ["挥发性有机物", "催化燃烧", "含氯废气", "节能降耗", "化工园区"],
        "budget": (1_500_000, 4_000_000),
        "deadline_in": 100,
        "modes": [TRANSFER, LICENCE, SERVICE],
        "min_trl": 6,
        "fits": ["化工园区VOCs低温催化燃烧蜂窝催化剂与工艺"],
    },
    # --- Anhui Jiangyan Cement Co., Ltd. ---------------------------------------------------------
    {
        "org": "jiangyan",
        "status": S.PUBLISHED,
        "by": "member",
        "title": "Carbon capture for cement kiln flue gas at under 250 yuan per tonne",
        "summary": "We want a CO2 capture process for a 5,000 t/day clinker line that captures at least 90% at under 250 yuan per tonne of CO2, for a 200,000 t/year demonstration.",
        "description": "Cement has entered China's national carbon market, and our kilns emit about 0.8 tonnes of CO2 per tonne of clinker, most of it from limestone, which no change of fuel can avoid. We plan a demonstration that captures 200,000 tonnes a year from the flue gas of a 5,000 t/day clinker line in Wuhu and sells food-grade and industrial CO2 locally. We are looking for a technology partner with a piloted capture process, such as an advanced amine solvent, whose regeneration energy is well below that of MEA, which tolerates the dust and SO2 of kiln gas, and whose cost stays under 250 yuan per tonne using our waste heat.",
        "confidential": "Flue gas composition and the available waste heat (about 25 MW) are documented in a feasibility study available under NDA.",
        "fields": ["environment-carbon", "environment-efficiency"],
        "keywords": [
            "carbon capture",
            "CO2",
            "cement",
            "flue gas",
            "carbon neutrality",
        ],
        "budget": (3_000_000, 8_000_000),
        "deadline_in": 160,
        "modes": [LICENCE, JOINT],
        "min_trl": 6,
        "fits": ["Low-energy phase-change amine solvent for post-combustion CO2 capture"],
    },
]
