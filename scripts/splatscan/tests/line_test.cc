#include <gtest/gtest.h>

#include <string_view>
#include <utility>

#include "splatscan/internal.h"

namespace splatscan {
namespace {

TEST(StripPrefix, TimestampAndCallerId) {
  LogLine l = strip_prefix("[   12.345678][  T123] BUG: KASAN: x");
  EXPECT_EQ(l.body, "BUG: KASAN: x");
  EXPECT_EQ(l.caller, "T123");
  l = strip_prefix("[    0.000000][    C1]  irqfd_wakeup+0x1/0x2\r");
  EXPECT_EQ(l.body, " irqfd_wakeup+0x1/0x2") << "indentation kept, CR dropped";
  EXPECT_EQ(l.caller, "C1");
}

TEST(StripPrefix, SyslogAndForeignPrefixes) {
  EXPECT_EQ(strip_prefix("<4>[   1.5] WARNING: CPU: 0").body, "WARNING: CPU: 0");
  EXPECT_EQ(strip_prefix("Dec  4 15:56:11 host kernel: [   62.262385] BUG: x").body, "BUG: x");
  EXPECT_EQ(strip_prefix("no prefix at all").body, "no prefix at all");
  EXPECT_EQ(strip_prefix("").body, "");
}

TEST(StripPrefix, WallClockOfSyslogJournalAndDmesgT) {
  for (const char* line : {"Dec  2 15:57:30 host kernel: BUG: KASAN: x",
                           "Dec 02 15:57:30 host kernel: BUG: KASAN: x",
                           "2026-12-02T15:57:30.123456+00:00 host kernel: BUG: KASAN: x",
                           "2026-12-02T15:57:30+0000 host kernel: BUG: KASAN: x",
                           "[Wed Dec  2 15:57:30 2026] BUG: KASAN: x"}) {
    LogLine l = strip_prefix(line);
    EXPECT_EQ(l.body, "BUG: KASAN: x") << line;
    EXPECT_TRUE(l.stamped) << line;
  }
  // Bracketed words that only look like a date are left alone.
  EXPECT_EQ(strip_prefix("[Wed Dec 2] BUG: x, and a long enough line").body,
            "[Wed Dec 2] BUG: x, and a long enough line");
  // Another program's line in the same journal keeps its prefix and is not
  // the kernel's.
  LogLine other = strip_prefix("Dec  2 15:57:30 host systemd[1]: BUG: not a kernel line");
  EXPECT_FALSE(other.stamped);
  EXPECT_EQ(other.body, "Dec  2 15:57:30 host systemd[1]: BUG: not a kernel line");
}

TEST(StripPrefix, MergedLinesStartAtTheInnerPrefix) {
  EXPECT_EQ(strip_prefix("[ 76.47] vmalloc: allocation failure[   76.471107] BUG: unable").body,
            "BUG: unable");
  LogLine l = strip_prefix("** 5 printk messages dropped ** [  60.1][ T77] INFO: Freed");
  EXPECT_EQ(l.body, "INFO: Freed");
  EXPECT_EQ(l.caller, "T77");
}

TEST(StripPrefix, LinesBetweenFirstAndLastMergedAreKept) {
  // Three lines that lost their newlines: the middle one is neither
  // `before` nor the body, and is kept with the caller id printed before it.
  LogLine l = strip_prefix("[  10.0][ T1] a[  10.1][ T2] WARNING: b[  10.2][ C3] c [  10.3][ T4] d");
  EXPECT_EQ(l.before, "a");
  EXPECT_EQ(l.before_caller, "T1");
  EXPECT_EQ(l.body, "d");
  EXPECT_EQ(l.caller, "T4");
  std::vector<MergedLine> middle = merged_lines(l);
  ASSERT_EQ(middle.size(), 2u);
  EXPECT_EQ(middle[0].text, "WARNING: b");
  EXPECT_EQ(middle[0].caller, "T2");
  EXPECT_EQ(middle[1].text, "c");
  EXPECT_EQ(middle[1].caller, "C3");
  // Two lines merged: nothing between.
  EXPECT_TRUE(strip_prefix("[  10.0] a [  10.1] b").middle.empty());
  // A logger's prefix is `before`; the line printed before the inner
  // prefix is then the one between.
  LogLine logged = strip_prefix("host kernel: [  10.0] BUG: x [  10.1] y");
  EXPECT_EQ(logged.before, "host kernel:");
  EXPECT_EQ(logged.body, "y");
  ASSERT_EQ(merged_lines(logged).size(), 1u);
  EXPECT_EQ(merged_lines(logged)[0].text, "BUG: x");
}

TEST(StripPrefix, DmesgFacilityAndLevel) {
  LogLine l = strip_prefix("kern  :warn  : [   62.262385] BUG: KASAN: x");
  EXPECT_EQ(l.body, "BUG: KASAN: x");
  EXPECT_TRUE(l.stamped);
  EXPECT_TRUE(l.before.empty());
  EXPECT_EQ(strip_prefix("authpriv:notice: BUG: x").body, "BUG: x") << "printk.time=0";
  EXPECT_EQ(strip_prefix("kernel: warn: no facility").body, "kernel: warn: no facility");
}

TEST(StripPrefix, UnstampedTextBeforeTheFirstStampIsKept) {
  // An unstamped line that lost its newline into a stamped one: its words
  // are kept apart for the header match, as for an inner prefix.
  LogLine l = strip_prefix("BUG: unable to handle kernel [  153.615435] deprecated getsockopt");
  EXPECT_EQ(l.body, "deprecated getsockopt");
  EXPECT_EQ(l.before, "BUG: unable to handle kernel");
  EXPECT_TRUE(strip_prefix("[  153.615435] BUG: x").before.empty());
}

TEST(ParseFrame, ModernAndOldForms) {
  auto f = parse_frame(" irqfd_wakeup+0x1c9/0x5b0");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "irqfd_wakeup");
  EXPECT_TRUE(f->reliable);

  f = parse_frame(" [<ffffffff81234567>] ? irqfd_shutdown+0x5a/0x1b0");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "irqfd_shutdown");
  EXPECT_FALSE(f->reliable);

  f = parse_frame(" irqfd_inject+0x8a/0x130 [kvm]");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "irqfd_inject");

  f = parse_frame(" eventfd_ctx_do_read include/linux/eventfd.h:40 [inline]");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "eventfd_ctx_do_read");
  EXPECT_TRUE(f->inlined);

  f = parse_frame("[<80b10c70>] (memset) from [<8062eec8>] (n_tty_set_termios+0x154/0x3c4)");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "memset");
}

TEST(ParseFrame, ArmWithoutVerboseBacktraceNamesTheFunctionAndItsCaller) {
  auto f = parse_frame(" __mutex_lock.constprop.0 from baz_work+0x20/0x80");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "__mutex_lock");
  EXPECT_EQ(f->from, "baz_work");
  f = parse_frame(" baz_work from process_one_work+0x1d8/0x4d0 [baz]");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "baz_work");
  EXPECT_EQ(f->from, "process_one_work");
  // Messages that hold "from func+0x.." are not frames.
  EXPECT_FALSE(parse_frame("random: get_random_bytes called from start_kernel+0x153/0xa2b with crng_init=0"));
  EXPECT_FALSE(parse_frame("queued from baz_work+0x20/0x80 twice"));
  EXPECT_FALSE(parse_frame("0xc0a1b2c3 from baz_work+0x20/0x80"));
}

TEST(ParseFrame, DecodedLocationsMayCarryDiscriminators) {
  auto f = parse_frame(" irqfd_inject (virt/kvm/eventfd.c:389 (discriminator 1))");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->func, "irqfd_inject");
  EXPECT_EQ(f->file, "virt/kvm/eventfd.c");
  f = parse_frame(" irqfd_inject (include/linux/eventfd.h:51 (discriminator 12) virt/kvm/eventfd.c:389)");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->file, "virt/kvm/eventfd.c");
  EXPECT_FALSE(parse_frame(" irqfd_inject (virt/kvm/eventfd.c:389 (discriminator x))"));
}

TEST(ParseFrame, DecodedLocationsMayHaveNoLine) {
  // addr2line prints "?" for a line it does not know, "??:?" (older
  // binutils "??:0") when it knows neither file nor line (code built
  // without debug information). The last location is the function's own:
  // an unknown one is no file.
  const struct {
    std::string_view line, file;
  } kCases[] = {
      {" irqfd_inject (virt/kvm/eventfd.c:?)", "virt/kvm/eventfd.c"},
      {" irqfd_inject (??:?)", ""},
      {" irqfd_inject (??:0)", ""},
      {" irqfd_inject (include/linux/eventfd.h:51 ??:?)", ""},
  };
  for (const auto& c : kCases) {
    auto f = parse_frame(c.line);
    ASSERT_TRUE(f) << c.line;
    EXPECT_EQ(f->func, "irqfd_inject") << c.line;
    EXPECT_EQ(f->file, c.file) << c.line;
  }
  EXPECT_FALSE(parse_frame(" irqfd_inject (x:?)")) << "no file name";
  EXPECT_FALSE(parse_frame(" irqfd_inject (?)"));
}

TEST(ParseFrame, NotFrames) {
  EXPECT_FALSE(parse_frame("Call Trace:"));
  EXPECT_FALSE(parse_frame(" <TASK>"));
  EXPECT_FALSE(parse_frame("RSP: 0018:ffffc90000b1fd28 EFLAGS: 00010246"));
  EXPECT_FALSE(parse_frame(" 0xffffffff+0x10/0x20"));
  EXPECT_FALSE(parse_frame("The buggy address belongs to the object"));
}

TEST(ParseIpLine, Architectures) {
  EXPECT_EQ(parse_ip_line("RIP: 0010:irqfd_deactivate+0x4b/0x2a0").value_or(""), "irqfd_deactivate");
  EXPECT_EQ(parse_ip_line("IP: [<ffffffff82d4e304>] __memset+0x24/0x30").value_or(""), "__memset");
  EXPECT_EQ(parse_ip_line("pc : irqfd_wakeup+0x55/0x5b0").value_or(""), "irqfd_wakeup");
  EXPECT_EQ(parse_ip_line("PC is at memset+0x30/0xa8").value_or(""), "memset");
  // MIPS pads "epc" and LoongArch says "ERA"; both print the address bare.
  EXPECT_EQ(parse_ip_line("epc   : 805e91f0 irqfd_inject+0x1b0/0x1b50").value_or(""), "irqfd_inject");
  EXPECT_EQ(parse_ip_line("  ERA: 900000000426cd1c irqfd_inject+0xbc/0x220").value_or(""), "irqfd_inject");
  EXPECT_FALSE(parse_ip_line("epc   : 805e91f0 0x805e91f0"));
  EXPECT_FALSE(parse_ip_line("RIP: 0033:0x4a9c7b")) << "user-space address";
}

TEST(ParseIpLine, DecodedByDecodeStacktrace) {
  EXPECT_EQ(parse_ip_line("RIP: 0010:irqfd_deactivate (virt/kvm/eventfd.c:291 (discriminator 3))")
                .value_or(""),
            "irqfd_deactivate");
  EXPECT_EQ(parse_ip_line("EIP: irqfd_deactivate (??:?)").value_or(""), "irqfd_deactivate");
  EXPECT_FALSE(parse_ip_line("RIP: 0010:irqfd_deactivate (not a location)"));
}

TEST(ParseIpFrame, CarriesTheFileTheLineSays) {
  const std::pair<std::string_view, std::string_view> kLineAndFile[] = {
      {"RIP: 0010:strreplace (lib/string.c:12)", "lib/string.c"},
      {"RIP: 0010:strreplace+0x1/0x2 lib/string.c:12", "lib/string.c"},
      {"RIP: 0010:strreplace (??:?)", ""},
      {"RIP: 0010:strreplace+0x1/0x2", ""},
  };
  for (const auto& [line, file] : kLineAndFile) {
    auto f = parse_ip_frame(line);
    ASSERT_TRUE(f) << line;
    EXPECT_EQ(f->func, "strreplace") << line;
    EXPECT_EQ(f->file, file) << line;
  }
}

TEST(NormalizeFunc, ClonesAndSyscallWrappers) {
  EXPECT_EQ(normalize_func("irqfd_wakeup.cold"), "irqfd_wakeup");
  EXPECT_EQ(normalize_func("kvm_irqfd_assign.constprop.0"), "kvm_irqfd_assign");
  EXPECT_EQ(normalize_func("__x64_sys_close"), "sys_close");
  // syzkaller's prefix list, each prefix taken off once in its order.
  EXPECT_EQ(normalize_func("__do_sys_openat2"), "openat2");
  EXPECT_EQ(normalize_func("__sys_sendmsg"), "sendmsg");
  EXPECT_EQ(normalize_func("____sys_sendmsg"), "sendmsg");
  EXPECT_EQ(normalize_func("ksys_write"), "write");
  EXPECT_EQ(normalize_func("__se_sys_ioctl"), "ioctl");
  EXPECT_EQ(normalize_func("__arm64_sys_bpf"), "sys_bpf");
  EXPECT_EQ(normalize_func("__se_sys_ioctl"), "ioctl");
  EXPECT_EQ(normalize_func("__ia32_compat_sys_ioctl"), "compat_sys_ioctl");
}

TEST(CanonicalTitle, StandAloneNumbersAndAddressesButNotNamesWithDigits) {
  EXPECT_EQ(canonical_title("kernel panic: VFS: Unable to mount root fs on unknown-block(0,0)"),
            "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)");
  EXPECT_EQ(canonical_title("panic: code 0x0000000b at 12"), "panic: code ADDR at NUM");
  // Digits inside a name stay; seven or more are a number wherever they are.
  EXPECT_EQ(canonical_title("WARNING: loop0 cfg80211 dm-3 eth1"),
            "WARNING: loop0 cfg80211 dm-NUM eth1");
  EXPECT_EQ(canonical_title("mkdir ./syzkaller-testdir123456789: x"),
            "mkdir ./syzkaller-testdirNUM: x");
  EXPECT_EQ(canonical_title("at addr ffff88801234abcd, 5 bytes"), "at addr ADDR, NUM bytes");
}

TEST(CanonicalTitle, ProcessIdsLinesOffsetsCpusAndIpAddresses) {
  EXPECT_EQ(canonical_title("task syz-executor.3:12345 blocked"), "task syz-executor blocked");
  EXPECT_EQ(canonical_title("comm syz-executor123 pid"), "comm syz-executor pid");
  EXPECT_EQ(canonical_title("binary syzkaller1234/5 gone"), "binary syzkaller gone");
  EXPECT_EQ(canonical_title("UBSAN: shift-out-of-bounds in net/mptcp/protocol.c:1234:5"),
            "UBSAN: shift-out-of-bounds in net/mptcp/protocol.c:LINE");
  EXPECT_EQ(canonical_title("WARNING in foo+0x1a/0x2c0 and bar.isra.0+0x5/0x10"),
            "WARNING in foo and bar.isra.NUM");
  EXPECT_EQ(canonical_title("stuck on CPU#1 for 22s"), "stuck on CPU for 22s");
  EXPECT_EQ(canonical_title("peer 10.0.2.15 port 22"), "peer IP port NUM");
}

TEST(CanonicalTitle, PrintableBoundedAndSpacedOnce) {
  EXPECT_EQ(canonical_title("  a\tb  \x01" "c\xc3\xa9" "d  "), "a b cd");
  std::string longer(200, 'x');
  EXPECT_EQ(canonical_title("WARNING: " + longer).size(), 120u);
  // Applying it again changes nothing.
  std::string once = canonical_title("BUG: x 12 at 0xffffffff81000000 in f+0x1/0x2 CPU#3");
  EXPECT_EQ(canonical_title(once), once);
}

TEST(KindOfTitle, SpecificRowsBeforeTheDefaultsOfTheFirstWord) {
  EXPECT_EQ(kind_of_title("KFENCE: invalid read in f"), "KFENCE-READ");
  EXPECT_EQ(kind_of_title("KFENCE: out-of-bounds write in f"), "KFENCE-WRITE");
  EXPECT_EQ(kind_of_title("KMSAN: use-after-free in f"), "KMSAN-USE-AFTER-FREE-READ");
  EXPECT_EQ(kind_of_title("KMSAN: kernel-infoleak-after-free in f"), "KMSAN-USE-AFTER-FREE-READ");
  EXPECT_EQ(kind_of_title("KMSAN: kernel-infoleak in f"), "KMSAN-INFO-LEAK");
  EXPECT_EQ(kind_of_title("KASAN: slab-out-of-bounds in f"), "KASAN-READ");
  EXPECT_EQ(kind_of_title("KASAN: slab-out-of-bounds Write in f"), "KASAN-WRITE");
  EXPECT_EQ(kind_of_title("KASAN: slab-use-after-free in f"), "KASAN-UNKNOWN");
  EXPECT_EQ(kind_of_title("BUG: using smp_processor_id() in preemptible code"), "LOCKDEP");
  EXPECT_EQ(kind_of_title("WARNING: refcount bug in f"), "REFCOUNT_WARNING");
  EXPECT_EQ(kind_of_title("WARNING: ODEBUG bug in f"), "WARNING");
  EXPECT_EQ(kind_of_title("panic: runtime error"), "DoS");
  // syzbot files these under no kind: the report class decides.
  EXPECT_EQ(kind_of_title("BUG: Invalid wait context in f"), "");
  EXPECT_EQ(kind_of_title("WARNING: kernel stack regs has bad 'bp' value"), "");
  EXPECT_EQ(kind_of_title("lost connection to test machine"), "");
}

}  // namespace
}  // namespace splatscan
