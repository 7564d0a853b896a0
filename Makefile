# Two commands do all the set-up on a fresh Debian machine with Python >= 3.11 and Node/npm:
#   make serve   build the site and serve it at http://127.0.0.1:8000
#   make test    run every test: rules, build, and browser tests in the system Chromium
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test build lint setup build-packages system-packages bench clean

serve: setup build-packages
	$(BIN)/python build.py serve

test: setup system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/biome lint --error-on-warnings
	$(BIN)/python build.py
	$(BIN)/python -m pytest --cov=rules --cov-branch --cov-report=term --durations=12

build: setup build-packages
	$(BIN)/python build.py

setup: $(VENV)/.installed node_modules/.installed

# Python packages, pinned in pyproject.toml; transitive versions pinned by requirements.lock.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

# The pinned npm packages (pyodide, axe-core, Biome); npm ci checks each tarball against package-lock.json's integrity hash.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages: brotli for the build's .br files (every build); for the tests also Chromium (launched by
# path; Playwright's own browser download is never used), Japanese fonts for readable screenshots, nginx
# for the deploy-config test.
BUILD_PACKAGES  := brotli
SYSTEM_PACKAGES := $(BUILD_PACKAGES) chromium fonts-noto-cjk nginx
define apt_install
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef
build-packages:
	$(call apt_install,$(BUILD_PACKAGES))
system-packages:
	$(call apt_install,$(SYSTEM_PACKAGES))

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/biome lint --error-on-warnings

bench: build
	$(BIN)/python benchmarks/bench.py --runs 5

clean:
	rm -rf public build .pytest_cache .coverage
