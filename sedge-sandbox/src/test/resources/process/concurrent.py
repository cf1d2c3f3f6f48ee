#!/usr/bin/env python3
"""Handles each event on its own thread: event "A" answers only after event "B" arrived."""
import threading

import fx

b_arrived = threading.Event()


def handle(i, body):
    if body == b"A":
        if not b_arrived.wait(10):
            fx.write({"type": "error", "id": i, "message": "B never came while A was in flight"})
            return
    else:
        b_arrived.set()
    fx.write({"type": "result", "id": i, "contentType": "text/plain"}, b"reply to " + body)


fx.write({"type": "ready"})
while (frame := fx.read()) is not None:
    header, body = frame
    threading.Thread(target=handle, args=(header["id"], body)).start()
