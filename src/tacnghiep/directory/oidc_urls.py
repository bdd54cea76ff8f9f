"""The OpenID Connect provider's endpoints, and nothing else of django-oauth-toolkit.

Its management views (any signed-in user registering client applications) and
dynamic client registration are left out: client applications are registered
by system administrators only (admin site or `tacnghiep oidc_client`).
"""

from oauth2_provider import urls as dot_urls

app_name = "oauth2_provider"

_PROTOCOL = {"authorize", "token", "revoke-token", "introspect"}

urlpatterns = [p for p in dot_urls.base_urlpatterns if getattr(p, "name", None) in _PROTOCOL]
urlpatterns += dot_urls.oidc_urlpatterns
