// Base58 with the Bitcoin alphabet (multibase "z" / base58btc), as used by
// libp2p peer ids.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::encoding {

/// The longest input base58_decode accepts, in characters; peer ids and keys
/// are far shorter, and the cost is quadratic in the length.
inline constexpr size_t kBase58MaxChars = 1024;

/// Encodes bytes as base58btc.
std::string base58_encode(std::span<const uint8_t> bytes);

/// Decodes base58btc text. Returns nullopt when a character is outside the
/// alphabet or the text is longer than kBase58MaxChars; `error`, if given,
/// then says which and where.
std::optional<std::vector<uint8_t>> base58_decode(std::string_view text,
                                                  std::string* error = nullptr);

}  // namespace prowl::encoding
