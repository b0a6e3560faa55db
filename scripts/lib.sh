# Shared helpers for the provisioning scripts. Sourced, not run.
# Every step is idempotent and bounded in time: a script either finishes, or fails with a
# message that says what to do. Nothing here may hang. Tool output (apt, mmdebstrap, docker build)
# goes to a log file, whose tail is printed only when the step fails.

say() { printf 'sonfs: %s\n' "$*" >&2; }
die() { printf 'sonfs: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
is_debian_like() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

# log_file NAME: the path of the log for step NAME (/var/log when writable, else $TMPDIR or /tmp).
log_file() {
  local dir=/var/log
  [ -w "$dir" ] || dir=${TMPDIR:-/tmp}
  printf '%s/sonfs-%s.log' "$dir" "$1"
}

# run_logged NAME SECONDS CMD...: run CMD with its output appended to NAME's log, killed after
# SECONDS; on failure print the log's last lines and return CMD's status (124 on timeout).
run_logged() {
  local name=$1 secs=$2 log status=0
  shift 2
  log=$(log_file "$name")
  printf '\n=== %s: %s\n' "$(date -Is)" "$*" >>"$log"
  timeout "$secs" "$@" >>"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    [ "$status" = 124 ] && say "timed out after ${secs}s: $*"
    say "last lines of $log:"
    tail -n 25 "$log" | sed 's/^/  | /' >&2
  fi
  return "$status"
}

# apt_install PKG...: install Debian packages that are missing, as root, without starting services.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || die "missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
  is_debian_like || die "missing tools (${missing[*]}) and this is not a Debian-like system; install their equivalents"
  say "installing ${missing[*]} (apt-get; log: $(log_file apt))"
  # One apt run at a time, even when several scripts race (flock on a private lock).
  (
    flock -w 600 9 || die "timed out waiting for the apt lock"
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
      run_logged apt 300 apt-get update || die "apt-get update failed"
    fi
    run_logged apt 900 apt-get install -y --no-install-recommends "${missing[@]}" \
      || die "apt-get install ${missing[*]} failed"
  ) 9>/tmp/sonfs-apt.lock
}
