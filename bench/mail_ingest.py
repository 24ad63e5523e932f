#!/usr/bin/env python3
"""Load driver for bench/mail-ingest.sh: posts N generated messages to
POST /api/v1/mail/inbound with C concurrent connections and prints messages per second.

A mix like real traffic: 70 % new tickets from 2,000 senders (plain, some HTML, some with a
small attachment), 30 % follow-ups that thread by In-Reply-To to an earlier message.
Usage: mail_ingest.py BASE_URL TOKEN [N] [CONCURRENCY]
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse


def message(i, rnd, sent_ids):
    sender = f"customer{rnd.randrange(2000)}@example.org"
    mid = f"bench-{i}-{rnd.randrange(1 << 30)}@example.org"
    headers = [
        f"From: Customer <{sender}>",
        "To: support@example.com",
        f"Message-ID: <{mid}>",
        "Date: Tue, 24 Nov 2026 09:00:00 +0100",
        "MIME-Version: 1.0",
    ]
    if sent_ids and rnd.random() < 0.3:
        parent = rnd.choice(sent_ids)
        headers += [f"Subject: Re: Request {i}", f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
    else:
        headers.append(f"Subject: Request {i}: printer {rnd.randrange(100)} does not work")
    body = "Hello,\n\n" + " ".join(rnd.choice(["the", "printer", "network", "is", "down", "again", "please", "help"]) for _ in range(80)) + "\n\nRegards\n"
    kind = rnd.random()
    if kind < 0.15:
        headers.append('Content-Type: multipart/mixed; boundary="b"')
        text = body + "\n"
        raw = "\r\n".join(headers) + "\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + \
            "\r\n--b\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + \
            ("JVBERi0xLjQK" * 200) + f"{i:08d}\r\n--b--\r\n"
    elif kind < 0.35:
        headers.append("Content-Type: text/html; charset=utf-8")
        raw = "\r\n".join(headers) + "\r\n\r\n<html><body><p>" + body.replace("\n", "<br>") + "</p></body></html>\r\n"
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        raw = "\r\n".join(headers) + "\r\n\r\n" + body
    return mid, raw.encode()


def main():
    base, token = sys.argv[1], sys.argv[2]
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    url = urllib.parse.urlparse(base)
    rnd = random.Random(42)
    sent_ids, messages = [], []
    for i in range(total):
        mid, raw = message(i, rnd, sent_ids[-500:])
        sent_ids.append(mid)
        messages.append(raw)
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "errors": 0, "outcomes": {}}
    latencies = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while True:
            with lock:
                i = state["next"]
                if i >= total:
                    break
                state["next"] += 1
            started = time.perf_counter()
            conn.request("POST", "/api/v1/mail/inbound", body=messages[i], headers={
                "Authorization": f"Bearer {token}", "Content-Type": "message/rfc822"})
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status == 200:
                    state["ok"] += 1
                    outcome = json.loads(data)["outcome"]
                    state["outcomes"][outcome] = state["outcomes"].get(outcome, 0) + 1
                else:
                    state["errors"] += 1
                    if state["errors"] <= 3:
                        print(f"error {response.status}: {data[:300]!r}", file=sys.stderr)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{state['ok']} messages in {elapsed:.1f} s = {state['ok'] / elapsed:.0f} messages/s "
          f"(concurrency {concurrency}; p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms; "
          f"outcomes {state['outcomes']}; errors {state['errors']})")
    sys.exit(1 if state["errors"] else 0)


if __name__ == "__main__":
    main()
