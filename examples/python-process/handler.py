#!/usr/bin/env python3
"""A Sedge process function in plain Python (standard library only): flags hot temperature readings.

An MQTT message {"celsius": 42.5} on sensors/<sensor>/temperature gets the reply
{"sensor": "<sensor>", "celsius": 42.5, "alert": true} (alert when above 40 degrees).

The bottom half speaks Sedge's frame protocol (see docs/functions.md, "The process runtime") and can be
copied as is: write your own handle(event, data) and call serve(handle).
"""
import json
import struct
import sys
import threading

ALERT_ABOVE = 40.0


def handle(event, data):
    """event: the CloudEvents attributes (a dict); data: the payload (bytes).

    Returns (reply bytes, content type), or None for no reply. Raising fails the invocation.
    """
    reading = json.loads(data)
    celsius = float(reading["celsius"])
    levels = (event.get("subject") or "").split("/")
    sensor = levels[1] if len(levels) > 1 else None
    reply = {"sensor": sensor, "celsius": celsius, "alert": celsius > ALERT_ABOVE}
    return json.dumps(reply).encode(), "application/json"


# ---- the frame protocol: 4-byte length + JSON header, 4-byte length + body ------------------------

_out = sys.stdout.buffer
sys.stdout = sys.stderr  # print() goes to the function's log; stdout carries only frames
_out_lock = threading.Lock()


def _read_exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            if data:
                raise EOFError("stdin ended inside a frame")
            return None
        data += chunk
    return data


def read_frame(stream):
    """The next (header dict, body bytes) from the node, or None when the node closed stdin."""
    prefix = _read_exactly(stream, 4)
    if prefix is None:
        return None
    header = json.loads(_read_exactly(stream, struct.unpack(">I", prefix)[0]))
    (body_length,) = struct.unpack(">I", _read_exactly(stream, 4))
    body = _read_exactly(stream, body_length) if body_length else b""
    return header, body


def write_frame(header, body=b""):
    """Sends one frame to the node; safe to call from several threads."""
    encoded = json.dumps(header).encode()
    with _out_lock:
        _out.write(struct.pack(">I", len(encoded)) + encoded + struct.pack(">I", len(body)) + body)
        _out.flush()


def log(message, level="info"):
    write_frame({"type": "log", "level": level, "message": message})


def publish(topic, payload, invocation_id=None):
    header = {"type": "publish", "topic": topic}
    if invocation_id is not None:
        header["id"] = invocation_id
    write_frame(header, payload)


def serve(handler):
    """Says ready, then runs handler on each event, one at a time, until the node closes stdin."""
    stdin = sys.stdin.buffer
    write_frame({"type": "ready"})
    while True:
        frame = read_frame(stdin)
        if frame is None:
            return
        header, body = frame
        if header.get("type") != "event":
            continue
        invocation_id = header["id"]
        try:
            reply = handler(header["event"], body)
        except Exception as e:  # the invocation fails, the process carries on
            write_frame({"type": "error", "id": invocation_id, "message": f"{type(e).__name__}: {e}"})
            continue
        if reply is None:
            write_frame({"type": "result", "id": invocation_id})
        else:
            data, content_type = reply
            write_frame({"type": "result", "id": invocation_id, "contentType": content_type}, data)


if __name__ == "__main__":
    serve(handle)
