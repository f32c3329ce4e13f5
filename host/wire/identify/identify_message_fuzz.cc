// Fuzzes the identify decoder: whatever it accepts must survive a re-encode
// and decode unchanged, and respect the list bounds.
#include <cstdlib>

#include "host/wire/identify/identify_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::protocols;
  auto decoded = decode_identify({data, size});
  if (!decoded) return 0;
  const IdentifyRecord& r = decoded->record;
  if (r.listen_addrs.size() > kMaxIdentifyListEntries || r.protocols.size() > kMaxIdentifyListEntries) {
    std::abort();
  }
  auto again = decode_identify(encode_identify(r));
  if (!again || !again->skipped.empty() || again->record.protocols != r.protocols ||
      again->record.listen_addrs != r.listen_addrs || again->record.observed_addr != r.observed_addr ||
      again->record.agent_version != r.agent_version || again->record.public_key != r.public_key) {
    std::abort();
  }
  return 0;
}
