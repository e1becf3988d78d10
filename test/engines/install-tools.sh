#!/usr/bin/env bash
# Builds the real engines the image tests start, from the Go module proxy, at pinned versions.
# Each tool lands in $DOCKERGO_TOOLS/<tool>@<version>/ and is built only when that folder is
# missing, so a second run costs nothing. Prints the bin folder of each tool, one per line.
#   install-tools.sh [all|engines|cluster]: everything (the default), all but the cluster's tools,
#   or only the cluster's (which a lock keeps to one build at a time: a second caller waits for it).
#   moby (dockerd 29 line), runc, BuildKit (buildkitd, buildctl, the Dockerfile frontend),
#   buildx and Compose (docker CLI plugins), the distribution registry, actionlint, the test cluster
#   (etcd and the Kubernetes v1.34 components) and kube-score; and Debian's busybox for arm64,
#   the userland of the stand-in bases' arm64 half (the first time, as root: apt).
set -euo pipefail

TOOLS=${DOCKERGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/dockergo-tools}
MOBY=github.com/moby/moby/v2@v2.0.0-beta.24
RUNC=github.com/opencontainers/runc@v1.5.2
BUILDKIT=github.com/moby/buildkit@v0.34.2
BUILDX=github.com/docker/buildx@v0.38.2
REGISTRY=github.com/distribution/distribution/v3@v3.1.2
# v5.7 needs Go >= 1.26.10; this machine's Go is 1.26.8.
COMPOSE=github.com/docker/compose/v5@v5.6.0
ACTIONLINT=github.com/rhysd/actionlint@v1.7.12
# The test cluster: v1.34 is the last minor whose kubelet runs on cgroup v1 by default (these machines are v1).
KUBERNETES=k8s.io/kubernetes@v1.34.4
ETCD=go.etcd.io/etcd/server/v3@v3.6.16
KUBESCORE=github.com/zegl/kube-score@v1.20.0

WHAT=${1:-all}
case "$WHAT" in
  all | engines | cluster) ;;
  *)
    echo "usage: install-tools.sh [all|engines|cluster]" >&2
    exit 2
    ;;
esac

mkdir -p "$TOOLS"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

# build NAME MODULE@VERSION CGO TAGS LDFLAGS OUT=PKG...: builds in a writable copy of the
# module's folder, since `go install pkg@version` refuses modules with replace directives.
build() {
  local name=$1 module=$2 cgo=$3 tags=$4 ldflags=$5
  shift 5
  local dest="$TOOLS/$name@${module##*@}"
  if [[ -f "$dest/.done" ]]; then
    echo "$dest"
    return
  fi
  local dir src started=$SECONDS
  dir=$(cd / && go mod download -json "$module" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" ]] || { echo "install-tools: go mod download $module gave no Dir" >&2; exit 1; }
  src=$(mktemp -d)
  cp -r "$dir/." "$src"
  chmod -R u+w "$src"
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  local spec
  for spec in "$@"; do
    echo "install-tools: building ${spec%%=*} from $module" >&2
    (cd "$src" && CGO_ENABLED=$cgo go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$dest.tmp/${spec%%=*}" "./${spec#*=}")
  done
  rm -rf "$src" "$dest"
  mv "$dest.tmp" "$dest"
  touch "$dest/.done"
  echo "install-tools: $name ready in $((SECONDS - started)) s" >&2
  echo "$dest"
}

# kubernetes: the published k8s.io/kubernetes module points its 31 staging modules at ./staging,
# which the module zip leaves out, and ships a go.work for it; require the published ones instead.
kubernetes() {
  local version=${KUBERNETES##*@} dest="$TOOLS/kubernetes@${KUBERNETES##*@}"
  if [[ -f "$dest/.done" ]]; then
    echo "$dest"
    return
  fi
  local dir src minor=${version#v1.} started=$SECONDS
  minor=${minor%%.*}
  dir=$(cd / && go mod download -json "$KUBERNETES" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  src=$(mktemp -d)
  cp -r "$dir/." "$src"
  chmod -R u+w "$src"
  rm -rf "$src/vendor" "$src/go.work" "$src/go.work.sum"
  local staging edits=()
  while read -r staging; do
    edits+=("-dropreplace=$staging" "-require=$staging@v0.${version#v1.}")
  done < <(sed -n 's/^[[:space:]]*\(k8s.io\/[^ ]*\) => \.\/staging\/.*/\1/p' "$src/go.mod")
  (cd "$src" && go mod edit "${edits[@]}")
  local stamp="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  # One go build for all six: their shared packages compile once, and the links run in parallel.
  echo "install-tools: building kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl from $KUBERNETES" >&2
  (cd "$src" && CGO_ENABLED=0 GOWORK=off go build -trimpath -ldflags "-s -w$stamp" -o "$dest.tmp/" \
    ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubelet ./cmd/kube-proxy ./cmd/kubectl)
  # etcd: a one-file module around etcdmain, since etcd's own main module is not on the proxy path.
  local etcd
  etcd=$(mktemp -d)
  cat > "$etcd/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  echo "install-tools: building etcd from $ETCD" >&2
  (cd "$etcd" && go mod init dockergo.test/etcd >/dev/null 2>&1 && go get "$ETCD" >/dev/null 2>&1 && go mod tidy >/dev/null 2>&1 &&
    CGO_ENABLED=0 GOWORK=off go build -trimpath -ldflags "-s -w" -o "$dest.tmp/etcd" .)
  rm -rf "$src" "$etcd" "$dest"
  mv "$dest.tmp" "$dest"
  touch "$dest/.done"
  echo "install-tools: kubernetes and etcd ready in $((SECONDS - started)) s" >&2
  echo "$dest"
}

busybox_arm64() {
  local dest="$TOOLS/busybox-arm64"
  if [[ ! -x "$dest/bin/busybox" ]]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
      dpkg --add-architecture arm64
      apt-get update -qq >&2
    fi
    local deb
    deb=$(mktemp -d)
    (cd "$deb" && apt-get download -qq busybox-static:arm64 >&2)
    rm -rf "$dest"
    mkdir -p "$dest"
    dpkg-deb -x "$deb"/busybox-static_*_arm64.deb "$dest"
    rm -rf "$deb"
  fi
  echo "$dest"
}
if [[ "$WHAT" != cluster ]]; then
  build moby "$MOBY" 0 "exclude_graphdriver_btrfs exclude_graphdriver_devicemapper exclude_disk_quota" \
    "-X github.com/moby/moby/v2/dockerversion.Version=29.0.0-${MOBY##*@} -X github.com/moby/moby/v2/dockerversion.GitCommit=${MOBY##*@}" \
    dockerd=cmd/dockerd docker-proxy=cmd/docker-proxy
  build runc "$RUNC" 1 seccomp "-X main.version=${RUNC##*@v}" runc=.
  build buildkit "$BUILDKIT" 0 "" "-X github.com/moby/buildkit/version.Version=${BUILDKIT##*@}" \
    buildkitd=cmd/buildkitd buildctl=cmd/buildctl dockerfile-frontend=frontend/dockerfile/cmd/dockerfile-frontend
  build buildx "$BUILDX" 0 "" "-X github.com/docker/buildx/version.Version=${BUILDX##*@}" docker-buildx=cmd/buildx
  build registry "$REGISTRY" 0 "" "-X github.com/distribution/distribution/v3/version.version=${REGISTRY##*@}" registry=cmd/registry
  build compose "$COMPOSE" 0 "" "-X github.com/docker/compose/v5/internal.Version=${COMPOSE##*@}" docker-compose=cmd
  build actionlint "$ACTIONLINT" 0 "" "-X github.com/rhysd/actionlint.version=${ACTIONLINT##*@}" actionlint=cmd/actionlint
  busybox_arm64
fi
if [[ "$WHAT" != engines ]]; then
  exec 9>"$TOOLS/.cluster.lock"
  flock 9
  kubernetes
  build kube-score "$KUBESCORE" 0 "" "-X main.version=${KUBESCORE##*@v}" kube-score=cmd/kube-score
fi
