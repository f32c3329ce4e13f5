// The body shared by the decoders' fuzz targets.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace prowl::codecs {

/// Bytes at the front of a fuzz input holding the claimed original size.
inline constexpr size_t kFuzzSizeBytes = 3;
/// The claimed original size is masked to this, so one input needs at most 1 MiB.
inline constexpr size_t kFuzzMaxOriginal = (size_t{1} << 20) - 1;

/// Reads a little-endian original size from the first kFuzzSizeBytes of
/// `data` (masked to kFuzzMaxOriginal), decodes the rest with `codec` through
/// a VectorWriter limited to that size, and aborts if the codec breaks its
/// contract: a success of another size, a failure other than InvalidInput or
/// LimitExceeded, or a message not starting with "<name>: ".
int fuzz_decode(Codec& codec, std::string_view name, const uint8_t* data, size_t size);

}  // namespace prowl::codecs
