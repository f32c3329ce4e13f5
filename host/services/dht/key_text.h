// DHT record keys as people type and read them. Keys are bytes; the /pk/
// namespace holds a peer id's multihash bytes after "/pk/", which the text
// form spells as the base58 peer id.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::dht {

/// The key for messages and JSON: "/pk/<base58 peer id>" for a /pk/ key
/// holding a peer id, the key itself when it is printable ASCII, otherwise
/// "0x" and lower-case hex.
std::string key_text(std::span<const uint8_t> key);

/// The key bytes of `text`: "/pk/<base58 peer id>" becomes "/pk/" and the
/// id's multihash bytes, "0x<hex>" the bytes the hex spells; other text is
/// taken as is. Returns nullopt, with `error` saying why, for an empty key,
/// a /pk/ id or hex that does not parse, or a key longer than kad::kMaxKeyBytes.
std::optional<std::vector<uint8_t>> parse_key(std::string_view text, std::string* error = nullptr);

}  // namespace prowl::dht
