// Nested KVM works in the guest: the minimum boot-test needs before any
// irqfd behaviour can be tested. No /dev/kvm skips these (kselftest's
// convention); boot-verdict turns a skipped KvmSmoke into an
// infrastructure error, as the rig exists to test KVM.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "kvm_vm.h"

namespace irqfd {
namespace {

class KvmSmoke : public KvmFixture {};

IRQFD_TEST_F(KvmSmoke, OpenDevKvm) { EXPECT_TRUE(kvm_.valid()); }

IRQFD_TEST_F(KvmSmoke, CreateVmWithIrqchip) {
  Vm vm(kvm_.get());
  ASSERT_TRUE(vm.valid()) << "KVM_CREATE_VM: " << errno_name(vm.error());
  ASSERT_RESULT(vm.create_irqchip(), 0);
  int irr = pic_irr(vm.fd());
  EXPECT_GE(irr, 0) << "KVM_GET_IRQCHIP(PIC): " << errno_name(irr);
}

IRQFD_TEST_F(KvmSmoke, BindOneIrqfd) {
  Vm vm(kvm_.get());
  ASSERT_TRUE(vm.valid()) << errno_name(vm.error());
  ASSERT_RESULT(vm.create_irqchip(), 0);
  UniqueFd efd = make_eventfd();
  ASSERT_TRUE(efd.valid());
  ASSERT_RESULT(vm.assign_irqfd(efd.get(), 5), 0);
  EXPECT_RESULT(vm.deassign_irqfd(efd.get(), 5), 0);
}

}  // namespace
}  // namespace irqfd
