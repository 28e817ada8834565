// arnorm: normalize Arabic text from files or stdin.
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <arnorm/arnorm.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr const char* kSample =
    "أعلن الرئيس الصيني شي جين بينغ في شانغهاي أن الإستثمار على الطريق، ١٢٣ مليون.\n"
    "قال رحمن إن الشئون الاقتصادى فى أستانا ستتحسن بعد الـ21 من الشهر.\n";

struct Failure {
  std::string message;
  int code;
};

void usage(FILE* f) {
  std::fprintf(f,
               "usage: arnorm [OPTIONS] [FILE...]\n"
               "Normalize Arabic text (UTF-8) from FILEs or stdin; '-' is stdin.\n\n"
               "  --profile NAME       clean, search (default), lucene\n"
               "  --NAME=VALUE         set one option (see --list-options)\n"
               "  --NAME / --no-NAME   set a boolean option on / off\n"
               "  -o, --output FILE    write to FILE instead of stdout (a regular FILE is replaced\n"
               "                       by a complete result only; it must not be an input)\n"
               "  -i, --in-place       rewrite each FILE via a temporary file and rename: through\n"
               "                       symbolic links, keeping owner and mode; regular files with\n"
               "                       one link only\n"
               "  --explain            print the edits: src_begin src_end out_begin out_end rule source output\n"
               "  --offsets            print each normalized line, a tab, and the source byte span of each\n"
               "                       output code point (begin-end, absolute offsets)\n"
               "  --progress           show progress on stderr (default: when stderr is a terminal\n"
               "                       and the input is larger than 16 MB)\n"
               "  --sample             normalize a built-in sample text\n"
               "  --list-options       print every option with its value under the chosen profile\n"
               "  --version            print the version and the Unicode version\n"
               "  -h, --help           this text\n");
}

class Output {
 public:
  explicit Output(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  void write(const std::string& s) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Failure{"cannot write " + name_ + ": " + std::strerror(errno), 2};
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string name_;
};

class Progress {
 public:
  Progress(bool enabled, off_t total) : enabled_(enabled && total > 0), total_(total) {}
  void update(off_t done) {
    if (!enabled_) return;
    int pct = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_));
    if (pct == last_) return;
    last_ = pct;
    int bar = pct / 4;
    std::fprintf(stderr, "\rarnorm [%.*s%*s] %3d%%", bar, "#########################", 25 - bar, "", pct);
    if (pct >= 100) std::fputc('\n', stderr);
  }

 private:
  bool enabled_;
  off_t total_;
  int last_ = -1;
};

struct Settings {
  arnorm::Options options;
  std::vector<std::string> files;
  std::string output;
  bool in_place = false, explain = false, offsets = false, sample = false;
  int progress = -1;  // -1: automatic
};

std::string utf8_error_message(const std::string& name, std::size_t offset) {
  return name + ": invalid UTF-8 at byte offset " + std::to_string(offset) +
         " (--invalid_utf8=replace substitutes U+FFFD)";
}

// Plain normalization through the streaming interface: bounded memory.
void normalize_stream(const arnorm::Normalizer& n, int in, const std::string& name, Output& out, Progress& progress) {
  arnorm::Stream stream(n);
  std::string buf(kChunk, '\0'), result;
  off_t done = 0;
  for (;;) {
    ssize_t got = ::read(in, &buf[0], buf.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Failure{"cannot read " + name + ": " + std::strerror(errno), 2};
    result.clear();
    arnorm::Result r = got == 0 ? stream.finish(result)
                                : stream.feed(std::string_view(buf.data(), static_cast<std::size_t>(got)), result);
    if (!r.ok()) throw Failure{utf8_error_message(name, r.position), 1};
    out.write(result);
    if (got == 0) break;
    done += got;
    progress.update(done);
  }
}

// The ASCII bytes a normalizer leaves alone and no rule looks across (the
// stream's "neutral" bytes): kept as they are, alone and doubled (not
// collapsed), between two letters.
std::vector<bool> neutral_bytes(const arnorm::Normalizer& n) {
  std::vector<bool> neutral(128);
  for (int b = 1; b < 128; ++b) {
    const std::string one(1, static_cast<char>(b)), two(2, static_cast<char>(b));
    const std::string between = "\xD8\xA8" + one + "\xD8\xA8";
    neutral[static_cast<std::size_t>(b)] =
        b != '\n' && n.normalize(one) == one && n.normalize(two) == two && n.normalize(between) == between;
  }
  return neutral;
}

// Line by line for --explain and --offsets (a newline is a safe cut point).
// A line longer than kChunk is taken in pieces cut after neutral bytes, so
// that memory stays near the line's own size: --explain reports each piece's
// edits as it goes; --offsets writes the normalized pieces, then their spans.
void normalize_lines(const arnorm::Normalizer& n, const Settings& s, int in, const std::string& name, Output& out) {
  std::string pending, buf(kChunk, '\0'), text, report;
  std::size_t line_start = 0, out_start = 0;  // absolute offsets in the input and the output
  const std::vector<bool> neutral = neutral_bytes(n);
  auto pieces = [&](std::string_view line, auto&& each) {
    std::size_t at = 0;
    while (at < line.size()) {
      std::size_t end = line.size();
      if (end - at > kChunk) {
        std::size_t cut = at + kChunk;
        while (cut > at && !(static_cast<unsigned char>(line[cut - 1]) < 128 && neutral[static_cast<unsigned char>(line[cut - 1])]))
          --cut;
        if (cut > at) end = cut;  // no neutral byte in reach: the rest of the line at once
      }
      each(line.substr(at, end - at), at);
      at = end;
    }
  };
  auto handle = [&](std::string_view line) {
    std::size_t at_error = 0;  // where the piece being worked on starts
    try {
      if (s.explain) {
        pieces(line, [&](std::string_view piece, std::size_t at) {
          at_error = at;
          report.clear();
          for (const auto& e : n.explain(piece, &text)) {
            report += std::to_string(line_start + at + e.src_begin) + '\t' +
                      std::to_string(line_start + at + e.src_end) + '\t' + std::to_string(out_start + e.out_begin) +
                      '\t' + std::to_string(out_start + e.out_end) + '\t' + arnorm::rule_name(e.rule) + '\t';
            report.append(piece.substr(e.src_begin, e.src_end - e.src_begin));
            report += '\t';
            report.append(text, e.out_begin, e.out_end - e.out_begin);
            report += '\n';
          }
          out_start += text.size();
          out.write(report);
        });
      } else {
        pieces(line, [&](std::string_view piece, std::size_t at) {
          at_error = at;
          text = n.normalize(piece);
          if (at + piece.size() == line.size() && !text.empty() && text.back() == '\n') text.pop_back();
          out.write(text);
        });
        out.write("\t");
        bool first = true;
        std::vector<arnorm::SourceSpan> spans;
        pieces(line, [&](std::string_view piece, std::size_t at) {
          at_error = at;
          (void)n.normalize_with_offsets(piece, spans);
          report.clear();
          for (const auto& span : spans) {
            report += first ? "" : ",";
            report += std::to_string(line_start + at + span.begin) + '-' + std::to_string(line_start + at + span.end);
            first = false;
          }
          out.write(report);
        });
        out.write("\n");
      }
    } catch (const arnorm::Utf8Error& e) {
      throw Failure{utf8_error_message(name, line_start + at_error + e.offset()), 1};
    }
    line_start += line.size();
  };
  for (;;) {
    ssize_t got = ::read(in, &buf[0], buf.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Failure{"cannot read " + name + ": " + std::strerror(errno), 2};
    if (got == 0) break;
    pending.append(buf.data(), static_cast<std::size_t>(got));
    std::size_t from = 0, nl;
    while ((nl = pending.find('\n', from)) != std::string::npos) {
      handle(std::string_view(pending).substr(from, nl + 1 - from));
      from = nl + 1;
    }
    pending.erase(0, from);
  }
  if (!pending.empty()) handle(pending);
}

void process(const arnorm::Normalizer& n, const Settings& s, int in, const std::string& name, Output& out) {
  struct stat st {};
  off_t size = fstat(in, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
  bool show = s.progress == 1 || (s.progress == -1 && isatty(STDERR_FILENO) && size > (16 << 20));
  Progress progress(show, size);
  if (s.explain || s.offsets)
    normalize_lines(n, s, in, name, out);
  else
    normalize_stream(n, in, name, out, progress);
}

int open_input(const std::string& name) {
  if (name == "-") return STDIN_FILENO;
  int fd = ::open(name.c_str(), O_RDONLY);
  if (fd < 0) throw Failure{"cannot open " + name + ": " + std::strerror(errno), 2};
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Failure{name + " is a directory", 2};
  }
  return fd;
}

// The temporary file being written, removed by a signal that stops the
// program (SIGINT, SIGTERM, SIGHUP); SIGKILL cannot be caught, and leaves it.
char g_temporary[PATH_MAX + 64] = "";

extern "C" void remove_temporary_and_die(int sig) {
  if (g_temporary[0]) ::unlink(g_temporary);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// (A signal the caller ignores, as nohup does SIGHUP, stays ignored.)
void catch_stopping_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    if (std::signal(sig, remove_temporary_and_die) == SIG_IGN) std::signal(sig, SIG_IGN);
}

// A regular file replaced by a complete result only: the result is written
// to a temporary file beside it (the target of a symbolic link: the link
// stays and the file it names changes), which takes the file's owner and mode
// and is renamed over it at commit(). Without commit() the temporary goes and
// the file is as it was. `existing`: the file's stat, or none for a new file.
class Replacement {
 public:
  Replacement(const std::string& path, const struct stat* existing) : target_(path) {
    std::string dir = ".", base = path;
    if (auto slash = path.rfind('/'); slash != std::string::npos) dir = path.substr(0, slash + 1), base = path.substr(slash + 1);
    tmp_ = dir + (dir.back() == '/' ? "" : "/") + "." + base + ".arnorm-XXXXXX";
    if (tmp_.size() >= sizeof g_temporary) throw Failure{"path too long: " + path, 2};
    fd_ = mkstemp(&tmp_[0]);
    if (fd_ < 0) throw Failure{"cannot create a temporary file beside " + path + ": " + std::strerror(errno), 2};
    std::memcpy(g_temporary, tmp_.c_str(), tmp_.size() + 1);
    if (existing) {
      mode_t mode = existing->st_mode & 07777;
      // The owner first (chown clears set-user-ID bits); where it cannot be
      // kept, neither can set-user-ID or set-group-ID bits.
      if (fchown(fd_, existing->st_uid, existing->st_gid) != 0) mode &= ~mode_t(S_ISUID | S_ISGID);
      if (fchmod(fd_, mode) != 0) fail("cannot set the mode of " + tmp_);
    } else {
      const mode_t mask = umask(0);
      umask(mask);
      if (fchmod(fd_, 0666 & ~mask) != 0) fail("cannot set the mode of " + tmp_);
    }
  }
  Replacement(const Replacement&) = delete;
  Replacement& operator=(const Replacement&) = delete;
  ~Replacement() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
    g_temporary[0] = '\0';
  }
  int fd() const { return fd_; }
  const std::string& name() const { return tmp_; }
  void commit() {
    if (fsync(fd_) != 0) fail("cannot write " + tmp_);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot write " + tmp_);
    if (std::rename(tmp_.c_str(), target_.c_str()) != 0) fail("cannot replace " + target_);
    committed_ = true;
  }

 private:
  [[noreturn]] static void fail(const std::string& what) { throw Failure{what + ": " + std::strerror(errno), 2}; }
  std::string target_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// The file a path names, through symbolic links, and its stat; false when
// nothing is there.
bool resolve(const std::string& path, std::string& target, struct stat& st) {
  if (::stat(path.c_str(), &st) != 0) return false;
  char real[PATH_MAX];
  target = ::realpath(path.c_str(), real) ? std::string(real) : path;
  return true;
}

// --in-place: only a regular file with one link; see Replacement.
void rewrite_in_place(const arnorm::Normalizer& n, const Settings& s, const std::string& name) {
  std::string target;
  struct stat st {};
  if (!resolve(name, target, st)) throw Failure{"cannot open " + name + ": " + std::strerror(errno), 2};
  if (!S_ISREG(st.st_mode)) throw Failure{name + " is not a regular file: --in-place rewrites regular files only", 2};
  if (st.st_nlink > 1)
    throw Failure{name + " has " + std::to_string(st.st_nlink) +
                      " hard links: rewriting it would part them (write with -o and move it yourself)",
                  2};
  int in = open_input(target);
  try {
    Replacement out_file(target, &st);
    {
      Output out(out_file.fd(), out_file.name());
      process(n, s, in, name, out);
    }
    out_file.commit();
  } catch (...) {
    ::close(in);
    throw;
  }
  ::close(in);
}

Settings parse(int argc, char** argv) {
  Settings s;
  std::vector<std::pair<std::string, std::string>> sets;
  std::string profile = "search";
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (i + 1 >= argc) throw Failure{flag + " needs a value", 2};
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      usage(stdout);
      std::exit(0);
    } else if (a == "--version") {
      std::printf("arnorm %s (Unicode %s)\n", ARNORM_VERSION, arnorm::unicode_version().c_str());
      std::exit(0);
    } else if (a == "--profile") {
      profile = value(a);
    } else if (a.rfind("--profile=", 0) == 0) {
      profile = a.substr(10);
    } else if (a == "-o" || a == "--output") {
      s.output = value(a);
    } else if (a == "-i" || a == "--in-place") {
      s.in_place = true;
    } else if (a == "--explain") {
      s.explain = true;
    } else if (a == "--offsets") {
      s.offsets = true;
    } else if (a == "--progress") {
      s.progress = 1;
    } else if (a == "--no-progress") {
      s.progress = 0;
    } else if (a == "--sample") {
      s.sample = true;
    } else if (a == "--list-options") {
      list = true;
    } else if (a == "-" || a[0] != '-') {
      s.files.push_back(a);
    } else if (a.rfind("--", 0) != 0) {
      throw Failure{"unknown option '" + a + "' (see arnorm --help; a file whose name starts with '-': ./" + a + ")", 2};
    } else {
      std::string name = a.substr(2), val = "true";
      if (auto eq = name.find('='); eq != std::string::npos) {
        val = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (name.rfind("no-", 0) == 0) {
        name = name.substr(3), val = "false";
      }
      for (auto& c : name)
        if (c == '-') c = '_';
      sets.emplace_back(name, val);
    }
  }
  try {
    s.options = arnorm::Options::profile(profile);
    for (const auto& [name, val] : sets) s.options.set(name, val);
  } catch (const std::invalid_argument& e) {
    throw Failure{e.what(), 2};
  }
  if (list) {
    for (const auto& name : arnorm::Options::option_names())
      std::printf("%s=%s\n", name.c_str(), s.options.get(name).c_str());
    std::exit(0);
  }
  if (s.explain && s.offsets) throw Failure{"--explain and --offsets cannot be combined", 2};
  if (s.in_place && (s.files.empty() || !s.output.empty()))
    throw Failure{"--in-place needs FILE arguments and no --output", 2};
  if (s.in_place)
    for (const auto& f : s.files)
      if (f == "-") throw Failure{"--in-place cannot rewrite standard input ('-')", 2};
  return s;
}

int run(int argc, char** argv) {
  Settings s = parse(argc, argv);
  catch_stopping_signals();
  arnorm::Normalizer n(s.options);
  if (s.in_place) {
    for (const auto& f : s.files) rewrite_in_place(n, s, f);
    return 0;
  }
  int out_fd = STDOUT_FILENO;
  std::string out_name = "standard output";
  // -o: a regular file (or a new one) is replaced by a complete result only,
  // as --in-place does; anything else (a device, a pipe) is written to.
  std::unique_ptr<Replacement> replacement;
  if (!s.output.empty()) {
    out_name = s.output;
    std::string target;
    struct stat st {};
    const bool exists = resolve(s.output, target, st);
    if (exists) {
      // Writing over an input would read what is being written.
      std::vector<std::string> inputs = s.files.empty() && !s.sample ? std::vector<std::string>{"-"} : s.files;
      for (const auto& f : inputs) {
        struct stat in {};
        const bool same = (f == "-" ? fstat(STDIN_FILENO, &in) : ::stat(f.c_str(), &in)) == 0 &&
                          in.st_dev == st.st_dev && in.st_ino == st.st_ino;
        if (same) throw Failure{"--output " + s.output + " is also an input: use --in-place, or write elsewhere", 2};
      }
    }
    if (!exists || S_ISREG(st.st_mode)) {
      replacement = std::make_unique<Replacement>(exists ? target : s.output, exists ? &st : nullptr);
      out_fd = replacement->fd();
    } else {
      out_fd = ::open(s.output.c_str(), O_WRONLY | O_TRUNC);
      if (out_fd < 0) throw Failure{"cannot open " + s.output + " for writing: " + std::strerror(errno), 2};
    }
  }
  Output out(out_fd, out_name);
  if (s.sample) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw Failure{"cannot create a pipe", 2};
    Output(pipe_fds[1], "sample").write(kSample);
    ::close(pipe_fds[1]);
    process(n, s, pipe_fds[0], "sample", out);
    ::close(pipe_fds[0]);
  } else {
    if (s.files.empty()) s.files.push_back("-");
    for (const auto& f : s.files) {
      int in = open_input(f);
      process(n, s, in, f == "-" ? "standard input" : f, out);
      if (in != STDIN_FILENO) ::close(in);
    }
  }
  if (replacement)
    replacement->commit();
  else if (out_fd != STDOUT_FILENO && ::close(out_fd) != 0)
    throw Failure{"cannot write " + out_name + ": " + std::strerror(errno), 2};
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Failure& f) {
    std::fprintf(stderr, "arnorm: %s\n", f.message.c_str());
    return f.code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "arnorm: %s\n", e.what());
    return 2;
  }
}
