// The libp2p PublicKey/PrivateKey protobuf messages restricted to Ed25519,
// with the spec's deterministic encoding enforced on input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace prowl::identity {

/// Which of the two key messages.
enum class KeyMessage { kPublic, kPrivate };

/// The longest key message accepted, in bytes (Ed25519 needs 68).
inline constexpr size_t kMaxKeyMessageBytes = 1024;

/// Decodes `bytes` as the given message and returns its Data. Returns nullopt
/// and says why in `error` (if given) unless the message is the deterministic
/// encoding of an Ed25519 key whose Data is `data_size` bytes long.
std::optional<std::vector<uint8_t>> decode_ed25519_key(KeyMessage kind,
                                                      std::span<const uint8_t> bytes,
                                                      size_t data_size, std::string* error);

/// Encodes an Ed25519 key message with the given Data.
std::vector<uint8_t> encode_ed25519_key(KeyMessage kind, std::span<const uint8_t> data);

}  // namespace prowl::identity
