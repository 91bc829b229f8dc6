# The README's two commands: `make reproduce` (installs, then regenerates every figure and table)
# and `make test` (installs, then runs every notebook's tests). Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= cpu
WEIGHTS ?= auto
OUT ?=
SOURCE ?=
JOBS ?=
DATA ?=
# torch builds that install from the local wheel cache of this platform (a plain `pip install torch` pulls several GB)
ifeq ($(shell uname -m),aarch64)
TORCH ?= torch==2.9.1 torchvision==0.24.1
else
TORCH ?= torch==2.14.1 torchvision==0.29.1
endif
# root may run JupyterLab only when asked to
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install test check smoke smoke-expected reproduce report browser-check lab bench gpu-check

$(BIN)/.installed: settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# the tests of every library notebook (index included; one torch thread each, two at once on two cores), then the smoke
# reproduction of every experiment notebook with its tables' numbers checked against the pinned ones
test: install
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing
	$(MAKE) --no-print-directory smoke

# notebooks clean and the library in sync with them (run on a clean checkout, as CI does)
check: install
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(BIN)/dinoinv_readme
	@git status --porcelain -- nbs dinoinv README.md docs/*.md | grep . && { echo "notebooks unclean, dinoinv/ out of sync with nbs/ or README.md or its docs pages stale: run nbdev_export, nbdev_clean and dinoinv_readme, then commit"; exit 1; } || echo "notebooks clean, library and README in sync"

# the smoke reproduction end to end (every experiment notebook, random weights, tiny tiles) into SMOKE_OUT (default: a
# temporary folder), its tables' numbers checked against nbs/experiments/smoke_key_numbers.json (timings aside)
SMOKE_EXPECTED := nbs/experiments/smoke_key_numbers.json
smoke: install
	@out=$${SMOKE_OUT:-$$(mktemp -d)}; $(BIN)/dinoinv_reproduce --profile smoke --out $$out --quiet --expect $(SMOKE_EXPECTED) \
	  && { [ -n "$$SMOKE_OUT" ] || rm -rf $$out; }

# after an intended change of the smoke tables: rewrite the pinned numbers (then commit them)
smoke-expected: install
	@out=$$(mktemp -d); $(BIN)/dinoinv_reproduce --profile smoke --out $$out --quiet --write_expected $(SMOKE_EXPECTED) && rm -rf $$out

reproduce: install
	@$(BIN)/dinoinv_reproduce --profile $(PROFILE) --weights $(WEIGHTS) $(if $(OUT),--out $(OUT)) $(if $(SOURCE),--source $(SOURCE)) $(if $(DATA),--data $(DATA)) $(if $(JOBS),--jobs $(JOBS)) \
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
