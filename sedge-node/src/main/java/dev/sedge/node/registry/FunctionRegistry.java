package dev.sedge.node.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The deployed functions, kept in an embedded MVStore file under the data directory so that they come
 * back after a restart. Every change is committed before the call returns. Thread-safe.
 */
public final class FunctionRegistry implements AutoCloseable {

    private final MVStore store;
    private final MVMap<String, String> functions;
    private final ObjectMapper json;

    public FunctionRegistry(Path file, ObjectMapper json) {
        this.store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open();
        this.functions = store.openMap("functions");
        this.json = json;
    }

    /** Adds or replaces a function and commits. */
    public synchronized void put(StoredFunction f) {
        try {
            functions.put(f.name(), json.writeValueAsString(f));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + f.name(), e);
        }
        store.commit();
    }

    /** Removes a function and commits; returns whether it existed. */
    public synchronized boolean remove(String name) {
        boolean existed = functions.remove(name) != null;
        store.commit();
        return existed;
    }

    public StoredFunction get(String name) {
        String text = functions.get(name);
        return text == null ? null : read(text);
    }

    /** Every stored function, by name. */
    public List<StoredFunction> all() {
        List<StoredFunction> out = new ArrayList<>();
        for (Map.Entry<String, String> e : functions.entrySet()) {
            out.add(read(e.getValue()));
        }
        return out;
    }

    private StoredFunction read(String text) {
        try {
            return json.readValue(text, StoredFunction.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalStateException("registry entry is not readable: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
