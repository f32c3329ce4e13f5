// Helpers shared by the codec plugins: level checks, exact output
// reservation and errors that name the codec.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace prowl::codecs {

/// Throws prowl::InvalidInput with the message "<codec>: <problem>".
[[noreturn]] void fail(std::string_view codec, std::string_view problem);

/// Returns `level` if it is 0 (the library's default) or within [min, max];
/// otherwise throws InvalidInput naming the codec and the accepted range.
int32_t checked_level(std::string_view codec, int32_t level, int32_t min, int32_t max);

/// Returns exactly `bytes` writable bytes of `out` (an empty span with a valid
/// pointer when bytes is 0). Throws LimitExceeded naming the codec when the
/// writer refuses. The span is valid until the next reserve() or commit().
std::span<uint8_t> reserve_exactly(Output& out, size_t bytes, std::string_view codec);

/// Throws InvalidInput unless a decoder produced exactly `expected` bytes.
void check_produced(std::string_view codec, size_t produced, size_t expected);

/// `in.data()`, or a valid pointer to nothing when `in` is empty, for C
/// libraries that must not see a null source.
const uint8_t* data_or_empty(std::span<const uint8_t> in) noexcept;

}  // namespace prowl::codecs
