#!/usr/bin/env bash
# Renders every region overlay of deploy/ with `kubectl kustomize` (kustomize built into kubectl), plus one overlay
# with the optional scaler actuator component, and fails on any error. The Java tests in tests/deploy check the
# files' content; this checks that kustomize can put them together.
# Without kubectl: says so and passes on a developer machine, fails on CI (CI=true), whose machines have it.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v kubectl >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "deploy-render: kubectl not found on the CI machine; it is needed to render deploy/ (kubectl kustomize)" >&2
    exit 1
  fi
  echo "deploy-render: SKIPPED, kubectl is not installed here (CI renders deploy/ with it)"
  exit 0
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
rendered=0

render() { # name, kustomization dir
  if kubectl kustomize "$2" > "$out/$1.yaml" 2> "$out/$1.err"; then
    count=$(grep -c '^kind: ' "$out/$1.yaml" || true)
    if [ "$count" -eq 0 ]; then
      echo "deploy-render: $1 rendered no resources" >&2
      failed=1
    else
      echo "deploy-render: $1 ok ($count resources)"
      rendered=$((rendered + 1))
    fi
  else
    echo "deploy-render: $1 FAILED" >&2
    cat "$out/$1.err" >&2
    failed=1
  fi
}

for overlay in deploy/overlays/*/; do
  render "$(basename "$overlay")" "$overlay"
done

# The actuator is off in every region; render it once on top of a region so the component stays buildable.
mkdir -p "$out/with-actuator"
# kustomize takes relative paths only.
overlay=$(realpath --relative-to="$out/with-actuator" deploy/overlays/us-east)
component=$(realpath --relative-to="$out/with-actuator" deploy/components/scaler-actuator)
cat > "$out/with-actuator/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $overlay
components:
  - $component
YAML
render "us-east+scaler-actuator" "$out/with-actuator"

if [ "$failed" -ne 0 ]; then
  echo "deploy-render: FAILED" >&2
  exit 1
fi
echo "deploy-render: $rendered kustomizations rendered"
