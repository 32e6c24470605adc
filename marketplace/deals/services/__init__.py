"""Writes of the deals room: interest, conversations and messages, the NDA, the deal
pipeline and the contract.

Interest::

    pending ─accept─► accepted   (opens the Conversation and its Deal, in one transaction)
       └─────decline─► declined  (with one of the fixed reasons; the organisation may ask again)

The deal of a conversation::

    contacted ─► evaluating ─► nda_signed ─► negotiating ─► contract_signed
        └────────────┴─────────────┴──────────────┴──► closed_lost ─reopen─► (where it was lost)

- Forward only. An open deal moves to any later open stage (steps may be skipped: not every
  deal is evaluated at length), never back: a deal's history is what brokers and reports
  read, and a step back is better said in a message.
- "NDA signed" is reached by the interested organisation accepting the listing's NDA
  (``nda_accept``), which moves a deal at contacted or evaluating there. It cannot be chosen
  by hand: the stage would promise confidential material that only the acceptance opens.
- "Contract signed" only with its ``Contract`` (``contract_record``), in one transaction;
  it is final.
- "Closed, lost" from any open stage, with a reason. A lost deal can be reopened, at the
  stage it was lost at, because talks do resume; that is the one way back.

Who may do what is decided once, by the selectors ``interest_options``, ``interest_actions``
and ``deal_actions``: the pages offer what they allow, and each service guards itself with
the same verdict (``verdict.check()``). Every move locks its row, asks the verdict of the
state under the lock and refuses with ``Refused`` (a clear, translatable sentence: 403 for
who may not, 409 for what the state does not allow, 400 for bad input), so a double click or
a retry changes nothing. Each stage change writes a ``DealEvent`` (who, when, from, to,
note) and tells the other organisation through ``notify()`` in the same transaction.

One module per stage: ``interest``, ``conversation`` (messages, read marks), ``nda``, ``deal``
(moves, lost, reopened) and ``contract``; import the services from here.
"""

from marketplace.deals.services.contract import (
    REGISTRATION,
    contract_record,
    contract_update_registration,
)
from marketplace.deals.services.conversation import (
    MAX_FILES_PER_MESSAGE,
    conversation_read,
    message_send,
)
from marketplace.deals.services.deal import deal_advance, deal_close_lost, deal_reopen
from marketplace.deals.services.interest import interest_accept, interest_decline, interest_express
from marketplace.deals.services.nda import nda_accept
from marketplace.deals.services.notice import price_announce, price_object

__all__ = [
    "MAX_FILES_PER_MESSAGE",
    "REGISTRATION",
    "contract_record",
    "contract_update_registration",
    "conversation_read",
    "deal_advance",
    "deal_close_lost",
    "deal_reopen",
    "interest_accept",
    "interest_decline",
    "interest_express",
    "message_send",
    "nda_accept",
    "price_announce",
    "price_object",
]
