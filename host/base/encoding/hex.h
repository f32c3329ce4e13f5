// Lower-case hexadecimal, for logs, JSON output and test vectors.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::encoding {

/// Encodes bytes as lower-case hex.
std::string hex_encode(std::span<const uint8_t> bytes);

/// Decodes hex (either case). Returns nullopt on odd length or a non-hex digit.
std::optional<std::vector<uint8_t>> hex_decode(std::string_view text);

}  // namespace prowl::encoding
