#!/usr/bin/env python3
"""Webhook receivers that misbehave, one per path, for `scripts/faults receivers`:
  /hang     reads the request and never answers
  /slow     answers 200 after 3 s
  /reset    reads the request and resets the connection (RST)
  /endless  answers 200 with a body that never ends
  /garbage  answers bytes that are not HTTP, then closes
Usage: bad_receiver.py PORT"""
import os, socket, struct, sys, threading, time


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head.split(b" ")[1].decode(errors="replace")


def serve(conn):
    try:
        while True:
            path = read_request(conn)
            if path is None:
                return
            kind = path.split("?")[0]
            if kind == "/hang":
                time.sleep(60)
                return
            if kind == "/slow":
                time.sleep(3)
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                continue
            if kind == "/reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if kind == "/endless":
                conn.sendall(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                chunk = b"a" * 16384
                frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
                deadline = time.time() + 30
                while time.time() < deadline:
                    conn.sendall(frame)
                return
            conn.sendall(os.urandom(512) + b"\r\n\r\n")   # /garbage and anything else
            return
    except OSError:
        pass
    finally:
        conn.close()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(512)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
