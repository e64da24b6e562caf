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
