"""Demo listings of one field: Low-altitude technology (低空技术).

The achievements and challenges whose first field is ``low-altitude`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import EQUITY, IP, JOINT, LICENCE, SERVICE, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Zhejiang University ---------------------------------------------------------------------
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
    # --- Greater Bay Area Technology Transfer Centre ---------------------------------------------
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

CHALLENGES: list[dict[str, Any]] = [
    # --- Suzhou Yihang Low-Altitude Technology Co., Ltd. -----------------------------------------
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
]
