#!/usr/bin/env bash
# Time to a synthesized network, against the PyTorch peer's time to the same compression: the README's command and
# the peer (bench/suite/torch_prune.py, Han-style iterative pruning) one after the other in one run, each alone on the
# machine, at the same thread count (issue 28). Stores the report as
# bench/results/synthesis-SEED-2threads-s0-COMMIT.json and the peer's log as bench/results/peer-SEED-2threads.log,
# then regenerates bench/results/synthesis-time.md (python3 bench/synthesis-time.py, with the builds given).
# Needs: apt-get install python3-torch libopenblas0-pthread
#
#   bash bench/time-to-result.sh SEED [BUILD...]   SEED: lenet300 or lenet5; BUILD...: the rows of synthesis-time.md
#                                                  (SEED:COMMIT as synthesis-time.py takes them), this build's added
#   PEER=0 bash bench/time-to-result.sh ...        Nest alone (the peer's stored log, if any, stays)
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:?usage: bash bench/time-to-result.sh lenet300|lenet5 [BUILD...]}
shift
threads=2
case "$seed" in
  lenet300) peer_net=() ;;
  lenet5) peer_net=(--lenet5) ;;
  *) echo "bench/time-to-result.sh: SEED must be lenet300 or lenet5 (got '$seed')" >&2; exit 2 ;;
esac
commit=$(git rev-parse --short HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || echo "note: uncommitted changes; the row is named $commit" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build samples/Nest.Samples -c Release -v q -nologo > "$work/build.log"
nest=(dotnet samples/Nest.Samples/bin/Release/net10.0/nest.dll)
data=$("${nest[@]}" fetch-data | tail -1)

echo "nest synthesize --seed $seed (README command, seed value 0, $threads threads) ..." >&2
"${nest[@]}" synthesize --seed "$seed" --augment --seed-value 0 --threads "$threads" --no-progress \
  --checkpoint-every 0 --out "$work/nest" > "$work/nest.log"
cp "$work/nest/report.json" "bench/results/synthesis-$seed-${threads}threads-s0-$commit.json"

# 16 rounds of 25%: up to 99.8x, past every compression the defaults reach on MNIST.
if [ "${PEER:-1}" != 0 ]; then
  echo "the PyTorch peer ($threads threads, 16 rounds) ..." >&2
  OMP_NUM_THREADS=$threads /usr/bin/python3 bench/suite/torch_prune.py "$data" "${peer_net[@]}" --threads "$threads" \
    --augment --rounds 16 > "bench/results/peer-$seed-${threads}threads.log"
fi

python3 bench/synthesis-time.py "$@" "$seed:$commit"
