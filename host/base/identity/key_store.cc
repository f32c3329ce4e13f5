#include "host/base/identity/key_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/encoding/hex.h"
#include "host/base/identity/key_protobuf.h"
#include "host/base/identity/sodium_init.h"

namespace prowl::identity {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& file, const std::string& problem) {
  throw std::runtime_error("identity file " + file.string() + ": " + problem);
}

[[noreturn]] void fail_errno(const fs::path& file, const std::string& action) {
  fail(file, action + ": " + std::strerror(errno));
}

// Closes a descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now, reporting failure (which can mean lost data after a write).
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Reads and decodes an existing identity file opened as `fd`.
KeyPair read_identity(const fs::path& file, int fd) {
  struct stat info;
  if (::fstat(fd, &info) != 0) fail_errno(file, "cannot stat");
  if (!S_ISREG(info.st_mode)) fail(file, "not a regular file");
  if ((info.st_mode & 077) != 0)
    fail(file, "has mode " + octal_mode(info.st_mode) +
                   " and is accessible by group or others; it holds the node's secret key "
                   "and must be readable by its owner only (chmod 600)");
  if (info.st_size > static_cast<off_t>(kMaxKeyMessageBytes))
    fail(file, "corrupt: " + std::to_string(info.st_size) + " bytes, longer than any key");
  std::vector<uint8_t> bytes(static_cast<size_t>(info.st_size) + 1);
  size_t size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, bytes.data() + size, bytes.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(file, "cannot read");
    if (n == 0) break;
    size += static_cast<size_t>(n);
    if (size == bytes.size()) fail(file, "corrupt: grew while being read");
  }
  bytes.resize(size);
  std::string error;
  auto pair = KeyPair::from_private_protobuf(bytes, &error);
  sodium_memzero(bytes.data(), bytes.size());
  if (!pair) fail(file, "corrupt: " + error);
  return *pair;
}

void write_all(const fs::path& file, int fd, const std::vector<uint8_t>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(file, "cannot write");
    done += static_cast<size_t>(n);
  }
}

void sync_directory(const fs::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail_errno(dir, "cannot sync directory");
}

// Writes `pair` to a fresh temporary file and links it in as `file`.
// Returns false if `file` appeared meanwhile (then nothing was changed).
bool store_identity(const fs::path& file, const KeyPair& pair) {
  std::array<uint8_t, 8> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  const fs::path temporary =
      file.parent_path() / ("." + file.filename().string() + ".tmp-" + encoding::hex_encode(nonce));
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600));
  if (fd.get() < 0) fail_errno(temporary, "cannot create");
  struct Unlinker {
    const fs::path& path;
    ~Unlinker() { ::unlink(path.c_str()); }
  } unlink_temporary{temporary};
  std::vector<uint8_t> bytes = pair.private_to_protobuf();
  write_all(temporary, fd.get(), bytes);
  sodium_memzero(bytes.data(), bytes.size());
  if (::fsync(fd.get()) != 0) fail_errno(temporary, "cannot sync");
  if (!fd.close()) fail_errno(temporary, "cannot close");
  // link() never replaces an existing file, so two first uses cannot disagree.
  if (::link(temporary.c_str(), file.c_str()) != 0) {
    if (errno == EEXIST) return false;
    fail_errno(file, "cannot create");
  }
  sync_directory(file.parent_path());
  return true;
}

}  // namespace

KeyPair load_or_create_identity(const fs::path& data_dir) {
  ensure_sodium_initialized();
  const fs::path dir = data_dir.empty() ? fs::path(".") : data_dir;
  const fs::path file = dir / kIdentityFileName;
  for (int attempt = 0; attempt < 2; ++attempt) {
    FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() >= 0) return read_identity(file, fd.get());
    if (errno == ELOOP) fail(file, "is a symbolic link; refusing to follow it");
    if (errno != ENOENT) fail_errno(file, "cannot open");
    std::error_code ec;
    if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec) fail(file, "cannot create data directory " + dir.string() + ": " + ec.message());
    KeyPair pair = KeyPair::generate();
    if (store_identity(file, pair)) return pair;
    // Another process created the file first: use its key.
  }
  fail(file, "appeared and vanished while being created");
}

}  // namespace prowl::identity
