#!/usr/bin/env bash
# Runs one built fuzz target until its coverage stops growing.
#
#   fuzz/saturate.sh TARGET [QUIET_SECONDS] [MAX_SECONDS]
#
# Runs fuzz/target/x86_64-unknown-linux-gnu/release/TARGET (build it first:
# `cd fuzz && cargo +nightly fuzz build -O -s none`; FUZZ_TARGET_DIR=DIR takes the binary from
# fuzz/DIR instead, such as the build of own-coverage-rustc.sh) on fuzz/corpus/TARGET under `nice -n 19`,
# with its scratch files on the RAM disk (/dev/shm), and watches the coverage count (`cov:`)
# libFuzzer prints on its NEW, REDUCE and pulse lines once the seed corpus is loaded (INITED).
# The run is stopped once the count has not grown for QUIET_SECONDS of wall time (default
# 600: "saturated") or when MAX_SECONDS have passed since the start (default 1500: "capped"),
# whichever comes first. A crash, hang (10 s) or allocation past 2 GiB stops libFuzzer
# itself; its input is left in fuzz/artifacts/TARGET/. The log goes to /tmp; the summary to
# stdout. Exit code 0 when the run stopped saturated or capped, 1 when libFuzzer stopped on
# its own (a finding), 2 on bad usage.
set -euo pipefail

usage() {
    echo "usage: $0 TARGET [QUIET_SECONDS] [MAX_SECONDS]" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 3 ]] || usage
target=$1
quiet=${2:-600}
max=${3:-1500}
[[ $target =~ ^[a-z_]+$ && $quiet =~ ^[0-9]+$ && $max =~ ^[0-9]+$ ]] || usage
((quiet > 0 && max > 0)) || usage

fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target_dir=${FUZZ_TARGET_DIR:-target}
[[ $target_dir =~ ^[A-Za-z0-9_.-]+$ ]] || usage
bin=$fuzz/$target_dir/x86_64-unknown-linux-gnu/release/$target
corpus=$fuzz/corpus/$target
artifacts=$fuzz/artifacts/$target
if [[ ! -x $bin ]]; then
    echo "$0: no built target $bin (cd fuzz && cargo +nightly fuzz build -O -s none)" >&2
    exit 2
fi
mkdir -p "$corpus" "$artifacts"

log=$(mktemp "/tmp/gridkeeper-fuzz-$target.$(date -u +%Y%m%dT%H%M%S).XXXX.log")
# The target's scratch folder (fuzz/src/lib.rs) lands in here and goes with it at the end.
scratch=$(mktemp -d "/dev/shm/gridkeeper-fuzz-$target.XXXX")

start=$(date +%s)
TMPDIR=$scratch nice -n 19 "$bin" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -max_total_time="$max" -artifact_prefix="$artifacts/" \
    "$corpus" >"$log" 2>&1 &
pid=$!

stop() {
    if kill -0 "$pid" 2>/dev/null; then
        # SIGINT: libFuzzer prints its final stats and exits.
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 30); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The execution count, `cov:` and `ft:` of the last of libFuzzer's status lines of a kind.
last() {
    grep -aE "^#[0-9]+[[:space:]]+($1)[[:space:]].*cov: " "$log" |
        tail -n 1 |
        sed -E 's/^#([0-9]+).*cov: ([0-9]+) ft: ([0-9]+).*/\1 \2 \3/' || true
}
# An empty corpus loads to an INITED line without `cov:`: coverage starts from 0 then.
inited() {
    local seen
    seen=$(last INITED)
    if [[ -z $seen ]] && grep -aqE "^#[0-9]+[[:space:]]+INITED" "$log"; then
        seen=$(grep -aE "^#[0-9]+[[:space:]]+INITED" "$log" | head -n 1 | sed -E 's/^#([0-9]+).*/\1 0 0/')
    fi
    echo "$seen"
}
status() { last 'INITED|NEW|REDUCE|pulse|DONE'; }

cov_start='' cov=0 ft=0 execs=0 grew_at='' grew_exec=''
reason=''
while :; do
    sleep 5
    now=$(date +%s)
    if [[ -z $cov_start ]]; then
        # The coverage of the whole seed corpus, once loaded: pulse lines before it count
        # the corpus being read, not new paths.
        read -r e c f <<<"$(inited)" || true
        [[ -n ${c:-} ]] && cov_start=$c cov=$c grew_at=$now grew_exec=$e
    fi
    read -r e c f <<<"$(status)" || true
    if [[ -n ${c:-} && -n $cov_start ]]; then
        if ((c > cov)); then
            cov=$c grew_at=$now grew_exec=$e
        fi
        ft=$f execs=$e
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        if grep -aq 'DONE ' "$log" && ! grep -aqE '^==[0-9]+== ERROR: libFuzzer|^SUMMARY: libFuzzer' "$log"; then
            reason=capped
        else
            reason=finding
        fi
        break
    fi
    if [[ -n $grew_at ]] && ((now - grew_at >= quiet)); then
        reason=saturated
        break
    fi
    if ((now - start >= max)); then
        reason=capped
        break
    fi
done
stop
end=$(date +%s)

# After the stop: the final stats, and any status line printed since the last look.
if [[ -z $cov_start ]]; then
    read -r e c f <<<"$(inited)" || true
    [[ -n ${c:-} ]] && cov_start=$c cov=$c grew_at=$end grew_exec=$e
fi
read -r e c f <<<"$(status)" || true
if [[ -n ${c:-} && -n $cov_start ]]; then
    if ((c > cov)); then cov=$c grew_at=$end grew_exec=$e; fi
    ft=$f execs=$e
fi
final=$(grep -a '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}' || true)
[[ -n $final ]] && execs=$final

echo "target:        $target ($target_dir)"
echo "wall time:     $((end - start)) s (quiet $quiet s, cap $max s)"
echo "executions:    $execs"
if [[ -n $cov_start ]]; then
    echo "cov:           $cov_start -> $cov"
    echo "ft:            $ft"
    echo "last new cov:  at $((grew_at - start)) s (#$grew_exec), $((end - grew_at)) s before the stop"
else
    echo "cov:           none printed (libFuzzer stopped before its corpus was loaded)"
fi
case $reason in
saturated) echo "stopped:       saturated (cov flat for $quiet s)" ;;
capped) echo "stopped:       capped at $max s (cov last grew $((end - grew_at)) s before)" ;;
finding) echo "stopped:       libFuzzer stopped on its own (crash, hang or out-of-memory): see the log" ;;
esac
grep -aE '^==[0-9]+== ERROR: libFuzzer|^SUMMARY: libFuzzer|^artifact_prefix=.*Test unit written to' "$log" |
    sed 's/^/               /' || true
echo "log:           $log"
[[ $reason == finding ]] && exit 1
exit 0
