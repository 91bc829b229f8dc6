# The README's two commands: `make reproduce` (installs, then regenerates every figure and table)
# and `make test` (installs, then runs every notebook's tests). Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= cpu
WEIGHTS ?= auto
OUT ?=
SOURCE ?=
# torch builds that install from the local wheel cache of this platform (a plain `pip install torch` pulls several GB)
ifeq ($(shell uname -m),aarch64)
TORCH ?= torch==2.9.1 torchvision==0.24.1
else
TORCH ?= torch==2.14.1 torchvision==0.29.1
endif
# root may run JupyterLab only when asked to
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install test check smoke reproduce report browser-check lab bench gpu-check

$(BIN)/.installed: settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# one torch thread per notebook: nbdev_test runs two notebooks at once on two cores
test: install
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing

# notebooks clean and the library in sync with them (run on a clean checkout, as CI does)
check: install
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	@git status --porcelain -- nbs dinoinv | grep . && { echo "notebooks unclean or dinoinv/ out of sync with nbs/: run nbdev_export and nbdev_clean, then commit"; exit 1; } || echo "notebooks clean, library in sync"

# the smoke reproduction end to end, twice into temporary folders: its tables (timings aside) must be identical.
# The second run is kept in SMOKE_OUT when given (CI builds the HTML report from it and checks it in a browser).
smoke: install
	@a=$$(mktemp -d); b=$${SMOKE_OUT:-$$(mktemp -d)}; \
	$(BIN)/dinoinv_reproduce --profile smoke --out $$a --quiet && \
	$(BIN)/dinoinv_reproduce --profile smoke --out $$b --quiet && \
	for f in $$a/docs/results/*.csv; do n=$$(basename $$f); case $$n in *_cost.csv|*_timed*.csv) continue;; esac; \
	  cmp $$f $$b/docs/results/$$n || { echo "$$n differs between two smoke runs"; exit 1; }; done && \
	echo "smoke reproduction: every table but the timings identical across two runs"; rm -rf $$a; [ -n "$$SMOKE_OUT" ] || rm -rf $$b

reproduce: install
	@$(BIN)/dinoinv_reproduce --profile $(PROFILE) --weights $(WEIGHTS) $(if $(OUT),--out $(OUT)) $(if $(SOURCE),--source $(SOURCE)) \
	  || { echo "make reproduce failed (above); to pass weights through make: WEIGHTS=/path/to/file, or WEIGHTS=random for the untrained control"; exit 1; }

# HTML pages of the last reproduction's executed notebooks (runs/<profile>/html/), with an index page holding the report
report: install
	$(BIN)/dinoinv_report $(if $(OUT),--base $(OUT))

# the report pages and JupyterLab in headless Chromium (Debian's package, installed here when missing)
browser-check: install
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	$(BIN)/python .ci/browser_check.py $(if $(OUT),--base $(OUT))

# JupyterLab on the repository, with the project's kernel
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ROOT_FLAG)

bench: install
	$(BIN)/dinoinv_bench_extract --size 224 --json

# the checks that need a CUDA GPU, by hand on a machine with one (CI has none): fidelity on CUDA, pairs under torchrun,
# every decoder trained, resumed and measured, GPU benchmarks, the smoke reproduction (GPU_CHECK_OUT=folder keeps files)
gpu-check: install
	PATH="$(abspath $(BIN)):$$PATH" bash .ci/gpu_check.sh
