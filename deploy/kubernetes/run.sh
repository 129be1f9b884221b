#!/bin/bash
# Run a scenario as a sharded payback run on Kubernetes and fetch the results.
#
#   deploy/kubernetes/run.sh SCENARIO [DATA_FILE…]
#
# Uses the current kubectl context and namespace. Edit run.yaml (trials, folder, options)
# and shards-job.yaml (completions = SHARDS) first; the image payback:0.1.0 must be
# reachable by the cluster (build it with deploy/Dockerfile and push it to your registry,
# then set `image:` in both Jobs).
set -euo pipefail
if [ $# -lt 1 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
scenario="$1"
shift
files=(--from-file=scenario.toml="$scenario")
for f in "$@"; do files+=(--from-file="$f"); done

kubectl apply -f "$here/pvc.yaml" -f "$here/run.yaml"
kubectl create configmap payback-scenario "${files[@]}" --dry-run=client -o yaml | kubectl apply -f -
kubectl delete job payback-shards payback-merge --ignore-not-found
kubectl apply -f "$here/shards-job.yaml"
kubectl wait --for=condition=complete job/payback-shards --timeout=24h
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete job/payback-merge --timeout=1h
kubectl logs job/payback-merge
