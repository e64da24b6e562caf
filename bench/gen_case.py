#!/usr/bin/env python3
"""gen_case.py - a synthetic case of N actors on D issues for the scaling
benchmarks (issue 18): KTAB's CSV layout (Actor, Description, Power, then a
position and a salience per issue, each on 0-100), numbers from a seeded
generator so that every run of the benchmark reads the same file.
usage: gen_case.py N [D] [SEED] > case.csv"""
import random
import sys

n = int(sys.argv[1])
d = int(sys.argv[2]) if len(sys.argv) > 2 else 1
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else n)
print("synthetic-%d-%d,synthetic case for benchmarks,%d,%d" % (n, d, n, d))
print("Actor,Description,Power," + ",".join("I%d Position,I%d Salience" % (k, k) for k in range(d)))
for a in range(n):
    cells = []
    for _ in range(d):
        cells.append("%.2f" % rng.uniform(0, 100))
        cells.append("%.1f" % rng.uniform(10, 100))
    print("a%d,,%d,%s" % (a, rng.randint(1, 100), ",".join(cells)))
