#!/usr/bin/env bash
# The checks that need a CUDA GPU (CI has none; `make gpu-check` on a machine with one, dinoinv's commands on PATH).
# Random or fixture weights only, nothing downloaded. Prints what it measures; fails when a check fails.
# GPU_CHECK_OUT=folder keeps the files (default: a temporary folder). SKIP_SMOKE=1 leaves out the smoke reproduction.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${GPU_CHECK_OUT:-$(mktemp -d)}; mkdir -p "$out"
python -c "import torch, sys; torch.cuda.is_available() or sys.exit('gpu-check: CUDA is not available here')"
nvidia-smi -L || true
python -c "import torch, timm; print('torch', torch.__version__, 'timm', timm.__version__, torch.cuda.get_device_name())"

echo "== features equal the official models on CUDA (float32, fixture checkpoints)"
python - <<'EOF'
import tempfile
from dinoinv.testing import fixture_checkpoint, fidelity_errors, FIXTURE_MODELS
folder, errors = tempfile.mkdtemp(), {}
for names in FIXTURE_MODELS.values():
    for name in names: errors.update(fidelity_errors(name, fixture_checkpoint(name, folder), device="cuda"))
worst = max(errors, key=errors.get)
print(f"{len(errors)} tensors; worst relative max error {errors[worst]:.1e} ({worst})")
assert errors[worst] < 1e-4, {k: v for k, v in errors.items() if v >= 1e-4}
EOF

echo "== pairs on CUDA, one process and under torchrun (1 rank): identical roots"
pairs=(--source bundled --max_images 6 --tile 224 --mode hr --views moore:1 --weights random --device cuda --quiet)
t0=$(date +%s.%N); dinoinv_pairs "${pairs[@]}" --out "$out/pairs"; t1=$(date +%s.%N)
torchrun --nproc_per_node 1 "$(command -v dinoinv_pairs)" "${pairs[@]}" --out "$out/pairs_torchrun"
echo "pairs: $(find "$out/pairs" -name info.json | wc -l) samples in $(python -c "print(f'{$t1 - $t0:.1f}')") s (start-up included)"
hashes() { (cd "$1" && find . -type f | sort | xargs sha256sum); }
diff <(hashes "$out/pairs") <(hashes "$out/pairs_torchrun") >/dev/null && echo "roots identical"

echo "== two processes on one GPU: one clear line, not a hang"
if [ "$(python -c 'import torch; print(torch.cuda.device_count())')" = 1 ]; then
  if torchrun --nproc_per_node 2 "$(command -v dinoinv_pairs)" "${pairs[@]}" --out "$out/pairs_two" 2>"$out/two.err"; then
    echo "two ranks on one GPU should have been refused"; exit 1; fi
  grep -m1 "LOCAL_RANK 1, but this node has 1 GPU" "$out/two.err"
fi

echo "== each decoder trains on CUDA (amp auto), resumes, and measures with the baselines"
for arch in seed multiscale transformer; do
  train=(--pairs_root "$out/pairs" --arch "$arch" --crop 112 --batch_size 4 --amp auto --device cuda --quiet)
  dinoinv_train "${train[@]}" --epochs 2 --out "$out/train_$arch"
  dinoinv_train "${train[@]}" --epochs 3 --out "$out/train_$arch" --resume
  dinoinv_infer --pairs_root "$out/pairs" --ckpt "$out/train_$arch/decoder_best.pth" --split test --baselines \
    --device cuda --out "$out/infer_$arch" --quiet
  python - "$out/train_$arch/loss_log.json" "$out/infer_$arch/summary.json" "$arch" <<'EOF'
import json, sys
log, summary = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert [e["epoch"] for e in log] == [1, 2, 3], log
m = summary["metrics"]
print(f"{sys.argv[3]}: 3 epochs (2 + resumed 1), test PSNR {m['psnr']['mean']:.2f} dB on {summary['n_samples']} tiles")
EOF
done

echo "== benchmarks (GPU; the CPU targets are float32 on a CPU)"
for b in dinov2_vits14 dinov3_vits16; do for dt in float32 bfloat16; do
  dinoinv_bench_extract --backbone "$b" --weights random --device cuda --dtype "$dt" --size 448 --json | tail -1; done; done
dinoinv_bench_train --arch multiscale --device cuda --crop 224 --seconds 30 --json | tail -1
dinoinv_bench_train --arch multiscale --device cuda --crop 224 --seconds 30 --amp auto --json | tail -1

if [ -z "${SKIP_SMOKE:-}" ]; then
  echo "== the smoke reproduction on CUDA"
  t0=$(date +%s); dinoinv_reproduce --profile smoke --weights random --out "$out/smoke" --quiet
  echo "smoke reproduction on CUDA: $(( $(date +%s) - t0 )) s"
fi
echo "gpu-check passed ($out)"
