;; Declares 64 pages (4 MiB) of initial memory: refused when the function's memory limit is smaller.
(module
  (memory (export "memory") 64)
  (func (export "sedge_alloc") (param i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))
