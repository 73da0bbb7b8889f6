"""Make the Chinese certificate font the package ships (see fonts/README.md).

Certificates print a candidate's name as written, so a Chinese name needs a font
with its characters wherever the grading desk runs, not only on a machine that
happens to have one installed. The whole of WenQuanYi Micro Hei (5 MB, 34,600
characters) is more than a certificate needs; this keeps what names, the issuer
line and the fixed text can use:

- printable ASCII, Latin-1 punctuation, general punctuation (dashes, quotes, the
  middle dot of transliterated names);
- CJK symbols and punctuation, and fullwidth forms;
- every character of the CJK Unified Ideographs block (U+4E00–U+9FFF) the font has,
  which holds every hanzi of GB2312, GBK and Big5, so rare name characters such
  as 喆, 堃 or 玥 print too.

Hinting and layout tables are dropped (a PDF at print size does not need them).
Run: `python -m smm_playbook.tools.subset_cjk_font SOURCE [--out FILE]`.
SOURCE is the font file or collection (Debian's fonts-wqy-microhei package:
/usr/share/fonts/truetype/wqy/wqy-microhei.ttc); the result is written beside the
package's other fonts, and `fonts/README.md` records what was done.
"""

from __future__ import annotations

import argparse
import importlib.resources
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT_NAME = "WenQuanYiMicroHei-CJK.ttf"
RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2010, 0x205E),
    (0x3000, 0x303F),
    (0x4E00, 0x9FFF),
    (0xFF00, 0xFFEF),
)


def wanted(font: TTFont) -> list[int]:
    """The code points of RANGES that `font` can print."""
    available = set(font.getBestCmap())
    return sorted(
        c for low, high in RANGES for c in range(low, high + 1) if c in available
    )


def make(source: Path, out: Path) -> int:
    """Write the subset of `source` (face 0 of a collection) to `out`; return
    how many characters it covers."""
    font = TTFont(str(source), fontNumber=0)
    codes = wanted(font)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    font.save(str(out))
    return len(codes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    default = Path(str(importlib.resources.files("smm_playbook") / "fonts")) / OUT_NAME
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source} is not a font file.", file=sys.stderr)
        return 2
    count = make(args.source, args.out)
    size = args.out.stat().st_size / 2**20
    print(f"Wrote {args.out}: {count} characters, {size:.1f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
