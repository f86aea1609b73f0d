// KVM irqfd behaviour, one behaviour per test: assignment rules, delivery to
// the in-kernel PIC, what closing the eventfd or the VM does, and RESAMPLE's
// level-triggered line. Each test runs in its own process (isolate.h).
//
// Delivery is read from the PICs' IRR (KVM_GET_IRQCHIP). These VMs have no
// vCPU, so nothing acknowledges an interrupt: an edge-triggered bit stays
// set once raised, and a level-triggered bit (ELCR set) follows its line.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fixtures.h"
#include "kvm_vm.h"

namespace irqfd {
namespace {

// Master-PIC lines; 0 (timer) and 2 (cascade) are avoided.
constexpr uint32_t kGsi = 5;
constexpr uint32_t kOtherGsi = 6;
// How long a bit that must not rise is watched: an inject that was going
// to happen runs from a workqueue within milliseconds.
constexpr int kQuietMs = 200;

// A VM with an in-kernel irqchip, ready for KVM_IRQFD.
class IrqfdTest : public KvmFixture {
 protected:
  void SetUp() override {
    KvmFixture::SetUp();
    if (::testing::Test::HasFatalFailure() || ::testing::Test::IsSkipped()) return;
    vm_ = new_vm_with_irqchip();
  }
  int irr_bit(uint32_t gsi) {
    int irr = pic_irr(vm_->fd());
    EXPECT_GE(irr, 0) << "KVM_GET_IRQCHIP: " << errno_name(irr);
    return irr < 0 ? -1 : (irr >> gsi) & 1;
  }

  std::unique_ptr<Vm> vm_;
};

IRQFD_TEST_F(IrqfdTest, AssignThenDeassign) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
  // The pair can be bound again once the first binding is gone.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

IRQFD_TEST_F(IrqfdTest, DeassignOfNeverAssignedGsiIsHarmless) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

IRQFD_TEST_F(IrqfdTest, DoubleAssignInOneVmIsBusy) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), -EBUSY);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kOtherGsi), -EBUSY);
}

// On x86 kvm_arch_intc_initialized() is always true, so the refusal comes
// from kvm_arch_irqfd_allowed() (no in-kernel irqchip): EINVAL. EAGAIN is
// what arm64 returns before its vGIC is initialised.
IRQFD_TEST_F(IrqfdTest, BeforeIrqchipIsRefusedWithEinval) {
  Vm bare(kvm_.get());
  ASSERT_TRUE(bare.valid());
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(bare.assign_irqfd(efd.get(), kGsi), -EINVAL);
  EXPECT_RESULT(bare.assign_irqfd(efd.get(), kGsi, /*resample_fd=*/efd.get()), -EINVAL);
}

IRQFD_TEST_F(IrqfdTest, BadFdIsEbadf) {
  EXPECT_RESULT(vm_->assign_irqfd(-1, kGsi), -EBADF);
  EXPECT_RESULT(vm_->deassign_irqfd(-1, kGsi), -EBADF);
}

IRQFD_TEST_F(IrqfdTest, NonEventfdIsEinval) {
  EXPECT_RESULT(vm_->assign_irqfd(kvm_.get(), kGsi), -EINVAL);
}

IRQFD_TEST_F(IrqfdTest, ResampleWithResampleFd) {
  UniqueFd efd = make_eventfd(), resample = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, resample.get()), 0);
  EXPECT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
}

// KVM_IRQFD_FLAG_RESAMPLE with a resamplefd number that was just closed:
// refused, and nothing is left bound.
IRQFD_TEST_F(IrqfdTest, ResampleWithClosedResampleFdIsEbadf) {
  UniqueFd efd = make_eventfd(), gone = make_eventfd();
  int number = gone.get();
  ASSERT_RESULT(gone.reset(), 0);
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, number), -EBADF);
  // Nothing was left bound: EBUSY here would be the refused assign's irqfd.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

// A resamplefd that is a file but not an eventfd (here /dev/kvm).
IRQFD_TEST_F(IrqfdTest, ResampleWithNonEventfdResampleFdIsEinval) {
  UniqueFd efd = make_eventfd();
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, kvm_.get()), -EINVAL);
  // Nothing was left bound: EBUSY here would be the refused assign's irqfd.
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
}

IRQFD_TEST_F(IrqfdTest, DeliveryRaisesPicIrrAndConsumesCount) {
  UniqueFd efd = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  ASSERT_EQ(irr_bit(kGsi), 0) << "IRR bit set before any write";
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  EXPECT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs))
      << "eventfd write did not raise GSI " << kGsi << " in the PIC's IRR";
  EXPECT_EQ(read_eventfd_count(efd.get()), -EAGAIN) << "the irqfd did not consume the count";
}

// Deassign flushes the irqfd's shutdown (KVM_IRQFD returns with it off the
// eventfd's wait queue), so the very next write is nobody's: its count
// stays, and no IRR bit rises.
IRQFD_TEST_F(IrqfdTest, NoDeliveryAfterDeassign) {
  UniqueFd efd = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kOtherGsi), 0);
  ASSERT_RESULT(vm_->deassign_irqfd(efd.get(), kOtherGsi), 0);
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  EXPECT_EQ(read_eventfd_count(efd.get()), 1) << "a deassigned irqfd still consumed the count";
  EXPECT_FALSE(wait_for_pic_irr_bit(vm_->fd(), kOtherGsi, true, kQuietMs))
      << "a deassigned irqfd still injected GSI " << kOtherGsi;
}

// KVM_IRQFD_FLAG_DEASSIGN names the eventfd and the GSI: with another GSI it
// matches nothing, returns 0 and leaves the binding delivering.
IRQFD_TEST_F(IrqfdTest, DeassignWithWrongGsiKeepsBinding) {
  UniqueFd efd = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  ASSERT_RESULT(vm_->deassign_irqfd(efd.get(), kOtherGsi), 0);
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  EXPECT_EQ(read_eventfd_count(efd.get()), -EAGAIN)
      << "after a deassign with GSI " << kOtherGsi << ", the irqfd on GSI " << kGsi
      << " no longer consumes writes: the wrong-GSI deassign removed it";
  EXPECT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs))
      << "after a deassign with GSI " << kOtherGsi << ", GSI " << kGsi << " is not delivered";
  EXPECT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), -EBUSY);
}

// The series' rule (api.rst): an eventfd is bound to one irqfd, across all
// VMs. 6.12.117 lets the second VM bind it and then delivers every write
// to only one of the two (the exclusive priority waiter added last).
IRQFD_TEST_F(IrqfdTest, OneEventfdTwoVmsIsBusy) {
  std::unique_ptr<Vm> vm_b = new_vm_with_irqchip();
  UniqueFd efd = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi), 0);
  int second = vm_b->assign_irqfd(efd.get(), kGsi);
  if (second == 0) {
    // Say what the double binding does, so the failure explains itself.
    ASSERT_RESULT(signal_eventfd(efd.get()), 0);
    bool a = vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs);
    bool b = vm_b->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs);
    ADD_FAILURE() << "the eventfd bound in VM A was bound in VM B too (expected EBUSY); one "
                     "write then reached "
                  << (a && b ? "both VMs" : a ? "VM A only" : b ? "VM B only" : "neither VM");
    return;
  }
  EXPECT_RESULT(second, -EBUSY);
}

// A closed eventfd takes its irqfd with it (EPOLLHUP, then shutdown work).
// Observable through RESAMPLE: the irqfd holds its level-triggered line
// high, and the resampler lowers it once its last irqfd is shut down.
IRQFD_TEST_F(IrqfdTest, ClosingEventfdDetachesIrqfd) {
  ASSERT_RESULT(set_pic_level_triggered(vm_->fd(), kGsi), 0);
  UniqueFd efd = make_eventfd(), resample = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, resample.get()), 0);
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  ASSERT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs)) << "the write raised no line";
  ASSERT_RESULT(efd.reset(), 0);
  // The shutdown is queued from the wake-up, not flushed by close(): wait.
  EXPECT_TRUE(wait_for_pic_irr_bit(vm_->fd(), kGsi, false, kDeliveryTimeoutMs))
      << "GSI " << kGsi << " is still high " << kDeliveryTimeoutMs
      << " ms after its only irqfd's eventfd was closed: the irqfd was not detached";
}

// Closing the VM releases its irqfds before close() returns (the release
// flushes their shutdown): the very next write to each eventfd is nobody's.
IRQFD_TEST_F(IrqfdTest, ClosingVmDetachesIrqfdsBeforeCloseReturns) {
  UniqueFd efds[4] = {make_eventfd(), make_eventfd(), make_eventfd(), make_eventfd()};
  UniqueFd resample = make_eventfd();
  for (int i = 0; i < 4; ++i)
    ASSERT_RESULT(vm_->assign_irqfd(efds[i].get(), 3 + i, i == 3 ? resample.get() : -1), 0);
  ASSERT_RESULT(vm_->close(), 0);
  for (int i = 0; i < 4; ++i) {
    ASSERT_RESULT(signal_eventfd(efds[i].get()), 0);
    EXPECT_EQ(read_eventfd_count(efds[i].get()), 1)
        << "eventfd " << i << " (GSI " << 3 + i << (i == 3 ? ", RESAMPLE" : "")
        << ") was drained after close() of its VM returned";
  }
}

// RESAMPLE emulates a level-triggered interrupt: a write raises the line
// and it stays high until the guest acknowledges it (then the resampler
// lowers it and signals the resamplefd). That acknowledgement needs a vCPU
// (the PIC's ack notifier runs on the guest's EOI), so these tests cannot
// see the resamplefd signalled; they check the line, level-triggered in
// the PIC (ELCR bit set), where IRR follows the line.
class IrqfdResample : public IrqfdTest {
 protected:
  void SetUp() override {
    IrqfdTest::SetUp();
    if (::testing::Test::HasFatalFailure() || ::testing::Test::IsSkipped()) return;
    ASSERT_RESULT(set_pic_level_triggered(vm_->fd(), kGsi), 0);
  }
};

// A plain irqfd pulses its line (1 then 0); a RESAMPLE one holds it.
IRQFD_TEST_F(IrqfdResample, WriteHoldsLevelTriggeredLineHigh) {
  UniqueFd efd = make_eventfd(), resample = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, resample.get()), 0);
  ASSERT_EQ(irr_bit(kGsi), 0) << "line high before any write";
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  ASSERT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs)) << "the write raised no line";
  std::this_thread::sleep_for(std::chrono::milliseconds(kQuietMs));
  EXPECT_EQ(irr_bit(kGsi), 1) << "the level-triggered line fell without an EOI";
  EXPECT_EQ(read_eventfd_count(resample.get()), -EAGAIN)
      << "resamplefd signalled without any EOI";
}

// Deassign shuts the resampler down before it returns: the line is low at
// once.
IRQFD_TEST_F(IrqfdResample, DeassignLowersLine) {
  UniqueFd efd = make_eventfd(), resample = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(efd.get(), kGsi, resample.get()), 0);
  ASSERT_RESULT(signal_eventfd(efd.get()), 0);
  ASSERT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs)) << "the write raised no line";
  ASSERT_RESULT(vm_->deassign_irqfd(efd.get(), kGsi), 0);
  EXPECT_EQ(irr_bit(kGsi), 0) << "the line is still high after KVM_IRQFD deassign returned";
}

// One resampler per GSI serves every RESAMPLE irqfd on it: the line is
// lowered only when the last of them goes.
IRQFD_TEST_F(IrqfdResample, LineStaysHighUntilLastIrqfdOfGsiGoes) {
  UniqueFd a = make_eventfd(), b = make_eventfd(), resample = make_eventfd();
  ASSERT_RESULT(vm_->assign_irqfd(a.get(), kGsi, resample.get()), 0);
  ASSERT_RESULT(vm_->assign_irqfd(b.get(), kGsi, resample.get()), 0);
  ASSERT_RESULT(signal_eventfd(a.get()), 0);
  ASSERT_TRUE(vm_->wait_for_pic_irr(kGsi, kDeliveryTimeoutMs)) << "the write raised no line";
  ASSERT_RESULT(vm_->deassign_irqfd(b.get(), kGsi), 0);
  EXPECT_EQ(irr_bit(kGsi), 1) << "deassigning one of two RESAMPLE irqfds lowered the line";
  ASSERT_RESULT(vm_->deassign_irqfd(a.get(), kGsi), 0);
  EXPECT_EQ(irr_bit(kGsi), 0) << "the line is still high after its last irqfd was deassigned";
}

}  // namespace
}  // namespace irqfd
