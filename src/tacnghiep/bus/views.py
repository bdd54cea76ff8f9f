"""The national hub's REST protocol (reference/standards.md §3.1): thin views over ``bus.services``.

Parameters come in signed headers (``exchange.hubprotocol``); every answer is
JSON with ``status`` "OK"/"FAIL", ``ErrorCode`` ("0" on success) and
``ErrorDesc``. The HTTP status also says what went wrong, for clients that look.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tacnghiep.bus import selectors, services, storage
from tacnghiep.bus.models import Agency, Delivery, Package
from tacnghiep.bus.services import BusError
from tacnghiep.exchange import hubprotocol

Handler = Callable[[HttpRequest, Agency, hubprotocol.SignedCall], HttpResponseBase]


def ok(**data: Any) -> JsonResponse:
    return JsonResponse(
        {"status": "OK", "ErrorCode": "0", "ErrorDesc": "", **data}, json_dumps_params={"ensure_ascii": False}
    )


def fail(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"status": "FAIL", "ErrorCode": str(status), "ErrorDesc": message},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def endpoint(*methods: str) -> Callable[[Handler], Callable[[HttpRequest], HttpResponseBase]]:
    def decorate(handler: Handler) -> Callable[[HttpRequest], HttpResponseBase]:
        @require_http_methods(list(methods))
        @wraps(handler)
        def view(request: HttpRequest) -> HttpResponseBase:
            try:
                agency, call = services.authenticate(request.headers)
                return handler(request, agency, call)
            except BusError as exc:
                return fail(str(exc), exc.status)

        return view

    return decorate


def _param(request: HttpRequest, call: hubprotocol.SignedCall, *names: str) -> str:
    for name in names:
        value = call.keys.get(name.lower())
        if value is None:
            value = request.headers.get(name)
        if value:
            return value.strip()
    return ""


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone(hubprotocol.VIETNAM):%d/%m/%Y %H:%M:%S}"


def _parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%d/%m/%Y %H:%M:%S").replace(tzinfo=hubprotocol.VIETNAM)
    except ValueError as exc:
        raise BusError(_("Dates are written dd/MM/yyyy HH:mm:ss."), 400) from exc


def _recipients(raw: str) -> list[str]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw.split(",")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise BusError(_("The recipient list (to) is not valid."), 400)
    codes = [str(item.get("code", "") if isinstance(item, dict) else item).strip() for item in value]
    return [c for c in codes if c]


def _spool(request: HttpRequest) -> tuple[Path, str, str, int]:
    """Copy the body to the hub's disk, refusing it as soon as it passes the limit."""
    limit = settings.BUS_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > limit:
        raise BusError(_("The package is larger than the limit (%(mb)s MB).") % {"mb": limit // 2**20}, 413)
    handle = storage.spool()
    path = Path(handle.name)
    try:
        with handle:
            size = 0
            while chunk := request.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise BusError(_("The package is larger than the limit (%(mb)s MB).") % {"mb": limit // 2**20}, 413)
                handle.write(chunk)
        with path.open("rb") as stream:
            sdk_form, digest, size = hubprotocol.file_hash(stream)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise BusError(_("The request has no package."), 400)
    return path, sdk_form, digest, size


@endpoint("POST")
def send_edoc(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    message_type = _param(request, call, "messagetype") or "edoc"
    to = _recipients(_param(request, call, "to"))
    sent_hash = _param(request, call, hubprotocol.HASH_FILE)
    if not sent_hash:
        raise BusError(_("The hash-file header is missing."), 400)
    path, _sdk, digest, size = _spool(request)
    try:
        if not hubprotocol.hash_file_matches(sent_hash, digest):
            raise BusError(_("The package does not match its hash-file header."), 400)
        accepted = services.accept(agency, message_type, to, path, digest, size)
    finally:
        path.unlink(missing_ok=True)
    return ok(DocId=accepted.package.doc_id)


def _row(delivery: Delivery) -> dict[str, str]:
    package = delivery.package
    return {
        "docId": delivery.doc_id,
        "serviceType": "eDoc",
        "messageType": delivery.message_type,
        "from": package.sender.code,
        "to": delivery.recipient.code,
        "status": delivery.state,
        "status_desc": str(delivery.get_state_display()),
        "created_time": _time(delivery.created_at),
        "updated_time": _time(delivery.updated_at),
        "notation": package.notation,
        "title": package.subject,
    }


@endpoint("POST", "GET")
def received_list(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    message_type = _param(request, call, "messagetype") or "edoc"
    since = _parse_time(_param(request, call, "fromDate"))
    until = _parse_time(_param(request, call, "toDate"))
    return ok(data=[_row(d) for d in selectors.inbox(agency, message_type, since, until)])


def _count(message_type: str) -> Handler:
    def view(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
        return ok(count=selectors.inbox(agency, message_type).count())

    return view


count_edoc = endpoint("GET", "POST")(_count("edoc"))
count_status = endpoint("GET", "POST")(_count("status"))


def _package(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> Package:
    doc_id = _param(request, call, "docId", "docid")
    package = selectors.package_for(agency, doc_id) if doc_id else None
    if package is None:
        raise BusError(_("No package %(doc_id)s for this system.") % {"doc_id": doc_id[:40]}, 404)
    return package


def _base64_json(path: Path) -> Iterator[bytes]:
    yield b'{"status":"OK","ErrorCode":"0","ErrorDesc":"","data":"'
    with path.open("rb") as stream:
        while chunk := stream.read(3 * 256 * 1024):  # a multiple of 3: no padding inside the text
            yield base64.b64encode(chunk)
    yield b'"}'


@endpoint("POST", "GET")
def get_edoc(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponseBase:
    package = _package(request, agency, call)
    response = StreamingHttpResponse(
        _base64_json(storage.path_of(package.storage_name)), content_type="application/json"
    )
    response["Content-Length"] = str(
        len(b'{"status":"OK","ErrorCode":"0","ErrorDesc":"","data":""}') + 4 * -(-package.size // 3)
    )
    return response


@endpoint("GET", "POST")
def download_edoc(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponseBase:
    package = _package(request, agency, call)
    return FileResponse(
        storage.path_of(package.storage_name).open("rb"),
        as_attachment=True,
        filename=f"{package.doc_id}.edxml",
        content_type="application/octet-stream",
    )


@endpoint("POST")
def update_status(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    doc_id = _param(request, call, "docId", "docid")
    status = _param(request, call, "status")
    delivery = services.acknowledge(agency, doc_id, status, _param(request, call, "reason", "errordesc"))
    return ok(docId=delivery.doc_id, state=delivery.state)


@endpoint("POST", "GET")
def sent_list(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    message_type = _param(request, call, "messagetype") or "edoc"
    rows = []
    for delivery in selectors.sent(agency, message_type, _param(request, call, "docId", "docid")):
        package = delivery.package
        done = delivery.state == "done"
        rows.append(
            {
                "receiverDocId": delivery.doc_id,
                "senderDocId": package.doc_id,
                "toCode": delivery.recipient.code,
                "fromCode": package.sender.code,
                "sendStatus": "done",
                "sendStatusDesc": str(_("Accepted by the hub")),
                "receiveStatus": delivery.state,
                "receiveStatusDesc": str(delivery.get_state_display()),
                "sentTime": _time(package.received_at),
                "receivedTime": _time(delivery.updated_at) if done else "",
                "notation": package.notation,
                "title": package.subject,
            }
        )
    return ok(data=rows)


def _agencies(qd20: bool) -> Handler:
    def view(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
        rows: list[dict[str, Any]] = []
        for item in selectors.agencies():
            if qd20:
                rows.append(
                    {
                        "code": item.code_qd20 or item.code,
                        "code102": item.code_qcvn102,
                        "name": item.name,
                        "mail": item.mail,
                    }
                )
            else:
                rows.append(
                    {
                        "id": item.pk,
                        "code": item.code,
                        "pid": item.parent_code,
                        "name": item.name,
                        "mail": item.mail,
                        "oldCode": item.code_qcvn102 if item.code_qd20 and item.code != item.code_qd20 else "",
                    }
                )
        return ok(data=rows)

    return view


agencies_list = endpoint("POST", "GET")(_agencies(qd20=False))
agencies_list_qd20 = endpoint("POST", "GET")(_agencies(qd20=True))
synchronize_unit = endpoint("POST", "GET")(_agencies(qd20=True))


@endpoint("POST")
def register_agency(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > 65536:
        raise BusError(_("The request is too large."), 413)
    try:
        body = json.loads(request.read(65536) or b"{}")
    except ValueError as exc:
        raise BusError(_("The body is not valid JSON."), 400) from exc
    if not isinstance(body, dict):
        raise BusError(_("The body is not valid JSON."), 400)
    code = str(body.get("code", "")).strip().upper()
    qcvn102 = services.QCVN102.fullmatch(code) is not None
    data = services.AgencyData(
        name=str(body.get("name", "")).strip(),
        code_qd20="" if qcvn102 else code,
        code_qcvn102=code if qcvn102 else "",
        parent_code=str(body.get("pcode", "")).strip(),
        mail=str(body.get("mail", "")).strip(),
        mobile=str(body.get("mobile", "")).strip(),
        fax=str(body.get("fax", "")).strip(),
    )
    registered = services.register_agency(agency, data)
    return ok(id=registered.pk, code=registered.code)


@endpoint("POST")
def delete_agency(request: HttpRequest, agency: Agency, call: hubprotocol.SignedCall) -> HttpResponse:
    removed = services.delete_agency(agency, _param(request, call, "AgencyCode", "agencycode"))
    return ok(code=removed.code)


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "OK"})
