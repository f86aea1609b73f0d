#include "supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "splatscan/scanner.h"

namespace rig {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool parse_double(const std::string& s, double* out) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  // NaN compares false with everything: a "nan" timeout would never fire.
  if (errno || end == s.c_str() || *end || !std::isfinite(v) || v < 0) return false;
  *out = v;
  return true;
}

// An fd that closes itself.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Writes all n bytes, or stops at the first error; *written (if given)
// says how many reached the file either way.
bool write_all(int fd, const char* p, std::size_t n, std::size_t* written = nullptr) {
  if (written) *written = 0;
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (w == 0) {
      errno = EIO;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
    if (written) *written += static_cast<std::size_t>(w);
  }
  return true;
}

// --echo must never hold the guest up: a stdout nobody reads (a full pipe, a
// stopped terminal) gets nothing rather than blocking the supervisor, whose
// timeouts would then stop counting. Returns the bytes dropped.
std::size_t echo_without_blocking(const char* p, std::size_t n) {
  // A pipe with room for one page takes a write of up to a page at once.
  constexpr std::size_t kPage = 4096;
  while (n > 0) {
    pollfd out = {1, POLLOUT, 0};
    if (poll(&out, 1, 0) != 1 || !(out.revents & POLLOUT)) return n;
    std::size_t chunk = n < kPage ? n : kPage;
    ssize_t w = ::write(1, p, chunk);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return n;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return 0;
}

// QEMU in its own process group, stopped (the whole group) on destruction, so
// no path out of the supervisor leaves a guest running.
class Guest {
 public:
  ~Guest() { stop(); }

  // Starts argv with stdout to serial_fd, stderr to err_fd, stdin /dev/null.
  bool start(const std::vector<std::string>& argv, int serial_fd, int err_fd,
             std::string* error) {
    Fd report_pipe_r, report_pipe_w;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      return false;
    }
    report_pipe_r.reset(p[0]);
    report_pipe_w.reset(p[1]);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
      *error = std::string("fork: ") + std::strerror(errno);
      return false;
    }
    if (pid_ == 0) {
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed supervisor takes QEMU with it
      if (getppid() != parent) _exit(127);
      int devnull = open("/dev/null", O_RDONLY);
      dup2(devnull, 0);
      dup2(serial_fd, 1);
      dup2(err_fd, 2);
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      signal(SIGPIPE, SIG_DFL);
      std::vector<char*> cargv;
      for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
      cargv.push_back(nullptr);
      execvp(cargv[0], cargv.data());
      int e = errno;
      ssize_t ignored = write(report_pipe_w.get(), &e, sizeof e);
      (void)ignored;
      _exit(127);
    }
    setpgid(pid_, pid_);
    report_pipe_w.reset();
    int exec_errno = 0;
    ssize_t n;
    do n = read(report_pipe_r.get(), &exec_errno, sizeof exec_errno);
    while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof exec_errno)) {
      *error = "cannot run " + argv[0] + ": " + std::strerror(exec_errno);
      reap(true);
      return false;
    }
    return true;
  }

  // Non-blocking: true once QEMU has exited; status then holds its code.
  bool reap(bool block = false) {
    if (pid_ <= 0) return true;
    int st = 0;
    pid_t r;
    do r = waitpid(pid_, &st, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == 0) return false;
    if (r == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    // Anything QEMU left in its group goes too.
    kill(-pid_, SIGKILL);
    pid_ = -1;
    return true;
  }

  // SIGTERM lets QEMU flush and exit; SIGKILL after a short wait.
  void stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    auto t0 = Clock::now();
    while (!reap() && seconds_since(t0) < 3) usleep(20000);
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      reap(true);
    }
  }

  bool running() const { return pid_ > 0; }
  int status() const { return status_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

std::string read_tail(const std::string& path, std::size_t max) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  std::string s;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) {
    s.append(buf, n);
    if (s.size() > 4 * max) s.erase(0, s.size() - max);
  }
  std::fclose(f);
  if (s.size() > max) s.erase(0, s.size() - max);
  return s;
}

// Writes path atomically: a reader sees the old file or the whole new one.
bool write_file_atomic(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  Fd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0 || !write_all(fd.get(), content.data(), content.size()) ||
      fsync(fd.get()) != 0)
    return false;
  fd.reset();
  return rename(tmp.c_str(), path.c_str()) == 0;
}

// The space run.env needs is taken before the guest runs, so that a guest
// that fills the disk through serial.log still leaves a record of what
// happened: the file is padded now and overwritten in place at the end.
class ReservedFile {
 public:
  ReservedFile(std::string path, std::size_t reserve)
      : path_(std::move(path)), tmp_(path_ + ".tmp") {
    fd_.reset(open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd_.get() < 0) return;
    std::string pad(reserve, '\n');
    if (!write_all(fd_.get(), pad.data(), pad.size())) {
      // No room even now: fall back to an ordinary write at the end.
      fd_.reset();
      unlink(tmp_.c_str());
    }
  }
  ReservedFile(const ReservedFile&) = delete;
  ReservedFile& operator=(const ReservedFile&) = delete;
  ~ReservedFile() {
    if (!committed_) unlink(tmp_.c_str());
  }

  bool commit(const std::string& content) {
    if (fd_.get() < 0) return committed_ = write_file_atomic(path_, content);
    std::size_t done = 0;
    while (done < content.size()) {
      ssize_t w = pwrite(fd_.get(), content.data() + done, content.size() - done,
                         static_cast<off_t>(done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      done += static_cast<std::size_t>(w);
    }
    if (ftruncate(fd_.get(), static_cast<off_t>(content.size())) != 0 || fsync(fd_.get()) != 0)
      return false;
    fd_.reset();
    return committed_ = rename(tmp_.c_str(), path_.c_str()) == 0;
  }

 private:
  std::string path_, tmp_;
  Fd fd_;
  bool committed_ = false;
};

// Room kept for boot-verdict's files (summary.json above all) on the same
// disk; boot-verdict deletes it before it writes them.
constexpr const char* kVerdictReserve = ".space-reserve";
constexpr std::size_t kVerdictReserveBytes = 256 << 10;

void reserve_space(const std::string& path, std::size_t bytes) {
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return;
  std::string pad(bytes, '\n');
  if (!write_all(fd.get(), pad.data(), pad.size())) {
    fd.reset();
    unlink(path.c_str());
  }
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

std::optional<Options> parse_args(const std::vector<std::string>& args, std::string* error) {
  Options o;
  std::size_t i = 0;
  auto value = [&](const std::string& name) -> const std::string* {
    if (i + 1 >= args.size()) {
      *error = name + " needs a value";
      return nullptr;
    }
    return &args[++i];
  };
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      o.command.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    const std::string* v = nullptr;
    if (a == "--echo") {
      o.echo = true;
    } else if (a == "--out") {
      if (!(v = value(a))) return std::nullopt;
      o.out_dir = *v;
    } else if (a == "--timeout" || a == "--grace" || a == "--quiet") {
      if (!(v = value(a))) return std::nullopt;
      double* dst = a == "--timeout" ? &o.timeout_s : a == "--grace" ? &o.grace_s : &o.quiet_s;
      if (!parse_double(*v, dst)) {
        *error = a + " takes seconds, not '" + *v + "'";
        return std::nullopt;
      }
    } else if (a == "--max-log-mb") {
      if (!(v = value(a))) return std::nullopt;
      double mb;
      if (!parse_double(*v, &mb) || mb < 1) {
        *error = "--max-log-mb takes a size in MiB >= 1, not '" + *v + "'";
        return std::nullopt;
      }
      o.max_log_bytes = static_cast<std::size_t>(mb * 1024 * 1024);
    } else if (a == "--boot-marker" || a == "--end-marker") {
      if (!(v = value(a))) return std::nullopt;
      (a == "--boot-marker" ? o.boot_marker : o.end_marker) = *v;
    } else {
      *error = "unknown option '" + a + "'";
      return std::nullopt;
    }
  }
  if (o.out_dir.empty()) *error = "--out DIR is required";
  else if (o.command.empty()) *error = "no QEMU command after '--'";
  else if (o.timeout_s <= 0) *error = "--timeout must be > 0";
  if (!error->empty()) return std::nullopt;
  return o;
}

std::optional<int> parse_end_marker(std::string_view line, std::string_view marker) {
  std::size_t at = line.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + marker.size());
  int v = 0;
  std::size_t digits = 0;
  while (digits < rest.size() && digits < 4 && rest[digits] >= '0' && rest[digits] <= '9')
    v = v * 10 + (rest[digits++] - '0');
  if (digits == 0) return std::nullopt;
  return v;
}

std::string outcome_env(const Outcome& o) {
  std::ostringstream s;
  s << "qemu_started=" << (o.qemu_started ? 1 : 0) << "\n"
    << "qemu_error=" << one_line(o.qemu_error) << "\n"
    << "qemu_exit=" << o.qemu_exit << "\n"
    << "stop_reason=" << o.stop_reason << "\n"
    << "boot_marker_seen=" << (o.boot_marker_seen ? 1 : 0) << "\n"
    << "boot_s=" << o.boot_s << "\n"
    << "end_marker_seen=" << (o.end_marker_seen ? 1 : 0) << "\n"
    << "test_status=" << o.test_status << "\n"
    << "first_splat_s=" << o.first_splat_s << "\n"
    << "first_failure_s=" << o.first_failure_s << "\n"
    << "first_splat_title=" << one_line(o.first_splat_title) << "\n"
    << "first_splat_kind=" << one_line(o.first_splat_kind) << "\n"
    << "splat_count=" << o.splat_count << "\n"
    << "wall_s=" << o.wall_s << "\n"
    << "log_bytes=" << o.log_bytes << "\n"
    << "guest_bytes=" << o.guest_bytes << "\n"
    << "log_error=" << one_line(o.log_error) << "\n"
    << "echo_dropped=" << o.echo_dropped << "\n";
  return s.str();
}

Outcome supervise(const Options& opt, int interrupt_fd) {
  Outcome out;
  auto t0 = Clock::now();
  mkdir(opt.out_dir.c_str(), 0755);
  std::string log_path = opt.out_dir + "/serial.log";
  std::string err_path = opt.out_dir + "/qemu.stderr";
  ReservedFile run_env(opt.out_dir + "/run.env", 16 << 10);
  reserve_space(opt.out_dir + "/" + kVerdictReserve, kVerdictReserveBytes);
  auto finish = [&](Outcome& o) {
    if (!run_env.commit(outcome_env(o)))
      std::fprintf(stderr, "qemu-supervise: cannot write %s/run.env: %s\n", opt.out_dir.c_str(),
                   std::strerror(errno));
    return o;
  };
  Fd log_fd(open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  Fd err_fd(open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (log_fd.get() < 0 || err_fd.get() < 0) {
    out.qemu_error = "cannot write to " + opt.out_dir + ": " + std::strerror(errno);
    out.stop_reason = "qemu-failed";
    return finish(out);
  }

  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    out.qemu_error = std::string("pipe: ") + std::strerror(errno);
    out.stop_reason = "qemu-failed";
    return finish(out);
  }
  Fd serial_r(p[0]), serial_w(p[1]);

  Guest guest;
  std::string error;
  if (!guest.start(opt.command, serial_w.get(), err_fd.get(), &error)) {
    out.qemu_error = error;
    out.stop_reason = "qemu-failed";
    return finish(out);
  }
  out.qemu_started = true;
  serial_w.reset();  // EOF on serial_r once QEMU (and its children) are gone

  splatscan::Scanner scanner;
  std::string line;  // the current line, for markers
  bool splat_seen = false;
  Clock::time_point splat_at{}, last_output = Clock::now(), stopped_at{};
  auto note_line = [&](std::string_view l) {
    if (!out.boot_marker_seen && l.find(opt.boot_marker) != std::string_view::npos) {
      out.boot_marker_seen = true;
      out.boot_s = seconds_since(t0);
    }
    // A top-level KTAP failure: when the selftest caught something without
    // a splat (stress reports how long detection took).
    if (out.first_failure_s < 0 && l.rfind("not ok ", 0) == 0) out.first_failure_s = seconds_since(t0);
    if (auto st = parse_end_marker(l, opt.end_marker)) {
      out.end_marker_seen = true;
      out.test_status = *st;
    }
  };
  auto stop_guest = [&] {
    if (stopped_at == Clock::time_point{}) stopped_at = Clock::now();
    guest.stop();
  };
  // Once the guest is told to stop, what is still in the pipe is read for
  // this long at most: a process outside QEMU's group that keeps the serial
  // pipe open (or keeps writing) must not stretch a hard timeout.
  constexpr double kDrainS = 2;

  std::vector<char> buf(1 << 16);
  while (true) {
    if (out.stop_reason.empty()) {
      if (splat_seen && seconds_since(splat_at) >= opt.grace_s) out.stop_reason = "splat";
      else if (seconds_since(t0) >= opt.timeout_s) out.stop_reason = "timeout";
      else if (opt.quiet_s > 0 && std::chrono::duration<double>(Clock::now() - last_output).count() >= opt.quiet_s)
        out.stop_reason = "quiet";
      else if (out.guest_bytes >= opt.max_log_bytes) out.stop_reason = "flood";
      if (!out.stop_reason.empty()) stop_guest();
    }
    if (stopped_at != Clock::time_point{} && seconds_since(stopped_at) >= kDrainS) break;
    pollfd fds[2] = {{serial_r.get(), POLLIN, 0}, {interrupt_fd, POLLIN, 0}};
    int n = poll(fds, interrupt_fd >= 0 ? 2 : 1, 100);
    if (n < 0 && errno != EINTR) break;
    if (interrupt_fd >= 0 && (fds[1].revents & POLLIN)) {
      if (out.stop_reason.empty()) out.stop_reason = "interrupted";
      stop_guest();
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t r = read(serial_r.get(), buf.data(), buf.size());
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      last_output = Clock::now();
      std::size_t got = static_cast<std::size_t>(r);
      std::size_t keep = got;
      if (out.guest_bytes + keep > opt.max_log_bytes) keep = opt.max_log_bytes - out.guest_bytes;
      out.guest_bytes += keep;
      // A log that cannot be written (full disk, I/O error) is recorded as
      // such, and from then on nothing more is written: the file then holds
      // an exact prefix of what the guest printed.
      if (out.log_error.empty() && keep > 0) {
        std::size_t written = 0;
        bool ok = write_all(log_fd.get(), buf.data(), keep, &written);
        int e = errno;
        out.log_bytes += written;
        if (!ok)
          out.log_error = std::string(std::strerror(e)) + " after " +
                          std::to_string(out.log_bytes) + " bytes of serial.log";
      }
      if (opt.echo) out.echo_dropped += echo_without_blocking(buf.data(), got);
      std::string_view chunk(buf.data(), got);
      scanner.feed(chunk);
      if (!splat_seen && (scanner.in_report() || !scanner.reports().empty())) {
        splat_seen = true;
        splat_at = Clock::now();
        out.first_splat_s = seconds_since(t0);
      }
      for (char c : chunk) {
        if (c == '\n') {
          note_line(line);
          line.clear();
        } else if (line.size() < 4096) {
          line += c;
        }
      }
    }
    if (!guest.running() || guest.reap()) {
      // Drain what QEMU wrote before it exited; EOF ends the loop.
      if (out.stop_reason.empty()) out.stop_reason = "guest-exit";
      if (stopped_at == Clock::time_point{}) stopped_at = Clock::now();
    }
  }
  if (!line.empty()) note_line(line);
  if (out.stop_reason.empty()) out.stop_reason = "guest-exit";
  guest.stop();
  out.qemu_exit = guest.status();
  scanner.finish();
  if (!scanner.reports().empty()) {
    out.first_splat_title = scanner.reports().front().title;
    out.first_splat_kind = scanner.reports().front().kind;
    out.splat_count = scanner.reports().size();
    if (out.first_splat_s < 0) out.first_splat_s = seconds_since(t0);
  }
  if (fsync(log_fd.get()) != 0 && out.log_error.empty() && errno != EINVAL)
    out.log_error = std::string(std::strerror(errno)) + " while syncing serial.log";
  out.wall_s = seconds_since(t0);
  if (out.qemu_exit != 0 && out.guest_bytes == 0)
    out.qemu_error = read_tail(err_path, 2000);
  return finish(out);
}

}  // namespace rig
