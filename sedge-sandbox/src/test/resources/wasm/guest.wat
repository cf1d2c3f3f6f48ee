;; The test guest of WasmSandboxTest: one module, one handler per behaviour under test.
;; Rebuild guest.wasm after an edit: wat2wasm guest.wat -o guest.wasm
(module
  (import "sedge" "result" (func $result (param i32 i32)))
  (import "sedge" "content_type" (func $content_type (param i32 i32)))
  (import "sedge" "attr" (func $attr (param i32 i32 i32 i32) (result i32)))
  (import "sedge" "publish" (func $publish (param i32 i32 i32 i32) (result i32)))
  (import "sedge" "log" (func $log (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  (data (i32.const 0x10) "text/plain")
  (data (i32.const 0x20) "subject")
  (data (i32.const 0x30) "echo/out")
  (data (i32.const 0x40) "a/#")
  (data (i32.const 0x50) "hello from the guest")
  (data (i32.const 0x70) "to stdout\nand a partial line")
  (data (i32.const 0x90) "missing")

  ;; The bump allocator's next free byte; rewound with everything else after each event.
  (global $heap (mut i32) (i32.const 0x1000))
  ;; State that sedge_init sets and handlers change: must not leak from one event to the next.
  (global $count (mut i32) (i32.const 0))

  (func $alloc (export "sedge_alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))

  (func (export "sedge_init")
    (global.set $count (i32.const 10))
    (i32.store (i32.const 0x100) (i32.const 20)))

  ;; Upper-cases ASCII letters in place and replies with them as text/plain.
  (func (export "handle") (param $ptr i32) (param $len i32) (result i32)
    (local $i i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
          (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $result (local.get $ptr) (local.get $len))
    (call $content_type (i32.const 0x10) (i32.const 10))
    (i32.const 0))

  ;; Replies with the event's subject, asking with a 4-byte buffer first and again with the full length.
  (func (export "topic") (param $ptr i32) (param $len i32) (result i32)
    (local $buf i32)
    (local $n i32)
    (local.set $buf (call $alloc (i32.const 4)))
    (local.set $n (call $attr (i32.const 0x20) (i32.const 7) (local.get $buf) (i32.const 4)))
    (if (i32.gt_s (local.get $n) (i32.const 4))
      (then
        (local.set $buf (call $alloc (local.get $n)))
        (local.set $n (call $attr (i32.const 0x20) (i32.const 7) (local.get $buf) (local.get $n)))))
    (call $result (local.get $buf) (local.get $n))
    (i32.const 0))

  ;; Returns the length attr reports for an attribute that is absent (-1) as 4 bytes.
  (func (export "missing") (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0x200) (call $attr (i32.const 0x90) (i32.const 7) (i32.const 0) (i32.const 0)))
    (call $result (i32.const 0x200) (i32.const 4))
    (i32.const 0))

  ;; Publishes the payload on echo/out, then tries the invalid topic a/# and replies with both codes.
  (func (export "publish") (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0x200) (call $publish (i32.const 0x30) (i32.const 8) (local.get $ptr) (local.get $len)))
    (i32.store (i32.const 0x204) (call $publish (i32.const 0x40) (i32.const 3) (local.get $ptr) (local.get $len)))
    (call $result (i32.const 0x200) (i32.const 8))
    (i32.const 0))

  ;; Increments a global and a memory word, replies with both (little-endian i32s): 11 and 21 every time.
  (func (export "counter") (param $ptr i32) (param $len i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store (i32.const 0x100) (i32.add (i32.load (i32.const 0x100)) (i32.const 1)))
    (i32.store (i32.const 0x200) (global.get $count))
    (i32.store (i32.const 0x204) (i32.load (i32.const 0x100)))
    (call $result (i32.const 0x200) (i32.const 8))
    (i32.const 0))

  ;; Logs through sedge.log at info, and writes two lines, the second unterminated, to WASI stdout.
  (func (export "logs") (param $ptr i32) (param $len i32) (result i32)
    (call $log (i32.const 1) (i32.const 0x50) (i32.const 20))
    (i32.store (i32.const 0x300) (i32.const 0x70))
    (i32.store (i32.const 0x304) (i32.const 28))
    (drop (call $fd_write (i32.const 1) (i32.const 0x300) (i32.const 1) (i32.const 0x308)))
    (i32.const 0))

  (func (export "fail") (param $ptr i32) (param $len i32) (result i32)
    (i32.const 7))

  (func (export "trap") (param $ptr i32) (param $len i32) (result i32)
    (unreachable))

  (func (export "oob") (param $ptr i32) (param $len i32) (result i32)
    (i32.load (i32.const -16)))

  (func $recurse (export "recurse") (param $ptr i32) (param $len i32) (result i32)
    (call $recurse (local.get $ptr) (local.get $len)))

  ;; Says so in the log, then loops forever.
  (func (export "spin") (param $ptr i32) (param $len i32) (result i32)
    (call $log (i32.const 1) (i32.const 0x50) (i32.const 20))
    (loop $forever
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (br $forever))
    (i32.const 0))

  ;; Grows memory by 16 pages: traps when memory.grow refuses (-1), else replies with the old size.
  (func (export "grow") (param $ptr i32) (param $len i32) (result i32)
    (local $old i32)
    (local.set $old (memory.grow (i32.const 16)))
    (if (i32.eq (local.get $old) (i32.const -1)) (then (unreachable)))
    (i32.store (i32.const 0x200) (local.get $old))
    (i32.store (i32.const 0x204) (memory.size))
    (call $result (i32.const 0x200) (i32.const 8))
    (i32.const 0))

  ;; Grows memory by 16 pages without trapping: status 5 when memory.grow refuses, else 0.
  (func (export "grow_soft") (param $ptr i32) (param $len i32) (result i32)
    (if (result i32) (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
      (then (i32.const 5))
      (else (i32.const 0))))

  ;; Replies with memory.size, so a test can see that a grown memory was rewound to one page.
  (func (export "size") (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0x200) (memory.size))
    (call $result (i32.const 0x200) (i32.const 4))
    (i32.const 0))

  ;; The wrong signature for a handler.
  (func (export "wrong") (param $ptr i32) (result i32)
    (i32.const 0))
)
