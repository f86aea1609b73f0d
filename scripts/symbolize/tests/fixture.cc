// A stand-in for vmlinux in symbolize's end-to-end test: it prints a
// kernel-style report of its own call stack (offsets from each function's
// start, as the kernel prints them) on stdout, and on stderr the source
// lines a correct symbolization must give.
#include <cstdio>

extern "C" {

int fixture_call_line;

__attribute__((noinline)) void fixture_unrelated() { std::puts("unrelated"); }

__attribute__((noinline)) void fixture_crash(const char* caller_name, const void* caller) {
  const void* ra = __builtin_return_address(0);
fault:
  const int fault_line = __LINE__;  // the code at the label is this line's
  std::printf("[   16.168943][   T90] kernel BUG at fixture.cc:%d!\n", fault_line);
  std::printf("[   16.168943][   T90] RIP: 0010:fixture_crash+0x%lx/0x400\n",
              static_cast<unsigned long>(static_cast<const char*>(&&fault) -
                                         reinterpret_cast<const char*>(&fixture_crash)));
  std::printf("[   16.168943][   T90] Call Trace:\n[   16.168943][   T90]  <TASK>\n");
  std::printf("[   16.168943][   T90]  ? fixture_unrelated+0x3/0x40\n");
  std::printf("[   16.168943][   T90]  %s+0x%lx/0x400\n", caller_name,
              static_cast<unsigned long>(static_cast<const char*>(ra) - static_cast<const char*>(caller)));
  std::printf("[   16.168943][   T90]  </TASK>\n");
  std::fprintf(stderr, "fault_line=%d\ncall_line=%d\n", fault_line, fixture_call_line);
}

__attribute__((noinline)) void fixture_caller() {
  fixture_call_line = __LINE__ + 1;
  fixture_crash("fixture_caller", reinterpret_cast<const void*>(&fixture_caller));
}

}  // extern "C"

int main() {
  fixture_caller();
  return 0;
}
