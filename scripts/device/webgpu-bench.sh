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

ROOT=$(pwd)
GPU="$ROOT/.gpu"
OUT=${OUT:-/tmp/gradlab-device-out}
TMPD=${GRADLAB_DEVICE_TMP:-/tmp/gradlab-device}
GL_ROOT=${GL_ROOT:-/}
QUICK=${GRADLAB_DEVICE_QUICK:-}
BENCH_TIMEOUT=${GRADLAB_DEVICE_BENCH_TIMEOUT:-390}
mkdir -p "$OUT" "$TMPD"
LOG="$OUT/webgpu-bench.log"

T0=$(date +%s)
say() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*"; }
smi() { if command -v nvidia-smi >/dev/null; then nvidia-smi "$@" 2>&1 || true; else echo "(no nvidia-smi)"; fi; }

main() {
  say "webgpu-bench: repo $ROOT, OUT=$OUT, quick=${QUICK:-no}, $(uname -srm)"
  [ -f "$ROOT/deno.json" ] && [ -f "$ROOT/src/cli.ts" ] || { echo "run me from the gradlab repo root"; return 2; }
  for f in deno.xz node_modules.tar.xz fashion-mnist.tar.xz SHA256SUMS; do
    [ -f "$GPU/$f" ] || { echo "missing .gpu/$f: carry [\".gpu\"] in the device call"; return 2; }
  done

  say "== GPU before"
  smi -L
  smi --query-gpu=name,driver_version,clocks.sm --format=csv

  say "== checking and unpacking .gpu"
  (cd "$GPU" && sha256sum --quiet -c SHA256SUMS)

  # Deno
  local bin="$TMPD/bin"
  mkdir -p "$bin"
  if ! "$bin/deno" --version >/dev/null 2>&1; then
    xz -dc "$GPU/deno.xz" > "$bin/deno.part" && chmod +x "$bin/deno.part" && mv "$bin/deno.part" "$bin/deno"
  fi
  export PATH="$bin:$PATH"
  export DENO_DIR="$TMPD/deno-dir" DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR=1
  export HOME=${HOME:-/root}
  mkdir -p "$DENO_DIR"
  deno --version | head -1

  # node_modules: only where there is none, or one this script made
  if [ -e "$ROOT/node_modules" ] && [ ! -f "$ROOT/node_modules/.gradlab-device" ]; then
    echo "node_modules/ exists and was not made by this script: using it as it is"
  elif [ ! -f "$ROOT/node_modules/.gradlab-device" ]; then
    mkdir -p "$ROOT/node_modules"
    tar -xJf "$GPU/node_modules.tar.xz" -C "$ROOT/node_modules"
    touch "$ROOT/node_modules/.gradlab-device"
  fi
  echo "node_modules: $(find "$ROOT/node_modules" -type f | wc -l) files"

  # Fashion-MNIST (raw IDX files; the reader takes NAME or NAME.gz)
  DATA="$TMPD/fashion-mnist"
  if [ "$(ls "$DATA" 2>/dev/null | grep -c ubyte)" != 4 ]; then
    rm -rf "$DATA" && mkdir -p "$DATA"
    tar -xJf "$GPU/fashion-mnist.tar.xz" -C "$DATA"
  fi
  ls -l "$DATA" | tail -n +2

  say "== Vulkan / EGL loaders"
  local libdir="$GL_ROOT/usr/lib/x86_64-linux-gnu" need=() cache
  cache=$(ldconfig -p)
  for pair in libvulkan1:libvulkan.so.1 libglvnd0:libGLdispatch.so.0 libegl1:libEGL.so.1; do
    local pkg=${pair%%:*} lib=${pair#*:}
    if grep -qF "$lib " <<<"$cache"; then echo "$lib: already there"; else need+=("$pkg"); fi
  done
  for pkg in ${need[@]+"${need[@]}"}; do
    for deb in "$GPU"/gl/"${pkg}"_*.deb; do
      [ -f "$deb" ] || { echo "no .gpu/gl/${pkg}_*.deb"; continue; }
      echo "unpacking $(basename "$deb") into $GL_ROOT"
      mkdir -p "$GL_ROOT" && dpkg -x "$deb" "$GL_ROOT"
    done
  done
  local ldp=""
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [ -d "$d" ] && ldp="$ldp:$d"; done
  if [ "$GL_ROOT" = / ]; then
    ldconfig || true
  else
    ldp="$libdir$ldp"
  fi
  ldp=${ldp#:}
  [ -n "$ldp" ] && export LD_LIBRARY_PATH="$ldp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  echo "-- ldconfig -p | grep vulkan/EGL/GLdispatch/nvidia:"
  cache=$(ldconfig -p)
  grep -Ei 'vulkan|libEGL|GLdispatch|GLX_nvidia|nvidia-eglcore' <<<"$cache" | head -20 || true
  for d in /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d \
           /usr/local/nvidia/share/glvnd/egl_vendor.d /usr/share/glvnd/egl_vendor.d; do
    echo "-- ls $d:"; ls -l "$d" 2>&1 | tail -n +1 | head -8 || true
  done
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  local egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  [ -f "$icd" ] && { echo "-- $icd:"; cat "$icd"; echo; }

  say "== WebGPU adapter probe"
  local probe='const a = await navigator.gpu?.requestAdapter({ powerPreference: "high-performance" });
if (!a) { console.log("ADAPTER none"); } else {
  const i = a.info ?? {};
  const d = i.description || [i.vendor, i.architecture, i.device].filter(Boolean).join(" ") || "unnamed";
  const fb = Boolean(i.isFallbackAdapter || a.isFallbackAdapter) || /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render/i.test(d);
  console.log(`ADAPTER ${fb ? "software" : "hardware"} ${d} | vendor=${i.vendor} arch=${i.architecture} device=${i.device}`);
  console.log("LIMITS maxBufferSize=" + a.limits.maxBufferSize + " maxStorageBufferBindingSize=" + a.limits.maxStorageBufferBindingSize);
}'
  # configurations to try, in order: name|env assignments
  local configs=()
  [ -f "$icd" ] && configs+=("nvidia-icd|VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd")
  configs+=("default|")
  local egl_env=""; [ -f "$egl" ] && egl_env=" __EGL_VENDOR_LIBRARY_FILENAMES=$egl"
  configs+=("gl-egl|DENO_WEBGPU_BACKEND=gl$egl_env")
  local chosen="" chosen_env="" fallback_name="" fallback_env="" line
  for c in "${configs[@]}"; do
    local name=${c%%|*} envs=${c#*|}
    line=$(env $envs timeout 60 deno eval "$probe" 2>&1 | tr -d '\r' | grep -E '^(ADAPTER|LIMITS|error)' | head -3 || true)
    echo "[$name] ${envs:-(no extra env)}"; echo "${line:-ADAPTER ? (no output)}" | sed 's/^/    /'
    if grep -q '^ADAPTER hardware' <<<"$line"; then chosen=$name chosen_env=$envs; break; fi
    if grep -q '^ADAPTER software' <<<"$line" && [ -z "$fallback_name" ]; then fallback_name=$name fallback_env=$envs; fi
  done
  if [ -z "$chosen" ] && [ -n "$fallback_name" ] && { [ "$QUICK" = 1 ] || [ "$QUICK" = e1 ] || [ -n "${GRADLAB_DEVICE_ALLOW_FALLBACK:-}" ]; }; then
    echo "only a software adapter; accepted (quick/allow-fallback)"
    chosen=$fallback_name chosen_env=$fallback_env
  fi
  if [ -z "$chosen" ]; then
    say "== NO usable WebGPU adapter: why (Vulkan loader log, gradlab's own probe)"
    env ${configs[0]#*|} VK_LOADER_DEBUG=error,warn,driver timeout 60 deno eval "$probe" 2>&1 | awk 'NF && !seen[$0]++' | head -40 || true
    timeout 90 deno run -A src/cli.ts backends 2>&1 || true
    RESULT="FAILED: no hardware WebGPU adapter (see the probe lines above)"
    return 3
  fi
  echo "using [$chosen] ${chosen_env:-(no extra env)}"
  [ -n "$chosen_env" ] && export $chosen_env
  ENV_USED="[$chosen] $chosen_env"

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
