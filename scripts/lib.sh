# Shared helpers for the provisioning scripts. Sourced, not run.
# Every step is idempotent and bounded in time: a script either finishes, or fails with a
# message that says what to do. Nothing here may hang.

say() { printf 'sonfs: %s\n' "$*" >&2; }
die() { printf 'sonfs: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
is_debian_like() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

# apt_install PKG...: install Debian packages that are missing, as root, without starting services.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || die "missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
  is_debian_like || die "missing tools (${missing[*]}) and this is not a Debian-like system; install their equivalents"
  say "installing ${missing[*]} (apt-get)"
  # One apt run at a time, even when several scripts race (flock on a private lock).
  (
    flock -w 600 9 || die "timed out waiting for the apt lock"
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
      timeout 300 apt-get update -qq >&2 || die "apt-get update failed"
    fi
    timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
      || die "apt-get install ${missing[*]} failed"
  ) 9>/tmp/sonfs-apt.lock
}
