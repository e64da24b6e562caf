"""report_data.py - checks on `parley report`'s embedded data and charts.

usage: report_data.py html REPORT.html
       report_data.py svg-order FILE.svg COLOUR...
html: every engine, format, actor and issue of the data has a colour
(data.colours), distinct within its kind, and the page's script takes
every chart colour from there (no colour from a position in a list); the
forecasts and the trajectory record engine, canonical parameters, seed,
rounds and version.  svg-order: the first bars/lines of a PLplot SVG are
drawn in the given colours, in that order.  Prints FAIL lines; exit 1."""
import json
import re
import sys


def data_of(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="parley-data">(.*?)</script>', text, re.S)
    return text, json.loads(m.group(1).replace("<\\/", "</"))


def lab(hex_colour):
    """CIE L*a*b* (D65) of an sRGB colour '#rrggbb'."""
    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(hex_colour[k:k + 2], 16) / 255) for k in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(c1, c2):
    """The CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    import math
    (l1, a1, b1), (l2, a2, b2) = lab(c1), lab(c2)
    cb = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cb ** 7 / (cb ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360
    h2 = math.degrees(math.atan2(b2, a2)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = 0 if c1p * c2p == 0 else (h2 - h1 - 360 if h2 - h1 > 180 else
                                   h2 - h1 + 360 if h2 - h1 < -180 else h2 - h1)
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lb, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hb = h1 + h2
    elif abs(h1 - h2) <= 180:
        hb = (h1 + h2) / 2
    else:
        hb = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hb - 30)) + 0.24 * math.cos(math.radians(2 * hb))
         + 0.32 * math.cos(math.radians(3 * hb + 6)) - 0.20 * math.cos(math.radians(4 * hb - 63)))
    rt = (-math.sin(math.radians(60 * math.exp(-((hb - 275) / 25) ** 2)))
          * 2 * math.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7)))
    sl = 1 + 0.015 * (lb - 50) ** 2 / math.sqrt(20 + (lb - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2
                     + rt * (dc / sc) * (dhh / sh))


# Two series of one kind (two actors, two engines, ...) must be told apart:
# a CIEDE2000 difference of 20 or more (issue 17: USA and JPN were 15 apart)
MIN_DIFFERENCE = 20


def check_html(path):
    text, d = data_of(path)
    fails = []
    col = d.get("colours", {})
    lists = {
        "engine": d["forecasts"]["engines"],
        "format": [f["id"] for f in d["compare"]["forums"]]
        + [f["forum"] for f in d["forum_sweeps"]],
        "actor": [a["id"] for a in d["actors"]] + [a for t in d["trajectories"]["issues"]
                                                   for a in t["actors"]],
        "issue": [i["id"] for i in d["issues"]],
        "series": ["total ST", "first-order S", "forecast", "samples"],
    }
    for kind, names in lists.items():
        for n in dict.fromkeys(names):
            if n not in col.get(kind, {}):
                fails.append(f"colours.{kind} lacks {n}")
        own = list(dict.fromkeys(names))
        used = [col.get(kind, {}).get(n) for n in own]
        if kind != "series" and len(own) <= 10 and len(set(used)) != len(used):
            fails.append(f"colours.{kind}: two {kind}s share a colour: {col.get(kind)}")
        for i in range(len(own)):
            for j in range(i + 1, min(len(own), 10)):
                ci, cj = used[i], used[j]
                if ci and cj and ci != cj and ciede2000(ci, cj) < MIN_DIFFERENCE:
                    fails.append(f"colours.{kind}: {own[i]} {ci} and {own[j]} {cj} differ by "
                                 f"{ciede2000(ci, cj):.1f} < {MIN_DIFFERENCE} (CIEDE2000)")
    if col.get("series", {}).get("total ST") == col.get("series", {}).get("first-order S"):
        fails.append("the tornado's two indices share a colour")
    # the script's colours come from data.colours by kind and name only
    for m in re.finditer(r"colour\(([^)]*)\)", text):
        arg = m.group(1)
        if arg != "kind, key" and not re.match(r'"(engine|format|actor|issue|series)", ', arg):
            fails.append(f"report.js takes a colour from colour({arg})")
    runs = d["forecasts"].get("runs", [])
    if [r["engine"] for r in runs] != d["forecasts"]["engines"]:
        fails.append("forecasts.runs does not list the engines")
    for r in runs + [d["trajectories"]]:
        for k in ("engine", "params", "seed", "rounds", "dynamic"):
            if k not in r:
                fails.append(f"{r.get('engine')}: no {k}")
        rounds = r.get("rounds", [])
        if r.get("dynamic") and not (rounds and all(x >= 0 for x in rounds) and any(rounds)):
            fails.append(f"{r['engine']}: a dynamic engine with no rounds")
        if r.get("engine") == "eu" and "q=" not in r.get("params", ""):
            fails.append(f"eu's parameters are not canonical: {r.get('params')!r}")
    if not re.match(r"\d+\.\d+", str(d.get("parley", ""))):
        fails.append(f"no version in the data: {d.get('parley')!r}")
    return fails


def check_svg_order(path, colours):
    text = open(path, encoding="utf-8").read()
    drawn = [c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9A-Fa-f]{6})"', text)]
    drawn = [c for c in drawn if c != "#ffffff"]
    # black is the frame and text too: it counts only after the first series
    first = next((k for k, c in enumerate(drawn) if c != "#000000"), len(drawn))
    drawn = drawn[first:]
    if "#000000" not in colours:
        drawn = [c for c in drawn if c != "#000000"]
    seq = []
    for c in drawn:
        if not seq or seq[-1] != c:
            seq.append(c)
    want = [c.lower() for c in colours]
    if seq[: len(want)] != want:
        return [f"{path}: series drawn in {seq[:len(want)]}, wanted {want}"]
    return []


def main(argv):
    if len(argv) >= 3 and argv[1] == "html":
        fails = check_html(argv[2])
    elif len(argv) >= 4 and argv[1] == "svg-order":
        fails = check_svg_order(argv[2], argv[3:])
    else:
        print(__doc__)
        return 2
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
