#!/bin/bash
# Checks deploy/kubernetes/ without a cluster:
# 1. every manifest validates strictly against the Kubernetes API schema (kubernetes-validate
#    from PyPI, pinned; `kubectl --dry-run=client` cannot be used: it needs an API server
#    for discovery);
# 2. the shard Job is Indexed, its completions, parallelism and SHARDS agree, and both Jobs
#    mount the shared claim;
# 3. the containers' commands, exactly as written in the manifests, run here: each shard
#    pod's with its JOB_COMPLETION_INDEX and the ConfigMap's settings (/data and /scenario
#    mapped to a temporary folder), then the merge pod's; the merged summary must equal a
#    one-machine run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
k8s="$repo/deploy/kubernetes"
if ! python3 -c "import kubernetes_validate, yaml" 2>/dev/null; then
    pip install -q "kubernetes-validate==1.37.0" pyyaml
fi
kubernetes-validate --strict --quiet "$k8s"/*.yaml
echo "schema: every manifest valid (Kubernetes 1.37, strict)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
mkdir -p "$work/bin" "$work/data" "$work/scenario"
ln -s "$repo/target/release/payback" "$work/bin/payback"
cp "$repo/scenarios/cloud_im_500.toml" "$work/scenario/scenario.toml"

# Pull the settings and commands out of the manifests, with the container paths mapped.
python3 - "$k8s" "$work" <<'PY'
import sys, yaml, shlex, pathlib, re
k8s, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
load = lambda f: yaml.safe_load((k8s / f).read_text())
run, shards, merge = load("run.yaml"), load("shards-job.yaml"), load("merge-job.yaml")
spec = shards["spec"]
c = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
assert spec["completionMode"] == "Indexed", "the shard Job must be Indexed"
assert spec["completions"] == int(env["SHARDS"]), "completions and SHARDS differ"
assert spec["parallelism"] <= spec["completions"]
for job in (shards, merge):
    pod = job["spec"]["template"]["spec"]
    claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v]
    assert claims == [load("pvc.yaml")["metadata"]["name"]], "both Jobs mount the shared claim"
    assert pod["containers"][0]["envFrom"][0]["configMapRef"]["name"] == run["metadata"]["name"]
def script(job):
    a = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
    # Only the container paths (a path that starts there), not names that end the same.
    return re.sub(r'(?<![\w./-])/(data|scenario)(?=/|")', lambda m: f"{work}/{m.group(1)}", a)
settings = dict(run["data"], SHARDS=env["SHARDS"], TRIALS="1000000")
(work / "env.sh").write_text("".join(f"export {k}={shlex.quote(str(v))}\n" for k, v in settings.items()))
(work / "shard.sh").write_text(script(shards))
(work / "merge.sh").write_text(script(merge))
(work / "shards").write_text(env["SHARDS"])
PY
echo "manifests: Indexed, completions = SHARDS = $(cat "$work/shards"), shared claim in both Jobs"

export PATH="$work/bin:$PATH"
# shellcheck disable=SC1091
. "$work/env.sh"
for i in $(seq 0 $(($(cat "$work/shards") - 1))); do
    JOB_COMPLETION_INDEX=$i sh "$work/shard.sh"
done
sh "$work/merge.sh" >/dev/null
payback run "$work/scenario/scenario.toml" --trials "$TRIALS" --quiet --out "$work/one" >/dev/null
cmp "$work/one/summary.json" "$work/data/$RUN/results/summary.json"
cmp "$work/one/cashflow.csv" "$work/data/$RUN/results/cashflow.csv"
echo "OK: the pods' commands, run here, merge to the one-machine run"
