#!/usr/bin/env bash
# Builds the libFuzzer targets (docs/testing.md, "Fuzzed parsers"): ScorecardCore's real sources
# compiled once with -sanitize=fuzzer,address into a static library, then one executable per target:
# its harness (Fuzz/targets/<name>.swift) plus the real source files of the parser it drives.
#
#   Fuzz/build.sh [target…]        # all targets when none is named; binaries in .build-fuzz/bin/
#
# SWIFTC (default: swiftc on PATH), FUZZ_OPT (default: -O) and FUZZ_BUILD (default: .build-fuzz
# at the repository root) may be set.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${FUZZ_BUILD:-$ROOT/.build-fuzz}"
SWIFTC="${SWIFTC:-swiftc}"
OPT="${FUZZ_OPT:--O}"
FLAGS=(-use-ld=lld -swift-version 6 -enable-upcoming-feature ExistentialAny -sanitize=fuzzer,address -parse-as-library "$OPT" -g)

# Each target: the real sources it needs besides ScorecardCore.
sources() {
    case "$1" in
        json-scanner|cdr-batch) ;;
        pull-page-json|pull-page-rows) echo Fuzz/targets/common/PullPage.swift Sources/ScorecardCache/MirrorPage.swift Sources/ScorecardCache/MirrorPage+Scan.swift Sources/ScorecardCache/MirrorPage+Rows.swift ;;
        push-request) echo Sources/ScorecardServerCore/Push/PushMutation.swift ;;
        accounts-file) echo Sources/ScorecardSync/Accounts.swift ;;
        *) echo "unknown fuzz target: $1" >&2; return 1 ;;
    esac
}
ALL=(json-scanner cdr-batch pull-page-json pull-page-rows push-request accounts-file)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
for t in "${TARGETS[@]}"; do sources "$t" >/dev/null; done

mkdir -p "$OUT/core" "$OUT/bin"
CORE=$(cd "$ROOT" && find Sources/ScorecardCore -name '*.swift' | sort)
STAMP="$OUT/core/sources.sha"
SUM=$(cd "$ROOT" && { echo "${FLAGS[*]}"; cat $CORE; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$OUT/core/libScorecardCore.a" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$SUM" ]; then
    echo "fuzz: compiling ScorecardCore ($OPT)" >&2
    (cd "$ROOT" && "$SWIFTC" "${FLAGS[@]}" -module-name ScorecardCore -emit-module -emit-module-path "$OUT/core/ScorecardCore.swiftmodule" \
        -emit-library -static -o "$OUT/core/libScorecardCore.a" $CORE)
    echo "$SUM" > "$STAMP"
fi

for t in "${TARGETS[@]}"; do
    echo "fuzz: linking $t" >&2
    # The harness and the real files of its parser form one module (the harness reaches their
    # internal entry points, as @testable would).
    (cd "$ROOT" && "$SWIFTC" "${FLAGS[@]}" -module-name FuzzTarget -I "$OUT/core" -L "$OUT/core" -lScorecardCore \
        "Fuzz/targets/$t.swift" $(sources "$t") -o "$OUT/bin/$t")
done
