"""Offer management: the Decisioning Service business objects' semantic rules.

Their JSON Schemas (``contracts/schemas/offer-management``) carry the structure and the
reference paths; :mod:`mockxcore.offers.rules` adds what a schema cannot say.
"""
