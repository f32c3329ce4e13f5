// prowl/cpp/codec.hpp: codec plugins (PROWL_KIND_CODEC) in C++.
#ifndef PROWL_CPP_CODEC_HPP_
#define PROWL_CPP_CODEC_HPP_

#include <prowl/cpp/core.hpp>

#include <type_traits>

namespace prowl {

/// Base of codec plugins. Compute: the host calls one instance from several
/// threads at once, so implementations must be thread-safe.
class Codec {
 public:
  virtual ~Codec() = default;
  /// Compresses `in` into `out`; returns the codec name whose format was
  /// written (empty means this plugin's own name). level 0 = default.
  virtual std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) = 0;
  /// Decompresses `in`, which must expand to exactly original_size bytes.
  virtual void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) = 0;
};

namespace detail {

template <class T>
  requires std::is_base_of_v<Codec, T>
struct Trampolines<T> {
  static constexpr uint32_t kKind = PROWL_KIND_CODEC;
  static int32_t compress(void* self, const uint8_t* in, size_t len, int32_t level, prowl_writer* w, char* used,
                          prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      copy_text(used, PROWL_NAME_MAX, object_of<T>(self).compress({in, len}, level, out));
    });
  }
  static int32_t decompress(void* self, const uint8_t* in, size_t len, size_t original, prowl_writer* w,
                            prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decompress({in, len}, original, out);
    });
  }
  static inline const prowl_codec_vtable vtable{sizeof(prowl_codec_vtable), &compress, &decompress};
};

}  // namespace detail
}  // namespace prowl

#endif  // PROWL_CPP_CODEC_HPP_
