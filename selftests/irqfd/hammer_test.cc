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
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "hammer.h"
#include "kvm_vm.h"
#include "options.h"

namespace irqfd {
namespace {

// Master and slave PIC lines (and the IOAPIC pins behind them) that the
// default routing maps; 0 (timer) and 2 (cascade) are left alone.
constexpr int kMinGsi = 3;
constexpr int kMaxGsi = 15;
// The shared scenarios' objects: few eventfds and few GSIs, so that
// operations of different threads meet on one eventfd, and on one (VM,
// eventfd, GSI), thousands of times per run (each scenario prints how
// often).
constexpr int kSharedSlots = 4;
constexpr int kDenseGsis[] = {3, 4, 5};
constexpr int kNumDenseGsis = 3;
// The GSI the end-of-run audit binds: none of the dense ones.
constexpr int kAuditGsi = 7;

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
int dense_gsi(std::mt19937_64& rng) { return kDenseGsis[pick(rng, 0, kNumDenseGsis - 1)]; }

// /dev/kvm and opts.vms VMs with an in-kernel irqchip, shared by a
// scenario's threads. The VM fd numbers stay fixed for the whole test (VM
// churn replaces the VM behind a number with dup2), so threads may read
// them without synchronisation.
class Hammer : public KvmFixture {
 public:
  // A scenario's planned duration on top of --test-timeout.
  static std::chrono::milliseconds ExtraTime() { return scenario_duration(); }

 protected:
  void SetUp() override {
    KvmFixture::SetUp();
    if (::testing::Test::HasFatalFailure() || ::testing::Test::IsSkipped()) return;
    opts_ = hammer_options();
    // Scenarios hold up to ~40 fds per thread (ResampleTeardown asks for
    // its own, larger budget), so many threads can exceed the default 1024.
    ASSERT_EQ(ensure_fd_limit(uint64_t(opts_.threads) * 64 + opts_.vms + 256), "");
    int err = 0;
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
  std::vector<int> vm_fds() const {
    std::vector<int> v;
    for (const UniqueFd& f : vms_) v.push_back(f.get());
    return v;
  }

  HammerOptions opts_;
  std::vector<UniqueFd> vms_;
};

// The end of a shared scenario, after its threads were joined: whatever
// they did to an eventfd, its state must be consistent, under either
// kernel's rule (one binding per eventfd, or one per VM):
//  - a write is consumed (read gives EAGAIN) exactly when an irqfd is bound;
//  - then the VM that owns it refuses another binding (EBUSY), and the
//    write shows as an interrupt in some VM's PIC;
//  - otherwise nothing is bound: an assign must succeed and deliver, and
//    once deassigned the next write is nobody's.
void audit_eventfds(HammerRun& h, const std::vector<int>& vms, const std::vector<int>& efds) {
  const int vm0 = vms[0];
  for (int efd : efds) {
    for (int vm : vms)
      if (!h.check(Op::kIrqchip, clear_pic_irr(vm), {0}, Ctx{-1, -1, vm, -1, "audit: clear IRR"}))
        return;
    read_eventfd_count(efd);  // drop counts of writes that nobody consumed
    if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd, -1, -1, -1, "audit"})) return;
    int64_t count = read_eventfd_count(efd);
    if (count == -EAGAIN) {
      int busy = 0;
      for (int vm : vms) {
        int r = irqfd_assign(vm, efd, kAuditGsi);
        if (!h.check(Op::kAssign, r, {0, -EBUSY},
                     Ctx{efd, kAuditGsi, vm, -1, "audit: the eventfd is bound somewhere"}))
          return;
        if (r == 0 && !h.check(Op::kDeassign, irqfd_deassign(vm, efd, kAuditGsi), {0},
                               Ctx{efd, kAuditGsi, vm, -1, "audit"}))
          return;
        busy += r == -EBUSY;
      }
      if (busy == 0)
        h.fail(h.scenario() + ": audit: a write to fd " + std::to_string(efd) +
               " was consumed, so an irqfd is bound to it, yet every VM accepted a new binding");
      bool seen = false;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kDeliveryTimeoutMs);
      while (!seen && std::chrono::steady_clock::now() < deadline) {
        for (int vm : vms) seen = seen || pic_irr(vm) > 0;
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (!seen)
        h.fail(h.scenario() + ": audit: a write to fd " + std::to_string(efd) +
               " was consumed by an irqfd, but no VM's PIC shows an interrupt within " +
               std::to_string(kDeliveryTimeoutMs) + " ms: the injection was lost");
    } else if (count == 1) {
      if (!h.check(Op::kAssign, irqfd_assign(vm0, efd, kAuditGsi), {0},
                   Ctx{efd, kAuditGsi, vm0, -1,
                       "audit: no irqfd consumed a write, so none is bound; EBUSY would be a "
                       "binding that does not deliver"}))
        return;
      if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd, -1, -1, -1, "audit"})) return;
      if (!h.check(Op::kRead, read_eventfd_count(efd), {-EAGAIN},
                   Ctx{efd, kAuditGsi, vm0, -1, "audit: just bound, it must consume the write"}))
        return;
      if (!wait_for_pic_irr_bit(vm0, kAuditGsi, true, kDeliveryTimeoutMs))
        h.fail(h.scenario() + ": audit: fd " + std::to_string(efd) + " bound at GSI " +
               std::to_string(kAuditGsi) + " consumed a write but did not deliver it");
      if (!h.check(Op::kDeassign, irqfd_deassign(vm0, efd, kAuditGsi), {0},
                   Ctx{efd, kAuditGsi, vm0, -1, "audit"}) ||
          !h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd, -1, -1, -1, "audit"}))
        return;
      int64_t after = read_eventfd_count(efd);
      if (after != 1)
        h.fail(h.scenario() + ": audit: after deassign of fd " + std::to_string(efd) +
               ", a write read back " + (after < 0 ? errno_name(static_cast<int>(after)) : std::to_string(after)) +
               ", expected 1: the removed binding still consumes writes");
    } else {
      h.fail(h.scenario() + ": audit: reading fd " + std::to_string(efd) + " after one write gave " +
             (count < 0 ? errno_name(static_cast<int>(count)) : std::to_string(count)) +
             ", expected 1 (nobody bound) or EAGAIN (consumed by an irqfd)");
    }
  }
}

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
IRQFD_TEST_F(Hammer, PrivateEventfds) {
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
// that file (in this VM, or anywhere with the one-binding rule) an instant
// before; the audit at the end checks the outcome.
bool assign_shared(HammerRun& h, std::mt19937_64& rng, int vm, int efd, int gsi,
                   const std::vector<UniqueFd>& slots) {
  int resample = pick(rng, 0, 3) == 0 ? slots[pick(rng, 0, static_cast<int>(slots.size()) - 1)].get() : -1;
  return h.check(resample >= 0 ? Op::kAssignResample : Op::kAssign,
                 irqfd_assign(vm, efd, gsi, resample), {0, -EBUSY},
                 Ctx{efd, gsi, vm, resample, "EBUSY only if another thread bound it first"});
}

// All threads on one table of eventfd numbers whose files are replaced by
// dup2 under the others' feet (release while bound, while being written,
// while being deassigned), across opts.vms VMs, on few eventfds and GSIs.
//   assign / assign-resample: 0 or EBUSY: whether another thread's binding
//     of that file exists at that instant is unknowable here; the end-of-run
//     audit checks what the bindings add up to.
//   deassign: 0 (whatever file the number holds, it is an eventfd).
//   write: 0.  dup2: returns the target number.  close of dup2 source: 0.
// Then audit_eventfds().
IRQFD_TEST_F(Hammer, SharedEventfds) {
  HammerRun h("SharedEventfds", opts_, scenario_duration());
  std::vector<UniqueFd> slots = shared_eventfds(kSharedSlots);
  for (const UniqueFd& s : slots) ASSERT_TRUE(s.valid());
  const int nvms = static_cast<int>(vms_.size());
  MeetCounter on_efd(kSharedSlots), on_binding(size_t(nvms) * kSharedSlots * kNumDenseGsis);
  h.run([&](int, std::mt19937_64& rng) {
    while (h.running()) {
      int slot = pick(rng, 0, kSharedSlots - 1), gi = pick(rng, 0, kNumDenseGsis - 1), v = 0;
      int efd = slots[slot].get(), vm = vm_fd(rng, &v), gsi = kDenseGsis[gi];
      MeetCounter::Scope e(on_efd, slot);
      MeetCounter::Scope b(on_binding, (size_t(v) * kSharedSlots + slot) * kNumDenseGsis + gi);
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
  h.note("ops that met another on one eventfd", on_efd.met());
  h.note("ops that met another on one (VM, eventfd, GSI)", on_binding.met());
  std::vector<int> efds;
  for (const UniqueFd& s : slots) efds.push_back(s.get());
  audit_eventfds(h, vm_fds(), efds);
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
// Then audit_eventfds() on the numbers left in the table.
IRQFD_TEST_F(Hammer, CloseRaces) {
  HammerRun h("CloseRaces", opts_, scenario_duration());
  AtomicFdTable table(kSharedSlots);
  ASSERT_TRUE(table.all_valid());
  MeetCounter on_slot(kSharedSlots);
  h.run([&](int, std::mt19937_64& rng) {
    while (h.running()) {
      int index = pick(rng, 0, kSharedSlots - 1);
      std::atomic<int>& slot = table[index];
      MeetCounter::Scope met(on_slot, index);
      int efd = slot.load();
      int vm = vm_fd(rng);
      int gsi = dense_gsi(rng);
      int roll = pick(rng, 0, 99);
      if (roll < 35) {
        int resample = pick(rng, 0, 3) == 0 ? table[pick(rng, 0, kSharedSlots - 1)].load() : -1;
        if (!h.check(resample >= 0 ? Op::kAssignResample : Op::kAssign,
                     irqfd_assign(vm, efd, gsi, resample), {0, -EBUSY, -EBADF},
                     Ctx{efd, gsi, vm, resample, "EBADF only if closed meanwhile"}))
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
  h.note("ops that met another on one table slot", on_slot.met());
  std::vector<int> efds;
  for (int i = 0; i < kSharedSlots; ++i) efds.push_back(table[i].load());
  audit_eventfds(h, vm_fds(), efds);
  h.report();
}

// VMs destroyed while they still hold irqfds, while other threads bind to
// them: the VM behind each shared VM number is replaced with dup2 (the old
// VM's last reference drops: kvm_irqfd_release with irqfds bound), and
// threads also run whole private VM lifetimes.
//   assign / assign-resample of shared or long-lived eventfds: 0 or EBUSY.
//   assign of an eventfd created for a new VM, into that VM: 0, and a write
//     to it is consumed at once (read: EAGAIN).
//   deassign: 0.  write: 0.  vm-create (KVM_CREATE_VM + IRQCHIP): success.
//   dup2 of a VM or eventfd: returns the target.  close: 0.
//   a private VM closed with its eventfds open: its irqfds are gone when
//     close() returns (the VM's release flushes them), so a write to each
//     of its eventfds reads back 1.
// Then audit_eventfds() on the shared eventfds.
IRQFD_TEST_F(Hammer, VmChurn) {
  HammerRun h("VmChurn", opts_, scenario_duration());
  std::vector<UniqueFd> slots = shared_eventfds(kSharedSlots);
  for (const UniqueFd& s : slots) ASSERT_TRUE(s.valid());
  int kvm = kvm_.get();
  MeetCounter on_vm(vms_.size());
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
      if (!h.check(Op::kWrite, signal_eventfd(efd), {0}, Ctx{efd}) ||
          !h.check(Op::kRead, read_eventfd_count(efd), {-EAGAIN},
                   Ctx{efd, gsi, vm.get(), rs, "just bound in a new VM: the write is consumed"}))
        return UniqueFd();
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
      int v = 0;
      int vm = vm_fd(rng, &v);
      int gsi = dense_gsi(rng);
      MeetCounter::Scope met(on_vm, v);
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
        bool eventfds_first = pick(rng, 0, 1);
        if (eventfds_first)
          for (UniqueFd& e : own) {
            int number = e.get();
            if (!h.check(Op::kClose, e.reset(), {0}, Ctx{number})) return;
          }
        int vm_number = mvm.get();
        if (!h.check(Op::kVmClose, mvm.reset(), {0}, Ctx{-1, -1, vm_number})) return;
        if (!eventfds_first)
          for (UniqueFd& e : own)
            if (!h.check(Op::kWrite, signal_eventfd(e.get()), {0}, Ctx{e.get()}) ||
                !h.check(Op::kRead, read_eventfd_count(e.get()), {0},
                         Ctx{e.get(), -1, vm_number, -1,
                             "its VM was closed: nobody may consume the write"}))
              return;
      }
    }
  });
  h.note("ops that met another on one shared VM", on_vm.met());
  std::vector<int> efds;
  for (const UniqueFd& s : slots) efds.push_back(s.get());
  audit_eventfds(h, vm_fds(), efds);
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
//   the 4 GSIs are level-triggered (ELCR): before teardown, the one that
//     was written is high in the PIC's IRR (a RESAMPLE irqfd holds its line
//     until an EOI, and there is no vCPU to send one), the 3 others low.
IRQFD_TEST_F(Hammer, ResampleTeardown) {
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
        for (int gsi = kMinGsi; gsi < kMinGsi + 4; ++gsi)
          if (!h.check(Op::kIrqchip, set_pic_level_triggered(g.vm.get(), gsi), {0},
                       Ctx{-1, gsi, g.vm.get(), -1, "set ELCR"}))
            return;
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
      for (Guest& g : guests) {
        if (g.efds.empty()) continue;
        if (!wait_for_pic_irr_bit(g.vm.get(), kMinGsi, true, kDeliveryTimeoutMs)) {
          h.fail("ResampleTeardown: GSI " + std::to_string(kMinGsi) +
                 " (level-triggered, RESAMPLE irqfds written) is not high in the PIC's IRR");
          return;
        }
        int irr = pic_irr(g.vm.get());
        if (!h.check(Op::kIrqchip, irr, {0}, Ctx{-1, -1, g.vm.get()})) return;
        if (irr & (0x7 << (kMinGsi + 1))) {
          h.fail("ResampleTeardown: IRR " + std::to_string(irr) + ": a GSI among " +
                 std::to_string(kMinGsi + 1) + ".." + std::to_string(kMinGsi + 3) +
                 " is high although none of its irqfds was written");
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

// GSIs for racing threads: one per thread (wrapping past 12 threads), so
// that a thread's delivery shows as its own bit in its VM's IRR.
constexpr int kRaceGsis[] = {3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15};
constexpr int kNumRaceGsis = 12;

// Rounds of owner and antagonists until the deadline: thread 0 prepares
// the round, a RoundGate releases every thread into act() at once, and
// thread 0 judges the outcome once all of them are through.
void run_rounds(HammerRun& h, const std::function<void(std::mt19937_64&)>& prepare,
                const std::function<void(int, std::mt19937_64&)>& act,
                const std::function<void()>& judge) {
  RoundGate gate(h.options().threads);
  bool stop = false;
  h.run([&](int t, std::mt19937_64& rng) {
    for (uint64_t round = 1;; ++round) {
      if (t == 0) {
        stop = !h.running();
        if (!stop) prepare(rng);
      }
      gate.start(t == 0, round);
      if (stop) return;
      act(t, rng);
      gate.finish(t == 0);
      if (t == 0) judge();
    }
  });
}

std::string describe(int64_t r) { return r == 0 ? "0" : errno_name(static_cast<int>(r)); }

// Does this kernel refuse a second VM's binding of a bound eventfd (the
// series' rule) when nothing races? 6.12.117 refuses only in the same VM.
bool one_binding_across_vms(HammerRun& h, const std::vector<UniqueFd>& vms) {
  if (vms.size() < 2) return true;  // one VM: both rules say the same
  UniqueFd efd = make_eventfd();
  int a = irqfd_assign(vms[0].get(), efd.get(), kMaxGsi);
  int b = irqfd_assign(vms[1].get(), efd.get(), kMaxGsi);
  if (a != 0 || (b != 0 && b != -EBUSY))
    h.fail(h.scenario() + ": probing the rule: assign in VM 0 gave " + describe(a) +
           ", then in VM 1 gave " + describe(b) + "; expected 0, then 0 or EBUSY");
  if (a == 0) irqfd_deassign(vms[0].get(), efd.get(), kMaxGsi);
  if (b == 0) irqfd_deassign(vms[1].get(), efd.get(), kMaxGsi);
  return b == -EBUSY;
}

// Owner and antagonists: in each round every thread binds one fresh
// eventfd at the same moment (released together by a RoundGate), thread
// i in VM i % vms at its own GSI, so some race in one VM and some across
// VMs. The result must be exactly this kernel's rule, probed without a
// race first:
//   one binding per eventfd (the series): exactly one assign returns 0,
//     all others EBUSY;
//   one per VM (6.12.117): exactly one 0 in each VM, all others EBUSY.
// Then one write: every binding that returned 0 must deliver (its bit in
// its VM's IRR), no loser's bit may rise, and after the winners are
// deassigned the next write is nobody's (read gives 1). Two winners that do
// not both deliver fail naming the pair.
// Every other round (the leader's coin) all threads assign with
// KVM_IRQFD_FLAG_RESAMPLE, each with its own resamplefd: the longest way
// through KVM_IRQFD assign (a resampler is found or made, then
// synchronize_srcu_expedited()), so that a check of the eventfd's owner
// split from the registration it guards has a window wide enough to be
// hit in most rounds, not one round in hundreds. The same rules apply:
// a RESAMPLE irqfd also consumes the write and raises its line.
IRQFD_TEST_F(Hammer, AssignRace) {
  HammerRun h("AssignRace", opts_, scenario_duration());
  const bool global = one_binding_across_vms(h, vms_);
  std::cout << "# hammer: AssignRace rule probed: one binding per eventfd "
            << (vms_.size() < 2 ? "in the one VM (--hammer-vms=1: either rule)"
                : global        ? "across all VMs (EBUSY from a second VM)"
                                : "per VM (a second VM may bind it: 6.12.117)")
            << "\n" << std::flush;
  const int threads = opts_.threads, nvms = static_cast<int>(vms_.size());
  std::vector<int> results(threads);
  std::vector<UniqueFd> resamplefds;
  for (int t = 0; t < threads; ++t) {
    resamplefds.push_back(make_eventfd(EFD_NONBLOCK));
    ASSERT_TRUE(resamplefds.back().valid()) << "eventfd for a resamplefd: " << errno_name(errno);
  }
  UniqueFd efd;
  bool resample = false;
  uint64_t rounds = 0;
  h.note("rounds where more than one assign returned 0", 0);
  h.note("rounds with KVM_IRQFD_FLAG_RESAMPLE", 0);
  auto vm_of = [&](int t) { return vms_[t % nvms].get(); };
  auto gsi_of = [&](int t) { return kRaceGsis[t % kNumRaceGsis]; };
  auto who = [&](int t) {
    return "thread " + std::to_string(t) + " (VM " + std::to_string(t % nvms) + ", GSI " +
           std::to_string(gsi_of(t)) + ")";
  };
  // The leader's half of a round, after every assign returned.
  auto judge = [&] {
    ++rounds;
    if (resample) h.note("rounds with KVM_IRQFD_FLAG_RESAMPLE", 1);
    std::vector<int> winners, per_vm(nvms, 0);
    for (int t = 0; t < threads; ++t) {
      h.check(resample ? Op::kAssignResample : Op::kAssign, results[t], {0, -EBUSY},
              Ctx{efd.get(), gsi_of(t), vm_of(t), resample ? resamplefds[t].get() : -1,
                  "racing assigns of one fresh eventfd"});
      if (results[t] == 0) {
        winners.push_back(t);
        ++per_vm[t % nvms];
      }
    }
    std::string names;
    for (int t : winners) names += (names.empty() ? "" : ", ") + who(t);
    bool count_ok = winners.size() == 1;
    if (!global) {
      // Per VM: exactly one winner in each VM that some thread raced in.
      count_ok = true;
      for (int v = 0; v < nvms && v < threads; ++v) count_ok = count_ok && per_vm[v] == 1;
    }
    if (winners.size() > 1) h.note("rounds where more than one assign returned 0", 1);
    if (!count_ok) {
      h.fail("AssignRace: round " + std::to_string(rounds) + ": " +
             std::to_string(winners.size()) + " of " + std::to_string(threads) + " racing " +
             (resample ? "RESAMPLE " : "") + "assigns of one eventfd returned 0 (" + (names.empty() ? "none" : names) +
             "); expected exactly one " + (global ? "in all VMs" : "per VM") +
             ", the rule this kernel follows when nothing races");
    }
    if (!h.check(Op::kWrite, signal_eventfd(efd.get()), {0}, Ctx{efd.get()})) return;
    if (!winners.empty() &&
        !h.check(Op::kRead, read_eventfd_count(efd.get()), {-EAGAIN},
                 Ctx{efd.get(), -1, -1, -1, "bound: an irqfd consumes the write"}))
      return;
    std::vector<int> lost = winners;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kDeliveryTimeoutMs);
    while (!lost.empty() && std::chrono::steady_clock::now() < deadline) {
      lost.erase(std::remove_if(lost.begin(), lost.end(),
                                [&](int t) {
                                  int irr = pic_irr(vm_of(t));
                                  return irr >= 0 && ((irr >> gsi_of(t)) & 1);
                                }),
                 lost.end());
      if (!lost.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!lost.empty()) {
      std::string l;
      for (int t : lost) l += (l.empty() ? "" : ", ") + who(t);
      h.fail("AssignRace: round " + std::to_string(rounds) + ": assigns by " + names +
             " returned 0, but one write did not reach " + l +
             (winners.size() > 1 ? ": two bindings of one eventfd, and not both deliver"
                                 : ": the binding does not deliver"));
    }
    for (int t = 0; t < threads; ++t) {
      int irr = pic_irr(vm_of(t));
      bool shared = std::any_of(winners.begin(), winners.end(), [&](int w) {
        return w % nvms == t % nvms && gsi_of(w) == gsi_of(t);
      });
      if (results[t] != 0 && !shared && irr >= 0 && ((irr >> gsi_of(t)) & 1))
        h.fail("AssignRace: round " + std::to_string(rounds) + ": " + who(t) +
               " got EBUSY, yet its GSI was raised");
    }
    for (int t : winners)
      h.check(Op::kDeassign, irqfd_deassign(vm_of(t), efd.get(), gsi_of(t)), {0},
              Ctx{efd.get(), gsi_of(t), vm_of(t)});
    h.check(Op::kWrite, signal_eventfd(efd.get()), {0}, Ctx{efd.get()});
    int64_t after = read_eventfd_count(efd.get());
    if (after != 1)
      h.fail("AssignRace: round " + std::to_string(rounds) + ": after deassigning " + names +
             ", a write read back " + describe(after) + ", expected 1: a removed binding still consumes writes");
  };
  run_rounds(
      h,
      [&](std::mt19937_64& rng) {
        efd = make_eventfd(EFD_NONBLOCK);
        h.check(Op::kEventfd, efd.valid() ? 0 : -errno, {0}, {});
        resample = pick(rng, 0, 1) == 1;
        for (int v = 0; v < nvms; ++v)
          h.check(Op::kIrqchip, clear_pic_irr(vms_[v].get()), {0}, Ctx{-1, -1, vms_[v].get()});
      },
      [&](int t, std::mt19937_64&) {
        results[t] = irqfd_assign(vm_of(t), efd.get(), gsi_of(t), resample ? resamplefds[t].get() : -1);
      },
      judge);  // the next round's eventfd replaces (closes) this one
  h.note("rounds", rounds);
  h.report();
}

// Owner and antagonists on deassign: each round binds one fresh eventfd at
// GSI g of one VM; then, at the same moment, thread 1 deassigns it with g
// in half the rounds (with another GSI in the rest), the other threads
// deassign it with GSIs other than g, and thread 0 writes it. Afterwards:
//   deassigned with g: a write is nobody's (read gives 1) and the same
//     eventfd binds again (0);
//   only wrong GSIs: the binding is intact: a write is consumed and raises
//     g in the IRR, and another bind of the eventfd is EBUSY.
IRQFD_TEST_F(Hammer, DeassignRace) {
  HammerRun h("DeassignRace", opts_, scenario_duration());
  const int threads = opts_.threads, nvms = static_cast<int>(vms_.size());
  UniqueFd efd;
  bool right = false;
  int vm = -1, gsi = -1;
  uint64_t rounds = 0;
  h.note("rounds deassigned with the bound GSI", 0);
  auto judge = [&] {
    ++rounds;
    std::string what = "round " + std::to_string(rounds) + ", fd " + std::to_string(efd.get()) +
                       " bound at GSI " + std::to_string(gsi) +
                       (right ? ", deassigned with that GSI" : ", deassigned only with other GSIs");
    read_eventfd_count(efd.get());  // the racing writes' counts, if not consumed
    h.check(Op::kIrqchip, clear_pic_irr(vm), {0}, Ctx{-1, -1, vm});
    if (!h.check(Op::kWrite, signal_eventfd(efd.get()), {0}, Ctx{efd.get()})) return;
    int64_t count = read_eventfd_count(efd.get());
    if (right) {
      h.note("rounds deassigned with the bound GSI", 1);
      if (count != 1)
        h.fail("DeassignRace: " + what + ": the next write read back " + describe(count) +
               ", expected 1: the removed binding still consumes writes");
      h.check(Op::kAssign, irqfd_assign(vm, efd.get(), gsi), {0},
              Ctx{efd.get(), gsi, vm, -1, "removed, so it binds again"});
      return;
    }
    if (count != -EAGAIN)
      h.fail("DeassignRace: " + what + ": the next write read back " + describe(count) +
             ", expected EAGAIN (consumed): a deassign with another GSI removed the binding");
    else if (!wait_for_pic_irr_bit(vm, gsi, true, kDeliveryTimeoutMs))
      h.fail("DeassignRace: " + what + ": a write was consumed but GSI " + std::to_string(gsi) +
             " never rose in the IRR: the binding no longer delivers");
    h.check(Op::kAssign, irqfd_assign(vm, efd.get(), kMaxGsi), {-EBUSY},
            Ctx{efd.get(), kMaxGsi, vm, -1, "still bound, so binding it again is EBUSY"});
  };
  run_rounds(
      h,
      [&](std::mt19937_64& rng) {
        vm = vms_[pick(rng, 0, nvms - 1)].get();
        gsi = dense_gsi(rng);
        right = pick(rng, 0, 1) == 1;
        efd = make_eventfd(EFD_NONBLOCK);
        h.check(Op::kEventfd, efd.valid() ? 0 : -errno, {0}, {});
        h.check(Op::kAssign, irqfd_assign(vm, efd.get(), gsi), {0},
                Ctx{efd.get(), gsi, vm, -1, "a fresh eventfd"});
      },
      [&](int t, std::mt19937_64& rng) {
        int wrong = gsi;
        while (wrong == gsi) wrong = dense_gsi(rng);
        if (t == 1 || threads == 1)
          h.check(Op::kDeassign, irqfd_deassign(vm, efd.get(), right ? gsi : wrong), {0},
                  Ctx{efd.get(), right ? gsi : wrong, vm});
        if (t == 0)
          h.check(Op::kWrite, signal_eventfd(efd.get()), {0}, Ctx{efd.get()});
        else if (t > 1)
          h.check(Op::kDeassign, irqfd_deassign(vm, efd.get(), wrong), {0},
                  Ctx{efd.get(), wrong, vm, -1, "another GSI"});
      },
      judge);  // the next round's eventfd replaces (closes) this one
  h.note("rounds", rounds);
  h.report();
}

// Eventfds closed (or replaced by dup2) while bound and re-created, so the
// new eventfd usually gets the old one's fd number, then bound again at
// once, while the old irqfd's shutdown (queued from EPOLLHUP) may not have
// run yet. KVM looks the file up at each call and binds files, not
// numbers, so the number's history cannot leak into the new file; what
// this checks is the binding life cycle of each new file, with exact
// results as each thread owns its eventfds:
//   close: 0.  eventfd: success.  write: 0.
//   read right after re-creation or deassign: a count (nothing is bound).
//   assign on the old VM/GSI: 0.  read after write once bound: EAGAIN.
//   deassign (same file, same GSI): 0, and removes the binding.
//   dup2: returns the target.
IRQFD_TEST_F(Hammer, FdReuse) {
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
                               : "re-created or deassigned: nothing is bound, yet the write "
                                 "was consumed"});
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
