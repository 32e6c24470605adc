"""Short names the demo content is written with."""

from accounts.choices import Language
from marketplace.listings.choices import CooperationMode, IPStatus, ListingStatus

S = ListingStatus
IP = IPStatus
TRANSFER = CooperationMode.TRANSFER
LICENCE = CooperationMode.LICENCE
EQUITY = CooperationMode.EQUITY
JOINT = CooperationMode.JOINT_DEVELOPMENT
SERVICE = CooperationMode.TECHNICAL_SERVICE
ZH = Language.ZH_HANS
EN = Language.EN
