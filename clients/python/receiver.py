"""An example webhook receiver: verifies every delivery with the Standard Webhooks reference library and answers
204, or 400 when the signature does not hold (briefd retries non-2xx answers).

    python clients/python/receiver.py 9000 whsec_…      # then register http://127.0.0.1:9000/hooks
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from standardwebhooks.webhooks import WebhookVerificationError

from briefd_extras import verify_webhook


def serve(port: int, secret: Callable[[], str], on_event: Callable[[dict[str, Any]], None]) -> ThreadingHTTPServer:
    """Starts a receiver on 127.0.0.1:`port` (0: any free port) in a thread; `on_event` gets each verified payload."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            try:
                payload = verify_webhook(secret(), dict(self.headers.items()), body)
            except WebhookVerificationError:
                self.send_response(400)
                self.end_headers()
                return
            on_event(payload)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    port, key = int(sys.argv[1]), sys.argv[2]
    serve(port, lambda: key, lambda e: print(e["type"], e["data"].get("project_id"), flush=True))
    threading.Event().wait()
