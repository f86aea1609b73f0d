# irqfd-rig: the front door. `make help` lists the targets.

BUILD_DIR ?= build
MAKEFLAGS += --no-print-directory
CMAKE_BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

# boot-test knobs: make boot-test VARIANT=base EXTRA_PATCH=patches/canary/x.patch TEST_ARGS=...
VARIANT ?=
EXTRA_PATCH ?=
TEST_ARGS ?=
TIMEOUT ?= 900
ECHO ?= 0
ACCEL ?= auto
# make run / make shell knobs
CMD ?=
GUEST_BINS ?=
SERIES_BRANCH ?= dev/series
# make bisect knobs
GOOD ?=
BAD ?=
TEST ?=
BAD_ON ?= any
REPEAT ?= 1
CASES ?=
# make send-prep knobs
VERSION ?=
# make stress knobs: RUNS=10 boot-tests, JOBS at a time (default nproc/2:
# JOBS set in this file is the compiler's, not a stress choice)
STRESS_RUNS = $(or $(RUNS),10)
STRESS_JOBS = $(if $(filter-out file default undefined,$(origin JOBS)),$(JOBS))
# make kcidb / lava-job knobs: RUN is a boot-test run directory (results/<run>)
RUN ?=
ORIGIN ?= irqfd_rig
KCIDB_IO ?= ../shared/vendor/kcidb-io
KERNEL_URL ?=
RAMDISK_URL ?=
ACCEL ?= tcg
# Values that may hold quotes, spaces, '*' or backquotes reach the scripts
# through the environment, never pasted into a recipe's shell command line,
# where the shell would run a backquote on the host.
export TEST_ARGS EXTRA_PATCH TEST CMD KERNEL_TREE BASE RUN KERNEL_URL RAMDISK_URL
# The kernel tree options of boot-test, run and shell.
TREE_OPTS = $${KERNEL_TREE:+--kernel-tree "$$KERNEL_TREE"} $${KERNEL_TREE:+$${BASE:+--base "$$BASE"}}
REAUTHOR ?= 0

.PHONY: run shell tools-quiet help deps all configure check bench-splatscan bench-hammer fetch-kernel boot-test \
	tree config kernel initramfs boot verdict \
	series-export series-import series-check send-prep maintainers-notes proof bisect faults bench \
	kcidb lava-job lava-run stress clean

# The stages of the data path, in order (make help lists them first), then
# boot-test, which runs them all.
STAGE_TARGETS = fetch-kernel tree config kernel initramfs boot verdict boot-test
help: ## List the targets and the knobs they take
	@echo "the data path, stage by stage (fetch, tree, config, kernel, initramfs, boot, verdict):"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -v stages='$(STAGE_TARGETS)' 'BEGIN {FS = ":.*## "; n = split(stages, s, " "); for (i = 1; i <= n; i++) order[s[i]] = i} \
		$$1 in order {line[order[$$1]] = sprintf("  %-18s %s", $$1, $$2)} END {for (i = 1; i <= n; i++) print line[i]}'
	@echo
	@echo "workflows and tools:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -v stages='$(STAGE_TARGETS)' 'BEGIN {FS = ":.*## "; n = split(stages, s, " "); for (i = 1; i <= n; i++) order[s[i]] = i} \
		!($$1 in order) {printf "  %-18s %s\n", $$1, $$2}'
	@echo
	@echo "knobs (make TARGET KNOB=value; default in brackets):"
	@echo "  VARIANT=base|series|head   [series once patches/ holds it]  boot-test, tree..initramfs, bench-hammer"
	@echo "  EXTRA_PATCH=FILE           []     one more patch on top (a canary)"
	@echo "  TEST_ARGS='...'            []     selftest arguments, split like shell words, never expanded"
	@echo "  TIMEOUT=S                  [900]  the guest's hard time limit"
	@echo "  ACCEL=auto|kvm|tcg         [auto] KVM only where the guest gets a working /dev/kvm"
	@echo "  ECHO=1                     [0]    copy the guest's console to the terminal"
	@echo "  RUN=DIR                    []     boot, verdict, kcidb, lava-*: a run directory (boot-test and the stages print it)"
	@echo "  DRY_RUN=1                  [0]    boot: print QEMU's exact command line and nothing else"
	@echo "  CMD='...'                  []     run: the command the guest runs"
	@echo "  KERNEL_TREE=DIR BASE=REV   [the pinned tarball; DIR's HEAD]  boot-test, run, shell: your own tree, only read"
	@echo "  GUEST_BINS='FILE...'       []     boot-test, run, shell: more static programs in the guest's /bin"
	@echo "  GOOD=REV BAD=REV TEST='...' BAD_ON=any|splat|test-failure|timeout [any] REPEAT=N [1]  bisect"
	@echo "  VERSION=N SERIES_BRANCH=B  [1, dev/series]  send-prep, series-*"
	@echo "  CASES='...'                [all]  faults"
	@echo "  BUILD_DIR=DIR JOBS=N       [build, nproc]  host tools"
	@echo "environment: IRQFD_RIG_CACHE [~/.cache/irqfd-rig], QEMU [qemu-system-x86_64],"
	@echo "  APPEND_EXTRA (kernel command line), MAX_LOG_MB [32], IRQFD_RIG_LOCK_WAIT=S [wait for ever],"
	@echo "  IRQFD_RIG_REBUILD=1 (run make even when the build's stamp says it is up to date);"
	@echo "  scripts/boot-test.sh --help has the details"

deps: ## Install the Debian packages the rig needs (as root)
	./scripts/workflows/ci/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)

configure: $(BUILD_DIR)/CMakeCache.txt ## Configure the C++ build (CMake)

all: configure ## Build the host tools (build/bin/splatscan, ...) and their tests
	cmake --build $(BUILD_DIR) -j $(JOBS)

check: all ## Build and run every test; ends with "N passed, N failed"
	./scripts/workflows/ci/run-checks.sh $(BUILD_DIR)

bench-splatscan: all ## Splat scanner throughput (MB/s) and peak RSS on 100 MB logs
	$(BUILD_DIR)/bin/bench-splatscan --bin $(BUILD_DIR)/bin/splatscan

fetch-kernel: ## Download, verify and unpack the pinned kernel into the cache (a git tree)
	./scripts/kernel/fetch-kernel.sh

# tree, config, kernel, initramfs: boot-test --until STAGE, which runs the
# stages before STAGE too (each a no-op when its output is up to date) and
# stops; RUN/stages.env says what was made, and make boot RUN=... boots it.
UNTIL_OPTS = $(if $(VARIANT),--variant $(VARIANT)) $${EXTRA_PATCH:+--extra-patch "$$EXTRA_PATCH"} \
	--test-args "$$TEST_ARGS" $(foreach b,$(GUEST_BINS),--guest-bin $(b)) $(TREE_OPTS)
tree: all ## Put VARIANT's patches on a branch of the kernel tree (rig/VARIANT; scripts/kernel/apply-series.sh)
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh --until tree $(UNTIL_OPTS)

config: all ## ... then merge kernel-config/ onto tinyconfig in VARIANT's build dir and check it (make-config.sh)
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh --until config $(UNTIL_OPTS)

kernel: all ## ... then build VARIANT's bzImage and vmlinux (Kbuild O=, ccache; build-kernel.sh)
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh --until kernel $(UNTIL_OPTS)

initramfs: all ## ... then pack busybox, /init and the selftest with TEST_ARGS (rootfs/build-initramfs.sh)
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh --until initramfs $(UNTIL_OPTS)

boot: all ## Boot RUN's kernel and initramfs into RUN (scripts/kernel/boot-qemu.sh; DRY_RUN=1: the QEMU command line)
	@[ -n "$$RUN" ] || { echo "usage: make boot RUN=results/<run> [DRY_RUN=1] [ACCEL=...] [TIMEOUT=S] [ECHO=1]"; exit 2; }
	@rc=0; SUPERVISE=$(BUILD_DIR)/bin/qemu-supervise ./scripts/kernel/boot-qemu.sh --from-run "$$RUN" \
		--accel $(ACCEL) --timeout $(TIMEOUT) $(if $(filter 1,$(ECHO)),--echo) $(if $(filter 1,$(DRY_RUN)),--dry-run) || rc=$$?; \
	$(if $(filter 1,$(DRY_RUN)),,echo "boot: done (exit $$rc); make verdict RUN=$$RUN judges this boot";) exit $$rc

verdict: all ## Judge RUN's serial.log again: symbolize any report, write splats.json, summary.json (judge-run.sh)
	@[ -n "$$RUN" ] || { echo "usage: make verdict RUN=results/<run>"; exit 2; }
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-verdict/judge-run.sh --run "$$RUN" --again

boot-test: all ## Every stage for VARIANT (base, series, series-K, head; +EXTRA_PATCH): tree, config, kernel, initramfs, boot, verdict in results/latest
	BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh $(if $(VARIANT),--variant $(VARIANT)) \
		$${EXTRA_PATCH:+--extra-patch "$$EXTRA_PATCH"} --test-args "$$TEST_ARGS" \
		--timeout $(TIMEOUT) --accel $(ACCEL) $(if $(filter 1,$(ECHO)),--echo) \
		$(foreach b,$(GUEST_BINS),--guest-bin $(b)) $(TREE_OPTS)

# The host tools, built without a word unless the build fails: make run's
# stdout is the guest command's output.
tools-quiet: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) >$(BUILD_DIR)/tools-build.log 2>&1 || { cat $(BUILD_DIR)/tools-build.log; exit 1; }

# make exits 2 whenever a recipe fails, whatever the recipe's status:
# scripts/boot-test.sh --command gives the command's status as its own.
run: tools-quiet ## Boot VARIANT and run CMD='...' in the guest; print its output and its exit status
	@[ -n "$$CMD" ] || { echo "usage: make run CMD='command' [VARIANT=...] [EXTRA_PATCH=...] [GUEST_BINS=...]"; exit 2; }
	@BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh $(if $(VARIANT),--variant $(VARIANT)) \
		$${EXTRA_PATCH:+--extra-patch "$$EXTRA_PATCH"} --command "$$CMD" \
		--timeout $(TIMEOUT) --accel $(ACCEL) $(foreach b,$(GUEST_BINS),--guest-bin $(b)) $(TREE_OPTS)

shell: tools-quiet ## Boot VARIANT with a shell on its console in this terminal (Ctrl-A x or poweroff -f ends it)
	@BUILD_DIR=$(BUILD_DIR) ./scripts/boot-test.sh $(if $(VARIANT),--variant $(VARIANT)) \
		$${EXTRA_PATCH:+--extra-patch "$$EXTRA_PATCH"} --shell \
		--accel $(ACCEL) $(foreach b,$(GUEST_BINS),--guest-bin $(b)) $(TREE_OPTS)

proof: all ## Boot base, series and series+each canary; print the proof table (results/proof.md)
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/ci/check-boot-outcomes.sh

bisect: all ## git bisect run GOOD..BAD in the kernel tree (TEST=selftest args, BAD_ON=splat, REPEAT=N)
	@[ -n "$(GOOD)" ] && [ -n "$(BAD)" ] || { echo "usage: make bisect GOOD=<rev> BAD=<rev> [TEST=...] [BAD_ON=any|splat|test-failure|timeout] [REPEAT=N]"; exit 2; }
	BUILD_DIR=$(BUILD_DIR) BISECT_TEST_ARGS="$$TEST" BISECT_BAD_ON='$(BAD_ON)' BISECT_REPEAT='$(REPEAT)' \
		./scripts/workflows/bisect/bisect.sh $(GOOD) $(BAD)

series-export: ## Regenerate patches/ (format-patch + cover letter) from the kernel tree's dev/series
	./scripts/workflows/series/export-series.sh $(SERIES_BRANCH)

series-import: ## Make the kernel tree's SERIES_BRANCH from patches/ (on a fresh clone)
	./scripts/workflows/series/import-series.sh $(SERIES_BRANCH)

send-prep: ## Make version VERSION of the series ready to mail in patches/vN, From: your git identity (REAUTHOR=1; checks, proof, To/Cc, dry run; never sends)
	./scripts/workflows/send/send-prep.sh --branch $(SERIES_BRANCH) $(if $(VERSION),--version $(VERSION)) \
		$(if $(filter 1,$(REAUTHOR)),--reauthor)
	./scripts/workflows/send/maintainers-notes.sh

maintainers-notes: ## Regenerate MAINTAINERS-notes.md (get_maintainer.pl, expectations, versions)
	./scripts/workflows/send/maintainers-notes.sh

series-check: all ## checkpatch --strict every patch; build + boot-test every prefix against tests/boot-expectations.txt
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/series/check-series.sh

faults: all ## Break the rig on purpose (tests/faults; needs the boot tests' warm cache; CASES=...)
	BUILD_DIR=$(BUILD_DIR) ./tests/faults/run-faults.sh $(CASES)

bench: all ## Every figure in one table + results/bench.json: median [min, max] (RUNS=3, COLD_RUNS=1, BISECT_RUNS=1)
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/bench/bench.sh

bench-hammer: all ## Hammer cycles/s per operation in the guest (VARIANT, HAMMER_ARGS="--hammer-seconds=30")
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/bench/bench-hammer.sh $(if $(VARIANT),--variant $(VARIANT))

stress: all ## RUNS boot-tests of one build, JOBS at a time, a hammer seed each; stress.json, detection rate, seeds
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/stress/stress.sh --runs '$(STRESS_RUNS)' $(if $(STRESS_JOBS),--jobs '$(STRESS_JOBS)') \
		$(if $(VARIANT),--variant $(VARIANT)) $${EXTRA_PATCH:+--extra-patch "$$EXTRA_PATCH"} \
		--test-args "$$TEST_ARGS" --timeout $(TIMEOUT)

kcidb: all ## Write run RUN as KCIDB JSON (RUN/kcidb.json, ORIGIN=irqfd_rig), validated with kcidb-io
	@[ -n "$$RUN" ] || { echo "usage: make kcidb RUN=results/<run> [ORIGIN=name]"; exit 2; }
	$(BUILD_DIR)/bin/kcidb-export --run "$$RUN" --origin '$(ORIGIN)'
	PYTHONPATH='$(KCIDB_IO)' /usr/bin/python3 scripts/workflows/kcidb-export/validate-kcidb.py "$$RUN/kcidb.json"

lava-job: ## Write RUN's (or VARIANT's newest run's) LAVA v2 job: RUN/lava-job.yaml (KERNEL_URL, RAMDISK_URL, ACCEL=tcg|kvm)
	@[ -n "$${RUN}$(VARIANT)" ] || { echo "usage: make lava-job RUN=results/<run> | VARIANT=<name> [KERNEL_URL=...] [RAMDISK_URL=...] [ACCEL=tcg|kvm]"; exit 2; }
	./scripts/workflows/lava/make-lava-job.sh $${RUN:+--run "$$RUN"} $(if $(VARIANT),--variant '$(VARIANT)') \
		$${KERNEL_URL:+--kernel-url "$$KERNEL_URL"} $${RAMDISK_URL:+--ramdisk-url "$$RAMDISK_URL"} \
		--accel '$(ACCEL)' --timeout $(TIMEOUT)

lava-run: all ## Run RUN's LAVA job here with lava-run (root) and check LAVA's results against the rig's verdict
	@[ -n "$$RUN" ] || { echo "usage: make lava-run RUN=results/<run>"; exit 2; }
	BUILD_DIR=$(BUILD_DIR) ./scripts/workflows/lava/run-lava-job.sh --run "$$RUN" --timeout $(TIMEOUT)

clean: ## Remove the build directory
	rm -rf $(BUILD_DIR)

.DEFAULT_GOAL := all
