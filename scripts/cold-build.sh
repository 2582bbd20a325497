#!/usr/bin/env bash
# Cold build of a library: wall time of a clean `cargo build -p PACKAGE` (debug profile, default
# features unless extra arguments say otherwise) into a fresh, empty target directory, with the
# machine it ran on.
#
# Not part of CI (it takes about a minute and says little on a loaded machine). Dependencies are
# fetched first, so the figure is compile time only, not download time. Run it on an idle machine
# and record the result in BENCHMARKS.md; the load average it prints says whether anything else
# was running.
#
# Usage: scripts/cold-build.sh [PACKAGE [extra cargo build arguments, e.g. --release]]
#   PACKAGE: cdx-ext (the default) or cdx-client.
# Target: <= 45 s on 2 cores, for either.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cargo="${CARGO:-cargo}"
package="${1:-cdx-ext}"
shift $(( $# > 0 ? 1 : 0 ))
tmp="$(mktemp -d "${TMPDIR:-/tmp}/cdx-cold-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

cores="$(nproc)"
cpu="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# Downloads are not build time.
"$cargo" fetch --quiet

start="$(date +%s.%N)"
CARGO_TARGET_DIR="$tmp" "$cargo" build --quiet -p "$package" "$@"
end="$(date +%s.%N)"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
seconds="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
crates="$(find "$tmp" -path '*/deps/*.rlib' | wc -l)"

echo "cold build: cargo build -p $package${*:+ $*} (fresh target dir)"
echo "  wall time:     ${seconds} s (target <= 45 s on 2 cores)"
echo "  crates built:  ${crates} rlibs"
echo "  cores (nproc): ${cores}"
echo "  cpu model:     ${cpu:-unknown}"
echo "  rustc:         $(rustc --version)"
echo "  load average:  ${load_before} before, ${load_after} after (1, 5, 15 min)"
