#!/usr/bin/env bash
# population-bench.sh: the population engine on a bare GPU machine under Deno's WebGPU (issue 16,
# item 3): `gradlab bench --population 64` and `--population 256` (model-steps per second of E1,
# Adam, recording on, against 2 replicas on wasm with 2 workers: target ≥ 5×), then E1's full
# profile over 64 seeds × 2 activations (scripts/device/population-e1.ts: target ≤ 120 s on an
# H200).
#
# The payload .gpu/ is the one webgpu-bench.sh uses (scripts/device/make-payload.sh builds it;
# its traces include the population bench and population-e1.ts). Call it through the device tool,
# from the repo root:
#   run(command="bash scripts/device/population-bench.sh", carry=[".gpu"], timeout_s=600)
# It writes $OUT/population-bench.log (everything), $OUT/population-{64,256}.json,
# $OUT/population-e1.txt, and ends with a summary.
#
# Environment knobs (the real run needs none):
#   GRADLAB_DEVICE_QUICK=1    smoke test: --population 4 --steps 20 only, E1 over 2 seeds × 1 epoch
#                             on 2,560 rows; a software (fallback) adapter is accepted
#   GRADLAB_DEVICE_ALLOW_FALLBACK=1   accept a software adapter (llvmpipe) in a full run
#   GRADLAB_POPULATION_STEPS=100      steps per replica in the bench
#   GRADLAB_POPULATION_E1_TIMEOUT=300 seconds before population-e1.ts is interrupted
set -euo pipefail

# shellcheck source=scripts/device/webgpu-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/webgpu-env.sh"
QUICK=${GRADLAB_DEVICE_QUICK:-}
STEPS=${GRADLAB_POPULATION_STEPS:-100}
E1_TIMEOUT=${GRADLAB_POPULATION_E1_TIMEOUT:-300}
LOG="$OUT/population-bench.log"

step() { # NAME TIMEOUT CMD...: runs CMD with a timeout, records its status in STATUS
  local name=$1 secs=$2 rc=0; shift 2
  say "== $name: $*   (timeout ${secs}s)"
  timeout -s INT -k 15 "$secs" "$@" || rc=$?
  STATUS+=("$name: exit $rc$([ "$rc" = 124 ] && echo " (timed out after ${secs}s)")")
  return 0
}

main() {
  say "population-bench: repo $ROOT, OUT=$OUT, quick=${QUICK:-no}, steps=$STEPS, $(uname -srm)"
  ACCEPT_FALLBACK=$([ "$QUICK" = 1 ] && echo "quick run" || echo "${GRADLAB_DEVICE_ALLOW_FALLBACK:+GRADLAB_DEVICE_ALLOW_FALLBACK}")
  device_setup || return $?
  local deno=(deno run -A --v8-flags=--expose-gc)
  if [ "$QUICK" = 1 ]; then
    step "bench --population 4" 300 "${deno[@]}" src/cli.ts bench --backend webgpu --population 4 --steps 20 --seed 1 --json "$OUT/population-4.json"
    step "E1 over 2 seeds (smoke)" "$E1_TIMEOUT" "${deno[@]}" scripts/device/population-e1.ts --backend webgpu --seeds 2 --epochs 1 --train-rows 2560 --data-dir "$DATA" | tee "$OUT/population-e1.txt"
    return 0
  fi
  for m in 64 256; do
    step "bench --population $m" 180 "${deno[@]}" src/cli.ts bench --backend webgpu --population "$m" --steps "$STEPS" --seed 1 --json "$OUT/population-$m.json"
  done
  step "E1 full over 64 seeds × 2 activations" "$E1_TIMEOUT" "${deno[@]}" scripts/device/population-e1.ts --backend webgpu --seeds 64 --data-dir "$DATA" | tee "$OUT/population-e1.txt"
}

summary() {
  echo
  echo "================ SUMMARY ================"
  echo "elapsed $(($(date +%s) - T0)) s; webgpu config: ${ENV_USED:-none}"
  printf '%s\n' "${STATUS[@]:-no step ran}"
  smi --query-gpu=name,driver_version,clocks.sm --format=csv
  for f in "$OUT"/population-*.json; do
    [ -s "$f" ] || continue
    echo "-- $f:"; tr -d ' \n' < "$f" | grep -oE '"(ratio|steadyModelStepsPerSecond|replicas|seconds)":[^,}]*' | tr '\n' ' '; echo
  done
  [ -s "$OUT/population-e1.txt" ] && { echo "-- population-e1:"; cat "$OUT/population-e1.txt"; }
  ls -l "$OUT"
}

STATUS=() ENV_USED=""
set +e
( set -euo pipefail; trap 'rc=$?; summary; exit $rc' EXIT; main ) 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
