"""A client application signs a user in through the OpenID Connect provider, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from jwcrypto import jwk, jwt

from conftest import totp_code, totp_device
from tacnghiep.directory.services import oidc

REDIRECT = "http://127.0.0.1:9/callback"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("who", ["clerk_a", "admin_a"])
def test_authorization_code_flow_with_pkce(live_server, world, password, who):
    person = getattr(world, who)
    device = totp_device(person) if who == "admin_a" else None
    app, secret = oidc.register_application(actor=None, name="Ứng dụng nội bộ", redirect_uris=[REDIRECT])
    base = live_server.url
    discovery = requests.get(f"{base}/o/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == f"{base}/o"
    assert "S256" in discovery["code_challenge_methods_supported"]

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "state": "st-1",
        "scope": "openid profile organization",
        "nonce": "n-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    browser = requests.Session()
    step = browser.get(f"{discovery['authorization_endpoint']}?{urlencode(params)}", allow_redirects=False, timeout=10)
    assert step.status_code == 302
    login_url = base + step.headers["Location"]
    assert "/dang-nhap/" in login_url
    page = browser.get(login_url, timeout=10)
    next_url = parse_qs(urlparse(login_url).query)["next"][0]
    step = browser.post(
        login_url,
        data={
            "username": person.username,
            "password": password,
            "csrfmiddlewaretoken": csrf_from(page.text),
            "next": next_url,
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert step.status_code == 302
    if device is not None:
        # No way round the second factor: the authorization endpoint sends us to it.
        assert step.headers["Location"].startswith("/dang-nhap/xac-thuc/")
        otp_url = base + step.headers["Location"]
        page = browser.get(otp_url, timeout=10)
        step = browser.post(
            otp_url,
            data={"code": totp_code(device), "csrfmiddlewaretoken": csrf_from(page.text), "next": next_url},
            headers={"Referer": otp_url},
            allow_redirects=False,
            timeout=10,
        )
        assert step.status_code == 302
    step = browser.get(base + step.headers["Location"], allow_redirects=False, timeout=10)
    assert step.status_code == 302
    callback = urlparse(step.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT
    query = parse_qs(callback.query)
    assert query["state"] == ["st-1"]

    token_request = {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "redirect_uri": REDIRECT,
        "client_id": app.client_id,
        "client_secret": secret,
    }
    # Without the verifier the code is refused (PKCE).
    assert requests.post(discovery["token_endpoint"], data=token_request, timeout=10).status_code == 400
    response = requests.post(discovery["token_endpoint"], data={**token_request, "code_verifier": verifier}, timeout=10)
    assert response.status_code == 200, response.text
    tokens = response.json()

    keys = jwk.JWKSet.from_json(requests.get(discovery["jwks_uri"], timeout=10).text)
    id_token = jwt.JWT(jwt=tokens["id_token"], key=keys, expected_type="JWS")
    claims = json.loads(id_token.claims)
    assert claims["iss"] == discovery["issuer"]
    assert claims["aud"] == app.client_id
    assert claims["nonce"] == "n-1"
    assert claims["sub"] == str(person.pk)

    info = requests.get(
        discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    ).json()
    assert info["preferred_username"] == person.username
    assert info["name"] == person.full_name
    assert info["organization"]["name"] in {world.commune_a.name, world.commune_a_office.name}
    assert info["roles"]


def test_applications_that_ask_consent_get_a_vietnamese_page(world, client_for):
    app, _secret = oidc.register_application(
        actor=None, name="Ứng dụng cần đồng ý", redirect_uris=[REDIRECT], skip_authorization=False
    )
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid organization",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    page = client_for(world.clerk_a).get(f"/o/authorize/?{query}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cho phép “Ứng dụng cần đồng ý” đăng nhập cho bạn?" in body
    assert "Cơ quan, đơn vị và vai trò" in body
