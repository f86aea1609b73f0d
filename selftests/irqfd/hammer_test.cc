// The irqfd hammer: several threads at once, for a set time, bind and unbind
// irqfds while the eventfds and VMs behind them are written, released and
// re-created. One TEST per scenario; each scenario states which result every
// operation may give, and anything else fails naming the operation, fd, gsi
// and errno. Rates per operation are printed as KTAP diagnostics at the end
// of each scenario. Options: see options.h (--hammer-*).
//
// Releases of eventfds use two mechanisms on purpose:
//  - dup2(fresh, n) replaces the file behind n atomically: the old eventfd's
//    last reference drops (eventfd_release, EPOLLHUP to its irqfds) while n
//    stays an eventfd, so every other thread's errno check stays exact;
//  - plain close(n) is raced only in Hammer.CloseRaces, where EBADF is
//    allowed because n may be closed between reading it and using it.
#include <sys/eventfd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "hammer.h"
#include "kvm_vm.h"
#include "options.h"

namespace irqfd {
namespace {

// Master and slave PIC lines (and the IOAPIC pins behind them) that the
// default routing maps; 0 (timer) and 2 (cascade) are left alone.
constexpr int kMinGsi = 3;
constexpr int kMaxGsi = 15;
// Shared eventfd slots per scenario: few enough that threads collide often.
constexpr int kSharedSlots = 16;

// How long each Hammer.* test runs: the total split evenly among those that
// will run, so a --gtest_filter of one scenario still gets the whole time.
std::chrono::milliseconds scenario_duration() {
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  int n = 0;
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
    if (std::string(suite.name()) != "Hammer") continue;
    for (int j = 0; j < suite.total_test_count(); ++j)
      if (suite.GetTestInfo(j)->should_run()) ++n;
  }
  return std::chrono::milliseconds(hammer_options().seconds * 1000LL / std::max(n, 1));
}

int random_gsi(std::mt19937_64& rng) { return pick(rng, kMinGsi, kMaxGsi); }

// /dev/kvm and opts.vms VMs with an in-kernel irqchip, shared by a
// scenario's threads. The VM fd numbers stay fixed for the whole test (VM
// churn replaces the VM behind a number with dup2), so threads may read
// them without synchronisation.
class Hammer : public ::testing::Test {
 protected:
  void SetUp() override {
    opts_ = hammer_options();
    // Scenarios hold up to ~40 fds per thread (ResampleTeardown asks for
    // its own, larger budget), so many threads can exceed the default 1024.
    ASSERT_EQ(ensure_fd_limit(uint64_t(opts_.threads) * 64 + opts_.vms + 256), "");
    int err = 0;
    kvm_ = open_kvm(&err);
    ASSERT_TRUE(kvm_.valid()) << "open /dev/kvm: " << errno_name(err);
    for (int i = 0; i < opts_.vms; ++i) {
      const char* step = nullptr;
      vms_.push_back(hammer_create_vm(kvm_.get(), &err, &step));
      ASSERT_TRUE(vms_.back().valid()) << step << ": " << errno_name(err);
    }
  }

  int vm_fd(std::mt19937_64& rng, int* index = nullptr) {
    int i = pick(rng, 0, static_cast<int>(vms_.size()) - 1);
    if (index) *index = i;
    return vms_[i].get();
  }

  HammerOptions opts_;
  UniqueFd kvm_;
  std::vector<UniqueFd> vms_;
};

// Eventfd numbers for all threads, fixed for the test: their files are only
// ever replaced by dup2, never closed, so each number is always an eventfd.
std::vector<UniqueFd> shared_eventfds(int n, unsigned flags = 0) {
  std::vector<UniqueFd> v;
  for (int i = 0; i < n; ++i) v.push_back(make_eventfd(flags));
  return v;
}

// Replaces the eventfd behind number `slot` with a fresh one, dropping the
// old file (its irqfds see EPOLLHUP) without the number ever being free.
bool release_by_dup2(HammerRun& h, int slot, unsigned flags = 0) {
  UniqueFd fresh = make_eventfd(flags);
  if (!h.check(Op::kEventfd, fresh.valid() ? 0 : -errno, {0}, {})) return false;
  if (!h.check(Op::kDup2, hammer_dup2(fresh.get(), slot), {0}, Ctx{slot})) return false;
  // Only drops fresh's second reference: the file lives on behind slot.
  return h.check(Op::kCloseDupSource, fresh.reset(), {0}, Ctx{-1, -1, -1, -1, "dup2 source"});
}

// Each thread owns its eventfds, so the expected result of every call is
// known from the thread's own bookkeeping: exact checks, including whether
// a write was consumed by an irqfd (irqfd_wakeup reads the count inside the
// write, so a bound eventfd reads back empty and an unbound one does not).
//   assign: 0 if unbound; EBUSY if bound in this VM; 0 or EBUSY if bound
//           only in another VM (EBUSY is the one-binding-per-eventfd fix).
//   deassign: 0.  write: 0.  read: EAGAIN iff bound, else a count.
//   close: 0 (the eventfd is closed while bound).
TEST_F(Hammer, PrivateEventfds) {
  HammerRun h("PrivateEventfds", opts_, scenario_duration());
  const int nvms = static_cast<int>(vms_.size());
  h.run([&](int, std::mt19937_64& rng) {
    struct Slot {
      UniqueFd efd, resample;
      std::vector<int> gsi;  // per VM: the bound GSI, or -1
      bool bound() const {
        return std::any_of(gsi.begin(), gsi.end(), [](int g) { return g >= 0; });
      }
    };
    auto fresh = [&](Slot& s) {
      s.efd = make_eventfd(EFD_NONBLOCK);
      s.gsi.assign(nvms, -1);
      return h.check(Op::kEventfd, s.efd.valid() ? 0 : -errno, {0}, {});
    };
    std::vector<Slot> slots(8);
    for (Slot& s : slots) {
      s.resample = make_eventfd(EFD_NONBLOCK);
      if (!h.check(Op::kEventfd, s.resample.valid() ? 0 : -errno, {0}, {}) || !fresh(s)) return;
    }
    while (h.running()) {
      Slot& s = slots[pick(rng, 0, static_cast<int>(slots.size()) - 1)];
      int v = 0;
      int vm = vm_fd(rng, &v);
      int roll = pick(rng, 0, 99);
      if (roll < 35) {
        bool resample = pick(rng, 0, 3) == 0;
        int gsi = random_gsi(rng);
        bool here = s.gsi[v] >= 0;
        bool elsewhere = !here && s.bound();
        Allowed allowed = here ? Allowed{-EBUSY} : elsewhere ? Allowed{0, -EBUSY} : Allowed{0};
        int r = irqfd_assign(vm, s.efd.get(), gsi, resample ? s.resample.get() : -1);
        if (!h.check(resample ? Op::kAssignResample : Op::kAssign, r, allowed,
                     Ctx{s.efd.get(), gsi, vm, resample ? s.resample.get() : -1}))
          return;
        if (r == 0) s.gsi[v] = gsi;
      } else if (roll < 60) {
        // Mostly the bound GSI; sometimes another, which must unbind nothing.
        int gsi = s.gsi[v] >= 0 && pick(rng, 0, 7) ? s.gsi[v] : random_gsi(rng);
        if (!h.check(Op::kDeassign, irqfd_deassign(vm, s.efd.get(), gsi), {0},
                     Ctx{s.efd.get(), gsi, vm}))
          return;
        if (gsi == s.gsi[v]) s.gsi[v] = -1;
      } else if (roll < 85) {
        if (!h.check(Op::kWrite, signal_eventfd(s.efd.get()), {0}, Ctx{s.efd.get()})) return;
        bool bound = s.bound();
        if (!h.check(Op::kRead, hammer_read(s.efd.get()), bound ? Allowed{-EAGAIN} : Allowed{0},
                     Ctx{s.efd.get(), -1, -1, -1,
                         bound ? "bound: the irqfd should have consumed the write"
                               : "unbound: nothing may consume the write"}))
          return;
      } else if (roll < 95) {
        // Close while bound (the usual case) and re-create: EPOLLHUP unbinds.
        // (Numbers are read before reset(): argument order is unspecified.)
        int number = s.efd.get();
        if (!h.check(Op::kClose, s.efd.reset(), {0}, Ctx{number})) return;
        if (!fresh(s)) return;
      } else {
        // A resamplefd closed while bound: the irqfd holds its own
        // reference, so this must change nothing for the binding.
        int number = s.resample.get();
        if (!h.check(Op::kClose, s.resample.reset(), {0}, Ctx{number, -1, -1, -1, "resamplefd"}))
          return;
        s.resample = make_eventfd(EFD_NONBLOCK);
        if (!h.check(Op::kEventfd, s.resample.valid() ? 0 : -errno, {0}, {})) return;
      }
    }
  });
  h.report();
}

// Binds efd in vm at gsi, a quarter of the time in RESAMPLE mode with another
// shared eventfd as the resamplefd. 0 or EBUSY: another thread may have bound
// that file (in this VM, or anywhere with the one-binding fix).
bool assign_shared(HammerRun& h, std::mt19937_64& rng, int vm, int efd, int gsi,
                   const std::vector<UniqueFd>& slots) {
  int resample = pick(rng, 0, 3) == 0 ? slots[pick(rng, 0, kSharedSlots - 1)].get() : -1;
  return h.check(resample >= 0 ? Op::kAssignResample : Op::kAssign,
                 irqfd_assign(vm, efd, gsi, resample), {0, -EBUSY},
                 Ctx{efd, gsi, vm, resample});
}

// All threads on one table of eventfd numbers whose files are replaced by
// dup2 under the others' feet (release while bound, while being written,
// while being deassigned), across opts.vms VMs.
//   assign / assign-resample: 0 or EBUSY (another thread bound that file
//     in this VM, or anywhere with the one-binding fix).
//   deassign: 0 (whatever file the number holds, it is an eventfd).
//   write: 0.  dup2: returns the target number.  close of dup2 source: 0.
TEST_F(Hammer, SharedEventfds) {
  HammerRun h("SharedEventfds", opts_, scenario_duration());
  std::vector<UniqueFd> slots = shared_eventfds(kSharedSlots);
  for (const UniqueFd& s : slots) ASSERT_TRUE(s.valid());
  h.run([&](int, std::mt19937_64& rng) {
    while (h.running()) {
      int efd = slots[pick(rng, 0, kSharedSlots - 1)].get();
      int vm = vm_fd(rng);
      int gsi = random_gsi(rng);
      int roll = pick(rng, 0, 99);
      if (roll < 35) {
        if (!assign_shared(h, rng, vm, efd, gsi, slots)) return;
      } else if (roll < 60) {
        if (!h.check(Op::kDeassign, irqfd_deassign(vm, efd, gsi), {0}, Ctx{efd, gsi, vm}))
          return;
      } else if (roll < 85) {
        if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd})) return;
      } else {
        if (!release_by_dup2(h, efd)) return;
      }
    }
  });
  h.report();
}

// Owns raw fd numbers that threads swap with exchange(); whatever is left
// is closed at the end, after the threads were joined.
class AtomicFdTable {
 public:
  explicit AtomicFdTable(int n) : fds_(n) {
    for (auto& fd : fds_) fd.store(make_eventfd().release());
  }
  ~AtomicFdTable() {
    for (auto& fd : fds_) UniqueFd(fd.exchange(-1));
  }
  AtomicFdTable(const AtomicFdTable&) = delete;
  AtomicFdTable& operator=(const AtomicFdTable&) = delete;
  std::atomic<int>& operator[](int i) { return fds_[i]; }
  bool all_valid() const {
    return std::all_of(fds_.begin(), fds_.end(), [](const std::atomic<int>& f) { return f.load() >= 0; });
  }

 private:
  std::vector<std::atomic<int>> fds_;
};

// Plain close() raced against assign, deassign and write of the same
// number. A number read from the table may be closed before it is used, and
// then reused by another thread's new eventfd (this scenario opens nothing
// but eventfds while it runs, so a reused number is always an eventfd).
//   assign / assign-resample: 0, EBUSY, or EBADF (fd or resamplefd closed).
//   deassign: 0 or EBADF.  write: 0 or EBADF.
//   close: 0 (only the thread that exchanged a number out closes it).
TEST_F(Hammer, CloseRaces) {
  HammerRun h("CloseRaces", opts_, scenario_duration());
  AtomicFdTable table(kSharedSlots);
  ASSERT_TRUE(table.all_valid());
  h.run([&](int, std::mt19937_64& rng) {
    while (h.running()) {
      std::atomic<int>& slot = table[pick(rng, 0, kSharedSlots - 1)];
      int efd = slot.load();
      int vm = vm_fd(rng);
      int gsi = random_gsi(rng);
      int roll = pick(rng, 0, 99);
      if (roll < 35) {
        int resample = pick(rng, 0, 3) == 0 ? table[pick(rng, 0, kSharedSlots - 1)].load() : -1;
        if (!h.check(resample >= 0 ? Op::kAssignResample : Op::kAssign,
                     irqfd_assign(vm, efd, gsi, resample), {0, -EBUSY, -EBADF},
                     Ctx{efd, gsi, vm, resample}))
          return;
      } else if (roll < 60) {
        if (!h.check(Op::kDeassign, irqfd_deassign(vm, efd, gsi), {0, -EBADF},
                     Ctx{efd, gsi, vm}))
          return;
      } else if (roll < 80) {
        if (!h.check(Op::kWrite, signal_eventfd(efd), {0, -EBADF}, Ctx{efd})) return;
      } else {
        UniqueFd fresh = make_eventfd();
        if (!h.check(Op::kEventfd, fresh.valid() ? 0 : -errno, {0}, {})) return;
        int old = slot.exchange(fresh.release());
        if (!h.check(Op::kClose, hammer_close(old), {0}, Ctx{old})) return;
      }
    }
  });
  h.report();
}

// VMs destroyed while they still hold irqfds, while other threads bind to
// them: the VM behind each shared VM number is replaced with dup2 (the old
// VM's last reference drops: kvm_irqfd_release with irqfds bound), and
// threads also run whole private VM lifetimes.
//   assign / assign-resample of shared or long-lived eventfds: 0 or EBUSY.
//   assign of an eventfd created for a new VM, into that VM: 0.
//   deassign: 0.  write: 0.  vm-create (KVM_CREATE_VM + IRQCHIP): success.
//   dup2 of a VM or eventfd: returns the target.  close: 0.
TEST_F(Hammer, VmChurn) {
  HammerRun h("VmChurn", opts_, scenario_duration());
  std::vector<UniqueFd> slots = shared_eventfds(kSharedSlots);
  for (const UniqueFd& s : slots) ASSERT_TRUE(s.valid());
  int kvm = kvm_.get();
  // A new VM with its own fresh eventfds bound (RESAMPLE on one of them),
  // plus two shared eventfds.
  auto populated_vm = [&](std::mt19937_64& rng, std::vector<UniqueFd>* own) -> UniqueFd {
    int err = 0;
    const char* step = nullptr;
    UniqueFd vm = hammer_create_vm(kvm, &err, &step);
    if (!h.check(Op::kVmCreate, err, {0}, Ctx{-1, -1, -1, -1, step})) return UniqueFd();
    UniqueFd resample = make_eventfd();
    if (!h.check(Op::kEventfd, resample.valid() ? 0 : -errno, {0}, {})) return UniqueFd();
    for (int i = 0; i < 4; ++i) {
      own->push_back(make_eventfd());
      if (!h.check(Op::kEventfd, own->back().valid() ? 0 : -errno, {0}, {})) return UniqueFd();
      int efd = own->back().get();
      int gsi = random_gsi(rng);
      int rs = i == 0 ? resample.get() : -1;
      if (!h.check(rs >= 0 ? Op::kAssignResample : Op::kAssign,
                   irqfd_assign(vm.get(), efd, gsi, rs), {0}, Ctx{efd, gsi, vm.get(), rs}))
        return UniqueFd();
      if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd})) return UniqueFd();
    }
    int first = pick(rng, 0, kSharedSlots - 2);
    for (int i = first; i < first + 2; ++i) {
      int gsi = random_gsi(rng);
      if (!h.check(Op::kAssign, irqfd_assign(vm.get(), slots[i].get(), gsi), {0, -EBUSY},
                   Ctx{slots[i].get(), gsi, vm.get()}))
        return UniqueFd();
    }
    return vm;
  };
  h.run([&](int, std::mt19937_64& rng) {
    std::vector<UniqueFd> mine;  // long-lived private eventfds
    for (int i = 0; i < 4; ++i) {
      mine.push_back(make_eventfd());
      if (!h.check(Op::kEventfd, mine.back().valid() ? 0 : -errno, {0}, {})) return;
    }
    while (h.running()) {
      int vm = vm_fd(rng);
      int gsi = random_gsi(rng);
      int efd = pick(rng, 0, 3) ? slots[pick(rng, 0, kSharedSlots - 1)].get()
                                : mine[pick(rng, 0, 3)].get();
      int roll = pick(rng, 0, 99);
      if (roll < 35) {
        if (!assign_shared(h, rng, vm, efd, gsi, slots)) return;
      } else if (roll < 55) {
        if (!h.check(Op::kDeassign, irqfd_deassign(vm, efd, gsi), {0}, Ctx{efd, gsi, vm}))
          return;
      } else if (roll < 70) {
        if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd})) return;
      } else if (roll < 78) {
        if (!release_by_dup2(h, slots[pick(rng, 0, kSharedSlots - 1)].get())) return;
      } else if (roll < 90) {
        // Replace a shared VM: the old one dies with its irqfds bound, maybe
        // while another thread is inside KVM_IRQFD on it.
        std::vector<UniqueFd> own;
        UniqueFd fresh = populated_vm(rng, &own);
        if (!fresh.valid()) return;
        if (!h.check(Op::kVmClose, hammer_dup2(fresh.get(), vm), {0},
                     Ctx{-1, -1, vm, -1, "dup2 over a shared VM"}))
          return;
        if (!h.check(Op::kCloseDupSource, fresh.reset(), {0},
                     Ctx{-1, -1, -1, -1, "dup2 source VM"}))
          return;
        // own's eventfds close here, bound to a VM that is still alive.
      } else {
        // A whole private VM lifetime, closed with everything bound; half
        // the time its own eventfds are closed first (their shutdown work
        // queued from EPOLLHUP races the VM's release).
        std::vector<UniqueFd> own;
        UniqueFd mvm = populated_vm(rng, &own);
        if (!mvm.valid()) return;
        if (pick(rng, 0, 1))
          for (UniqueFd& e : own) {
            int number = e.get();
            if (!h.check(Op::kClose, e.reset(), {0}, Ctx{number})) return;
          }
        int vm_number = mvm.get();
        if (!h.check(Op::kVmClose, mvm.reset(), {0}, Ctx{-1, -1, vm_number})) return;
      }
    }
  });
  h.report();
}

// The scenario of an open upstream report: many RESAMPLE irqfds and rapid
// VM teardown, which ended in a workqueue lockup in irqfd_resampler_shutdown
// (each RESAMPLE irqfd's shutdown work takes kvm->irqfds.resampler_lock and
// runs synchronize_srcu_expedited while the cleanup workqueue is flushed).
// Each thread builds opts.vms VMs with opts.resample_irqfds RESAMPLE irqfds
// each, spread over 4 GSIs so every resampler has many irqfds, signals some,
// then tears everything down at once in one of four orders.
//   vm-create: success.  assign-resample (fresh eventfds, fresh VM): 0.
//   write: 0.  deassign: 0.  close (eventfd, resamplefd, VM): 0.
TEST_F(Hammer, ResampleTeardown) {
  HammerRun h("ResampleTeardown", opts_, scenario_duration());
  // Every thread holds vms x (irqfds + resamplefd + VM) fds at its peak.
  uint64_t fds = uint64_t(opts_.threads) * opts_.vms * (opts_.resample_irqfds + 2) + 64;
  std::string why = ensure_fd_limit(fds);
  ASSERT_EQ(why, "");
  int kvm = kvm_.get();
  h.run([&](int, std::mt19937_64& rng) {
    struct Guest {
      UniqueFd vm, resample;
      std::vector<UniqueFd> efds;
      std::vector<int> gsis;
    };
    while (h.running()) {
      std::vector<Guest> guests(opts_.vms);
      for (Guest& g : guests) {
        int err = 0;
        const char* step = nullptr;
        g.vm = hammer_create_vm(kvm, &err, &step);
        if (!h.check(Op::kVmCreate, err, {0}, Ctx{-1, -1, -1, -1, step})) return;
        g.resample = make_eventfd();
        if (!h.check(Op::kEventfd, g.resample.valid() ? 0 : -errno, {0}, {})) return;
        for (int i = 0; i < opts_.resample_irqfds && h.running(); ++i) {
          g.efds.push_back(make_eventfd());
          if (!h.check(Op::kEventfd, g.efds.back().valid() ? 0 : -errno, {0}, {})) return;
          int gsi = kMinGsi + i % 4;
          g.gsis.push_back(gsi);
          if (!h.check(Op::kAssignResample,
                       irqfd_assign(g.vm.get(), g.efds.back().get(), gsi, g.resample.get()), {0},
                       Ctx{g.efds.back().get(), gsi, g.vm.get(), g.resample.get()}))
            return;
          // Asserts the level-triggered line the resampler must later clear.
          if (i % 4 == 0 &&
              !h.check(Op::kWrite, signal_eventfd(g.efds.back().get()), {0},
                       Ctx{g.efds.back().get(), gsi}))
            return;
        }
      }
      int order = pick(rng, 0, 3);
      for (Guest& g : guests) {
        if (order == 1 || order == 2) {
          // Eventfds first: shutdown work queued from EPOLLHUP, not yet
          // flushed when the VM's own release queues the rest.
          for (size_t i = 0; i < g.efds.size(); i += order == 1 ? 1 : 2) {
            int number = g.efds[i].get();
            if (!h.check(Op::kClose, g.efds[i].reset(), {0}, Ctx{number, g.gsis[i], g.vm.get()}))
              return;
          }
        }
        if (order == 2) {
          for (size_t i = 1; i < g.efds.size(); i += 4)
            if (!h.check(Op::kDeassign, irqfd_deassign(g.vm.get(), g.efds[i].get(), g.gsis[i]),
                         {0}, Ctx{g.efds[i].get(), g.gsis[i], g.vm.get()}))
              return;
        }
        int resample = g.resample.get(), vm = g.vm.get();
        if (order == 3 &&
            !h.check(Op::kClose, g.resample.reset(), {0}, Ctx{resample, -1, vm, -1, "resamplefd"}))
          return;
        if (!h.check(Op::kVmClose, g.vm.reset(), {0}, Ctx{-1, -1, vm})) return;
      }
      // Remaining eventfds close here, after their VMs are gone.
    }
  });
  h.report();
}

// Eventfds closed while bound and re-created, so the new eventfd usually gets
// the old one's fd number (or dup2'd onto that number): the binding must
// follow the file, never the number. Each thread owns its eventfds, so
// checks are exact:
//   close: 0.  eventfd: success.  write: 0.
//   read right after re-creation: a count (nothing may consume it: the old
//     irqfd is gone with the old file).
//   assign of the new file on the old VM/GSI: 0 (EBUSY would mean the old
//     irqfd outlived its eventfd).  read after write once bound: EAGAIN.
//   deassign: 0.  dup2: returns the target.
TEST_F(Hammer, FdReuse) {
  HammerRun h("FdReuse", opts_, scenario_duration());
  std::atomic<uint64_t> reused{0}, recreated{0};
  h.run([&](int, std::mt19937_64& rng) {
    struct Slot {
      UniqueFd efd;
      int vm = -1, gsi = -1;
    };
    // write then read: consumed exactly when the eventfd is bound.
    auto probe = [&](int efd, bool bound) {
      return h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd}) &&
             h.check(Op::kRead, hammer_read(efd), bound ? Allowed{-EAGAIN} : Allowed{0},
                     Ctx{efd, -1, -1, -1,
                         bound ? "bound: the irqfd should have consumed the write"
                               : "re-created: a stale irqfd consumed the write"});
    };
    auto bind = [&](Slot& s) {
      return h.check(Op::kAssign, irqfd_assign(s.vm, s.efd.get(), s.gsi), {0},
                     Ctx{s.efd.get(), s.gsi, s.vm, -1, "rebind after re-creation"});
    };
    std::vector<Slot> slots(4);
    for (Slot& s : slots) {
      s.efd = make_eventfd(EFD_NONBLOCK);
      s.vm = vm_fd(rng);
      s.gsi = random_gsi(rng);
      if (!h.check(Op::kEventfd, s.efd.valid() ? 0 : -errno, {0}, {}) || !bind(s)) return;
    }
    while (h.running()) {
      Slot& s = slots[pick(rng, 0, 3)];
      int number = s.efd.get();
      int roll = pick(rng, 0, 99);
      if (roll < 45) {
        if (!h.check(Op::kClose, s.efd.reset(), {0}, Ctx{number, s.gsi, s.vm})) return;
        s.efd = make_eventfd(EFD_NONBLOCK);
        if (!h.check(Op::kEventfd, s.efd.valid() ? 0 : -errno, {0}, {})) return;
        recreated.fetch_add(1, std::memory_order_relaxed);
        if (s.efd.get() == number) reused.fetch_add(1, std::memory_order_relaxed);
      } else if (roll < 80) {
        if (!release_by_dup2(h, number, EFD_NONBLOCK)) return;
      } else {
        if (!h.check(Op::kDeassign, irqfd_deassign(s.vm, number, s.gsi), {0},
                     Ctx{number, s.gsi, s.vm}))
          return;
      }
      if (!probe(s.efd.get(), false) || !bind(s) || !probe(s.efd.get(), true)) return;
    }
  });
  h.note("close+eventfd re-creations", recreated.load());
  h.note("... that got the same fd number", reused.load());
  h.report();
}

}  // namespace
}  // namespace irqfd
