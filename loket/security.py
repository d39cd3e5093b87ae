"""Security headers on every response, and CORS for the sites that embed the widget."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages run only their own scripts and styles; nothing may frame them. /docs loads Swagger UI from its
# own CDN, so it keeps FastAPI's defaults (it is a developer page, not one for the public).
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_DOCS = ("/docs", "/redoc", "/openapi.json")


class SecurityHeaders:
    """Adds nosniff, referrer and permissions policies, frame denial, HSTS on https, and a CSP for HTML."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}

                def add(name: bytes, value: str) -> None:
                    if name not in present:
                        headers.append((name, value.encode()))

                add(b"x-content-type-options", "nosniff")
                add(b"referrer-policy", "strict-origin-when-cross-origin")
                add(b"permissions-policy", "camera=(), microphone=(), geolocation=()")
                add(b"x-frame-options", "DENY")
                if self.https:
                    add(b"strict-transport-security", "max-age=31536000; includeSubDomains")
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html") and not path.startswith(_DOCS):
                    add(b"content-security-policy", DEFAULT_CSP)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
