// bench-splatscan: throughput and peak memory of the splatscan CLI on large
// console logs. Prints figures; asserts nothing (goals live in the README).
//
// usage: bench-splatscan [--size-mb N] [--runs N] [--bin PATH]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

// The generated logs' paths, for the signal handler: unlink() is safe to
// call there, and the 100 MB files must not outlive a benchmark stopped by
// SIGINT, SIGTERM or SIGHUP.
std::array<std::array<char, 512>, 3> scratch_paths{};
// The CLI run being measured, stopped with the benchmark.
volatile sig_atomic_t running_child = 0;

extern "C" void remove_scratch_and_die(int sig) {
  if (running_child > 0) kill(running_child, SIGTERM);
  for (auto& p : scratch_paths)
    if (p[0]) unlink(p.data());
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Removes the generated log when the benchmark ends, however it ends: by
// returning, by an error (thrown, so that this destructor runs), or by a
// signal (remove_scratch_and_die).
class ScratchFile {
 public:
  ScratchFile(std::string path, std::size_t slot) : path_(std::move(path)), slot_(slot) {
    std::snprintf(scratch_paths[slot_].data(), scratch_paths[slot_].size(), "%s", path_.c_str());
  }
  ~ScratchFile() {
    scratch_paths[slot_][0] = '\0';
    unlink(path_.c_str());
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::size_t slot_;
};

// An error that ends the benchmark with status 2, its scratch files removed.
struct BenchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A console log: boot and driver chatter with a report every few thousand
// lines, the shape of a long hammer run that found something.
void write_mixed_log(const std::string& path, std::size_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw BenchError("cannot write " + path + ": " + std::strerror(errno));
  static const char* kChatter[] = {
      "virtio_net virtio0 eth0: renamed from eth%zu",
      "EXT4-fs (vda): mounted filesystem %zu r/w with ordered data mode. Quota mode: none.",
      "kvm: irqfd: assigned gsi %zu to eventfd",
      "audit: type=1400 audit(1700000000.%zu:2): apparmor=\"STATUS\" operation=\"profile_load\"",
      "random: crng reseeded on system resumption %zu",
      "# hammer: %zu assign/deassign cycles, 0 unexpected errno",
  };
  static const char* kReport[] = {
      "==================================================================",
      "BUG: KASAN: slab-use-after-free in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
      "Read of size 8 at addr ffff888004a1c2e8 by task kworker/1:2/123",
      "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80", " print_report+0xcb/0x620",
      " kasan_report+0xbd/0xf0", " eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
      " irqfd_shutdown+0x5a/0x1b0", " process_one_work+0x5f1/0xe70", " </TASK>",
      "==================================================================",
  };
  std::mt19937 rng(1);
  std::size_t written = 0, line = 0;
  char buf[512];
  while (written < bytes) {
    double t = static_cast<double>(line) * 0.000731;
    int n;
    if (line % 5000 == 4999) {
      for (const char* r : kReport) {
        n = std::snprintf(buf, sizeof buf, "[%12.6f][  T123] %s\n", t, r);
        std::fwrite(buf, 1, n, f);
        written += n;
      }
    }
    n = std::snprintf(buf, sizeof buf, "[%12.6f][    T%zu] ", t, line % 97);
    n += std::snprintf(buf + n, sizeof buf - n, kChatter[rng() % 6], line);
    buf[n++] = '\n';
    std::fwrite(buf, 1, n, f);
    written += n;
    ++line;
  }
  std::fclose(f);
}

// The worst case for line handling: lines of 1 MiB without a report.
void write_long_lines(const std::string& path, std::size_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw BenchError("cannot write " + path + ": " + std::strerror(errno));
  std::string line(1 << 20, 'x');
  line.back() = '\n';
  for (std::size_t written = 0; written < bytes; written += line.size())
    std::fwrite(line.data(), 1, line.size(), f);
  std::fclose(f);
}

// Stall reports whose lines are 16 KiB of the words the instruction-pointer
// and frame readers start from ("IP a (", a location's "(discriminator 1)"):
// each reader must cost the line once, not once per word in it.
void write_word_dense_reports(const std::string& path, std::size_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw BenchError("cannot write " + path + ": " + std::strerror(errno));
  std::string dense;
  while (dense.size() < (16u << 10)) dense += "IP a (x.c:1 (discriminator 1) ";
  dense.resize(16u << 10);
  std::size_t written = 0;
  for (unsigned n = 0; written < bytes; ++n) {
    std::string report = "[   10.000000][    C0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [a:" +
                         std::to_string(n) + "]\n";
    for (int k = 0; k < 15; ++k) report += "[   10.000000][    C0] " + dense + "\n";
    report += "[   10.000000][    C0] RIP: 0010:foo+0x1/0x2\n[   10.000000][    C0] Call Trace:\n"
              "[   10.000000][    C0]  bar+0x1/0x2\n";
    std::fwrite(report.data(), 1, report.size(), f);
    written += report.size();
  }
  std::fclose(f);
}

struct Run {
  double seconds;
  long peak_rss_kib;
};

// Runs the CLI on one file; the child's own rusage gives its peak RSS.
Run run_cli(const std::string& bin, const std::string& file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv = {const_cast<char*>(bin.c_str()), const_cast<char*>(file.c_str()),
                             nullptr};
  auto start = std::chrono::steady_clock::now();
  pid_t pid;
  int spawned = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw BenchError("cannot run " + bin + ": " + std::strerror(spawned));
  running_child = pid;
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  running_child = 0;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
    throw BenchError(bin + " failed on " + file + " (wait status " + std::to_string(status) + ")");
  return {secs, usage.ru_maxrss};
}

void report(const char* name, const std::string& bin, const std::string& file, int runs) {
  struct stat st{};
  stat(file.c_str(), &st);
  double mb = static_cast<double>(st.st_size) / 1e6;
  std::vector<double> rates;
  long peak = 0;
  for (int i = 0; i < runs; ++i) {
    Run r = run_cli(bin, file);
    rates.push_back(mb / r.seconds);
    peak = std::max(peak, r.peak_rss_kib);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("%-22s %5.0f MB %9.1f  [%7.1f - %7.1f] %8.1f MiB %9.2f s\n", name, mb,
              rates[rates.size() / 2], rates.front(), rates.back(), peak / 1024.0,
              100.0 / rates[rates.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t size_mb = 100;
  int runs = 3;
  std::string bin = "build/bin/splatscan";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--size-mb") size_mb = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--bin") bin = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: bench-splatscan [--size-mb N] [--runs N] [--bin PATH]\n");
      return 2;
    }
  }
  // Before 200 MB are written for it.
  if (access(bin.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "bench-splatscan: cannot run %s: %s (build it first: make all)\n",
                 bin.c_str(), std::strerror(errno));
    return 2;
  }
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_scratch_and_die);
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp ? tmp : "/tmp";
  std::string pid = std::to_string(getpid());
  try {
    ScratchFile mixed(dir + "/bench-splatscan-mixed-" + pid + ".log", 0);
    ScratchFile longl(dir + "/bench-splatscan-long-" + pid + ".log", 1);
    ScratchFile dense(dir + "/bench-splatscan-dense-" + pid + ".log", 2);
    write_mixed_log(mixed.path(), size_mb << 20);
    write_long_lines(longl.path(), size_mb << 20);
    write_word_dense_reports(dense.path(), (size_mb << 20) / 4);

    std::printf("splatscan benchmark: %s, %d runs each, one core, median [min - max]\n",
                bin.c_str(), runs);
    std::printf("%-22s %8s %9s  %19s %12s %11s\n", "input", "size", "MB/s", "[min - max]",
                "peak RSS", "per 100 MB");
    report("console log + reports", bin, mixed.path(), runs);
    report("1 MiB lines", bin, longl.path(), runs);
    report("16 KiB word-dense", bin, dense.path(), runs);
  } catch (const BenchError& e) {
    std::fprintf(stderr, "bench-splatscan: %s\n", e.what());
    return 2;
  }
  return 0;
}
