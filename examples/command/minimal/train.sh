#!/bin/sh
# The phasesweep protocol with nothing but sh, sed and awk: a toy "training" that halves a loss.
set -eu
read -r input # one JSON line: {"protocol":1,"cell_key":...,"params":{"lr":0.5,...},"seed":0,...}
lr=$(printf '%s' "$input" | sed -n 's/.*"lr":\([-0-9.eE+]*\).*/\1/p')
: "${lr:?params.lr is missing}"
loss=1
step=0
while [ "$step" -lt 5 ]; do
  loss=$(awk -v l="$loss" -v r="$lr" -v s="$PHASESWEEP_SEED" 'BEGIN { print l * (1 - r) + s / 1000 }')
  # Events go to the file PHASESWEEP_EVENTS names, one JSON object a line...
  echo "{\"type\":\"progress\",\"step\":$step,\"metrics\":{\"loss\":$loss}}" >>"$PHASESWEEP_EVENTS"
  step=$((step + 1))
done
echo "training done" >&2 # ordinary output only goes to the attempt's log
# ...or to stdout behind the prefix. Exactly one result, with every metric the spec lists.
echo "@@phasesweep {\"type\":\"result\",\"metrics\":{\"loss\":$loss}}"
