"""Verifies captured webhook deliveries with the Standard Webhooks reference library.

Input: a JSON file with {"secret": "whsec_...", "deliveries": [{"headers": {...}, "body": "..."}]}.
Prints one line per delivery and exits non-zero if any fails.
"""
import json
import sys

from standardwebhooks.webhooks import Webhook

def main(path):
    spec = json.load(open(path))
    wh = Webhook(spec["secret"])
    bad = 0
    for i, d in enumerate(spec["deliveries"]):
        try:
            payload = wh.verify(d["body"], d["headers"])
            print(f"ok {i} {d['headers']['webhook-id']} {payload.get('type')}")
        except Exception as e:  # noqa: BLE001 - report every failure
            bad += 1
            print(f"FAIL {i}: {e}")
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main(sys.argv[1])
