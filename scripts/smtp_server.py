#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): STARTTLS required before AUTH PLAIN/LOGIN, every message parsed by
Python's email package and kept as JSON in a folder, one file per recipient, in arrival order.

    smtp_server.py --dir D [--port 0] [--user U --password P] [--delay SECONDS]

Writes D/ready with the port once listening, and D/cert.pem (the certificate to trust). Addresses that begin with
`refuse` are refused with 550; those that begin with `later` get 451 (try again later). `--delay` waits before answering each DATA (a slow server, for kills while
sending). Stops on SIGTERM.
"""
import argparse, asyncio, email, email.policy, json, os, signal, ssl, subprocess, sys, itertools

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def certificate(folder):
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
            check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Keeper:
    def __init__(self, folder, delay=0.0):
        self.folder = folder
        self.delay = delay
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 no such mailbox here"
        if address.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        for rcpt in envelope.rcpt_tos:
            record = {
                "mail_from": envelope.mail_from, "rcpt_to": rcpt, "tls": session.ssl is not None,
                "authenticated": bool(session.authenticated),
                "headers": {k.lower(): str(v) for k, v in message.items()},
                "text": text.get_content() if text else None, "html": html.get_content() if html else None,
                "raw_ascii": all(b < 0x80 for b in envelope.original_content),
            }
            n = next(self.counter)
            path = os.path.join(self.folder, f"{n:06d}.json")
            with open(path + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(path + ".tmp", path)
        return "250 OK queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user", default="briefd")
    parser.add_argument("--password", default="mail-secret")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    # A parent may have blocked these (a test runner's threads): unblocked, SIGTERM stops the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    os.makedirs(args.dir, exist_ok=True)
    context = certificate(args.dir)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
            and auth_data.password.decode() == args.password
        return AuthResult(success=ok, handled=False)

    port = args.port
    if port == 0:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(
        Keeper(args.dir, args.delay), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        auth_require_tls=True, authenticator=authenticate, auth_required=True, server_hostname="localhost")
    controller.start()
    with open(os.path.join(args.dir, "ready.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(args.dir, "ready.tmp"), os.path.join(args.dir, "ready"))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
