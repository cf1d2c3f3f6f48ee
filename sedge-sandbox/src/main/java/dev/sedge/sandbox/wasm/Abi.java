package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.SandboxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract between Sedge and a wasm guest (see docs/functions.md, "The wasm runtime"), and the deploy
 * check that a module keeps it.
 */
final class Abi {

    static final String HOST_MODULE = "sedge";
    static final String WASI_MODULE = "wasi_snapshot_preview1";
    static final String MEMORY = "memory";
    static final String ALLOC = "sedge_alloc";
    static final String INIT = "sedge_init";
    static final String WASI_INITIALIZE = "_initialize";
    static final String DEFAULT_HANDLER = "handle";
    static final int PAGE = 65_536;
    /** The largest memory a 32-bit wasm module can address, in pages. */
    static final int MAX_PAGES = 65_536;
    /**
     * The memory one guest may have when the descriptor sets no {@code resources.memory}: 64 MiB. Guests
     * live in the node's heap, so without a cap one {@code memory.grow} could ask for 4 GiB of it.
     */
    static final long DEFAULT_MEMORY_BYTES = 64L << 20;

    static final FunctionType ALLOC_TYPE = type(List.of(ValType.I32), List.of(ValType.I32));
    static final FunctionType HANDLER_TYPE = type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));

    /** The host functions of module {@code sedge}, by name. */
    static final Map<String, FunctionType> HOST_FUNCTIONS = hostFunctions();

    /** The WASI preview 1 functions Chicory implements, by name. */
    private static final Map<String, FunctionType> WASI_FUNCTIONS = wasiFunctions();

    private Abi() {}

    private static FunctionType type(List<ValType> params, List<ValType> results) {
        return FunctionType.of(params, results);
    }

    private static Map<String, FunctionType> hostFunctions() {
        Map<String, FunctionType> m = new LinkedHashMap<>();
        m.put("result", type(List.of(ValType.I32, ValType.I32), List.of()));
        m.put("content_type", type(List.of(ValType.I32, ValType.I32), List.of()));
        m.put("attr", type(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)));
        m.put("publish", type(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)));
        m.put("log", type(List.of(ValType.I32, ValType.I32, ValType.I32), List.of()));
        return Map.copyOf(m);
    }

    private static Map<String, FunctionType> wasiFunctions() {
        Map<String, FunctionType> m = new LinkedHashMap<>();
        try (WasiPreview1 wasi = WasiPreview1.builder()
                .withOptions(WasiOptions.builder().build())
                .build()) {
            for (var f : wasi.toHostFunctions()) {
                m.put(f.name(), f.functionType());
            }
        }
        return Map.copyOf(m);
    }

    static String handler(FunctionSpec spec) {
        String h = spec.handler();
        return h == null || h.isBlank() ? DEFAULT_HANDLER : h;
    }

    /** The memory one guest may have, in bytes: the descriptor's limit, or {@link #DEFAULT_MEMORY_BYTES}. */
    static long limitBytes(FunctionSpec spec) {
        return spec.memoryBytes() <= 0 ? DEFAULT_MEMORY_BYTES : spec.memoryBytes();
    }

    /** The memory limit in pages: {@link #limitBytes} rounded down, at most the 4 GiB a module can address. */
    static int limitPages(FunctionSpec spec) {
        return (int) Math.min(MAX_PAGES, limitBytes(spec) / PAGE);
    }

    /** The memory limits an instance runs with: the module's initial size, its maximum capped by the spec. */
    static MemoryLimits memoryLimits(WasmModule module, FunctionSpec spec) {
        MemoryLimits declared = declaredMemory(module).orElseThrow();
        int max = Math.min(declared.maximumPages(), limitPages(spec));
        return new MemoryLimits(declared.initialPages(), Math.max(max, declared.initialPages()));
    }

    private static Optional<MemoryLimits> declaredMemory(WasmModule module) {
        return module.memorySection()
                .filter(s -> s.memoryCount() > 0)
                .map(s -> s.getMemory(0).limits());
    }

    /**
     * Checks that the module keeps the ABI: the exports Sedge calls, with their signatures, and only the
     * imports Sedge offers; and that its initial memory fits the spec's limit.
     *
     * @throws SandboxException one line naming {@code spec.artifact} or {@code spec.handler}
     */
    static void check(FunctionSpec spec, WasmModule module) throws SandboxException {
        String file = String.valueOf(spec.artifact().getFileName());
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            String name = imp.module() + "." + imp.name();
            Map<String, FunctionType> offered = switch (imp.module()) {
                case HOST_MODULE -> HOST_FUNCTIONS;
                case WASI_MODULE -> WASI_FUNCTIONS;
                default -> Map.of();
            };
            if (!(imp instanceof FunctionImport fi) || !offered.containsKey(imp.name())) {
                throw new SandboxException("spec.artifact: " + file + " imports " + name
                        + ", which Sedge does not offer (a wasm function may import only the functions of "
                        + "module sedge and of wasi_snapshot_preview1)");
            }
            FunctionType actual = module.typeSection().getType(fi.typeIndex());
            if (!actual.typesMatch(offered.get(imp.name()))) {
                throw new SandboxException("spec.artifact: " + file + " imports " + name + " as " + describe(actual)
                        + " but Sedge offers it as " + describe(offered.get(imp.name())));
            }
        }

        Map<String, Export> exports = exports(module);
        Export memory = exports.get(MEMORY);
        if (memory == null || memory.exportType() != ExternalType.MEMORY) {
            throw new SandboxException("spec.artifact: " + file + " does not export its memory as \"memory\" (exports: "
                    + names(exports) + ")");
        }
        MemoryLimits declared = declaredMemory(module)
                .orElseThrow(() -> new SandboxException("spec.artifact: " + file + " defines no memory of its own"));
        if (declared.shared()) {
            throw new SandboxException("spec.artifact: " + file + " has a shared memory, which Sedge does not run");
        }
        if (declared.initialPages() > limitPages(spec)) {
            throw new SandboxException("spec.artifact: " + file + " needs " + (long) declared.initialPages() * PAGE
                    + " bytes of memory at start (" + declared.initialPages() + " pages), above the limit of "
                    + limitBytes(spec) + " bytes ("
                    + (spec.memoryBytes() <= 0
                            ? "the default when spec.resources.memory is not set"
                            : "spec.resources.memory")
                    + ")");
        }
        requireFunction(module, exports, ALLOC, ALLOC_TYPE, "spec.artifact", file);
        for (String init : List.of(WASI_INITIALIZE, INIT)) {
            if (exports.containsKey(init)) {
                requireFunction(module, exports, init, FunctionType.empty(), "spec.artifact", file);
            }
        }
        requireFunction(module, exports, handler(spec), HANDLER_TYPE, "spec.handler", file);
    }

    private static void requireFunction(
            WasmModule module,
            Map<String, Export> exports,
            String name,
            FunctionType expected,
            String field,
            String file)
            throws SandboxException {
        Export e = exports.get(name);
        if (e == null || e.exportType() != ExternalType.FUNCTION) {
            throw new SandboxException(
                    field + ": export \"" + name + "\" not found in " + file + " (exports: " + names(exports) + ")");
        }
        FunctionType actual = functionType(module, e.index());
        if (!actual.typesMatch(expected)) {
            throw new SandboxException(field + ": export \"" + name + "\" of " + file + " is " + describe(actual)
                    + ", expected " + describe(expected));
        }
    }

    /** Whether the module imports anything of WASI preview 1. */
    static boolean importsWasi(WasmModule module) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i).module().equals(WASI_MODULE)) {
                return true;
            }
        }
        return false;
    }

    static FunctionType functionType(WasmModule module, int index) {
        List<FunctionImport> imported = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i) instanceof FunctionImport fi) {
                imported.add(fi);
            }
        }
        if (index < imported.size()) {
            return module.typeSection().getType(imported.get(index).typeIndex());
        }
        return module.functionSection().getFunctionType(index - imported.size(), module.typeSection());
    }

    /** A signature as WAT writes types: {@code (i32, i32) -> (i32)}. */
    static String describe(FunctionType type) {
        return list(type.params()) + " -> " + list(type.returns());
    }

    private static String list(List<ValType> types) {
        List<String> names = new ArrayList<>();
        for (ValType t : types) {
            names.add(t.toString().toLowerCase(java.util.Locale.ROOT));
        }
        return "(" + String.join(", ", names) + ")";
    }

    static Map<String, Export> exports(WasmModule module) {
        Map<String, Export> m = new LinkedHashMap<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            m.put(e.name(), e);
        }
        return m;
    }

    /** Whether the module exports a function of that name taking and returning nothing. */
    static boolean exportsInitialiser(WasmModule module, String name) {
        Export e = exports(module).get(name);
        return e != null
                && e.exportType() == ExternalType.FUNCTION
                && functionType(module, e.index()).typesMatch(FunctionType.empty());
    }

    private static String names(Map<String, Export> exports) {
        return exports.isEmpty() ? "none" : String.join(", ", exports.keySet());
    }
}
