#!/usr/bin/env python3
"""Slow clients: normal clients' latency with and without slowloris heads, slow bodies
and slow readers of a large image, against the release imagehookd on 127.0.0.1.

The daemon runs in simulator mode with short deadlines (header_timeout, body_timeout,
drain_timeout below) and one stored 1440x1440 image. Each phase lasts --seconds:
  baseline     wrk (normal clients: keep-alive GET /v1/tasks/<id> on the internal
               listener, plus GET /healthz on the public one) alone;
  slow         the same wrk run while a separate process keeps --slow-per-kind of each
               slow client busy: a slowloris head trickled a byte every 100 ms, a
               callback body trickled a byte every 100 ms (public listener), and a
               reader of the image taking 4 KiB every 100 ms through a 16 KiB receive
               buffer, asking for it 8 times pipelined (one image alone fits in the
               kernel's socket buffers). Each slow client reconnects as soon as it is
               cut. A reader reads slowly for drain_timeout + 1 s, then fast: the
               kernel still delivers its send buffer after the server's close, so
               a reader's "time to cut" is when that end of stream arrived.
With --pin (the default on 2 or more cores) the daemon runs on CPU 0 and every load
generator (wrk and the slow clients' process) on CPU 1, in both phases: on a small
machine the slow clients' own work (about a thousand sends a second) would otherwise take
CPU from the daemon, and the comparison would measure the load generator instead of the
daemon's isolation of slow peers.
Prints one markdown table (normal clients' req/s, p50, p99, max per phase; cuts per
kind with the median time to the cut). Asserts nothing about timing.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from loopback import free_port

DEADLINES = {"header_timeout": 2.0, "body_timeout": 2.0, "drain_timeout": 3.0}
# A slow reader's slow phase: past the drain deadline, with a second to spare.
READER_SLOW_PHASE = DEADLINES["drain_timeout"] + 1


def get(url, token=None, timeout=10):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


# -- slow clients (run in their own process: their threads must not share the normal
# -- clients' interpreter) ---------------------------------------------------------

def trickle(s, data, until):
    """Sends `data` a byte every 100 ms; True once the server answered or closed."""
    for byte in data:
        s.send(bytes([byte]))
        s.settimeout(0.1)
        try:
            s.recv(4096)
            return True
        except socket.timeout:
            pass
        if time.monotonic() >= until:
            return False
    return False


class WrongAnswer(Exception):
    pass


def slow_read(s):
    """Reads 4 KiB every 100 ms for READER_SLOW_PHASE seconds (past the drain deadline),
    then as fast as it can. After the server's cut the kernel still delivers what its
    send buffer held, so the cut shows as an end of stream soon after the fast phase
    starts, well before the 8 responses are complete; an uncut reader instead gets
    every byte and then waits on an open connection. True when cut."""
    started = time.monotonic()
    s.settimeout(10)
    received = 0
    while time.monotonic() - started < READER_SLOW_PHASE:
        data = s.recv(4096)
        if not data:
            return True
        if received == 0 and not data.startswith(b"HTTP/1.1 200 "):
            # Anything but the image (a 401 for a missing token, say) would make the
            # reader wait on a quiet connection and count as a cut: refuse that run.
            raise WrongAnswer(f"the image GET answered {data[:60]!r}")
        received += len(data)
        time.sleep(0.1)
    s.settimeout(2)
    try:
        while True:
            data = s.recv(1 << 20)
            if not data:
                return True
            received += len(data)
    except socket.timeout:
        return False


def slow_worker(kind, port, path, until, results, lock, token):
    while time.monotonic() < until:
        try:
            s = socket.socket()
            if kind == "reader":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
            s.settimeout(10)
            s.connect(("127.0.0.1", port))
        except OSError:
            time.sleep(0.1)
            continue
        started = time.monotonic()
        cut = False
        try:
            if kind == "loris":
                cut = trickle(s, b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: " + b"a" * 10000, until)
            elif kind == "body":
                s.send(f"POST {path} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                       f"Content-Length: 100000\r\n\r\n".encode())
                cut = trickle(s, b" " * 100000, until)
            else:
                # Pipelined: one image alone fits in the kernel's socket buffers
                # (up to 4 MiB on loopback), so the server's output would never back up.
                s.send(f"GET {path} HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n\r\n".encode() * 8)
                cut = slow_read(s)
        except WrongAnswer as wrong:
            with lock:
                results["wrong"].append(str(wrong))
            return
        except OSError:
            cut = True
        finally:
            s.close()
        if cut:
            with lock:
                results[kind].append(time.monotonic() - started)


def run_slow(args):
    until = time.monotonic() + args.seconds
    results = {"loris": [], "body": [], "reader": [], "wrong": []}
    lock = threading.Lock()
    threads = []
    targets = {"loris": (args.internal_port, "/healthz"), "body": (args.public_port, args.callback_path),
               "reader": (args.internal_port, args.image_path)}
    for kind, (port, path) in targets.items():
        for _ in range(args.slow_per_kind):
            t = threading.Thread(target=slow_worker, args=(kind, port, path, until, results, lock, args.token),
                                 daemon=True)
            t.start()
            threads.append(t)
    for t in threads:
        t.join(timeout=args.seconds + 15)
    print(json.dumps(results))


# -- the benchmark ---------------------------------------------------------------

DAEMON_CPUS = None
LOAD_CPUS = None


def pinned(cpus):
    """A preexec_fn that moves the child onto `cpus` (None: leave it where it is)."""
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def wrk(url, token, seconds, connections):
    out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{int(seconds)}s", "--latency",
                          "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, timeout=seconds + 60,
                         preexec_fn=pinned(LOAD_CPUS)).stdout
    if "Requests/sec" not in out:
        raise SystemExit(f"bench-slow-clients: wrk failed:\n{out}")

    def ms(text):
        if not re.match(r"[\d.]+(us|ms|s|m)", text):
            raise SystemExit(f"bench-slow-clients: cannot read wrk's figure {text!r} in:\n{out}")
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    p50 = ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    maximum = ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "max": maximum, "non2xx": int(errors.group(1)) if errors else 0}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir")
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--connections", type=int, default=16, help="wrk's normal connections")
    p.add_argument("--slow-per-kind", type=int, default=40)
    p.add_argument("--pin", action=argparse.BooleanOptionalAction, default=(os.cpu_count() or 1) >= 2,
                   help="daemon on CPU 0, load generators on CPU 1 (default on 2+ cores)")
    p.add_argument("--role", default="bench", help=argparse.SUPPRESS)
    p.add_argument("--internal-port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--public-port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--image-path", help=argparse.SUPPRESS)
    p.add_argument("--callback-path", help=argparse.SUPPRESS)
    p.add_argument("--token", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.role == "slow":
        return run_slow(args)
    global DAEMON_CPUS, LOAD_CPUS
    if args.pin:
        DAEMON_CPUS, LOAD_CPUS = {0}, {1}

    scratch = tempfile.mkdtemp(prefix="imagehook-slow-")
    data = os.path.join(scratch, "data")
    public_port, internal_port = free_port(), free_port()
    conf = os.path.join(scratch, "imagehook.conf")
    settings = {"public_listen": f"127.0.0.1:{public_port}", "internal_listen": f"127.0.0.1:{internal_port}",
                "provider": "simulator", "data_dir": data, "log_level": "error", "simulator_time_scale": "0.1",
                "readyz_min_free_bytes": "0", "max_connections": "4096", "write_timeout": "30s"}
    settings.update({k: f"{v}s" for k, v in DEADLINES.items()})
    with open(conf, "w") as f:
        f.write("".join(f"{k} = {v}\n" for k, v in settings.items()))
    log = open(os.path.join(scratch, "imagehookd.log"), "wb")
    daemon = subprocess.Popen([os.path.join(args.bin_dir, "imagehookd"), "serve", "--config", conf],
                              stdout=log, stderr=log, start_new_session=True, preexec_fn=pinned(DAEMON_CPUS))
    try:
        internal = f"http://127.0.0.1:{internal_port}"
        end = time.monotonic() + 30
        while True:
            try:
                if get(internal + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > end or daemon.poll() is not None:
                raise SystemExit("bench-slow-clients: the daemon did not become ready")
            time.sleep(0.1)
        token = open(os.path.join(data, "dev-token")).read().strip()
        body = json.dumps({"model": "wan2.5-text-to-image", "prompt": "slow clients", "size": "1440x1440", "n": 1}).encode()
        req = urllib.request.Request(internal + "/v1/images/generations", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                              "Idempotency-Key": "slow-clients-1"})
        task = json.loads(urllib.request.urlopen(req, timeout=30).read())
        end = time.monotonic() + 60
        image = None
        while image is None and time.monotonic() < end:
            view = json.loads(get(f"{internal}/v1/tasks/{task['id']}", token)[1])
            stored = [i for i in view.get("images", []) if i.get("state") == "stored"]
            image = stored[0] if stored else None
            time.sleep(0.3)
        if image is None:
            raise SystemExit("bench-slow-clients: the image was not stored within 60 s")
        size = image.get("bytes")
        normal_url = f"{internal}/v1/tasks/{task['id']}"
        # A callback path with a well-formed but unknown token: the body deadline runs
        # before the token is looked up (the body is read first).
        callback_path = "/v1/callbacks/" + hashlib.sha256(b"unknown").hexdigest()[:32]

        baseline = wrk(normal_url, token, args.seconds, args.connections)
        slow = subprocess.Popen([sys.executable, __file__, "--role", "slow", "--seconds", str(args.seconds + 2),
                                 "--slow-per-kind", str(args.slow_per_kind), "--internal-port", str(internal_port),
                                 "--public-port", str(public_port), "--image-path", image["url"],
                                 "--callback-path", callback_path, "--token", token],
                                stdout=subprocess.PIPE, text=True,
                                preexec_fn=pinned(LOAD_CPUS))
        time.sleep(1)
        loaded = wrk(normal_url, token, args.seconds, args.connections)
        cuts = json.loads(slow.communicate(timeout=args.seconds + 60)[0])
        if cuts["wrong"]:
            raise SystemExit(f"bench-slow-clients: slow clients got wrong answers: {cuts['wrong'][:3]}")
        rss = int(re.search(r"VmHWM:\s+(\d+)", open(f"/proc/{daemon.pid}/status").read()).group(1))

        print(f"\nnormal clients: wrk -t1 -c{args.connections} -d{args.seconds:g}s GET /v1/tasks/<id> (keep-alive); "
              f"slow clients: {args.slow_per_kind} of each kind; image {size} bytes; "
              f"deadlines header {DEADLINES['header_timeout']:g} s, body {DEADLINES['body_timeout']:g} s, "
              f"drain {DEADLINES['drain_timeout']:g} s; cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; "
              f"{'daemon on CPU 0, load generators on CPU 1' if args.pin else 'not pinned'}\n")
        print("| phase | req/s | p50 | p99 | max | non-2xx |")
        print("|---|---|---|---|---|---|")
        for name, r in (("normal clients alone", baseline), ("with slow clients", loaded)):
            print(f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['max']:.1f} ms | {r['non2xx']} |")
        print("\n| slow client | deadline | cuts | median time to cut | slowest cut |")
        print("|---|---|---|---|---|")
        for kind, label, deadline in (("loris", "slowloris head", "header_timeout"), ("body", "slow body", "body_timeout"),
                                      ("reader", "slow image reader", "drain_timeout")):
            times = cuts[kind]
            median = f"{statistics.median(times):.2f} s" if times else "-"
            slowest = f"{max(times):.2f} s" if times else "-"
            print(f"| {label} | {DEADLINES[deadline]:g} s | {len(times)} | {median} | {slowest} |")
        print(f"\ndaemon peak RSS {rss / 1024:.1f} MiB")
    finally:
        daemon.kill()
        daemon.wait(timeout=10)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
