;; The benchmarks' wasm guest: one page (64 KiB) of memory, no imports, the least a guest needs to keep
;; Sedge's ABI. "handle" does nothing, so that timing it measures the runtime around the guest; "touch"
;; writes one byte into every 4 KiB of the memory, so that a rewind has a whole page of dirt to undo.
(module
  (memory (export "memory") 1 1)

  ;; Next free byte; the memory is rewound after each event, so nothing is ever freed.
  (global $heap (mut i32) (i32.const 1024))

  (func (export "sedge_alloc") (param $len i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $len))))

  (func (export "handle") (param $data i32) (param $len i32) (result i32)
    (i32.const 0))

  (func (export "touch") (param $data i32) (param $len i32) (result i32)
    (local $at i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (i32.const 65536)))
        (i32.store8 (local.get $at) (i32.const 0xA5))
        (local.set $at (i32.add (local.get $at) (i32.const 4096)))
        (br $next)))
    (i32.const 0)))
