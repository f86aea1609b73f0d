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

namespace {

int get_pic(int vm_fd, uint32_t chip_id, kvm_irqchip* chip) {
  *chip = kvm_irqchip{};
  chip->chip_id = chip_id;
  return ::ioctl(vm_fd, KVM_GET_IRQCHIP, chip) == 0 ? 0 : -errno;
}

int set_pic(int vm_fd, kvm_irqchip* chip) {
  return ::ioctl(vm_fd, KVM_SET_IRQCHIP, chip) == 0 ? 0 : -errno;
}

}  // namespace

int pic_irr(int vm_fd) {
  kvm_irqchip master, slave;
  int r = get_pic(vm_fd, KVM_IRQCHIP_PIC_MASTER, &master);
  if (r == 0) r = get_pic(vm_fd, KVM_IRQCHIP_PIC_SLAVE, &slave);
  if (r != 0) return r;
  return master.chip.pic.irr | slave.chip.pic.irr << 8;
}

int clear_pic_irr(int vm_fd) {
  for (uint32_t id : {KVM_IRQCHIP_PIC_MASTER, KVM_IRQCHIP_PIC_SLAVE}) {
    kvm_irqchip chip;
    int r = get_pic(vm_fd, id, &chip);
    if (r != 0) return r;
    chip.chip.pic.irr = 0;
    // Edge detection: a line seen high would not latch its next rising edge.
    chip.chip.pic.last_irr = 0;
    if ((r = set_pic(vm_fd, &chip)) != 0) return r;
  }
  return 0;
}

int set_pic_level_triggered(int vm_fd, uint32_t gsi) {
  kvm_irqchip chip;
  int r = get_pic(vm_fd, gsi < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE, &chip);
  if (r != 0) return r;
  chip.chip.pic.elcr |= static_cast<uint8_t>(1u << (gsi % 8));
  return set_pic(vm_fd, &chip);
}

bool wait_for_pic_irr_bit(int vm_fd, uint32_t gsi, bool set, int timeout_ms) {
  // Injection runs from a workqueue after the eventfd wakeup: poll for it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int irr = pic_irr(vm_fd);
    if (irr >= 0 && ((irr >> gsi) & 1) == (set ? 1 : 0)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace irqfd
