#include "host/wire/mdns/peer_name.h"

#include <sodium.h>

#include <string_view>

#include "host/base/identity/sodium_init.h"

namespace prowl::mdns {

std::string random_peer_name() {
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  constexpr uint32_t kMinLength = 32;
  constexpr uint32_t kMaxLength = 63;  // one DNS label
  identity::ensure_sodium_initialized();
  const uint32_t length = kMinLength + randombytes_uniform(kMaxLength - kMinLength + 1);
  std::string name(length, '\0');
  for (char& c : name) c = kAlphabet[randombytes_uniform(kAlphabet.size())];
  return name;
}

}  // namespace prowl::mdns
