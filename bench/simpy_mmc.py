#!/usr/bin/python3
"""The M/M/c reference in SimPy 2 (Debian 12's python3-simpy, SimPy 2.3.1, classic API).

Poisson arrivals at rate LAMBDA, c identical servers (one Resource of capacity c, FIFO
queue, unmonitored), exponential service of rate MU, drawn when service starts, as in
stratus. Runs CUSTOMERS arrivals to completion and prints one JSON object: customers per
second of wall time, the mean response (sojourn) time and the Erlang C value it should
approach.

Run it with Debian's interpreter (/usr/bin/python3), which is the one that sees the
python3-simpy package:

    /usr/bin/python3 bench/simpy_mmc.py --lam 3.2 --mu 1 --c 4 --customers 300000
    /usr/bin/python3 bench/simpy_mmc.py --lam 3.2 --mu 1 --c 4 --theory   # Erlang C only
"""
import argparse
import json
import math
import random
import sys
import time


def erlang_c(lam, mu, c):
    """P(wait) and mean response time of M/M/c (requires lam < c mu)."""
    a = lam / mu
    rho = a / c
    if rho >= 1:
        return 1.0, math.inf
    top = a ** c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
    return p_wait, 1 / mu + p_wait / (c * mu - lam)


def simulate_mmc(lam, mu, c, customers, seed):
    from SimPy.Simulation import (Process, Resource, activate, hold, initialize, now,
                                  release, request, simulate)

    rng = random.Random(seed)
    arrival_gap = rng.expovariate
    service = rng.expovariate
    stats = {"n": 0, "sum": 0.0, "waited": 0}
    servers = Resource(capacity=c, name="servers", monitored=False)

    class Customer(Process):
        def visit(self):
            arrived = now()
            yield request, self, servers
            if now() > arrived:
                stats["waited"] += 1
            yield hold, self, service(mu)
            yield release, self, servers
            stats["n"] += 1
            stats["sum"] += now() - arrived

    class Source(Process):
        def generate(self):
            for _ in range(customers):
                customer = Customer()
                activate(customer, customer.visit())
                yield hold, self, arrival_gap(lam)

    start = time.perf_counter()
    initialize()
    source = Source()
    activate(source, source.generate())
    simulate(until=1e300)
    wall = time.perf_counter() - start
    if stats["n"] != customers:
        raise SystemExit("simpy_mmc: %d of %d customers finished" % (stats["n"], customers))
    return wall, stats


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lam", type=float, default=3.2, help="arrival rate (per second)")
    p.add_argument("--mu", type=float, default=1.0, help="service rate of one server")
    p.add_argument("--c", type=int, default=4, help="servers")
    p.add_argument("--customers", type=int, default=300000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--theory", action="store_true", help="print Erlang C only")
    args = p.parse_args()

    p_wait, response = erlang_c(args.lam, args.mu, args.c)
    out = {"lam": args.lam, "mu": args.mu, "c": args.c,
           "erlang_c_p_wait": p_wait, "erlang_c_mean_response_s": response}
    if not args.theory:
        import SimPy
        wall, stats = simulate_mmc(args.lam, args.mu, args.c, args.customers, args.seed)
        out.update({
            "simpy_version": getattr(SimPy, "__version__", "?"),
            "python": sys.version.split()[0],
            "customers": stats["n"],
            "wall_seconds": wall,
            "customers_per_second": stats["n"] / wall,
            "mean_response_s": stats["sum"] / stats["n"],
            "p_wait": stats["waited"] / stats["n"],
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main()
