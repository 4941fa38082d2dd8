#!/usr/bin/env bash
# build-web.sh DIR: build the browser client into DIR, the directory the server
# serves at "/" (engine Config.WebDir, server flag -web):
#   DIR/index.html    from client/web/index.html
#   DIR/wasm_exec.js  the Go runtime's loader, from this toolchain's GOROOT
#   DIR/client.wasm   GOOS=js GOARCH=wasm build of ./client
#   DIR/client.wasm.gz
# Run from anywhere; it builds the module this script belongs to.
set -euo pipefail

if (($# != 1)); then
	echo "usage: $0 DIR" >&2
	exit 2
fi
out=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

cd "$root"
GOOS=js GOARCH=wasm go build -trimpath -o "$out/client.wasm" ./client
cp client/web/index.html "$out/index.html"
# wasm_exec.js must come from the same toolchain that built client.wasm.
# Go 1.24 moved it from misc/wasm to lib/wasm.
goroot=$(go env GOROOT)
rm -f "$out/wasm_exec.js"
for js in "$goroot/lib/wasm/wasm_exec.js" "$goroot/misc/wasm/wasm_exec.js"; do
	if [[ -f $js ]]; then
		cp "$js" "$out/wasm_exec.js"
		break
	fi
done
if [[ ! -f $out/wasm_exec.js ]]; then
	echo "build-web: no wasm_exec.js in $goroot" >&2
	exit 1
fi
gzip -9 -k -f "$out/client.wasm"
