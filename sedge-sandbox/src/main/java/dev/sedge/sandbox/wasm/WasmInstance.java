package dev.sedge.sandbox.wasm;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A started wasm function: a small pool of guests, one per event in progress, up to the spec's
 * concurrency, all starting every event from the same snapshot.
 *
 * <p>The first guest is created and initialised by the sandbox; later ones are created when more events
 * than idle guests arrive at once, by instantiating the compiled module and copying the snapshot into it,
 * without running the initialisation again. After each event the guest is rewound to the snapshot; a
 * guest that trapped, was interrupted or grew its memory or a table is dropped instead, and the next event
 * that needs one gets a fresh copy. Thread-safe.
 */
final class WasmInstance implements Instance {

    private static final System.Logger LOG = System.getLogger("dev.sedge.sandbox");

    private final Compiled compiled;
    private final FunctionSpec spec;
    private final Snapshot snapshot;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Guest> idle = new ConcurrentLinkedDeque<>();
    private final Set<Guest> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger created = new AtomicInteger(1);
    private volatile boolean closed;

    WasmInstance(Compiled compiled, FunctionSpec spec, Guest first, Snapshot snapshot) {
        this.compiled = compiled;
        this.spec = spec;
        this.snapshot = snapshot;
        this.permits = new Semaphore(spec.concurrency());
        live.add(first);
        idle.push(first);
    }

    @Override
    public Result invoke(Event event, Context context) throws Exception {
        permits.acquire();
        Guest guest = null;
        boolean reuse = false;
        try {
            if (closed) {
                throw new IllegalStateException("wasm instance of " + spec.name() + " is closed");
            }
            guest = idle.pollFirst();
            if (guest == null) {
                guest = newGuest();
            }
            try {
                Result result = guest.invoke(event, context);
                reuse = true;
                return result;
            } catch (WasmFailure e) {
                reuse = e.clean();
                throw e;
            }
        } finally {
            if (guest != null) {
                if (reuse && !closed && snapshot.rewind(guest.instance())) {
                    idle.push(guest);
                } else {
                    retire(guest);
                }
            }
            permits.release();
        }
    }

    private Guest newGuest() {
        Guest guest = new Guest(compiled, spec, false);
        created.incrementAndGet();
        if (!snapshot.restoreInto(guest.instance())) {
            guest.close();
            throw new IllegalStateException(
                    "cannot copy the initialised state of " + spec.name() + " into a new wasm guest");
        }
        live.add(guest);
        if (closed) {
            retire(guest);
            throw new IllegalStateException("wasm instance of " + spec.name() + " is closed");
        }
        return guest;
    }

    private void retire(Guest guest) {
        if (live.remove(guest)) {
            guest.close();
        }
    }

    /** How many guests this instance holds now, busy or idle; for tests. */
    int guests() {
        return live.size();
    }

    /** How many guests this instance created so far, the first included; for tests. */
    int created() {
        return created.get();
    }

    @Override
    public void close() {
        closed = true;
        for (Guest g : live) {
            try {
                g.interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: cannot interrupt a wasm guest: {1}", spec.name(), e);
            }
        }
        Guest g;
        while ((g = idle.pollFirst()) != null) {
            retire(g);
        }
    }
}
