#!/usr/bin/env bash
# Error against compression, Nest's synthesis and the PyTorch peer's iterative magnitude pruning
# (../shared/peers, with --augment like Nest's training), both run here; needs python3-torch.
#   bash bench/peer-comparison.sh       # writes bench/results/peer-comparison.md
# Nest's test error per step is recorded for this comparison only ("testErrorReportOnly"); its
# decisions use the validation set. Compression counts weights only, as the peer does.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=artifacts/bench/peer-comparison
mkdir -p "$OUT" bench/results
dotnet build samples/Nest.Samples -c Release -v q -nologo > "$OUT/build.log"
nest=(dotnet samples/Nest.Samples/bin/Release/net10.0/nest.dll)
DATA=$("${nest[@]}" fetch-data | tail -1)
OMP_NUM_THREADS=1 /usr/bin/python3 ../shared/peers/torch_prune_lenet300.py "$DATA" --threads 1 --augment > "$OUT/peer.log"
"${nest[@]}" synthesize --seed lenet300 --threads 1 --no-progress --data "$DATA" --out "$OUT/nest" > "$OUT/nest.log"
# The main command stops near 40x; the peer goes on to 100x, so a run with a looser limit covers the rest.
"${nest[@]}" synthesize --seed lenet300 --threads 1 --no-progress --data "$DATA" --target 0.018 --out "$OUT/nest-past-stop" > "$OUT/nest-past-stop.log"
/usr/bin/python3 bench/peer-table.py "$OUT/peer.log" "$OUT/nest/report.json" "$OUT/nest-past-stop/report.json" | tee bench/results/peer-comparison.md
