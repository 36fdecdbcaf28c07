"""Argon2 hashing for passwords and API key secrets, and the minimum password policy."""
from __future__ import annotations

import functools
import re
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
    """abcdef..., 987654..., or a short run repeated (abcabc..., 121212...)."""
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:])}
    if steps <= {1} or steps <= {-1} or steps <= {1, -9} or steps <= {-1, 9}:  # digits may wrap 9 -> 0
        return True
    return any(len(password) % n == 0 and password == password[:n] * (len(password) // n) for n in range(2, 5))


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

    if len(password) < MIN_PASSWORD_LENGTH:
        refuse(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        refuse(f"password must have at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    if len(set(lowered)) == 1:
        refuse("password must not be one character repeated")
    if _is_simple_sequence(lowered):
        refuse("password must not be a simple sequence such as abcdef or 123456")
    name = username.strip().lower()
    core = lowered.rstrip(_TRAILING_NOISE).lstrip(_TRAILING_NOISE)
    if name and (lowered in (name, name[::-1]) or _only_the_name(lowered, name)):
        refuse("password must not be the username, with or without digits or symbols around it")
    if lowered in _common_passwords() or core in _common_passwords() or not core:
        refuse("password is too common: pick a longer phrase of unrelated words")
