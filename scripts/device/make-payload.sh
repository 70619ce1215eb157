#!/usr/bin/env bash
# make-payload.sh: rebuilds the git-ignored payload folder .gpu/ that scripts/device/webgpu-bench.sh
# and webgpu-check.sh (through webgpu-env.sh) unpack on a bare GPU machine (no network, no deno/npm): deno.xz, node_modules.tar.xz,
# fashion-mnist.tar.xz, gl/*.deb, SHA256SUMS and a README saying how they were made.
#
#   bash scripts/device/make-payload.sh [OUTDIR]     (default OUTDIR: .gpu, from the repo root)
#
# Needs, on this dev box (Debian 12, x86-64): node_modules/ installed (with node_modules/deno/deno),
# the Fashion-MNIST .gz files in /usr/share/datasets/fashion-mnist (apt-get install
# dataset-fashion-mnist), strace, xz, and network access to the Debian mirror for apt-get download.
# The node_modules file list comes from tracing (strace) what Deno opens while running the bench,
# so rerun this whenever npm dependencies or imports change.
#
# SIZE LIMIT: the device tool carries the working tree (tracked and untracked, not ignored files)
# plus the carried .gpu/ in 64 MiB in all, so the payload must stay under 64 MiB together with the
# tracked tree. The script prints the sizes and the total at the end, and fails if it is over.
#
# It builds everything in a temporary folder and only then replaces the payload files in OUTDIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
[ -f deno.json ] && [ -f src/cli.ts ] || { echo "make-payload: $ROOT is not the gradlab repo root" >&2; exit 2; }

OUTDIR=${1:-.gpu}
DENO="$ROOT/node_modules/deno/deno"
DATASET=/usr/share/datasets/fashion-mnist
LIMIT=$((64 * 1024 * 1024))
# sha256 of the gunzipped IDX files as shipped by Debian's dataset-fashion-mnist
# 0.0~git20200523.55506a9-1 (the same list as KNOWN_CONTENT_SHA256 in src/data/fashion-mnist.ts)
FASHION_SHA256="0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"

T0=$(date +%s)
say() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() { echo "make-payload: $*" >&2; exit 1; }

for c in strace xz tar gzip sha256sum apt-get; do command -v "$c" >/dev/null || die "needs $c"; done
[ -x "$DENO" ] || die "no $DENO (npm install first)"
DENO_VERSION=$("$DENO" --version | head -1)
for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte train-images-idx3-ubyte train-labels-idx1-ubyte; do
  [ -f "$DATASET/$f.gz" ] || die "no $DATASET/$f.gz (apt-get install dataset-fashion-mnist)"
done

TMP=$(mktemp -d /tmp/gradlab-payload.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
STAGE="$TMP/stage"
mkdir -p "$STAGE/gl"

say "payload for scripts/device/webgpu-bench.sh -> $OUTDIR   ($DENO_VERSION)"

# --- deno.xz ------------------------------------------------------------------------------------
say "deno.xz: xz --x86 --lzma2=preset=9e (a few minutes)"
xz -T1 --x86 --lzma2=preset=9e -c "$DENO" > "$STAGE/deno.xz"

# --- node_modules.tar.xz: the files Deno opens ---------------------------------------------------
# Each traced command gets a fresh DENO_DIR, so nothing comes from a module cache.
trace() { # NAME TIMEOUT CMD...: strace CMD, tolerating a non-zero exit (a timeout included)
  local name=$1 secs=$2 rc=0; shift 2
  mkdir -p "$TMP/deno-dir.$name"
  say "trace $name: deno $(printf '%q ' "$@")(timeout ${secs}s)"
  DENO_DIR="$TMP/deno-dir.$name" DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR=1 \
    strace -f -qq --seccomp-bpf -s 4096 -e trace=%file -o "$TMP/trace.$name" \
    timeout -s INT -k 10 "$secs" "$DENO" "$@" > "$TMP/out.$name" 2>&1 || rc=$?
  echo "    exit $rc; $(wc -l < "$TMP/trace.$name") syscalls traced; last output: $(tail -1 "$TMP/out.$name" | cut -c1-150)"
  # a non-zero exit other than the timeout's means the traced run broke early: show it
  if [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" != 130 ]; then tail -20 "$TMP/out.$name" | sed 's/^/    | /'; fi
  return 0
}
trace quick 300 run -A src/cli.ts bench --backend webgpu --steps 3 --warmup 2 --only 'E1 sigmoid'
# the full E1 run is far too slow on a software adapter (llvmpipe): stop it once it trains
trace full-e1 60 run -A src/cli.ts bench --backend webgpu --steps 3 --warmup 2 --only 'E1 sigmoid' --full-e1
trace backends 120 run -A src/cli.ts backends --check
# webgpu-check.sh's steps: the laws (imports fast-check, the property report's writers), E1 quick
# with --out (the fixture writer's schemas; stopped once it trains), and the agreement script
trace props 300 run -A src/cli.ts props --backend webgpu --runs 1 --seed 1 --json "$TMP/props.json"
trace run-e1 60 run -A src/cli.ts run fashion-sigmoid-vs-relu --profile quick --backend webgpu --out "$TMP/e1.json"
trace e1-agreement 120 run -A scripts/device/e1-agreement.ts fixtures/fashion-sigmoid-vs-relu/quick.json
# population-bench.sh's steps: the population bench (its wasm baseline's workers and .wasm files)
# and population-e1.ts (stopped once it trains)
trace population 120 run -A src/cli.ts bench --backend wasm --population 2 --steps 20 --seed 1
trace population-e1 120 run -A scripts/device/population-e1.ts --backend webgpu --seeds 2 --epochs 1 --train-rows 512
if ! grep -qiE 'full E1|epoch|training' "$TMP/out.full-e1"; then
  echo "    warning: the --full-e1 trace shows no sign of training having begun; its output ends:"
  tail -5 "$TMP/out.full-e1" | sed 's/^/    | /'
fi

# every quoted path in the traces, absolute (relative ones are relative to the repo root)
cat "$TMP"/trace.* | grep -oE '"[^"]+"' | tr -d '"' | sort -u \
  | awk -v r="$ROOT" '{ p = ($0 ~ /^\//) ? $0 : r "/" $0; print p }' \
  | { grep -F "$ROOT/node_modules/" || true; } | sed "s|^$ROOT/node_modules/||" | sort -u > "$TMP/paths"
: > "$TMP/files"
while IFS= read -r p; do
  p=$(realpath -s -m --relative-to="$ROOT/node_modules" "$ROOT/node_modules/$p")
  case "$p" in ..*|.bin|.bin/*|deno|deno/*|bun|bun/*|@deno/*|@oven/*) continue ;; esac
  f="$ROOT/node_modules/$p"
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  echo "$p" >> "$TMP/files"
  # the package.json of the package holding it (nested node_modules included)
  pkg=$(grep -oE '^(@[^/]+/)?[^/]+(/node_modules/(@[^/]+/)?[^/]+)*' <<<"$p")
  [ -f "$ROOT/node_modules/$pkg/package.json" ] && echo "$pkg/package.json" >> "$TMP/files"
done < "$TMP/paths"
LC_ALL=C sort -u "$TMP/files" > "$TMP/list"
NFILES=$(wc -l < "$TMP/list")
[ "$NFILES" -gt 0 ] || die "the traces opened no node_modules files"
NPKG=$(grep -c '/package.json$' "$TMP/list" || true)
say "node_modules.tar.xz: $NFILES files ($NPKG package.json), tar | xz -9e"
tar -C "$ROOT/node_modules" --owner=0 --group=0 --numeric-owner -cf - -T "$TMP/list" \
  | xz -T1 -9e > "$STAGE/node_modules.tar.xz"

# --- fashion-mnist.tar.xz -------------------------------------------------------------------------
say "fashion-mnist.tar.xz: gunzip, check content sha256, tar | xz -9e (a few minutes)"
mkdir -p "$TMP/fashion-mnist"
for f in "$DATASET"/*-ubyte.gz; do gzip -dc "$f" > "$TMP/fashion-mnist/$(basename "$f" .gz)"; done
got=$(cd "$TMP/fashion-mnist" && sha256sum -- * | cut -d' ' -f1 | sort)
[ "$got" = "$FASHION_SHA256" ] || die "the gunzipped Fashion-MNIST files do not match Debian's sha256"
tar -C "$TMP/fashion-mnist" --owner=0 --group=0 -cf - . | xz -T1 -9e > "$STAGE/fashion-mnist.tar.xz"

# --- gl/*.deb ------------------------------------------------------------------------------------
say "gl/: apt-get download libvulkan1 libegl1 libglvnd0 (amd64)"
mkdir -p /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
# shellcheck disable=SC2086
apt-get $o -q update > "$TMP/apt-update.log" 2>&1 || { cat "$TMP/apt-update.log"; die "apt-get update failed"; }
# shellcheck disable=SC2086
(cd "$STAGE/gl" && apt-get $o -oAPT::Sandbox::User=root -q download libvulkan1 libegl1 libglvnd0) 2>&1 | sed 's/^/    /'
for p in libvulkan1 libegl1 libglvnd0; do
  n=$(find "$STAGE/gl" -name "${p}_*_amd64.deb" | wc -l)
  [ "$n" = 1 ] || die "expected one gl/${p}_*_amd64.deb, got $n"
done
DEBS=$(cd "$STAGE/gl" && echo *.deb)

# --- SHA256SUMS, README ----------------------------------------------------------------------------
(cd "$STAGE" && sha256sum deno.xz node_modules.tar.xz fashion-mnist.tar.xz gl/*.deb > SHA256SUMS)
(cd "$STAGE" && sha256sum --quiet -c SHA256SUMS)
. /etc/os-release 2>/dev/null || PRETTY_NAME=$(uname -s)
cat > "$STAGE/README" <<EOF
Payload for scripts/device/webgpu-bench.sh and webgpu-check.sh (git-ignored via .git/info/exclude: /.gpu/).
Carry it with the device tool: run(command="bash scripts/device/webgpu-check.sh", carry=[".gpu"], timeout_s=540)
                           or: run(command="bash scripts/device/webgpu-bench.sh", carry=[".gpu"], timeout_s=480)
Built $(date +%F) on the dev box ($PRETTY_NAME, $(uname -m)) by scripts/device/make-payload.sh, like this:
  deno.xz               xz --x86 --lzma2=preset=9e -c node_modules/deno/deno        (${DENO_VERSION%% (*})
  node_modules.tar.xz   the $NFILES node_modules files opened (strace -f -e trace=%file) by
                        \`deno run -A src/cli.ts bench --backend webgpu --steps 3 --warmup 2 --only 'E1 sigmoid'\`,
                        the same with --full-e1 (stopped after 60 s), \`backends --check\`, \`props --backend webgpu
                        --runs 1\`, \`run fashion-sigmoid-vs-relu --profile quick --backend webgpu\` (stopped after
                        60 s), \`deno run -A scripts/device/e1-agreement.ts\`, \`bench --backend wasm --population 2
                        --steps 20\` and \`scripts/device/population-e1.ts --seeds 2 --epochs 1\` (stopped after 120 s)
                        (each with a fresh DENO_DIR=/tmp/...), plus the package.json of every package involved
                        (not .bin, deno, bun); tar -C node_modules -T list | xz -9e.
                        Rebuild it (rerun the script) if npm dependencies or imports change.
  fashion-mnist.tar.xz  the four $DATASET/*.gz gunzipped (raw IDX; content sha256 as Debian's)
  gl/*.deb              apt-get download libvulkan1 libegl1 libglvnd0 (Debian ${VERSION_CODENAME:-?} amd64): $DEBS
  SHA256SUMS            sha256sum of the above (checked by the script)
Must stay under the device tool's 64 MiB carry limit together with the tracked tree.
EOF

# --- into OUTDIR -------------------------------------------------------------------------------------
mkdir -p "$OUTDIR"
rm -f "$OUTDIR"/deno.xz "$OUTDIR"/node_modules.tar.xz "$OUTDIR"/fashion-mnist.tar.xz \
      "$OUTDIR"/SHA256SUMS "$OUTDIR"/README "$OUTDIR"/gl/*.deb
mkdir -p "$OUTDIR/gl"
cp -p "$STAGE"/deno.xz "$STAGE"/node_modules.tar.xz "$STAGE"/fashion-mnist.tar.xz \
      "$STAGE"/SHA256SUMS "$STAGE"/README "$OUTDIR/"
cp -p "$STAGE"/gl/*.deb "$OUTDIR/gl/"
(cd "$OUTDIR" && sha256sum --quiet -c SHA256SUMS)

# --- sizes ---------------------------------------------------------------------------------------
say "done: $OUTDIR"
total=0
while IFS= read -r f; do
  s=$(stat -c %s "$OUTDIR/$f"); total=$((total + s))
  printf '  %10d  %s\n' "$s" "$f"
done < <(cd "$OUTDIR" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
tree=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] && [ ! -L "$f" ] && tree=$((tree + $(stat -c %s "$f")))
done < <(git ls-files -z --cached --others --exclude-standard)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
printf '  %10d  total payload (%s MiB)\n' "$total" "$(mib "$total")"
printf '  %10d  + working tree that travels (tracked, untracked not ignored)\n' "$tree"
printf '  %10d  = %s MiB of the 64 MiB limit\n' "$((total + tree))" "$(mib $((total + tree)))"
[ $((total + tree)) -lt "$LIMIT" ] || die "over the device tool's 64 MiB carry limit"
