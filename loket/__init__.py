"""The loket service: FastAPI app, database, staff console, scheduler and CLI."""

__version__ = "0.1.0"
