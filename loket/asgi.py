"""The ASGI entry point for uvicorn: ``uvicorn loket.asgi:app``."""

from loket.app import create_app

app = create_app()
