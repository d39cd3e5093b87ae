"""Great-circle distances in kilometres, for one pair or one origin against many points."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Mean Earth radius (IUGG). Over the tens of kilometres that matter for travel to a school the
# spherical error (< 0.5 %) is far below the gap between straight-line and road distance.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    # min() guards against a tiny float overshoot above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_many(lat: float, lon: float, lats: ArrayLike, lons: ArrayLike) -> NDArray[np.float64]:
    """Return distances in km from one origin ``(lat, lon)`` to every point of ``lats``/``lons`` (degrees)."""
    lats_rad = np.radians(np.asarray(lats, dtype=np.float64))
    lons_rad = np.radians(np.asarray(lons, dtype=np.float64))
    return haversine_km_rad(math.radians(lat), math.radians(lon), lats_rad, lons_rad, np.cos(lats_rad))


def haversine_km_rad(
    lat_rad: float,
    lon_rad: float,
    lats_rad: NDArray[np.float64],
    lons_rad: NDArray[np.float64],
    cos_lats: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Like :func:`haversine_km_many` for points already in radians with their cosines precomputed.

    An index that is queried many times converts its coordinates once, so a query only pays for
    the trigonometry that depends on the origin.
    """
    a = (
        np.sin((lats_rad - lat_rad) / 2) ** 2
        + math.cos(lat_rad) * cos_lats * np.sin((lons_rad - lon_rad) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
