"""Demo listings of one field: Information technology (新一代信息技术).

The achievements and challenges whose first field is ``it`` or one of its sub-fields.
"""

from typing import Any

from marketplace.demo.content.common import IP, JOINT, LICENCE, TRANSFER, S

ACHIEVEMENTS: list[dict[str, Any]] = [
    # --- Southern University of Science and Technology -------------------------------------------
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
    # --- Zhejiang University ---------------------------------------------------------------------
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
    # --- Fudan University ------------------------------------------------------------------------
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
]

CHALLENGES: list[dict[str, Any]] = []
