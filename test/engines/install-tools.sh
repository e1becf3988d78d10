#!/usr/bin/env bash
# Builds the real engines the tests start, from the Go module proxy, at pinned versions.
# Each tool lands in $DOCKERGO_TOOLS/<tool>@<version>/ and is built only when that folder is
# missing, so a second run costs nothing. Prints the folder of each tool asked for, one per line.
#   install-tools.sh [TARGET...]   TARGET: all (the default), engines, cluster, or a tool's name:
#     engines: moby (dockerd 29 line), runc, buildkit (buildkitd, buildctl, the Dockerfile
#              frontend), buildx and compose (docker CLI plugins), registry (distribution),
#              actionlint, and busybox-arm64 (Debian's, the stand-in bases' arm64 userland);
#     cluster: kubectl, kubernetes (etcd and the v1.34 server components), kube-score and helm (v4).
# Each tool has a lock: a caller that asks for a tool another caller is building waits for it
# rather than building it again (.ci/run builds them in the background while the tests run).
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
HELM=helm.sh/helm/v4@v4.3.2

ENGINES=(moby runc buildkit buildx registry compose actionlint busybox-arm64)
CLUSTER=(kubectl kubernetes kube-score helm)

targets=()
for arg in "${@:-all}"; do
  case "$arg" in
    all) targets+=("${ENGINES[@]}" "${CLUSTER[@]}") ;;
    engines) targets+=("${ENGINES[@]}") ;;
    cluster) targets+=("${CLUSTER[@]}") ;;
    moby | runc | buildkit | buildx | registry | compose | actionlint | busybox-arm64 | kubectl | kubernetes | kube-score | helm) targets+=("$arg") ;;
    *)
      echo "install-tools.sh: unknown target \"$arg\": all, engines, cluster, or one of ${ENGINES[*]} ${CLUSTER[*]}" >&2
      exit 2
      ;;
  esac
done

mkdir -p "$TOOLS"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
# Source copies and the go command's work folders: beside the tools, not in /tmp, which the tests
# compare before and after (a build may still be running when they look).
export TMPDIR="$TOOLS/.tmp"
mkdir -p "$TMPDIR"

# locked NAME COMMAND...: runs COMMAND holding NAME's lock, so that one caller builds and the
# others wait, then find it built.
locked() {
  local name=$1
  shift
  (
    flock 9
    "$@"
  ) 9>"$TOOLS/.$name.lock"
}

# A writable copy of a module's source, since `go install pkg@version` refuses modules with
# replace directives (BuildKit's has some).
module_copy() {
  local module=$1 dir src
  dir=$(cd / && go mod download -json "$module" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" ]] || { echo "install-tools: go mod download $module gave no Dir" >&2; exit 1; }
  src=$(mktemp -d)
  cp -r "$dir/." "$src"
  chmod -R u+w "$src"
  echo "$src"
}

# build NAME MODULE@VERSION CGO TAGS LDFLAGS OUT=PKG...: builds into NAME@VERSION.
build() {
  local name=$1 module=$2 cgo=$3 tags=$4 ldflags=$5
  shift 5
  local dest="$TOOLS/$name@${module##*@}"
  if [[ ! -f "$dest/.done" ]]; then
    local src started=$SECONDS spec
    src=$(module_copy "$module")
    rm -rf "$dest.tmp"
    mkdir -p "$dest.tmp"
    for spec in "$@"; do
      echo "install-tools: building ${spec%%=*} from $module" >&2
      (cd "$src" && CGO_ENABLED=$cgo go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$dest.tmp/${spec%%=*}" "./${spec#*=}")
    done
    rm -rf "$src" "$dest"
    mv "$dest.tmp" "$dest"
    touch "$dest/.done"
    echo "install-tools: $name ready in $((SECONDS - started)) s" >&2
  fi
  echo "$dest"
}

# The published k8s.io/kubernetes module points its 31 staging modules at ./staging, which the
# module zip leaves out, and ships a go.work for it: a copy that requires the published ones.
kubernetes_source() {
  local version=${KUBERNETES##*@} src staging edits=()
  src=$(module_copy "$KUBERNETES")
  rm -rf "$src/vendor" "$src/go.work" "$src/go.work.sum"
  while read -r staging; do
    edits+=("-dropreplace=$staging" "-require=$staging@v0.${version#v1.}")
  done < <(sed -n 's/^[[:space:]]*\(k8s.io\/[^ ]*\) => \.\/staging\/.*/\1/p' "$src/go.mod")
  (cd "$src" && go mod edit "${edits[@]}")
  echo "$src"
}

# The version stamps kubectl and the kubelet report (without them: v0.0.0).
kubernetes_ldflags() {
  local version=${KUBERNETES##*@} minor stamp="-s -w" pkg
  minor=${version#v1.}
  minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "$stamp"
}

# kubectl alone, first: the fast suites render manifests with it while the rest builds.
kubectl() {
  local dest="$TOOLS/kubectl@${KUBERNETES##*@}"
  if [[ ! -f "$dest/.done" ]]; then
    local src started=$SECONDS
    src=$(kubernetes_source)
    rm -rf "$dest.tmp"
    mkdir -p "$dest.tmp"
    echo "install-tools: building kubectl from $KUBERNETES" >&2
    (cd "$src" && CGO_ENABLED=0 GOWORK=off go build -trimpath -ldflags "$(kubernetes_ldflags)" -o "$dest.tmp/" ./cmd/kubectl)
    rm -rf "$src" "$dest"
    mv "$dest.tmp" "$dest"
    touch "$dest/.done"
    echo "install-tools: kubectl ready in $((SECONDS - started)) s" >&2
  fi
  echo "$dest"
}

# The cluster's servers, and etcd (a one-file module around etcdmain: etcd's own main module is
# not on the proxy path).
kubernetes() {
  local dest="$TOOLS/kubernetes@${KUBERNETES##*@}"
  if [[ ! -f "$dest/.done" ]]; then
    local src etcd started=$SECONDS
    src=$(kubernetes_source)
    rm -rf "$dest.tmp"
    mkdir -p "$dest.tmp"
    # One go build for all five: their shared packages compile once, and the links run in parallel.
    echo "install-tools: building kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy from $KUBERNETES" >&2
    (cd "$src" && CGO_ENABLED=0 GOWORK=off go build -trimpath -ldflags "$(kubernetes_ldflags)" -o "$dest.tmp/" \
      ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubelet ./cmd/kube-proxy)
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
  fi
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

tool() {
  case "$1" in
    moby)
      build moby "$MOBY" 0 "exclude_graphdriver_btrfs exclude_graphdriver_devicemapper exclude_disk_quota" \
        "-X github.com/moby/moby/v2/dockerversion.Version=29.0.0-${MOBY##*@} -X github.com/moby/moby/v2/dockerversion.GitCommit=${MOBY##*@}" \
        dockerd=cmd/dockerd docker-proxy=cmd/docker-proxy
      ;;
    runc) build runc "$RUNC" 1 seccomp "-X main.version=${RUNC##*@v}" runc=. ;;
    buildkit)
      build buildkit "$BUILDKIT" 0 "" "-X github.com/moby/buildkit/version.Version=${BUILDKIT##*@}" \
        buildkitd=cmd/buildkitd buildctl=cmd/buildctl dockerfile-frontend=frontend/dockerfile/cmd/dockerfile-frontend
      ;;
    buildx) build buildx "$BUILDX" 0 "" "-X github.com/docker/buildx/version.Version=${BUILDX##*@}" docker-buildx=cmd/buildx ;;
    registry) build registry "$REGISTRY" 0 "" "-X github.com/distribution/distribution/v3/version.version=${REGISTRY##*@}" registry=cmd/registry ;;
    compose) build compose "$COMPOSE" 0 "" "-X github.com/docker/compose/v5/internal.Version=${COMPOSE##*@}" docker-compose=cmd ;;
    actionlint) build actionlint "$ACTIONLINT" 0 "" "-X github.com/rhysd/actionlint.version=${ACTIONLINT##*@}" actionlint=cmd/actionlint ;;
    busybox-arm64) busybox_arm64 ;;
    kubectl) kubectl ;;
    kubernetes) kubernetes ;;
    kube-score) build kube-score "$KUBESCORE" 0 "" "-X main.version=${KUBESCORE##*@v}" kube-score=cmd/kube-score ;;
    helm) build helm "$HELM" 0 "" "-X helm.sh/helm/v4/internal/version.version=${HELM##*@}" helm=cmd/helm ;;
  esac
}

for target in "${targets[@]}"; do
  locked "$target" tool "$target"
done
