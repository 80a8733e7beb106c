"""Security headers on every response: routes, errors, 404s from the router and static files.

Litestar has no security-headers middleware, and route middleware never sees the router's own
404/405, so this is an app-level ``before_send`` hook: it wraps ``send`` for everything the app
answers. The CSP allows no inline script at all; the docs page loads its initialiser from a file.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Swagger UI's stylesheet draws its icons as data: SVGs
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    ),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


_RAW_HEADERS = tuple((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS)
_NO_STORE = (b"cache-control", b"no-store")


async def add_security_headers(message: Message, scope: Scope) -> None:
    # Raw ASGI header pairs (every response passes here): one scan of what the handler set.
    if message["type"] != "http.response.start":
        return
    headers = message.get("headers")
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers or ())
    present = {name.lower() for name, _ in headers}
    headers.extend(header for header in _RAW_HEADERS if header[0] not in present)
    # Answers under /api carry tokens and personal data: never into a shared or browser cache.
    if scope.get("path", "").startswith("/api/") and _NO_STORE[0] not in present:
        headers.append(_NO_STORE)
