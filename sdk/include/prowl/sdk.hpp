// prowl/sdk.hpp: header-only C++ wrappers over the C ABI in prowl/plugin.h.
//
// An author derives from one of prowl::Codec, prowl::CodonEncoder,
// prowl::Role or prowl::Hunt, gives the class a constructor taking
// prowl::Host&, and writes one line:
//
//   PROWL_PLUGIN(MyCodec, "my-codec", "1.0.0", "What it does");
//
// The macro emits the manifest and the entry point. Exceptions thrown by the
// class never cross the boundary: they become a prowl_status and a message.
// Nothing here depends on the host; only the C++20 standard library is used.
#ifndef PROWL_SDK_HPP_
#define PROWL_SDK_HPP_

#include <prowl/plugin.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace prowl {

/// An error that maps to a prowl_status when it reaches the boundary.
class Error : public std::runtime_error {
 public:
  Error(prowl_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  prowl_status status() const noexcept { return status_; }

 private:
  prowl_status status_;
};

/// Malformed input: maps to PROWL_ERR_INVALID_INPUT.
class InvalidInput : public Error {
 public:
  explicit InvalidInput(const std::string& message) : Error(PROWL_ERR_INVALID_INPUT, message) {}
};

/// A size or resource limit was hit: maps to PROWL_ERR_LIMIT.
class LimitExceeded : public Error {
 public:
  explicit LimitExceeded(const std::string& message) : Error(PROWL_ERR_LIMIT, message) {}
};

namespace detail {
/// Copies text into a fixed C buffer, always terminating it.
inline void copy_text(char* dst, size_t cap, std::string_view text) noexcept {
  if (cap == 0) return;
  const size_t n = text.size() < cap - 1 ? text.size() : cap - 1;
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}
}  // namespace detail

/// Host-owned output with a hard limit. Not copyable; valid during one call.
class Output {
 public:
  explicit Output(prowl_writer* writer) noexcept : writer_(writer) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  /// Returns at least min_bytes of writable room. Throws LimitExceeded.
  std::span<uint8_t> reserve(size_t min_bytes) {
    size_t room = 0;
    uint8_t* p = writer_->reserve(writer_->ctx, min_bytes, &room);
    if (p == nullptr) throw LimitExceeded("output limit reached");
    return {p, room};
  }
  /// Marks n bytes of the last reserved room as written.
  void commit(size_t n) noexcept { writer_->commit(writer_->ctx, n); }
  /// Appends bytes. Throws LimitExceeded.
  void append(const void* data, size_t size) {
    if (size == 0) return;
    auto room = reserve(size);
    std::memcpy(room.data(), data, size);
    commit(size);
  }
  void append(std::string_view text) { append(text.data(), text.size()); }
  prowl_writer* raw() const noexcept { return writer_; }

 private:
  prowl_writer* writer_;
};

/// A prowl_writer over a std::vector with a hard size limit, for plugins that
/// call host services and for hosts. Not thread-safe; one producer at a time.
class VectorWriter {
 public:
  explicit VectorWriter(size_t limit) : limit_(limit) {
    writer_.ctx = this;
    writer_.reserve = &VectorWriter::reserve_cb;
    writer_.commit = &VectorWriter::commit_cb;
  }
  VectorWriter(const VectorWriter&) = delete;
  VectorWriter& operator=(const VectorWriter&) = delete;

  /// The C view to hand to a plugin or host call.
  prowl_writer* writer() noexcept { return &writer_; }
  /// Bytes committed so far.
  size_t size() const noexcept { return used_; }
  /// Returns the committed bytes and resets the writer.
  std::vector<uint8_t> take() {
    data_.resize(used_);
    used_ = 0;
    return std::move(data_);
  }

 private:
  static uint8_t* reserve_cb(void* ctx, size_t min_bytes, size_t* room) noexcept {
    auto* self = static_cast<VectorWriter*>(ctx);
    if (min_bytes > self->limit_ - self->used_) return nullptr;
    const size_t want = self->used_ + min_bytes;
    if (self->data_.size() < want) {
      size_t grown = self->data_.size() * 2;
      if (grown < want) grown = want;
      if (grown > self->limit_) grown = self->limit_;
      try {
        self->data_.resize(grown);
      } catch (...) {
        return nullptr;
      }
    }
    *room = self->data_.size() - self->used_;
    return self->data_.data() + self->used_;
  }
  static void commit_cb(void* ctx, size_t n) noexcept { static_cast<VectorWriter*>(ctx)->used_ += n; }

  prowl_writer writer_{};
  std::vector<uint8_t> data_;
  size_t used_ = 0;
  size_t limit_;
};

/// The host services given to a plugin. Thread-safe; outlives the plugin.
class Host {
 public:
  explicit Host(const prowl_host_api* api) noexcept : api_(api) {}

  /// Writes a log line tagged with the plugin's name.
  void log(prowl_log_level level, const std::string& message) const {
    api_->log(api_->host, level, message.c_str());
  }
  void info(const std::string& message) const { log(PROWL_LOG_INFO, message); }
  void warn(const std::string& message) const { log(PROWL_LOG_WARN, message); }

  /// This plugin's config value "plugins.<name>.<key>", if set.
  std::optional<std::string> config(const std::string& key) const {
    char small[256];
    int64_t n = api_->config_get(api_->host, key.c_str(), small, sizeof small);
    if (n < 0) return std::nullopt;
    if (static_cast<size_t>(n) < sizeof small) return std::string(small, static_cast<size_t>(n));
    std::string big(static_cast<size_t>(n) + 1, '\0');
    api_->config_get(api_->host, key.c_str(), big.data(), big.size());
    big.resize(static_cast<size_t>(n));
    return big;
  }

  /// Names of the codecs loaded in the host.
  std::vector<std::string> codecs() const {
    std::vector<std::string> names;
    char buf[PROWL_NAME_MAX];
    for (size_t i = 0; api_->codec_name(api_->host, i, buf, sizeof buf) == 1; ++i)
      names.emplace_back(buf);
    return names;
  }

  /// Raw compression with another codec. Throws Error on failure.
  void compress(const std::string& codec, std::span<const uint8_t> in, int32_t level,
                Output& out) const {
    prowl_error err{};
    int32_t rc = api_->codec_compress(api_->host, codec.c_str(), in.data(), in.size(), level,
                                      out.raw(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  /// Raw decompression with another codec. Throws Error on failure.
  void decompress(const std::string& codec, std::span<const uint8_t> in, size_t original_size,
                  Output& out) const {
    prowl_error err{};
    int32_t rc = api_->codec_decompress(api_->host, codec.c_str(), in.data(), in.size(),
                                        original_size, out.raw(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }

  const prowl_host_api* raw() const noexcept { return api_; }

 private:
  const prowl_host_api* api_;
};

/// Base of codec plugins. Implementations must be thread-safe.
class Codec {
 public:
  virtual ~Codec() = default;
  /// Compresses `in` into `out`; returns the codec name whose format was
  /// written (empty means this plugin's own name). level 0 = default.
  virtual std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) = 0;
  /// Decompresses `in`, which must expand to exactly original_size bytes.
  virtual void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) = 0;
};

/// Base of genetic-codon encoder plugins. Implementations must be thread-safe.
class CodonEncoder {
 public:
  virtual ~CodonEncoder() = default;
  /// Encodes bytes into a codon sequence over A, C, G, T.
  virtual void encode(std::span<const uint8_t> in, Output& out) = 0;
  /// Decodes a codon sequence; throws InvalidInput naming the position.
  virtual void decode(std::span<const uint8_t> in, Output& out) = 0;
};

/// Base of role and hunt plugins: lifecycle now, swarm services later.
class Agent {
 public:
  virtual ~Agent() = default;
  /// Called once after the host has started; throw to refuse.
  virtual void start() {}
  /// Called once before the host stops.
  virtual void stop() noexcept {}
};

/// A role (alpha, scout, sentinel, ...).
class Role : public Agent {};
/// A hunt type (discovery, resource, ...).
class Hunt : public Agent {};

namespace detail {

template <class T>
constexpr uint32_t kind_of() {
  if constexpr (std::is_base_of_v<Codec, T>) return PROWL_KIND_CODEC;
  else if constexpr (std::is_base_of_v<CodonEncoder, T>) return PROWL_KIND_CODON;
  else if constexpr (std::is_base_of_v<Role, T>) return PROWL_KIND_ROLE;
  else if constexpr (std::is_base_of_v<Hunt, T>) return PROWL_KIND_HUNT;
  else static_assert(sizeof(T) == 0, "a plugin class derives from Codec, CodonEncoder, Role or Hunt");
}

/// Runs f, turning any exception into a status and a message.
template <class F>
int32_t guarded(prowl_error* err, F&& f) noexcept {
  try {
    f();
    return PROWL_OK;
  } catch (const Error& e) {
    copy_text(err->message, sizeof err->message, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    copy_text(err->message, sizeof err->message, "out of memory");
    return PROWL_ERR_LIMIT;
  } catch (const std::exception& e) {
    copy_text(err->message, sizeof err->message, e.what());
    return PROWL_ERR_INTERNAL;
  } catch (...) {
    copy_text(err->message, sizeof err->message, "unknown exception");
    return PROWL_ERR_INTERNAL;
  }
}

/// One plugin instance: the host handle the object was given, and the object.
/// The handle lives exactly as long as the object that may keep a reference.
template <class T>
struct Instance {
  explicit Instance(const prowl_host_api* api) : host(api), object(host) {}
  Host host;
  T object;
};

template <class T>
T& object_of(void* self) noexcept {
  return static_cast<Instance<T>*>(self)->object;
}

template <class T>
struct Trampolines;

template <class T>
  requires std::is_base_of_v<Codec, T>
struct Trampolines<T> {
  static int32_t compress(void* self, const uint8_t* in, size_t len, int32_t level,
                          prowl_writer* w, char* used, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      std::string name = object_of<T>(self).compress({in, len}, level, out);
      copy_text(used, PROWL_NAME_MAX, name);
    });
  }
  static int32_t decompress(void* self, const uint8_t* in, size_t len, size_t original,
                            prowl_writer* w, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decompress({in, len}, original, out);
    });
  }
  static inline const prowl_codec_vtable vtable{sizeof(prowl_codec_vtable), &compress, &decompress};
};

template <class T>
  requires std::is_base_of_v<CodonEncoder, T>
struct Trampolines<T> {
  static int32_t encode(void* self, const uint8_t* in, size_t len, prowl_writer* w,
                        prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).encode({in, len}, out);
    });
  }
  static int32_t decode(void* self, const uint8_t* in, size_t len, prowl_writer* w,
                        prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decode({in, len}, out);
    });
  }
  static inline const prowl_codon_vtable vtable{sizeof(prowl_codon_vtable), &encode, &decode};
};

template <class T>
  requires std::is_base_of_v<Agent, T>
struct Trampolines<T> {
  static int32_t start(void* self, prowl_error* err) noexcept {
    return guarded(err, [&] { object_of<T>(self).start(); });
  }
  static void stop(void* self) noexcept { object_of<T>(self).stop(); }
  static inline const prowl_agent_vtable vtable{sizeof(prowl_agent_vtable), &start, &stop};
};

/// The body of prowl_plugin_entry for class T.
template <class T>
int32_t entry(const prowl_host_api* api, prowl_plugin* out, prowl_error* err) noexcept {
  if (api == nullptr || api->abi_major != PROWL_ABI_MAJOR) {
    copy_text(err->message, sizeof err->message, "plugin built for a different prowl ABI major");
    return PROWL_ERR_UNSUPPORTED;
  }
  return guarded(err, [&] {
    out->self = new Instance<T>(api);
    out->vtable = &Trampolines<T>::vtable;
    out->destroy = [](void* p) noexcept { delete static_cast<Instance<T>*>(p); };
  });
}

}  // namespace detail
}  // namespace prowl

/// Declares the plugin: the manifest (constant data in its own ELF section,
/// read by the host without running code) and the entry point.
/// CLASS derives from prowl::Codec, CodonEncoder, Role or Hunt and has a
/// constructor taking prowl::Host&. NAME, VERSION, DESCRIPTION are string
/// literals; an over-long one fails to compile.
#define PROWL_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION)                                    \
  extern "C" PROWL_EXPORT __attribute__((section(PROWL_MANIFEST_SECTION), used))          \
  const prowl_manifest prowl_plugin_manifest = {                                           \
      {'P', 'R', 'O', 'W', 'L', 'P', 'L', 'G'}, PROWL_ABI_MAJOR, PROWL_ABI_MINOR,          \
      ::prowl::detail::kind_of<CLASS>(),        0u, NAME, VERSION, DESCRIPTION};           \
  extern "C" PROWL_EXPORT int32_t prowl_plugin_entry(const prowl_host_api* api,           \
                                                     prowl_plugin* out, prowl_error* err) { \
    return ::prowl::detail::entry<CLASS>(api, out, err);                                   \
  }

#endif  // PROWL_SDK_HPP_
