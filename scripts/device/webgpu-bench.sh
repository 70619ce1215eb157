#!/usr/bin/env bash
# webgpu-bench.sh: runs `gradlab bench --backend webgpu --full-e1` under Deno on a bare GPU
# machine (the device tool's nvidia-h200 / nvidia-h100-x1: no network, no node/deno/npm).
#
# Everything it needs travels in the git-ignored folder .gpu/, built on the dev machine by
# scripts/device/make-payload.sh (rerun it when npm dependencies or imports change):
#   .gpu/deno.xz               the Deno binary (xz, x86 BCJ filter)
#   .gpu/node_modules.tar.xz   only the node_modules files the bench opens under Deno
#   .gpu/fashion-mnist.tar.xz  the four Fashion-MNIST IDX files, gunzipped (the code reads both)
#   .gpu/gl/*.deb              Debian's libvulkan1, libglvnd0, libegl1 (the Vulkan/EGL loaders)
#   .gpu/SHA256SUMS            checksums of the above
#
# Call it through the device tool, from the repo root, with carry [".gpu"]:
#   run(command="bash scripts/device/webgpu-bench.sh", carry=[".gpu"], timeout_s=480)
# It writes $OUT/webgpu-bench.log (everything), $OUT/bench-webgpu.json, $OUT/bench-table.txt,
# and ends with a compact summary. It unpacks node_modules/ at the repo root (only where
# there is none, or one it made itself) and the rest under /tmp/gradlab-device.
#
# Environment knobs (the real run needs none):
#   GRADLAB_DEVICE_QUICK=1    tiny run for a smoke test: --steps 3 --warmup 2 --only 'E1 sigmoid',
#                             no --full-e1, and a software (fallback) adapter is accepted
#   GRADLAB_DEVICE_QUICK=e1   the same tiny step timing, plus --full-e1
#   GRADLAB_DEVICE_QUICK=steps  E1's two steps only: --steps 50 --warmup 20 --only E1
#   GRADLAB_DEVICE_ALLOW_FALLBACK=1   accept a software adapter (llvmpipe) in a full run
#   GRADLAB_DEVICE_BENCH_TIMEOUT=390  seconds before the bench is interrupted
#   GL_ROOT=/                 where the loader debs are unpacked (anything but / uses
#                             LD_LIBRARY_PATH instead of ldconfig: for trying it out on a dev box)
#   GRADLAB_DEVICE_TMP=/tmp/gradlab-device
set -euo pipefail

# shellcheck source=scripts/device/webgpu-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/webgpu-env.sh"
QUICK=${GRADLAB_DEVICE_QUICK:-}
BENCH_TIMEOUT=${GRADLAB_DEVICE_BENCH_TIMEOUT:-390}
LOG="$OUT/webgpu-bench.log"

main() {
  say "webgpu-bench: repo $ROOT, OUT=$OUT, quick=${QUICK:-no}, $(uname -srm)"
  ACCEPT_FALLBACK=$( { [ "$QUICK" = 1 ] || [ "$QUICK" = e1 ]; } && echo "quick run" || echo "${GRADLAB_DEVICE_ALLOW_FALLBACK:+GRADLAB_DEVICE_ALLOW_FALLBACK}")
  device_setup || return $?

  say "== gradlab backends (the project's own probe)"
  timeout 120 deno run -A --v8-flags=--expose-gc src/cli.ts backends 2>&1 || echo "(backends exited $?)"

  local args=(bench --backend webgpu --json "$OUT/bench-webgpu.json")
  case "$QUICK" in
    "") args+=(--full-e1 --data-dir "$DATA") ;;
    e1) args+=(--steps 3 --warmup 2 --only 'E1 sigmoid' --full-e1 --data-dir "$DATA") ;;
    # E1's steps only, fewer of them: the full run timed out on an H200 (2026-11-26), where
    # one webgpu step takes ~0.1 s (dispatch and read-back bound) and full E1 would take ~16 min
    steps) args+=(--steps 50 --warmup 20 --only 'E1') ;;
    *) args+=(--steps 3 --warmup 2 --only 'E1 sigmoid') ;;
  esac
  say "== gradlab ${args[*]}   (timeout ${BENCH_TIMEOUT}s)"
  # a heartbeat with the GPU's load, so a slow run still shows it is alive
  ( s=; trap 'kill $s 2>/dev/null; exit 0' TERM
    while :; do
      sleep 30 & s=$!; wait $s
      printf '[heartbeat %ds] %s\n' "$(($(date +%s) - T0))" \
        "$(smi --query-gpu=utilization.gpu,memory.used,clocks.sm --format=csv,noheader | head -1)"
    done ) &
  local hb=$!
  set +e
  timeout -s INT -k 15 "$BENCH_TIMEOUT" deno run -A --v8-flags=--expose-gc src/cli.ts "${args[@]}" \
    | tee "$OUT/bench-table.txt"
  BENCH_RC=${PIPESTATUS[0]}
  set -e
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  say "== bench exit status $BENCH_RC$([ "$BENCH_RC" = 124 ] && echo " (timed out after ${BENCH_TIMEOUT}s)")"
  RESULT=$([ "$BENCH_RC" = 0 ] && echo OK || echo "FAILED (bench exit $BENCH_RC)")
  [ "$BENCH_RC" = 0 ]
}

summary() {
  echo
  echo "================ SUMMARY ================"
  echo "result: ${RESULT:-FAILED before the bench (see above)}   elapsed $(($(date +%s) - T0)) s"
  echo "webgpu config: ${ENV_USED:-none}"
  echo "-- GPU after:"
  smi --query-gpu=name,driver_version,clocks.sm --format=csv
  if [ -s "$OUT/bench-table.txt" ]; then echo "-- bench table:"; cat "$OUT/bench-table.txt"; fi
  if [ -s "$OUT/bench-webgpu.json" ]; then
    echo "-- $OUT/bench-webgpu.json: $(wc -c < "$OUT/bench-webgpu.json") bytes; fullE1:"
    tr -d ' \n' < "$OUT/bench-webgpu.json" | grep -o '"fullE1":{[^}]*}[^}]*}' | head -c 600 || echo "(none)"
    echo
  fi
  ls -l "$OUT"
}

RESULT="" ENV_USED="" BENCH_RC=""
set +e
( set -euo pipefail; trap 'rc=$?; summary; exit $rc' EXIT; main ) 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
