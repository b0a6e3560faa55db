#!/usr/bin/env bash
# Build the seed tree of the read-only export /ro (run once, at image build time; the entrypoint
# copies it into the /ro tmpfs at every start). Content, documented in docs/servers.md and mirrored
# by testing/ro-content.ts (keep the three in step):
#   hello.txt            "hello from sonfs\n" (17 bytes)
#   empty                0 bytes
#   pattern.bin          1 MiB (1048576 bytes); the byte at offset i is i % 251
#   link-to-hello        symlink -> hello.txt
#   dangling-link        symlink -> does-not-exist
#   dir/                 directory
#   dir/one.txt          "one\n"
#   dir/nested/          directory
#   dir/nested/two.txt   "two\n"
# Files are 0644, directories 0755, all owned by 0:0, mtimes 2020-01-01T00:00:00Z.
set -euo pipefail
dest=${1:?usage: seed-ro.sh DEST}
mkdir -p "$dest/dir/nested"
cd "$dest"
printf 'hello from sonfs\n' >hello.txt
: >empty
perl -e 'my $b = pack("C*", map { $_ % 251 } 0 .. 1048575); print $b' >pattern.bin
ln -s hello.txt link-to-hello
ln -s does-not-exist dangling-link
printf 'one\n' >dir/one.txt
printf 'two\n' >dir/nested/two.txt
find . -type f -exec chmod 0644 {} +
find . -type d -exec chmod 0755 {} +
chown -R 0:0 .
find . -exec touch -h -d '2020-01-01T00:00:00Z' {} +
[ "$(stat -c %s pattern.bin)" = 1048576 ] || { echo "seed-ro.sh: pattern.bin has the wrong size" >&2; exit 1; }
