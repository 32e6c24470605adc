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
    # --- Greater Bay Area Technology Transfer Centre ---------------------------------------------
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
    },
]
