#include "host/base/identity/sodium_init.h"

#include <sodium.h>

#include <stdexcept>

namespace prowl::identity {

void ensure_sodium_initialized() {
  static const bool initialized = sodium_init() >= 0;
  if (!initialized) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace prowl::identity
