// prowl/cpp/core.hpp: the core of the C++ wrappers over the ABI 2 C
// headers: errors, output buffers, the one call helper, and prowl::Host (a
// plugin's context with the core host functions: log, config, codecs).
//
// Nothing here depends on the host; only the C++20 standard library is used.
// Exceptions thrown by plugin code never cross the boundary: the trampolines
// turn them into a prowl_status and a message.
#ifndef PROWL_CPP_CORE_HPP_
#define PROWL_CPP_CORE_HPP_

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace prowl {

/// An error that maps to a prowl_status when it reaches the boundary.
class Error : public std::runtime_error {
 public:
  Error(prowl_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
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

/// Runs f, turning any exception into a status and a message in err.
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

/// Throws Error unless `fn` (a host function found by name) is there.
template <class Fn>
Fn require(Fn fn, const char* name) {
  if (fn == nullptr) throw Error(PROWL_ERR_UNSUPPORTED, std::string("this host has no ") + name);
  return fn;
}

/// Calls a host function f(prowl_error*) -> status; throws Error on failure.
template <class F>
void call(F&& f) {
  prowl_error err{};
  const int32_t rc = f(&err);
  if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
}

/// The callback objects a plugin handed to the host (handlers, listeners,
/// pending calls), kept until the host is done with them or the plugin goes
/// away. Thread-safe.
class Keeper {
 public:
  /// Keeps `object`, then starts the host call start(object*, prowl_error*)
  /// -> status that will call back with it. On failure drops the object and
  /// throws Error. Returns the kept object. This is the one keep / call /
  /// drop / throw sequence every registration of the wrappers goes through.
  template <class T, class F>
  T* start(std::unique_ptr<T> object, F&& call_host) {
    T* raw = keep(std::move(object));
    prowl_error err{};
    const int32_t rc = call_host(raw, &err);
    if (rc != PROWL_OK) {
      drop(raw);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
    return raw;
  }

  template <class T>
  T* keep(std::unique_ptr<T> object) {
    std::lock_guard lock(mutex_);
    T* raw = object.get();
    objects_.emplace(raw, std::shared_ptr<void>(std::move(object)));
    return raw;
  }

  void drop(void* object) {
    std::shared_ptr<void> gone;  // freed after the lock is released
    std::lock_guard lock(mutex_);
    if (auto it = objects_.find(object); it != objects_.end()) {
      gone = std::move(it->second);
      objects_.erase(it);
    }
  }

  /// A reference keeping `object` alive through a callback that may drop it.
  std::shared_ptr<void> hold(void* object) {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(object);
    return it == objects_.end() ? nullptr : it->second;
  }

  /// Remembers that subscription `id` holds `object` (dropped with drop_id).
  void name(uint64_t id, void* object) {
    std::lock_guard lock(mutex_);
    ids_[id] = object;
  }
  void drop_id(uint64_t id) {
    void* object = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (auto it = ids_.find(id); it != ids_.end()) {
        object = it->second;
        ids_.erase(it);
      }
    }
    if (object != nullptr) drop(object);
  }

 private:
  std::mutex mutex_;
  std::map<void*, std::shared_ptr<void>> objects_;
  std::map<uint64_t, void*> ids_;
};

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

/// One plugin's handle on the host: its context, the host's function lookup
/// and the core functions. The service groups (prowl::Net, Dht, Pubsub,
/// Howls) are built from it. Thread-safe; lives as long as the plugin object.
class Host {
 public:
  /// REQUIRES: ctx and get_proc came from the host (create() and the entry).
  Host(prowl_plugin_ctx* ctx, prowl_get_proc_fn get_proc)
      : ctx_(ctx),
        get_proc_(get_proc),
        log_(proc<prowl_log_fn>("prowl_log")),
        config_get_(proc<prowl_config_get_fn>("prowl_config_get")),
        codec_compress_(proc<prowl_codec_compress_fn>("prowl_codec_compress")),
        codec_decompress_(proc<prowl_codec_decompress_fn>("prowl_codec_decompress")),
        codec_name_(proc<prowl_codec_name_fn>("prowl_codec_name")) {}
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  /// The host function `name` as its typedef Fn, or nullptr when the host
  /// has none (look it up once and keep it).
  template <class Fn>
  Fn proc(const char* name) const noexcept {
    return reinterpret_cast<Fn>(get_proc_(name));
  }

  /// Writes a log line tagged with the plugin's name. Never throws.
  void log(prowl_log_level level, const std::string& message) const noexcept {
    if (log_ != nullptr) log_(ctx_, level, message.c_str());
  }
  void info(const std::string& message) const noexcept { log(PROWL_LOG_INFO, message); }
  void warn(const std::string& message) const noexcept { log(PROWL_LOG_WARN, message); }

  /// This plugin's config value "plugins.<name>.<key>", if set.
  std::optional<std::string> config(const std::string& key) const {
    auto get = detail::require(config_get_, "prowl_config_get");
    char small[256];
    const int64_t n = get(ctx_, key.c_str(), small, sizeof small);
    if (n < 0) return std::nullopt;
    if (static_cast<size_t>(n) < sizeof small) return std::string(small, static_cast<size_t>(n));
    std::string big(static_cast<size_t>(n) + 1, '\0');
    get(ctx_, key.c_str(), big.data(), big.size());
    big.resize(static_cast<size_t>(n));
    return big;
  }

  /// Names of the codecs loaded in the host.
  std::vector<std::string> codecs() const {
    auto name = detail::require(codec_name_, "prowl_codec_name");
    std::vector<std::string> names;
    char buf[PROWL_NAME_MAX];
    for (size_t i = 0; name(ctx_, i, buf, sizeof buf) == 1; ++i) names.emplace_back(buf);
    return names;
  }

  /// Raw compression with another codec. Throws Error on failure.
  void compress(const std::string& codec, std::span<const uint8_t> in, int32_t level, Output& out) const {
    auto fn = detail::require(codec_compress_, "prowl_codec_compress");
    detail::call([&](prowl_error* err) {
      return fn(ctx_, codec.c_str(), in.data(), in.size(), level, out.raw(), err);
    });
  }
  /// Raw decompression with another codec. Throws Error on failure.
  void decompress(const std::string& codec, std::span<const uint8_t> in, size_t original_size, Output& out) const {
    auto fn = detail::require(codec_decompress_, "prowl_codec_decompress");
    detail::call([&](prowl_error* err) {
      return fn(ctx_, codec.c_str(), in.data(), in.size(), original_size, out.raw(), err);
    });
  }

  /// The plugin's context, for calls made through the C functions directly.
  prowl_plugin_ctx* ctx() const noexcept { return ctx_; }
  /// The callback objects the service wrappers handed to the host.
  detail::Keeper& keeper() const noexcept { return *keeper_; }

 private:
  prowl_plugin_ctx* ctx_;
  prowl_get_proc_fn get_proc_;
  prowl_log_fn log_;
  prowl_config_get_fn config_get_;
  prowl_codec_compress_fn codec_compress_;
  prowl_codec_decompress_fn codec_decompress_;
  prowl_codec_name_fn codec_name_;
  std::unique_ptr<detail::Keeper> keeper_ = std::make_unique<detail::Keeper>();
};

namespace detail {

/// One plugin instance: its Host and its object (built from the Host). The
/// object goes first; the Host, which keeps the callback objects, after it.
template <class T>
struct Instance {
  Instance(prowl_plugin_ctx* ctx, prowl_get_proc_fn get_proc) : host(ctx, get_proc), object(host) {}
  Host host;
  T object;
};

template <class T>
T& object_of(void* self) noexcept {
  return static_cast<Instance<T>*>(self)->object;
}

/// The C vtable of plugin class T; each kind's header specialises it.
template <class T>
struct Trampolines;

}  // namespace detail
}  // namespace prowl

#endif  // PROWL_CPP_CORE_HPP_
