"""Write crm/static/map/world-110m.svg, the land outline behind the map of member cities.

The outline is Natural Earth's 1:110m countries (public domain, naturalearthdata.com), as shipped in the
``naturalearth_lowres`` shapefile of geopandas 0.14 (``pip download geopandas==0.14.4 --no-deps``, then unzip
``geopandas/datasets/naturalearth_lowres/*``). Run once when the outline should change:

    python -m crm.membership.world_outline path/to/naturalearth_lowres.shp

The projection is equirectangular: x = longitude, y = -latitude, one SVG unit a degree, to a tenth of a
degree; Antarctica is left out (no member city is there and it would take a third of the height).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "map" / "world-110m.svg"
POLYGON = 5


def rings(shp: bytes):
    """Yield each ring of each polygon of a shapefile, as a list of (longitude, latitude)."""
    offset = 100
    while offset < len(shp):
        _number, length = struct.unpack(">2i", shp[offset:offset + 8])
        content = shp[offset + 8:offset + 8 + length * 2]
        offset += 8 + length * 2
        (shape,) = struct.unpack("<i", content[:4])
        if shape != POLYGON:
            continue
        parts, points = struct.unpack("<2i", content[36:44])
        starts = list(struct.unpack(f"<{parts}i", content[44:44 + 4 * parts])) + [points]
        coords = struct.unpack(f"<{2 * points}d", content[44 + 4 * parts:44 + 4 * parts + 16 * points])
        xy = list(zip(coords[0::2], coords[1::2], strict=True))
        for start, end in zip(starts, starts[1:], strict=False):
            yield xy[start:end]


def path_data(ring) -> str:
    """The SVG path of a ring, to a tenth of a degree, without repeated points."""
    points = []
    for lon, lat in ring:
        point = f"{lon:.1f} {-lat:.1f}".replace(".0 ", " ").replace("-0 ", "0 ")
        if point.endswith(".0"):
            point = point[:-2]
        if not points or points[-1] != point:
            points.append(point)
    return "M" + " ".join(points) + "Z" if len(points) > 2 else ""


def main(source: str) -> None:
    shp = Path(source).read_bytes()
    paths = [path_data(ring) for ring in rings(shp) if max(lat for _lon, lat in ring) > -60]
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" width="360" height="180">\n'
        "<!-- Land: Natural Earth 1:110m countries, public domain (naturalearthdata.com); "
        "made by python -m crm.membership.world_outline -->\n"
        '<path fill="#dfe7ec" stroke="#b7c4cc" stroke-width="0.15" stroke-linejoin="round" d="'
        + "".join(p for p in paths if p) + '"/>\n</svg>\n', encoding="utf-8")
    print(f"{OUT}: {len(paths)} rings, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
