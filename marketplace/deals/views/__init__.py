"""Pages of the deals room. Each view finds its object through an access helper, validates
a form and calls one service.

Access: an interest, a conversation and its files belong to the two organisations (their
active members); moderators may read them (to handle abuse) but not act; everyone else gets
404, so ids leak nothing. Visitors log in first. What each person may do there is the
selectors' verdict (``interest_options``, ``interest_actions``, ``deal_actions``): the pages
offer only what it allows, and what the services refuse anyway comes back as a message.

One module per stage (``interest``, ``conversation``, ``nda``, ``deal``, ``contract``) and the
access helpers they share (``access``); ``urls`` reaches the views from here.
"""

from marketplace.deals.views.contract import (
    contract_export,
    contract_record,
    contract_registration,
    contract_registration_pdf,
)
from marketplace.deals.views.conversation import (
    conversation_detail,
    conversation_list,
    message_attachment_download,
    message_send,
)
from marketplace.deals.views.deal import deal_advance, deal_close_lost, deal_reopen
from marketplace.deals.views.interest import (
    interest_accept,
    interest_create,
    interest_decline,
    interest_detail,
    interest_received,
    interest_sent,
)
from marketplace.deals.views.nda import nda_accept
from marketplace.deals.views.notice import notice_detail, notice_list, price_announce

__all__ = [
    "notice_detail",
    "notice_list",
    "price_announce",
    "contract_export",
    "contract_record",
    "contract_registration",
    "contract_registration_pdf",
    "conversation_detail",
    "conversation_list",
    "deal_advance",
    "deal_close_lost",
    "deal_reopen",
    "interest_accept",
    "interest_create",
    "interest_decline",
    "interest_detail",
    "interest_received",
    "interest_sent",
    "message_attachment_download",
    "message_send",
    "nda_accept",
]
