#!/usr/bin/env bash
# Applies one deploy group (shared, or an environment) in dependency order, for .github/workflows/infrastructure.yml:
# per stack init, plan to a file, refuse data loss, then apply exactly that plan file.
set -euo pipefail
group="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
mapfile -t stacks < <(node "$root/scripts/ci-stacks.mjs" order "$group")
for i in "${!stacks[@]}"; do
  stack="${stacks[$i]}"
  echo "::group::${stack} ($((i + 1))/${#stacks[@]})"
  dir="$root/cdktf.out/stacks/$stack"
  terraform -chdir="$dir" init -input=false
  terraform -chdir="$dir" plan -input=false -no-color -out=tfplan
  terraform -chdir="$dir" show -json tfplan | npx tsx "$root/scripts/ci-plan-check.ts" "$stack"
  terraform -chdir="$dir" apply -input=false -no-color tfplan
  echo "::endgroup::"
done
