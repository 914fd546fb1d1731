# Shared by the .ci/bench-* scripts (sourced, not run): builds the benchmark executable,
# describes the machine, and writes a script's latest figures into its own section of
# BENCHMARKS.md, between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`.
# BENCH_NO_WRITE=1 prints the figures without touching BENCHMARKS.md (trial runs).

# Release build of imagehook-bench (and of whatever else is named); sets BENCH_BIN.
bench_build() {
    command -v wrk >/dev/null || bash .ci/deps
    local product
    for product in imagehook-bench "$@"; do
        nice -n "${BENCH_BUILD_NICE:-10}" swift build -c release --product "$product" >&2
    done
    BENCH_BIN_DIR="$(swift build -c release --show-bin-path)"
    BENCH_BIN="$BENCH_BIN_DIR/imagehook-bench"
}

# The machine note every table carries: cores, CPU, kernel, memory, fsync latency where
# the benchmarks keep their data, and the load (5 engineers may be building at once).
bench_machine() {
    local cpu mem fsync load
    cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
    fsync=$("$BENCH_BIN" fsync --dir "${TMPDIR:-/tmp}" --brief)
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "- Machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}, Linux $(uname -r), $mem RAM"
    echo "- Disk: 4 KiB write + fsync in ${TMPDIR:-/tmp}: $fsync"
    echo "- Load average (1/5/15 min) at start: $load (shared machine: parallel builds run beside the benchmark)"
    echo "- Taken $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git describe --always --dirty 2>/dev/null || echo unknown), release build"
}

# bench_write_section NAME FILE: FILE's contents replace what stands between NAME's
# markers in BENCHMARKS.md; the rest of the file is left as it is.
bench_write_section() {
    local name=$1 content=$2 doc=BENCHMARKS.md
    [[ "${BENCH_NO_WRITE:-0}" == 1 ]] && return 0
    local start="<!-- bench:$name:start -->" end="<!-- bench:$name:end -->"
    if ! grep -qxF "$start" "$doc" || ! grep -qxF "$end" "$doc"; then
        echo "bench: $doc has no $start / $end markers" >&2
        return 1
    fi
    awk -v start="$start" -v end="$end" -v content="$content" '
        $0 == start { print; while ((getline line < content) > 0) print line; skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }' "$doc" >"$doc.tmp"
    mv "$doc.tmp" "$doc"
    echo "bench: figures written to $doc (section $name)" >&2
}

# bench_section NAME COMMAND_NOTE CMD...: runs CMD (which prints a table) after the
# machine note and the command line, shows all of it, and writes it into NAME's section.
bench_section() {
    local name=$1 note=$2; shift 2
    local out
    out=$(mktemp)
    {
        bench_machine
        echo "- Command: \`${BENCH_SCRIPT:-.ci/bench-$name}\` ($note)"
        echo
        "$@"
    } | tee "$out"
    local status=${PIPESTATUS[0]}
    if [[ "$status" -eq 0 ]]; then bench_write_section "$name" "$out"; fi
    rm -f "$out"
    return "$status"
}
