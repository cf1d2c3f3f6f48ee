#!/usr/bin/python3
"""MQTT scenarios run by Eclipse paho-mqtt (Python) against a broker, for PythonPahoTest.

Usage: paho_scenarios.py SCENARIO HOST PORT

Prints one line of JSON with what the clients saw; the Java test decides whether it is right. Exits 1,
with {"error": ...}, when a step does not happen in time. Every wait is on an event from the client
(CONNACK, SUBACK, PUBACK/PUBCOMP, a message), bounded; nothing sleeps. Where only the broker knows
that a step is done (a session ended after a DISCONNECT), the script prints "AWAIT <what> <arg>" and
reads "ok" from the test, which watches the broker.
"""

import json
import queue
import subprocess
import sys
import traceback

import paho.mqtt
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

TIMEOUT = 10


def new_client(client_id, version, clean_session=None):
    """A paho client; with paho 2.x, on its 1.x callback signatures, which this script uses."""
    kwargs = {"client_id": client_id, "protocol": version}
    if version != mqtt.MQTTv5:
        kwargs["clean_session"] = clean_session
    if hasattr(mqtt, "CallbackAPIVersion"):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, **kwargs)
    return mqtt.Client(**kwargs)


class Peer:
    """One client whose CONNACKs, SUBACKs and messages land in queues the scenario waits on."""

    def __init__(self, host, port, client_id, version=mqtt.MQTTv5, clean_session=None, inbox=None, will=None):
        self.host, self.port, self.version, self.client_id = host, port, version, client_id
        self.client = new_client(client_id, version, clean_session)
        if will is not None:
            self.client.will_set(will[0], will[1], qos=1)
        self.connacks = queue.Queue()
        self.subacks = queue.Queue()
        self.inbox = inbox if inbox is not None else queue.Queue()
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self.connacks.put({"session_present": int(flags.get("session present", 0)), "rc": int(getattr(rc, "value", rc))})

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        self.subacks.put([int(getattr(g, "value", g)) for g in granted])

    def _on_message(self, client, userdata, msg):
        self.inbox.put({
            "client": self.client_id,
            "topic": msg.topic,
            "payload": msg.payload.decode("utf-8"),
            "qos": msg.qos,
            "retain": bool(msg.retain),
        })

    def connect(self, clean_start=True, session_expiry=None):
        if self.version == mqtt.MQTTv5:
            props = None
            if session_expiry is not None:
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = session_expiry
            self.client.connect(self.host, self.port, clean_start=clean_start, properties=props)
        else:
            self.client.connect(self.host, self.port)
        self.client.loop_start()
        return self.connacks.get(timeout=TIMEOUT)

    def subscribe(self, topic, qos):
        self.client.subscribe(topic, qos)
        return self.subacks.get(timeout=TIMEOUT)

    def publish(self, topic, payload, qos, retain=False):
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        info.wait_for_publish(TIMEOUT)  # PUBACK for QoS 1, PUBCOMP for QoS 2
        if not info.is_published():
            raise TimeoutError("no acknowledgement for %s on %s" % (payload, topic))

    def next(self):
        return self.inbox.get(timeout=TIMEOUT)

    def disconnect(self):
        self.client.disconnect()
        self.client.loop_stop()


def await_broker(what, arg):
    """Asks the Java test to wait until the broker has done something MQTT cannot show the client."""
    print("AWAIT %s %s" % (what, arg), flush=True)
    answer = sys.stdin.readline().strip()
    if answer != "ok":
        raise TimeoutError("the broker did not get to %s %s: %s" % (what, arg, answer))


def mqtt5_session(host, port):
    """Clean Start and Session Expiry: a session kept while away, then discarded."""
    first = Peer(host, port, "py-session")
    ack1 = first.connect(clean_start=True, session_expiry=300)
    first.subscribe("py/session/#", 1)
    first.disconnect()
    pub = Peer(host, port, "py-session-pub")
    pub.connect()
    pub.publish("py/session/1", "m1", 1)
    pub.publish("py/session/2", "m2", 1)
    pub.disconnect()
    back = Peer(host, port, "py-session")
    ack2 = back.connect(clean_start=False, session_expiry=300)
    queued = [back.next()["payload"], back.next()["payload"]]
    back.disconnect()
    fresh = Peer(host, port, "py-session")
    ack3 = fresh.connect(clean_start=True, session_expiry=0)  # discards it, and keeps none after
    fresh.disconnect()
    # The DISCONNECT travels on its own connection: until the broker has handled it, a new CONNECT
    # would take the session over and rightly find it present.
    await_broker("session-gone", "py-session")
    after = Peer(host, port, "py-session")
    ack4 = after.connect(clean_start=False)
    after.disconnect()
    return {
        "reason_codes": [ack1["rc"], ack2["rc"], ack3["rc"], ack4["rc"]],
        "first_present": ack1["session_present"],
        "resumed_present": ack2["session_present"],
        "queued": queued,
        "clean_start_present": ack3["session_present"],
        "after_expiry_0_present": ack4["session_present"],
    }


def qos(host, port):
    """QoS 1 and QoS 2 round trips through the broker, then a marker that proves no duplicates."""
    sub = Peer(host, port, "py-qos-sub")
    sub.connect()
    granted = sub.subscribe("py/qos/#", 2)
    pub = Peer(host, port, "py-qos-pub")
    pub.connect()
    for i in range(10):
        pub.publish("py/qos/1", "one-%d" % i, 1)
    for i in range(10):
        pub.publish("py/qos/2", "two-%d" % i, 2)
    got = [sub.next() for _ in range(20)]
    pub.publish("py/qos/2", "end", 2)
    after = sub.next()
    pub.disconnect()
    sub.disconnect()
    return {
        "granted": granted,
        "qos1": [m["payload"] for m in got if m["topic"] == "py/qos/1"],
        "qos1_levels": sorted({m["qos"] for m in got if m["topic"] == "py/qos/1"}),
        "qos2": [m["payload"] for m in got if m["topic"] == "py/qos/2"],
        "qos2_levels": sorted({m["qos"] for m in got if m["topic"] == "py/qos/2"}),
        "after": after["payload"],
    }


def shared(host, port):
    """$share/g/...: each message goes to one of the two members."""
    inbox = queue.Queue()
    a = Peer(host, port, "py-share-a", inbox=inbox)
    b = Peer(host, port, "py-share-b", inbox=inbox)
    a.connect()
    b.connect()
    a.subscribe("$share/g/py/shared/#", 1)
    b.subscribe("$share/g/py/shared/#", 1)
    pub = Peer(host, port, "py-share-pub")
    pub.connect()
    for i in range(20):
        pub.publish("py/shared/%d" % i, "job-%d" % i, 1)
    got = [inbox.get(timeout=TIMEOUT) for _ in range(20)]
    for p in (pub, a, b):
        p.disconnect()
    return {
        "a": sum(1 for m in got if m["client"] == "py-share-a"),
        "b": sum(1 for m in got if m["client"] == "py-share-b"),
        "distinct": len({m["payload"] for m in got}),
    }


def retained(host, port):
    """A retained message reaches a later subscriber, flagged; an empty retained message clears it."""
    pub = Peer(host, port, "py-retain-pub")
    pub.connect()
    pub.publish("py/retained/lamp", "on", 1, retain=True)
    late = Peer(host, port, "py-retain-late")
    late.connect()
    late.subscribe("py/retained/#", 1)
    kept = late.next()
    late.disconnect()
    pub.publish("py/retained/lamp", "", 1, retain=True)
    later = Peer(host, port, "py-retain-later")
    later.connect()
    later.subscribe("py/retained/#", 1)
    pub.publish("py/retained/marker", "marker", 1)
    first_after_clear = later.next()
    later.disconnect()
    pub.disconnect()
    return {
        "kept": {"payload": kept["payload"], "retain": kept["retain"]},
        "after_clear": {"payload": first_after_clear["payload"], "retain": first_after_clear["retain"]},
    }


def will(host, port):
    """A will is published when a client dies (SIGKILL), and not when it disconnects."""
    watcher = Peer(host, port, "py-will-watcher")
    watcher.connect()
    watcher.subscribe("py/wills/#", 1)
    device = subprocess.Popen(
        [sys.executable, __file__, "will-device", host, str(port)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = device.stdout.readline().strip()
    device.kill()
    device.wait(TIMEOUT)
    abrupt = watcher.next()
    polite = Peer(host, port, "py-will-polite", will=("py/wills/polite", "gone"))
    polite.connect()
    polite.disconnect()  # a normal DISCONNECT discards the will
    marker = Peer(host, port, "py-will-marker")
    marker.connect()
    marker.publish("py/wills/marker", "marker", 1)
    marker.disconnect()
    after_polite = watcher.next()
    watcher.disconnect()
    return {
        "device": ready,
        "abrupt": {"topic": abrupt["topic"], "payload": abrupt["payload"]},
        "after_polite": after_polite["payload"],
    }


def will_device(host, port):
    """The child the will scenario kills: connects with a will, says so, and waits to be killed."""
    device = Peer(host, port, "py-will-device", will=("py/wills/device", "gone"))
    device.connect()
    print("connected", flush=True)
    sys.stdin.read()  # until killed


def mqtt311_session(host, port):
    """MQTT 3.1.1 Clean Session 0: the session and its queued QoS 1 messages survive a disconnect."""
    first = Peer(host, port, "py311", version=mqtt.MQTTv311, clean_session=False)
    ack1 = first.connect()
    first.subscribe("py/p311/#", 1)
    first.disconnect()
    pub = Peer(host, port, "py311-pub", version=mqtt.MQTTv311, clean_session=True)
    pub.connect()
    for i in range(3):
        pub.publish("py/p311/%d" % i, "q-%d" % i, 1)
    pub.disconnect()
    back = Peer(host, port, "py311", version=mqtt.MQTTv311, clean_session=False)
    ack2 = back.connect()
    queued = [back.next()["payload"] for _ in range(3)]
    back.disconnect()
    return {"first_present": ack1["session_present"], "resumed_present": ack2["session_present"], "queued": queued}


SCENARIOS = {
    "mqtt5-session": mqtt5_session,
    "qos": qos,
    "shared": shared,
    "retained": retained,
    "will": will,
    "mqtt311-session": mqtt311_session,
}


def main():
    name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if name == "will-device":
        will_device(host, port)
        return
    try:
        result = SCENARIOS[name](host, port)
        result["paho"] = paho.mqtt.__version__
        print(json.dumps(result), flush=True)
    except Exception:  # a step that did not happen: say which, for the Java test's message
        print(json.dumps({"error": traceback.format_exc()}), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
