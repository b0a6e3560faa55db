#!/usr/bin/perl
# rpc-null.pl HOST PORT PROGRAM VERSION tcp|udp
# Sends one ONC RPC NULL call (RFC 5531: procedure 0, AUTH_NONE) straight to PORT, without asking
# the portmapper (rpcinfo -n still asks it, so it cannot probe a server whose rpcbind does not
# listen on 111). Exits 0 if the reply is MSG_ACCEPTED/SUCCESS for our xid within 3 s, else 1
# with the reason on stderr. Over TCP the call is one record-marked fragment (RFC 5531 section 11).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

my ($host, $port, $prog, $vers, $proto) = @ARGV;
die "usage: rpc-null.pl HOST PORT PROGRAM VERSION tcp|udp\n"
  unless defined $proto && ($proto eq 'tcp' || $proto eq 'udp');

my $xid = int(rand(0x7fffffff));
# xid, CALL, rpcvers 2, prog, vers, proc 0, cred AUTH_NONE (flavor 0, length 0), verf likewise
my $call = pack('N10', $xid, 0, 2, $prog, $vers, 0, 0, 0, 0, 0);
my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Proto => $proto, Timeout => 3)
  or fail("cannot reach $host:$port/$proto: $@");
my $out = $proto eq 'tcp' ? pack('N', 0x80000000 | length $call) . $call : $call;
defined syswrite($sock, $out) or fail("send to $host:$port/$proto: $!");

my $sel = IO::Select->new($sock);
my $reply = '';
my $need = $proto eq 'tcp' ? 4 : 1;
while (length $reply < $need) {
  $sel->can_read(3) or fail("no reply from $host:$port/$proto within 3 s");
  my $n = sysread($sock, $reply, 65536, length $reply);
  fail("connection to $host:$port/$proto closed: " . ($! || 'EOF')) unless $n;
  last if $proto eq 'udp';
  if ($need == 4 && length $reply >= 4) {
    $need = 4 + (unpack('N', $reply) & 0x7fffffff);
  }
}
$reply = substr($reply, 4) if $proto eq 'tcp';
length $reply >= 24 or fail("short reply (" . length($reply) . " bytes)");
my ($rxid, $mtype, $stat, $flavor, $vlen) = unpack('N5', $reply);
$rxid == $xid or fail("reply xid $rxid does not match call xid $xid");
$mtype == 1 or fail("message type $mtype is not REPLY");
$stat == 0 or fail("call denied (reply_stat $stat)");
my $off = 20 + (($vlen + 3) & ~3);
length $reply >= $off + 4 or fail("truncated reply");
my $accept = unpack('N', substr($reply, $off, 4));
$accept == 0 or fail("accept_stat $accept (program $prog version $vers not served as expected)");
exit 0;

sub fail { print STDERR "rpc-null: $_[0]\n"; exit 1; }
