#!/usr/bin/env python3
"""Soak: the release imagehookd against evolink-sim with faults on, under mixed traffic.

Everything runs on 127.0.0.1: evolink-sim (the provider, faults on), nginx (the TLS
front for callbacks and result links, as in the system tests) and imagehookd in
provider mode. A load driver (threads in this process, bounded in time and in request
count) sends:
  - submits (unique Idempotency-Keys, some replayed, some with a relay callback_url);
  - callbacks of its own, copied from the ones the provider sent through the front:
    exact duplicates and stale "processing" bodies sent after the terminal one
    (reordering), on top of the simulator's own duplicated, stale, late and dropped
    callbacks;
  - task queries (one task, lists), ledger and metrics reads;
  - image GETs of stored images (body hash checked, some conditional).

Every --sample-seconds it samples the daemon's RSS, open descriptors, threads, database
size (main file, WAL, shared memory) and the ledger into soak.csv, and draws soak.svg.

Pass/fail (exit status 1 on failure), on the samples after the warm-up (the first
--warmup-fraction of the run):
  bounded   for RSS, descriptors and threads: the largest value in the last quarter
            of the samples is at most --growth-factor (1.25) times the largest in the
            first quarter plus an absolute slack (RSS 16 MiB, 16 descriptors, 8
            threads; Dispatch starts worker threads on demand up to its own cap).
            The database grows with the work by design (journal rows and
            tasks are kept; README "Known limits"), so for it the same test is applied
            to database bytes (main file + WAL) per submitted task (slack 4 KiB). The
            WAL alone has a hard bound instead: the store checkpoints every 10,000
            pages (40 MiB) and truncates the log back to 64 MiB, so every sample's WAL
            must stay under --wal-limit-mib (72).
  ledger    after the load stops and the daemon has settled (bounded wait): the daemon
            says balanced, and recomputed here: callbacks received = applied + duplicate
            + rejected; images expected = stored + failed + expired + in flight, with
            nothing in flight.
  traffic   no image GET returned bytes other than its hash; no request to the daemon
            answered 5xx other than 503 while the daemon was not ready.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from loopback import free_port

SAMPLE_FIELDS = ["minute", "rss_kib", "fds", "threads", "db_bytes", "wal_bytes", "shm_bytes",
                 "images_on_disk", "tasks_submitted", "requests", "callbacks_received", "callbacks_applied",
                 "callbacks_duplicate", "callbacks_rejected", "images_expected", "images_stored",
                 "images_failed", "images_expired", "images_in_flight", "balanced"]

# Absolute slack of the growth test, per measure (see the module doc).
SLACK = {"rss_kib": 16 * 1024, "fds": 16, "threads": 8, "db_bytes_per_task": 4096}


class Peer:
    """A child process with its output in a file; killed on exit."""

    def __init__(self, name, argv, log_path, cwd=None):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE if name == "evolink-sim" else self.log,
                                     stderr=self.log, cwd=cwd, start_new_session=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.log.close()


class Client:
    """One HTTP/1.1 request per connection to a loopback listener, bounded in time."""

    def __init__(self, port, timeout=15):
        self.port = port
        self.timeout = timeout

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
        finally:
            conn.close()


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.dir = tempfile.mkdtemp(prefix="imagehook-soak-")
        self.front_dir = os.path.join(self.dir, "front")
        self.data_dir = os.path.join(self.dir, "data")
        os.makedirs(self.front_dir)
        self.peers = []
        self.lock = threading.Lock()
        self.stop_load = threading.Event()
        self.tasks = []           # task ids accepted
        self.submits = []         # (key, body) accepted, for replays
        self.requests = 0
        self.problems = []
        self.counts = {"submit": 0, "submit_replay": 0, "query": 0, "list": 0, "image_get": 0,
                       "image_304": 0, "callback_dup": 0, "callback_stale": 0, "ledger": 0, "metrics": 0,
                       "503": 0, "errors": 0}
        self.samples = []
        self.started = time.monotonic()

    # -- setup ---------------------------------------------------------------------

    def run_tool(self, argv, cwd):
        subprocess.run(argv, cwd=cwd, check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def make_certificates(self):
        d = self.front_dir
        self.run_tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                       "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=imagehook-soak-ca", "-days", "2",
                       "-addext", "basicConstraints=critical,CA:TRUE",
                       "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)
        self.run_tool(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                       "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=front"], d)
        with open(os.path.join(d, "leaf.ext"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        self.run_tool(["openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                       "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext"], d)
        self.ca_file = os.path.join(d, "ca.pem")

    def start_simulator(self):
        a = self.args
        self.api_key = "sk-soak-" + hashlib.sha256(os.urandom(16)).hexdigest()[:24]
        self.link_port = free_port()
        argv = [os.path.join(a.bin_dir, "evolink-sim"), "--listen", "127.0.0.1:0", "--api-key", self.api_key,
                "--time-scale", "0.1", "--public-base-url", f"https://127.0.0.1:{self.link_port}",
                "--callback-ca-file", self.ca_file, "--allow-insecure-callbacks", "--seed", str(a.seed),
                "--log-level", "warning",
                # Faults on: every kind of callback disorder and image fault, at rates that
                # leave most tasks clean so the ledger sees every outcome.
                "--duplicate-callback-rate", "0.25", "--stale-callback-rate", "0.15",
                "--late-callback-rate", "0.1", "--late-callback-delay", "20",
                "--drop-callback-rate", "0.1", "--fail-task-rate", "0.05", "--fewer-results-rate", "0.05",
                "--image-server-error-rate", "0.05", "--image-slow-rate", "0.05", "--slow-image-delay", "10",
                "--image-truncated-rate", "0.03", "--image-corrupt-rate", "0.03",
                "--image-wrong-content-type-rate", "0.02"]
        sim = Peer("evolink-sim", argv, os.path.join(self.dir, "evolink-sim.log"))
        self.peers.append(sim)
        line = sim.proc.stdout.readline().decode().strip()
        if not line.startswith("listening 127.0.0.1:"):
            raise SystemExit(f"soak: evolink-sim did not start: {line!r}")
        self.sim_port = int(line.rsplit(":", 1)[1])
        self.sim = Client(self.sim_port)

    def start_front(self):
        d = self.front_dir
        self.callback_port = free_port()
        self.relay_port = free_port()
        self.public_port = free_port()
        self.internal_port = free_port()
        self.callback_log = os.path.join(d, "callbacks.log")
        conf = f"""
daemon off;
master_process off;
worker_processes 1;
error_log {d}/error.log;
pid {d}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  log_format callbacks escape=json '$status\\t$request_uri\\t$request_body';
  access_log off;
  client_body_temp_path {d}/t1; proxy_temp_path {d}/t2; fastcgi_temp_path {d}/t3;
  uwsgi_temp_path {d}/t4; scgi_temp_path {d}/t5;
  client_max_body_size 256k;
  client_body_buffer_size 256k;
  ssl_certificate {d}/leaf.pem; ssl_certificate_key {d}/leaf.key;
  server {{
    listen 127.0.0.1:{self.callback_port} ssl;
    location /v1/callbacks/ {{ access_log {self.callback_log} callbacks; proxy_pass http://127.0.0.1:{self.public_port}; }}
    location / {{ return 404; }}
  }}
  server {{
    listen 127.0.0.1:{self.relay_port};
    location /relay/ {{ return 204; }}
  }}
  server {{
    listen 127.0.0.1:{self.link_port} ssl;
    location / {{ proxy_pass http://127.0.0.1:{self.sim_port}; }}
  }}
}}
"""
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        self.peers.append(Peer("nginx", ["nginx", "-e", f"{d}/error.log", "-p", d, "-c", f"{d}/nginx.conf"],
                               os.path.join(d, "nginx.out")))
        self.wait_until(lambda: all(self.can_connect(p) for p in (self.callback_port, self.relay_port, self.link_port)),
                        10, "nginx front not listening")

    def start_daemon(self):
        a = self.args
        secrets = os.path.join(self.dir, "secrets")
        os.makedirs(secrets, mode=0o700)
        self.token = "soak-" + hashlib.sha256(os.urandom(16)).hexdigest()

        def secret(name, text):
            path = os.path.join(secrets, name)
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                f.write(text + "\n")
            return path

        values = {
            "public_listen": f"127.0.0.1:{self.public_port}",
            "internal_listen": f"127.0.0.1:{self.internal_port}",
            "data_dir": self.data_dir,
            "public_url": f"https://127.0.0.1:{self.callback_port}",
            "provider_base_url": f"http://127.0.0.1:{self.sim_port}",
            "provider_api_key_file": secret("provider-key", self.api_key),
            "internal_tokens_file": secret("internal-tokens", f"soak:{self.token}"),
            "relay_secret_file": secret("relay-secret", "soak-relay-secret-" + "x" * 32),
            "extra_ca_file": self.ca_file,
            "download_allow_networks": "127.0.0.0/8",
            "download_allowed_ports": str(self.link_port),
            "relay_allow_networks": "127.0.0.0/8",
            "relay_backoff_base": "500ms",
            "relay_backoff_cap": "5s",
            "log_level": "warning",
            "readyz_min_free_bytes": "0",
            "download_backoff_base": "500ms",
            "download_backoff_cap": "5s",
            "download_first_byte_timeout": "5s",
            "poll_grace": "5s",
            "poll_default_estimate": "5s",
            "poll_backoff_base": "1s",
            "poll_backoff_cap": "5s",
            "scheduler_idle": "500ms",
        }
        self.config_path = os.path.join(self.dir, "imagehook.conf")
        with open(self.config_path, "w") as f:
            f.write("".join(f"{k} = {v}\n" for k, v in sorted(values.items())))
        daemon = Peer("imagehookd", [os.path.join(a.bin_dir, "imagehookd"), "serve", "--config", self.config_path],
                      os.path.join(self.dir, "imagehookd.log"))
        self.peers.append(daemon)
        self.daemon = daemon
        self.internal = Client(self.internal_port)
        self.public = Client(self.public_port)

        def ready():
            if daemon.proc.poll() is not None:
                raise SystemExit(f"soak: imagehookd exited with {daemon.proc.returncode}:\n{self.tail(daemon.log_path)}")
            try:
                return self.internal.request("GET", "/readyz")[0] == 200
            except OSError:
                return False
        self.wait_until(ready, 30, "imagehookd not ready within 30 s")

    @staticmethod
    def can_connect(port):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    @staticmethod
    def wait_until(condition, seconds, message):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.1)
        raise SystemExit("soak: " + message)

    @staticmethod
    def tail(path, lines=30):
        try:
            with open(path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    # -- the load ------------------------------------------------------------------

    def budget_left(self):
        with self.lock:
            if self.requests >= self.args.max_requests:
                return False
            self.requests += 1
        return not self.stop_load.is_set()

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] += n

    def daemon_call(self, client, method, path, body=None, headers=None):
        try:
            status, h, data = client.request(method, path, body, headers)
        except OSError as e:
            self.count("errors")
            return None, {}, str(e).encode()
        if status == 503:
            self.count("503")
            if "retry-after" not in h:
                self.problem(f"{method} {path}: 503 without Retry-After")
        elif status >= 500:
            self.problem(f"{method} {path}: {status} {data[:200]!r}")
        return status, h, data

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 200:
                self.problems.append(text)

    def auth(self, extra=None):
        h = {"Authorization": f"Bearer {self.token}"}
        h.update(extra or {})
        return h

    def submitter(self):
        interval = 1.0 / self.args.submit_rate
        rng = random.Random(self.args.seed + 1)
        n = 0
        next_at = time.monotonic()
        while self.budget_left():
            next_at += interval
            n += 1
            if self.submits and rng.random() < 0.05:
                key, body = rng.choice(self.submits)
                status, _, data = self.daemon_call(self.internal, "POST", "/v1/images/generations", body,
                                                   self.auth({"Idempotency-Key": key, "Content-Type": "application/json"}))
                self.count("submit_replay")
                if status not in (200, 409, 503, None):
                    self.problem(f"replayed submit {key}: {status} {data[:200]!r}")
            else:
                payload = {"model": "wan2.5-text-to-image", "prompt": f"soak {self.args.seed} {n}",
                           "size": "768x768", "n": rng.choice([1, 1, 2])}
                if rng.random() < 0.3:
                    payload["callback_url"] = f"http://127.0.0.1:{self.relay_port}/relay/{n}"
                body = json.dumps(payload)
                key = f"soak-{self.args.seed}-{n}"
                for _ in range(5):
                    status, _, data = self.daemon_call(self.internal, "POST", "/v1/images/generations", body,
                                                       self.auth({"Idempotency-Key": key, "Content-Type": "application/json"}))
                    if status in (409, 503, None) and not self.stop_load.is_set():
                        time.sleep(1)
                        continue
                    break
                self.count("submit")
                if status == 200:
                    tid = json.loads(data).get("id")
                    with self.lock:
                        self.tasks.append(tid)
                        self.submits.append((key, body))
                else:
                    self.problem(f"submit {key}: {status} {data[:200]!r}")
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop_load.wait(delay)

    def querier(self):
        rng = random.Random(self.args.seed + 2)
        while self.budget_left():
            with self.lock:
                tid = rng.choice(self.tasks) if self.tasks else None
            roll = rng.random()
            if tid and roll < 0.6:
                status, _, data = self.daemon_call(self.internal, "GET", f"/v1/tasks/{tid}", headers=self.auth())
                self.count("query")
                if status == 200:
                    self.fetch_images(rng, json.loads(data))
                elif status not in (503, None):
                    self.problem(f"GET /v1/tasks/{tid}: {status}")
            elif roll < 0.8:
                status, _, data = self.daemon_call(self.internal, "GET",
                                                   f"/v1/tasks?limit={rng.choice([10, 50, 200])}", headers=self.auth())
                self.count("list")
            elif roll < 0.9:
                self.daemon_call(self.internal, "GET", "/v1/ledger", headers=self.auth())
                self.count("ledger")
            else:
                self.daemon_call(self.internal, "GET", "/metrics")
                self.count("metrics")
            self.stop_load.wait(1.0 / self.args.query_rate)

    def fetch_images(self, rng, task):
        for image in task.get("images", []):
            if image.get("state") != "stored" or not self.budget_left():
                continue
            sha = image.get("sha256")
            path = image.get("url") or f"/v1/images/{sha}.png"
            headers = self.auth()   # images are scoped like tasks: the submitter's token
            if rng.random() < 0.3:
                headers["If-None-Match"] = f'"{sha}"'
            status, _, data = self.daemon_call(self.internal, "GET", path, headers=headers)
            if status == 304:
                self.count("image_304")
            elif status == 200:
                self.count("image_get")
                if hashlib.sha256(data).hexdigest() != sha:
                    self.problem(f"GET {path}: body hash {hashlib.sha256(data).hexdigest()}")
            elif status not in (503, None):
                self.problem(f"GET {path}: {status}")

    def callback_replayer(self):
        """Duplicates and reorders real callbacks: re-sends a logged body as is, or as a
        stale `processing` event after the terminal one."""
        rng = random.Random(self.args.seed + 3)
        offset = 0
        seen = []
        while self.budget_left():
            try:
                with open(self.callback_log, "rb") as f:
                    f.seek(offset)
                    chunk = f.read()
            except OSError:
                chunk = b""
            last_newline = chunk.rfind(b"\n")
            if last_newline >= 0:
                offset += last_newline + 1
                for line in chunk[:last_newline].split(b"\n"):
                    parts = line.decode(errors="replace").split("\t", 2)
                    if len(parts) == 3 and parts[0] == "200" and parts[2]:
                        try:
                            seen.append((parts[1], json.loads(json.loads('"' + parts[2] + '"'))))
                        except ValueError:
                            pass
                del seen[:-500]
            if seen:
                uri, body = rng.choice(seen)
                if rng.random() < 0.5 or body.get("status") not in ("completed", "failed", "cancelled"):
                    self.send_callback(uri, body, "callback_dup")
                else:
                    stale = dict(body, status="processing", progress=50)
                    stale.pop("results", None)
                    self.send_callback(uri, stale, "callback_stale")
            self.stop_load.wait(1.0 / self.args.callback_rate)

    def send_callback(self, uri, body, what):
        status, _, data = self.daemon_call(self.public, "POST", uri, json.dumps(body).encode(),
                                           {"Content-Type": "application/json"})
        self.count(what)
        if status not in (200, 503, None):
            self.problem(f"{what} {uri[:40]}: {status} {data[:200]!r}")

    # -- sampling ------------------------------------------------------------------

    def sample(self):
        pid = self.daemon.proc.pid
        status = {}
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                status[k] = v.strip()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        sizes = {"db": 0, "wal": 0, "shm": 0}
        for name in os.listdir(self.data_dir):
            path = os.path.join(self.data_dir, name)
            if not os.path.isfile(path):
                continue
            kind = "wal" if name.endswith("-wal") else "shm" if name.endswith("-shm") else "db"
            sizes[kind] += os.path.getsize(path)
        images = sum(len(files) for _, _, files in os.walk(os.path.join(self.data_dir, "images")))
        try:
            ledger = json.loads(self.internal.request("GET", "/v1/ledger", None, self.auth())[2])
        except (OSError, ValueError):
            ledger = {}
        c, i = ledger.get("callbacks", {}), ledger.get("images", {})
        with self.lock:
            submitted, requests = len(self.tasks), self.requests
        row = {"minute": round((time.monotonic() - self.started) / 60, 3),
               "rss_kib": int(status["VmRSS"].split()[0]), "fds": fds, "threads": int(status["Threads"]),
               "db_bytes": sizes["db"], "wal_bytes": sizes["wal"], "shm_bytes": sizes["shm"],
               "images_on_disk": images, "tasks_submitted": submitted, "requests": requests,
               "callbacks_received": c.get("received"), "callbacks_applied": c.get("applied"),
               "callbacks_duplicate": c.get("duplicate"), "callbacks_rejected": c.get("rejected"),
               "images_expected": i.get("expected"), "images_stored": i.get("stored"),
               "images_failed": i.get("failed"), "images_expired": i.get("expired"),
               "images_in_flight": i.get("in_flight"), "balanced": int(bool(ledger.get("balanced")))}
        self.samples.append(row)
        self.write_csv()
        print("  ".join(f"{k}={row[k]}" for k in ("minute", "rss_kib", "fds", "threads", "db_bytes", "wal_bytes",
                                                  "tasks_submitted", "images_stored", "balanced")), flush=True)
        return ledger

    def write_csv(self):
        with open(os.path.join(self.args.out, "soak.csv"), "w") as f:
            f.write(",".join(SAMPLE_FIELDS) + "\n")
            for r in self.samples:
                f.write(",".join("" if r[k] is None else str(r[k]) for k in SAMPLE_FIELDS) + "\n")

    # -- verdict -------------------------------------------------------------------

    def growth_checks(self, load_samples):
        """[(measure, first-quarter max, last-quarter max, limit, ok)] over the samples
        taken under load after the warm-up."""
        warm = [r for r in load_samples if r["minute"] >= self.args.warmup_fraction * self.args.minutes]
        if len(warm) < 4:
            return [("samples", len(warm), len(warm), 4, False)]
        q = max(1, len(warm) // 4)
        first, last = warm[:q], warm[-q:]
        out = []
        for measure in ("rss_kib", "fds", "threads", "db_bytes_per_task"):
            def value(r):
                if measure == "db_bytes_per_task":
                    return (r["db_bytes"] + r["wal_bytes"]) / max(1, r["tasks_submitted"])
                return r[measure]
            a, b = max(map(value, first)), max(map(value, last))
            limit = a * self.args.growth_factor + SLACK[measure]
            out.append((measure, a, b, limit, b <= limit))
        wal_limit = self.args.wal_limit_mib * 1048576
        wal_first, wal_max = max(r["wal_bytes"] for r in first), max(r["wal_bytes"] for r in self.samples)
        out.append(("wal_bytes (any sample)", wal_first, wal_max, wal_limit, wal_max <= wal_limit))
        return out

    def settle(self, seconds):
        """Waits (bounded) until nothing is in flight: no image, no relay, every task
        terminal. Returns the last ledger."""
        end = time.monotonic() + seconds
        ledger = {}
        while time.monotonic() < end:
            try:
                ledger = json.loads(self.internal.request("GET", "/v1/ledger", None, self.auth())[2])
            except (OSError, ValueError):
                ledger = {}
            if ledger.get("images", {}).get("in_flight") == 0 and ledger.get("relays", {}).get("pending") == 0 \
                    and self.unfinished_tasks(limit=1) == 0:
                return ledger
            time.sleep(1)
        return ledger

    def unfinished_tasks(self, limit=None):
        n = 0
        for status in ("pending", "processing"):
            try:
                _, _, data = self.internal.request("GET", f"/v1/tasks?status={status}&limit=500", headers=self.auth())
                n += len(json.loads(data).get("data", []))
            except (OSError, ValueError):
                return -1
            if limit and n >= limit:
                return n
        return n

    def run(self):
        a = self.args
        os.makedirs(a.out, exist_ok=True)
        print(f"soak: {a.minutes} min, sample every {a.sample_seconds} s, scratch {self.dir}, output {a.out}", flush=True)
        self.make_certificates()
        self.start_simulator()
        self.start_front()
        self.start_daemon()
        self.started = time.monotonic()
        workers = [threading.Thread(target=t, daemon=True) for t in
                   [self.submitter, self.querier, self.querier, self.callback_replayer]]
        for w in workers:
            w.start()
        end = self.started + a.minutes * 60
        next_sample = self.started
        while time.monotonic() < end:
            if self.daemon.proc.poll() is not None:
                self.problem(f"imagehookd exited with {self.daemon.proc.returncode}: {self.tail(self.daemon.log_path)}")
                break
            self.sample()
            next_sample += a.sample_seconds
            time.sleep(max(0, min(next_sample, end) - time.monotonic()))
        load_samples = list(self.samples)
        self.stop_load.set()
        for w in workers:
            w.join(timeout=30)
        print("soak: load stopped; waiting for the daemon to settle", flush=True)
        ledger = self.settle(a.settle_seconds)
        if self.daemon.proc.poll() is None:
            self.sample()
        self.write_svg()
        return self.verdict(load_samples, ledger)

    def verdict(self, load_samples, ledger):
        ok = True
        print("\n| measure | first quarter max | last quarter max | limit | verdict |")
        print("|---|---|---|---|---|")
        for measure, a, b, limit, good in self.growth_checks(load_samples):
            ok &= good
            print(f"| {measure} | {a:.0f} | {b:.0f} | {limit:.0f} | {'bounded' if good else 'GROWS'} |")
        c, i = ledger.get("callbacks", {}), ledger.get("images", {})
        balanced = bool(ledger.get("balanced")) and c.get("received") is not None \
            and c["received"] == c["applied"] + c["duplicate"] + c["rejected"] \
            and i["expected"] == i["stored"] + i["failed"] + i["expired"] + i["in_flight"] and i["in_flight"] == 0
        unfinished = self.unfinished_tasks()
        print(f"\nledger at the end: {json.dumps(ledger)}")
        print(f"unfinished tasks at the end: {unfinished}")
        print(f"traffic: {len(self.tasks)} tasks accepted, {self.requests} driver requests: {json.dumps(self.counts)}")
        if not balanced:
            ok = False
            print("FAIL: the ledger does not balance (or images still in flight) after the settle wait")
        if unfinished != 0:
            ok = False
            print(f"FAIL: {unfinished} tasks not terminal after the settle wait")
        if self.problems:
            ok = False
            print(f"FAIL: {len(self.problems)} traffic problem(s):\n  " + "\n  ".join(self.problems[:30]))
        if not self.tasks:
            ok = False
            print("FAIL: no submit was accepted")
        print(f"\nsoak: {'PASSED' if ok else 'FAILED'}; CSV {self.args.out}/soak.csv, plot {self.args.out}/soak.svg")
        if not ok:
            # The evidence outlives the scratch directory: the daemon's whole log (a
            # crash's backtrace is far above its last lines) goes beside the CSV.
            kept = os.path.join(self.args.out, "imagehookd.log")
            shutil.copyfile(self.daemon.log_path, kept)
            lines = open(kept, "rb").read().decode(errors="replace").splitlines()
            crash = [i for i, line in enumerate(lines) if "Fatal error" in line or "crashed" in line or "Crash" in line]
            start = crash[0] if crash else max(0, len(lines) - 30)
            print(f"daemon log kept in {kept}; from line {start + 1}:\n" + "\n".join(lines[start:start + 60]))
        return ok

    # -- plot ----------------------------------------------------------------------

    def write_svg(self):
        """Small multiples, one panel per measure, minutes on x; plain SVG, no tools."""
        panels = [("RSS (MiB)", lambda r: r["rss_kib"] / 1024), ("open descriptors", lambda r: r["fds"]),
                  ("threads", lambda r: r["threads"]),
                  ("database + WAL (MiB)", lambda r: (r["db_bytes"] + r["wal_bytes"]) / 1048576),
                  ("WAL (MiB)", lambda r: r["wal_bytes"] / 1048576),
                  ("ledger: callbacks received, images stored", None)]
        w, h, pad = 420, 190, 44
        cols = 2
        rows = (len(panels) + cols - 1) // cols
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{cols * w}" height="{rows * h + 30}" '
               f'font-family="sans-serif" font-size="11">',
               f'<rect width="100%" height="100%" fill="white"/>',
               f'<text x="10" y="18" font-size="13">imagehookd soak: {self.args.minutes} min, '
               f'{len(self.tasks)} tasks, sample every {self.args.sample_seconds} s</text>']
        xs = [r["minute"] for r in self.samples] or [0]
        xmax = max(max(xs), 1e-9)
        for n, (title, f) in enumerate(panels):
            ox, oy = (n % cols) * w, 30 + (n // cols) * h
            series = [(f, "#1f77b4")] if f else [(lambda r: r["callbacks_received"] or 0, "#1f77b4"),
                                                  (lambda r: r["images_stored"] or 0, "#d62728")]
            ys = [s(r) for s, _ in series for r in self.samples] or [0]
            ymax = max(max(ys), 1e-9) * 1.1
            pw, ph = w - pad - 14, h - 2 * pad + 20
            if f:
                out.append(f'<text x="{ox + pad}" y="{oy + 14}">{title}</text>')
            else:
                out.append(f'<text x="{ox + pad}" y="{oy + 14}">ledger: <tspan fill="#1f77b4">callbacks received</tspan>, '
                           f'<tspan fill="#d62728">images stored</tspan></text>')
            out.append(f'<rect x="{ox + pad}" y="{oy + 20}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
            out.append(f'<text x="{ox + pad - 4}" y="{oy + 28}" text-anchor="end">{ymax:.4g}</text>')
            out.append(f'<text x="{ox + pad - 4}" y="{oy + 20 + ph}" text-anchor="end">0</text>')
            out.append(f'<text x="{ox + pad + pw}" y="{oy + 34 + ph}" text-anchor="end">{xmax:.1f} min</text>')
            for s, colour in series:
                pts = " ".join(f"{ox + pad + pw * r['minute'] / xmax:.1f},{oy + 20 + ph - ph * s(r) / ymax:.1f}"
                               for r in self.samples)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        out.append("</svg>")
        with open(os.path.join(self.args.out, "soak.svg"), "w") as f:
            f.write("\n".join(out) + "\n")

    def cleanup(self):
        for p in reversed(self.peers):
            p.stop()
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", required=True, help="directory with the release imagehookd and evolink-sim")
    p.add_argument("--minutes", type=float, default=60, help="load duration (default 60)")
    p.add_argument("--sample-seconds", type=float, default=60, help="sampling interval (default 60)")
    p.add_argument("--out", default=".build/soak", help="directory for soak.csv and soak.svg")
    p.add_argument("--submit-rate", type=float, default=1.0, help="submits per second (default 1)")
    p.add_argument("--query-rate", type=float, default=5.0, help="queries per second per query thread (2 threads)")
    p.add_argument("--callback-rate", type=float, default=4.0, help="driver-sent duplicate/stale callbacks per second")
    p.add_argument("--max-requests", type=int, default=2_000_000, help="hard cap on driver requests")
    p.add_argument("--growth-factor", type=float, default=1.25, help="last-quarter max <= factor * first-quarter max + slack")
    p.add_argument("--wal-limit-mib", type=float, default=72, help="hard bound on the WAL file in any sample")
    p.add_argument("--warmup-fraction", type=float, default=0.1, help="share of the run ignored by the growth test")
    p.add_argument("--settle-seconds", type=float, default=120, help="bounded wait for the daemon to finish after the load")
    p.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    p.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = p.parse_args()
    soak = Soak(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        ok = soak.run()
    finally:
        soak.cleanup()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
