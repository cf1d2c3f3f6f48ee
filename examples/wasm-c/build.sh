#!/bin/sh
# Builds temp_alert.wasm, a WASI reactor, with clang's wasm32-wasi target and wasi-libc
# (Debian: clang lld-14 wasi-libc libclang-rt-14-dev-wasm32).
set -eu
cd "$(dirname "$0")"
CC="${CC:-clang}"
"$CC" --target=wasm32-wasi -O2 -mexec-model=reactor \
    -Wl,--export=handle -Wl,--export=sedge_alloc -Wl,--strip-all \
    -o "${1:-temp_alert.wasm}" temp_alert.c
