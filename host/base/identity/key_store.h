// The node's identity on disk: data_dir/identity.key holds the libp2p
// PrivateKey protobuf, readable by its owner only.
#pragma once

#include <filesystem>

#include "host/base/identity/key_pair.h"

namespace prowl::identity {

/// The identity file's name inside the data directory.
inline constexpr const char* kIdentityFileName = "identity.key";

/// Loads data_dir/identity.key, or on first use creates data_dir (mode 0700)
/// if missing and writes a fresh key there atomically with mode 0600.
/// Throws std::runtime_error naming the file and the problem when the file is
/// corrupt, not a regular file, accessible by group or others, or cannot be
/// read or written. Safe against a concurrent first use by another process:
/// both end up with the key that was stored first.
KeyPair load_or_create_identity(const std::filesystem::path& data_dir);

}  // namespace prowl::identity
