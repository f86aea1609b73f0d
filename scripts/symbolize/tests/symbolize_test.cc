#include "symbolize.h"

#include <gtest/gtest.h>

#include <set>

namespace rig::symbolize {
namespace {

// From a real run of the race canary (results/...-series+race/serial.log).
const char kBug[] =
    "[   16.168943][   T90] kernel BUG at ../../linux/virt/kvm/eventfd.c:238!\r\n"
    "[   16.168943][   T90] Oops: invalid opcode: 0000 [#1] SMP KASAN\r\n"
    "[   16.168943][   T90] RIP: 0010:irqfd_deactivate+0x81/0xfa\r\n"
    "[   16.168943][   T90] Code: 08 48 89 df e8 40 cd 40 00 48 8b 03 <0f> 0b 48 8d ab 20 01\r\n"
    "[   16.168943][   T90] R10: ffffffff812954df R11: ffffed1000920f88 R12: 0000000000000000\r\n"
    "[   16.168943][   T90] Call Trace:\r\n"
    "[   16.168943][   T90]  <TASK>\r\n"
    "[   16.168943][   T90]  irqfd_wakeup+0x2be/0x30a\r\n"
    "[   16.168943][   T90]  ? kvm_assign_ioeventfd_idx+0x6d0/0x6d0\r\n"
    "[   16.168943][   T90]  __wake_up_common+0x128/0x170\r\n"
    "[   16.168943][   T90]  kvm_vm_ioctl+0x10/0x20 [kvm]\r\n"
    "[   16.168943][   T90]  entry_SYSCALL_64_after_hwframe+0x4b/0x53\r\n"
    "[   16.168943][   T90] RIP: 0033:0x596717\r\n"
    "[   16.168943][   T90] Freed by task 48:\r\n"
    "[   16.168943][   T90]  kfree+0x11/0x200\r\n";

TEST(ParseFrames, RipCallTraceModulesAndStacks) {
  std::vector<Frame> f = parse_frames(kBug);
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(f[0].function, "irqfd_deactivate");
  EXPECT_TRUE(f[0].rip);
  EXPECT_EQ(f[0].offset, 0x81u);
  EXPECT_EQ(f[0].length, 0xfau);
  EXPECT_EQ(f[0].stack, "RIP");
  EXPECT_EQ(f[1].function, "irqfd_wakeup");
  EXPECT_FALSE(f[1].rip);
  EXPECT_TRUE(f[1].reliable);
  EXPECT_EQ(f[1].stack, "Call Trace");
  EXPECT_EQ(f[2].function, "kvm_assign_ioeventfd_idx");
  EXPECT_FALSE(f[2].reliable) << "a '? ' frame is a stale stack value";
  EXPECT_EQ(f[4].module, "kvm");
  EXPECT_EQ(f[5].function, "entry_SYSCALL_64_after_hwframe");
  EXPECT_EQ(f[6].function, "kfree");
  EXPECT_EQ(f[6].stack, "Freed by task 48") << "a user-space RIP is no frame and no header";
}

TEST(ParseFrames, IgnoresWhatOnlyLooksLikeAFrame) {
  EXPECT_TRUE(parse_frames("a+0x1 b\nx+0x10/0x20z\nCPU: 0 PID: 1\n").empty());
  std::vector<Frame> f = parse_frames("lockdep: -> #1 (&kvm->irqfds.lock){....}:\n  lock_acquire+0x1/0x2\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].stack, "lockdep: -> #1 (&kvm->irqfds.lock){....}");
}

TEST(Nm, TextSymbolsWithSizes) {
  SymbolTable t = parse_nm(
      "ffffffff810489fc 00000000000000fa t irqfd_deactivate\n"
      "ffffffff81000000 T _text\n"  // no size
      "ffffffff82000000 0000000000000010 D some_data\n"
      "ffffffff81111000 0000000000000020 t dup\n"
      "ffffffff81222000 0000000000000040 t dup\n");
  EXPECT_EQ(t.count("irqfd_deactivate"), 1u);
  EXPECT_EQ(t.count("_text"), 0u);
  EXPECT_EQ(t.count("some_data"), 0u);
  Frame f;
  f.function = "irqfd_deactivate";
  f.offset = 0x81;
  f.length = 0xfa;
  f.rip = true;
  EXPECT_EQ(frame_address(f, t), 0xffffffff81048a7dull) << "the faulting instruction itself";
  f.rip = false;
  EXPECT_EQ(frame_address(f, t), 0xffffffff81048a7cull) << "a return address: one byte back, in the call";
  f.function = "dup";
  f.offset = 0x30;
  f.length = 0x40;
  EXPECT_EQ(frame_address(f, t), 0xffffffff8122202full) << "of two symbols of one name, the one of the frame's size";
  f.function = "missing";
  EXPECT_FALSE(frame_address(f, t));
}

TEST(Addr2line, InlineChainsInnermostFirst) {
  auto m = parse_addr2line(
      "0xffffffff81048a7d\n"
      "irqfd_deactivate\n"
      "/root/.cache/irqfd-rig/build/series/../../linux/virt/kvm/eventfd.c:238\n"
      "0xffffffff81049000\n"
      "list_del\n"
      "include/linux/list.h:229 (discriminator 2)\n"
      "irqfd_wakeup\n"
      "virt/kvm/eventfd.c:215\n"
      "0xffffffff81050000\n"
      "??\n"
      "??:0\n");
  ASSERT_EQ(m.size(), 3u);
  ASSERT_EQ(m[0xffffffff81048a7dull].size(), 1u);
  EXPECT_EQ(m[0xffffffff81048a7dull][0].line, 238);
  ASSERT_EQ(m[0xffffffff81049000ull].size(), 2u);
  EXPECT_EQ(m[0xffffffff81049000ull][0].function, "list_del");
  EXPECT_EQ(m[0xffffffff81049000ull][0].line, 229);
  EXPECT_EQ(m[0xffffffff81049000ull][1].file, "virt/kvm/eventfd.c");
  EXPECT_TRUE(m[0xffffffff81050000ull].empty()) << "?? is no location";
}

std::set<std::string> g_files;
bool in_tree(const std::string& p) { return g_files.count(p) > 0; }

TEST(TreeRelative, LongestSuffixThatIsInTheTree) {
  g_files = {"/src/linux/virt/kvm/eventfd.c", "/src/linux/include/linux/list.h"};
  EXPECT_EQ(tree_relative("/root/.cache/build/series/../../linux/virt/kvm/eventfd.c", "/src/linux", in_tree),
            "virt/kvm/eventfd.c");
  EXPECT_EQ(tree_relative("../../linux/include/linux/list.h", "/src/linux/", in_tree), "include/linux/list.h");
  EXPECT_EQ(tree_relative("/src/linux/virt/kvm/eventfd.c", "/src/linux", in_tree), "virt/kvm/eventfd.c");
  EXPECT_EQ(tree_relative("/build/include/generated/x.h", "/src/linux", in_tree), "/build/include/generated/x.h");
}

TEST(Guilty, TheFunctionTheTitleBlames) {
  EXPECT_EQ(guilty_function("KASAN: slab-use-after-free Read in eventfd_ctx_remove_wait_queue"),
            "eventfd_ctx_remove_wait_queue");
  EXPECT_EQ(guilty_function("INFO: task hung in kvm_irqfd"), "kvm_irqfd");
  EXPECT_EQ(guilty_function("kernel panic: No working init found"), "");
  EXPECT_EQ(base_name("irqfd_wakeup.isra.0"), "irqfd_wakeup");

  std::vector<Frame> f = parse_frames(
      "RIP: 0010:lock_acquire+0x1/0x2\n"
      " ? kvm_irqfd+0x5/0x100\n"
      " schedule+0x1/0x2\n"
      " kvm_vm_ioctl.cold+0x5/0x100\n");
  std::vector<Resolved> r;
  for (const Frame& x : f) r.push_back({&x, {}});
  EXPECT_EQ(guilty_index("INFO: task hung in kvm_irqfd", r), -1) << "an unreliable frame is never guilty";
  // The blamed function inlined into a caller: that frame, at the inlined line.
  r[3].chain = {{"kvm_irqfd", "virt/kvm/eventfd.c", 640}, {"kvm_vm_ioctl", "virt/kvm/kvm_main.c", 5100}};
  EXPECT_EQ(guilty_index("INFO: task hung in kvm_irqfd", r), 3);
  nlohmann::json j = report_json(12, "INFO: task hung in kvm_irqfd", r, {"Paolo Bonzini <pbonzini@redhat.com>"});
  EXPECT_EQ(j["guilty"]["file"], "virt/kvm/eventfd.c");
  EXPECT_EQ(j["guilty"]["line"], 640);
  EXPECT_EQ(j["frames"][3]["file"], "virt/kvm/kvm_main.c") << "the frame's own line is its function's";
  EXPECT_EQ(j["frames"][3]["inlined"][0]["function"], "kvm_irqfd");
  EXPECT_TRUE(j["frames"][3]["guilty"].get<bool>());
  EXPECT_FALSE(j["frames"][0]["guilty"].get<bool>());
  EXPECT_EQ(j["frames"][0]["file"], nullptr);
  EXPECT_EQ(j["maintainers"][0], "Paolo Bonzini <pbonzini@redhat.com>");
}

TEST(Maintainers, LinesWithoutBlanks) {
  EXPECT_EQ(parse_maintainers("Paolo Bonzini <pbonzini@redhat.com>\n\nkvm@vger.kernel.org\n"),
            (std::vector<std::string>{"Paolo Bonzini <pbonzini@redhat.com>", "kvm@vger.kernel.org"}));
}

}  // namespace
}  // namespace rig::symbolize
