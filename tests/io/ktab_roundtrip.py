#!/usr/bin/env python3
"""Property test of KTAB CSV through the parley command: random cases whose
names hold commas, quotes, spaces at the ends, '$', '&', ';', tabs and UTF-8
go JSON -> `parley convert --to ktab` -> `parley convert` back to JSON, and
the forecasts of the original, of the KTAB file and of the JSON read back
are the same bytes (smp, compromise and median).  Each actor's saliences add
up to at most 100 and its capability is at most 10^8, as KTAB's reader needs
(both limits are reached now and then).  The same cases with a line break,
"$$" or "&quot;" put into one name, saliences over 100 or a capability over
10^8 are refused with exit status 2 naming that field, and no file is
written; with --rescale the refused numbers are divided instead, said so, and
the compromise and median forecasts are kept; with an id other than the one
KTAB CSV derives from the title, the conversion says so and the forecasts
still agree but for the case's id and hash.

usage: ktab_roundtrip.py PARLEY [CASES] [SEED]   (default 40 cases, seed 1)
"""
import json
import os
import random
import subprocess
import sys
import tempfile

PIECES = list("abcdefghijKLMNOPQ0123456789") + [
    " ", ",", "\"", ";", "'", "$", "&", "_", "-", ".", "{", "[", "\t", "#",
    "é", "ß", "中", "文", "—", "🙂", "\u00a0", "&amp;", "Position", "\"\""]


def text(rng, lo, hi):
    s = "".join(rng.choice(PIECES) for _ in range(rng.randint(lo, hi)))
    # the two sequences KTAB's reader rewrites are for the refusal cases
    while "$$" in s or "&quot;" in s:
        s = s.replace("$$", "$a").replace("&quot;", "&qu0t;")
    return s


def slug(label):
    """parley's id from a name (src/io/read.c, pl__slug)."""
    out, dash = "", False
    for b in label.encode():
        c = chr(b)
        if b < 128 and c.isalnum():
            if len(out) + (1 if dash and out else 0) + 1 > 64:
                break
            if dash and out:
                out += "-"
            dash = False
            out += c.lower()
        else:
            dash = True
    return out or "x"


def number(rng, lo, hi):
    v = round(rng.uniform(lo, hi), rng.choice([0, 1, 2]))
    return int(v) if v == int(v) else v


def saliences(rng, n):
    """n saliences that add up to at most 100 as KTAB's reader adds them
    (doubles, in file order); now and then exactly 100."""
    sal = [number(rng, 1, 100 / n - 0.01) for _ in range(n)]
    if rng.random() < 0.25:
        rest = round(100 - sum(sal[:-1]), 2)
        sal[-1] = int(rest) if rest == int(rest) else rest
        total = 0.0
        for v in sal:
            total += float(v)
        if total > 100:  # the decimals add up to 100, their doubles do not
            sal[-1] = round(sal[-1] - 0.01, 2)
    return sal


def capability(rng):
    return 100000000 if rng.random() < 0.1 else number(rng, 1, 1000)


def make_case(rng):
    title = text(rng, 1, 30)
    case = {"id": slug(title), "title": title, "issues": [], "actors": []}
    if rng.random() < 0.8:
        case["description"] = text(rng, 1, 60)  # "" is written as none
    issue_ids = set()
    for _ in range(rng.randint(1, 3)):
        name = text(rng, 1, 20)
        while slug(name) in issue_ids:
            name = text(rng, 1, 20)
        issue_ids.add(slug(name))
        case["issues"].append({"id": slug(name), "name": name})
    actor_ids = set()
    for _ in range(rng.randint(2, 6)):
        aid = "".join(rng.choice("ABCXYZ019_-.") for _ in range(rng.randint(1, 25)))
        if aid in actor_ids:
            continue
        actor_ids.add(aid)
        sal = saliences(rng, len(case["issues"]))
        stances = {i["id"]: {"position": number(rng, 0, 100), "salience": sal[k]}
                   for k, i in enumerate(case["issues"])}
        case["actors"].append({"id": aid, "name": text(rng, 1, 40),
                               "capability": capability(rng), "stances": stances})
    if len(case["actors"]) < 2:
        return make_case(rng)
    return case


def run(*args):
    return subprocess.run(list(args), capture_output=True)


class Check:
    def __init__(self):
        self.failures = 0

    def __call__(self, ok, what, detail=b""):
        if not ok:
            self.failures += 1
            sys.stdout.write("FAIL: %s\n" % what)
            if detail:
                sys.stdout.write(detail.decode("utf-8", "replace")[:2000] + "\n")


def forecasts(parley, path):
    """The JSON forecasts, less the hash of the input file's bytes (which
    differ between formats by design: the case hash must not)."""
    out = []
    for engine in ("smp", "compromise", "median"):
        r = run(parley, "forecast", path, "--engine", engine, "--format", "json")
        if r.returncode != 0:
            return None, r.stderr
        doc = json.loads(r.stdout)
        doc["case"].pop("input_sha256", None)
        out.append(json.dumps(doc, sort_keys=True))
    return out, b""


def outcomes_only(fc):
    """The forecasts without the case's id and hash."""
    res = []
    for raw in fc:
        doc = json.loads(raw)
        res.append(json.dumps([r["outcomes"] for r in doc["results"]]))
    return res


def lossless(parley, case, d, k, check):
    src, ktab, back = (os.path.join(d, f) for f in ("c.json", "c.ktab.csv", "back.json"))
    with open(src, "w", encoding="utf-8") as f:
        json.dump(case, f, ensure_ascii=bool(k % 2))
    r = run(parley, "convert", src, ktab, "--to", "ktab")
    check(r.returncode == 0, "case %d: convert to KTAB CSV exits %d" % (k, r.returncode),
          r.stderr)
    check(b"does not hold" not in r.stderr, "case %d: convert says something is lost" % k,
          r.stderr)
    if r.returncode:
        return
    r = run(parley, "convert", ktab, back)
    check(r.returncode == 0, "case %d: KTAB CSV does not read back" % k, r.stderr)
    if r.returncode:
        return
    f0, e0 = forecasts(parley, src)
    f1, e1 = forecasts(parley, ktab)
    f2, e2 = forecasts(parley, back)
    check(f0 is not None and f1 is not None and f2 is not None,
          "case %d: a forecast failed" % k, e0 + e1 + e2)
    if f0 is not None:
        check(f0 == f1, "case %d: forecast of the KTAB CSV differs" % k,
              open(ktab, "rb").read())
        check(f0 == f2, "case %d: forecast of the JSON read back differs" % k,
              open(back, "rb").read())


def refused(parley, case, d, k, rng, check):
    bad = json.loads(json.dumps(case))
    what = rng.choice(["title", "issue", "actor", "number"])
    poison = rng.choice(["\n", "\r\n", "$$", "&quot;"])
    if what == "number":
        a = rng.randrange(len(bad["actors"]))
        actor = bad["actors"][a]
        if len(actor["stances"]) == 1 or rng.random() < 0.5:
            poison = "a capability over 10^8"
            actor["capability"] = rng.choice([100000000.5, 100000001, 1e9])
            field = "$.actors[%d].capability" % a
        else:
            poison = "saliences over 100"
            st = actor["stances"][rng.choice(list(actor["stances"]))]
            st["salience"] = 100  # the others are at least 1
            field = "$.actors[%d]" % a
    elif what == "title":
        bad["title"] += poison
        field = "$.title"
    elif what == "issue":
        i = rng.randrange(len(bad["issues"]))
        bad["issues"][i]["name"] = poison + bad["issues"][i]["name"]
        field = "$.issues[%d].name" % i
    else:
        a = rng.randrange(len(bad["actors"]))
        n = bad["actors"][a]["name"]
        cut = rng.randint(0, len(n))
        bad["actors"][a]["name"] = n[:cut] + poison + n[cut:]
        field = "$.actors[%d].name" % a
    src, ktab = os.path.join(d, "bad.json"), os.path.join(d, "bad.ktab.csv")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(bad, f)
    r = run(parley, "convert", src, ktab, "--to", "ktab")
    check(r.returncode == 2, "case %d: %r in %s: exit %d, want 2" % (k, poison, field,
                                                                   r.returncode), r.stderr)
    check((": %s: " % field).encode() in r.stderr,
          "case %d: the error does not name %s" % (k, field), r.stderr)
    check(not os.path.exists(ktab), "case %d: a refused conversion wrote a file" % k)
    if what == "number":
        rescaled(parley, src, d, k, poison, check)


def forecast_values(parley, path, engine):
    r = run(parley, "forecast", path, "--engine", engine, "--format", "csv")
    if r.returncode != 0:
        return None
    rows = [line for line in r.stdout.decode().splitlines()
            if line and not line.startswith("#")]
    return [float(line.split(",")[2]) for line in rows[1:]]  # after the header


def rescaled(parley, src, d, k, poison, check):
    """The refused numbers with --rescale: written, said so, nothing else lost,
    written again without --rescale, and the compromise and median forecasts
    kept (to rounding: the divided numbers have 15 digits)."""
    ktab, again = os.path.join(d, "r.ktab.csv"), os.path.join(d, "r2.ktab.csv")
    r = run(parley, "convert", src, ktab, "--to", "ktab", "--rescale")
    check(r.returncode == 0 and b"divided by" in r.stderr and b"does not hold" not in r.stderr,
          "case %d: %s with --rescale: exit %d" % (k, poison, r.returncode), r.stderr)
    if r.returncode:
        return
    r = run(parley, "convert", ktab, again, "--to", "ktab")
    check(r.returncode == 0, "case %d: the rescaled file is not written again" % k, r.stderr)
    for engine in ("compromise", "median"):
        a, b = forecast_values(parley, src, engine), forecast_values(parley, ktab, engine)
        check(a is not None and b is not None and len(a) == len(b) and
              all(abs(x - y) <= 1e-6 * max(1.0, abs(x)) for x, y in zip(a, b)),
              "case %d: --rescale changed the %s forecast: %s, %s" % (k, engine, a, b))


def other_id(parley, case, d, k, check):
    odd = json.loads(json.dumps(case))
    odd["id"] = "case-%d_X" % k
    src, ktab = os.path.join(d, "odd.json"), os.path.join(d, "odd.ktab.csv")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(odd, f)
    r = run(parley, "convert", src, ktab, "--to", "ktab")
    check(r.returncode == 0 and b"case id" in r.stderr,
          "case %d: an id KTAB CSV cannot hold is not reported" % k, r.stderr)
    if r.returncode == 0:
        f0, _ = forecasts(parley, src)
        f1, _ = forecasts(parley, ktab)
        check(f0 is not None and f1 is not None and outcomes_only(f0) == outcomes_only(f1),
              "case %d: forecasts differ once the id is set aside" % k)


def main():
    parley = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    check = Check()
    with tempfile.TemporaryDirectory() as d:
        for k in range(n):
            case = make_case(rng)
            lossless(parley, case, d, k, check)
            refused(parley, case, d, k, rng, check)
            if k % 4 == 0:
                other_id(parley, case, d, k, check)
    print("%d random cases (seed %d): %d failures" % (n, seed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
