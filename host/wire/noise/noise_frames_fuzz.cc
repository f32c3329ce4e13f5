// Fuzzes the transport phase with fixed keys. First byte even: the rest is
// wire bytes for SecureChannel::decrypt, delivered in two pieces split where
// the second byte says, and also for the in-place open_next, which must
// deliver the same plaintext and fail alike. First byte odd: the rest is
// plaintext that must survive encrypt -> decrypt and a gather seal (split
// where the second byte says) -> open_next unchanged.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "host/wire/noise/secure_channel.h"

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
    bool ok = receiver.decrypt(rest.first(split), plaintext, &error);
    ok = ok && receiver.decrypt(rest.subspan(split), plaintext, &error);
    // In place, as the connection's read loop does: the incomplete frame at
    // the end of the first piece is presented again with the second.
    SecureChannel in_place{CipherState(kKeyB), CipherState(kKeyA)};
    std::vector<uint8_t> wire(rest.begin(), rest.end()), opened;
    size_t begin = 0;
    SecureChannel::Opened result;
    for (const size_t end : {split, wire.size()}) {
      std::span<uint8_t> in = std::span(wire).subspan(begin, end - begin);
      while ((result = in_place.open_next(in, &error)).status == SecureChannel::Opened::Status::kPlaintext)
        opened.insert(opened.end(), result.plaintext.begin(), result.plaintext.end());
      if (result.status == SecureChannel::Opened::Status::kFailed) break;
      begin = end - in.size();
    }
    if ((result.status != SecureChannel::Opened::Status::kFailed) != ok || opened != plaintext) std::abort();
    return 0;
  }
  SecureChannel sender{CipherState(kKeyA), CipherState(kKeyB)};
  std::vector<uint8_t> wire;
  if (!sender.encrypt(rest, wire, &error) || wire.size() != SecureChannel::sealed_size(rest.size())) std::abort();
  if (!receiver.decrypt(wire, plaintext, &error) || plaintext.size() != rest.size() ||
      !std::equal(plaintext.begin(), plaintext.end(), rest.begin())) {
    std::abort();
  }
  const size_t cut = std::min<size_t>(rest.size(), size_t{data[1]} * 257);
  const std::span<const uint8_t> parts[] = {rest.first(cut), rest.subspan(cut)};
  std::vector<uint8_t> gathered(wire.size());
  if (!sender.seal_gather(parts, gathered, &error)) std::abort();
  std::span<uint8_t> in(gathered);
  std::vector<uint8_t> opened;
  SecureChannel::Opened result;
  while ((result = receiver.open_next(in, &error)).status == SecureChannel::Opened::Status::kPlaintext)
    opened.insert(opened.end(), result.plaintext.begin(), result.plaintext.end());
  if (!in.empty() || !std::equal(opened.begin(), opened.end(), rest.begin(), rest.end())) std::abort();
  return 0;
}
