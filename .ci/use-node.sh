# Sourced by .ci/run (and usable by hand: `. .ci/use-node.sh`): puts Node 24 LTS first on PATH, whatever
# Node the machine has. The npm registry carries Node itself as node-linux-<arch> (binary and headers):
# `npm pack` fetches it (integrity-checked, from npm's cache when it is there) and it is unpacked into
# .ci/.node, reused while it is a 24.x. npm_config_nodedir makes node-gyp build better-sqlite3 against
# its headers: without it the machine's npm configuration may point at the system Node's headers, and
# the addon would be built for the wrong Node.
node_major=24
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64 | arm64) node_arch=arm64 ;;
  *) echo "No Node $node_major package for $(uname -m)" >&2; return 1 ;;
esac
node_home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.node"
if ! "$node_home/bin/node" --version 2>/dev/null | grep -q "^v$node_major\."; then
  rm -rf "$node_home" && mkdir -p "$node_home"
  node_tarball=$(cd "$node_home" && npm pack "node-linux-$node_arch@$node_major" --silent --no-audit --no-fund | tail -n 1)
  tar -xzf "$node_home/$node_tarball" -C "$node_home" --strip-components=1
  rm -f "$node_home/$node_tarball"
fi
export PATH="$node_home/bin:$PATH"
export npm_config_nodedir="$node_home"
hash -r
if ! node --version | grep -q "^v$node_major\."; then
  echo "Node $node_major is not first on PATH (found $(command -v node): $(node --version))" >&2
  return 1
fi
