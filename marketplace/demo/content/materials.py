"""Demo listings of one field: New materials (新材料).

The achievements and challenges whose first field is ``materials`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import IP, JOINT, LICENCE, SERVICE, TRANSFER, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Southern University of Science and Technology -------------------------------------------
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
    # --- Xi'an Jiaotong University ---------------------------------------------------------------
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
]

CHALLENGES: list[dict[str, Any]] = [
    # --- Shenxin Microelectronics (Shenzhen) Co., Ltd. -------------------------------------------
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
]
