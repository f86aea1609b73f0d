// Thin RAII wrappers over the KVM and eventfd system calls the irqfd tests
// use. Every call returns the raw result (0 or -errno) so that tests can
// assert the exact error a kernel gives.
#ifndef IRQFD_SELFTEST_KVM_VM_H
#define IRQFD_SELFTEST_KVM_VM_H

#include <cstdint>
#include <string>

namespace irqfd {

// An owned file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  // Closes the fd now (the close under test), returning close()'s result.
  int reset(int fd = -1);

 private:
  int fd_ = -1;
};

// -errno of the last failed call, for messages.
std::string errno_name(int negative_errno);

// /dev/kvm, or an invalid fd with err set to -errno.
UniqueFd open_kvm(int* err);

UniqueFd make_eventfd(unsigned flags = 0);
// Writes 1 to the eventfd; returns 0 or -errno.
int signal_eventfd(int efd);
// The eventfd's counter without blocking (EFD_NONBLOCK read); -EAGAIN when 0.
int64_t read_eventfd_count(int efd);

// KVM_IRQFD on raw fd numbers (the hammer races them against close/dup2 of
// those numbers); resample_fd >= 0 adds KVM_IRQFD_FLAG_RESAMPLE. 0 or -errno.
int irqfd_assign(int vm_fd, int efd, uint32_t gsi, int resample_fd = -1);
int irqfd_deassign(int vm_fd, int efd, uint32_t gsi);

// The PICs' interrupt request registers (KVM_GET_IRQCHIP): bit n is GSI n
// (the slave's IRR shifted up by 8), or -errno. Without a vCPU nothing ever
// acknowledges an interrupt, so a bit stays set until clear_pic_irr() or,
// for a level-triggered line, until the line is lowered.
int pic_irr(int vm_fd);
// Clears both IRRs (KVM_GET_IRQCHIP, then KVM_SET_IRQCHIP with irr 0): the
// next delivery shows as a new bit. 0 or -errno.
int clear_pic_irr(int vm_fd);
// Sets GSI gsi's ELCR bit (level-triggered) in its PIC. 0 or -errno.
int set_pic_level_triggered(int vm_fd, uint32_t gsi);
// Polls pic_irr() until bit gsi equals `set` or timeout_ms passes; returns
// whether it did.
bool wait_for_pic_irr_bit(int vm_fd, uint32_t gsi, bool set, int timeout_ms);

class Vm {
 public:
  // Creates a VM on the given /dev/kvm fd; valid() is false on failure.
  explicit Vm(int kvm_fd);
  bool valid() const { return fd_.valid(); }
  int error() const { return error_; }
  int fd() const { return fd_.get(); }

  int create_irqchip();
  // KVM_IRQFD assign (resample_fd >= 0 adds KVM_IRQFD_FLAG_RESAMPLE).
  int assign_irqfd(int efd, uint32_t gsi, int resample_fd = -1);
  int deassign_irqfd(int efd, uint32_t gsi);
  // The master PIC's interrupt request register (KVM_GET_IRQCHIP), or -errno.
  int pic_master_irr();
  // Polls the IRR until bit gsi is set or timeout_ms passes.
  bool wait_for_pic_irr(uint32_t gsi, int timeout_ms) {
    return wait_for_pic_irr_bit(fd(), gsi, true, timeout_ms);
  }
  // Closes the VM fd now.
  int close() { return fd_.reset(); }

 private:
  UniqueFd fd_;
  int error_ = 0;
};

}  // namespace irqfd

#endif
