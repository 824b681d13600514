#!/usr/bin/env bash
# Builds the jina container image: scripts/build-image.sh [TAG] (default localhost/jina:latest).
# Installs what it needs when missing (podman, runc, mmdebstrap), builds the static release binary,
# strips it, makes a Debian 12 base offline with mmdebstrap unless BASE names one, and builds
# deploy/Containerfile. The image name is the last line of its output.
# podman runs with this project's containers.conf (runc, no default ulimits): crun and podman's
# default ulimits fail on machines with cgroups in hybrid mode (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-localhost/jina:latest}
work=.build/image
mkdir -p "$work"

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
[ -n "${BASE:-}" ] || command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
source scripts/lib/apt.sh
apt_install ${missing[@]+"${missing[@]}"}

export CONTAINERS_CONF=$PWD/deploy/containers.conf

echo "building the release binary" >&2
swift build -c release --static-swift-stdlib --product jina >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/jina
cp "$bin" "$work/jina"
strip "$work/jina"

base=${BASE:-localhost/jina-base:bookworm}
if [ -z "${BASE:-}" ] && ! podman image exists "$base"; then
    echo "making the base $base with mmdebstrap" >&2
    mmdebstrap --variant=apt --include=python3,libyaml-0-2,libsqlite3-0,zlib1g,libstdc++6,ca-certificates \
        bookworm "$work/base.tar" >&2
    podman import "$work/base.tar" "$base" >&2
    rm -f "$work/base.tar"
fi

podman build --build-arg BASE="$base" -f deploy/Containerfile -t "$tag" "$work" >&2
podman image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$tag" >&2
echo "$tag"
