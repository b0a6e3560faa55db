#!/usr/bin/env bash
# Build the test server image localhost/sonfs-ganesha:<content hash of servers/ganesha> once, so the
# first test run does not pay for it (the test fixture, testing/image.ts, builds it too if missing,
# and finds this one by the same tag). Needs the engine and the base image (ensure-docker.sh,
# ensure-base-image.sh). Bounded: the build gets 15 minutes; its output goes to a log file whose
# tail is printed on failure.
#   --print-tag   only print the tag (used by a test that checks the TS and bash hashes agree)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ctx=$(cd "$(dirname "$0")/../servers/ganesha" && pwd)

# Same hash as contextHash() in testing/image.ts: over the regular files, in byte order of their
# relative paths, sha256 of "PATH NUL SHA256HEX(CONTENT) LF" each; the first 16 hex digits.
hash=$(cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
  printf '%s\0%s\n' "${f#./}" "$(sha256sum <"$f" | cut -c1-64)"
done | sha256sum | cut -c1-16)
tag="localhost/sonfs-ganesha:$hash"

if [ "${1:-}" = --print-tag ]; then
  printf '%s\n' "$tag"
  exit 0
fi

docker image inspect "$tag" >/dev/null 2>&1 && exit 0
(
  flock -w 900 9 || die "timed out waiting for the ganesha image build lock"
  docker image inspect "$tag" >/dev/null 2>&1 && exit 0
  say "building $tag from servers/ganesha (about 15 s; log: $(log_file ganesha-image))"
  DOCKER_BUILDKIT=0 run_logged ganesha-image 900 docker build --label sonfs.image=ganesha -t "$tag" "$ctx" \
    || die "building $tag failed; where no registry is reachable, run scripts/ensure-base-image.sh first"
  # Earlier versions of servers/ganesha: drop their tags (an image a container still uses is kept).
  docker image ls --format '{{.Repository}}:{{.Tag}}' localhost/sonfs-ganesha | grep -vxF "$tag" \
    | xargs -r docker image rm >/dev/null 2>&1 || true
) 9>/tmp/sonfs-ganesha-image.lock
