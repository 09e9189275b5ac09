#!/bin/sh
# Drives the real REPL in a terminal (tmux) like a person: Tab completion,
# Ctrl-C interrupting a Lua loop and discarding a line, history recall and
# the history file, Ctrl-D leaving. Prints "N passed, N failed".
#   tests/interactive/tmux.sh path/to/stacklab
set -u
STACKLAB=${1:?usage: tests/interactive/tmux.sh STACKLAB}
if ! command -v tmux >/dev/null 2>&1; then
	echo "  FAIL: tmux is not installed (scripts/install-deps.sh test installs it)"
	echo "0 passed, 1 failed"
	exit 0
fi
work=$(mktemp -d)
session="stacklab-test-$$"
socket="$work/tmux.sock"
trap 'tmux -S "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
T() { tmux -S "$socket" "$@"; }
pane() { T capture-pane -p -t "$session" 2>/dev/null; }

# Waits (up to 10 s) for text to appear on the screen.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		if pane | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check() {	# check NAME TEXT: passes when TEXT shows up on the screen
	if wait_for "$2"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "  FAIL: interactive: $1 (waited for '$2'); the screen was:"
		pane | grep -v '^$' | sed 's/^/    | /' | tail -n 15
	fi
}

cd "$work" || exit 1
T new-session -d -s "$session" -x 150 -y 45 \
	"env HOME='$work' TERM=xterm LANG=C.UTF-8 '$STACKLAB' --lua-steps 100000000000; echo STACKLAB-EXITED; sleep 30"
check "the prompt appears" "stacklab>"

T send-keys -t "$session" "listen b 8" Tab
sleep 0.3
T send-keys -t "$session" "0" Enter
check "a command runs" "b1"

T send-keys -t "$session" "con" Tab
check "Tab completes a command" "stacklab> connect"
T send-keys -t "$session" "a b:80" Enter
check "the completed command runs" "SYN-RECEIVED -> ESTABLISHED"

T send-keys -t "$session" "set rel" Tab
check "Tab completes a setting" "stacklab> set relseq"
T send-keys -t "$session" C-u "tcb b" Tab Tab
check "Tab lists socket ids" "b1"
T send-keys -t "$session" "2" Enter
check "tcb shows the TCB" "send sequence space"

T send-keys -t "$session" "while true do end" Enter
sleep 0.5
T send-keys -t "$session" C-c
check "Ctrl-C interrupts a running Lua loop" "error: interrupted"
T send-keys -t "$session" "print('still here')" Enter
check "the REPL goes on after the interrupt" "still here"

T send-keys -t "$session" "hosts are not typed" C-c
check "Ctrl-C at the prompt discards the line" "^C"
T send-keys -t "$session" Enter "print(6 * 7)" Enter
check "the next line works" "42"

T send-keys -t "$session" "for i = 1, 2 do" Enter
check "an unfinished chunk continues" "...>"
T send-keys -t "$session" "print('loop ' .. i) end" Enter
check "the chunk runs when finished" "loop 2"

T send-keys -t "$session" Up Up Up
check "history recalls earlier lines" "stacklab> print(6 * 7)"
T send-keys -t "$session" C-u C-d
check "Ctrl-D at an empty prompt leaves" "STACKLAB-EXITED"

if grep -qF "connect a b:80" "$work/.stacklab_history" 2>/dev/null; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "  FAIL: interactive: the history file ~/.stacklab_history has the commands"
fi
echo "$passed passed, $failed failed"
