#!/bin/sh
# The outside oracle: stacklab writes pcap files, tshark reads them back with
# checksum validation on. tshark must find no malformed packet and no bad
# checksum in the good file, and every field it decodes must equal
# stacklab's own decoding (the bad file's checksum states included).
#   tests/oracle/run.sh path/to/stacklab
set -u
STACKLAB=${1:?usage: tests/oracle/run.sh STACKLAB}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "  FAIL: $*"; }

# Segments are read one by one, not reassembled into an application's
# stream: a capture at the sender holds a lost segment and its
# retransmission both, and Wireshark's stream reassembly (port 80 is taken
# for HTTP) reports the second copy as "New fragment overlaps old data
# (retransmission?)", an error about its own reassembly, though the bytes
# are the same. Each frame's own fields are what this oracle checks.
TSHARK="tshark -n -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
	-o tcp.relative_sequence_numbers:FALSE -o tcp.analyze_sequence_numbers:FALSE
	-o tcp.desegment_tcp_streams:FALSE"

if ! "$STACKLAB" "$here/packets.lua" good.pcap bad.pcap fields > ours.txt 2> err.txt; then
	bad "stacklab could not write the packets: $(cat err.txt)"
	echo "$passed passed, $failed failed"
	exit 0
fi
fields=""
for f in $(cat fields); do fields="$fields -e $f"; done

# 1. Nothing malformed, no bad checksum, in the good file.
total=$($TSHARK -r good.pcap 2>/dev/null | wc -l)
flagged=$($TSHARK -r good.pcap -Y '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0 || _ws.expert.severity >= error' 2>/dev/null)
if [ "$total" -gt 0 ] && [ -z "$flagged" ]; then ok; else bad "tshark flags frames in good.pcap: $flagged"; fi

# 2. Field by field, frame by frame.
compare() {
	file=$1
	part=$2
	$TSHARK -r "$file" -T fields -E separator='|' -E occurrence=f $fields 2>/dev/null > "theirs.$part"
	awk -v part="$part" 'BEGIN { n = 0 } /^--$/ { n++; next } n == part' ours.txt > "ours.$part"
	i=0
	while IFS= read -r theirs <&3 && IFS= read -r mine <&4; do
		i=$((i + 1))
		if [ "$theirs" = "$mine" ]; then
			ok
		else
			bad "$file frame $i: tshark and stacklab disagree"
			echo "    tshark:   $theirs"
			echo "    stacklab: $mine"
		fi
	done 3< "theirs.$part" 4< "ours.$part"
	if [ "$(wc -l < "theirs.$part")" -ne "$(wc -l < "ours.$part")" ]; then
		bad "$file: tshark read $(wc -l < "theirs.$part") frames, stacklab wrote $(wc -l < "ours.$part")"
	fi
}
compare good.pcap 0
compare bad.pcap 1

# 3. A whole session (handshake, data, loss, retransmission, teardown):
#    nothing malformed, no bad checksum, and tshark's sequence numbers,
#    acknowledgements, lengths and flags equal the trace's, frame by frame.
if "$STACKLAB" "$here/session.lua" session.pcap > session.ours 2> session.err; then
	ok
else
	bad "the session script failed: $(cat session.err)"
fi
flagged=$($TSHARK -r session.pcap -Y '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || _ws.expert.severity >= error' 2>/dev/null)
if [ -s session.pcap ] && [ -z "$flagged" ]; then ok; else bad "tshark flags frames in session.pcap: $flagged"; fi
$TSHARK -r session.pcap -Y tcp -T fields -E separator='|' -e tcp.seq -e tcp.ack -e tcp.len -e tcp.flags \
	2>/dev/null > session.theirs
if [ -s session.ours ] && cmp -s session.ours session.theirs; then
	ok
else
	bad "session: tshark's TCP fields differ from the trace ($(wc -l < session.ours) frames in the trace, $(wc -l < session.theirs) read by tshark)"
	diff session.ours session.theirs | head -n 10
fi

echo "$passed passed, $failed failed"
