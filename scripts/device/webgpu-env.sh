# webgpu-env.sh: sourced by scripts/device/webgpu-bench.sh and webgpu-check.sh; prepares a bare
# GPU machine (no network, no node/deno/npm) for gradlab under Deno from the payload folder .gpu/
# (built by scripts/device/make-payload.sh): checks and unpacks Deno, the traced node_modules and
# Fashion-MNIST, the Vulkan/EGL loaders, and picks a WebGPU adapter (a hardware one; a software
# one only when ACCEPT_FALLBACK is set, to the reason it is accepted).
#
# Sourced from the repo root: sets ROOT, GPU (its .gpu), OUT, TMPD, GL_ROOT (from the environment,
# with defaults), T0, and the functions say (a line with the seconds since T0) and smi (nvidia-smi
# where there is one). device_setup then exports PATH (deno), DENO_DIR and friends,
# LD_LIBRARY_PATH where needed and the chosen adapter's environment, sets DATA (the Fashion-MNIST
# directory) and ENV_USED, and returns 3 (with RESULT set) when there is no usable adapter.

ROOT=$(pwd)
GPU="$ROOT/.gpu"
OUT=${OUT:-/tmp/gradlab-device-out}
TMPD=${GRADLAB_DEVICE_TMP:-/tmp/gradlab-device}
GL_ROOT=${GL_ROOT:-/}
mkdir -p "$OUT" "$TMPD"
T0=$(date +%s)
say() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*"; }
smi() { if command -v nvidia-smi >/dev/null; then nvidia-smi "$@" 2>&1 || true; else echo "(no nvidia-smi)"; fi; }

device_setup() {
  [ -f "$ROOT/deno.json" ] && [ -f "$ROOT/src/cli.ts" ] || { echo "run me from the gradlab repo root"; return 2; }
  for f in deno.xz node_modules.tar.xz fashion-mnist.tar.xz SHA256SUMS; do
    [ -f "$GPU/$f" ] || { echo "missing .gpu/$f: carry [\".gpu\"] in the device call (build it with scripts/device/make-payload.sh)"; return 2; }
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
  if [ -z "$chosen" ] && [ -n "$fallback_name" ] && [ -n "${ACCEPT_FALLBACK:-}" ]; then
    echo "only a software adapter; accepted ($ACCEPT_FALLBACK)"
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

}
