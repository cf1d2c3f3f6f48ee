;; The replay's wasm guest: replies with the payload it got, unchanged, so that the replay's subscriber
;; reads back which event a reply answers. One page (64 KiB) of memory; imports only sedge.result.
(module
  (import "sedge" "result" (func $result (param i32 i32)))

  (memory (export "memory") 1 1)

  ;; Next free byte; the memory is rewound after each event, so nothing is ever freed.
  (global $heap (mut i32) (i32.const 1024))

  (func (export "sedge_alloc") (param $len i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $len))))

  (func (export "handle") (param $data i32) (param $len i32) (result i32)
    (call $result (local.get $data) (local.get $len))
    (i32.const 0)))
