"""All console routers in the order they must match (fixed paths before the vacature/invaller pages)."""

from fastapi import APIRouter

from loket.ambitie import views as ambitie_views
from loket.console import beheer_views, views
from loket.medewerker import views as account_views

router = APIRouter()
router.include_router(ambitie_views.router)
router.include_router(ambitie_views.api)
router.include_router(views.router)
router.include_router(account_views.router)
router.include_router(beheer_views.router)
