"""Frame helpers shared by the test functions."""
import json
import struct
import sys
import threading

_out = sys.stdout.buffer
_lock = threading.Lock()


def _exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read():
    prefix = _exactly(sys.stdin.buffer, 4)
    if prefix is None:
        return None
    header = json.loads(_exactly(sys.stdin.buffer, struct.unpack(">I", prefix)[0]))
    (n,) = struct.unpack(">I", _exactly(sys.stdin.buffer, 4))
    return header, (_exactly(sys.stdin.buffer, n) if n else b"")


def write(header, body=b""):
    encoded = json.dumps(header).encode()
    with _lock:
        _out.write(struct.pack(">I", len(encoded)) + encoded + struct.pack(">I", len(body)) + body)
        _out.flush()
