"""Share cards: a 1200×630 PNG of one statement, the image a link unfurls into.

The quote is drawn exactly as stored, wrapped and shrunk until it fits; only when it cannot fit
at the smallest size is it cut, at a word, with "…". Below it: the speaker, the role held on that
day, the date and the fidelity badge. Fonts are DejaVu from the system (Debian's
fonts-dejavu-core); without them Pillow's scalable default font stands in.

Pure rendering: `card_name` and `render_card` take a statement loaded with its speaker and
conference, and the role, and touch neither the database nor the storage.
"""

import hashlib
import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .citations import long_date

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF = "DejaVuSerif.ttf"
SANS = "DejaVuSans.ttf"
SANS_BOLD = "DejaVuSans-Bold.ttf"

# Quote sizes tried from the largest down; line height is 1.3 × the size.
QUOTE_SIZES = range(60, 21, -2)
LINE_HEIGHT = 1.3
QUOTE_TOP = MARGIN
QUOTE_BOTTOM = 470  # the footer (speaker, role and date, badge) starts below
ELLIPSIS = "…"

BACKGROUND = "#fbfaf7"
INK = "#1d1d1f"
MUTED = "#55555a"
ACCENT = "#8a1c1c"
BADGE_INK = "#ffffff"

# Bump when the drawing changes, so cached cards are drawn again.
VERSION = "1"


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


def card_hash(statement, role) -> str:
    """SHA-256 of everything the card shows: any change to it makes a new card."""
    parts = [
        VERSION,
        statement.text,
        statement.speaker.name,
        role.title if role else "",
        statement.conference.date.isoformat(),
        statement.get_fidelity_display(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def card_name(statement, role) -> str:
    """Where the card is kept in the storage: cards/<public_id>-<hash[:12]>.png."""
    return f"cards/{statement.public_id}-{card_hash(statement, role)[:12]}.png"


def wrap(text: str, face, width: int) -> list[str]:
    """Lines of `text` no wider than `width`: its own line breaks kept, words never split
    unless a single word is wider than a line."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while face.getlength(line) > width:  # a word longer than a line: split it
                cut = _fitting_prefix(line, face, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _fitting_prefix(text: str, face, width: int) -> int:
    cut = len(text)
    while cut > 1 and face.getlength(text[:cut]) > width:
        cut -= 1
    return cut


def fit_quote(text: str, width: int, height: int, name: str = SERIF):
    """(face, lines) for the largest size at which the whole text fits; at the smallest size,
    the lines that fit, the last one ending with "…"."""
    text = text.strip()
    for size in QUOTE_SIZES:
        face = font(name, size)
        lines = wrap(text, face, width)
        if len(lines) * size * LINE_HEIGHT <= height:
            return face, lines
    room = max(1, int(height // (size * LINE_HEIGHT)))
    kept = lines[:room]
    kept[-1] = ellipsize(kept[-1], face, width)
    return face, kept


def ellipsize(line: str, face, width: int) -> str:
    """`line` with "…" after it, words dropped from its end until it fits in `width`."""
    line = line.rstrip(" ,;:–—-")
    while line and face.getlength(line + ELLIPSIS) > width:
        shorter = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = shorter.rstrip(" ,;:–—-")
    return line + ELLIPSIS


def fit_line(text: str, face, width: int) -> str:
    """One line of `text`, cut with "…" if it is wider than `width`."""
    return text if face.getlength(text) <= width else ellipsize(text, face, width)


def render_card(statement, role) -> bytes:
    """The PNG bytes of the card."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 12, HEIGHT), fill=ACCENT)
    width = WIDTH - 2 * MARGIN

    face, lines = fit_quote(statement.text, width, QUOTE_BOTTOM - QUOTE_TOP)
    step = face.size * LINE_HEIGHT
    for number, line in enumerate(lines):
        draw.text((MARGIN, QUOTE_TOP + number * step), line, font=face, fill=INK)

    draw.line((MARGIN, QUOTE_BOTTOM + 12, WIDTH - MARGIN, QUOTE_BOTTOM + 12), fill="#d8d4cc")
    badge_face = font(SANS_BOLD, 22)
    badge = statement.get_fidelity_display()
    badge_width = int(badge_face.getlength(badge)) + 32
    badge_box = (WIDTH - MARGIN - badge_width, QUOTE_BOTTOM + 40, WIDTH - MARGIN, QUOTE_BOTTOM + 80)
    draw.rounded_rectangle(badge_box, radius=8, fill=ACCENT)
    draw.text((badge_box[0] + 16, badge_box[1] + 8), badge, font=badge_face, fill=BADGE_INK)

    text_width = badge_box[0] - MARGIN - 24
    name_face = font(SANS_BOLD, 34)
    draw.text(
        (MARGIN, QUOTE_BOTTOM + 36),
        fit_line(statement.speaker.name, name_face, text_width),
        font=name_face,
        fill=INK,
    )
    detail_face = font(SANS, 24)
    # A long role is cut, never the date.
    detail = long_date(statement.conference.date)
    brand_face = font(SANS_BOLD, 22)
    detail_width = WIDTH - 2 * MARGIN - brand_face.getlength("Podium") - 32
    if role:
        room = detail_width - detail_face.getlength(f", {detail}")
        detail = f"{fit_line(role.title, detail_face, room)}, {detail}"
    draw.text(
        (MARGIN, QUOTE_BOTTOM + 86),
        detail,
        font=detail_face,
        fill=MUTED,
    )
    draw.text(
        (WIDTH - MARGIN, QUOTE_BOTTOM + 96), "Podium", font=brand_face, fill=ACCENT, anchor="ra"
    )

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
