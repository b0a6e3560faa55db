/*
 * Text formats shared by the commands: ls(1)'s mode string and dates, df -h's sizes, stat(1)'s
 * timestamps, and byte counts for progress lines.
 */

const S_IFMT = 0o170000;

/** ls(1)'s type letter for the S_IF* bits of a mode. */
export function typeChar(mode: number): string {
  switch (mode & S_IFMT) {
    case 0o040000: return 'd';
    case 0o120000: return 'l';
    case 0o020000: return 'c';
    case 0o060000: return 'b';
    case 0o010000: return 'p';
    case 0o140000: return 's';
    default: return '-';
  }
}

/* modeString's results: a listing has few distinct modes (at most 7 × 4096 with the S_IF* bits). */
const modeStrings = new Map<number, string>();

/** "-rwxr-xr-x", with s/S, t/T for setuid, setgid and sticky, as ls -l prints it. */
export function modeString(mode: number): string {
  let s = modeStrings.get(mode);
  if (s === undefined) {
    s = makeModeString(mode);
    if (modeStrings.size < 65536) modeStrings.set(mode, s);
  }
  return s;
}

function makeModeString(mode: number): string {
  const rwx = (bits: number, special: boolean, on: string, off: string): string =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? on : off) : bits & 1 ? 'x' : '-'}`;
  return typeChar(mode)
    + rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's', 'S')
    + rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's', 'S')
    + rwx(mode & 7, (mode & 0o1000) !== 0, 't', 'T');
}

/** stat(1)'s %F: the file type in words. */
export function typeName(mode: number, size: number): string {
  switch (mode & S_IFMT) {
    case 0o040000: return 'directory';
    case 0o120000: return 'symbolic link';
    case 0o020000: return 'character special file';
    case 0o060000: return 'block special file';
    case 0o010000: return 'fifo';
    case 0o140000: return 'socket';
    case 0o100000: return size === 0 ? 'regular empty file' : 'regular file';
    default: return 'weird file';
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = (365.2425 / 2) * 24 * 3600 * 1000;

/**
 * ls -l's date, in local time: "Jan  1 12:34" for the last six months, "Jan  1  2020" for older
 * (or future) times — coreutils' rule.
 */
export function lsDate(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const day = String(d.getDate()).padStart(2, ' ');
  const recent = ms <= now && now - ms < SIX_MONTHS_MS;
  const tail = recent
    ? `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
    : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${day} ${tail}`;
}

/**
 * lsDate(ms, now) for the many times of one listing: times in the same second (a listing's files
 * often share it) share one string — lsDate's fields are local time to the minute, and time zone
 * offsets are whole seconds — and whether a time counts as recent is decided per time, as lsDate does.
 */
export function lsDates(now: number): (ms: number) => string {
  const memo = new Map<number, string>();
  return (ms) => {
    const recent = ms <= now && now - ms < SIX_MONTHS_MS;
    const key = Math.floor(ms / 1000) * 2 + (recent ? 1 : 0);
    let s = memo.get(key);
    if (s === undefined) {
      s = lsDate(ms, now);
      memo.set(key, s);
    }
    return s;
  };
}

/** stat(1)'s timestamp: "2020-01-01 00:00:00.000000000 +0000", local time, from nanoseconds. */
export function statTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`
    + `.${String(frac).padStart(9, '0')} ${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
}

const UNITS = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/**
 * df -h's size: powers of 1024, rounded up, one decimal below 10 ("1.5G", "17M", "0").
 */
export function humanSize(bytes: bigint | number): string {
  let v = Number(bytes);
  if (v < 1024) return String(Math.ceil(v));
  let u = -1;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (v < 10) {
    const r = Math.ceil(v * 10) / 10;
    if (r < 10) return `${r.toFixed(1)}${UNITS[u]}`;
    v = r;
  }
  const r = Math.ceil(v);
  if (r >= 1024 && u < UNITS.length - 1) return `1.0${UNITS[u + 1]}`;
  return `${r}${UNITS[u]}`;
}

/** Bytes for a progress line: "512 B", "1.5 MiB", "12.0 GiB". */
export function byteCount(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** A duration for an ETA: "0:07", "12:34", "1:02:03". */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Rows of cells, each column right-aligned (alignLeft: those columns left-aligned) to its widest cell. */
export function columns(rows: readonly (readonly string[])[], alignLeft: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((row) => row.map((c, i) => {
    if (i === row.length - 1 && alignLeft.has(i)) return c;
    return alignLeft.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!);
  }).join(' '));
}
