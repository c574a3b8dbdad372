#!/bin/sh
# Regenerates grad.wat and src/kernels/grad-wasm-binary.ts. Needs wat2wasm (Debian: apt-get
# install wabt). Both outputs are committed, so building the package does not need wabt.
set -e
cd "$(dirname "$0")"
node generate.mjs
out="$(mktemp)"
wat2wasm grad.wat -o "$out"
node embed.mjs "$out" "wat2wasm $(wat2wasm --version)"
rm "$out"
echo "wrote grad.wat and src/kernels/grad-wasm-binary.ts"
