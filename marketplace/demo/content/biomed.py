"""Demo listings of one field: Biomedicine (生物医药).

The achievements and challenges whose first field is ``biomed`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import EQUITY, IP, JOINT, LICENCE, SERVICE, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Southern University of Science and Technology -------------------------------------------
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
    # --- Zhejiang University ---------------------------------------------------------------------
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
    # --- Fudan University ------------------------------------------------------------------------
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
]

CHALLENGES: list[dict[str, Any]] = [
    # --- Shanghai Kangheng Biopharma Co., Ltd. ---------------------------------------------------
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
]
