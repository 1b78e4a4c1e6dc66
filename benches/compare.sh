#!/usr/bin/env bash
# gridkeeper against geopandas + shapely 2 + pyogrio on the same generated district.
#
#   benches/compare.sh S|M|L [RUNS]
#
# S = 1,000 grids / 20,000 components / 50,000 cases; M = 10,000 / 300,000 / 500,000;
# L = 50,000 / 2,000,000 / 3,000,000. Builds gridkeeper (release), installs the peer into
# a virtual environment from PyPI (first run only), generates the scale with
# `gridkeeper demo --no-check` (first run only), then runs validate, diff and plan on both
# sides RUNS times (default 5 at S, 3 at M and L) and prints one table and a cross-check of
# the numbers both computed (benches/compare.py; see benches/README.md).
# Work files go to $GK_BENCH_DIR (default target/bench). compare.py times every process
# (wall clock, peak resident memory) and reads each program's own stage clock
# (gridkeeper --timings; the same lines from benches/peer.py).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scale="${1:-S}"
case "$scale" in
  S) grids=1000;  components=20000;   cases=50000;   runs=5 ;;
  M) grids=10000; components=300000;  cases=500000;  runs=3 ;;
  L) grids=50000; components=2000000; cases=3000000; runs=3 ;;
  *) echo "usage: benches/compare.sh S|M|L [RUNS]" >&2; exit 2 ;;
esac
runs="${2:-$runs}"
work="${GK_BENCH_DIR:-$root/target/bench}"
mkdir -p "$work"

venv="$work/venv"
if ! "$venv/bin/python" -c 'import geopandas, shapely, pyogrio; assert int(shapely.__version__.split(".")[0]) >= 2' 2>/dev/null; then
  echo "installing the peer (geopandas, shapely>=2, pyogrio) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet geopandas 'shapely>=2' pyogrio
fi
"$venv/bin/python" -c 'import geopandas, shapely, pyogrio, sys; print(f"peer: Python {sys.version.split()[0]}, geopandas {geopandas.__version__}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), pyogrio {pyogrio.__version__}")'

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gk="${CARGO_TARGET_DIR:-$root/target}/release/gridkeeper"
echo "gridkeeper: $("$gk" --version) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown))"

data="$work/$scale"
stamp="$grids $components $cases $("$gk" --version)"
if [ "$(cat "$data/.generated" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$data"
  echo "generating $scale: $grids grids, $components components, $cases cases"
  t0=$(date +%s.%N)
  "$gk" demo --grids "$grids" --components "$components" --cases "$cases" --out "$data" --no-check --quiet
  awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "generated and written in %.1f s\n", t1 - t0 }'
  echo "$stamp" > "$data/.generated"
fi

exec "$venv/bin/python" "$root/benches/compare.py" --scale "$scale" --data "$data" \
  --gk "$gk" --python "$venv/bin/python" --runs "$runs" --work "$work/run-$scale"
