#!/usr/bin/env bash
# Runs on the GPU machine (packed by bench/device/pack.sh): verifies the CUDA kernels against the CPU
# path, times them over 1M and 61M scores from host arrays and on the device, then times PyTorch's
# CUDA kthvalue + masked_fill on data of the same shape. Output: $OUT/mask-kernels-cuda.md.
set -uo pipefail
out=${OUT:-/tmp/nest-out}
mkdir -p "$out" /tmp/dotnet
tar -C /tmp/dotnet -xJf .device/dotnet.tar.xz
export DOTNET_ROOT=/tmp/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
{
  echo "$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv,noheader 2>&1)"
  echo
  timeout 300 /tmp/dotnet/dotnet .device/app/Nest.Benchmarks.dll --backend cuda --verify --no-torch --repeats 10 --peak-gbs 4800
  echo "exit code: $?"
  echo
  echo "## PyTorch $(python3 -c 'import torch; print(torch.__version__)') on the same GPU (same shapes and distribution)"
  echo
  timeout 120 python3 bench/device/torch_kth_cuda.py
} 2>&1 | tee "$out/mask-kernels-cuda.md"
