"""Ids and digests: the short opaque public id of a statement's permalink, and the content hash
that makes a re-pasted text or an unchanged statement recognisable. Plain Python."""

import hashlib
import secrets

# Short public ids for permalinks: lower case and digits without the look-alikes 0/o, 1/l/i.
PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_ID_LENGTH = 8


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def content_hash(text: str) -> str:
    """SHA-256 of a text, as hex; the writer stores it for sources and statements."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
