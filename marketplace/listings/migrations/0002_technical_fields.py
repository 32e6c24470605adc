"""Seed the two-level bilingual taxonomy of technical fields.

The data lives here, not in app code, so that this migration keeps working however the app
changes later. Codes are stable: data files, the API and saved searches name them.
Running it again updates names and positions in place (``update_or_create`` on ``code``).
"""

from django.db import migrations

# (code, English name, Chinese name, [(sub-code, English name, Chinese name), ...])
TECHNICAL_FIELDS = [
    (
        "ai",
        "Artificial intelligence",
        "人工智能",
        [
            ("ai-llm", "Large models and natural language processing", "大模型与自然语言处理"),
            ("ai-vision", "Computer vision", "计算机视觉"),
            ("ai-speech", "Speech and audio intelligence", "智能语音"),
            ("ai-robotics", "Embodied AI and intelligent robots", "具身智能与智能机器人"),
            ("ai-computing", "AI computing and infrastructure", "智能计算与算力"),
            ("ai-science", "AI for science", "科学智能（AI for Science）"),
            ("ai-decision", "Decision intelligence and optimisation", "智能决策与优化"),
        ],
    ),
    (
        "ic",
        "Integrated circuits",
        "集成电路",
        [
            ("ic-design", "Chip design", "芯片设计"),
            ("ic-eda", "EDA tools", "EDA 工具"),
            ("ic-lithography", "Lithography and photoresists", "光刻与光刻胶"),
            ("ic-manufacturing", "Wafer fabrication processes", "晶圆制造工艺"),
            ("ic-packaging", "Advanced packaging", "先进封装"),
            ("ic-power", "Power semiconductors", "功率半导体"),
            ("ic-equipment", "Semiconductor equipment and components", "半导体设备与零部件"),
        ],
    ),
    (
        "energy",
        "New energy",
        "新能源",
        [
            ("energy-battery", "Power and energy-storage batteries", "动力与储能电池"),
            ("energy-hydrogen", "Hydrogen energy", "氢能"),
            ("energy-pv", "Photovoltaics", "光伏"),
            ("energy-wind", "Wind power", "风电"),
            ("energy-grid", "Smart grids and power electronics", "智能电网与电力电子"),
            ("energy-nuclear", "Advanced nuclear and thermal power", "先进核能与热力发电"),
            ("energy-ev", "New-energy vehicles and charging", "新能源汽车与充换电"),
        ],
    ),
    (
        "materials",
        "New materials",
        "新材料",
        [
            (
                "materials-semiconductor",
                "Semiconductor and optoelectronic materials",
                "半导体与光电材料",
            ),
            ("materials-composites", "Advanced composites", "先进复合材料"),
            ("materials-alloys", "High-performance metals and alloys", "高性能金属与合金"),
            ("materials-polymers", "Polymer materials", "高分子材料"),
            ("materials-2d", "Two-dimensional and nanomaterials", "二维与纳米材料"),
            ("materials-ceramics", "Advanced ceramics", "先进陶瓷"),
            ("materials-biomaterials", "Biomedical materials", "生物医用材料"),
            (
                "materials-superconductors",
                "Superconducting and quantum materials",
                "超导与量子材料",
            ),
        ],
    ),
    (
        "biomed",
        "Biomedicine",
        "生物医药",
        [
            ("biomed-drugs", "Innovative small-molecule and peptide drugs", "创新化学药与多肽药"),
            ("biomed-biologics", "Antibodies and biologics", "抗体与生物制品"),
            ("biomed-cell-gene", "Cell and gene therapy", "细胞与基因治疗"),
            ("biomed-devices", "Medical devices", "高端医疗器械"),
            ("biomed-diagnostics", "In-vitro diagnostics", "体外诊断"),
            ("biomed-imaging", "Medical imaging", "医学影像"),
            ("biomed-tcm", "Modern traditional Chinese medicine", "现代中药"),
        ],
    ),
    (
        "manufacturing",
        "Advanced manufacturing",
        "高端装备制造",
        [
            ("manufacturing-machine-tools", "High-end CNC machine tools", "高档数控机床"),
            ("manufacturing-robots", "Industrial robots", "工业机器人"),
            ("manufacturing-additive", "Additive manufacturing", "增材制造"),
            (
                "manufacturing-precision",
                "Precision and ultra-precision machining",
                "精密与超精密加工",
            ),
            (
                "manufacturing-smart-factory",
                "Smart factories and the industrial internet",
                "智能工厂与工业互联网",
            ),
            (
                "manufacturing-inspection",
                "Intelligent inspection and non-destructive testing",
                "智能检测与无损检测",
            ),
            ("manufacturing-aerospace", "Aerospace equipment", "航空航天装备"),
        ],
    ),
    (
        "low-altitude",
        "Low-altitude technology",
        "低空技术",
        [
            ("low-altitude-evtol", "eVTOL aircraft", "电动垂直起降飞行器（eVTOL）"),
            ("low-altitude-uav", "Industrial drones", "工业级无人机"),
            ("low-altitude-propulsion", "Electric propulsion", "电推进与动力系统"),
            ("low-altitude-traffic", "Low-altitude traffic management", "低空交通管理"),
            (
                "low-altitude-navigation",
                "Navigation, communication and sensing",
                "导航、通信与感知",
            ),
            (
                "low-altitude-infrastructure",
                "Vertiports and low-altitude infrastructure",
                "起降场与低空基础设施",
            ),
        ],
    ),
    (
        "it",
        "Information technology",
        "新一代信息技术",
        [
            ("it-communications", "5G/6G and wireless communications", "5G/6G 与无线通信"),
            ("it-photonics", "Optical communications and photonics", "光通信与光子器件"),
            ("it-software", "Basic and industrial software", "基础软件与工业软件"),
            ("it-security", "Cyber and data security", "网络与数据安全"),
            ("it-quantum", "Quantum information", "量子信息"),
            ("it-iot", "Internet of things and sensors", "物联网与传感器"),
            ("it-display", "New display technologies", "新型显示"),
        ],
    ),
    (
        "agriculture",
        "Agriculture",
        "现代农业",
        [
            ("agriculture-breeding", "Biological breeding", "生物育种"),
            ("agriculture-smart", "Smart farming and agricultural machinery", "智慧农业与农机装备"),
            (
                "agriculture-protection",
                "Crop protection and green pesticides",
                "植物保护与绿色农药",
            ),
            ("agriculture-food", "Food processing and safety", "食品加工与安全"),
            ("agriculture-aquaculture", "Aquaculture and livestock", "水产养殖与畜牧"),
            ("agriculture-soil", "Soil and fertilisers", "土壤改良与肥料"),
        ],
    ),
    (
        "environment",
        "Environment",
        "节能环保",
        [
            ("environment-water", "Water treatment", "水处理"),
            ("environment-air", "Air pollution control", "大气污染治理"),
            ("environment-solid-waste", "Solid-waste recycling", "固废资源化"),
            ("environment-carbon", "Carbon capture and carbon management", "碳捕集与碳管理"),
            ("environment-monitoring", "Environmental monitoring", "环境监测"),
            ("environment-efficiency", "Industrial energy efficiency", "工业节能"),
        ],
    ),
]


def seed_fields(apps, schema_editor):
    TechnicalField = apps.get_model("listings", "TechnicalField")
    for position, (code, name_en, name_zh, children) in enumerate(TECHNICAL_FIELDS, start=1):
        parent, _ = TechnicalField.objects.update_or_create(
            code=code,
            defaults={"parent": None, "name_en": name_en, "name_zh": name_zh, "position": position},
        )
        for child_position, (child_code, child_en, child_zh) in enumerate(children, start=1):
            TechnicalField.objects.update_or_create(
                code=child_code,
                defaults={
                    "parent": parent,
                    "name_en": child_en,
                    "name_zh": child_zh,
                    "position": child_position,
                },
            )


def unseed_fields(apps, schema_editor):
    TechnicalField = apps.get_model("listings", "TechnicalField")
    # Children first: ``parent`` is PROTECT.
    child_codes = [child[0] for *_, children in TECHNICAL_FIELDS for child in children]
    TechnicalField.objects.filter(code__in=child_codes).delete()
    TechnicalField.objects.filter(code__in=[field[0] for field in TECHNICAL_FIELDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]

    operations = [migrations.RunPython(seed_fields, unseed_fields)]
