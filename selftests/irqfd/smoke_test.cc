// Nested KVM works in the guest: the minimum boot-test needs before any
// irqfd behaviour can be tested.
#include <gtest/gtest.h>

#include "kvm_vm.h"

namespace irqfd {
namespace {

TEST(KvmSmoke, OpenDevKvm) {
  int err = 0;
  UniqueFd kvm = open_kvm(&err);
  ASSERT_TRUE(kvm.valid()) << "open /dev/kvm: " << errno_name(err)
                           << " (kvm_amd/kvm_intel built in? nested SVM from -cpu max?)";
}

TEST(KvmSmoke, CreateVmWithIrqchip) {
  int err = 0;
  UniqueFd kvm = open_kvm(&err);
  ASSERT_TRUE(kvm.valid()) << errno_name(err);
  Vm vm(kvm.get());
  ASSERT_TRUE(vm.valid()) << "KVM_CREATE_VM: " << errno_name(vm.error());
  ASSERT_EQ(vm.create_irqchip(), 0) << "KVM_CREATE_IRQCHIP";
  EXPECT_GE(vm.pic_master_irr(), 0) << "KVM_GET_IRQCHIP(PIC master)";
}

TEST(KvmSmoke, BindOneIrqfd) {
  int err = 0;
  UniqueFd kvm = open_kvm(&err);
  ASSERT_TRUE(kvm.valid()) << errno_name(err);
  Vm vm(kvm.get());
  ASSERT_TRUE(vm.valid()) << errno_name(vm.error());
  ASSERT_EQ(vm.create_irqchip(), 0);
  UniqueFd efd = make_eventfd();
  ASSERT_TRUE(efd.valid());
  int r = vm.assign_irqfd(efd.get(), 5);
  ASSERT_EQ(r, 0) << "KVM_IRQFD assign gsi 5: " << errno_name(r);
  r = vm.deassign_irqfd(efd.get(), 5);
  EXPECT_EQ(r, 0) << "KVM_IRQFD deassign gsi 5: " << errno_name(r);
}

}  // namespace
}  // namespace irqfd
