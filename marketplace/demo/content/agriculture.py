"""Demo listings of one field: Agriculture (现代农业).

The achievements and challenges whose first field is ``agriculture`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import IP, JOINT, LICENCE, SERVICE, TRANSFER, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Zhejiang University ---------------------------------------------------------------------
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
]

CHALLENGES: list[dict[str, Any]] = [
    # --- Greater Bay Area Technology Transfer Centre ---------------------------------------------
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
