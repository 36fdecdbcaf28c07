"""Argon2 hashing for passwords and API key secrets, and the minimum password policy."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from moderation.domain.errors import ValidationFailed

_hasher = PasswordHasher()
# API key secrets are 256 random bits: no guess list reaches them, so argon2's cost guards nothing
# there, while each web process pays one check per key after it starts (0.22 s at the defaults on
# a loaded 2-core machine, against Coral's 500 ms timeout). Still argon2, at its lightest sound setting.
_key_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)

MIN_PASSWORD_LENGTH = 12
# Argon2 takes any length, but a megabyte-long "password" is only a way to burn CPU.
MAX_PASSWORD_LENGTH = 1024
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
_TRAILING_NOISE = "0123456789!@#$%^&*?.,-_+= "
_UNSEEN = frozenset({"Cc", "Cf", "Mn", "Me"})  # control, format (zero-width) and combining characters


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def hash_key_secret(secret: str) -> str:
    """An API key's secret (high entropy, generated here); verify_secret reads either kind of hash."""
    return _key_hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("a password no account has")


def burn_one_verification(secret: str) -> None:
    """Spend exactly what checking a real password costs, so an unknown name cannot be told by timing."""
    verify_secret(_dummy_hash(), secret)


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_simple_sequence(password: str) -> bool:
    """abcdef..., 987654..., anything repeated (abcabc..., "letmeinletmein"), or a walk over the
    keyboard's neighbouring keys with at most one jump ("qwertyuiopas", "1q2w3e4r5t6y", "zaq12wsxcde3"):
    the walks and the doubled word are at the top of every cracking list (a security review)."""
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:])}
    if steps <= {1} or steps <= {-1} or steps <= {1, -9} or steps <= {-1, 9}:  # digits may wrap 9 -> 0
        return True
    if any(len(password) % n == 0 and password == password[:n] * (len(password) // n)
           for n in range(2, len(password) // 2 + 1)):
        return True
    jumps = sum(b not in _KEY_NEIGHBOURS.get(a, ()) for a, b in zip(password, password[1:]))
    return jumps <= 1


def _key_neighbours() -> dict[str, frozenset[str]]:
    """Each key of a US keyboard's four rows and the keys around it (each row sits half a key right of the one above)."""
    rows = ["1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"]
    where = {key: (r, c) for r, row in enumerate(rows) for c, key in enumerate(row)}
    return {key: frozenset(other for other, (r2, c2) in where.items() if other != key and abs(r2 - r) <= 1
                           and (c2 - c) in ((-1, 0, 1) if r2 == r else (0, 1) if r2 == r - 1 else (-1, 0)))
            for key, (r, c) in where.items()}


_KEY_NEIGHBOURS = _key_neighbours()


def _only_the_name(password: str, name: str) -> bool:
    """The password's letters are the username's, once or repeated, forwards or backwards: digits
    and symbols around or within do not hide it ("bob212345678901" for bob2, "bob-bob-12345678")."""
    letters, name_letters = re.sub(r"[^a-z]", "", password), re.sub(r"[^a-z]", "", name)
    if not letters or not name_letters or len(letters) % len(name_letters):
        return False
    times = len(letters) // len(name_letters)
    return letters in (name_letters * times, name_letters[::-1] * times)


def check_password_policy(password: str, username: str) -> None:
    """ValidationFailed (field "password") saying what is wrong, or nothing when the password will do."""
    def refuse(message: str) -> None:
        raise ValidationFailed(message, field="password")

    # Characters that draw nothing do not count: six zero-width spaces had made "aaaaaabbbbbb" pass (a security review).
    password = "".join(c for c in password if unicodedata.category(c) not in _UNSEEN)
    if len(password) < MIN_PASSWORD_LENGTH:
        refuse(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        refuse(f"password must have at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    if len(set(lowered)) == 1:
        refuse("password must not be one character repeated")
    if len(set(lowered)) < 4:  # "aaaaaabbbbbb"
        refuse("password must use at least 4 different characters")
    if _is_simple_sequence(lowered):
        refuse("password must not be a simple sequence such as abcdef, 123456, a word repeated or a walk along "
               "the keyboard such as qwertyuiop")
    name = username.strip().lower()
    core = lowered.rstrip(_TRAILING_NOISE).lstrip(_TRAILING_NOISE)
    if name and (lowered in (name, name[::-1]) or _only_the_name(lowered, name)):
        refuse("password must not be the username, with or without digits or symbols around it")
    if lowered in _common_passwords() or core in _common_passwords() or not core:
        refuse("password is too common: pick a longer phrase of unrelated words")
