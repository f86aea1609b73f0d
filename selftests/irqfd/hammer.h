// The irqfd hammer's machinery: a scenario's threads, deadline, per-operation
// counters and the check of every syscall result against the errnos that
// scenario allows. The scenarios themselves are in hammer_test.cc.
#ifndef IRQFD_SELFTEST_HAMMER_H
#define IRQFD_SELFTEST_HAMMER_H

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kvm_vm.h"
#include "options.h"

namespace irqfd {

// Raw syscalls on fd numbers (not Vm objects), since the hammer races them
// against close/dup2 of those numbers (irqfd_assign/irqfd_deassign are in
// kvm_vm.h). Each returns 0 (or a count) or -errno.
int hammer_dup2(int from, int to);  // 0 when dup2 returned `to`
int hammer_close(int fd);
// Reads an EFD_NONBLOCK eventfd: its count (>0) or -errno (-EAGAIN if 0).
int64_t hammer_read(int efd);
// KVM_CREATE_VM plus KVM_CREATE_IRQCHIP. On failure *err is -errno and *step
// names the ioctl that failed.
UniqueFd hammer_create_vm(int kvm_fd, int* err, const char** step);

// Makes sure the process may hold `needed` fds (RLIMIT_NOFILE, raising the
// soft and, as root, the hard limit). Returns "" or why it could not.
std::string ensure_fd_limit(uint64_t needed);

// The kinds of operation counted and checked.
enum class Op : int {
  kAssign,          // KVM_IRQFD
  kAssignResample,  // KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE
  kDeassign,        // KVM_IRQFD with KVM_IRQFD_FLAG_DEASSIGN
  kWrite,           // write(eventfd, 1)
  kRead,            // non-blocking read(eventfd): was the count consumed?
  kEventfd,         // eventfd()
  kClose,           // close(eventfd)
  kDup2,            // dup2(fresh, n): releases the file behind n
  kCloseDupSource,  // close(fresh) after that dup2: drops a reference only
  kVmCreate,        // KVM_CREATE_VM + KVM_CREATE_IRQCHIP
  kVmClose,         // the last reference of a VM dropped (close or dup2)
  kIrqchip,         // KVM_GET_IRQCHIP / KVM_SET_IRQCHIP (delivery checks)
  kCount
};
const char* op_name(Op op);

// A set of results a call may give: 0 (success) and errnos below 64.
class Allowed {
 public:
  Allowed(std::initializer_list<int> errnos) {
    for (int e : errnos) mask_ |= bit(e < 0 ? -e : e);
  }
  bool has(int result) const { return result >= 0 ? (mask_ & 1) : (mask_ & bit(-result)) != 0; }
  std::string str() const;

 private:
  static uint64_t bit(int e) { return e < 64 ? uint64_t{1} << e : 0; }
  uint64_t mask_ = 0;
};

// What a failure message names besides the operation and its result.
struct Ctx {
  int fd = -1;
  int gsi = -1;
  int vm = -1;
  int resample = -1;
  const char* note = nullptr;
};

// One scenario run: its threads share the deadline, the counters and the
// failure list. Thread-safe throughout.
class HammerRun {
 public:
  HammerRun(std::string scenario, const HammerOptions& opts, std::chrono::milliseconds duration);

  const std::string& scenario() const { return scenario_; }
  const HammerOptions& options() const { return opts_; }
  // False once the deadline passed or any thread failed.
  bool running() const {
    return !stop_.load(std::memory_order_relaxed) &&
           std::chrono::steady_clock::now() < deadline_;
  }
  // Counts op when result is allowed; otherwise records a failure naming
  // the operation, the context and the errno, and stops every thread.
  bool check(Op op, int64_t result, const Allowed& allowed, const Ctx& ctx);
  // Records a failure that is not a syscall's result (a wrong count).
  void fail(const std::string& message);
  void count(Op op, uint64_t n = 1) { counts_[static_cast<int>(op)].fetch_add(n, std::memory_order_relaxed); }
  uint64_t counted(Op op) const { return counts_[static_cast<int>(op)].load(); }
  // Extra named counters (e.g. "fd number reused") for the report.
  void note(const std::string& name, uint64_t n);

  // Runs body(thread_index, rng) on opts.threads threads, each seeded with
  // thread_seed_seq(opts.seed, scenario, thread_index), and joins them all
  // before returning.
  void run(const std::function<void(int, std::mt19937_64&)>& body);

  // The fewest operations (all kinds counted) the scenario must do:
  // kFloorPerSecond for each second of its planned duration, at least
  // kFloorMin. Fewer means it barely ran (setup ate its time), and fails.
  static constexpr uint64_t kFloorPerSecond = 20, kFloorMin = 10;
  uint64_t floor() const;

  // Prints the KTAP diagnostics (# hammer: ...), checks the floor and turns
  // recorded failures into GoogleTest failures on the calling (main) thread.
  void report();

 private:
  std::string scenario_;
  HammerOptions opts_;
  std::chrono::milliseconds duration_;
  std::chrono::steady_clock::time_point start_, deadline_, end_;
  std::atomic<bool> stop_{false};
  std::array<std::atomic<uint64_t>, static_cast<int>(Op::kCount)> counts_{};
  std::mutex mu_;  // guards failures_, failure_count_, notes_
  std::vector<std::string> failures_;
  uint64_t failure_count_ = 0;
  std::vector<std::pair<std::string, uint64_t>> notes_;
};

// std::threads that are joined when the group goes out of scope, so a
// failing ASSERT in the spawning function cannot leave a joinable thread.
class ThreadGroup {
 public:
  ThreadGroup() = default;
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;
  ~ThreadGroup() { join(); }
  template <typename F>
  void spawn(F&& f) {
    threads_.emplace_back(std::forward<F>(f));
  }
  void join() {
    for (std::thread& t : threads_)
      if (t.joinable()) t.join();
    threads_.clear();
  }

 private:
  std::vector<std::thread> threads_;
};

// The seed of thread `thread` of `scenario`: seed, scenario and thread go
// through std::seed_seq together, so nearby seeds share no thread stream
// (with seed + thread, seed 2's thread 0 was seed 1's thread 1).
std::seed_seq thread_seed_seq(uint64_t seed, const std::string& scenario, int thread);

// Counts how often operations met on one object: each operation enters
// its object's key for the duration of the syscall, and one that finds
// another already inside is a meeting.
class MeetCounter {
 public:
  explicit MeetCounter(size_t keys) : inside_(keys) {}
  class Scope {
   public:
    Scope(MeetCounter& c, size_t key) : c_(c), key_(key) {
      if (c_.inside_[key_].fetch_add(1, std::memory_order_acq_rel) > 0)
        c_.met_.fetch_add(1, std::memory_order_relaxed);
    }
    ~Scope() { c_.inside_[key_].fetch_sub(1, std::memory_order_acq_rel); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    MeetCounter& c_;
    size_t key_;
  };
  uint64_t met() const { return met_.load(); }

 private:
  std::vector<std::atomic<int>> inside_;
  std::atomic<uint64_t> met_{0};
};

// Starts the rounds of owner/antagonist scenarios. Between rounds the
// threads sleep: the leader (thread 0) may take milliseconds to judge a
// round, and spinning threads would starve the kworkers that deliver its
// interrupts. At the start of a round every thread spins on one number
// that the leader bumps once all of them are spinning, so they leave
// within a few instructions of each other, which is what a race needs.
class RoundGate {
 public:
  explicit RoundGate(int threads) : others_(threads - 1) {}
  // Round `round` (1, 2, ...) begins; what the leader wrote before it is
  // seen by every thread after it.
  void start(bool leader, uint64_t round);
  // The round's work is done; the leader returns once every thread's work
  // is (and sees what they wrote).
  void finish(bool leader);

 private:
  const int others_;
  std::mutex mu_;
  std::condition_variable opened_cv_, done_cv_;
  uint64_t opened_ = 0;  // guarded by mu_
  int done_ = 0;         // guarded by mu_
  std::atomic<int> spinning_{0};
  std::atomic<uint64_t> go_{0};
};

// Uniform integer in [lo, hi].
inline int pick(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

}  // namespace irqfd

#endif
