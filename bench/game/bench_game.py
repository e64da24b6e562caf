#!/usr/bin/env python3
"""bench_game.py - time parley's game solvers against Gambit's command-line
tools on the same games, in the same run.

usage: bench_game.py PARLEY GAMBIT_BIN_DIR [--repeat N] [--seed S] [--callgrind SECONDS]
                     [--only WORD[,WORD...]]

Gambit is not built here: pass the directory holding gambit-enummixed,
gambit-lcp, gambit-enumpure and gambit-lp.  Each command runs N times
(default 7); the median CPU time (user + system) of the whole process
(reading the file, solving, printing) is reported, with the ratio Gambit / parley.  The
games are generated from the seed, so a run can be repeated exactly.  Both
sides must report the same equilibria (the script checks it) for a timing
to count.  With --callgrind SECONDS, both whole processes are also run once
under valgrind's callgrind (--trace-children=no: the dynamic loader's work
counted, the machine's load not) where Gambit's median CPU is below
SECONDS, and the table gives both instruction counts and their ratio;
/bin/true's count, the floor of any process, is printed first.  With
--only, only the rows whose game or solver name contains one of the words
are run (the games are generated all the same, so the seed gives the same
games as a full run).
"""
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile


def write_table(path, nstrat, rng, lo, hi, zero_sum=False):
    cells = 1
    for n in nstrat:
        cells *= n
    vals = []
    for _ in range(cells):
        if zero_sum:
            a = rng.randint(lo, hi)
            vals += [a, -a]
        else:
            vals += [rng.randint(lo, hi) for _ in nstrat]
    with open(path, "w") as f:
        f.write('NFG 1 R "bench" { %s } { %s }\n' % (
            " ".join('"P%d"' % (i + 1) for i in range(len(nstrat))),
            " ".join(str(n) for n in nstrat)))
        f.write(" ".join(str(v) for v in vals) + "\n")


def write_tree(path, depth, rng):
    """A perfect-information binary tree, players alternating, with chance
    at every third level."""
    lines = ['EFG 2 R "bench tree" { "P1" "P2" }', '""', ""]
    iset = [0, 0, 0]
    outc = [0]

    def node(d):
        if d == depth:
            outc[0] += 1
            lines.append('t "" %d "" { %d, %d }' % (outc[0], rng.randint(0, 10**6),
                                                   rng.randint(0, 10**6)))
            return
        if d % 3 == 2:
            iset[0] += 1
            lines.append('c "" %d "" { "h" 1/3 "t" 2/3 } 0' % iset[0])
        else:
            pl = 1 + d % 2
            iset[pl] += 1
            lines.append('p "" %d %d "" { "a" "b" } 0' % (pl, iset[pl]))
        node(d + 1)
        node(d + 1)
    node(0)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def timed(cmd, repeat):
    """Median CPU time (user + system) of the child process: the machine is
    shared, so wall-clock time wobbles with the load and CPU time does not."""
    times, out = [], None
    for _ in range(repeat):
        t0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        t1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(t1.ru_utime - t0.ru_utime + t1.ru_stime - t0.ru_stime)
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
        out = r.stdout
    return statistics.median(times), out


def instructions(cmd):
    """Instructions of the whole process cmd (callgrind's count)."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=no",
                        "--callgrind-out-file=/dev/null"] + cmd, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if r.returncode != 0 or not m:
        raise RuntimeError("callgrind: %s: %s" % (" ".join(cmd), r.stderr[-500:]))
    return int(m.group(1))


def ne_set(text, decimals=None):
    rows = []
    for line in text.splitlines():
        if line.startswith("NE,"):
            vals = line[3:].split(",")
            if decimals:
                vals = [round(float(v), decimals) for v in vals]
            rows.append(tuple(vals))
    return sorted(rows)


def same_where_defined(ours, theirs):
    """Gambit prints all zeros at an information set a pure strategy never
    reaches; those entries are not compared."""
    if len(ours) != len(theirs):
        return False
    left = list(ours)
    for g in theirs:
        hit = next((p for p in left if all(a == b or a == "0" for a, b in zip(g, p))), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    parley, gbin = args[0], args[1]
    repeat, seed, cg, only = 7, 2026, 0.0, None
    for i in range(2, len(args) - 1):
        if args[i] == "--repeat":
            repeat = int(args[i + 1])
        if args[i] == "--seed":
            seed = int(args[i + 1])
        if args[i] == "--callgrind":
            cg = float(args[i + 1])
        if args[i] == "--only":
            only = args[i + 1].split(",")
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="parley-bench-game-")
    G = lambda t: os.path.join(gbin, t)
    cases = []
    for n in (4, 6, 8):
        p = os.path.join(tmp, "bimatrix%d.nfg" % n)
        write_table(p, [n, n], rng, 0, 10**6)
        cases.append(("%dx%d bimatrix" % (n, n), p, "enummixed", [G("gambit-enummixed"), "-q", p], None))
        cases.append(("%dx%d bimatrix" % (n, n), p, "lh", [G("gambit-lcp"), "-q", p], None))
    for n in (12, 16):
        p = os.path.join(tmp, "bimatrix%d.nfg" % n)
        write_table(p, [n, n], rng, 0, 10**6)
        cases.append(("%dx%d bimatrix" % (n, n), p, "lh", [G("gambit-lcp"), "-q", p], None))
    p = os.path.join(tmp, "bimatrix100.nfg")
    write_table(p, [100, 100], rng, 0, 10**6)
    cases.append(("100x100 bimatrix", p, "pure", [G("gambit-enumpure"), "-q", p], None))
    p = os.path.join(tmp, "three.nfg")
    write_table(p, [12, 12, 12], rng, 0, 20)
    cases.append(("12x12x12, 3 players", p, "pure", [G("gambit-enumpure"), "-q", p], None))
    for n in (10, 50):
        p = os.path.join(tmp, "zerosum%d.nfg" % n)
        write_table(p, [n, n], rng, -100, 100, zero_sum=True)
        cases.append(("%dx%d zero-sum" % (n, n), p, "lp", [G("gambit-lp"), "-q", "-d", "6", p], 4))
    p = os.path.join(tmp, "tree.efg")
    write_tree(p, 6, rng)
    cases.append(("tree, 127 nodes (reduced form)", p, "pure", [G("gambit-enumpure"), "-q", p], None))
    for depth in (5, 7):
        p = os.path.join(tmp, "tree%d.efg" % depth)
        write_tree(p, depth, rng)
        cases.append(("tree, %d nodes (sequence form)" % (2 ** (depth + 1) - 1), p, "seqform",
                      [G("gambit-lcp"), "-q", p], None))
    # imperfect information and chance: the fixture the tests pin to
    # gambit-lcp's equilibrium (a random tree, 96 information sets)
    p = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "game",
                     "data", "imperfect.efg")
    cases.append(("tree, 279 nodes, imperfect information (sequence form)", p, "seqform",
                  [G("gambit-lcp"), "-q", p], None))
    p = os.path.join(tmp, "logit6.nfg")
    write_table(p, [6, 6], rng, 0, 10**6)
    cases.append(("6x6 bimatrix", p, "logit", [G("gambit-logit"), "-e", "-q", "-d", "10", p], 3))

    # Each process pays a start-up cost (loading shared libraries) that has
    # nothing to do with the solver: measure it on a 2x2 game and report the
    # ratio of the work above it too.
    p = os.path.join(tmp, "tiny.nfg")
    write_table(p, [2, 2], rng, 0, 10)
    fp, _ = timed([parley, "game", "solve", p, "--solver", "pure", "--format", "gambit"], 15)
    fg, _ = timed([G("gambit-enumpure"), "-q", p], 15)
    ft, _ = timed(["/bin/true"], 15)
    print("start-up on a 2x2 game: parley %.4f s, Gambit %.4f s (CPU); /bin/true %.4f s%s\n" % (
        fp, fg, ft, ", %s instructions" % format(instructions(["/bin/true"]), ",") if cg else ""))
    print("| game | parley solver | Gambit tool | parley CPU (s) | Gambit CPU (s) | Gambit / parley | above start-up | same equilibria | parley instructions | Gambit instructions | Gambit / parley instructions |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, path, solver, gcmd, dec in cases:
        if only and not any(w in name or w == solver for w in only):
            continue
        pcmd = [parley, "game", "solve", path, "--solver", solver, "--format", "gambit"]
        try:
            tp, po = timed(pcmd, repeat)
            tg, go = timed(gcmd, repeat)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print("| %s | %s | %s | error: %s |" % (name, solver, os.path.basename(gcmd[0]), e))
            continue
        if dec:
            same = ne_set(po, dec) == ne_set(go, dec)
        elif path.endswith(".efg") and solver == "pure":
            same = same_where_defined(ne_set(po), ne_set(go))
        else:
            same = ne_set(po) == ne_set(go)
        above = "%.2f" % ((tg - fg) / (tp - fp)) if tp - fp > 0.002 and tg - fg > 0 else "-"
        ins = "- | - | -"
        if cg and tg < cg:
            pi, gi = instructions(pcmd), instructions(gcmd)
            ins = "%s | %s | %.1f" % (format(pi, ","), format(gi, ","), gi / pi)
        print("| %s | %s | %s | %.4f | %.4f | %.2f | %s | %s | %s |" % (
            name, solver, os.path.basename(gcmd[0]), tp, tg, tg / tp, above,
            "yes" if same else "NO", ins), flush=True)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
