#!/bin/sh
# Regenerates src/fused-wasm-binary.ts from fused.wat. Needs wat2wasm (Debian: apt-get install wabt).
# The generated file is committed, so building the package does not need wabt.
set -e
cd "$(dirname "$0")"
out="$(mktemp)"
wat2wasm fused.wat -o "$out"
node embed.mjs "$out" "wat2wasm $(wat2wasm --version)"
rm "$out"
echo "wrote src/fused-wasm-binary.ts"
