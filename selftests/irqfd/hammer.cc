#include "hammer.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace irqfd {

int hammer_dup2(int from, int to) {
  int r = ::dup2(from, to);
  if (r < 0) return -errno;
  // dup2 returning another number would be a kernel bug worth naming.
  return r == to ? 0 : -ERANGE;
}

int hammer_close(int fd) { return ::close(fd) == 0 ? 0 : -errno; }

int64_t hammer_read(int efd) {
  uint64_t v = 0;
  ssize_t n = ::read(efd, &v, sizeof v);
  if (n < 0) return -errno;
  return n == sizeof v ? static_cast<int64_t>(v) : -EIO;
}

UniqueFd hammer_create_vm(int kvm_fd, int* err, const char** step) {
  *step = "KVM_CREATE_VM";
  UniqueFd vm(::ioctl(kvm_fd, KVM_CREATE_VM, 0));
  if (!vm.valid()) {
    *err = -errno;
    return vm;
  }
  *step = "KVM_CREATE_IRQCHIP";
  if (::ioctl(vm.get(), KVM_CREATE_IRQCHIP, 0) != 0) {
    *err = -errno;
    return UniqueFd();
  }
  // The ioctls above leave the VM fd without O_CLOEXEC; nothing here execs,
  // so that does not matter.
  *err = 0;
  return vm;
}

std::string ensure_fd_limit(uint64_t needed) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return "getrlimit: " + errno_name(-errno);
  if (rl.rlim_cur >= needed) return "";
  rlimit want = rl;
  want.rlim_cur = needed;
  if (want.rlim_max < needed) want.rlim_max = needed;  // root only
  if (setrlimit(RLIMIT_NOFILE, &want) != 0)
    return "RLIMIT_NOFILE is " + std::to_string(rl.rlim_cur) + ", need " + std::to_string(needed) +
           ": setrlimit gave " + errno_name(-errno) +
           "; lower --hammer-threads, --hammer-vms or --hammer-resample-irqfds";
  return "";
}

const char* op_name(Op op) {
  switch (op) {
    case Op::kAssign: return "assign";
    case Op::kAssignResample: return "assign-resample";
    case Op::kDeassign: return "deassign";
    case Op::kWrite: return "write";
    case Op::kRead: return "read";
    case Op::kEventfd: return "eventfd";
    case Op::kClose: return "close";
    case Op::kDup2: return "dup2-release";
    case Op::kCloseDupSource: return "close-dup2-source";
    case Op::kVmCreate: return "vm-create";
    case Op::kVmClose: return "vm-destroy";
    case Op::kIrqchip: return "irqchip";
    case Op::kCount: break;
  }
  return "?";
}

std::string Allowed::str() const {
  std::string s = "{";
  for (int e = 0; e < 64; ++e) {
    if (!(mask_ & bit(e))) continue;
    if (s.size() > 1) s += ", ";
    if (e == 0) {
      s += "0";
    } else {
      const char* n = strerrorname_np(e);
      s += n ? n : std::to_string(e);
    }
  }
  return s + "}";
}

HammerRun::HammerRun(std::string scenario, const HammerOptions& opts,
               std::chrono::milliseconds duration)
    : scenario_(std::move(scenario)), opts_(opts), duration_(duration) {
  start_ = end_ = deadline_ = std::chrono::steady_clock::now() + duration_;
}

bool HammerRun::check(Op op, int64_t result, const Allowed& allowed, const Ctx& ctx) {
  int r = result >= 0 ? 0 : static_cast<int>(result);
  if (allowed.has(r)) {
    count(op);
    return true;
  }
  std::ostringstream m;
  m << scenario_ << ": " << op_name(op);
  if (ctx.fd >= 0) m << " fd=" << ctx.fd;
  if (ctx.gsi >= 0) m << " gsi=" << ctx.gsi;
  if (ctx.vm >= 0) m << " vm_fd=" << ctx.vm;
  if (ctx.resample >= 0) m << " resamplefd=" << ctx.resample;
  if (ctx.note) m << " (" << ctx.note << ")";
  m << " gave " << (r == 0 ? std::string("0") : errno_name(r)) << ", allowed " << allowed.str();
  fail(m.str());
  return false;
}

void HammerRun::fail(const std::string& message) {
  stop_.store(true);
  std::lock_guard<std::mutex> lock(mu_);
  ++failure_count_;
  // The first few are enough to debug; the rest are counted, not printed.
  if (failures_.size() < 10) failures_.push_back(message);
}

void HammerRun::note(const std::string& name, uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& kv : notes_)
    if (kv.first == name) {
      kv.second += n;
      return;
    }
  notes_.emplace_back(name, n);
}

std::seed_seq thread_seed_seq(uint64_t seed, const std::string& scenario, int thread) {
  uint32_t name_hash = 2166136261u;  // FNV-1a: scenarios get their own streams
  for (unsigned char c : scenario) name_hash = (name_hash ^ c) * 16777619u;
  return std::seed_seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                       name_hash, static_cast<uint32_t>(thread)};
}

void RoundGate::start(bool leader, uint64_t round) {
  if (leader) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      opened_ = round;
    }
    opened_cv_.notify_all();
    while (spinning_.load(std::memory_order_acquire) < others_) std::this_thread::yield();
    spinning_.store(0, std::memory_order_relaxed);
    go_.store(round, std::memory_order_release);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    opened_cv_.wait(lock, [&] { return opened_ >= round; });
  }
  spinning_.fetch_add(1, std::memory_order_acq_rel);
  while (go_.load(std::memory_order_acquire) < round) std::this_thread::yield();
}

void RoundGate::finish(bool leader) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!leader) {
    if (++done_ == others_) done_cv_.notify_one();
    return;
  }
  done_cv_.wait(lock, [&] { return done_ == others_; });
  done_ = 0;
}

uint64_t HammerRun::floor() const {
  uint64_t f = kFloorPerSecond * static_cast<uint64_t>(duration_.count()) / 1000;
  return f < kFloorMin ? kFloorMin : f;
}

void HammerRun::run(const std::function<void(int, std::mt19937_64&)>& body) {
  start_ = std::chrono::steady_clock::now();
  deadline_ = start_ + duration_;
  {
    ThreadGroup group;
    for (int i = 0; i < opts_.threads; ++i) {
      group.spawn([this, i, &body] {
        std::seed_seq seq = thread_seed_seq(opts_.seed, scenario_, i);
        std::mt19937_64 rng(seq);
        body(i, rng);
      });
    }
  }  // joined here
  end_ = std::chrono::steady_clock::now();
}

void HammerRun::report() {
  double secs = std::chrono::duration<double>(end_ - start_).count();
  if (secs <= 0) secs = 1e-9;
  char line[256];
  std::snprintf(line, sizeof line,
                "# hammer: %s seed=%" PRIu64 " threads=%d vms=%d ran %.2f s (planned %.2f s)\n",
                scenario_.c_str(), opts_.seed, opts_.threads, opts_.vms, secs,
                duration_.count() / 1000.0);
  std::cout << line;
  for (int i = 0; i < static_cast<int>(Op::kCount); ++i) {
    uint64_t n = counts_[i].load();
    if (!n) continue;
    std::snprintf(line, sizeof line, "# hammer: %s %s %" PRIu64 " ops, %.0f/s\n",
                  scenario_.c_str(), op_name(static_cast<Op>(i)), n, n / secs);
    std::cout << line;
  }
  // The figure the issue asks for: irqfd bind/unbind traffic per second
  // (assigns of both kinds, deassigns, and eventfd/VM releases that unbind;
  // not the close of a dup2 source, which releases nothing).
  uint64_t cycles = counted(Op::kAssign) + counted(Op::kAssignResample) +
                    counted(Op::kDeassign) + counted(Op::kClose) + counted(Op::kDup2) +
                    counted(Op::kVmClose);
  std::snprintf(line, sizeof line, "# hammer: %s assign+deassign+close %" PRIu64 " ops, %.0f/s\n",
                scenario_.c_str(), cycles, cycles / secs);
  std::cout << line;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& kv : notes_) {
    std::snprintf(line, sizeof line, "# hammer: %s %s %" PRIu64 "\n", scenario_.c_str(),
                  kv.first.c_str(), kv.second);
    std::cout << line;
  }
  uint64_t total = 0;
  for (const auto& c : counts_) total += c.load();
  std::snprintf(line, sizeof line, "# hammer: %s floor %" PRIu64 " ops, did %" PRIu64 "\n",
                scenario_.c_str(), floor(), total);
  std::cout << line << std::flush;
  for (const std::string& f : failures_) ADD_FAILURE() << f;
  // Only when nothing else failed: a failure stops the threads early.
  if (failures_.empty() && total < floor())
    ADD_FAILURE() << scenario_ << ": did " << total << " operations in " << secs
                  << " s, below its floor of " << floor() << " (" << kFloorPerSecond
                  << "/s of the planned time): the scenario barely ran";
  if (failure_count_ > failures_.size())
    ADD_FAILURE() << scenario_ << ": " << failure_count_ - failures_.size()
                  << " more failures not shown";
}

}  // namespace irqfd
