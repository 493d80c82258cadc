"""PyTorch's CUDA ops for the work Nest's kernels do: k-th largest among the live scores and the pruning
mask update, on device-resident data shaped as the C# benchmark's (uniform weights, half live,
k = a tenth of the live ones). Median of 10 timed runs after a warm-up, timed with CUDA events."""
import torch

def median_ms(fn, prepare=lambda: None, repeats=10):
    times = []
    for r in range(repeats + 1):
        prepare()
        torch.cuda.synchronize()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        if r > 0:
            times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]

print("| scores | step | PyTorch CUDA (ms) | GB/s of scores read |")
print("|---|---|---|---|")
for n in (1_000_000, 61_000_000):
    g = torch.Generator(device="cuda").manual_seed(1)
    weight = torch.rand(n, device="cuda", generator=g) * 2 - 1
    mask = (torch.rand(n, device="cuda", generator=g) < 0.5).float()
    scores = torch.where(mask != 0, -weight.abs(), torch.tensor(float("-inf"), device="cuda"))
    live = int(mask.sum().item())
    k = live // 10
    result = {}
    def select():
        candidates = scores[scores > float("-inf")]
        result["t"] = candidates.kthvalue(candidates.numel() - k + 1).values.item()
    t_select = median_ms(select)
    m2, w2 = mask.clone(), weight.clone()
    def prepare():
        m2.copy_(mask)
        w2.copy_(weight)
    def update():
        selected = (scores >= result["t"]) & (scores > float("-inf"))
        m2.masked_fill_(selected, 0)
        w2.masked_fill_(selected, 0)
    t_update = median_ms(update, prepare)
    for step, ms in (("threshold (kthvalue)", t_select), ("pruning mask update", t_update), ("both", t_select + t_update)):
        print(f"| {n:,} | {step} | {ms:.3f} | {n * 4 / (ms / 1000) / 1e9:.0f} |")
