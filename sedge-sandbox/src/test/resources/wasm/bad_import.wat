;; Imports a function Sedge does not offer: refused at deploy.
(module
  (import "env" "abort" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "sedge_alloc") (param i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))
