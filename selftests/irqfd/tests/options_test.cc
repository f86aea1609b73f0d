// The --hammer-* option parser: values, bounds, errors, and that it leaves
// every other argument (GoogleTest's) in place and in order.
#include "options.h"

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "hammer.h"

namespace irqfd {
namespace {

// argv as main() gets it: mutable strings and a null terminator.
class Argv {
 public:
  explicit Argv(std::vector<std::string> args) : storage_(std::move(args)) {
    for (std::string& s : storage_) ptrs_.push_back(&s[0]);
    ptrs_.push_back(nullptr);
    argc_ = static_cast<int>(storage_.size());
  }
  int* argc() { return &argc_; }
  char** argv() { return ptrs_.data(); }
  std::vector<std::string> rest() const {
    std::vector<std::string> v;
    for (int i = 0; i < argc_; ++i) v.push_back(ptrs_[i]);
    return v;
  }
  bool terminated() const { return ptrs_[argc_] == nullptr; }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> ptrs_;
  int argc_;
};

struct Parsed {
  bool ok;
  HammerOptions opts;
  std::string error;
  std::vector<std::string> rest;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "irqfd_selftest");
  Argv a(args);
  Parsed p;
  p.ok = parse_hammer_options(a.argc(), a.argv(), &p.opts, &p.error);
  if (p.ok) {
    EXPECT_TRUE(a.terminated());
    p.rest = a.rest();
  }
  return p;
}

TEST(HammerOptions, Defaults) {
  Parsed p = parse({});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.opts.seconds, 30);
  EXPECT_EQ(p.opts.threads, 4);
  EXPECT_EQ(p.opts.vms, 2);
  EXPECT_FALSE(p.opts.seed_given) << "main() draws one";
  EXPECT_EQ(p.opts.resample_irqfds, 32);
  EXPECT_EQ(p.opts.test_timeout, 60);
  EXPECT_EQ(p.rest, std::vector<std::string>{"irqfd_selftest"});
}

TEST(HammerOptions, AllFlagsParsedAndRemoved) {
  Parsed p = parse({"--gtest_filter=Hammer.*", "--hammer-seconds=7", "--hammer-threads=3",
                    "--hammer-vms=5", "--hammer-seed=18446744073709551615",
                    "--hammer-resample-irqfds=100", "--test-timeout=5", "--gtest_repeat=2"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.opts.seconds, 7);
  EXPECT_EQ(p.opts.threads, 3);
  EXPECT_EQ(p.opts.vms, 5);
  EXPECT_EQ(p.opts.seed, 18446744073709551615u);
  EXPECT_TRUE(p.opts.seed_given);
  EXPECT_EQ(p.opts.test_timeout, 5);
  EXPECT_EQ(p.opts.resample_irqfds, 100);
  EXPECT_EQ(p.rest, (std::vector<std::string>{"irqfd_selftest", "--gtest_filter=Hammer.*",
                                              "--gtest_repeat=2"}));
}

TEST(HammerOptions, LastValueWins) {
  Parsed p = parse({"--hammer-threads=2", "--hammer-threads=9"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.opts.threads, 9);
}

TEST(HammerOptions, SeedZeroIsAllowed) {
  Parsed p = parse({"--hammer-seed=0"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.opts.seed, 0u);
  EXPECT_TRUE(p.opts.seed_given);
}

// Thread streams of nearby seeds share nothing (with seed + thread, seed
// 2's thread 0 was seed 1's thread 1), and a seed replays its streams.
TEST(HammerOptions, ThreadSeedsDoNotOverlapAcrossNearbySeeds) {
  auto first = [](uint64_t seed, const char* scenario, int thread) {
    std::seed_seq seq = thread_seed_seq(seed, scenario, thread);
    return std::mt19937_64(seq)();
  };
  std::set<uint64_t> seen;
  for (uint64_t seed = 0; seed < 16; ++seed)
    for (int t = 0; t < 16; ++t)
      EXPECT_TRUE(seen.insert(first(seed, "SharedEventfds", t)).second)
          << "seed " << seed << " thread " << t << " repeats another stream";
  EXPECT_EQ(first(7, "SharedEventfds", 3), first(7, "SharedEventfds", 3));
  EXPECT_NE(first(7, "SharedEventfds", 3), first(7, "VmChurn", 3));
}

// Each bad value is refused with a message naming the flag.
TEST(HammerOptions, BadValuesAreErrors) {
  const char* bad[] = {
      "--hammer-seconds=0",      "--hammer-seconds=",        "--hammer-seconds=-1",
      "--hammer-seconds=1.5",    "--hammer-seconds=12x",     "--hammer-seconds= 3",
      "--hammer-seconds=+3",     "--hammer-threads=0",       "--hammer-threads=257",
      "--hammer-vms=0",          "--hammer-vms=65",          "--hammer-resample-irqfds=0",
      "--hammer-resample-irqfds=4097", "--hammer-seed=18446744073709551616",
      "--hammer-seed=0x10",      "--hammer-threads=99999999999999999999999",
      "--test-timeout=0",        "--test-timeout=1s",
  };
  for (const char* arg : bad) {
    Parsed p = parse({arg});
    EXPECT_FALSE(p.ok) << arg << " was accepted";
    std::string name = std::string(arg).substr(0, std::string(arg).find('='));
    EXPECT_NE(p.error.find(name), std::string::npos) << arg << ": " << p.error;
    EXPECT_NE(p.error.find("bad value"), std::string::npos) << arg << ": " << p.error;
  }
}

TEST(HammerOptions, MissingValueIsAnError) {
  Parsed p = parse({"--hammer-threads", "4"});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("--hammer-threads needs a value"), std::string::npos) << p.error;
}

TEST(HammerOptions, UnknownHammerFlagIsAnErrorListingTheKnownOnes) {
  Parsed p = parse({"--hammer-thread=4"});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("unknown option --hammer-thread"), std::string::npos) << p.error;
  EXPECT_NE(p.error.find("--hammer-threads=N"), std::string::npos) << p.error;
}

TEST(HammerOptions, SettersRoundTrip) {
  HammerOptions o;
  o.threads = 11;
  set_hammer_options(o);
  EXPECT_EQ(hammer_options().threads, 11);
  set_hammer_options(HammerOptions());
  EXPECT_EQ(hammer_options().threads, 4);
}

// main() exits 1 (KSFT_FAIL; 2 would be KSFT_XFAIL) with a clear message
// before running any test.
TEST(HammerOptions, SelftestExitsOneOnBadValue) {
  FILE* p = popen(SELFTEST_BIN " --hammer-threads=zero 2>&1", "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  ASSERT_TRUE(WIFEXITED(st)) << out;
  EXPECT_EQ(WEXITSTATUS(st), 1) << out;
  EXPECT_NE(out.find("irqfd_selftest: bad value 'zero' for --hammer-threads"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("KTAP"), std::string::npos) << "no test may run: " << out;
}

TEST(HammerOptions, SelftestListsHammerScenarios) {
  FILE* p = popen(SELFTEST_BIN " --hammer-seconds=1 --gtest_list_tests 2>&1", "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  for (const char* t : {"Hammer.", "PrivateEventfds", "SharedEventfds", "CloseRaces", "VmChurn",
                        "ResampleTeardown", "AssignRace", "DeassignRace", "FdReuse"})
    EXPECT_NE(out.find(t), std::string::npos) << t << " missing from:\n" << out;
}

}  // namespace
}  // namespace irqfd
