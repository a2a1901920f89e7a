#!/usr/bin/env bash
# Runs a command with an image's file system as its root directory, the way a container runtime
# would but without one: in a mount namespace of its own with /proc, /dev, /etc/hosts and
# /etc/resolv.conf from this machine (the JVM reads /dev/urandom and /proc; glibc finds the
# runtime's libraries through /proc/self/exe). Used to make the image's class-data-sharing archive
# (scripts/cds-archive.sh), to measure its start-up and to start it in ContainerImageIT.
#
#   usage: scripts/in-image-root.sh [--read-only] [--user UID:GID] ROOT COMMAND [ARG...]
#
# --read-only mounts ROOT read-only with an empty tmpfs on /tmp, as deploy/kubernetes runs the pod
# (readOnlyRootFilesystem and an emptyDir on /tmp). --user runs COMMAND as that user (root only).
# COMMAND gets this script's environment as it is. Mount points that ROOT lacks are made for the run
# and removed afterwards, so ROOT is left as it was.
set -euo pipefail
caller_path=${PATH-}
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

read_only=false user=
while [[ ${1:-} == --* ]]; do
  case $1 in
    --read-only) read_only=true; shift ;;
    --user) user=$2; shift 2 ;;
    *) echo "in-image-root.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
root=$(readlink -f "${1:?usage: $0 [--read-only] [--user UID:GID] ROOT COMMAND [ARG...]}")
shift

if [[ -z ${IN_IMAGE_ROOT_NAMESPACE:-} ]]; then
  made=()
  for dir in proc dev tmp; do [[ -e $root/$dir ]] || { mkdir "$root/$dir"; made+=("$root/$dir"); }; done
  for file in etc/hosts etc/resolv.conf; do [[ -e $root/$file ]] || { : > "$root/$file"; made+=("$root/$file"); }; done
  # Root needs no user namespace; anyone else becomes root in one of their own (and cannot change
  # to another user there).
  if [[ $(id -u) == 0 ]]; then as_root=(); else as_root=(--user --map-root-user); fi
  [[ -z $user || $(id -u) == 0 ]] || { echo "in-image-root.sh: --user needs root" >&2; exit 2; }
  args=()
  $read_only && args+=(--read-only)
  [[ -z $user ]] || args+=(--user "$user")
  # In the background, so that this script outlives it to remove the mount points, and passes on a
  # SIGTERM (a stop, which the service answers by draining) to it.
  IN_IMAGE_ROOT_NAMESPACE=1 unshare "${as_root[@]}" --mount --propagation private \
    "$0" "${args[@]}" "$root" "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null' TERM INT
  status=0
  wait "$child" || status=$?
  # A trapped signal ends the first wait early: wait again for the command's own exit status.
  while kill -0 "$child" 2>/dev/null; do status=0; wait "$child" || status=$?; done
  for path in "${made[@]}"; do rm -rf "$path"; done
  exit "$status"
fi

# In the new mount namespace: whatever is mounted here goes away with the last process in it.
unset IN_IMAGE_ROOT_NAMESPACE
mount --bind "$root" "$root"
mount --rbind /proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --bind /etc/hosts "$root/etc/hosts"
mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
if $read_only; then
  mount -o remount,bind,ro "$root"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
fi
userspec=()
[[ -z $user ]] || userspec=(--userspec="$user" --groups="${user#*:}")
if [[ -n $caller_path ]]; then export PATH=$caller_path; else unset PATH; fi
exec /usr/sbin/chroot "${userspec[@]}" "$root" "$@"
