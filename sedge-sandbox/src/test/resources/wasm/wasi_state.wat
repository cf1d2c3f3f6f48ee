;; A guest of WasmSandboxTest for state that lives outside the snapshot: WASI file descriptors, the
;; function's log before any event, and the default memory limit.
;; Rebuild wasi_state.wasm after an edit: wat2wasm wasi_state.wat -o wasi_state.wasm
(module
  (import "sedge" "result" (func $result (param i32 i32)))
  (import "sedge" "log" (func $log (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))

  (memory (export "memory") 1)

  (data (i32.const 0x10) "initialised")
  (data (i32.const 0x20) "line\n")
  ;; One iovec at 0x30: the 5 bytes at 0x20.
  (data (i32.const 0x30) "\20\00\00\00\05\00\00\00")

  (global $heap (mut i32) (i32.const 0x1000))

  (func (export "sedge_alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))

  ;; Logs one line before any event, so it goes to the function's own logger.
  (func (export "sedge_init")
    (call $log (i32.const 1) (i32.const 0x10) (i32.const 11)))

;; With a payload starting "c", first closes stdin, stdout and stderr; with "r", first moves stdout
  ;; over stderr (which would close stderr and leave no fd 1). Then writes a line to stdout and replies
  ;; with fd_write's errno (0 when it worked).
  (func (export "handle") (param $ptr i32) (param $len i32) (result i32)
    (if (i32.gt_u (local.get $len) (i32.const 0))
      (then
        (if (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 0x63))
          (then
            (drop (call $fd_close (i32.const 1)))
            (drop (call $fd_close (i32.const 2)))
            (drop (call $fd_close (i32.const 0)))))
        (if (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 0x72))
          (then (drop (call $fd_renumber (i32.const 1) (i32.const 2)))))))
    (i32.store (i32.const 0x200) (call $fd_write (i32.const 1) (i32.const 0x30) (i32.const 1) (i32.const 0x40)))
    (call $result (i32.const 0x200) (i32.const 4))
    (i32.const 0))

  ;; Grows memory by 1,100 pages (about 69 MiB): status 5 when memory.grow refuses, else 0.
  (func (export "grow_big") (param $ptr i32) (param $len i32) (result i32)
    (if (result i32) (i32.eq (memory.grow (i32.const 1100)) (i32.const -1))
      (then (i32.const 5))
      (else (i32.const 0))))
)
