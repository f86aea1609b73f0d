#include "kvm_vm.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace irqfd {

int UniqueFd::reset(int fd) {
  int r = 0;
  if (fd_ >= 0) r = ::close(fd_) == 0 ? 0 : -errno;
  fd_ = fd;
  return r;
}

std::string errno_name(int negative_errno) {
  int e = -negative_errno;
  const char* name = strerrorname_np(e);
  return std::string(name ? name : "E?") + " (" + std::strerror(e) + ")";
}

UniqueFd open_kvm(int* err) {
  int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  *err = fd < 0 ? -errno : 0;
  return UniqueFd(fd);
}

UniqueFd make_eventfd(unsigned flags) { return UniqueFd(::eventfd(0, EFD_CLOEXEC | flags)); }

int signal_eventfd(int efd) {
  uint64_t one = 1;
  return ::write(efd, &one, sizeof one) == sizeof one ? 0 : -errno;
}

int64_t read_eventfd_count(int efd) {
  int fl = fcntl(efd, F_GETFL);
  fcntl(efd, F_SETFL, fl | O_NONBLOCK);
  uint64_t v = 0;
  ssize_t n = ::read(efd, &v, sizeof v);
  int e = errno;
  fcntl(efd, F_SETFL, fl);
  if (n != sizeof v) return -e;
  return static_cast<int64_t>(v);
}

Vm::Vm(int kvm_fd) {
  int fd = ::ioctl(kvm_fd, KVM_CREATE_VM, 0);
  if (fd < 0) error_ = -errno;
  fd_.reset(fd);
}

int Vm::create_irqchip() { return ::ioctl(fd(), KVM_CREATE_IRQCHIP, 0) == 0 ? 0 : -errno; }

int irqfd_assign(int vm_fd, int efd, uint32_t gsi, int resample_fd) {
  kvm_irqfd req{};
  req.fd = static_cast<uint32_t>(efd);
  req.gsi = gsi;
  if (resample_fd >= 0) {
    req.flags = KVM_IRQFD_FLAG_RESAMPLE;
    req.resamplefd = static_cast<uint32_t>(resample_fd);
  }
  return ::ioctl(vm_fd, KVM_IRQFD, &req) == 0 ? 0 : -errno;
}

int irqfd_deassign(int vm_fd, int efd, uint32_t gsi) {
  kvm_irqfd req{};
  req.fd = static_cast<uint32_t>(efd);
  req.gsi = gsi;
  req.flags = KVM_IRQFD_FLAG_DEASSIGN;
  return ::ioctl(vm_fd, KVM_IRQFD, &req) == 0 ? 0 : -errno;
}

int Vm::assign_irqfd(int efd, uint32_t gsi, int resample_fd) {
  return irqfd_assign(fd(), efd, gsi, resample_fd);
}

int Vm::deassign_irqfd(int efd, uint32_t gsi) { return irqfd_deassign(fd(), efd, gsi); }

int Vm::pic_master_irr() {
  kvm_irqchip chip{};
  chip.chip_id = KVM_IRQCHIP_PIC_MASTER;
  if (::ioctl(fd(), KVM_GET_IRQCHIP, &chip) != 0) return -errno;
  return chip.chip.pic.irr;
}

bool Vm::wait_for_pic_irr(uint32_t gsi, int timeout_ms) {
  // Injection runs from a workqueue after the eventfd wakeup: poll for it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int irr = pic_master_irr();
    if (irr >= 0 && (irr & (1 << gsi))) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace irqfd
