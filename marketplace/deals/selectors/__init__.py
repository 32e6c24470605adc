"""Reads of the deals room, and the rules of who may do what there.

``parties`` (who is who, and what a deal opens of its listing), ``interests``,
``conversations`` (inbox, unread counts, messages, the NDA's terms, contracts) and
``actions`` (``interest_options``, ``interest_actions``, ``deal_actions``: what a person may
do, and why not); import them from here.
"""

from marketplace.deals.selectors.actions import (
    ALLOWED,
    BEFORE_NDA,
    MODERATOR,
    OPEN_STAGES,
    STAGE_ORDER,
    DealActions,
    InterestActions,
    InterestOptions,
    Verdict,
    already_open_message,
    deal_actions,
    deal_stages_forward,
    interest_actions,
    interest_options,
    match_pairs,
)
from marketplace.deals.selectors.conversations import (
    contracts_of,
    conversation_messages,
    conversations_of,
    nda_digest,
    nda_terms,
    read_mark,
    stage_counts,
    unread_conversation_count,
)
from marketplace.deals.selectors.feedback import (
    ListingFeedback,
    Responsiveness,
    listing_feedback,
    organization_responsiveness,
)
from marketplace.deals.selectors.interests import (
    conversation_of_interest,
    interests_received,
    interests_sent,
    latest_interest,
    pending_interest_count,
    status_counts,
)
from marketplace.deals.selectors.parties import (
    conversation_side,
    interest_side,
    listing_level,
    members_to_tell,
    organization_of,
)
from marketplace.deals.selectors.registration import (
    Registration,
    contract_registration,
    region_contracts,
    registration_contracts,
    registration_table,
)

__all__ = [
    "ALLOWED",
    "BEFORE_NDA",
    "MODERATOR",
    "OPEN_STAGES",
    "STAGE_ORDER",
    "DealActions",
    "InterestActions",
    "InterestOptions",
    "ListingFeedback",
    "Registration",
    "Responsiveness",
    "Verdict",
    "already_open_message",
    "contract_registration",
    "contracts_of",
    "conversation_messages",
    "conversation_of_interest",
    "conversation_side",
    "conversations_of",
    "deal_actions",
    "deal_stages_forward",
    "interest_actions",
    "interest_options",
    "interest_side",
    "interests_received",
    "interests_sent",
    "latest_interest",
    "listing_feedback",
    "listing_level",
    "match_pairs",
    "members_to_tell",
    "nda_digest",
    "nda_terms",
    "organization_of",
    "organization_responsiveness",
    "pending_interest_count",
    "read_mark",
    "region_contracts",
    "registration_contracts",
    "registration_table",
    "stage_counts",
    "status_counts",
    "unread_conversation_count",
]
