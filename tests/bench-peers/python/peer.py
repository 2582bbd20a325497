"""The Python peer of `cdx-bench`: the cdx/v1 calls a Python user makes with `requests`.

One `requests.Session` (keep-alive, basic auth, `Accept: application/json`), `.json()` on each
response, and for listing a loop that follows `metadata.next` and extends a list.

Two modes:
- a worker for `cdx-bench` (no arguments): reads `OP N` lines on stdin (OP: redeem,
  token_inspect, get_consumer_share, list), performs N operations, and answers each with one
  JSON line {"op","n","ns","cpu_ns","items","maxrss_kib"} or {"error"};
- `peer.py list-json`: what a user's script does: list every consumer share and print them
  as one JSON array on stdout (the whole-process comparison with `cdx consumer share list`).

The server URL, the API key and secret, and the share token come from the environment
(CDX_BENCH_URL, CDX_BENCH_KEY, CDX_BENCH_SECRET, CDX_BENCH_TOKEN), never from argv.
"""

import json
import os
import resource
import sys
import time

import requests


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"peer.py: {name} is not set")
    return value


class Peer:
    def __init__(self):
        self.base = env("CDX_BENCH_URL").rstrip("/")
        self.session = requests.Session()
        self.session.auth = (env("CDX_BENCH_KEY"), env("CDX_BENCH_SECRET"))
        self.session.headers["Accept"] = "application/json"
        self.token = os.environ.get("CDX_BENCH_TOKEN", "")

    def _json(self, response):
        response.raise_for_status()
        return response.json()

    def redeem(self):
        body = self._json(
            self.session.post(f"{self.base}/cdx/v1/shared-tokens:redeem", json={"token": self.token}, timeout=30)
        )
        if not body.get("api_key") or "resources" not in body:
            raise ValueError("redeem: no api_key or resources")
        return len(body["resources"])

    def token_inspect(self):
        body = self._json(
            self.session.post(f"{self.base}/cdx/v1/shared-tokens:resources", json={"token": self.token}, timeout=30)
        )
        return len(body["consumer_shared_resources"])

    def get_consumer_share(self):
        body = self._json(self.session.get(f"{self.base}/cdx/v1/consumer-shares/ss-00042", timeout=30))
        if body.get("id") != "ss-00042":
            raise ValueError("get consumer share: wrong id")
        return 1

    def shares(self):
        shares = []
        url, params = f"{self.base}/cdx/v1/consumer-shares", {"page_size": 100}
        for _ in range(1000):
            page = self._json(self.session.get(url, params=params, timeout=30))
            shares.extend(page.get("data") or [])
            url = (page.get("metadata") or {}).get("next")
            if not url:
                return shares
            params = None  # `next` is the whole URL
        raise ValueError("list: more than 1000 pages")

    def list(self):
        return len(self.shares())


def cpu_ns():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return int((r.ru_utime + r.ru_stime) * 1e9)


def worker(peer):
    ops = {
        "redeem": peer.redeem,
        "token_inspect": peer.token_inspect,
        "get_consumer_share": peer.get_consumer_share,
        "list": peer.list,
    }
    for line in sys.stdin:
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "quit":
            return
        if len(fields) != 2 or fields[0] not in ops or not fields[1].isdigit() or not 1 <= int(fields[1]) <= 1000000:
            answer = {"error": f"expected `OP N`, got {line.strip()!r}"}
        else:
            op, n = ops[fields[0]], int(fields[1])
            ns, items = [], 0
            cpu0 = cpu_ns()
            try:
                for _ in range(n):
                    t = time.perf_counter_ns()
                    items = op()
                    ns.append(time.perf_counter_ns() - t)
                answer = {
                    "op": fields[0],
                    "n": n,
                    "ns": ns,
                    "cpu_ns": cpu_ns() - cpu0,
                    "items": items,
                    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                }
            except Exception as e:  # reported to the driver, which stops
                answer = {"error": f"{fields[0]}: {type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    peer = Peer()
    if sys.argv[1:] == ["list-json"]:
        # `dumps`, compact: json's C encoder. (`json.dump` to a file, or `indent=2` to print the
        # very bytes `cdx ... -o json` prints, take json's pure-Python encoder: seconds more.)
        sys.stdout.write(json.dumps(peer.shares()))
        sys.stdout.write("\n")
    elif not sys.argv[1:]:
        worker(peer)
    else:
        sys.exit("usage: peer.py [list-json]")


if __name__ == "__main__":
    main()
