"""Rebuild the shipped CJK font subset ``data/fonts/JixiaoSansSC-Regular.otf`` (maintainers only).

The plots of ``jixiao corpus report`` and the notebooks need a font with Chinese glyphs. Users and CI
have no system CJK font, so the package ships a subset of **Noto Sans CJK SC Regular** (SIL Open Font
License 1.1, © 2014-2021 Adobe; see ``data/fonts/OFL.txt``) renamed ``Jixiao Sans SC`` as the OFL asks of
modified versions. The subset holds ASCII, Latin-1, general punctuation, CJK symbols and full-width
forms, all GB2312 hanzi, and every character of the corpus sources.

Run (needs the full font, e.g. Debian ``fonts-noto-cjk``)::

    python -m jixiao.research.make_font /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FAMILY = "Jixiao Sans SC"
PS_NAME = "JixiaoSansSC-Regular"
FILE_NAME = "JixiaoSansSC-Regular.otf"


def charset(corpus_root: Path | None) -> set[int]:
    cps: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    cps |= set(range(0x2000, 0x2070)) | set(range(0x2100, 0x2200)) | set(range(0x2460, 0x24FF))
    cps |= set(range(0x2500, 0x2580)) | set(range(0x25A0, 0x2600))
    cps |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    # every GB2312 character (6763 hanzi + symbols)
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            cps.add(ord(ch))
    if corpus_root is not None and corpus_root.is_dir():
        for p in corpus_root.rglob("*"):
            if p.suffix in {".txt", ".json", ".jsonl", ".md", ".toml"} and p.is_file():
                cps |= {ord(c) for c in p.read_text(encoding="utf-8", errors="ignore")}
    return {c for c in cps if c >= 0x20}


def build(src: Path, out: Path, font_number: int = 2, corpus_root: Path | None = None) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(src), fontNumber=font_number) if src.suffix.lower() == ".ttc" else TTFont(str(src))
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False
    sub = subset.Subsetter(options=opts)
    cmap = font.getBestCmap()
    wanted = sorted(c for c in charset(corpus_root) if c in cmap)
    sub.populate(unicodes=wanted)
    sub.subset(font)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            rec.string = FAMILY
        elif rec.nameID == 3:
            rec.string = f"{PS_NAME};subset of NotoSansCJKsc-Regular 2.004"
        elif rec.nameID == 6:
            rec.string = PS_NAME
        elif rec.nameID == 17:
            rec.string = "Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [PS_NAME]
        top = cff.topDictIndex[0]
        top.FullName = FAMILY
        top.FamilyName = FAMILY
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    print(f"{out}: {len(wanted)} characters, {out.stat().st_size / 1e6:.2f} MB")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf")
    ap.add_argument("--font-number", type=int, default=2, help="index in a .ttc (2 = Noto Sans CJK SC)")
    ap.add_argument("--corpus", type=Path, default=Path("corpora"), help="corpus folder whose characters are kept")
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "fonts" / FILE_NAME)
    a = ap.parse_args(argv)
    build(a.source, a.out, a.font_number, a.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
