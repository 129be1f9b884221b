#!/bin/bash
# Run a scenario as a Slurm job array of SHARDS tasks plus a merge job that starts when
# every shard has succeeded (afterok). Prints the two job ids (array, merge).
#
#   deploy/slurm/submit.sh SCENARIO TRIALS SHARDS RUN_DIR [payback run options…]
#
# RUN_DIR (on a shared file system) gets parts/, results/ and the jobs' logs. Set PAYBACK
# to the binary's path if it is not on the nodes' PATH; extra sbatch options (partition,
# account, time limit) go in SBATCH_* environment variables, e.g. SBATCH_PARTITION=batch.
set -euo pipefail

if [ $# -lt 4 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
scenario="$1" trials="$2" shards="$3" run_dir="$4"
shift 4
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
scenario="$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")"
if [ -e "$run_dir/parts" ] && [ -n "$(ls -A "$run_dir/parts")" ]; then
    echo "$run_dir/parts is not empty: use a new RUN_DIR for each run" >&2
    exit 2
fi

# The jobs see this environment (--export=ALL), so values may hold spaces and commas.
export SCENARIO="$scenario" TRIALS="$trials" PARTS_DIR="$run_dir/parts" \
    OUT_DIR="$run_dir/results" RUN_ARGS="$*"
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" --chdir="$run_dir" \
    "$here/shard.sbatch")
array="${array%%;*}"
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" \
    --kill-on-invalid-dep=yes --chdir="$run_dir" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
