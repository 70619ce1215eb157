#!/usr/bin/env bash
# webgpu-check.sh: is gradlab right on a GPU? Under Deno on a bare GPU machine (the device
# tool's nvidia-h200 / nvidia-h100-x1: no network, no node/deno/npm) it runs
#   1. gradlab backends --check        the adapter, its limits, the self-check on webgpu
#   2. gradlab props --backend webgpu --profile ci --seed 20261125     every law
#   3. gradlab run fashion-sigmoid-vs-relu --profile quick --backend webgpu   (E1 quick)
#   4. scripts/device/e1-agreement.ts  E1 quick on webgpu against its fixture (computed on
#                                      wasm): the same claim verdicts, numbers within the
#                                      cross-backend tolerance, test accuracies within 2 points
# and records everything for docs/webgpu.md.
#
# Needs the payload folder .gpu/ from scripts/device/make-payload.sh (rerun it when npm
# dependencies or imports change). Call it through the device tool, from the repo root:
#   run(command="bash scripts/device/webgpu-check.sh", carry=[".gpu"], timeout_s=540)
# It writes to $OUT: webgpu-check.log (everything), backends.txt, props-webgpu.json and .md,
# e1-webgpu.json, e1-agreement.txt, and ends with a summary: one line per step, PASS or FAIL.
#
# Environment knobs (the real run needs none):
#   GRADLAB_DEVICE_ALLOW_FALLBACK=1   accept a software adapter (llvmpipe): to try it on a dev box
#   GRADLAB_DEVICE_SEED=20261125      the property seed (CI's)
#   GRADLAB_DEVICE_STEP_TIMEOUT=200   seconds for each of steps 2 and 3
#   GL_ROOT=/, GRADLAB_DEVICE_TMP=/tmp/gradlab-device   as in webgpu-bench.sh
set -euo pipefail

# shellcheck source=scripts/device/webgpu-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/webgpu-env.sh"
SEED=${GRADLAB_DEVICE_SEED:-20261125}
STEP_TIMEOUT=${GRADLAB_DEVICE_STEP_TIMEOUT:-200}
LOG="$OUT/webgpu-check.log"

STEPS=()
# step NAME TIMEOUT CMD...: runs a gradlab step under a timeout, records PASS/FAIL with its exit status
step() {
  local name=$1 secs=$2 rc=0 t=$(date +%s); shift 2
  say "== $name   (timeout ${secs}s): $*"
  timeout -s INT -k 15 "$secs" "$@" || rc=$?
  local how="exit $rc$([ "$rc" = 124 ] && echo ", timed out")"
  STEPS+=("$([ "$rc" = 0 ] && echo PASS || echo FAIL)  $name ($how, $(($(date +%s) - t)) s)")
  return 0
}

main() {
  say "webgpu-check: repo $ROOT, OUT=$OUT, seed $SEED, $(uname -srm)"
  ACCEPT_FALLBACK=${GRADLAB_DEVICE_ALLOW_FALLBACK:+GRADLAB_DEVICE_ALLOW_FALLBACK}
  device_setup || return $?
  local gradlab=(deno run -A --v8-flags=--expose-gc src/cli.ts)

  step "backends --check" 150 bash -c "$(printf '%q ' "${gradlab[@]}") backends --check | tee $(printf '%q' "$OUT/backends.txt")"
  step "props --backend webgpu --profile ci --seed $SEED" "$STEP_TIMEOUT" \
    "${gradlab[@]}" props --backend webgpu --profile ci --seed "$SEED" --json "$OUT/props-webgpu.json"
  step "run fashion-sigmoid-vs-relu --profile quick --backend webgpu" "$STEP_TIMEOUT" \
    "${gradlab[@]}" run fashion-sigmoid-vs-relu --profile quick --backend webgpu --out "$OUT/e1-webgpu.json"
  if [ -s "$OUT/e1-webgpu.json" ]; then
    step "E1 quick: webgpu against the wasm fixture" 60 \
      bash -c "deno run -A scripts/device/e1-agreement.ts $(printf '%q' "$OUT/e1-webgpu.json") | tee $(printf '%q' "$OUT/e1-agreement.txt")"
  else
    STEPS+=("FAIL  E1 quick: webgpu against the wasm fixture (no e1-webgpu.json)")
  fi
  RESULT=$(printf '%s\n' "${STEPS[@]}" | grep -q '^FAIL' && echo FAILED || echo OK)
  [ "$RESULT" = OK ]
}

summary() {
  echo
  echo "================ SUMMARY ================"
  echo "result: ${RESULT:-FAILED before the checks (see above)}   elapsed $(($(date +%s) - T0)) s"
  echo "webgpu config: ${ENV_USED:-none}"
  printf '%s\n' "${STEPS[@]+"${STEPS[@]}"}"
  if [ -s "$OUT/props-webgpu.md" ]; then echo "-- props:"; grep -E 'passed|failed' "$OUT/props-webgpu.md" | head -40; fi
  if [ -s "$OUT/e1-agreement.txt" ]; then echo "-- E1 agreement:"; cat "$OUT/e1-agreement.txt"; fi
  echo "-- GPU:"
  smi --query-gpu=name,driver_version --format=csv
  ls -l "$OUT"
}

RESULT="" ENV_USED=""
set +e
( set -euo pipefail; trap 'rc=$?; summary; exit $rc' EXIT; main ) 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
