"""Private keys for signing: PKCS#12 files on the server and PKCS#11 tokens (USB tokens, HSMs).

Opening a key is the slow part of a signature (pyHanko's ``SimpleSigner``
parses the private key again for every signature, ~37 ms for RSA-2048), so
signers are opened once per process and kept, keyed by where the key lives and
the file's modification time. Passwords and PINs are read from environment
variables named in the key's configuration, never stored.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore


class KeyUnavailable(Exception):
    """The key cannot be opened: missing file, wrong password or PIN, token absent."""


class CachedKeySigner(SimpleSigner):
    """pyHanko's in-memory signer, with the private key parsed once instead of per signature."""

    def __init__(self, private_key: Any, signing_cert: x509.Certificate, chain: list[x509.Certificate]) -> None:
        key_info = asn1_keys.PrivateKeyInfo.load(
            private_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        super().__init__(
            signing_cert=signing_cert,
            signing_key=key_info,
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
        from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return bytes(key.sign(data, PKCS1v15(), hash_algo))
        if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return bytes(key.sign(data, ECDSA(hash_algo)))
        return bytes(super().sign_raw(data, digest_algorithm))


def pkcs12_signer(data: bytes, password: str | None) -> CachedKeySigner:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as exc:
        raise KeyUnavailable("pkcs12") from exc
    if key is None or cert is None:
        raise KeyUnavailable("pkcs12-empty")
    to_asn1 = [x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra]
    signing_cert = x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return CachedKeySigner(key, signing_cert, [signing_cert, *to_asn1])


@dataclass(frozen=True)
class KeyLocation:
    """Where a key lives; the ``secret_env`` variable holds its password (PKCS#12) or PIN (PKCS#11)."""

    kind: str  # "pkcs12" | "pkcs11"
    path: str = ""  # the .p12 file, or the token's PKCS#11 library
    token_label: str = ""
    key_label: str = ""
    secret_env: str = ""

    def secret(self) -> str | None:
        return os.environ.get(self.secret_env) if self.secret_env else None


_cache: dict[tuple[Any, ...], Any] = {}
_sessions: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def _pkcs11_signer(location: KeyLocation, certificate: x509.Certificate | None) -> Any:
    import pkcs11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    try:
        session = _sessions.get((location.path, location.token_label))
        if session is None:
            lib = pkcs11.lib(location.path)
            token = lib.get_token(token_label=location.token_label)
            session = token.open(user_pin=location.secret())
            _sessions[(location.path, location.token_label)] = session
        return PKCS11Signer(session, key_label=location.key_label, signing_cert=certificate)
    except (pkcs11.PKCS11Error, RuntimeError, OSError) as exc:
        raise KeyUnavailable("pkcs11") from exc


def open_signer(location: KeyLocation, certificate_der: bytes | None = None) -> Any:
    """A pyHanko signer for the key, opened once per process."""
    if location.kind == "pkcs12":
        path = Path(location.path)
        try:
            stamp: Any = path.stat().st_mtime_ns
        except OSError as exc:
            raise KeyUnavailable("missing") from exc
    else:
        stamp = certificate_der
    cache_key = (location, stamp)
    with _lock:
        signer = _cache.get(cache_key)
        if signer is not None:
            return signer
        if location.kind == "pkcs12":
            signer = pkcs12_signer(path.read_bytes(), location.secret())
        elif location.kind == "pkcs11":
            cert = x509.Certificate.load(certificate_der) if certificate_der else None
            signer = _pkcs11_signer(location, cert)
        else:
            raise KeyUnavailable(location.kind)
        _cache[cache_key] = signer
        return signer


def forget() -> None:
    """Drop opened keys and token sessions (after a key's configuration changes, and in tests)."""
    with _lock:
        _cache.clear()
        for session in _sessions.values():
            # A token pulled out has closed its session already.
            with contextlib.suppress(Exception):
                session.close()
        _sessions.clear()
