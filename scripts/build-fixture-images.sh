#!/usr/bin/env bash
# Build the local Docker images the tests use, offline.
#
# No image registry is reachable on the machines this project runs on, so every
# image a test needs is built here from Debian packages (which are reachable).
# Used by .ci/run and by developers (see README). Needs a running daemon:
# run scripts/docker-up.sh first.
#
# Idempotent: each image carries the label
#   dev.cleanroom.fixture.recipe=<sha256 of the functions that build it + its inputs>
# and is skipped when an image with that tag and that label already exists.
#
# Usage: scripts/build-fixture-images.sh [NAME...]   (default: every image in FIXTURES)
set -euo pipefail

readonly RECIPE_LABEL=dev.cleanroom.fixture.recipe

say() { echo "[fixtures] $*"; }
die() { echo "[fixtures] ERROR: $*" >&2; exit 1; }

WORKDIR=$(mktemp -d -t cleanroom-fixtures.XXXXXX)
trap 'rm -rf "$WORKDIR"' EXIT

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

# recipe_hash FUNC... -- INPUT...
# Hash of the bodies of the given functions (bash normalises them, so comment
# edits do not force a rebuild) plus input fingerprints (e.g. a binary's sha256).
recipe_hash() {
  local funcs=() inputs=()
  while (($#)) && [[ $1 != -- ]]; do funcs+=("$1"); shift; done
  (($#)) && shift
  inputs=("$@")
  {
    declare -f "${funcs[@]}"
    printf '%s\n' "${inputs[@]}"
  } | sha256sum | cut -d' ' -f1
}

# tag_is_current TAG HASH: the tag exists and was built from this recipe.
tag_is_current() {
  local have
  have=$(docker image inspect -f "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null) || return 1
  [[ $have == "$2" ]]
}

# import_rootfs DIR TAG HASH [--change ...]: turn a root directory into an image.
# Owners are forced to root so the result does not depend on who built it.
import_rootfs() {
  local dir=$1 tag=$2 hash=$3
  shift 3
  tar --numeric-owner --owner=0 --group=0 -C "$dir" -c . \
    | docker import \
        -c "LABEL $RECIPE_LABEL=$hash" \
        -c "LABEL dev.cleanroom.fixture=true" \
        "$@" - "$tag" >/dev/null
}

# replace_old OLD_ID TAG: drop the image the tag pointed to before a rebuild,
# so rebuilds do not pile up dangling images (kept if a container still uses it).
replace_old() {
  local old=$1 new
  new=$(docker image inspect -f '{{.Id}}' "$2")
  if [[ -n $old && $old != "$new" ]]; then
    if docker rmi "$old" >/dev/null 2>&1; then say "removed previous $2 (${old:7:12})"; fi
  fi
}

apt_install() {
  [[ $(id -u) -eq 0 ]] || die "need root to install $*; run: sudo apt-get install -y $*"
  say "installing $* (apt)"
  # The lock timeout queues behind another apt/dpkg run instead of failing.
  # apt's chatter (debconf, needrestart) is shown only if the install fails.
  local out
  out=$( { apt-get -qq -o DPkg::Lock::Timeout=300 update &&
    DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 \
      install -y "$@"; } </dev/null 2>&1) || { echo "$out" >&2; die "apt-get install $* failed"; }
}

# ---------------------------------------------------------------------------
# Image: cleanroom/busybox:fixture
# Static busybox, one symlink per applet: sh, httpd, nc, wget, ps, kill, sleep...
# Enough for generic-container tests; starts in well under a second.
# ---------------------------------------------------------------------------

busybox_is_static() {
  # A dynamic busybox would not run in an image without libc.
  # (ldd exits 1 on static binaries, so read its output, not its status.)
  [[ -x /bin/busybox ]] || return 1
  local out
  out=$(LC_ALL=C ldd /bin/busybox 2>&1 || true)
  [[ $out == *"not a dynamic executable"* || $out == *"statically linked"* ]]
}

busybox_rootfs() {
  local root=$1 applet
  install -d -m 0755 "$root" "$root/bin" "$root/etc" "$root/root" "$root/usr"
  install -d -m 1777 "$root/tmp"
  install -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    # `busybox --list` names busybox itself; linking it would replace the binary.
    [[ $applet == busybox ]] && continue
    ln -s busybox "$root/bin/$applet"
  done
  # Common absolute paths (#!/usr/bin/env, /sbin/...) resolve to the applets.
  ln -s bin "$root/sbin"
  ln -s ../bin "$root/usr/bin"
  ln -s ../bin "$root/usr/sbin"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
}

# busybox_image TAG CMD VERIFY [NAME]: the busybox rootfs as an image with CMD (a JSON array),
# checked by the function VERIFY TAG (non-zero exit or output explains a failure). NAME is the
# image_<name> function whose body joins the recipe, so each image rebuilds on its own changes.
busybox_image() {
  local tag=$1 cmd=$2 verify=$3 caller=${4:-${FUNCNAME[1]}}
  busybox_is_static || apt_install busybox-static
  busybox_is_static || die "/bin/busybox is still not a static binary after installing busybox-static"

  local hash
  hash=$(recipe_hash "$caller" busybox_image busybox_rootfs import_rootfs "$verify" -- \
    "busybox $(sha256sum </bin/busybox | cut -d' ' -f1)")
  if tag_is_current "$tag" "$hash"; then
    say "up to date: $tag (recipe ${hash:0:12})"
    return 0
  fi

  local old start=$SECONDS root
  old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  say "building $tag (recipe ${hash:0:12})"
  root=$(mktemp -d -p "$WORKDIR")
  busybox_rootfs "$root"
  import_rootfs "$root" "$tag" "$hash" -c 'ENV PATH=/bin' -c "CMD $cmd"

  # Verify before anyone relies on it; a broken image must not look current.
  local out
  if ! out=$("$verify" "$tag" 2>&1); then
    docker rmi "$tag" >/dev/null 2>&1 || true
    die "$tag failed verification: $out"
  fi
  replace_old "$old" "$tag"
  say "built and verified $tag in $((SECONDS - start))s"
}

# Stand-in for alpine:latest in the seed's examples where only the applets matter. Unlike
# alpine's `sh`, the default command keeps running, so tests need not care about stdin.
image_busybox() {
  busybox_image cleanroom/busybox:fixture '["sleep", "infinity"]' verify_busybox
}

verify_busybox() {
  local out
  out=$(docker run --rm "$1" sh -c \
    'for a in httpd nc wget ps kill sleep; do [ -x "/bin/$a" ] || { echo "missing $a"; exit 1; }; done; echo ok') \
    && [[ $out == ok ]] || { echo "$out"; return 1; }
}

# ---------------------------------------------------------------------------
# Image: cleanroom/alpine-standin:fixture
# Stands in for alpine:latest where a test must behave as alpine does: the same busybox
# rootfs, with alpine's default command, a shell, which exits at once when its stdin ends.
# Not covered: apk, musl and anything else of Alpine's beyond busybox's applets.
# ---------------------------------------------------------------------------

image_alpine_standin() {
  busybox_image cleanroom/alpine-standin:fixture '["/bin/sh"]' verify_alpine_standin
}

verify_alpine_standin() {
  # Without stdin the shell ends at once and silently; with stdin it runs what it reads.
  local out
  out=$(timeout 20 docker run --rm "$1" </dev/null) && [[ -z $out ]] || { echo "without stdin: $out"; return 1; }
  out=$(echo 'echo ok' | timeout 20 docker run --rm -i "$1") && [[ $out == ok ]] || { echo "with stdin: $out"; return 1; }
}

# ---------------------------------------------------------------------------
# MORE IMAGES GO HERE: one function image_<name> per image, following the
# pattern of image_busybox (ensure inputs, recipe_hash, skip if current,
# build, import_rootfs, verify), then add <name> to FIXTURES below.
#
# Example, not built yet (add when a test needs it):
#
# image_debian_tools() {
#   local tag=cleanroom/debian-tools:fixture
#   command -v mmdebstrap >/dev/null || apt_install mmdebstrap
#   local pkgs=iproute2,iptables,stress-ng,busybox-static,curl,ca-certificates
#   local hash
#   hash=$(recipe_hash image_debian_tools import_rootfs -- "$pkgs" "$(mmdebstrap --version)")
#   tag_is_current "$tag" "$hash" && { say "up to date: $tag"; return 0; }
#   say "building $tag"
#   mmdebstrap --quiet --variant=essential --include="$pkgs" bookworm "$WORKDIR/debian.tar"
#   docker import -c "LABEL $RECIPE_LABEL=$hash" -c 'LABEL dev.cleanroom.fixture=true' \
#     "$WORKDIR/debian.tar" "$tag" >/dev/null
#   ... verify with docker run, then: say "built and verified $tag"
# }
# ---------------------------------------------------------------------------

# The images this script builds, in order.
FIXTURES=(
  busybox
  alpine_standin
  # debian_tools
)

# Each scripts/fixtures/<name>.sh defines image_<name> the same way (it may use the helpers
# above) and is built after the images listed here, in name order.
for recipe in "$(dirname "${BASH_SOURCE[0]}")"/fixtures/*.sh; do
  [[ -e $recipe ]] || continue
  # shellcheck source=/dev/null
  source "$recipe"
  FIXTURES+=("$(basename "$recipe" .sh)")
done

docker info >/dev/null 2>&1 || die "no Docker daemon answers; run scripts/docker-up.sh first"

if (($#)); then FIXTURES=("$@"); fi
for name in "${FIXTURES[@]}"; do
  declare -F "image_$name" >/dev/null || die "unknown fixture image: $name (known: $(declare -F | sed -n 's/^declare -f image_//p' | paste -sd' '))"
  "image_$name"
done

docker images --filter 'reference=cleanroom/*'
