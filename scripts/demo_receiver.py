"""A tiny webhook receiver for the demo: verifies each delivery with the Standard Webhooks
reference library and prints it. Usage: demo_receiver.py PORT SECRET_FILE"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook

port, secret_file = int(sys.argv[1]), sys.argv[2]

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            secret = open(secret_file).read().strip()
            payload = Webhook(secret).verify(body, dict(self.headers.items()))
            data = payload["data"]
            print(f"  ⇐ webhook {payload['type']:<30} verified  seq={data.get('sequence')} id={self.headers['webhook-id'][:13]}…", flush=True)
            self.send_response(204)
        except Exception as e:  # noqa: BLE001
            print(f"  ⇐ webhook REJECTED: {e}", flush=True)
            self.send_response(400)
        self.end_headers()

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", port), Handler).serve_forever()
