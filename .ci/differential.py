#!/usr/bin/env python3
"""Differential check of imagehook's HTTP/1.1 request parser against h11 (pinned in
.ci/requirements.txt). Generates requests from a fixed seed (valid pipelines, then
mutations aimed at framing: line endings, whitespace, duplicate or conflicting
Content-Length / Transfer-Encoding, chunk syntax, bytes outside the grammar), feeds each
input to both parsers, and compares the decision (accept / reject / wait for more) and
the framing: method, target, version, header fields, body bytes and message boundaries
of pipelined requests.

A disagreement is allowed only when it matches a row of KNOWN_DIFFERENCES, each a
documented, deliberate choice; any other disagreement fails the run and prints the
input. Usage: differential.py --decider PATH [--seed N] [--cases N] [--show N]"""
import argparse
import json
import random
import re
import subprocess
import sys

import h11

# ---------------------------------------------------------------- generation

METHODS = [b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"HEAD", b"X-CUSTOM"]
TCHARS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"
VCHARS = bytes(range(0x21, 0x7F))
INTERESTING = [b"\r", b"\n", b" ", b"\t", b"\x00", b":", b",", b";", b"0", b"\x7f", b"\xff", b"\x80", b"=", b"\"", b"\x0b", b"\x0c"]


def word(rng, alphabet, lo, hi):
    return bytes(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def chunked(rng, body):
    out = b""
    rest = body
    while rest:
        n = rng.randint(1, len(rest))
        size = b"%x" % n
        if rng.random() < 0.2:
            size = size.upper()
        ext = b";" + word(rng, TCHARS, 1, 6) if rng.random() < 0.2 else b""
        out += size + ext + b"\r\n" + rest[:n] + b"\r\n"
        rest = rest[n:]
    out += b"0\r\n"
    if rng.random() < 0.2:
        out += b"X-Trailer: " + word(rng, TCHARS, 1, 8) + b"\r\n"
    return out + b"\r\n"


def request(rng):
    method = rng.choice(METHODS)
    target = b"/" + word(rng, VCHARS, 0, 20)
    if rng.random() < 0.05:
        target = b"*"
    version = b"HTTP/1.1" if rng.random() < 0.9 else b"HTTP/1.0"
    fields = [(b"Host", word(rng, b"abcdefghijklmnopqrstuvwxyz0123456789.-:", 1, 15))]
    for _ in range(rng.randint(0, 4)):
        value = word(rng, VCHARS + b" \t", 0, 20).strip(b" \t")
        fields.append((b"X-" + word(rng, TCHARS, 1, 10), value))
    if rng.random() < 0.1:
        fields.append((b"Connection", rng.choice([b"close", b"keep-alive"])))
    body = bytes(rng.randrange(256) for _ in range(rng.choice([0, 0, 1, 5, 20, 100])))
    framing = rng.choice(["none", "cl", "chunked"]) if not body else rng.choice(["cl", "chunked"])
    if framing == "cl":
        fields.append((b"Content-Length", b"%d" % len(body)))
        tail = body
    elif framing == "chunked":
        fields.append((b"Transfer-Encoding", b"chunked"))
        tail = chunked(rng, body)
    else:
        tail = b""
    rng.shuffle(fields)
    head = method + b" " + target + b" " + version + b"\r\n"
    for name, value in fields:
        sep = rng.choice([b": ", b":", b":  ", b": \t", b"\t:"[1:] + b"\t"])
        head += name + sep + value + rng.choice([b"", b"", b" ", b"\t"]) + b"\r\n"
    return head + b"\r\n" + tail


# Edits that target what framing rests on; each takes (rng, bytes) and returns bytes.
def m_byte(rng, b):
    i = rng.randrange(len(b))
    return b[:i] + rng.choice(INTERESTING) + b[i + 1:]


def m_insert(rng, b):
    i = rng.randrange(len(b) + 1)
    return b[:i] + rng.choice(INTERESTING) + b[i:]


def m_delete(rng, b):
    i = rng.randrange(len(b))
    return b[:i] + b[i + 1:]


def m_bare_lf(rng, b):
    return b.replace(b"\r\n", b"\n", 1) if rng.random() < 0.5 else b.replace(b"\r\n", b"\n")


def m_header(rng, b):
    extra = rng.choice([
        b"Content-Length: 0", b"Content-Length: 5", b"Content-Length: 05", b"Content-Length: +5",
        b"Content-Length: 5, 5", b"Content-Length: 5,6", b"Content-Length: -1", b"Content-Length:",
        b"Content-Length: 99999999999999999999",
        b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip, chunked", b"Transfer-Encoding: chunked, gzip",
        b"Transfer-Encoding: identity", b"Transfer-Encoding: CHUNKED", b"Transfer-Encoding:",
        b"Host: second", b"Host:", b"X-Fold: a\r\n b", b" X-Leading-Space: 1", b"X-Sp ace: 1",
        b"X-Nul: a\x00b", b"X-Obs: \x80\xff", b"X-Utf8: \xc3\xa9", b"X-Ctl: a\x01b", b"X-Del: a\x7fb",
        b"Expect: 100-continue", b"Connection: close", b"Connection: keep-alive, Upgrade", b": novalue",
    ])
    i = b.find(b"\r\n")
    if i < 0:
        return b
    return b[:i + 2] + extra + b"\r\n" + b[i + 2:]


def m_request_line(rng, b):
    i = b.find(b"\r\n")
    if i < 0:
        return b
    line = rng.choice([
        b"GET  / HTTP/1.1", b"GET / HTTP/1.1 ", b"GET /\t HTTP/1.1", b"get / HTTP/1.1", b"GET / http/1.1",
        b"GET / HTTP/1.2", b"GET / HTTP/2.0", b"GET / HTTP/0.9", b"GET / HTTP/1.10", b"GET /", b"GET / HTTP/1",
        b"GET http://a.example/x HTTP/1.1", b"CONNECT a.example:443 HTTP/1.1", b"GET /a#frag HTTP/1.1",
        b"GET /\x7f HTTP/1.1", b"GET /\x80 HTTP/1.1", b"G(T / HTTP/1.1", b" GET / HTTP/1.1",
        b"GET ?x HTTP/1.1", b"GET a HTTP/1.1",
    ])
    return line + b[i:]


def m_chunk(rng, b):
    if b"chunked" not in b:
        return b
    i = b.find(b"\r\n\r\n")
    if i < 0:
        return b
    body = rng.choice([
        b"5\r\nhello\r\n0\r\n\r\n", b"5 \r\nhello\r\n0\r\n\r\n", b"5\t;a=b\r\nhello\r\n0\r\n\r\n",
        b"5;a=\"q\"\r\nhello\r\n0\r\n\r\n", b"5;a\r\nhello\r\n0\r\n\r\n", b"0x5\r\nhello\r\n0\r\n\r\n",
        b"+5\r\nhello\r\n0\r\n\r\n", b"-5\r\nhello\r\n0\r\n\r\n", b"5\r\nhelloX\r\n0\r\n\r\n",
        b"5\r\nhello\n0\r\n\r\n", b"5\nhello\r\n0\r\n\r\n", b"5\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        b"5\r\nhello\r\n0\r\nT 1\r\n\r\n", b"5\r\nhello\r\n0\r\n", b"00000000000000000005\r\nhello\r\n0\r\n\r\n",
        b"fffffffffffffffff\r\n", b"\r\n5\r\nhello\r\n0\r\n\r\n", b"5\r\nhello\r\n0;ext\r\n\r\n",
        b"5\r\nhello\r\n00\r\n\r\n", b" 5\r\nhello\r\n0\r\n\r\n",
    ])
    return b[:i + 4] + body


def m_leading(rng, b):
    return rng.choice([b"\r\n", b"\r\n\r\n", b"\n", b" "]) + b


def m_truncate(rng, b):
    return b[:rng.randrange(len(b))]


MUTATIONS = [m_byte, m_insert, m_delete, m_bare_lf, m_header, m_header, m_request_line, m_chunk, m_chunk,
             m_leading, m_truncate]


def generate(seed, cases):
    rng = random.Random(seed)
    for _ in range(cases):
        msgs = [request(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        if rng.random() < 0.75:
            k = rng.randrange(len(msgs))
            for _ in range(rng.choice([1, 1, 2])):
                if msgs[k]:
                    msgs[k] = rng.choice(MUTATIONS)(rng, msgs[k])
        yield b"".join(msgs)


# ---------------------------------------------------------------- the reference

def reference(data):
    """h11 as a server: every complete request, then error / partial. A request that
    ends the connection (Connection: close, HTTP/1.0 without keep-alive) stops the
    reading, as h11 will not read past it; the comparison then stops there too."""
    conn = h11.Connection(h11.SERVER)
    if data:  # receive_data(b"") would mean the peer closed
        conn.receive_data(data)
    messages, current = [], None
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError as e:
            return {"messages": messages, "error": str(e), "status": e.error_status_hint}
        if event is h11.NEED_DATA:
            return {"messages": messages, "partial": current is not None or bool(conn.trailing_data[0])}
        if event is h11.PAUSED:
            return {"messages": messages, "partial": False, "stopped": True}
        if isinstance(event, h11.Request):
            current = {"method": event.method, "target": event.target, "version": event.http_version,
                       "headers": [(n, v) for n, v in event.headers.raw_items()], "body": b""}
        elif isinstance(event, h11.Data):
            current["body"] += bytes(event.data)
        elif isinstance(event, h11.EndOfMessage):
            messages.append(current)
            current = None
            # A refusal, so that CONNECT and Upgrade do not switch protocols.
            conn.send(h11.Response(status_code=404, headers=[(b"content-length", b"0")]))
            conn.send(h11.EndOfMessage())
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return {"messages": messages, "partial": False, "stopped": True}
            conn.start_next_cycle()
        else:
            raise AssertionError("unexpected h11 event %r" % (event,))


def swift_bytes(s):
    """http1-decide escapes every byte outside printable ASCII as \\u00XX of that byte."""
    return s.encode("latin-1")


def normalise_ours(m):
    return {"method": swift_bytes(m["method"]), "target": swift_bytes(m["target"]),
            "version": m["version"].encode(),
            "headers": [(swift_bytes(n), swift_bytes(v)) for n, v in m["headers"]],
            "body": bytes.fromhex(m["body"])}


def normalise_theirs(m):
    # The parser keeps names and values as Swift Strings: bytes that are not UTF-8 become
    # U+FFFD. Compare with the reference's bytes decoded the same way.
    def text(b):
        return bytes(b).decode("utf-8", "replace").encode("utf-8")
    return {"method": text(m["method"]), "target": text(m["target"]), "version": bytes(m["version"]),
            "headers": [(text(n), text(v)) for n, v in m["headers"]], "body": m["body"]}


def outcome(r):
    if "error" in r:
        return "reject"
    return "partial" if r.get("partial") else "accept"


def compare(ours, theirs):
    """None when they agree, else a short reason."""
    a = [normalise_ours(m) for m in ours["messages"]]
    b = [normalise_theirs(m) for m in theirs["messages"]]
    if theirs.get("stopped"):
        # h11 read up to a message that closes the connection; compare up to there.
        if len(a) < len(b):
            return "fewer messages (%d < %d) before the connection ends" % (len(a), len(b))
        return None if a[:len(b)] == b else "framing of a message differs"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            keys = [k for k in x if x[k] != y[k]]
            return "message %d differs in %s" % (i, ",".join(keys))
    if len(a) != len(b):
        return "%d messages vs reference %d" % (len(a), len(b))
    if outcome(ours) != outcome(theirs):
        return "decision %s vs reference %s" % (outcome(ours), outcome(theirs))
    return None


# ---------------------------------------------------------------- known differences

def we_reject(o, t, *reasons):
    """We rejected with one of these reasons where the reference accepted as many or more
    messages (or was still waiting)."""
    return (outcome(o) == "reject" and len(o["messages"]) <= len(t["messages"])
            and any(r in o["error"] for r in reasons))


def they_reject(o, t, *reasons):
    return (outcome(t) == "reject" and len(t["messages"]) <= len(o["messages"])
            and any(r in t["error"] for r in reasons))


def same_but_framing_fields(o, t):
    """Same messages except for how the reference reports framing fields: it merges
    duplicate Content-Length fields and lowercases Transfer-Encoding values."""
    def field(n, v):
        return (n, v.lower()) if n.lower() == b"transfer-encoding" else (n, v)

    def strip(ms):
        return [dict(m, headers=[field(n, v) for n, v in m["headers"] if n.lower() != b"content-length"]) for m in ms]
    a = strip(normalise_ours(m) for m in o["messages"])
    b = strip(normalise_theirs(m) for m in t["messages"])
    n = len(b) if t.get("stopped") else max(len(a), len(b))
    return a[:n] == b[:n] and (t.get("stopped") or outcome(o) == outcome(t))


# name, predicate(data, ours, theirs, completed), justification. Checked in order; the
# first match explains the disagreement. `completed` is how both parsers decide on the
# input with the end of a header section appended (for early rejections).
KNOWN_DIFFERENCES = [
    ("bare LF line ends", lambda d, o, t, c: we_reject(o, t, "line ended by LF without CR"),
     "h11 accepts LF without CR as a line end; we require CRLF. RFC 9112 §2.2 permits "
     "either, but a lone LF is read differently by some proxies, so accepting it lets a "
     "request be split two ways (request smuggling)."),
    ("obs-fold", lambda d, o, t, c: we_reject(o, t, "obsolete line folding"),
     "h11 unfolds obsolete line folding; we reject it (400), which RFC 9112 §5.2 allows a "
     "server to do, because folded fields are a smuggling vector."),
    ("Transfer-Encoding in HTTP/1.0", lambda d, o, t, c: we_reject(o, t, "Transfer-Encoding in an HTTP/1.0"),
     "RFC 9112 §6.1: a server receiving Transfer-Encoding in an HTTP/1.0 message MUST treat "
     "the framing as faulty; h11 decodes the chunks. We reject with 400."),
    ("Transfer-Encoding with Content-Length", lambda d, o, t, c: we_reject(o, t, "both Transfer-Encoding and Content-Length"),
     "RFC 9112 §6.3 rule 3 lets a server reject such a message and requires closing after "
     "it; h11 lets chunked win. We reject, the safe reading against smuggling."),
    ("control bytes in field values", lambda d, o, t, c: we_reject(o, t, "invalid character in field value"),
     "RFC 9110 §5.5: field values are VCHAR, SP, HTAB and obs-text; h11 also lets DEL "
     "(0x7F) and some other controls through. We reject them (400)."),
    ("HTTP versions other than 1.0 and 1.1", lambda d, o, t, c: we_reject(o, t, "HTTP version not supported"),
     "h11 reads any HTTP/x.y request line as HTTP/1.x; we answer 505 for a version we do "
     "not implement (RFC 9110 §15.6.6), e.g. HTTP/2.0 or HTTP/0.9 on this syntax."),
    ("Host syntax", lambda d, o, t, c: we_reject(o, t, "invalid Host field"),
     "RFC 9112 §3.2: a server MUST answer 400 to a Host field with an invalid value; h11 "
     "does not check its syntax (tabs, ';', bytes over 0x7F)."),
    ("size limits on lengths", lambda d, o, t, c: we_reject(o, t, "overflows", "chunk size too long"),
     "A Content-Length or chunk size that does not fit 63 bits, or a chunk-size line with "
     "more than 16 hex digits, is rejected at once (RFC 9112 §7.1: recipients MUST guard "
     "against overflow); h11 has arbitrary-precision integers and no limit, so it waits "
     "for a body no one will send."),
    ("whitespace after a chunk size", lambda d, o, t, c: we_reject(o, t, "invalid character after chunk size"),
     "RFC 9112 §7.1 allows BWS only before a chunk extension's ';'; h11 also accepts "
     "whitespace right before the CRLF. We reject it (a lenient chunk reader is a known "
     "smuggling vector)."),
    ("whitespace before a chunk extension", lambda d, o, t, c: they_reject(o, t, "illegal chunk header"),
     "The reverse: RFC 9112 §7.1 allows BWS between the chunk size and ';'. We accept "
     "it; h11 rejects it."),
    ("one empty line before a request", lambda d, o, t, c: they_reject(o, t, "no request line received"),
     "RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received "
     "before the request line (clients send one after a POST body). We ignore exactly "
     "one; h11 ignores none."),
    ("empty Transfer-Encoding elements", lambda d, o, t, c: they_reject(o, t, "Only Transfer-Encoding: chunked is supported"),
     "RFC 9110 §5.6.1: empty list elements are ignored, so an empty Transfer-Encoding "
     "line next to `chunked` still means chunked. We accept; h11 rejects."),
    ("framing fields as reported", lambda d, o, t, c: same_but_framing_fields(o, t),
     "Not a framing difference: h11 reports repeated identical Content-Length fields (or a "
     "list `5, 5`) as one field and lowercases Transfer-Encoding values; we keep the "
     "fields as received. Method, target, body and boundaries are the same."),
    ("Content-Length with leading zeros", lambda d, o, t, c: they_reject(o, t, "conflicting Content-Length headers"),
     "`Content-Length: 05` next to `Content-Length: 5`: RFC 9110 §8.6 lets a recipient "
     "treat repeated fields with the same decimal value as that value; we compare the "
     "numbers, h11 the strings (and rejects). Differing values are rejected by both."),
    ("chunk extension syntax", lambda d, o, t, c: we_reject(o, t, "invalid character in chunk extension")
     or (we_reject(o, t, "CR not followed by LF") and re.search(rb";[^\n]*\r[^\n]", d) is not None),
     "RFC 9112 §7.1.1: a chunk extension is `;name[=token/quoted-string]`; we check that "
     "grammar and reject control bytes (a lone CR) in it, h11 skips everything after the "
     "';' up to the line end."),
    ("early rejection", lambda d, o, t, c: c is not None and outcome(c[0]) == "reject" and outcome(c[1]) == "reject",
     "On an incomplete head, one parser rejects at the first invalid line while the other "
     "waits for the whole head; with the head completed both reject. Failing fast is "
     "allowed (RFC 9112 §2.2) and spares the rest of a header read."),
]


def needs_completion(o, t):
    return {outcome(o), outcome(t)} == {"reject", "partial"}


def explain(data, ours, theirs, completed):
    for name, predicate, _ in KNOWN_DIFFERENCES:
        if predicate(data, ours, theirs, completed):
            return name
    return None


# ---------------------------------------------------------------- driver

def decide(decider, inputs):
    """The parser's decisions, from the http1-decide tool: one hex line in, one JSON out."""
    proc = subprocess.run([decider], input="".join(d.hex() + "\n" for d in inputs).encode(),
                          capture_output=True, timeout=300, check=True)
    decisions = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    if len(decisions) != len(inputs):
        sys.exit("differential: the decider answered %d of %d inputs" % (len(decisions), len(inputs)))
    return decisions


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--decider", required=True, help="path of the built http1-decide")
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--show", type=int, default=5, help="unexplained cases to print")
    ap.add_argument("--group", action="store_true", help="group unexplained cases by reason")
    ap.add_argument("--table", action="store_true", help="print the known-differences table and exit")
    args = ap.parse_args()
    if args.table:
        for name, _, why in KNOWN_DIFFERENCES:
            print("- %s: %s" % (name, why))
        return 0

    inputs = list(generate(args.seed, args.cases))
    decisions = decide(args.decider, inputs)
    references = [reference(d) for d in inputs]
    # Early rejections are judged on the input with its head completed: ask both again.
    pending = [i for i, (o, t) in enumerate(zip(decisions, references)) if needs_completion(o, t)]
    more = decide(args.decider, [inputs[i] + b"\r\n\r\n" for i in pending])
    completed = {i: (o, reference(inputs[i] + b"\r\n\r\n")) for i, o in zip(pending, more)}

    counts = {"accept": 0, "reject": 0, "partial": 0}
    explained = {name: 0 for name, _, _ in KNOWN_DIFFERENCES}
    unexplained = []
    for i, (data, ours, theirs) in enumerate(zip(inputs, decisions, references)):
        counts[outcome(theirs)] += 1
        why = compare(ours, theirs)
        if why is None:
            continue
        name = explain(data, ours, theirs, completed.get(i))
        if name:
            explained[name] += 1
        else:
            unexplained.append((data, why, ours, theirs))

    print("differential: h11 %s, seed %d, %d cases (reference: %d accepted, %d rejected, %d partial)"
          % (h11.__version__, args.seed, len(inputs), counts["accept"], counts["reject"], counts["partial"]))
    print("| difference | cases |")
    print("|---|---|")
    print("| none: same decision and framing | %d |" % (len(inputs) - sum(explained.values()) - len(unexplained)))
    for name, n in explained.items():
        print("| %s (known) | %d |" % (name, n))
    print("| unexplained | %d |" % len(unexplained))
    if args.group:
        groups = {}
        for data, why, ours, theirs in unexplained:
            key = (why.split(" differs")[0] if "differs" in why else why, ours.get("error"), str(theirs.get("error"))[:50])
            groups.setdefault(key, []).append(data)
        for key, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(len(items), key, repr(min(items, key=len))[:300])
    for data, why, ours, theirs in unexplained[:args.show]:
        print("\n%s\n  input: %r\n  ours: %s\n  h11:  %s" % (why, data, json.dumps(ours)[:400],
                                                          json.dumps(theirs, default=repr)[:400]))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
