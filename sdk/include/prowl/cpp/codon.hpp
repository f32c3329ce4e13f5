// prowl/cpp/codon.hpp: genetic-codon encoder plugins (PROWL_KIND_CODON) in C++.
#ifndef PROWL_CPP_CODON_HPP_
#define PROWL_CPP_CODON_HPP_

#include <prowl/cpp/core.hpp>

#include <type_traits>

namespace prowl {

/// Base of codon encoder plugins. Compute, as codecs: thread-safe.
class CodonEncoder {
 public:
  virtual ~CodonEncoder() = default;
  /// Encodes bytes into a codon sequence over A, C, G, T.
  virtual void encode(std::span<const uint8_t> in, Output& out) = 0;
  /// Decodes a codon sequence; throws InvalidInput naming the position.
  virtual void decode(std::span<const uint8_t> in, Output& out) = 0;
};

namespace detail {

template <class T>
  requires std::is_base_of_v<CodonEncoder, T>
struct Trampolines<T> {
  static constexpr uint32_t kKind = PROWL_KIND_CODON;
  static int32_t encode(void* self, const uint8_t* in, size_t len, prowl_writer* w, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).encode({in, len}, out);
    });
  }
  static int32_t decode(void* self, const uint8_t* in, size_t len, prowl_writer* w, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decode({in, len}, out);
    });
  }
  static inline const prowl_codon_vtable vtable{sizeof(prowl_codon_vtable), &encode, &decode};
};

}  // namespace detail
}  // namespace prowl

#endif  // PROWL_CPP_CODON_HPP_
