#!/usr/bin/env bash
# Runs the lantern window under a display of its own and a script of GUI commands.
#
#   run_gui_test.sh LANTERN SCRIPT OUTDIR [lantern options...]
#
# The display: a private Xvfb server when Xvfb is installed (.ci/install-deps installs it), else
# SDL's offscreen video driver. Exits 77 (ctest: skipped) with the reason when neither works.
# Screenshots the script takes land in OUTDIR; the app's settings file starts fresh there, so
# the layout is the default one every time.
set -u
lantern=$1
script=$2
outdir=$3
shift 3

mkdir -p "$outdir"
cd "$outdir" || exit 1
rm -f ./*.png gui.ini

run_app() {
  "$lantern" run --gui-script "$script" --gui-config "$outdir/gui.ini" --debugcon none "$@"
}

xvfb_pid=""
cleanup() {
  if [[ -n "$xvfb_pid" ]]; then kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; fi
}
trap cleanup EXIT

if command -v Xvfb >/dev/null 2>&1; then
  # -displayfd: Xvfb picks a free display number and writes it once it accepts connections.
  fifo_file=$(mktemp)
  Xvfb -displayfd 9 -screen 0 1600x1000x24 -nolisten tcp 9>"$fifo_file" 2>"$outdir/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "$fifo_file" ]] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  display=$(tr -d '[:space:]' <"$fifo_file")
  rm -f "$fifo_file"
  if [[ -n "$display" ]]; then
    echo "run_gui_test: Xvfb on :$display"
    DISPLAY=":$display" run_app "$@"
    exit $?
  fi
  echo "run_gui_test: Xvfb did not start (see $outdir/xvfb.log); trying SDL's offscreen driver"
  cleanup
  xvfb_pid=""
fi

# No X server: SDL's offscreen driver renders the same window into memory.
unset DISPLAY WAYLAND_DISPLAY
SDL_VIDEODRIVER=offscreen run_app "$@"
status=$?
if [[ $status -eq 2 ]] && ! ls ./*.png >/dev/null 2>&1; then
  echo "run_gui_test: SKIP: no X server (Xvfb) and SDL's offscreen driver cannot open a window"
  exit 77
fi
exit $status
