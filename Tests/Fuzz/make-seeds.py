#!/usr/bin/env python3
"""Writes the committed seed corpus under Tests/Fuzz/corpus/<target>/: a few small inputs per
target that reach each part of its parser (framings, pipelines, limits, known-bad
shapes), so a short run starts deep instead of rediscovering HTTP from scratch.
Rerun after changing it and commit the result: python3 Tests/Fuzz/make-seeds.py"""
import os
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

REQUESTS = {
    "get": b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "get-query-http10": b"GET /v1/tasks?status=completed&limit=2 HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n",
    "post-cl": b"POST /v1/callbacks/tok HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"id\":\"x\"}\n",
    "post-chunked": b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
    "pipeline": b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    "leading-crlf": b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "expect": b"PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    "bad-cl-te": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad-two-cl": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    "bad-obs-fold": b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
    "bad-bare-lf": b"GET / HTTP/1.1\nHost: a\n\n",
    "bad-space-colon": b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    "bad-version": b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    "bad-te-gzip": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
    "no-host": b"GET / HTTP/1.1\r\n\r\n",
    "absolute-form": b"GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
    "options-star": b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
}

# First byte: the request method the response answers (0 GET, 1 HEAD, 2 CONNECT, 3 POST).
RESPONSES = {
    "ok-cl": b"\x00HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNG",
    "ok-chunked": b"\x00HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
    "until-close": b"\x00HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0data",
    "head": b"\x01HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
    "connect": b"\x02HTTP/1.1 200 Connection established\r\n\r\n",
    "interim": b"\x00HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}",
    "no-content": b"\x03HTTP/1.1 204 No Content\r\n\r\n",
    "redirect": b"\x00HTTP/1.1 302 Found\r\nLocation: https://cdn.example/a.png\r\nContent-Length: 0\r\n\r\n",
    "gzip": b"\x00HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n\x1f\x8b\x08",
    "truncated": b"\x00HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    "bad-status": b"\x00HTTP/1.1 2000 OK\r\n\r\n",
    "two": b"\x00HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb",
}

# The body of a chunked request (the harness adds the head).
CHUNKED = {
    "simple": b"5\r\nhello\r\n0\r\n\r\n",
    "empty": b"0\r\n\r\n",
    "ext": b"3;name=value;q=\"quoted\"\r\nabc\r\n0;last\r\n\r\n",
    "trailers": b"1\r\nx\r\n0\r\nChecksum: abc\r\nX-Other: y\r\n\r\n",
    "upper-hex": b"A\r\n0123456789\r\n0\r\n\r\n",
    "leading-zeros": b"0005\r\nhello\r\n0\r\n\r\n",
    "bws": b"2 ;ext\r\nab\r\n0\r\n\r\n",
    "bad-no-crlf": b"2\r\nabc\r\n0\r\n\r\n",
    "bad-size": b"zz\r\n",
    "bad-overflow": b"ffffffffffffffffff\r\n",
    "pipelined-after": b"1\r\na\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
}

COMPLETED = (b'{"created":1756817821,"id":"task-unified-1756817821-4x3rx6ny","model":"wan2.5-text-to-image",'
             b'"object":"image.generation.task","progress":100,"results":["https://cdn.example/a.png"],'
             b'"status":"completed","task_info":{"can_cancel":false},"type":"image"}')
# First byte: the type (0 task, 1 submit body, 2 error envelope).
JSON = {
    "task-completed": b"\x00" + COMPLETED,
    "task-failed": b'\x00{"id":"task-unified-1772618027-cmeisy8h","object":"image.generation.task","status":"failed",'
                   b'"model":"wan2.5-text-to-image","progress":0,"error":{"code":"content_policy_violation","message":"no"}}',
    "task-pending": b'\x00{"id":"task-unified-1-a","status":"pending","progress":0.0,"created":1.5e3,'
                    b'"usage":{"billing_rule":"per_call","credits_reserved":2.5,"user_group":"default"},'
                    b'"task_info":{"can_cancel":true,"estimated_time":45}}',
    "task-int-code": b'\x00{"id":"task-unified-2-b","status":"failed","error":{"code":1001,"type":"task_error"}}',
    "task-escapes": b'\x00{"id":"task-unified-3-\\u0063","status":"cancelled","results":["a\\/b","\\ud83d\\ude00"]}',
    "submit": b'\x01{"model":"wan2.5-text-to-image","prompt":"a red fox in snow","size":"1024x1024","n":2,'
              b'"prompt_extend":false,"callback_url":"https://my-service.internal/hooks/images"}',
    "submit-n-float": b'\x01{"model":"wan2.5-text-to-image","prompt":"p","n":2.0}',
    "error": b'\x02{"error":{"code":"invalid_parameter","message":"bad size","type":"invalid_request_error","param":"size"}}',
    "error-int": b'\x02{"error":{"code":429,"message":"slow down","type":"rate_limit_error"}}',
}

CONFIG = {
    "small": b"public_listen = 127.0.0.1:8080\ninternal_listen = 127.0.0.1:8081\ndata_dir = ./data\n# comment\n\nlog_level = debug\n",
    "crlf": b"log_level = info\r\npublic_url = https://hooks.example.com/#x\r\n",
    "problems": b"Bad-Key = 1\nlog_level = loud\nlog_level = info\nno equals sign\n",
}


def write(target, seeds):
    d = os.path.join(ROOT, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def main():
    write("http1-request", REQUESTS)
    write("http1-response", RESPONSES)
    write("http1-chunked", CHUNKED)
    write("evolink-json", JSON)
    config = dict(CONFIG)
    example = os.path.join(os.path.dirname(ROOT), "..", "..", "config", "imagehook.conf")
    with open(example, "rb") as f:
        config["imagehook.conf"] = f.read()
    write("daemon-config", config)


if __name__ == "__main__":
    main()
