"""Pure rules about how people are shown: generated avatars.

An identicon is drawn from the account's id alone: a 5 x 5 grid mirrored left to right, in one
colour, as a few bytes of inline SVG. Nothing is uploaded, fetched or stored, and it says
nothing about the person beyond telling two accounts apart at a glance, as GitHub's and
Discourse's generated avatars do.
"""

from __future__ import annotations

import colorsys
import hashlib
from functools import lru_cache

GRID = 5
# Lightness and saturation that read on both the light and the dark page.
LIGHTNESS, SATURATION = 0.48, 0.55


@lru_cache(maxsize=4096)
def identicon_svg(user_id: int) -> str:
    """The avatar of account ``user_id``: the same id, the same picture, on every page."""
    digest = hashlib.blake2b(str(user_id).encode(), digest_size=8, person=b"avatar").digest()
    red, green, blue = colorsys.hls_to_rgb(digest[0] / 256, LIGHTNESS, SATURATION)
    colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
    bits = int.from_bytes(digest[1:], "big")
    half = (GRID + 1) // 2
    cells = []
    for column in range(half):
        for row in range(GRID):
            if bits >> (column * GRID + row) & 1:
                cells.append((column, row))
                if column != GRID - 1 - column:
                    cells.append((GRID - 1 - column, row))
    if not cells:  # an empty grid would look like a missing picture
        cells = [(half - 1, row) for row in range(GRID)]
    path = "".join(f"M{x} {y}h1v1h-1z" for x, y in sorted(cells))
    return (
        f'<svg class="avatar" viewBox="0 0 {GRID} {GRID}" aria-hidden="true" focusable="false">'
        f'<path fill="{colour}" d="{path}"/></svg>'
    )
