#!/usr/bin/env bash
# The gdb stub against Debian's real gdb, in batch mode: attach to `lantern --gdb` held at the
# reset vector, read registers and memory, set a breakpoint in the test guest, continue, step,
# watch a word, write a register, run monitor commands, detach; then check what gdb printed and
# that the guest ran on to its exit.
#
#   gdb_batch_test.sh LANTERN DBG_TARGET_BIN [GDB]     (no GDB: prints SKIPPED and passes)
set -u
lantern=$1
rom=$2
gdb=${3:-}
if [[ -z "$gdb" || ! -x "$gdb" ]]; then
  echo "SKIPPED: gdb is not installed (Debian package gdb; .ci/install-deps installs it)"
  exit 0
fi

work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the system picks a free port and lantern prints it, so parallel tests never collide.
"$lantern" run --headless --cpu 80286 --bios "$rom" --gdb 0 --timeout 60 2>"$work/lantern.err" &
pid=$!
port=""
for _ in $(seq 1 200); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/lantern.err" 2>/dev/null | head -1 | cut -d: -f2)
  [[ -n "$port" ]] && break
  sleep 0.05
done
if [[ -z "$port" ]]; then
  echo "FAIL: lantern did not say where it listens"; cat "$work/lantern.err"; exit 1
fi

timeout 60 "$gdb" -batch -nx \
  -ex "target remote 127.0.0.1:$port" \
  -ex 'info registers eip cs cr0' \
  -ex 'x/2i $pc' \
  -ex 'break *0xf0090' \
  -ex 'continue' \
  -ex 'info registers eip ecx' \
  -ex 'p/x $eip_off' \
  -ex 'p/x $csbase' \
  -ex 'x/2xb 0x600' \
  -ex 'stepi' \
  -ex 'p/x $pc' \
  -ex 'x/1xh 0x600' \
  -ex 'delete' \
  -ex 'watch *(short*)0x600' \
  -ex 'continue' \
  -ex 'delete' \
  -ex 'set var $eax = 0x1234' \
  -ex 'p/x $eax' \
  -ex 'monitor info registers' \
  -ex 'monitor info idt 0x60' \
  -ex 'monitor continue' \
  -ex 'detach' >"$work/gdb.out" 2>&1
gdb_status=$?
wait "$pid"
lantern_status=$?
pid=""

echo "--- gdb (status $gdb_status) ---"; cat "$work/gdb.out"
echo "--- lantern (status $lantern_status) ---"; cat "$work/lantern.err"

failures=0
expect() {  # expect FILE REGEX WHAT
  if ! grep -Eq -- "$2" "$1"; then
    echo "FAIL: $3 (no match for /$2/)"
    failures=$((failures + 1))
  fi
}
out="$work/gdb.out"
expect "$out" '^0x00fffff0 in \?\? \(\)' "attached at the 286's reset vector (linear pc FFFFF0)"
expect "$out" '^eip +0xfffff0 ' "\$eip is the linear pc"
expect "$out" '^cs +0xf000 ' "cs"
expect "$out" '^cr0 +0xfff0 ' "control registers (the 286's MSW)"
expect "$out" '=> 0xfffff0:[[:space:]]+ljmp +\$0xf000,\$0x0' "16-bit disassembly (target architecture i8086)"
expect "$out" '^Breakpoint 1 at 0xf0090' "breakpoint set"
expect "$out" '^Breakpoint 1, 0x000f0090 in \?\? \(\)' "breakpoint hit at bump"
expect "$out" '^ecx +0x3 ' "registers at the breakpoint (first pass of the loop: CX = 3)"
expect "$out" '^\$1 = 0x90$' "\$eip_off: the offset in CS"
expect "$out" '^\$2 = 0xf0000$' "\$csbase"
expect "$out" '^0x600:[[:space:]]+0x00[[:space:]]+0x00' "memory before the first increment"
expect "$out" '^\$3 = 0xf0094$' "stepi executed one instruction"
expect "$out" '^0x600:[[:space:]]+0x0001' "memory after the step"
expect "$out" '^Hardware watchpoint 2: \*\(short\*\)0x600' "watchpoint set (Z2)"
expect "$out" '^Old value = 1' "watchpoint old value"
expect "$out" '^New value = 2' "watchpoint new value"
expect "$out" '^\$4 = 0x1234$' "register write"
expect "$out" '^ax 0x1234 ' "monitor info registers sees gdb's register write"
expect "$out" '0x60: f000:0095' "monitor info idt"
expect "$out" "use gdb's own continue" "monitor refuses to run the machine"
expect "$out" 'Inferior 1 \(Remote target\) detached' "detached"
expect "$work/lantern.err" 'gdb detached: the machine runs on' "lantern went on after the detach"
if [[ $lantern_status -ne 1 ]]; then
  echo "FAIL: lantern's exit status is $lantern_status, expected 1 (the guest's debug exit)"
  failures=$((failures + 1))
fi

# A second session: gdb kills the machine.
"$lantern" run --headless --bios "$rom" --gdb 0 --timeout 60 2>"$work/lantern2.err" &
pid=$!
port=""
for _ in $(seq 1 200); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/lantern2.err" 2>/dev/null | head -1 | cut -d: -f2)
  [[ -n "$port" ]] && break
  sleep 0.05
done
timeout 60 "$gdb" -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'continue' >"$work/gdb2.out" 2>&1
wait "$pid"
lantern_status=$?
pid=""
echo "--- gdb, second session ---"; cat "$work/gdb2.out"
expect "$work/gdb2.out" 'exited with code 01' "the guest's debug exit reported to gdb (W packet)"
if [[ $lantern_status -ne 1 ]]; then
  echo "FAIL: second session: lantern's exit status is $lantern_status, expected 1"
  failures=$((failures + 1))
fi

if ((failures > 0)); then
  echo "FAILED: $failures check(s)"
  exit 1
fi
echo "PASSED"
