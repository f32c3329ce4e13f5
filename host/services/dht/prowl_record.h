// The /prowl/ namespace of the DHT in one place: values stored under
// "/prowl/<peer id>/<name>" are signed by that peer (kad::SignedValue). This
// builds the signed value a node stores under its own key and opens a
// stored one back into what its publisher signed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/status/status.h"
#include "host/wire/kad/signed_value.h"

namespace prowl::dht {

/// The namespace whose values are signed by the peer the key names.
inline constexpr std::string_view kProwlPrefix = "/prowl/";

/// True when `key` is in the /prowl/ namespace.
bool is_prowl_key(std::span<const uint8_t> key) noexcept;

/// OK for a key outside /prowl/ or for "/prowl/<local>/<name>" (name not
/// empty); otherwise InvalidInput naming the key a node may sign.
Status check_own_prowl_key(std::span<const uint8_t> key, const identity::PeerId& local);

/// The value to store for `value` under `key`: for a /prowl/ key the
/// SignedValue envelope signed with `key_pair`, whose sequence is the wall
/// clock in milliseconds (so a later put wins); any other key's value as is.
/// REQUIRES: check_own_prowl_key(key, key_pair's peer id) is OK.
std::vector<uint8_t> stored_value(const identity::KeyPair& key_pair, std::span<const uint8_t> key,
                                  std::vector<uint8_t> value);

/// The envelope of a stored /prowl/ value whose signature over `key` holds,
/// or nullopt (not a /prowl/ key, not an envelope, or a bad signature).
std::optional<kad::SignedValue> open_prowl_value(std::span<const uint8_t> key, std::span<const uint8_t> stored);

}  // namespace prowl::dht
