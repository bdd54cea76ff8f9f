"""A small certificate authority for tests: a root, people's and organizations' certificates, PKCS#12 files."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "mat-khau-thu"


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Holder:
    key: Any
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def p12(self, root: Holder, password: str = PASSWORD) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"key", self.key, self.cert, [root.cert], serialization.BestAvailableEncryption(password.encode())
        )

    def write_p12(self, folder: Path, name: str, root: Holder, password: str = PASSWORD) -> Path:
        path = folder / f"{name}.p12"
        path.write_bytes(self.p12(root, password))
        return path

    def key_pem(self) -> bytes:
        return bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


class Pki:
    """One root CA (self-signed) that issues end-entity certificates."""

    def __init__(self, name: str = "CA Thử nghiệm Tacnghiep") -> None:
        self.root = self._make(name, "Tổ chức chứng thực thử", None, ca=True, days=3650)

    def _make(
        self,
        common_name: str,
        organization: str,
        issuer: Holder | None,
        *,
        ca: bool = False,
        days: int = 365,
        crl_url: str = "",
    ) -> Holder:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.datetime.now(datetime.UTC)
        subject = _name(common_name, organization)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer.cert.subject if issuer else subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(_usage(ca), critical=True)
        )
        if crl_url:
            point = x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None, crl_issuer=None
            )
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
        cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
        return Holder(key=key, cert=cert)

    def issue(self, common_name: str, organization: str, days: int = 365, crl_url: str = "") -> Holder:
        return self._make(common_name, organization, self.root, days=days, crl_url=crl_url)

    def crl(self, revoked: list[Holder]) -> bytes:
        """The root's certificate revocation list (DER), valid for a day."""
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.cert.subject)
            .last_update(now - datetime.timedelta(minutes=5))
            .next_update(now + datetime.timedelta(days=1))
        )
        for holder in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(holder.cert.serial_number)
                .revocation_date(now - datetime.timedelta(minutes=1))
                .build()
            )
        return builder.sign(self.root.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def issue_tsa(self) -> Holder:
        """A timestamp authority's certificate (extended key usage: time stamping, critical)."""
        holder = self._make("Máy chủ dấu thời gian thử", "Tổ chức chứng thực thử", self.root)
        builder = (
            x509.CertificateBuilder()
            .subject_name(holder.cert.subject)
            .issuer_name(self.root.cert.subject)
            .public_key(holder.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(holder.cert.not_valid_before_utc)
            .not_valid_after(holder.cert.not_valid_after_utc)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        )
        return Holder(key=holder.key, cert=builder.sign(self.root.key, hashes.SHA256()))

    @property
    def root_der(self) -> bytes:
        return self.root.der


def official_pdf(signer: str = "Nguyễn Văn Lãnh", pages: int = 1) -> bytes:
    """A document laid out like NĐ 30's form: "Số:", the place-and-date line, the signature block."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(595, 842))
    for page in range(pages):
        drawing.setFont("TestSerif", 12)
        if page == 0:
            drawing.drawString(60, 770, "ĐẢNG ỦY XÃ THỬ")
            drawing.drawString(60, 745, "Số:      -KH/ĐU")
            drawing.drawString(320, 745, "Thử, ngày     tháng     năm 2026")
            drawing.drawString(200, 650, "KẾ HOẠCH")
            drawing.drawString(120, 630, "tổ chức Đại hội chi bộ nhiệm kỳ 2025 - 2027")
        drawing.drawString(72, 560, f"Nội dung trang {page + 1}.")
        if page == pages - 1:
            drawing.drawString(360, 300, "T/M ĐẢNG ỦY")
            drawing.drawString(380, 285, "BÍ THƯ")
            drawing.drawString(360, 190, signer)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()
