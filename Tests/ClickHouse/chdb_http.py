#!/usr/bin/env python3
"""A loopback stand-in for ClickHouse's HTTP query interface, run by llmscope's tests.

The queries run on the real ClickHouse engine, embedded by PyPI's `chdb`; this file only
speaks the HTTP side as clickhouse-server does: the query in the body and/or the `query`
parameter (joined by a newline), `param_NAME` query parameters, `default_format`
(TabSeparated otherwise; a FORMAT clause in the query wins), credentials in the
X-ClickHouse-User / X-ClickHouse-Key headers or HTTP basic auth, and errors as HTTP 500 (403
for bad credentials) with ClickHouse's own message and an X-ClickHouse-Exception-Code header.

Usage: chdb_http.py --data DIR [--port N] [--user U --password P]
Prints `listening on PORT` once it accepts connections; stops on SIGTERM, and by itself when
the process that started it ends (so a test run never leaves it behind).
"""
import argparse
import base64
import re
import os
import signal
import sys
import time
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from chdb import session


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--user", default="default")
    ap.add_argument("--password", default="")
    args = ap.parse_args()
    db = session.Session(args.data)
    # Connections are served on threads (clients keep them open between requests); the
    # embedded engine runs one query at a time.
    engine = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # quiet
            pass

        def reply(self, status, body, code=None):
            data = body if isinstance(body, bytes) else body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            if code is not None:
                self.send_header("X-ClickHouse-Exception-Code", str(code))
            self.end_headers()
            self.wfile.write(data)

        def credentials(self):
            user = self.headers.get("X-ClickHouse-User")
            key = self.headers.get("X-ClickHouse-Key")
            auth = self.headers.get("Authorization", "")
            if user is None and auth.startswith("Basic "):
                user, _, key = base64.b64decode(auth[6:]).decode().partition(":")
            return user or "default", key or ""

        def handle_query(self, body):
            url = urlparse(self.path)
            q = parse_qs(url.query, keep_blank_values=True)
            if url.path == "/ping":
                return self.reply(200, "Ok.\n")
            user, key = self.credentials()
            if (user, key) != (args.user, args.password):
                return self.reply(403, f"Code: 516. DB::Exception: {user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)\n", 516)
            sql = "\n".join(part for part in [q.get("query", [""])[0], body.decode()] if part)
            if not sql.strip():
                return self.reply(400, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)\n", 62)
            params = {k[6:]: v[0] for k, v in q.items() if k.startswith("param_")}
            fmt = q.get("default_format", ["TabSeparated"])[0]
            try:
                with engine:
                    result = db.query(sql, fmt, params=params or None)
                out = result.bytes() if hasattr(result, "bytes") else bytes(result)
                return self.reply(200, out or b"")
            except Exception as e:  # chdb raises ClickHouse's own message
                text = str(e)
                m = re.search(r"Code: (\d+)", text)
                return self.reply(500, text if text.endswith("\n") else text + "\n", int(m.group(1)) if m else 1000)

        def do_GET(self):
            self.handle_query(b"")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0") or 0)
            self.handle_query(self.rfile.read(length) if length else b"")

    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        db.close()


if __name__ == "__main__":
    main()
