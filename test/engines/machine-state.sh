#!/usr/bin/env bash
# Prints what a test run could leave behind on this machine, in a stable order, so that two
# prints compare with diff: network links and routes, network namespaces, every iptables and
# ip6tables rule (counters dropped), the mounts, binfmt_misc handlers, and the entries of the temp
# folders and of the engines' machine-wide state folders. Tool caches (~/.cache, ~/go, Node's
# compile cache) are left out: a run may fill them, and the next run reuses them.
#   machine-state.sh > before; npm test; machine-state.sh | diff before -
set -u

section() { printf '\n## %s\n' "$1"; }

section 'links'
ip -o link show | sed -E 's/^[0-9]+: ([^:@]+)[:@].*/\1/' | sort
section 'routes'
ip route show table all 2>/dev/null | grep -v '^local\|^broadcast\|proto kernel' | sort
section 'network namespaces'
ip netns list 2>/dev/null | sort
for save in iptables-save ip6tables-save; do
  section "$save"
  if command -v "$save" >/dev/null; then
    # Rules and chains of our own, table by table; a table that was merely loaded (its built-in
    # chains, empty, policy ACCEPT) is no change, and counters change from one print to the next.
    "$save" 2>/dev/null | awk '
      /^\*/ { table = substr($0, 2); next }
      /^:(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) ACCEPT / { next }
      /^:/ { print table, $1, $2; next }
      /^-/ { print table, $0 }' | sort
  fi
done
section 'mounts'
awk '{ print $5, $9 }' /proc/self/mountinfo | sort
section 'binfmt_misc'
ls /proc/sys/fs/binfmt_misc 2>/dev/null | sort
for dir in /tmp /var/tmp /run/netns /run/containers /var/lib/containers /var/lib/cni /etc/cni/net.d /run/docker /var/lib/docker; do
  section "$dir"
  ls -A "$dir" 2>/dev/null | grep -vx 'node-compile-cache' | sort
done
exit 0
