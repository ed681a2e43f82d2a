#!/usr/bin/env python3
"""Language server latency (a benchmark, not a test): time from a `didChange` of a 300-line
ownership file to its `publishDiagnostics`, and the round trip of a completion request, on the
binary given (default target/release/raci-lint). Standard library only.

    cargo build --release --locked && python3 bench/lsp.py [--runs 50]
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def ownership_text():
    """A cegedim.cloud file of about 300 lines: every activity in explicit form with comments."""
    out = subprocess.run(
        [str(BIN), "matrix", "cegedim-cloud", "--plan", "self-service", "--product", "kubernetes",
         "--product", "object-storage", "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    rows = json.loads(out.stdout)
    rows = rows["activities"] if isinstance(rows, dict) else rows
    lines = ["# 300-line ownership file for the latency benchmark", "service: bench",
             "provider: cegedim-cloud", "plan: self-service", "products: [kubernetes, object-storage]",
             "teams: { platform: {}, data: {} }", "responsibilities:"]
    for row in rows:
        ident = row.get("id") or row.get("activity")
        lines.append(f"  # {row.get('title', '')}")
        lines.append(f"  {ident}:")
        lines.append("    responsible: platform")
        lines.append("    accountable: platform")
        lines.append("    informed: [data]")
        if len(lines) >= 296:
            break
    while len(lines) < 300:
        lines.append("# padding")
    return "\n".join(lines) + "\n"


class Client:
    def __init__(self, cwd):
        self.proc = subprocess.Popen([str(BIN), "server"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next = 0

    def send(self, payload):
        body = json.dumps(payload).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next += 1
        self.send({"jsonrpc": "2.0", "id": self.next, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == self.next and "method" not in msg:
                return msg
            if "method" in msg and "id" in msg:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, method):
        while True:
            msg = self.read()
            if msg.get("method") == method:
                return msg
            if "method" in msg and "id" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})


def main():
    global BIN
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "target" / "release" / "raci-lint"))
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    BIN = pathlib.Path(args.bin).resolve()
    text = ownership_text()
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, ".git"))
        path = pathlib.Path(tmp) / "raci.yaml"
        path.write_text(text)
        uri = path.as_uri()
        c = Client(tmp)
        c.request("initialize", {"processId": None, "rootUri": pathlib.Path(tmp).as_uri(), "capabilities": {}})
        c.notify("initialized", {})
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        first = c.wait("textDocument/publishDiagnostics")
        lines = text.count("\n")
        found = len(first["params"]["diagnostics"])
        diag, comp = [], []
        for i in range(args.runs):
            changed = text.replace("informed: [data]", "informed: [data, platform]", 1 + i % 3)
            start = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                                "contentChanges": [{"text": changed}]})
            c.wait("textDocument/publishDiagnostics")
            diag.append(time.perf_counter() - start)
            start = time.perf_counter()
            reply = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": 8, "character": 4}})
            comp.append(time.perf_counter() - start)
            items = len(reply.get("result") or [])
        c.request("shutdown", None)
        c.notify("exit", None)
        c.proc.wait(timeout=10)
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.1f} ms, p90 {sorted(xs)[int(len(xs) * 0.9)] * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"
    print(f"ownership file: {lines} lines, {found} diagnostics; completion offers {items} items; {args.runs} runs")
    print(f"didChange -> publishDiagnostics: {ms(diag)}")
    print(f"completion round trip:           {ms(comp)}")


if __name__ == "__main__":
    main()
