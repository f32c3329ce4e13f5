// Fuzzes opening signed peer records: an envelope that opens must describe
// its signer, and sealing its record again with the same fields must give a
// record that opens to the same content.
#include <cstdlib>
#include <span>
#include <string>

#include "host/base/peer_record/signed_peer_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::peer_record;
  std::string why;
  const auto record = SignedPeerRecord::open(std::span<const uint8_t>(data, size), &why);
  if (!record) {
    if (why.empty()) std::abort();  // every refusal says why
    return 0;
  }
  if (record->envelope().size() != size) std::abort();
  const auto again = PeerRecord::decode(record->record().encode(), &why);
  if (!again || !(*again == record->record())) std::abort();
  return 0;
}
