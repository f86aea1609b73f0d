// KVM irqfd behaviour, one behaviour per test: assignment rules, delivery to
// the in-kernel PIC, and what closing the eventfd or the VM does.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "kvm_vm.h"

namespace irqfd {
namespace {

// Master-PIC lines only, so delivery shows in KVM_IRQCHIP_PIC_MASTER's IRR;
// 0 (timer) and 2 (cascade) are avoided.
constexpr uint32_t kGsi = 5;
constexpr uint32_t kOtherGsi = 6;
constexpr int kDeliveryTimeoutMs = 2000;

// A VM with an in-kernel irqchip, ready for KVM_IRQFD.
class IrqfdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int err = 0;
    kvm_ = open_kvm(&err);
    ASSERT_TRUE(kvm_.valid()) << "open /dev/kvm: " << errno_name(err);
    vm_ = std::make_unique<Vm>(kvm_.get());
    ASSERT_TRUE(vm_->valid()) << "KVM_CREATE_VM: " << errno_name(vm_->error());
    ASSERT_EQ(vm_->create_irqchip(), 0) << "KVM_CREATE_IRQCHIP";
  }

  std::unique_ptr<Vm> new_vm_with_irqchip() {
    auto vm = std::make_unique<Vm>(kvm_.get());
    EXPECT_TRUE(vm->valid()) << "KVM_CREATE_VM: " << errno_name(vm->error());
    EXPECT_EQ(vm->create_irqchip(), 0) << "KVM_CREATE_IRQCHIP";
    return vm;
  }

  UniqueFd kvm_;
  std::unique_ptr<Vm> vm_;
};

// An errno as the test expects it, for readable failures.
#define EXPECT_RESULT(expr, want) \
  do { \
    int got_ = (expr); \
    EXPECT_EQ(got_, (want)) << #expr << " gave " << (got_ ? errno_name(got_) : "0") \
                            << ", expected " << ((want) ? errno_name(want) : "0"); \
  } while (0)

TEST_F(IrqfdTest, AssignThenDeassign) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
  // The pair can be bound again once the first binding is gone.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

TEST_F(IrqfdTest, DeassignOfNeverAssignedGsiIsHarmless) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

TEST_F(IrqfdTest, DoubleAssignInOneVmIsBusy) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), -EBUSY);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kOtherGsi), -EBUSY);
}

// On x86 kvm_arch_intc_initialized() is always true, so the refusal comes
// from kvm_arch_irqfd_allowed() (no in-kernel irqchip): EINVAL. EAGAIN is
// what arm64 returns before its vGIC is initialised.
TEST_F(IrqfdTest, BeforeIrqchipIsRefusedWithEinval) {
  Vm bare(kvm_.get());
  ASSERT_TRUE(bare.valid());
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(bare.assign_irqfd(efd.get(), kGsi), -EINVAL);
  EXPECT_RESULT(bare.assign_irqfd(efd.get(), kGsi, /*resample_fd=*/efd.get()), -EINVAL);
}

TEST_F(IrqfdTest, BadFdIsEbadf) {
  EXPECT_RESULT(vm_->assign_irqfd(-1, kGsi), -EBADF);
  EXPECT_RESULT(vm_->deassign_irqfd(-1, kGsi), -EBADF);
}

TEST_F(IrqfdTest, NonEventfdIsEinval) {
  EXPECT_RESULT(vm_->assign_irqfd(kvm_.get(), kGsi), -EINVAL);
}

TEST_F(IrqfdTest, ResampleWithResampleFd) {
  UniqueFd efd = make_eventfd(), resample = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, resample.get()), 0);
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
}

TEST_F(IrqfdTest, ResampleWithoutResampleFdIsEbadf) {
  UniqueFd efd = make_eventfd();
  // resamplefd is an fd number: an invalid one must be refused.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, /*resample_fd=*/0x7fffffff), -EBADF);
  // And nothing was left bound.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

TEST_F(IrqfdTest, DeliveryRaisesPicIrrAndConsumesCount) {
  UniqueFd efd = make_eventfd();
  ASSERT_EQ(vm_->assign_irqfd(efd.get(), kGsi), 0);
  int irr = vm_->pic_master_irr();
  ASSERT_GE(irr, 0);
  ASSERT_FALSE(irr & (1 << kGsi)) << "IRR bit set before any write";
  ASSERT_EQ(signal_eventfd(efd.get()), 0);
  EXPECT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs))
      << "eventfd write did not raise GSI " << kGsi << " in the PIC's IRR";
  EXPECT_EQ(read_eventfd_count(efd.get()), -EAGAIN) << "the irqfd did not consume the count";
}

TEST_F(IrqfdTest, NoDeliveryAfterDeassign) {
  UniqueFd efd = make_eventfd();
  ASSERT_EQ(vm_->assign_irqfd(efd.get(), kOtherGsi), 0);
  ASSERT_EQ(vm_->deassign_irqfd(efd.get(), kOtherGsi), 0);
  ASSERT_EQ(signal_eventfd(efd.get()), 0);
  EXPECT_FALSE(vm_->wait_for_pic_irr(kOtherGsi, 200)) << "a deassigned irqfd still injected";
  EXPECT_EQ(read_eventfd_count(efd.get()), 1) << "a deassigned irqfd still consumed the count";
}

TEST_F(IrqfdTest, OneEventfdTwoVmsIsBusyOrReachesBoth) {
  std::unique_ptr<Vm> vm_b = new_vm_with_irqchip();
  UniqueFd efd = make_eventfd();
  ASSERT_EQ(vm_->assign_irqfd(efd.get(), kGsi), 0);
  int second = vm_b->assign_irqfd(efd.get(), kGsi);
  if (second == -EBUSY) return;  // one binding per eventfd: the fixed behaviour
  ASSERT_EQ(second, 0) << "second bind: " << errno_name(second);
  // Both bindings were accepted, so one write must reach both VMs.
  ASSERT_EQ(signal_eventfd(efd.get()), 0);
  bool a = vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs);
  bool b = vm_b->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs);
  EXPECT_TRUE(a) << "VM A never saw the interrupt";
  EXPECT_TRUE(b) << "the second bind of one eventfd succeeded, but VM B never saw the "
                    "interrupt: the first irqfd's exclusive wake-up consumed it";
}

TEST_F(IrqfdTest, ClosingEventfdDetachesIrqfd) {
  UniqueFd efd = make_eventfd();
  ASSERT_EQ(vm_->assign_irqfd(efd.get(), kGsi), 0);
  int number = efd.get();
  ASSERT_EQ(efd.reset(), 0);
  // A new eventfd, very likely on the same fd number, binds the same GSI.
  UniqueFd again = make_eventfd();
  EXPECT_EQ(again.get(), number) << "(fd numbers differ; the test still holds)";
  EXPECT_RESULT(vm_->assign_irqfd(again.get(), kGsi), 0);
  ASSERT_EQ(signal_eventfd(again.get()), 0);
  EXPECT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs));
}

TEST_F(IrqfdTest, ClosingVmWithIrqfdsAssignedAndEventfdsOpen) {
  UniqueFd efds[4] = {make_eventfd(), make_eventfd(), make_eventfd(), make_eventfd()};
  UniqueFd resample = make_eventfd();
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(vm_->assign_irqfd(efds[i].get(), 3 + i, i == 3 ? resample.get() : -1), 0);
  ASSERT_EQ(vm_->close(), 0);
  // The VM is gone: writes must work and nobody may consume them.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(signal_eventfd(efds[i].get()), 0);
    int64_t count;
    while ((count = read_eventfd_count(efds[i].get())) != 1 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ASSERT_EQ(signal_eventfd(efds[i].get()), 0);
    }
    EXPECT_EQ(count, 1) << "eventfd " << i << " still drained after its VM was closed";
  }
}

TEST_F(IrqfdTest, ClosingVmAfterEventfdsWereClosed) {
  for (int i = 0; i < 4; ++i) {
    UniqueFd efd = make_eventfd();
    ASSERT_EQ(vm_->assign_irqfd(efd.get(), 3 + i), 0);
  }  // every eventfd closed while still assigned
  EXPECT_EQ(vm_->close(), 0);
}

}  // namespace
}  // namespace irqfd
