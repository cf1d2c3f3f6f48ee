#!/usr/bin/env python3
"""Does what the payload says; otherwise echoes it."""
import json
import os
import signal
import sys

import fx

fx.write({"type": "ready"})
while (frame := fx.read()) is not None:
    header, body = frame
    i = header["id"]
    if body == b"publish":
        fx.write({"type": "publish", "id": i, "topic": "out/" + header["event"]["subject"]}, b"side")
        fx.write({"type": "log", "level": "warn", "message": "published"})
        fx.write({"type": "result", "id": i, "contentType": "text/plain"}, b"done")
    elif body == b"empty":
        fx.write({"type": "result", "id": i})
    elif body == b"env":
        reply = {"env": dict(os.environ), "cwd": os.getcwd(), "args": sys.argv[1:], "header": header}
        fx.write({"type": "result", "id": i, "contentType": "application/json"}, json.dumps(reply).encode())
    elif body == b"fail":
        fx.write({"type": "error", "id": i, "message": "bad reading"})
    elif body == b"die":
        os.kill(os.getpid(), signal.SIGKILL)
    elif body == b"crash":
        sys.stderr.write("giving up\n")
        sys.stderr.flush()
        os._exit(3)
    elif body == b"loop":
        while True:
            pass
    elif body == b"oom":
        hog = b"x" * (512 * 1024 * 1024)
        fx.write({"type": "result", "id": i}, hog[:1])
    else:
        fx.write({"type": "result", "id": i, "contentType": header["event"].get("datacontenttype")}, body)
