#!/usr/bin/env bash
# Randomized API fuzzing: schemathesis with fresh random cases on every run (the normal
# test run, and so .ci/run, is derandomized and sends the same cases each time).
# A failure prints the case; make it a regression test beside the code it concerns.
# Usage: scripts/fuzz.sh [examples per operation, default 300] [pytest arguments...]
set -euo pipefail
source "$(dirname "$0")/setup.sh" dev
examples="${1:-300}"
shift $(( $# > 0 ? 1 : 0 ))
PLM_FUZZ_RANDOM=1 PLM_FUZZ_EXAMPLES="$examples" exec python -m pytest tests/test_api_fuzz.py -p no:cacheprovider "$@"
