// One hand-made log per report class, in the format a 6.12 kernel prints,
// using the irqfd paths this rig exists to exercise.
#include <gtest/gtest.h>

#include "log_builder.h"
#include "splatscan/scanner.h"
#include "splatscan/rules.h"

namespace splatscan {
namespace {

using testing::LogBuilder;

// The reports found in log, which must hold exactly one.
Report only_report(const std::string& log) {
  std::vector<Report> reports = scan_text(log);
  EXPECT_EQ(reports.size(), 1u) << "log:\n" << log;
  if (reports.empty()) return {};
  for (const Report& r : reports) EXPECT_FALSE(r.corrupted) << r.title;
  return reports.front();
}

// Frames that every task-context trace ends with.
const std::initializer_list<std::string_view> kSyscallTail = {
    " __x64_sys_ioctl+0x19a/0x210",
    " do_syscall_64+0xbb/0x1d0",
    " entry_SYSCALL_64_after_hwframe+0x77/0x7f",
    "RIP: 0033:0x4a9c7b",
    " </TASK>",
};

// The title of a kmemleak report whose backtrace holds these frames.
std::string leak_title(std::initializer_list<std::string_view> backtrace) {
  LogBuilder log;
  log.add("T300", {"BUG: memory leak", "unreferenced object 0xffff88800c1d2e00 (size 192):",
                   "  backtrace (crc 1b2c3d4e):"});
  log.add("T300", backtrace);
  return only_report(log.str()).title;
}

void add_kasan(LogBuilder& log, std::string_view bug, std::string_view access) {
  log.add("T123", {"==================================================================",
                   bug, access,
                   "",
                   "CPU: 1 UID: 0 PID: 123 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                   "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)",
                   "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                   " print_report+0xcb/0x620", " kasan_report+0xbd/0xf0",
                   " __asan_load8+0x81/0xb0",
                   " eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
                   " irqfd_shutdown+0x5a/0x1b0", " process_one_work+0x5f1/0xe70",
                   " worker_thread+0x5a3/0xd40", " kthread+0x2b9/0x380",
                   " ret_from_fork+0x3c/0x60", " </TASK>", "",
                   "Allocated by task 120:", " kasan_save_stack+0x33/0x60",
                   " __kasan_kmalloc+0x8f/0xa0", " eventfd_fget+0x5d/0x130",
                   "Freed by task 121:", " kfree+0x11e/0x480", " eventfd_release+0x3c/0x50",
                   " __fput+0x21b/0x8b0",
                   "The buggy address belongs to the object at ffff888004a1c2c0",
                   "=================================================================="});
}

TEST(Classes, KasanSlabUseAfterFree) {
  LogBuilder log;
  log.chatter(5);
  add_kasan(log, "BUG: KASAN: slab-use-after-free in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
            "Read of size 8 at addr ffff888004a1c2e8 by task kworker/1:2/123");
  log.chatter(3);
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "KASAN: slab-use-after-free Read in eventfd_ctx_remove_wait_queue");
  EXPECT_EQ(r.kind, "KASAN-USE-AFTER-FREE-READ");
  EXPECT_EQ(r.line, 6u) << "starts at the opening separator";
  EXPECT_LT(r.text.find("] ====="), r.text.find("BUG: KASAN")) << r.text.substr(0, 160);
  EXPECT_NE(r.text.find("The buggy address"), std::string::npos) << "cut before its end";
  EXPECT_EQ(r.text.find("link up"), std::string::npos) << "chatter after the end included";
}

TEST(Classes, KasanOutOfBoundsWrite) {
  LogBuilder log;
  add_kasan(log, "BUG: KASAN: slab-out-of-bounds in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
            "Write of size 4 at addr ffff888004a1c2e8 by task irqfd_selftest/123");
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "KASAN: slab-out-of-bounds Write in eventfd_ctx_remove_wait_queue");
  EXPECT_EQ(r.kind, "KASAN-WRITE");
}

TEST(Classes, KasanDoubleFreeAndInvalidFree) {
  for (std::string_view type : {"double-free", "invalid-free"}) {
    LogBuilder log;
    std::string bug = "BUG: KASAN: " + std::string(type) + " in eventfd_ctx_put+0x2e/0x1a0";
    add_kasan(log, bug, "");
    Report r = only_report(log.str());
    // syzbot titles every bad free "invalid-free", whatever KASAN called it,
    // after the function the header names.
    EXPECT_EQ(r.title, "KASAN: invalid-free in eventfd_ctx_put");
    EXPECT_EQ(r.kind, "KASAN-INVALID-FREE");
  }
}

// When the header names a skip word (__memcpy), the title comes from the
// frames below "Call trace:" past the skip words alone, as syzkaller reads
// them: an arm64 tag fault is named after the fault handler's do_bad_area,
// whatever file it comes from, as syzbot names it.
TEST(Classes, KasanPastASkippedHeaderFunctionIsNamedBySyzkallersStepsAlone) {
  LogBuilder log;
  log.add("T140", {"==================================================================",
                   "BUG: KASAN: invalid-access in __memcpy+0xc/0x54 arch/arm64/lib/memcpy.S:250",
                   "Write at addr fcff8000832951b8 by task irqfd_selftest/140",
                   "Pointer tag: [fc], memory tag: [fe]", "",
                   "CPU: 1 UID: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                   "Hardware name: linux,dummy-virt (DT)", "Call trace:",
                   " show_stack+0x18/0x24 arch/arm64/kernel/stacktrace.c:499 (C)",
                   " dump_stack_lvl+0x78/0x90 lib/dump_stack.c:120",
                   " print_report+0x108/0x61c mm/kasan/report.c:482",
                   " kasan_report+0x88/0xac mm/kasan/report.c:595",
                   " __do_kernel_fault+0x170/0x1c8 arch/arm64/mm/fault.c:380",
                   " do_bad_area+0x68/0x78 arch/arm64/mm/fault.c:480",
                   " do_tag_check_fault+0x34/0x44 arch/arm64/mm/fault.c:853",
                   " do_mem_abort+0x44/0x94 arch/arm64/mm/fault.c:929",
                   " el1_abort+0x44/0x68 arch/arm64/kernel/entry-common.c:325",
                   " el1h_64_sync_handler+0x50/0xac arch/arm64/kernel/entry-common.c:459",
                   " el1h_64_sync+0x6c/0x70 arch/arm64/kernel/entry.S:591",
                   " __memcpy+0xc/0x54 arch/arm64/lib/memcpy.S:250 (P)",
                   " irqfd_resampler_ack+0x694/0xb28 virt/kvm/eventfd.c:78",
                   " kvm_notify_acked_gsi+0x88/0x120 virt/kvm/eventfd.c:512", "",
                   "=================================================================="});
  EXPECT_EQ(only_report(log.str()).title, "KASAN: invalid-access Write in do_bad_area");
}

TEST(Classes, KasanNullPtrDerefAndWildAccess) {
  LogBuilder log;
  add_kasan(log, "BUG: KASAN: null-ptr-deref in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
            "Read of size 8 at addr 0000000000000010 by task irqfd_selftest/123");
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "KASAN: null-ptr-deref Read in eventfd_ctx_remove_wait_queue");
  EXPECT_EQ(r.kind, "KASAN-NULL-POINTER-DEREFERENCE-READ");

  LogBuilder wild;
  add_kasan(wild, "BUG: KASAN: wild-memory-access in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
            "Write of size 8 at addr dead000000000108 by task irqfd_selftest/123");
  r = only_report(wild.str());
  EXPECT_EQ(r.title, "KASAN: wild-memory-access Write in eventfd_ctx_remove_wait_queue");
}

TEST(Classes, GeneralProtectionFaultWithKasanRange) {
  // KASAN's "null-ptr-deref in range" line under a gpf says where the
  // pointer pointed; syzbot still titles the report a gpf (as late as
  // 6.17, "general protection fault in ocfs2_evict_inode (2)").
  LogBuilder log;
  log.add("T77", {"Oops: general protection fault, probably for non-canonical address "
                  "0xdffffc0000000002: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                  "KASAN: null-ptr-deref in range [0x0000000000000010-0x0000000000000017]",
                  "CPU: 0 UID: 0 PID: 77 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "RIP: 0010:irqfd_deactivate+0x4b/0x2a0",
                  "Code: 48 89 fa 48 c1 ea 03 80 3c 02 00",
                  "Call Trace:", " <TASK>", " irqfd_wakeup+0x3f1/0x5b0",
                  " __wake_up_common+0x13a/0x200", " eventfd_release+0x63/0x110",
                  " __fput+0x21b/0x8b0", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "general protection fault in irqfd_deactivate");
  EXPECT_EQ(r.kind, "DoS");

  LogBuilder plain;
  plain.add("T77", {"general protection fault, probably for non-canonical address "
                    "0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI",
                    "RIP: 0010:irqfd_deactivate+0x4b/0x2a0", "Call Trace:", " <TASK>",
                    " irqfd_wakeup+0x3f1/0x5b0", " </TASK>",
                    "---[ end trace 0000000000000000 ]---"});
  r = only_report(plain.str());
  EXPECT_EQ(r.title, "general protection fault in irqfd_deactivate");
  EXPECT_EQ(r.kind, "DoS");
}

TEST(Classes, Kfence) {
  LogBuilder log;
  log.add("T9", {"==================================================================",
                 "BUG: KFENCE: use-after-free read in irqfd_wakeup+0x55/0x5b0", "",
                 "Use-after-free read at 0x00000000c0ffee00 (in kfence-#12):",
                 " irqfd_wakeup+0x55/0x5b0", " __wake_up_common+0x13a/0x200",
                 " eventfd_write+0x2bf/0x4a0", "",
                 "kfence-#12: 0x00000000c0ffee00-0x00000000c0ffee7f, size=128, cache=kmalloc-128",
                 "==================================================================",});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "KFENCE: use-after-free read in irqfd_wakeup");
  EXPECT_EQ(r.kind, "KFENCE-USE-AFTER-FREE-READ");
}

TEST(Classes, Ubsan) {
  LogBuilder log;
  log.add("T9", {"------------[ cut here ]------------",
                 "UBSAN: array-index-out-of-bounds in arch/x86/kvm/irq_comm.c:52:17",
                 "index 1024 is out of range for type 'struct kvm_kernel_irq_routing_entry [1024]'",
                 "CPU: 0 UID: 0 PID: 9 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                 " __ubsan_handle_out_of_bounds+0x11a/0x160",
                 " kvm_set_msi_irq+0x21c/0x230", " irqfd_inject+0x8a/0x130", " </TASK>",
                 "---[ end trace ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "UBSAN: array-index-out-of-bounds in kvm_set_msi_irq");
}

void add_lockdep(LogBuilder& log, std::string_view headline,
                 std::initializer_list<std::string_view> backtrace) {
  log.add("T55", {"", "======================================================", headline,
                  "6.12.117 #1 Not tainted",
                  "------------------------------------------------------",
                  "irqfd_selftest/55 is trying to acquire lock:",
                  "ffff88800b4d8a18 (&kvm->irqfds.lock){+.+.}-{2:2}, at: irqfd_wakeup+0x1c9/0x5b0",
                  "", "other info that might help us debug this:", "",
                  "stack backtrace:",
                  "CPU: 1 UID: 0 PID: 55 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80"});
  // lockdep's own frames under the report, as each kind of report prints
  // them (symbolised: the checks inlined into mark_lock).
  if (headline == "WARNING: inconsistent lock state")
    log.add("T55", {" print_usage_bug kernel/locking/lockdep.c:4000 [inline]",
                    " valid_state kernel/locking/lockdep.c:4012 [inline]",
                    " mark_lock_irq kernel/locking/lockdep.c:4213 [inline]",
                    " mark_lock+0x1d2/0x3b0 kernel/locking/lockdep.c:4669"});
  else
    log.add("T55", {" print_circular_bug+0x2d5/0x420", " check_noncircular+0x2f3/0x3c0"});
  log.add("T55", {" __lock_acquire+0x2a1b/0x3f20", " lock_acquire+0x1b4/0x500",
                  " _raw_spin_lock+0x2f/0x40"});
  log.add("T55", backtrace);
  log.add("T55", kSyscallTail);
}

TEST(Classes, IrqLockInversionIsNamedWhereTheLockChangedState) {
  // Named after the lock site printed under "just changed the state of
  // lock", whatever function it is, as syzbot names it; a symbolised log
  // repeats the line for each inlined function first.
  LogBuilder log;
  log.add("T55", {"========================================================",
                  "WARNING: possible irq lock inversion dependency detected",
                  "6.12.117 #1 Not tainted",
                  "--------------------------------------------------------",
                  "irqfd_selftest/55 just changed the state of lock:",
                  "ffff88800b4d8a18 (&kvm->irqfds.lock){+.-.}-{2:2}, at: spin_lock include/linux/spinlock.h:351 [inline]",
                  "ffff88800b4d8a18 (&kvm->irqfds.lock){+.-.}-{2:2}, at: irqfd_wakeup+0x1c9/0x5b0 virt/kvm/eventfd.c:200",
                  "but this lock was taken by another, HARDIRQ-safe lock in the past:",
                  " (&ctx->wqh){-...}-{2:2}", "", "stack backtrace:",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                  " mark_lock+0x1d2/0x3b0", " __lock_acquire+0x2a1b/0x3f20",
                  " lock_acquire+0x1b4/0x500", " _raw_spin_lock+0x2f/0x40",
                  " eventfd_signal_mask+0x107/0x1b0", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "possible deadlock in irqfd_wakeup");
}

TEST(Classes, InconsistentLockStateNamesLockdepsValidStateWhenItIsAFrame) {
  // Newer kernels print valid_state() out of line. syzkaller titles the
  // report after the first frame below "Call Trace:" its skip words leave,
  // and none names valid_state, so neither does its file here.
  LogBuilder log;
  log.add("T55", {"================================", "WARNING: inconsistent lock state",
                  "6.12.117 #1 Not tainted", "--------------------------------",
                  "inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.",
                  "irqfd_selftest/55 [HC1[1]:SC0[0]:HE0:SE1] takes:",
                  "ffff88800b4d8a18 (&kvm->irqfds.lock){?.+.}-{2:2}, at: irqfd_wakeup+0x1c9/0x5b0 virt/kvm/eventfd.c:200",
                  "", "stack backtrace:", "Call Trace:", " <IRQ>",
                  " dump_stack_lvl+0x241/0x360 lib/dump_stack.c:120",
                  " valid_state+0x13a/0x1c0 kernel/locking/lockdep.c:4012",
                  " mark_lock+0x223/0x350 kernel/locking/lockdep.c:4669",
                  " __lock_acquire+0xb8e/0x1fd0 kernel/locking/lockdep.c:5091",
                  " lock_acquire+0x1ed/0x550 kernel/locking/lockdep.c:5754",
                  " irqfd_wakeup+0x1c9/0x5b0 virt/kvm/eventfd.c:200", " </IRQ>"});
  EXPECT_EQ(only_report(log.str()).title, "inconsistent lock state in valid_state");
}

TEST(Classes, OldInconsistentLockStateIsNamedByTheLockSiteItTakes) {
  // Kernels before 4.9 frame the headline in brackets and print the lock
  // site with its address; syzkaller reads that site, not the trace.
  LogBuilder log;
  log.add("C0", {"=================================", "[ INFO: inconsistent lock state ]",
                 "4.4.0 #1 Not tainted", "---------------------------------",
                 "inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.",
                 "irqfd_selftest/55 [HC0[0]:SC1[1]:HE1:SE0] takes:",
                 " (&kvm->irqfds.lock){+.?.}, at: [<ffffffff812b2934>] irqfd_wakeup+0x1c9/0x5b0",
                 "{SOFTIRQ-ON-W} state was registered at:", "", "stack backtrace:",
                 "Call Trace:", " [<ffffffff81000001>] dump_stack+0x5d/0x80",
                 " [<ffffffff81000002>] mark_lock+0x1d2/0x3b0",
                 " [<ffffffff81000003>] __lock_acquire+0x2a1b/0x3f20",
                 " [<ffffffff81000004>] eventfd_signal_mask+0x107/0x1b0"});
  EXPECT_EQ(only_report(log.str()).title, "inconsistent lock state in irqfd_wakeup");
}

TEST(Classes, OldLockdepHeadlineIsKnownByItsWordsWithoutItsBrackets) {
  // "[ INFO: ... ]" merged into another task's line, or with a bracket
  // lost, is still the lock-order report syzkaller finds by its words.
  for (std::string_view headline :
       {"[ INFO: possible recursive locking detected ]",
        "syz-executor0: [ INFO: possible recursive locking detected ]",
        "[ INFO: possible recursive locking detected", "INFO: possible recursive locking detected ]",
        "[ INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"}) {
    LogBuilder log;
    log.add("C0", {"=============================================", headline,
                   "4.4.0 #1 Not tainted", "---------------------------------------------",
                   "irqfd_selftest/55 is trying to acquire lock:",
                   " (&kvm->irqfds.lock){+.+.}, at: [<ffffffff812b2934>] irqfd_wakeup+0x1c9/0x5b0",
                   "", "but task is already holding lock:",
                   " (&ctx->wqh){+.+.}, at: [<ffffffff812b1000>] eventfd_signal_mask+0x10/0x1b0",
                   "stack backtrace:", "Call Trace:",
                   " [<ffffffff81000001>] dump_stack+0x5d/0x80",
                   " [<ffffffff81000004>] eventfd_signal_mask+0x107/0x1b0"});
    std::vector<Report> reports = scan_text(log.str());
    ASSERT_FALSE(reports.empty()) << headline;
    EXPECT_EQ(reports[0].title, "possible deadlock in irqfd_wakeup") << headline;
  }
}

TEST(Classes, CircularDependencyIsNamedByTheLockSitesInSyzkallersSteps) {
  // The new lock's site, else the held lock's (the first "at:" line with an
  // offset; a symboliser's inlined notes have none), else the chains: each
  // unless one of syzkaller's skip words names it. Scheduler and wakeup
  // functions are no skip words.
  LogBuilder log;
  log.add("T31", {"======================================================",
                  "WARNING: possible circular locking dependency detected",
                  "6.12.117 #1 Not tainted",
                  "------------------------------------------------------",
                  "irqfd_selftest/31 is trying to acquire lock:",
                  "ffff8000865271b8 ((console_sem).lock){-.-.}-{2:2}, at: down_trylock+0x18/0x80 "
                  "kernel/locking/semaphore.c:139",
                  "", "but task is already holding lock:",
                  "ffff00006a8dd758 (&rq->__lock){-.-.}-{2:2}, at: raw_spin_rq_lock_nested "
                  "kernel/sched/core.c:558 [inline]",
                  "ffff00006a8dd758 (&rq->__lock){-.-.}-{2:2}, at: __schedule+0x268/0x2ae4 "
                  "kernel/sched/core.c:6612",
                  "", "which lock already depends on the new lock.", "",
                  "-> #1 (&rq->__lock){-.-.}-{2:2}:",
                  "       _raw_spin_lock_nested+0x50/0x6c kernel/locking/spinlock.c:378",
                  "       task_fork_fair+0x70/0x13c kernel/sched/fair.c:12416", ""});
  EXPECT_EQ(only_report(log.str()).title, "possible deadlock in __schedule");
}

TEST(Classes, LockdepClasses) {
  struct Case {
    std::string_view headline;
    std::string_view title;
  } cases[] = {
      {"WARNING: possible circular locking dependency detected", "possible deadlock in irqfd_wakeup"},
      {"WARNING: possible recursive locking detected", "possible deadlock in irqfd_wakeup"},
      {"WARNING: inconsistent lock state", "inconsistent lock state in irqfd_wakeup"},
      {"WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage in irqfd_wakeup"},
      {"WARNING: held lock freed!", "WARNING: held lock freed in irqfd_wakeup"},
      {"WARNING: bad unlock balance detected!", "WARNING: bad unlock balance in irqfd_wakeup"},
      {"WARNING: lock held when returning to user space!",
       "WARNING: lock held when returning to user space in irqfd_wakeup"},
  };
  for (const Case& c : cases) {
    LogBuilder log;
    add_lockdep(log, c.headline,
                {" irqfd_wakeup+0x1c9/0x5b0", " __wake_up_common+0x13a/0x200",
                 " eventfd_signal_mask+0x107/0x1b0", " kvm_vm_ioctl+0x12ab/0x2300"});
    Report r = only_report(log.str());
    EXPECT_EQ(r.title, c.title) << c.headline;
    EXPECT_EQ(r.kind, "LOCKDEP") << c.headline;
  }
}

// A held lock freed is named where that lock was taken, as printed, even
// in the workqueue code the trace readers pass over (syzkaller's format
// takes the first "at:" line and skips nothing).
TEST(Classes, HeldLockFreedIsNamedAtTheLockSiteAsPrinted) {
  LogBuilder log;
  log.add("T28", {"=========================", "WARNING: held lock freed!",
                  "6.12.117 #1 Not tainted", "-------------------------",
                  "kworker/1:2/28 is freeing memory ffff888004a1c2c0-ffff888004a1c3bf, with a lock still held there!",
                  "ffff88801ac80948 ((wq_completion)kvm-irqfd-cleanup){+.+.}-{0:0}, at: process_one_work+0x12cd/0x1b30 kernel/workqueue.c:3204",
                  "2 locks held by kworker/1:2/28:",
                  " #0: ffff88801ac80948 ((wq_completion)kvm-irqfd-cleanup){+.+.}-{0:0}, at: process_one_work+0x12cd/0x1b30",
                  "", "stack backtrace:",
                  "CPU: 1 UID: 0 PID: 28 Comm: kworker/1:2 Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x116/0x1f0",
                  " debug_check_no_locks_freed+0x208/0x2b0", " kfree+0x11e/0x480",
                  " irqfd_shutdown+0x10f/0x1b0", " process_one_work+0x958/0x1b30", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "WARNING: held lock freed in process_one_work");
}

TEST(Classes, WarningBetweenCutHereAndEndTrace) {
  LogBuilder log;
  log.chatter(2);
  log.add("T31", {"------------[ cut here ]------------",
                  "WARNING: CPU: 1 PID: 31 at virt/kvm/eventfd.c:371 kvm_irqfd_assign+0x8d2/0x1200",
                  "Modules linked in:",
                  "CPU: 1 UID: 0 PID: 31 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "RIP: 0010:kvm_irqfd_assign+0x8d2/0x1200", "Call Trace:", " <TASK>",
                  " ? __warn+0xea/0x2c0", " ? report_bug+0x2f8/0x4d0",
                  " kvm_irqfd+0x11e/0x150", " kvm_vm_ioctl+0x12ab/0x2300"});
  log.add("T31", kSyscallTail);
  log.add("T31", {"irq event stamp: 1234", "---[ end trace 0000000000000000 ]---"});
  log.chatter(2);
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "WARNING in kvm_irqfd_assign");
  EXPECT_EQ(r.kind, "WARNING");
  EXPECT_EQ(r.line, 3u) << "starts at cut here";
  EXPECT_NE(r.text.find("end trace"), std::string::npos);
}

TEST(Frames, HelpersFromLibraryAndRuntimeFilesAreNotTheCulprit) {
  // A symbolised memory leak, read by this project's own reader: the
  // allocation went through a lib/ helper no name table lists and a
  // lockdep function no table lists either; the file says what they are,
  // so the title names the driver that called them.
  EXPECT_EQ(leak_title({"    kmemleak_alloc+0x4a/0x80 mm/kmemleak.c:1000",
                        "    xa_frob_node+0x8d2/0x1200 lib/xarray.c:1234",
                        "    lock_frob_class+0x1/0x2 kernel/locking/lockdep.c:77",
                        "    kvm_irqfd_assign+0x11e/0x150 virt/kvm/eventfd.c:371",
                        "    kvm_irqfd+0x11e/0x150 virt/kvm/eventfd.c:600"}),
            "memory leak in kvm_irqfd_assign");
}

TEST(Frames, AnyRuntimeFileIsPassedOver) {
  // The same reader, through a KASAN runtime function, a printk helper and
  // a radix-tree walker no table names: each is passed over by its file.
  EXPECT_EQ(leak_title({"    frob_check+0x8d/0x120 mm/kasan/frob.c:77",
                        "    frob_print+0x1/0x2 kernel/printk/frob.c:120",
                        "    radix_frob_walk+0x1/0x2 lib/radix-tree.c:30",
                        "    kvm_irqfd_assign+0x11e/0x150 virt/kvm/eventfd.c:371",
                        "    kvm_irqfd+0x11e/0x150 virt/kvm/eventfd.c:600"}),
            "memory leak in kvm_irqfd_assign");
}

TEST(Frames, FaultIsNamedFromTheRipLineAndTraceBySkipWordsAlone) {
  // A gpf is read in syzkaller's steps (RIP line, "Call Trace:", frames),
  // passing over skip words only: strcmp faulted and is a skip word, so its
  // caller, a lockdep function, is the title (syzbot: "general protection
  // fault in count_matching_names"), not the timer dispatcher the file rule
  // would reach.
  LogBuilder log;
  log.add("C0", {"Oops: general protection fault, probably for non-canonical address "
                 "0xdffffc0000000060: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                 "CPU: 0 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:strcmp+0x42/0xa0 lib/string.c:277", "Call Trace:", " <IRQ>",
                 " count_matching_names+0xfa/0x1c0 kernel/locking/lockdep.c:877",
                 " register_lock_class+0x450/0x980 kernel/locking/lockdep.c:1342",
                 " __lock_acquire+0xf3/0x2100 kernel/locking/lockdep.c:5103",
                 " lock_acquire+0x1ed/0x550 kernel/locking/lockdep.c:5851",
                 " call_timer_fn+0xdd/0x650 kernel/time/timer.c:1786",
                 " run_timer_softirq+0xb7/0x170 kernel/time/timer.c:2445",
                 " sysvec_apic_timer_interrupt+0xa6/0xc0 arch/x86/kernel/apic/apic.c:1049",
                 " </IRQ>", "---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(log.str()).title, "general protection fault in count_matching_names");
}

TEST(Frames, LibraryAndDispatchFilesDoNotHideTheFrameSyzkallerNames) {
  // The readers that follow syzkaller's steps (a WARN trap here) pass a
  // frame over by syzkaller's skip words only, never by its file: a WARN in
  // a lib/ file no table names is titled after that function, as syzbot
  // titles them (suspicious RCU usage in mas_walk, lib/maple_tree.c;
  // ODEBUG bug in delete_node, lib/radix-tree.c).
  LogBuilder log;
  log.add("T31", {"------------[ cut here ]------------",
                  "WARNING: CPU: 1 PID: 31 at lib/frobnicate.c:77 frob_check+0x8d/0x120",
                  "RIP: 0010:frob_check+0x8d/0x120 lib/frobnicate.c:77", "Call Trace:",
                  " <TASK>", " queue_frob_on+0x1/0x2 kernel/workqueue.c:2400",
                  " kvm_irqfd_assign+0x11e/0x150 virt/kvm/eventfd.c:371",
                  " kvm_irqfd+0x11e/0x150 virt/kvm/eventfd.c:600"});
  log.add("T31", kSyscallTail);
  log.add("T31", {"---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(log.str()).title, "WARNING in frob_check");
}

TEST(Frames, NamesNearASkipWordButNotOnItAreKept) {
  // syzkaller passes over hex_dump_to_buffer and print_hex_dump, and
  // reacquire_held_locks and mark_held_locks, not every name holding
  // "hex_dump" or "held_locks".
  for (std::string_view func : {"seq_hex_dump", "print_held_locks_bug"}) {
    LogBuilder log;
    log.add("T31", {"------------[ cut here ]------------",
                    "WARNING: CPU: 1 PID: 31 at fs/seq_file.c:77 " + std::string(func) + "+0x8d/0x120",
                    "RIP: 0010:" + std::string(func) + "+0x8d/0x120", "Call Trace:", " <TASK>",
                    " kvm_irqfd_assign+0x11e/0x150"});
    log.add("T31", kSyscallTail);
    log.add("T31", {"---[ end trace 0000000000000000 ]---"});
    EXPECT_EQ(only_report(log.str()).title, "WARNING in " + std::string(func));
  }
}

TEST(Frames, EverySyzkallerSkipWordIsPassedOver) {
  // One function name for each entry of syzkaller's common skip list
  // (linuxStackParams.skipPatterns in pkg/report/linux.go; a regular
  // expression is represented by a name it matches). A sleeping-in-atomic
  // report is named after the first frame below "Call Trace:" that no skip
  // word names, so each of these must give way to its caller.
  static constexpr std::string_view kNames[] = {
      "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
      "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
      "read_once_word_nocheck", "print_address_description", "panic", "invalid_op", "report_bug",
      "fixup_bug", "print_report", "print_usage_bug", "do_error", "do_trap", "foo_trap",
      "show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc",
      "warn_bogus", "__warn", "alloc_page", "kvmalloc", "kzalloc", "kcalloc", "kmalloc",
      "krealloc", "kmem_cache", "allocate_slab", "__alloc_frozen_pages_noprof", "folio_alloc",
      "folio_unlock", "filemap_alloc_folio", "__filemap_get_folio", "find_or_create_page",
      "do_read_cache_folio", "read_cache_page", "pagecache_get_page",
      "grab_cache_page_write_begin", "slab_", "debug_object", "timer_is_static_object",
      "work_is_static_object", "__might_fault", "print_unlock", "imbalance_bug", "lockdep",
      "bh_enable", "bh_disable", "perf_trace", "lock_acquire", "lock_release", "lock_class",
      "mark_lock", "reacquire_held_locks", "mark_held_locks", "raw_spin_rq", "spin_lock",
      "spin_trylock", "spin_unlock", "read_lock", "read_trylock", "write_lock", "write_trylock",
      "read_unlock", "write_unlock", "down", "down_read", "down_write", "down_read_trylock",
      "down_write_trylock", "down_trylock", "up_read", "up_write", "mutex_lock", "__mutex_lock",
      "rt_mutex_lock", "owner_on_cpu", "osq_lock", "osq_unlock", "atomic_dec", "atomic64_add",
      "atomic_try_cmpxchg", "set_bit", "clear_bit", "change_bit", "test_bit", "__wake_up",
      "refcount_inc", "kref_put", "ref_tracker", "seqprop_assert", "memcpy", "memcmp", "memset",
      "memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy", "strlcpy", "strncpy",
      "strscpy", "strlen", "strstr", "strnstr", "strnlen", "strchr", "strdup", "strndup",
      "copy_to_user", "copy_from_user", "copy_to_iter", "copy_from_iter", "copy_page_to_iter",
      "copy_page_from_iter", "copy_folio_to_iter", "copyin", "copyout", "put_user", "get_user",
      "might_fault", "might_sleep", "list_add", "list_del", "list_replace", "list_move",
      "list_splice", "rb_insert", "__rb_erase", "__x86_indirect_thunk_rax", "string", "pointer",
      "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk", "va_format", "dev_info",
      "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit", "dev_emerg",
      "program_check_exception", "program_check_common", "del_timer", "flush_work",
      "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue",
      "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait", "kthread_stop",
      "kobject_put", "add_uevent_var", "get_device_parent", "device_add", "device_del",
      "device_unregister", "device_destroy", "device_release", "devres_release_all",
      "hwrng_unregister", "i2c_del_adapter", "__unregister_client", "device_for_each_child",
      "rollback_registered", "unregister_netdev", "sysfs_remove", "device_remove_file",
      "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs",
      "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb", "complete",
      "wait_for_completion", "kfree", "kvfree", "kfree_skb", "readb", "readw", "readl", "readq",
      "writeb", "writew", "writel", "writeq", "logic_in", "logic_out", "crc32", "crc_itu_t",
      "__might_resched", "assertfail", "iput", "iput_final", "ihold", "hex_dump_to_buffer",
      "print_hex_dump", "klist_next", "trace_hardirqs_on", "lockdep_softirqs_on", "lock_page",
      "unlock_page", "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save",
      "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
      "do_kernel_fault", "do_translation_fault", "do_mem_abort", "el1_abort", "el1h_64_sync",
      "el1h_64_sync_handler", "print_tainted", "xas_start", "xas_load", "xas_find",
      "find_lock_entries", "truncate_inode_pages_range", "__phys_addr", "__fortify_report",
      "cleanup_srcu_struct", "rhashtable_lookup", "extract_user_to_sg", "extract_iter_to_sg",
      "drop_nlink", "get_taint", "put_device", "lock_timer_base", "__timer_delete_sync",
      "sk_stop_timer_sync", "__mod_timer", "fast_dput", "dput"};
  for (std::string_view name : kNames) {
    LogBuilder log;
    log.add("T7", {"BUG: sleeping function called from invalid context at x.c:1", "Call Trace:",
                   " <TASK>"});
    log.add_line("T7", " " + std::string(name) + "+0x1/0x2");
    log.add("T7", {" the_caller+0x1/0x2", " </TASK>"});
    EXPECT_EQ(only_report(log.str()).title,
              "BUG: sleeping function called from invalid context in the_caller")
        << name;
  }
}

TEST(Frames, NamedHelpersAreNotTheCulprit) {
  // Helpers syzbot passes over, unsymbolised (no file to go by). Its
  // common skip words name these; idr_get_free and __task_rq_lock are
  // passed over only where a class's own list names them (a leak's
  // "idr_get", a hang's "_lock"), which other tests cover: in a KASAN
  // header syzbot names them.
  for (std::string_view helper :
       {"xas_start", "hex_dump_to_buffer", "cleanup_srcu_struct", "__read_once_word_nocheck",
        "reacquire_held_locks"}) {
    LogBuilder log;
    std::string bug = "BUG: KASAN: slab-use-after-free in " + std::string(helper) + "+0x2e/0x1a0";
    log.add("T123", {"==================================================================",
                     bug, "Read of size 8 at addr ffff888004a1c2e8 by task irqfd/123",
                     "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                     " kasan_report+0xbd/0xf0"});
    log.add_line("T123", " " + std::string(helper) + "+0x2e/0x1a0");
    log.add("T123", {" irqfd_shutdown+0x5a/0x1b0", " process_one_work+0x5f1/0xe70",
                     " </TASK>", "=================================================================="});
    EXPECT_EQ(only_report(log.str()).title, "KASAN: slab-use-after-free Read in irqfd_shutdown")
        << helper;
  }
}

TEST(Frames, TraceLongerThanTheCapKeepsItsOutermostFrames) {
  // A stack overflow recursing 2000 frames deep: the report cap cuts the
  // middle, not the syscall at the bottom that names it.
  LogBuilder log;
  log.add("T31", {"BUG: stack guard page was hit at ffffc900190cfff8",
                  "kernel stack overflow (double-fault): 0000 [#1] PREEMPT SMP KASAN",
                  "RIP: 0010:irqfd_wakeup+0x8/0xb0", "Call Trace:", " <TASK>"});
  for (int i = 0; i < 1000; ++i) {
    log.add_line("T31", " irqfd_inject+0x1/0x2");
    log.add_line("T31", " irqfd_wakeup+0x3/0x4");
  }
  log.add("T31", {" kvm_irqfd_assign+0x11e/0x150", " kvm_vm_ioctl+0x12ab/0x2300",
                  " vfs_ioctl+0x1/0x2"});
  log.add("T31", kSyscallTail);
  log.add("T31", {"---[ end trace 0000000000000000 ]---"});
  log.chatter(3);
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: stack guard page was hit in kvm_vm_ioctl");
  Limits limits;
  EXPECT_LE(r.text.size(), limits.max_report_bytes + 64 * 1024 + 2 * limits.max_line_bytes);
  EXPECT_NE(r.text.find("trace lines cut]"), std::string::npos);
  EXPECT_EQ(r.text.find("WARNING counters reset"), std::string::npos) << "chatter after the trace";
}

TEST(Frames, LeakIsNamedAfterTheFirstCallerOutsideAllocatorsAndKernfsIdr) {
  EXPECT_EQ(leak_title({"    kmemleak_alloc+0x4a/0x80 mm/kmemleak.c:1000",
                        "    slab_post_alloc_hook mm/slub.c:4000 [inline]",
                        "    radix_tree_node_grow+0x1/0x2 lib/radix-tree.c:250",
                        "    idr_get_free+0x4a/0x80 lib/radix-tree.c:1500",
                        "    idr_alloc_u32+0x1/0x2 lib/idr.c:46",
                        "    kernfs_new_node+0x1/0x2 fs/kernfs/dir.c:700",
                        "    kernfs_create_dir_ns+0x1/0x2 fs/kernfs/dir.c:1000",
                        "    irqfd_sysfs_register+0x8a/0x1200 virt/kvm/eventfd.c:100",
                        "    kvm_irqfd_assign+0x8a/0x1200 virt/kvm/eventfd.c:371"}),
            "memory leak in irqfd_sysfs_register");
}

TEST(Classes, InvalidOpcodeAloneAndAfterKernelBug) {
  // ud2 outside BUG() and WARN(): named after the faulting instruction.
  LogBuilder alone;
  alone.add("T10", {"invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
                    "CPU: 0 UID: 0 PID: 10 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                    "RIP: 0010:irqfd_inject+0x12/0x34", "Call Trace:", " <TASK>",
                    " irqfd_wakeup+0x1/0x2", " </TASK>", "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(alone.str());
  EXPECT_EQ(r.title, "invalid opcode in irqfd_inject");
  EXPECT_EQ(r.kind, "DoS");
  // After "kernel BUG at", the same line is the BUG's trap: one report.
  LogBuilder bug;
  bug.add("T10", {"------------[ cut here ]------------",
                  "kernel BUG at virt/kvm/eventfd.c:120!",
                  "invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
                  "RIP: 0010:irqfd_shutdown+0x12/0x34", "Call Trace:", " <TASK>",
                  " process_one_work+0x1/0x2", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(bug.str()).title, "kernel BUG in irqfd_shutdown");
}

TEST(Classes, OneLineWarningInEveryHeaderForm) {
  for (std::string_view header :
       {"WARNING: CPU: 0 PID: 7 at io_uring/io_uring.c:2951 io_ring_exit_work+0x12/0x34",
        "WARNING: io_uring/io_uring.c:2951 at io_ring_exit_work+0x12/0x34, CPU#0: kworker/0:1/7",
        "WARNING: [T7] io_uring/io_uring.c:2951 at io_ring_exit_work+0x12/0x34"}) {
    LogBuilder log;
    log.chatter(2);
    log.add_line("T7", header);
    log.chatter(2);
    EXPECT_EQ(only_report(log.str()).title, "WARNING in io_ring_exit_work") << header;
  }
}

TEST(Classes, BareReportWordIsACorruptedReport) {
  // The console kept only a report's first word: still a report, titled
  // "<word>: corrupted" and marked corrupted, as syzkaller titles it.
  for (std::string_view word : {"BUG:", "WARNING:", "INFO:"}) {
    LogBuilder log;
    log.chatter(2);
    log.add_line("T7", word);
    log.chatter(2);
    std::vector<Report> reports = scan_text(log.str());
    ASSERT_EQ(reports.size(), 1u) << word;
    EXPECT_EQ(reports[0].title, std::string(word) + " corrupted");
    EXPECT_TRUE(reports[0].corrupted) << word;
  }
  // Inside a debug tag they are not a report.
  LogBuilder prose;
  prose.add_line("T7", "art: DEBUG: BUG: ignored by the runtime");
  EXPECT_TRUE(scan_text(prose.str()).empty());
}

TEST(Classes, UnexpectedReboot) {
  // The decompressor of a new kernel, or the firmware, after kernel output.
  for (std::string_view banner : {"Booting the kernel.", "SeaBIOS (version 1.16.3-debian)"}) {
    LogBuilder log;
    log.chatter(3);
    std::string text = log.str() + std::string(banner) + "\n";
    Report r = only_report(text);
    EXPECT_EQ(r.title, "unexpected kernel reboot") << banner;
    EXPECT_EQ(r.kind, "REBOOT");
    // The first boot of the log is no reboot, nor is the banner echoed back
    // in a message.
    EXPECT_TRUE(scan_text(std::string(banner) + "\n").empty()) << banner;
  }
  LogBuilder echoed;
  echoed.chatter(2);
  EXPECT_TRUE(scan_text(echoed.str() +
                        "Booting the kernel. Unknown parameter 'Decompressing Linux'\n")
                  .empty());
}

TEST(Classes, UnexpectedRebootWithoutTimestamps) {
  // A console without printk timestamps: the fuzzer's output says the
  // system ran, so the decompressor's words are a reboot.
  EXPECT_EQ(only_report("syz-executor: executing program 0:\nr0 = socket(0x2, 0x1, 0x0)\n"
                        "Booting the kernel.\n")
                .title,
            "unexpected kernel reboot");
  // Merged into the middle of a line the kernel was printing.
  EXPECT_EQ(only_report("[   10.1] R10: 0000000000000000 R11: ffff8Booting the kernel.\n").title,
            "unexpected kernel reboot");
  // The newer decompressor's first-boot line is no reboot.
  EXPECT_TRUE(scan_text("Booting the kernel (entry_offset: 0x0000000000000000).\n").empty());
}

TEST(Classes, InlinedFramesNeverNameAReport) {
  LogBuilder log;
  log.add("T7", {"==================================================================",
                 "BUG: KASAN: slab-out-of-bounds in copy_from_iter+0x1/0x2 lib/iov_iter.c:1",
                 "Read of size 8 at addr ffff8880 by task syz/7", "Call Trace:", " <TASK>",
                 " memcpy+0x1/0x2 mm/kasan/shadow.c:105",
                 " tun_get_user drivers/net/tun.c:1800 [inline]",
                 " tun_chr_write_iter+0xe1/0x200 drivers/net/tun.c:2048",
                 " vfs_write+0x1/0x2 fs/read_write.c:590", " </TASK>",
                 "=================================================================="});
  EXPECT_EQ(only_report(log.str()).title, "KASAN: slab-out-of-bounds Read in tun_chr_write_iter");
}

TEST(Classes, SymbolisedHeaderRepeatedPerInlinedFunctionIsNamedByTheOffsetOne) {
  // A symboliser prints a sanitizer's header once per function inlined at
  // the access; the report is cut short before the trace says more.
  LogBuilder log;
  log.add("T7", {"==================================================================",
                 "BUG: KASAN: slab-use-after-free in list_del include/linux/list.h:229 [inline]",
                 "BUG: KASAN: slab-use-after-free in eventfd_ctx_remove_wait_queue+0x2e/0x1a0 "
                 "fs/eventfd.c:210",
                 "Read of size 8 at addr ffff888004a1c2e8 by task kworker/1:2/123", "",
                 "CPU: 1 UID: 0 PID: 123 Comm: kworker/1:2 Not tainted 6.12.117 #1",
                 "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80 lib/dump_stack.c:123",
                 " print_report+0xcb/0x620 mm/kasan/report.c:488"});
  EXPECT_EQ(only_report(log.str()).title,
            "KASAN: slab-use-after-free Read in eventfd_ctx_remove_wait_queue");
}

TEST(Classes, LockdepLockLineRepeatedPerInlinedFunctionIsNamedByTheOffsetOne) {
  LogBuilder log;
  log.add("T9", {"============================================",
                 "WARNING: possible recursive locking detected",
                 "6.12.117 #1 Not tainted",
                 "--------------------------------------------",
                 "irqfd_selftest/9 is trying to acquire lock:",
                 "ffff8880 (&ctx->wqh){....}-{2:2}, at: spin_lock_irq include/linux/spinlock.h:376 [inline]",
                 "ffff8880 (&ctx->wqh){....}-{2:2}, at: eventfd_ctx_remove_wait_queue+0x2e/0x1a0 "
                 "fs/eventfd.c:208",
                 "", "but task is already holding lock:",
                 "ffff8881 (&ctx->wqh){....}-{2:2}, at: spin_lock include/linux/spinlock.h:351 [inline]",
                 "ffff8881 (&ctx->wqh){....}-{2:2}, at: irqfd_shutdown+0x3a/0x1b0 virt/kvm/eventfd.c:130",
                 "", "other info that might help us debug this:"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "possible deadlock in eventfd_ctx_remove_wait_queue");
}

TEST(Frames, DecodeStacktraceOutputIsReadAsFrames) {
  // What the kernel's scripts/decode_stacktrace.sh makes of "func+0x1/0x2":
  // "func (path/file.c:12)", with the inlined locations first when code was
  // inlined into func.
  LogBuilder log;
  log.add("T77", {"Oops: general protection fault, probably for non-canonical address "
                  "0xdffffc0000000002: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                  "CPU: 0 UID: 0 PID: 77 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "RIP: 0010:memcpy (arch/x86/lib/memcpy_64.S:38)",
                  "Call Trace:", " <TASK>",
                  " irqfd_wakeup (include/linux/eventfd.h:51 virt/kvm/eventfd.c:210)",
                  " __wake_up_common (kernel/sched/wait.c:89)",
                  " eventfd_release (fs/eventfd.c:134)", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "general protection fault in irqfd_wakeup");

  // addr2line's "(discriminator N)" after a location does not hide the frame.
  LogBuilder ubsan;
  ubsan.add("T77", {"UBSAN: shift-out-of-bounds in ../virt/kvm/eventfd.c:389:11",
                    "shift exponent 18446744073709551615 is too large for 32-bit type 'int'",
                    "CPU: 1 PID: 77 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                    "Call trace:", " dump_backtrace (arch/arm64/kernel/stacktrace.c:235)",
                    " show_stack (arch/arm64/kernel/stacktrace.c:242)",
                    " dump_stack_lvl (lib/dump_stack.c:107)",
                    " __ubsan_handle_shift_out_of_bounds (lib/ubsan.c:218 lib/ubsan.c:387)",
                    " irqfd_inject (virt/kvm/eventfd.c:389 (discriminator 1))",
                    " process_one_work (kernel/workqueue.c:2630 (discriminator 2) kernel/workqueue.c:2703)",
                    " worker_thread (kernel/workqueue.c:2784)"});
  EXPECT_EQ(only_report(ubsan.str()).title, "UBSAN: shift-out-of-bounds in irqfd_inject");
}

TEST(Classes, HungTaskOnTheSocketLockIsNamedAfterIt) {
  LogBuilder log;
  log.add("T20", {"INFO: task irqfd_selftest:61 blocked for more than 143 seconds.",
                  "      Not tainted 6.12.117 #1",
                  "task:irqfd_selftest  state:D stack:0     pid:61    tgid:61    ppid:1",
                  "Call Trace:", " <TASK>", " __schedule+0x1c2b/0x4e30", " schedule+0xe7/0x3a0",
                  " __lock_sock net/core/sock.c:3010 [inline]",
                  " lock_sock_nested+0xa1/0x110 net/core/sock.c:3524",
                  " lock_sock include/net/sock.h:1720 [inline]",
                  " tcp_close+0x1d/0x100 net/ipv4/tcp.c:3085",
                  " inet_release+0x88/0xa0 net/ipv4/af_inet.c:433", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "INFO: task hung in lock_sock_nested");
}

TEST(Classes, RcuStallCutShortInTheTickIsNotNamedAfterTheTick) {
  // Only the timer interrupt that ran the detector made it into the log.
  LogBuilder log;
  log.add("C1", {"rcu: INFO: rcu_preempt self-detected stall on CPU",
                 "rcu:     1-....: (20999 ticks this GP) idle=c4c/1/0x4000000000000000",
                 "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "Call Trace:", " <IRQ>", " rcu_sched_clock_irq+0x86f/0x1f30",
                 " update_process_times+0x184/0x210", " tick_sched_handle+0x63/0xe0",
                 " tick_sched_timer+0x3e/0xd0", " __hrtimer_run_queues+0x5f1/0xba0"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "INFO: rcu detected stall in corrupted");
}

TEST(Classes, UserSpaceLinesInsideAStampedReportAreNotPartOfIt) {
  LogBuilder log;
  log.add("T40", {"BUG: scheduling while atomic: irqfd_selftest/40/0x00000002",
                  "no locks held by irqfd_selftest/40.", "Preemption disabled at:"});
  log.unstamped("executing program");
  log.add("T40", {"[<ffffffff812b2934>] irqfd_inject+0x64/0x260",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                  " __schedule_bug+0xf1/0x130", " __schedule+0x1c2b/0x4e30"});
  log.unstamped("executing program");
  log.add("T40", {" schedule+0xe7/0x3a0", " irqfd_resampler_shutdown+0x1a2/0x300",
                  " </TASK>"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: scheduling while atomic in irqfd_resampler_shutdown");
  EXPECT_EQ(r.text.find("executing program"), std::string::npos) << r.text;
}

TEST(Classes, Arm64AbortDecodeDoesNotSeparateTheFaultFromItsOops) {
  // arm64 decodes the abort's syndrome and walks the page tables between
  // the fault line and "Internal error: Oops"; newer kernels print more
  // fields, so the oops line comes later than any fixed reach allowed.
  LogBuilder log;
  log.add("T60", {"Unable to handle kernel paging request at virtual address dead000000000108",
                  "Mem abort info:", "  ESR = 0x0000000096000044",
                  "  EC = 0x25: DABT (current EL), IL = 32 bits", "  SET = 0, FnV = 0",
                  "  EA = 0, S1PTW = 0", "  FSC = 0x04: level 0 translation fault",
                  "Data abort info:", "  ISV = 0, ISS = 0x00000044, ISS2 = 0x00000000",
                  "  CM = 0, WnR = 1, TnD = 0, TagAccess = 0",
                  "  GCS = 0, Overlay = 0, DirtyBit = 0, Xs = 0",
                  "swapper pgtable: 4k pages, 48-bit VAs, pgdp=0000000041c2d000",
                  "[dead000000000108] pgd=0000000000000000, p4d=0000000000000000",
                  "Internal error: Oops: 0000000096000044 [#1] PREEMPT SMP",
                  "Modules linked in:",
                  "CPU: 1 UID: 0 PID: 60 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "pc : irqfd_deactivate+0x4c/0x90", "lr : irqfd_shutdown+0x5c/0x1b0",
                  "Call trace:", " irqfd_deactivate+0x4c/0x90", " irqfd_shutdown+0x5c/0x1b0",
                  " process_one_work+0x1f4/0x488", " worker_thread+0x2d0/0x3f8",
                  "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: unable to handle kernel paging request in irqfd_deactivate");
}

TEST(Classes, OneLineWarningIsTitledByItsWords) {
  LogBuilder log;
  log.chatter(2);
  std::string text = log.str() + "[   20.1][ T99] WARNING: bpf prog tag mismatch on attach\n";
  Report r = only_report(text);
  EXPECT_EQ(r.title, "WARNING: bpf prog tag mismatch on attach");
  EXPECT_EQ(r.kind, "WARNING");
  // Notices of a healthy system are no report, whatever their case.
  EXPECT_TRUE(scan_text("[ 1.0] WARNING: The mand mount option is being deprecated.\n"
                        "[ 2.0] WARNING: `SYZ.1.2' USES WIRELESS EXTENSIONS WHICH WILL STOP\n")
                  .empty());
}

TEST(Classes, RefcountAndOdebugWarnings) {
  LogBuilder log;
  log.add("T31", {"------------[ cut here ]------------",
                  "refcount_t: underflow; use-after-free.",
                  "WARNING: CPU: 0 PID: 31 at lib/refcount.c:28 refcount_warn_saturate+0x13a/0x1d0",
                  "RIP: 0010:refcount_warn_saturate+0x13a/0x1d0", "Call Trace:", " <TASK>",
                  " eventfd_ctx_put+0x6d/0x80", " irqfd_shutdown+0x1a3/0x1b0",
                  " process_one_work+0x5f1/0xe70", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "WARNING: refcount bug in eventfd_ctx_put");
  EXPECT_EQ(r.kind, "REFCOUNT_WARNING");

  LogBuilder odebug;
  odebug.add("T31", {"------------[ cut here ]------------",
                     "ODEBUG: free active (active state 0) object: ffff88800a1b2c40 object "
                     "type: work_struct hint: irqfd_shutdown+0x0/0x1b0",
                     "WARNING: CPU: 0 PID: 31 at lib/debugobjects.c:514 debug_print_object+0x1a1/0x2b0",
                     "RIP: 0010:debug_print_object+0x1a1/0x2b0", "Call Trace:", " <TASK>",
                     " debug_check_no_obj_freed+0x4b5/0x5f0", " kfree+0x11e/0x480",
                     " kvm_irqfd_release+0x16a/0x2b0", " kvm_vm_release+0x44/0x60",
                     " </TASK>", "---[ end trace 0000000000000000 ]---"});
  r = only_report(odebug.str());
  EXPECT_EQ(r.title, "WARNING: ODEBUG bug in kvm_irqfd_release");
}

TEST(Classes, OdebugClassLineThenWarnIsReadAsAWarnTrap) {
  // The class line comes first and the WARN() after it; the report is read
  // as syzkaller reads the WARN: past the RIP line and ODEBUG's own skip
  // words, the first frame names it, even one this scanner's own tables
  // call a helper (__init_work: syzbot's "WARNING: ODEBUG bug in __init_work").
  LogBuilder log;
  log.add("T31", {"------------[ cut here ]------------",
                  "ODEBUG: init active (active state 0) object: ffff88800a1b2c40 object "
                  "type: work_struct hint: irqfd_shutdown+0x0/0x1b0",
                  "WARNING: CPU: 0 PID: 31 at lib/debugobjects.c:514 debug_print_object+0x1a1/0x2b0",
                  "RIP: 0010:debug_print_object+0x1a1/0x2b0", "Call Trace:", " <TASK>",
                  " __debug_object_init+0x524/0xd10", " __init_work+0x48/0x50",
                  " irqfd_assign_resampler+0x1a/0x110", " kvm_irqfd+0x16a/0x2b0", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(log.str()).title, "WARNING: ODEBUG bug in __init_work");
}

TEST(Classes, RustPanicIsTitledByItsMessageAndTheFunctionThatPanicked) {
  // The panic handler prints where and then what, and calls BUG(): one
  // report, titled as syzkaller titles Rust panics, "<message> in
  // <function>", past the panic handler's own frame.
  LogBuilder log;
  log.add("T40", {"rust_kernel: panicked at rust/kernel/irqfd.rs:12:5:",
                  "attempt to divide by zero", "------------[ cut here ]------------",
                  "kernel BUG at rust/helpers/bug.c:7!",
                  "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "RIP: 0010:rust_helper_BUG+0x8/0x10", "Call Trace:", " <TASK>",
                  " rust_begin_unwind+0x1/0x2", " irqfd_rust_divide+0x1/0x2",
                  " kvm_vm_ioctl+0x1/0x2", " </TASK>", "---[ end trace 0000000000000000 ]---"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "attempt to divide by zero in irqfd_rust_divide");
}

TEST(Classes, RustPanicWithoutItsMessageLineKeepsTheHeadersWords) {
  // The message line was lost: a line after the BUG() that follows is not
  // taken for it.
  LogBuilder log;
  log.add("T40", {"rust_kernel: panicked at rust/kernel/irqfd.rs:12:5:",
                  "kernel BUG at rust/helpers/bug.c:7!",
                  "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "RIP: 0010:rust_helper_BUG+0x8/0x10", "Call Trace:", " <TASK>",
                  " rust_begin_unwind+0x1/0x2", " irqfd_rust_divide+0x1/0x2", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(log.str()).title, "rust_kernel: panicked in irqfd_rust_divide");
}

TEST(Classes, KcsanIsTitledByItsHeadersOwnWords) {
  // KCSAN names both racing functions in its header; syzkaller reads no
  // frame for it, so a syscall wrapper keeps its prefix and only the
  // offsets go.
  LogBuilder log;
  log.add("T40", {"==================================================================",
                  "BUG: KCSAN: data-race in irqfd_deactivate+0x1c/0x90 / __se_sys_ioctl",
                  "", "write to 0xffff888118782d98 of 8 bytes by task 40 on cpu 0:",
                  " irqfd_deactivate+0x1c/0x90", " kvm_irqfd+0x16a/0x2b0", "",
                  "read to 0xffff888118782d98 of 8 bytes by task 41 on cpu 1:",
                  " __se_sys_ioctl+0x1/0x2", "",
                  "==================================================================",
                  "CPU: 1 UID: 0 PID: 41 Comm: irqfd_selftest Not tainted 6.12.117 #1"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "KCSAN: data-race in irqfd_deactivate / __se_sys_ioctl");
  EXPECT_EQ(r.kind, "KCSAN-DATARACE");
}

TEST(Classes, KernelBugAndListCorruption) {
  LogBuilder log;
  log.add("T40", {"------------[ cut here ]------------", "kernel BUG at virt/kvm/eventfd.c:142!",
                  "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                  "RIP: 0010:irqfd_deactivate+0x1d5/0x2a0", "Call Trace:", " <TASK>",
                  " irqfd_wakeup+0x3f1/0x5b0", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "kernel BUG in irqfd_deactivate");
  EXPECT_EQ(r.kind, "BUG");

  LogBuilder list;
  list.add("T40", {"list_del corruption. prev->next should be ffff88800c2e1a48, but was "
                   "dead000000000100. (prev=ffff88800c2e1a48)",
                   "------------[ cut here ]------------", "kernel BUG at lib/list_debug.c:62!",
                   "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                   "RIP: 0010:__list_del_entry_valid_or_report+0x12b/0x1a0", "Call Trace:",
                   " <TASK>", " irqfd_deactivate+0x7c/0x2a0", " irqfd_wakeup+0x3f1/0x5b0",
                   " </TASK>", "---[ end trace 0000000000000000 ]---"});
  r = only_report(list.str());
  EXPECT_EQ(r.title, "BUG: corrupted list in irqfd_deactivate");
  EXPECT_EQ(r.kind, "MEMORY_SAFETY_BUG");

  LogBuilder add;
  add.add("T40", {"list_add corruption. next->prev should be prev (ffff88800c2e1a48), but "
                  "was 0000000000000000. (next=ffff88800c2e1b00).",
                  "------------[ cut here ]------------", "kernel BUG at lib/list_debug.c:29!",
                  "RIP: 0010:__list_add_valid_or_report+0xe6/0x100", "Call Trace:",
                  " <TASK>", " kvm_irqfd_assign+0x6a1/0x1200", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  r = only_report(add.str());
  EXPECT_EQ(r.title, "BUG: corrupted list in kvm_irqfd_assign");
}

TEST(Classes, PageFaultAndNullPointer) {
  LogBuilder log;
  log.add("T40", {"BUG: unable to handle page fault for address: ffffed1001c3a3e4",
                  "#PF: supervisor read access in kernel mode",
                  "Oops: 0000 [#1] PREEMPT SMP KASAN NOPTI",
                  "RIP: 0010:eventfd_ctx_remove_wait_queue+0x40/0x1a0", "Call Trace:",
                  " <TASK>", " irqfd_shutdown+0x5a/0x1b0", " </TASK>",
                  "---[ end trace 0000000000000000 ]---"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: unable to handle kernel paging request in eventfd_ctx_remove_wait_queue");

  LogBuilder null;
  null.add("T40", {"BUG: kernel NULL pointer dereference, address: 0000000000000008",
                   "#PF: supervisor read access in kernel mode",
                   "Oops: 0000 [#1] PREEMPT SMP NOPTI",
                   "RIP: 0010:irqfd_shutdown+0x22/0x1b0", "Call Trace:", " <TASK>",
                   " process_one_work+0x5f1/0xe70", " </TASK>",
                   "---[ end trace 0000000000000000 ]---"});
  r = only_report(null.str());
  EXPECT_EQ(r.title, "BUG: unable to handle kernel NULL pointer dereference in irqfd_shutdown");
  EXPECT_EQ(r.kind, "NULL-POINTER-DEREFERENCE");

  // powerpc's words for it, named from the NIP line.
  LogBuilder ppc;
  ppc.add("T40", {"BUG: Kernel NULL pointer dereference on read at 0x000000c8",
                  "Faulting instruction address: 0xc0000000001024c0",
                  "Oops: Kernel access of bad area, sig: 11 [#1]",
                  "NIP:  c0000000001024c0 LR: c0000000001024b0 CTR: c000000000102450",
                  "NIP [c0000000001024c0] irqfd_shutdown+0x70/0x2a0",
                  "LR [c0000000001024b0] irqfd_shutdown+0x60/0x2a0", "Call Trace:",
                  "[c0000000037db860] [c0000000001024b0] irqfd_shutdown+0x60/0x2a0 (unreliable)",
                  "[c0000000037db8f0] [c000000000105c10] process_one_work+0x1c0/0x370",
                  "---[ end trace 0000000000000000 ]---"});
  r = only_report(ppc.str());
  EXPECT_EQ(r.title, "BUG: unable to handle kernel NULL pointer dereference in irqfd_shutdown");
  EXPECT_EQ(r.kind, "NULL-POINTER-DEREFERENCE");
}

TEST(Classes, AtomicContextBugs) {
  LogBuilder log;
  log.add("T40", {"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585",
                  "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 40, name: irqfd_selftest",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                  " __might_resched+0x2a1/0x3e0", " __mutex_lock+0xb1/0x1090",
                  " irqfd_resampler_shutdown+0x45/0x300", " irqfd_wakeup+0x3f1/0x5b0",
                  " </TASK>"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: sleeping function called from invalid context in irqfd_resampler_shutdown");
  EXPECT_EQ(r.kind, "ATOMIC_SLEEP");

  // A lock that sleeps without being a lock primitive is the finding
  // itself, as syzbot titles it ("... in lock_sock_nested").
  LogBuilder sock;
  sock.add("T41", {"BUG: sleeping function called from invalid context at net/core/sock.c:3598",
                   "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 41, name: syz",
                   "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                   " __might_resched+0x2a1/0x3e0", " lock_sock_nested+0x3a/0xf0",
                   " tcp_sendmsg+0x1d/0x50", " __sys_sendto+0x1/0x2", " </TASK>"});
  EXPECT_EQ(only_report(sock.str()).title,
            "BUG: sleeping function called from invalid context in lock_sock_nested");

  LogBuilder atomic;
  atomic.add("T40", {"BUG: scheduling while atomic: irqfd_selftest/40/0x00000002",
                     "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                     " __schedule_bug+0xf1/0x130", " __schedule+0x1c2b/0x4e30",
                     " schedule+0xe7/0x3a0", " irqfd_resampler_shutdown+0x1a2/0x300",
                     " </TASK>"});
  r = only_report(atomic.str());
  EXPECT_EQ(r.title, "BUG: scheduling while atomic in irqfd_resampler_shutdown");
}

TEST(Classes, SpinlockBugs) {
  LogBuilder log;
  log.add("T40", {"BUG: spinlock bad magic on CPU#1, irqfd_selftest/40",
                  " lock: 0xffff88800b4d8a18, .magic: 00000000, .owner: <none>/-1, .owner_cpu: 0",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80", " do_raw_spin_lock+0x1c6/0x290",
                  " _raw_spin_lock_irqsave+0x45/0x60", " eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
                  " irqfd_shutdown+0x5a/0x1b0", " </TASK>"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "BUG: spinlock bad magic in eventfd_ctx_remove_wait_queue");

  LogBuilder lockup;
  lockup.add("C1", {"BUG: spinlock lockup suspected on CPU#1, irqfd_selftest/40",
                    "Call Trace:", " <TASK>", " do_raw_spin_lock+0x1c6/0x290",
                    " irqfd_wakeup+0x1c9/0x5b0", " </TASK>"});
  r = only_report(lockup.str());
  EXPECT_EQ(r.title, "BUG: spinlock lockup suspected in irqfd_wakeup");
}

// The hard-lockup detectors, generic (x86 and others) and powerpc's own,
// name where the stuck CPU was interrupted.
TEST(Classes, HardLockupIsNamedWhereTheCpuWasStuck) {
  LogBuilder x86;
  x86.add("C1", {"watchdog: Watchdog detected hard LOCKUP on cpu 1",
                 "Modules linked in:",
                 "CPU: 1 UID: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:native_queued_spin_lock_slowpath+0x2a3/0x9c0",
                 "Call Trace:", " <NMI>", " </NMI>", " <TASK>",
                 " _raw_spin_lock_irqsave+0x5a/0x70", " eventfd_signal_mask+0x3c/0x1a0",
                 " irqfd_inject+0x2e/0x60", " process_one_work+0x5f1/0xe70", " </TASK>"});
  Report r = only_report(x86.str());
  EXPECT_EQ(r.title, "hard LOCKUP in eventfd_signal_mask");
  EXPECT_EQ(r.kind, "HANG");

  LogBuilder ppc;
  ppc.add("C3", {"watchdog: CPU 3 self-detected hard LOCKUP @ eventfd_signal_mask+0x74/0x90",
                 "watchdog: CPU 3 TB:7766577908812231, last heartbeat TB:7766572528409444 (10508ms ago)",
                 "Modules linked in:",
                 "CPU: 3 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "NIP:  c000000000561f34 LR: c00000000056b108 CTR: c0000000004f4c50",
                 "NIP [c000000000561f34] eventfd_signal_mask+0x74/0x90",
                 "LR [c00000000056b108] irqfd_inject+0x38/0x60",
                 "Call Trace:",
                 "[c000000e87b43ca0] [c00000000056b108] irqfd_inject+0x38/0x60 (unreliable)"});
  r = only_report(ppc.str());
  EXPECT_EQ(r.title, "hard LOCKUP in eventfd_signal_mask");
  EXPECT_EQ(r.kind, "HANG");

  // Later kernels name the reporting CPU first.
  LogBuilder cpu;
  cpu.add("C0", {"watchdog: CPU0: Watchdog detected hard LOCKUP on cpu 1",
                 "CPU: 1 UID: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:eventfd_signal_mask+0x3c/0x1a0"});
  EXPECT_EQ(only_report(cpu.str()).title, "hard LOCKUP in eventfd_signal_mask");

  LogBuilder others;
  others.add("C5", {"watchdog: CPU 5 detected hard LOCKUP on other CPUs 3"});
  EXPECT_EQ(only_report(others.str()).title, "hard LOCKUP on other CPUs");

  // Kernels before 4.5 printed it as a WARN()'s message: one WARNING report.
  LogBuilder warn;
  warn.add("C1", {"------------[ cut here ]------------",
                  "WARNING: CPU: 1 PID: 0 at kernel/watchdog.c:313 watchdog_overflow_callback+0x9a/0xc0",
                  "Watchdog detected hard LOCKUP on cpu 1",
                  "Modules linked in:", "Call Trace:", " <NMI>", " dump_stack+0x4d/0x63",
                  " __warn+0xcb/0xf0", " warn_slowpath_fmt+0x4f/0x60",
                  " watchdog_overflow_callback+0x9a/0xc0", " </NMI>",
                  "---[ end trace 0000000000000000 ]---"});
  EXPECT_EQ(only_report(warn.str()).title, "WARNING in watchdog_overflow_callback");
}

// MIPS and LoongArch open a fault's report with die()'s "<what>[#n]:" line
// and nothing before it; titled by those words and the faulting function.
TEST(Classes, DieLineOfMipsAndLoongArchOpensTheReport) {
  LogBuilder loongarch;
  loongarch.add("T1", {"Oops[#1]:",
                       "CPU: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                       "pc 90000000017e5534 ra 90000000017e54c0 tp 90000001002f8000 sp 90000001002fb6c0",
                       "   ra: 90000000017e54c0 irqfd_inject+0x40/0x60",
                       "  ERA: 90000000017e5534 eventfd_signal_mask+0xb4/0x210",
                       " ESTAT: 00010000 [PIL] (IS= ECode=1 EsubCode=0)",
                       "  BADV: 0000000000000040",
                       "Call Trace:",
                       "[<90000000017e5534>] eventfd_signal_mask+0xb4/0x210",
                       "[<90000000017e54c0>] irqfd_inject+0x40/0x60",
                       "[<9000000000eebc08>] process_one_work+0x108/0x280"});
  Report r = only_report(loongarch.str());
  EXPECT_EQ(r.title, "Oops in eventfd_signal_mask");
  EXPECT_EQ(r.kind, "DoS");

  LogBuilder mips;
  mips.add("T1", {"Unhandled kernel unaligned access[#1]:",
                  "CPU: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "$ 0   : 00000000 80c40000 00000000 85144817",
                  "epc   : 805e91f0 eventfd_signal_mask+0x1b0/0x1b50",
                  "ra    : 805ead08 irqfd_inject+0x74/0x12c",
                  "Call Trace:",
                  "[<805e91f0>] eventfd_signal_mask+0x1b0/0x1b50",
                  "[<805ead08>] irqfd_inject+0x74/0x12c"});
  EXPECT_EQ(only_report(mips.str()).title, "Unhandled kernel unaligned access in eventfd_signal_mask");

  // Cut short before its trace: named from the ERA line.
  LogBuilder cut;
  cut.add("T1", {"Kernel ale access[#1]:",
                 "CPU: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "  ERA: 90000000017e5534 irqfd_inject+0xb4/0x210",
                 "   ra: 90000000017e54c0 process_one_work+0x40/0x60"});
  EXPECT_EQ(only_report(cut.str()).title, "Kernel ale access in irqfd_inject");

  // After a header of its own bug the die line is part of that report.
  LogBuilder bug;
  bug.add("T1", {"kernel BUG at virt/kvm/eventfd.c:123!", "Kernel bug detected[#1]:",
                 "CPU: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "epc   : 805e91f0 irqfd_shutdown+0x1b0/0x1b50",
                 "Call Trace:", "[<805e91f0>] irqfd_shutdown+0x1b0/0x1b50"});
  EXPECT_EQ(only_report(bug.str()).title, "kernel BUG in irqfd_shutdown");

  // Not a die line: brackets of another shape, words around them, or a
  // driver's lower-case name.
  for (std::string_view line : {"systemd[1]: Started foo.", "queue[#1]: stalled for 3s",
                                "Oops[#x]:", "[#1]:", "eth0 queue[#1]:"}) {
    LogBuilder quiet;
    quiet.add("T1", {line});
    EXPECT_TRUE(scan_text(quiet.str()).empty()) << line;
  }
}

TEST(Classes, SoftLockupAndWorkqueueLockup) {
  LogBuilder log;
  log.add("C0", {"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [irqfd_selftest:40]",
                 "Modules linked in:", "irq event stamp: 99",
                 "CPU: 0 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:irqfd_resampler_shutdown+0x1a2/0x300", "Call Trace:", " <IRQ>",
                 " __hrtimer_run_queues+0x5f1/0xba0",
                 " hrtimer_interrupt+0x31d/0x800", " __sysvec_apic_timer_interrupt+0x10b/0x410",
                 " sysvec_apic_timer_interrupt+0x98/0xc0", " </IRQ>", " <TASK>",
                 " asm_sysvec_apic_timer_interrupt+0x1a/0x20",
                 "RIP: 0010:irqfd_resampler_shutdown+0x1a2/0x300",
                 " irqfd_shutdown+0x10f/0x1b0", " process_one_work+0x5f1/0xe70",
                 " worker_thread+0x5a3/0xd40", " kthread+0x2b9/0x380", " </TASK>"});
  Report r = only_report(log.str());
  // The hrtimer dispatch is the first anchor: the function just inside it,
  // the interrupted one on the RIP line, names the lockup (as syzbot names
  // it).
  EXPECT_EQ(r.title, "BUG: soft lockup in irqfd_resampler_shutdown");
  EXPECT_EQ(r.kind, "HANG");

  LogBuilder wq;
  wq.add("C1", {"BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 31s!",
                "Showing busy workqueues and worker pools:",
                "workqueue kvm-irqfd-cleanup: flags=0x0"});
  r = only_report(wq.str());
  EXPECT_EQ(r.title, "BUG: workqueue lockup");
  EXPECT_EQ(r.kind, "HANG");
}

TEST(Classes, HungTask) {
  LogBuilder log;
  log.add("T20", {"INFO: task kworker/u4:2:61 blocked for more than 10 seconds.",
                  "      Not tainted 6.12.117 #1",
                  "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                  "task:kworker/u4:2    state:D stack:0     pid:61    tgid:61    ppid:2",
                  "Workqueue: kvm-irqfd-cleanup irqfd_shutdown", "Call Trace:", " <TASK>",
                  " __schedule+0x1c2b/0x4e30", " schedule+0xe7/0x3a0",
                  " schedule_preempt_disabled+0x13/0x30", " __mutex_lock+0x6a1/0x1090",
                  " irqfd_resampler_shutdown+0x45/0x300", " irqfd_shutdown+0x10f/0x1b0",
                  " process_one_work+0x5f1/0xe70", " </TASK>", "",
                  "Showing all locks held in the system:"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "INFO: task hung in irqfd_resampler_shutdown");
  EXPECT_EQ(r.kind, "HANG");
}

// arm kernels built without CONFIG_BACKTRACE_VERBOSE print one
// "func from caller+0x1/0x2" line per level, after "Call trace:" (6.12's
// unwinder) or after no line at all (older ones).
TEST(Classes, ArmTraceWithoutAddressesNamesTheReport) {
  LogBuilder hang;
  hang.add("T33", {"INFO: task kworker/0:1:33 blocked for more than 122 seconds.",
                   "      Not tainted 6.12.117 #1",
                   "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                   "task:kworker/0:1     state:D stack:0     pid:33    ppid:2      flags:0x00000000",
                   "Workqueue: kvm-irqfd-cleanup irqfd_shutdown",
                   " __schedule from schedule+0x60/0xdc",
                   " schedule from schedule_preempt_disabled+0x18/0x24",
                   " schedule_preempt_disabled from __mutex_lock.constprop.0+0x2b8/0x5a4",
                   " __mutex_lock.constprop.0 from irqfd_resampler_shutdown+0x20/0x80",
                   " irqfd_resampler_shutdown from irqfd_shutdown+0x30/0x9c",
                   " irqfd_shutdown from process_one_work+0x1d8/0x4d0",
                   " process_one_work from worker_thread+0x54/0x52c",
                   " worker_thread from kthread+0xe4/0x100",
                   " kthread from ret_from_fork+0x14/0x28"});
  Report r = only_report(hang.str());
  EXPECT_EQ(r.title, "INFO: task hung in irqfd_resampler_shutdown");

  auto sleeping = [](bool call_trace_line) {
    std::vector<std::string_view> lines = {
        "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283",
        "in_atomic(): 1, irqs_disabled(): 128, non_block: 0, pid: 120, name: irqfd_selftest",
        "CPU: 0 PID: 120 Comm: irqfd_selftest Not tainted 6.12.117 #1",
        "Hardware name: Generic DT based system"};
    if (call_trace_line) lines.push_back("Call trace: ");
    for (std::string_view l : {" unwind_backtrace from show_stack+0x10/0x14",
                               " show_stack from dump_stack_lvl+0x50/0x5c",
                               " dump_stack_lvl from __might_resched+0x134/0x1a0",
                               " __might_resched from mutex_lock+0x18/0x54",
                               " mutex_lock from irqfd_deassign+0x2c/0xf0",
                               " irqfd_deassign from kvm_vm_ioctl+0x5d4/0xe1c",
                               " kvm_vm_ioctl from sys_ioctl+0xe0/0xa7c",
                               " sys_ioctl from ret_fast_syscall+0x0/0x54"})
      lines.push_back(l);
    LogBuilder log;
    for (std::string_view l : lines) log.add_line("T120", l);
    return log.str();
  };
  for (bool call_trace_line : {true, false})
    EXPECT_EQ(only_report(sleeping(call_trace_line)).title,
              "BUG: sleeping function called from invalid context in irqfd_deassign")
        << "with a \"Call trace:\" line: " << call_trace_line;

  // A stall is read from the stalled code the timer interrupted, after
  // arm's "Exception stack" line, as in the verbose form.
  LogBuilder stall;
  stall.add("C0", {"rcu: INFO: rcu_sched self-detected stall on CPU",
                   "rcu: \t0-....: (2100 ticks this GP) idle=a5c/1/0x40000002 softirq=1200/1200 fqs=1049",
                   "\t(t=2101 jiffies g=2345 q=77)", "NMI backtrace for cpu 0",
                   "CPU: 0 PID: 140 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                   "Hardware name: Generic DT based system", "Call trace: ",
                   " unwind_backtrace from show_stack+0x10/0x14",
                   " show_stack from dump_stack_lvl+0x50/0x5c",
                   " dump_stack_lvl from nmi_cpu_backtrace+0xd4/0xf8",
                   " nmi_cpu_backtrace from nmi_trigger_cpumask_backtrace+0x100/0x168",
                   " nmi_trigger_cpumask_backtrace from rcu_dump_cpu_stacks+0x110/0x16c",
                   " rcu_dump_cpu_stacks from rcu_sched_clock_irq+0x850/0xb38",
                   " rcu_sched_clock_irq from update_process_times+0x70/0xa0",
                   " update_process_times from tick_sched_timer+0x64/0xf0",
                   " tick_sched_timer from __hrtimer_run_queues+0x1a4/0x2a4",
                   " __hrtimer_run_queues from hrtimer_interrupt+0x124/0x2b4",
                   " hrtimer_interrupt from arch_timer_handler_virt+0x2c/0x34",
                   " arch_timer_handler_virt from handle_percpu_devid_irq+0x90/0x1f0",
                   " handle_percpu_devid_irq from generic_handle_domain_irq+0x24/0x34",
                   " generic_handle_domain_irq from gic_handle_irq+0x78/0x8c",
                   " gic_handle_irq from generic_handle_arch_irq+0x34/0x44",
                   " generic_handle_arch_irq from __irq_svc+0x88/0xb0",
                   "Exception stack(0xf0a2ded8 to 0xf0a2df20)",
                   " __irq_svc from _raw_spin_lock_irq+0x20/0x50",
                   " _raw_spin_lock_irq from eventfd_write+0x6c/0x1f0",
                   " eventfd_write from vfs_write+0xb8/0x38c",
                   " vfs_write from ksys_write+0x68/0xe4",
                   " ksys_write from ret_fast_syscall+0x0/0x54"});
  EXPECT_EQ(only_report(stall.str()).title, "INFO: rcu detected stall in eventfd_write");
}

TEST(Classes, RcuStall) {
  LogBuilder log;
  log.add("C1", {"rcu: INFO: rcu_preempt self-detected stall on CPU",
                 "rcu:     1-....: (20999 ticks this GP) idle=c4c/1/0x4000000000000000",
                 "rcu:     (t=21000 jiffies g=5417 q=113 ncpus=2)",
                 "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:irqfd_wakeup+0x1e0/0x5b0", "Call Trace:", " <IRQ>",
                 " rcu_sched_clock_irq+0x86f/0x1f30", " update_process_times+0x184/0x210",
                 " tick_nohz_handler+0x24b/0x3d0", " __hrtimer_run_queues+0x5f1/0xba0",
                 " hrtimer_interrupt+0x31d/0x800", " __sysvec_apic_timer_interrupt+0x10b/0x410",
                 " sysvec_apic_timer_interrupt+0x98/0xc0", " </IRQ>", " <TASK>",
                 " asm_sysvec_apic_timer_interrupt+0x1a/0x20",
                 "RIP: 0010:irqfd_wakeup+0x1e0/0x5b0", " __wake_up_common+0x13a/0x200",
                 " eventfd_write+0x2bf/0x4a0", " vfs_write+0x29a/0xf90", " ksys_write+0x122/0x250",
                 " do_syscall_64+0xbb/0x1d0", " entry_SYSCALL_64_after_hwframe+0x77/0x7f",
                 " </TASK>"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "INFO: rcu detected stall in eventfd_write");
  EXPECT_EQ(r.kind, "HANG");
}

TEST(Classes, BadPageIsNamedAfterWhoeverAllocatedItPastEveryAllocWrapper) {
  // page_owner's allocation trace runs through the allocator and the
  // wrappers that allocate for their caller (any name holding "alloc",
  // folio helpers): the first caller past them allocated the page.
  for (std::string_view what : {"state", "cache"}) {
    LogBuilder log;
    log.add("T77", {std::string("BUG: Bad page ") + std::string(what) +
                        " in process irqfd_selftest  pfn:1a2b3",
                    "page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x1a2b3",
                    "page_owner tracks the page as freed",
                    "page last allocated via order 0, migratetype Movable, gfp_mask 0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), pid 77, tgid 77 (irqfd_selftest), ts 1, free_ts 2",
                    " set_page_owner include/linux/page_owner.h:32 [inline]",
                    " post_alloc_hook+0x1f3/0x230 mm/page_alloc.c:1533",
                    " prep_new_page mm/page_alloc.c:1540 [inline]",
                    " get_page_from_freelist+0xa2d/0x2b00 mm/page_alloc.c:3500",
                    " __alloc_pages_noprof+0x2a1/0x630 mm/page_alloc.c:4760",
                    " alloc_pages_mpol_noprof+0x2a0/0x590 mm/mempolicy.c:2265",
                    " folio_alloc_mpol_noprof+0x36/0x50 mm/mempolicy.c:2283",
                    " vma_alloc_folio_noprof+0xf0/0x1e0 mm/mempolicy.c:2315",
                    " irqfd_ring_fault+0x30/0x90 virt/kvm/eventfd.c:500",
                    " handle_mm_fault+0x3a1/0x8c0 mm/memory.c:6000",
                    "page last free pid 1 tgid 1 stack trace:",
                    " free_unref_folios+0x1/0x2 mm/page_alloc.c:2700",
                    "Modules linked in:",
                    "CPU: 0 UID: 0 PID: 77 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                    "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                    " bad_page+0x1/0x2 mm/page_alloc.c:500", " free_unref_folios+0x1/0x2",
                    " irqfd_ring_release+0x1/0x2 virt/kvm/eventfd.c:600", " </TASK>"});
    log.chatter(2);
    EXPECT_EQ(only_report(log.str()).title,
              std::string("BUG: Bad page ") + std::string(what) + " in irqfd_ring_fault");
  }
}

TEST(Classes, KernelPanicAloneAndAsEpilogue) {
  LogBuilder alone;
  alone.add("T1", {"Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b",
                   "Kernel Offset: disabled", "---[ end Kernel panic - not syncing ]---"});
  Report r = only_report(alone.str());
  EXPECT_EQ(r.title, "kernel panic: Attempted to kill init!");

  LogBuilder after;
  after.add("T40", {"BUG: kernel NULL pointer dereference, address: 0000000000000008",
                    "RIP: 0010:irqfd_shutdown+0x22/0x1b0", "Call Trace:", " <TASK>",
                    " process_one_work+0x5f1/0xe70", " </TASK>",
                    "---[ end trace 0000000000000000 ]---",
                    "Kernel panic - not syncing: Fatal exception",
                    "---[ end Kernel panic - not syncing: Fatal exception ]---"});
  std::vector<Report> reports = scan_text(after.str());
  ASSERT_EQ(reports.size(), 1u) << "the panic is the oops's epilogue, not a second report";
  EXPECT_EQ(reports[0].title,
            "BUG: unable to handle kernel NULL pointer dereference in irqfd_shutdown");
}

TEST(Classes, Kmemleak) {
  LogBuilder log;
  log.add("T300", {"BUG: memory leak",
                   "unreferenced object 0xffff88800c1d2e00 (size 192):",
                   "  comm \"irqfd_selftest\", pid 40, jiffies 4294712345",
                   "  hex dump (first 32 bytes):",
                   "    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................",
                   "  backtrace (crc 1b2c3d4e):",
                   "    [<ffffffff81a2b3c4>] kmemleak_alloc+0x4a/0x80",
                   "    [<ffffffff81a2b3c5>] __kmalloc_cache_noprof+0x2f1/0x3c0",
                   "    [<ffffffff81a2b3c6>] kvm_irqfd_assign+0x8a/0x1200",
                   "    [<ffffffff81a2b3c7>] kvm_vm_ioctl+0x12ab/0x2300"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "memory leak in kvm_irqfd_assign");
  EXPECT_EQ(r.kind, "LEAK");
}

TEST(Classes, OrdinaryLinesAreNotReports) {
  LogBuilder log;
  log.add("T1", {"Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on",
                 "WARNING: The mand mount option has been deprecated and",
                 "EXT4-fs (vda): INFO: recovery required on readonly filesystem",
                 "INFO: lockdep is turned off.",
                 "BUG UNIX (Not tainted): kasan: bad access detected",
                 "traps: a.out[312] general protection fault ip:7feb96eb56a1 sp:20000fd0 error:0 in a.out[400000+1000]",
                 // The same notice with its "traps: comm[pid]" cut off by another line.
                 "general protection fault ip:7feb96eb56a1 sp:20000fd0 error:0 in a.out[400000+1000]",
                 "XFS (sda1): WARNING: Reset corrupted AGFL on AG 1",
                 "BTF_INFO: 12 entries", "skb_over_panic: text:ffffffff8123 len:4",
                 "ALSA: seq fatal error: cannot create timer (-22)",
                 "kvm: irqfd: BUG-compatible mode, WARNING level 3",
                 "# irqfd_selftest: KASAN and lockdep enabled, watching for BUG and WARNING lines",
                 "ok 1 irqfd.AssignDeassign"});
  EXPECT_TRUE(scan_text(log.str()).empty());
}

TEST(Classes, GoRuntimeCrashesOpenAtTheirFirstLine) {
  // The fuzzer's Go programs print to the same console, without stamps.
  LogBuilder fatal;
  fatal.chatter(2);
  fatal.unstamped("fatal error: runtime: bad pointer in frame main.loop at 0xc000123456: 0x1");
  fatal.unstamped("");
  fatal.unstamped("runtime stack:");
  fatal.unstamped("runtime.throw({0x8d1e2f, 0x2b})");
  fatal.unstamped("goroutine 1 [running]:");
  std::vector<Report> reports = scan_text(fatal.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "go runtime error");
  EXPECT_EQ(reports[0].kind, "DoS");
  EXPECT_EQ(reports[0].line, 3u) << "the report starts at the fatal error line";

  LogBuilder panic;
  panic.chatter(1);
  panic.unstamped("panic: runtime error: index out of range [5] with length 3");
  panic.unstamped("");
  panic.unstamped("goroutine 37 [running]:");
  panic.unstamped("main.(*Fuzzer).poll(0xc0001b2000, 0x1)");
  reports = scan_text(panic.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "panic: runtime error: index out of range [NUM] with length NUM");
  EXPECT_EQ(reports[0].kind, "DoS");
}

TEST(Classes, GoroutineDumpsAndPanicWordsInsideNamesAreNotReports) {
  LogBuilder log;
  // A Go program asked for its goroutines (SIGQUIT) prints them and goes on.
  log.unstamped("SIGQUIT: quit");
  log.unstamped("goroutine 0 [idle]:");
  log.unstamped("runtime stack:");
  log.unstamped("goroutine 7 [chan receive, 2 minutes]:");
  log.add("T1", {"ALSA: seq fatal error: cannot create timer (-22)",
                 "fatal error: cannot create timer (-22)",
                 "xlog_status: panic: 0 errors",
                 "ok 2 irqfd.DeassignRacesClose"});
  std::vector<Report> reports = scan_text(log.str());
  for (const Report& r : reports) ADD_FAILURE() << r.title << " at line " << r.line;
}

TEST(Classes, SubsystemsOwnWarningAfterItsNameIsAReport) {
  LogBuilder log;
  log.add("T4560", {"XFS (dm-0): Mounting V5 Filesystem",
                    "XFS (dm-0): WARNING: Reset corrupted AGFL on AG 1. 2 blocks leaked. "
                    "Please unmount and run xfs_repair.",
                    "XFS (dm-0): Ending clean mount"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title,
            "WARNING: Reset corrupted AGFL on AG NUM. NUM blocks leaked. Please unmount and run "
            "xfs_repair.");
  EXPECT_EQ(reports[0].line, 2u);
}

TEST(Classes, HealthySubsystemNoticesWithReportWordsAreNotReports) {
  LogBuilder log;
  log.add("T4560", {"XFS (sda1): WARNING: Reset corrupted AGFL on AG 1. 2 blocks leaked.",
                    "EXT4-fs (vda): WARNING: mounting fs with errors, running e2fsck is recommended",
                    "EXT4-fs (loop0): INFO: recovery required on readonly filesystem",
                    "ODEBUG: selftest passed", "Boot_DEBUG: stage 3"});
  std::vector<Report> reports = scan_text(log.str());
  for (const Report& r : reports) ADD_FAILURE() << r.title << " at line " << r.line;
}

// The first title each log gives, one log per line list.
std::string first_title(std::initializer_list<std::string_view> lines) {
  LogBuilder log;
  log.chatter(2);
  log.add("T42", lines);
  std::vector<Report> reports = scan_text(log.str());
  return reports.empty() ? "none" : reports[0].title;
}

TEST(Classes, TrustyPanics) {
  EXPECT_EQ(first_title({"trusty: panic (ffff00000a1b2c3d): ASSERT FAILED at "
                         "(lib/trusty/irqfd.c:12): irq != NULL"}),
            "trusty: ASSERT FAILED: irq != NULL");
  EXPECT_EQ(first_title({"trusty: panic (ffff00000a1b2c3d): DEBUG ASSERT FAILED at "
                         "(lib/trusty/irqfd.c:12): irq != NULL"}),
            "trusty: ASSERT FAILED: irq != NULL");
  EXPECT_EQ(first_title({"trusty: panic (ffff00000a1b2c3d): out of memory in irqfd pool"}),
            "trusty: panic: out of memory in irqfd pool");
  // The words cut off where the layout expects them: still a report.
  EXPECT_EQ(first_title({"trusty: panic ASSERT FAILED: irq != NULL"}),
            "trusty: ASSERT FAILED: irq != NULL");
}

TEST(Classes, ReportWordsNoRowReadsAreTitledByTheirLine) {
  // Headers cut short before the words a class is read from: still
  // reports, titled by the line as syzkaller titles a header no format
  // matches.
  EXPECT_EQ(first_title({"Kernel panic - not syn"}), "Kernel panic - not syn");
  EXPECT_EQ(first_title({"kernel BUG"}), "kernel BUG");
  EXPECT_EQ(first_title({"UBSAN:"}), "UBSAN:");
  EXPECT_EQ(first_title({"unregister_netdevice: waiting for syz_tun to bec"}),
            "unregister_netdevice: waiting for syz_tun to bec");
  EXPECT_EQ(first_title({"invalid opcode:"}), "invalid opcode:");
  // Weak: after a report they are its detail, not a second report.
  LogBuilder log;
  log.add("T42", {"kernel BUG at virt/kvm/eventfd.c:300!", "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
                  "RIP: 0010:irqfd_shutdown+0x2a/0x40", "Call Trace:", " <TASK>",
                  " irqfd_shutdown+0x2a/0x40", " process_one_work+0x5d0/0x1080", " </TASK>",
                  "---[ end trace 0000000000000000 ]---", "Kernel panic - not syn"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "kernel BUG in irqfd_shutdown");
}

TEST(Classes, ALineNoClassReadsGivesWayToALaterHeaderOfItsFamilyFromTheSameTask) {
  // syzkaller's parser reads a title from the first of the header family's
  // formats that matches in the task's lines from the first header on.
  const std::initializer_list<std::string_view> warn = {
      "------------[ cut here ]------------",
      "WARNING: CPU: 0 PID: 40 at virt/kvm/eventfd.c:371 kvm_irqfd_assign+0x8d2/0x1200",
      "RIP: 0010:kvm_irqfd_assign+0x8d2/0x1200", "Call Trace:", " <TASK>",
      " kvm_irqfd+0x11e/0x150", " </TASK>", "---[ end trace 0000000000000000 ]---"};
  // The first report's title when `caller` printed `line` before task 40's WARNING.
  auto first = [&](std::string_view caller, std::string_view line, std::size_t* count = nullptr) {
    LogBuilder log;
    log.add(caller, {line});
    log.add("T40", warn);
    std::vector<Report> found = scan_text(log.str());
    if (count) *count = found.size();
    return found.empty() ? std::string("none") : found[0].title;
  };
  std::size_t count = 0;
  EXPECT_EQ(first("T40", "WARNING: irqfd: resampler list is inconsistent", &count),
            "WARNING in kvm_irqfd_assign");
  EXPECT_EQ(count, 1u);
  // Another family does not name it, nor does another task.
  EXPECT_EQ(first("T40", "BUG: irqfd: resampler list is inconsistent"),
            "BUG: irqfd: resampler list is inconsistent");
  EXPECT_EQ(first("T41", "WARNING: irqfd: resampler list is inconsistent"),
            "WARNING: irqfd: resampler list is inconsistent");
  // Without caller ids the parser's report ends where the second header
  // starts: the first line's own words stand.
  std::string plain = "[   10.000001] WARNING: irqfd: resampler list is inconsistent\n";
  for (std::string_view l : warn) plain += "[   10.000002] " + std::string(l) + "\n";
  std::vector<Report> reports = scan_text(plain);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].title, "WARNING: irqfd: resampler list is inconsistent");
}

TEST(Classes, BugLineNoClassKnowsIsTitledByItsWords) {
  EXPECT_EQ(first_title({"BUG: looking up invalid subclass: 8", "Call Trace:",
                         " lockdep_init_map_type+0x1/0x2", " kvm_irqfd_assign+0x8d2/0x1200"}),
            "BUG: looking up invalid subclass: NUM");
  EXPECT_EQ(first_title({"BUG: workqueue leaked atomic, lock or RCU: kworker/0:1[12]"}),
            "BUG: workqueue leaked atomic, lock or RCU: kworker/NUM:NUM[NUM]");
  EXPECT_EQ(first_title({"BUG kmalloc-64 (Not tainted): Right Redzone overwritten"}),
            "BUG kmalloc-NUM (Not tainted): Right Redzone overwritten");
  // The fuzzer's own host check says BUG: and is no kernel report.
  EXPECT_EQ(first_title({"BUG: no syscalls can create resource fd_bpf"}), "none");
}

TEST(Classes, OldKasanReportPrintsSlabLinesBeforeItsTrace) {
  // 4.x KASAN: the access, then SLUB's own "BUG kmalloc-..." and "INFO:"
  // lines, then the trace; the SLUB lines are the report's detail.
  LogBuilder log;
  log.add("T9", {"BUG: KASAN: use-after-free in irqfd_wakeup+0x3a/0x200 at addr ffff8801c1a2b3c0",
                 "Read of size 8 by task syz-executor3/4242",
                 "BUG kmalloc-64 (Not tainted): kasan: bad access detected",
                 "Call Trace:", " dump_stack+0x1/0x2", " kasan_report+0x1/0x2",
                 " irqfd_wakeup+0x3a/0x200", " __wake_up_common+0x1/0x2",
                 " eventfd_release+0x1/0x2"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "KASAN: use-after-free Read in irqfd_wakeup");
}

TEST(Classes, FixedSentencesOfOlderAndOtherArchKernels) {
  EXPECT_EQ(first_title({"BUG: KASAN: use-after-free on address ffff88003a2b1c40",
                         "Read of size 8 by task syz-executor/4242"}),
            "KASAN: use-after-free Read");
  EXPECT_EQ(first_title({"BUG: non-zero nr_ptes on freeing mm: 1"}),
            "BUG: non-zero nr_ptes on freeing mm");
  EXPECT_EQ(first_title({"BUG: Bad page map in process syz-executor  pte:ffff8801a700ff00",
                         "Call Trace:", " print_bad_pte+0x1/0x2", " zap_pte_range+0x1/0x2"}),
            "BUG: Bad page map");
  EXPECT_EQ(first_title({"Unable to handle kernel access to user memory outside uaccess routines "
                         "at virtual address 0000000020000100",
                         "pc : irqfd_inject+0x24/0x40", "Call trace:", " irqfd_inject+0x24/0x40",
                         " process_one_work+0x1/0x2"}),
            "BUG: unable to handle kernel access to user memory in irqfd_inject");
  EXPECT_EQ(first_title({"Kernel BUG at irqfd_shutdown+0x12/0x40 [verbose debug info unavailable]"}),
            "kernel BUG at irqfd_shutdown [verbose debug info unavailable]");
}

TEST(Classes, KernelPanicMessagesAsSyzbotWordsThem) {
  EXPECT_EQ(first_title({"Kernel panic - not syncing: Couldn't open N_TTY ldisc for ptm0 --- error -12."}),
            "kernel panic: Couldn't open N_TTY ldisc");
  EXPECT_EQ(first_title({"Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b"}),
            "kernel panic: Attempted to kill init!");
  EXPECT_EQ(first_title({"Kernel panic - not syncing: Fatal exception in interrupt"}),
            "kernel panic: Fatal exception");
  // Other messages are their own title, trailing words and all.
  EXPECT_EQ(first_title({"Kernel panic - not syncing: kernel: panic_on_warn set ..."}),
            "kernel panic: kernel: panic_on_warn set ...");
  EXPECT_EQ(first_title({"Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"}),
            "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)");
}

// The first report's title of a log built with LogBuilder, or "none".
std::string first_title_of(const LogBuilder& log) {
  std::vector<Report> reports = scan_text(log.str());
  return reports.empty() ? "none" : reports[0].title;
}

TEST(Classes, ReportWordsInsideALineOpenAReport) {
  // Another CPU's unfinished line glued to the report's first line.
  LogBuilder log;
  log.add("T9", {"bridge0: port 1(bridge_slave_0) entered blocBUG: KASAN: slab-use-after-free in "
                 "irqfd_wakeup+0x3a/0x200",
                 "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242",
                 "Call Trace:", " <TASK>", " dump_stack_lvl+0x1/0x2", " kasan_report+0x1/0x2",
                 " irqfd_wakeup+0x3a/0x200", " __wake_up_common+0x1/0x2", " </TASK>"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup");
  EXPECT_EQ(first_title({"syz-executor: unregister_netdevice: waiting for lo to become free. Usage count = 2"}),
            "unregister_netdevice: waiting for DEV to become free");
  // Report words earlier in the line that open no report do not hide a
  // later one.
  LogBuilder glued;
  glued.add("T9", {"syz-executor: INFO: x BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                   "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242",
                   "Call Trace:", " <TASK>", " irqfd_wakeup+0x3a/0x200", " </TASK>"});
  reports = scan_text(glued.str());
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup");
  // Nor does a first place of the same word.
  EXPECT_EQ(first_title({"syz-executor: BUG: no syscalls can create resource fd BUG: KASAN: "
                         "slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                         "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242"}),
            "KASAN: slab-use-after-free Read in irqfd_wakeup");
  // The same inside the text a lost newline left before an inner timestamp.
  LogBuilder merged;
  merged.add("T9", {"irqfd: BUG: unable to handle page fault for address: ffff8880[  153.600000][ T10] "
                    "bridge0: port 1 entered blocking state",
                    "RIP: 0010:irqfd_wakeup+0x3a/0x200", "Call Trace:", " <TASK>",
                    " __wake_up_common+0x1/0x2", " </TASK>"});
  EXPECT_EQ(first_title_of(merged), "BUG: unable to handle kernel paging request in irqfd_wakeup");
  // And in a line between two others when three lost their newlines; the
  // report's task is the one named before its header, not the last one.
  LogBuilder three;
  three.add("T9", {"bridge0: port 1 entered blocking state[  153.600000][ T10] BUG: unable to "
                   "handle page fault for address: ffff8880[  153.600100][ T11] "
                   "bridge0: port 2 entered blocking state"});
  three.add("T10", {"RIP: 0010:irqfd_wakeup+0x3a/0x200", "Call Trace:", " <TASK>",
                    " __wake_up_common+0x1/0x2", " </TASK>"});
  EXPECT_EQ(first_title_of(three), "BUG: unable to handle kernel paging request in irqfd_wakeup");
  // A header in an earlier merged line opens the report even when the last
  // one holds a header too: it was printed first.
  LogBuilder both;
  both.add("T9", {"bridge0: port 1 entered blocking state[  153.600000][ T10] BUG: KASAN: "
                  "slab-use-after-free in irqfd_wakeup+0x3a/0x200[  153.600100][ T11] WARNING: CPU: 1 "
                  "PID: 11 at net/core/dev.c:10 dev_foo+0x1/0x2"});
  both.add("T10", {"Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242", "Call Trace:",
                   " <TASK>", " irqfd_wakeup+0x3a/0x200", " </TASK>"});
  EXPECT_EQ(first_title_of(both), "KASAN: slab-use-after-free Read in irqfd_wakeup");
}

TEST(Classes, ShortOrGluedBugAndWarningLinesAreTitledByThemselves) {
  // syzkaller's parser finds "BUG:" and "WARNING:" wherever they stand and,
  // when no format reads the rest, titles the report by the line: however
  // short the rest, and with no space after the colon. Each is followed by
  // a report a row reads of another family, which they come before (one of
  // the same family from the same task would name the report, as syzkaller
  // reads the family's formats over all of the task's lines).
  auto then_kasan = [](std::string_view first) {
    return first_title({first, "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                        "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242"});
  };
  auto then_gpf = [](std::string_view first) {
    return first_title({first, "eth0: link becomes ready",
                        "general protection fault, probably for non-canonical address "
                        "0xdffffc0000000000: 0000 [#1] PREEMPT SMP KASAN",
                        "RIP: 0010:irqfd_wakeup+0x3a/0x200"});
  };
  EXPECT_EQ(then_gpf("BUG: ab"), "BUG: ab");
  EXPECT_EQ(then_gpf("BUG:x"), "BUG:x");
  EXPECT_EQ(then_kasan("WARNING: ab"), "WARNING: ab");
  EXPECT_EQ(then_kasan("WARNING:x"), "WARNING:x");
  // The notices that are no report are syzkaller's exact words: without
  // the space, sshd's notice is a report too.
  EXPECT_EQ(then_kasan("WARNING: /etc/ssh/moduli does not exist, using fixed modulus"),
            "KASAN: slab-use-after-free Read in irqfd_wakeup");
  EXPECT_EQ(then_kasan("WARNING:/etc/ssh/moduli does not exist, using fixed modulus"),
            "WARNING:/etc/ssh/moduli does not exist, using fixed modulus");
  EXPECT_EQ(first_title({"BUG: no syscalls can create resource fd_bpf"}), "none");
}

TEST(Classes, UpperCasedInfoLineIsTitledByItself) {
  // A syslog daemon that upper-cases lines: none of syzkaller's formats
  // reads them, so the line itself is the title.
  // Before a report a row reads, it is the first report.
  EXPECT_EQ(first_title({"INFO: TRYING TO REGISTER NON-STATIC KEY.",
                         "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                         "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242"}),
            "INFO: TRYING TO REGISTER NON-STATIC KEY.");
  EXPECT_EQ(first_title({"INFO: RCU_PREEMPT DETECTED STALLS ON CPUS/TASKS:"}),
            "INFO: RCU_PREEMPT DETECTED STALLS ON CPUS/TASKS:");
  // In ordinary case no row reads such a line: a later report names the log.
  EXPECT_EQ(first_title({"INFO: some driver said hello",
                         "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                         "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242"}),
            "KASAN: slab-use-after-free Read in irqfd_wakeup");
}

TEST(Classes, EveryReportWordOfSyzkallerIsSeenInALine) {
  // syzkaller's report words (linux.go's oops headers and report.go's), each
  // inside other text: report_word_place must find every one.
  for (std::string_view word :
       {"BUG:", "WARNING:", "INFO:", "Unable to handle kernel", "general protection fault",
        "stack segment: ", "Kernel panic", "PANIC: double fault", "kernel BUG", "Kernel BUG",
        "BUG kmalloc-", "divide error:", "divide_error:", "invalid opcode:", "UBSAN:",
        "unregister_netdevice: waiting for", "VFS: Close: file count is 0",
        "VFS: Busy inodes after unmount", "Internal error:", "Unhandled fault:", "Alignment trap:",
        "fatal error:", "SYZFAIL:", "SYZFATAL:", "trusty: panic", "rust_kernel: panicked", "panic:"}) {
    std::string line = "abc " + std::string(word) + " xyz";
    EXPECT_EQ(splatscan::report_word_place(line), 4u) << word;
  }
  EXPECT_EQ(splatscan::report_word_place("eth0: link becomes ready"), std::string_view::npos);
}

TEST(Classes, ReportWordIsTheLogsReportWhenNoRowOpensOne) {
  // syzkaller's test for a crash in a log is one of its report words in a
  // line with none of the notices it passes over; when no row reads such a
  // line and nothing else in the log is a report, the line is the report,
  // titled from the word on.
  EXPECT_EQ(first_title({"INFO:x"}), "INFO:x");
  EXPECT_EQ(first_title({"driver: INFO: some driver said hello", "more"}),
            "INFO: some driver said hello");
  // The notices syzkaller passes over stay none.
  EXPECT_EQ(first_title({"INFO: lockdep is turned off."}), "none");
  EXPECT_EQ(first_title({"INFO: NMI handler (perf_event_nmi_handler) took too long to run: 2.277 msecs"}),
            "none");
  EXPECT_EQ(first_title({"perf: INFO: interrupt took too long (2500 > 2495)"}), "none");
  EXPECT_EQ(first_title({"INFO: sys_foo is not present in /proc/kallsyms"}), "none");
  EXPECT_EQ(first_title({"XFS (loop4): WARNING: Reset corrupted AGFL on AG 0."}), "none");
  EXPECT_EQ(first_title({"snd: fatal error: cannot create timer (-22)"}), "none");
  EXPECT_EQ(first_title({"EXT4-fs (loop0): WARNING: mounting fs with errors"}), "none");
  EXPECT_EQ(first_title({"perf: INFO: took too long to flush; irq handler stuck, took too long again"}),
            "none");
  // Not the notices: syzkaller's patterns want these words in this order.
  EXPECT_EQ(first_title({"EXT4-fs warning: WARNING: bar"}), "WARNING: bar");
  EXPECT_EQ(first_title({"INFO: my is not present in /proc/kallsyms"}),
            "INFO: my is not present in /proc/kallsyms");
  EXPECT_EQ(first_title({"XFS (dm-0): WARNING: x"}), "WARNING: x");
  EXPECT_EQ(first_title({"CAPABILITY: WARNING: `SYZ.2.309' USES DEPRECATED V2 CAPABILITIES"}), "none");
  // Upper-cased, the other notices are no longer the ones syzkaller knows.
  EXPECT_EQ(first_title({"WARNING: THE MAND MOUNT OPTION HAS BEEN DEPRECATED"}),
            "WARNING: THE MAND MOUNT OPTION HAS BEEN DEPRECATED");
  // A later report found by a row names the log instead.
  EXPECT_EQ(first_title({"INFO:x", "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x3a/0x200",
                         "Read of size 8 at addr ffff88801c1a2b3c by task syz-executor/4242"}),
            "KASAN: slab-use-after-free Read in irqfd_wakeup");
}

TEST(Classes, BenignWarningNoticesAreMatchedInSyzkallersWordsOnly) {
  EXPECT_EQ(first_title({"WARNING: Unsupported flag value(s) of 0x%x in DT_FLAGS_1."}), "none");
  EXPECT_EQ(first_title({"WARNING: Unsupported flag value(s) of 0x8000000 in DT_FLAGS_1."}),
            "WARNING: Unsupported flag value(s) of ADDR in DT_FLAGS_1.");
  EXPECT_EQ(first_title({"Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on, data "
                         "leaks possible via Spectre v2 BHB attacks!"}),
            "none");
  EXPECT_EQ(first_title({"WARNING: Unprivileged eBPF is enabled, data leaks possible"}),
            "WARNING: Unprivileged eBPF is enabled, data leaks possible");
}

TEST(Classes, SoftLockupIsNamedJustInsideTheFirstDispatcherFromTheRipLineOn) {
  // The interrupted function on the RIP line is the first frame: with no
  // IRQ frames printed it is the one just inside vfs_read.
  LogBuilder log;
  log.add("C0", {"watchdog: BUG: soft lockup - CPU#0 stuck for 143s! [irqfd_selftest:40]",
                 "Modules linked in:", "CPU: 0 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                 "RIP: 0010:eventfd_read_loop+0x1c4/0x3a0", "RSP: 0018:ffffc90003a47b28 EFLAGS: 00000246",
                 "Call Trace:", " <IRQ>", " </IRQ>", " <TASK>", " vfs_read+0xb9/0x530",
                 " ksys_read+0xee/0x540", " do_syscall_64+0x123/0x550",
                 " entry_SYSCALL_64_after_hwframe+0x77/0x7f", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "BUG: soft lockup in eventfd_read_loop");
}

TEST(Classes, DecodedLogIsReadAsTheRawOneWouldBe) {
  // The same soft lockup after scripts/decode_stacktrace.sh (offsets
  // replaced by locations, the frame's leading space gone with the
  // timestamp's padding, as robots' reports print it): the RIP line and
  // the frames are the same frames, and the title the same.
  std::string log =
      "[  143.100001][    C0] watchdog: BUG: soft lockup - CPU#0 stuck for 143s! [irqfd_selftest:40]\n"
      "[  143.100002][    C0] CPU: 0 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1\n"
      "[ 143.100003][ C0] RIP: 0010:eventfd_read_loop (fs/eventfd.c:291 (discriminator 3))\n"
      "[  143.100004][    C0] RSP: 0018:ffffc90003a47b28 EFLAGS: 00000246\n"
      "[  143.100005][    C0] Call Trace:\n"
      "[  143.100006][    C0]  <TASK>\n"
      "[ 143.100007][ C0] ? show_regs (arch/x86/kernel/dumpstack.c:479)\n"
      "[ 143.100008][ C0] vfs_read (fs/read_write.c:?)\n"
      "[ 143.100009][ C0] ksys_read (??:?)\n"
      "[ 143.100010][ C0] do_syscall_64 (arch/x86/entry/common.c:52 (discriminator 1) arch/x86/entry/common.c:83)\n"
      "[ 143.100011][ C0] entry_SYSCALL_64_after_hwframe (arch/x86/entry/entry_64.S:130)\n"
      "[  143.100012][    C0]  </TASK>\n";
  EXPECT_EQ(only_report(log).title, "BUG: soft lockup in eventfd_read_loop");
}

TEST(Classes, DecodedRipLineWhoseLineOrFileIsUnknownIsStillTheFirstFrame) {
  // The interrupted function is the one just inside vfs_read only through
  // the RIP line; addr2line knew no line, or no file, for it.
  for (std::string_view where : {"fs/eventfd.c:?", "??:?", "??:0"}) {
    std::string log =
        "[  143.100001][    C0] watchdog: BUG: soft lockup - CPU#0 stuck for 143s! [irqfd_selftest:40]\n"
        "[ 143.100003][ C0] RIP: 0010:eventfd_read_loop (" + std::string(where) + ")\n"
        "[  143.100005][    C0] Call Trace:\n"
        "[ 143.100008][ C0] vfs_read (fs/read_write.c:569)\n"
        "[ 143.100010][ C0] do_syscall_64 (arch/x86/entry/common.c:52)\n";
    EXPECT_EQ(only_report(log).title, "BUG: soft lockup in eventfd_read_loop") << where;
  }
}

TEST(Classes, DecodedRipLineInLibraryCodeIsPassedOverByItsFile) {
  // The trap hit in lib/string.c on behalf of its caller: the file the
  // decoded RIP line names says so, as the symbolised line's file does.
  for (std::string_view rip : {"RIP: 0010:strreplace (lib/string.c:12)",
                               "RIP: 0010:strreplace+0x1/0x2 lib/string.c:12"}) {
    LogBuilder log;
    log.add("C0", {"Oops: int3: 0000 [#1] SMP KASAN NOPTI",
                   "CPU: 0 UID: 0 PID: 5959 Comm: irqfd_selftest Not tainted 6.12.117 #1", rip,
                   "Call Trace:", " <TASK>", " irqfd_assign (virt/kvm/eventfd.c:412)",
                   " kvm_vm_ioctl (virt/kvm/kvm_main.c:5095)", " </TASK>"});
    EXPECT_EQ(only_report(log.str()).title, "int3 in irqfd_assign") << rip;
  }
}

TEST(Classes, StackProtectorNamesTheFunctionWhoseCanaryWasHitEvenALockFunction) {
  // The panic names the function whose canary was overwritten; that is the
  // finding, even when it is lock or library code a trace reader skips.
  LogBuilder log;
  log.add("T40", {"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
                  "lock_release+0x7f4/0x820",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80", " panic+0x2d6/0x715",
                  " __stack_chk_fail+0x12/0x20", " lock_release+0x7f4/0x820",
                  " _raw_spin_unlock+0x12/0x40", " irqfd_shutdown+0x242/0x2c0"});
  log.add("T40", kSyscallTail);
  EXPECT_EQ(only_report(log.str()).title, "kernel panic: stack is corrupted in lock_release");
}

TEST(Classes, StackProtectorWithAnAddressIsNamedFromTheTrace) {
  LogBuilder log;
  log.add("T40", {"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
                  "ffffffff812b2934",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " __stack_chk_fail+0x12/0x20",
                  " irqfd_shutdown+0x242/0x2c0"});
  log.add("T40", kSyscallTail);
  EXPECT_EQ(only_report(log.str()).title, "kernel panic: stack is corrupted in irqfd_shutdown");
}

TEST(Classes, SoftLockupInAKthreadIsNamedByTheThreadFunctionEvenWithFileNames) {
  // A symbolised arm64 trace: kthread is named with kernel/kthread.c, a
  // file syzkaller only passes over when it looks for the file to blame.
  // It is still the dispatch anchor, so the thread function just inside
  // it names the stall.
  LogBuilder log;
  log.add("C1", {"watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [irqfd-resampler:77]",
                 "Modules linked in:", "CPU: 1 PID: 77 Comm: irqfd-resampler Not tainted 6.12.117 #1",
                 "pc : memset+0x14/0x28 arch/arm64/lib/memset.S:40",
                 "lr : irqfd_scrub+0x6c/0x17c virt/kvm/eventfd.c:120", "Call trace:",
                 " memset+0x14/0x28 arch/arm64/lib/memset.S:40",
                 " irqfd_scrub+0x6c/0x17c virt/kvm/eventfd.c:120",
                 " irqfd_resampler_thread+0x190/0x734 virt/kvm/eventfd.c:140",
                 " kthread+0x334/0x3dc kernel/kthread.c:389",
                 " ret_from_fork+0x10/0x20 arch/arm64/kernel/entry.S:860"});
  EXPECT_EQ(only_report(log.str()).title, "BUG: soft lockup in irqfd_resampler_thread");
}

TEST(Classes, SchedulingWhileAtomicOnTheWayToUserSpaceNamesTheEntryCode) {
  // schedule() from exit_to_user_mode_prepare: syzkaller skips only the
  // scheduler here, so the generic entry code (kernel/entry/common.c) is
  // what the report is titled after.
  LogBuilder log;
  log.add("T40", {"BUG: scheduling while atomic: irqfd_selftest/40/0x00000002",
                  "no locks held by irqfd_selftest/40.", "Modules linked in:",
                  "CPU: 1 UID: 0 PID: 40 Comm: irqfd_selftest Not tainted 6.12.117 #1",
                  "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80 lib/dump_stack.c:123",
                  " __schedule_bug+0xf1/0x130 kernel/sched/core.c:5745",
                  " __schedule+0x1c2b/0x4e30 kernel/sched/core.c:6656",
                  " schedule+0xe7/0x3a0 kernel/sched/core.c:6850",
                  " exit_to_user_mode_prepare+0x142/0x250 kernel/entry/common.c:201",
                  " syscall_exit_to_user_mode+0x19/0x50 kernel/entry/common.c:218",
                  " do_syscall_64+0x42/0xb0 arch/x86/entry/common.c:89",
                  " entry_SYSCALL_64_after_hwframe+0x77/0x7f", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title,
            "BUG: scheduling while atomic in exit_to_user_mode_prepare");
}

TEST(Classes, RcuStallIsReadFromTheStalledCpusOwnTimerInterrupt) {
  // The idle CPU's NMI backtrace comes first; the stall is read from the
  // first timer interrupt on, the RIP it interrupted and the frames after.
  LogBuilder log;
  log.add("C0", {"rcu: INFO: rcu_preempt self-detected stall on CPU",
                 "rcu: \t0-....: (10500 ticks this GP) idle=9a4c/1/0x4000000000000000",
                 "Sending NMI from CPU 0 to CPUs 1:"});
  log.add("C1", {"NMI backtrace for cpu 1", "RIP: 0010:pv_native_safe_halt+0xf/0x20",
                 "Call Trace:", " <TASK>", " default_idle+0xb9/0x530", " do_idle+0x123/0x550",
                 " cpu_startup_entry+0x158/0x560", " start_secondary+0x18d/0x570", " </TASK>"});
  log.add("C0", {"NMI backtrace for cpu 0", "Call Trace:", " <IRQ>",
                 " dump_stack_lvl+0x4f/0x510", " nmi_cpu_backtrace+0x84/0x520",
                 " rcu_dump_cpu_stacks+0xee/0x540", " rcu_sched_clock_irq+0x18d/0x570",
                 " update_process_times+0x1/0x2", " __sysvec_apic_timer_interrupt+0x1/0x2",
                 " sysvec_apic_timer_interrupt+0x1/0x2", " </IRQ>", " <TASK>",
                 " asm_sysvec_apic_timer_interrupt+0x1a/0x20",
                 "RIP: 0010:irqfd_inject_loop+0x2d/0x90", " kvm_vm_ioctl+0x1/0x2",
                 " __x64_sys_ioctl+0x19a/0x210", " do_syscall_64+0xbb/0x1d0",
                 " entry_SYSCALL_64_after_hwframe+0x77/0x7f", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "INFO: rcu detected stall in kvm_vm_ioctl");
}

TEST(Classes, StallWithoutADispatcherInItsTraceIsCorrupted) {
  // Cut short before any syscall, softirq, timer or kthread frame: syzbot
  // cannot name it either.
  LogBuilder log;
  log.add("C0", {"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [irqfd_selftest:40]",
                 "RIP: 0010:irqfd_inject_loop+0x2d/0x90", "Call Trace:", " <TASK>",
                 " irqfd_inject+0x1/0x2", " irqfd_wakeup+0x1/0x2"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "BUG: soft lockup in corrupted");
  EXPECT_TRUE(reports[0].corrupted);
}

TEST(Classes, AReportIsTheLinesOfItsOwnCallerUntilItAsksOtherCpus) {
  // Another CPU's interrupt-context trace printed inside a task's report.
  LogBuilder log;
  log.add("T42", {"BUG: KASAN: slab-out-of-bounds in strlen+0x5f/0x70",
                  "Read of size 1 at addr ffff88801c1a2b3c by task irqfd_selftest/42",
                  "Call Trace:", " <TASK>"});
  log.add("C1", {" skb_recv_done+0x1/0x2", " vring_interrupt+0x1/0x2"});
  log.add("T42", {" dump_stack_lvl+0x1/0x2", " kasan_report+0x1/0x2", " strlen+0x5f/0x70",
                  " irqfd_parse_name+0x1/0x2", " kvm_vm_ioctl+0x1/0x2", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "KASAN: slab-out-of-bounds Read in irqfd_parse_name");

  // A task's fault-injection trace printed inside a CPU's lockup report.
  LogBuilder lockup;
  lockup.add("C0", {"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [kworker/0:1:12]",
                    "RIP: 0010:irqfd_inject_loop+0x2d/0x90", "Call Trace:", " <TASK>"});
  lockup.add("T7001", {"FAULT_INJECTION: forcing a failure.", "Call Trace:",
                       " should_fail_ex+0x1/0x2", " eventfd_write+0x1/0x2", " vfs_write+0x1/0x2"});
  lockup.add("C0", {" irqfd_inject+0x1/0x2", " process_one_work+0x1/0x2",
                    " worker_thread+0x1/0x2", " </TASK>"});
  std::vector<Report> reports = scan_text(lockup.str());
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].title, "BUG: soft lockup in irqfd_inject");
}

TEST(Classes, DeduplicatedByTitleWithCount) {
  LogBuilder log;
  for (int i = 0; i < 3; ++i) {
    add_kasan(log, "BUG: KASAN: slab-use-after-free in eventfd_ctx_remove_wait_queue+0x2e/0x1a0",
              "Read of size 8 at addr ffff888004a1c2e8 by task kworker/1:2/123");
    log.chatter(2);
  }
  log.add("T31", {"------------[ cut here ]------------",
                  "WARNING: CPU: 1 PID: 31 at virt/kvm/eventfd.c:371 kvm_irqfd_assign+0x8d2/0x1200",
                  "Call Trace:", " kvm_irqfd+0x11e/0x150", "---[ end trace 0000000000000000 ]---"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].count, 3u);
  EXPECT_EQ(reports[1].count, 1u);
  EXPECT_EQ(reports[1].title, "WARNING in kvm_irqfd_assign");
}

TEST(Classes, ReportCutShortIsStillReported) {
  // A guest that hangs after the header leaves a report without its trace.
  LogBuilder log;
  log.add("T123", {"==================================================================",
                   "BUG: KASAN: slab-use-after-free in eventfd_ctx_remove_wait_queue+0x2e/0x1a0"});
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].corrupted);
  EXPECT_EQ(reports[0].title.rfind("KASAN: slab-use-after-free", 0), 0u) << reports[0].title;
}

}  // namespace
}  // namespace splatscan

namespace splatscan {
namespace {

TEST(Classes, HungTaskBehindRtnlOrGracePeriodIsBucketed) {
  LogBuilder log;
  log.add("T20", {"INFO: task syz.0.1:61 blocked for more than 143 seconds.",
                  "task:syz.0.1         state:D stack:0     pid:61    tgid:61    ppid:2",
                  "Call Trace:", " <TASK>", " __schedule+0x1c2b/0x4e30",
                  " schedule+0xe7/0x3a0", " __mutex_lock+0x6a1/0x1090",
                  " rtnl_lock+0x15/0x20", " foo_ioctl+0x10f/0x1b0", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "INFO: task hung in rtnl_lock");
  LogBuilder rcu;
  rcu.add("T20", {"INFO: task kworker/0:1:61 blocked for more than 143 seconds.",
                  "Call Trace:", " <TASK>", " __schedule+0x1c2b/0x4e30",
                  " schedule+0xe7/0x3a0", " wait_for_completion+0x10/0x20",
                  " __synchronize_srcu+0x1/0x2", " bar_release+0x10f/0x1b0", " </TASK>"});
  EXPECT_EQ(only_report(rcu.str()).title, "INFO: task hung in synchronize_rcu");
}

TEST(Classes, HungTaskPassesOverWaitingWords) {
  LogBuilder log;
  log.add("T20", {"INFO: task syz.0.1:61 blocked for more than 143 seconds.",
                  "Call Trace:", " <TASK>", " __schedule+0x1c2b/0x4e30",
                  " io_schedule+0xe7/0x3a0", " rq_qos_wait+0x1/0x2",
                  " percpu_down_write+0x1/0x2", " ext4_writepages+0x10f/0x1b0", " </TASK>"});
  EXPECT_EQ(only_report(log.str()).title, "INFO: task hung in ext4_writepages");
}

TEST(Classes, Int3TrapIsNamedPastTheAllocator) {
  LogBuilder log;
  log.add("C0", {"Oops: int3: 0000 [#1] SMP KASAN NOPTI",
                 "CPU: 0 UID: 0 PID: 5959 Comm: syz-executor130 Not tainted 6.15.0 #0",
                 "RIP: 0010:kmem_cache_alloc_noprof+0x83/0x3b0",
                 "RSP: 0018:ffffc9000407f600 EFLAGS: 00000246", "Call Trace:", " <TASK>",
                 " __alloc_skb+0x1/0x2", " netlink_sendmsg+0x10f/0x1b0", " </TASK>",
                 "---[ end trace 0000000000000000 ]---",
                 "Kernel panic - not syncing: Fatal exception in interrupt"});
  Report r = only_report(log.str());
  EXPECT_EQ(r.title, "int3 in netlink_sendmsg");
  EXPECT_EQ(r.kind, "DoS");
}

}  // namespace
}  // namespace splatscan
