#!/usr/bin/env bash
# Checks .goreleaser.yaml and makes a snapshot release build with it, as a tag would, without
# publishing anything: archives for the six targets, the checksums file, the .deb and .rpm.
#   scripts/release-check.sh            # the build lands in dist/ (ignored by git)
#
# GoReleaser is installed with the go command into a temporary folder (nothing is left on the
# machine). The version is v2.15.1, the one this configuration was written for: the module proxy
# served it (no fallback to v2.15.0 or v2.14.3 was needed). Building GoReleaser takes a few
# minutes the first time (the module cache keeps it for the next runs); the snapshot build of
# the six targets took 14 minutes on a busy 2-core machine.
#
# In a clone without a git remote, GoReleaser cannot read the git state: a snapshot is then
# stamped with the commit "none", which `triagem version` shows as an unknown revision.
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser_version=v2.15.1
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
echo "--- installing GoReleaser $goreleaser_version"
GOBIN="$tools" go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
goreleaser=$tools/goreleaser
"$goreleaser" --version | grep -m1 GitVersion || true

echo "--- goreleaser check"
"$goreleaser" check

echo "--- goreleaser release --snapshot (nothing is published)"
"$goreleaser" release --snapshot --clean --skip=publish

echo "--- what was built"
ls -l dist/*.tar.gz dist/*.zip dist/*.deb dist/*.rpm dist/*_checksums.txt
# Every archive and package has its checksum line, and the lines hold.
(cd dist && sha256sum --check --strict ./*_checksums.txt)
host_bin=$(find dist -path "*_$(go env GOOS)_$(go env GOARCH)*" -name triagem -type f | head -1)
if [[ -n $host_bin ]]; then
  echo "--- $host_bin version"
  "$host_bin" version
fi
