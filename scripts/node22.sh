#!/usr/bin/env bash
# Prints a PATH prefix holding Node 22 LTS. Gatehouse targets the Node that Electron embeds (22);
# where the machine's node is older, Node 22 is provisioned from the npm registry's platform package
# (node-<os>-<arch>, the same binaries the `node` package installs) into .tools/ — never from elsewhere.
set -euo pipefail
want_major=22
want_version=22.23.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
have_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have_major" -ge "$want_major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "node22.sh: install Node $want_major yourself on this OS" >&2; exit 1 ;; esac
case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "node22.sh: unsupported CPU $(uname -m)" >&2; exit 1 ;; esac
dir="$root/.tools/node-$want_version"
if [ ! -x "$dir/node_modules/node-$os-$arch/bin/node" ]; then
  mkdir -p "$dir"
  echo "Provisioning Node $want_version from the npm registry into .tools/ (the machine has $(node --version 2>/dev/null || echo 'no node'))" >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-$os-$arch@$want_version" >&2
fi
echo "$dir/node_modules/node-$os-$arch/bin"
