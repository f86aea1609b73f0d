#include "isolate.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "ktap_listener.h"
#include "kvm_vm.h"
#include "options.h"

namespace irqfd {

namespace {

using Clock = std::chrono::steady_clock;

// One result record on the pipe: type, line, then file and message as
// length-prefixed strings.
void put_u32(std::string* out, uint32_t v) { out->append(reinterpret_cast<char*>(&v), sizeof v); }
void put_str(std::string* out, const std::string& s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

bool get_u32(const std::string& in, size_t* pos, uint32_t* v) {
  if (in.size() - *pos < sizeof *v) return false;
  std::memcpy(v, in.data() + *pos, sizeof *v);
  *pos += sizeof *v;
  return true;
}
bool get_str(const std::string& in, size_t* pos, std::string* s) {
  uint32_t n = 0;
  if (!get_u32(in, pos, &n) || in.size() - *pos < n) return false;
  s->assign(in, *pos, n);
  *pos += n;
  return true;
}

// The child: run the body, send every result part, exit without running
// destructors or atexit handlers that belong to the parent's state.
[[noreturn]] void child(int wfd, const std::function<void()>& body) {
  if (KtapListener* l = ktap_listener()) l->mute();
  body();
  const ::testing::TestResult* r = ::testing::UnitTest::GetInstance()->current_test_info()->result();
  std::string buf;
  for (int i = 0; i < r->total_part_count(); ++i) {
    const ::testing::TestPartResult& p = r->GetTestPartResult(i);
    put_u32(&buf, static_cast<uint32_t>(p.type()));
    put_u32(&buf, static_cast<uint32_t>(p.line_number()));
    put_str(&buf, p.file_name() ? p.file_name() : "");
    put_str(&buf, p.message());
  }
  std::cout << std::flush;
  std::fflush(nullptr);
  for (size_t off = 0; off < buf.size();) {
    ssize_t n = ::write(wfd, buf.data() + off, buf.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    off += static_cast<size_t>(n);
  }
  _exit(0);
}

void replay(const std::string& data) {
  size_t pos = 0;
  while (pos < data.size()) {
    uint32_t type = 0, line = 0;
    std::string file, message;
    if (!get_u32(data, &pos, &type) || !get_u32(data, &pos, &line) ||
        !get_str(data, &pos, &file) || !get_str(data, &pos, &message)) {
      ADD_FAILURE() << "the test's process sent a truncated result";
      return;
    }
    ::testing::internal::AssertHelper(static_cast<::testing::TestPartResult::Type>(type),
                                      file.empty() ? nullptr : file.c_str(),
                                      static_cast<int>(line), message.c_str()) =
        ::testing::Message();
  }
}

// Waits for pid until the deadline; true with *status when it was reaped.
bool wait_until(pid_t pid, Clock::time_point deadline, int* status) {
  for (;;) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return false;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

void run_isolated(const std::function<void()>& body, std::chrono::milliseconds extra) {
  const auto timeout = std::chrono::seconds(hammer_options().test_timeout) + extra;
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0) << "pipe2: " << errno_name(-errno);
  UniqueFd rd(fds[0]), wr(fds[1]);
  std::cout << std::flush;  // nothing buffered may be printed twice
  std::fflush(nullptr);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0) << "fork: " << errno_name(-errno);
  if (pid == 0) {
    rd.release();
    child(wr.get(), body);
  }
  wr.reset();

  const Clock::time_point start = Clock::now(), deadline = start + timeout;
  std::string data;
  bool timed_out = false;
  for (;;) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{rd.get(), POLLIN, 0};
    int n = ::poll(&p, 1, left);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) continue;  // the deadline check above ends the loop
    char buf[4096];
    ssize_t got = ::read(rd.get(), buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: the child exited (or closed the pipe)
    data.append(buf, static_cast<size_t>(got));
  }
  int status = 0;
  // Exiting closes the child's fds, which may release a VM: that can hang
  // in the kernel too, so the exit is waited for under the same deadline.
  if (!timed_out && !wait_until(pid, deadline, &status)) timed_out = true;
  if (timed_out) {
    ::kill(pid, SIGKILL);
    bool reaped = wait_until(pid, Clock::now() + std::chrono::seconds(2), &status);
    ADD_FAILURE() << "timed out after " << std::chrono::duration_cast<std::chrono::seconds>(timeout).count()
                  << " s (--test-timeout=" << hammer_options().test_timeout
                  << "): the test's process was killed"
                  << (reaped ? "" : ", and did not die: it is stuck in the kernel (a hung ioctl "
                                    "or release?)");
    replay(data);
    return;
  }
  replay(data);
  if (WIFSIGNALED(status))
    ADD_FAILURE() << "the test's process was killed by signal " << WTERMSIG(status) << " ("
                  << strsignal(WTERMSIG(status)) << ")";
  else if (WEXITSTATUS(status) != 0)
    ADD_FAILURE() << "the test's process exited with status " << WEXITSTATUS(status);
}

}  // namespace irqfd
