package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * A parsed module and the JVM code Chicory's compiler made of it, shared by every instance of every
 * function whose artifact has the same content.
 *
 * @param sha256 the artifact's content hash, hex
 * @param module the parsed module
 * @param machineFactory the compiled code, as Chicory's instance builders take it
 */
record Compiled(String sha256, WasmModule module, Function<Instance, Machine> machineFactory) {}
