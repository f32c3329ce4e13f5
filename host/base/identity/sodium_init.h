// libsodium must be initialised once before any other of its functions.
#pragma once

namespace prowl::identity {

/// Initialises libsodium on first call (thread-safe, idempotent). Throws
/// std::runtime_error if libsodium cannot initialise.
void ensure_sodium_initialized();

}  // namespace prowl::identity
