;; A wasm function written by hand in WebAssembly text: replies "<topic>: <PAYLOAD>" (the payload
;; upper-cased) as text/plain. Shows the whole ABI a guest needs: memory, sedge_alloc, a handler, and the
;; sedge.attr / sedge.result / sedge.content_type imports.
(module
  (import "sedge" "attr" (func $attr (param i32 i32 i32 i32) (result i32)))
  (import "sedge" "result" (func $result (param i32 i32)))
  (import "sedge" "content_type" (func $content_type (param i32 i32)))

  (memory (export "memory") 1)
  (data (i32.const 16) "subject")
  (data (i32.const 32) "text/plain; charset=utf-8")

  ;; Next free byte. Memory is rewound after each event, so allocating without ever freeing is correct.
  (global $heap (mut i32) (i32.const 1024))

  (func $alloc (export "sedge_alloc") (param $len i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $len))))

  (func (export "handle") (param $data i32) (param $len i32) (result i32)
    (local $topic i32) (local $n i32) (local $out i32) (local $i i32) (local $c i32)
    ;; Ask for the topic's length with an empty buffer, then fetch it into a buffer of that size.
    (local.set $n (call $attr (i32.const 16) (i32.const 7) (i32.const 0) (i32.const 0)))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const 1))))
    (local.set $out (call $alloc (i32.add (i32.add (local.get $n) (i32.const 2)) (local.get $len))))
    (drop (call $attr (i32.const 16) (i32.const 7) (local.get $out) (local.get $n)))
    ;; ": " then the payload, upper-cased.
    (i32.store16 (i32.add (local.get $out) (local.get $n)) (i32.const 0x203a))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $data) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
          (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
        (i32.store8 (i32.add (i32.add (local.get $out) (i32.add (local.get $n) (i32.const 2))) (local.get $i))
          (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $result (local.get $out) (i32.add (i32.add (local.get $n) (i32.const 2)) (local.get $len)))
    (call $content_type (i32.const 32) (i32.const 25))
    (i32.const 0)))
