// Fuzzes the transport phase with fixed keys. First byte even: the rest is
// wire bytes for SecureChannel::decrypt, delivered in two pieces split where
// the second byte says. First byte odd: the rest is plaintext that must
// survive encrypt -> decrypt unchanged.
#include <cstdlib>

#include "host/noise/secure_channel.h"

namespace {

using namespace prowl::noise;

const Aead::Key kKeyA{0xa1};
const Aead::Key kKeyB{0xb2};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::span<const uint8_t> rest(data + 2, size - 2);
  SecureChannel receiver{CipherState(kKeyB), CipherState(kKeyA)};
  std::string error;
  std::vector<uint8_t> plaintext;
  if (data[0] % 2 == 0) {
    const size_t split = std::min<size_t>(rest.size(), size_t{data[1]} * 257);
    if (receiver.decrypt(rest.first(split), plaintext, &error)) {
      static_cast<void>(receiver.decrypt(rest.subspan(split), plaintext, &error));
    }
    return 0;
  }
  SecureChannel sender{CipherState(kKeyA), CipherState(kKeyB)};
  std::vector<uint8_t> wire;
  if (!sender.encrypt(rest, wire, &error) || wire.size() != SecureChannel::sealed_size(rest.size())) std::abort();
  if (!receiver.decrypt(wire, plaintext, &error) || plaintext.size() != rest.size() ||
      !std::equal(plaintext.begin(), plaintext.end(), rest.begin())) {
    std::abort();
  }
  return 0;
}
