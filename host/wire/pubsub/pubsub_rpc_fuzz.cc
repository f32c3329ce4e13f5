// Fuzzes RPC decoding: whatever decodes must re-encode, split into small
// bodies, into RPCs that decode again and keep every message.
#include <cstdlib>

#include "host/wire/pubsub/rpc_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::pubsub;
  const RpcLimits limits;
  auto rpc = decode_rpc({data, size}, limits);
  if (!rpc) return 0;
  constexpr size_t kSmall = 512;
  int messages = 0;
  for (const auto& body : encode_rpc(*rpc, kSmall)) {
    if (body.size() > kSmall) std::abort();
    auto again = decode_rpc(body, limits);
    if (!again) std::abort();
    messages += again->publish_size();
  }
  int small_enough = 0;
  for (const auto& m : rpc->publish()) small_enough += m.ByteSizeLong() + 8 <= kSmall;
  if (messages < small_enough) std::abort();
  return 0;
}
