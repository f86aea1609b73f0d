# irqfd-rig: the front door. `make help` lists the targets.

BUILD_DIR ?= build
CMAKE_BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: help deps all configure check bench-splatscan clean

help: ## List the targets
	@echo "irqfd-rig targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

deps: ## Install the Debian packages the rig needs (as root)
	./scripts/ci/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)

configure: $(BUILD_DIR)/CMakeCache.txt ## Configure the C++ build (CMake)

all: configure ## Build the host tools (build/bin/splatscan, ...) and their tests
	cmake --build $(BUILD_DIR) -j $(JOBS)

check: all ## Build and run every test; ends with "N passed, N failed"
	./scripts/ci/run-checks.sh $(BUILD_DIR)

bench-splatscan: all ## Splat scanner throughput (MB/s) and peak RSS on 100 MB logs
	$(BUILD_DIR)/bin/bench-splatscan --bin $(BUILD_DIR)/bin/splatscan

clean: ## Remove the build directory
	rm -rf $(BUILD_DIR)

.DEFAULT_GOAL := all
