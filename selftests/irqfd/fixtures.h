// Fixtures shared by the KVM tests: /dev/kvm (or a kselftest skip), VMs
// with an in-kernel irqchip, and the GSIs whose delivery the PICs show.
#ifndef IRQFD_SELFTEST_FIXTURES_H
#define IRQFD_SELFTEST_FIXTURES_H

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>

#include "isolate.h"
#include "kvm_vm.h"

namespace irqfd {

// /dev/kvm, opened in the test's own process. No /dev/kvm skips the test
// ("ok N name # SKIP no /dev/kvm", exit 4 when all skip), as upstream's
// KVM selftests do; any other error opening it fails the test.
class KvmFixture : public IsolatedFixture {
 protected:
  void SetUp() override {
    int err = 0;
    kvm_ = open_kvm(&err);
    if (err == -ENOENT) GTEST_SKIP() << "no /dev/kvm";
    ASSERT_TRUE(kvm_.valid()) << "open /dev/kvm: " << errno_name(err)
                              << " (kvm_amd/kvm_intel built in? nested SVM from -cpu max?)";
  }

  // A VM with an in-kernel irqchip (PIC, IOAPIC, default GSI routing).
  std::unique_ptr<Vm> new_vm_with_irqchip() {
    auto vm = std::make_unique<Vm>(kvm_.get());
    EXPECT_TRUE(vm->valid()) << "KVM_CREATE_VM: " << errno_name(vm->error());
    if (vm->valid()) {
      int r = vm->create_irqchip();
      EXPECT_EQ(r, 0) << "KVM_CREATE_IRQCHIP: " << errno_name(r);
    }
    return vm;
  }

  UniqueFd kvm_;
};

// How long a delivery (eventfd write -> inject work -> PIC IRR) may take
// under TCG with KASAN before it counts as lost.
constexpr int kDeliveryTimeoutMs = 2000;

}  // namespace irqfd

// An errno as the test expects it, for readable failures (ASSERT_RESULT
// ends the test).
#define IRQFD_RESULT_(check, expr, want)                                            \
  do {                                                                              \
    int got_ = (expr);                                                              \
    check(got_, (want)) << #expr << " gave " << (got_ ? errno_name(got_) : "0")   \
                        << ", expected " << ((want) ? errno_name(want) : "0");      \
  } while (0)
#define EXPECT_RESULT(expr, want) IRQFD_RESULT_(EXPECT_EQ, expr, want)
#define ASSERT_RESULT(expr, want) IRQFD_RESULT_(ASSERT_EQ, expr, want)

#endif
