"""Cryptocurrency addresses in a comment: the "send 0.1 BTC, get 0.2 back" giveaway scam's payload.

A business desk's walk found "Send 0.1 BTC and receive 0.2 BTC back ... bc1qxy2k..." (toxicity 0.22)
and "Send 500 USDT to TQ5d1Ux8..." published: no rule read them. An address is checked as its
network checks it (Base58Check for Bitcoin's legacy and Tron's, the Bech32 character set and length
for SegWit), so a long random-looking word, a hash or an id in a link is not one.
"""
from __future__ import annotations

import hashlib
import re

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {c: i for i, c in enumerate(_BASE58)}
_LEGACY = re.compile(r"(?<![\w/])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})(?![\w/])")
_SEGWIT = re.compile(r"(?i)(?<![\w/])(?:bc|ltc|tb)1[ac-hj-np-z02-9]{25,87}(?![\w/])")
_ETHEREUM = re.compile(r"(?<![\w/])0x[0-9a-fA-F]{40}(?![\w/])")


def _base58check(candidate: str) -> bool:
    number = 0
    for char in candidate:
        number = number * 58 + _BASE58_INDEX[char]
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(candidate) - len(candidate.lstrip("1"))) + raw
    if len(raw) != 25:
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum


def crypto_address(text: str) -> str | None:
    """The first Bitcoin, Litecoin, Ethereum or Tron address in the text, or None."""
    for found in _SEGWIT.finditer(text):
        if found.group(0) in (found.group(0).lower(), found.group(0).upper()):  # mixed case is some other string
            return found.group(0)
    found = _ETHEREUM.search(text)
    if found is not None:
        return found.group(0)
    return next((m.group(0) for m in _LEGACY.finditer(text) if _base58check(m.group(0))), None)
