"""A background worker: prints a heartbeat every few seconds until stopped."""
import os
import signal
import sys
import time

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
interval = float(os.environ.get("WORKER_INTERVAL", "5"))
count = 0
while True:
    count += 1
    print(f"python-hello worker on {os.environ.get('DYNO', 'local')}: tick {count}", flush=True)
    time.sleep(interval)
