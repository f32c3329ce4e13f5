// Fuzzes the router with a scripted conversation: three peers (keys from
// fixed seeds, so a corpus can hold validly signed messages) send RPCs,
// interleaved with heartbeats, publishes, verdicts and reconnects.
//
// Script: repeated [op] where op & 3 picks the peer (3 means peer 1) and
// op >> 2 the step: 0..3 an RPC of [len lo][len hi] bytes, 4 a heartbeat,
// 5 a publish, 6 a verdict on the oldest pending validation, 7 a reconnect.
#include <cstdlib>
#include <deque>

#include "host/base/identity/test_keys.h"
#include "host/wire/pubsub/router.h"

namespace {

using namespace prowl;
using namespace prowl::pubsub;

using identity::test_keys::key_from_fill;
using identity::test_keys::peer_from_fill;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
  RouterConfig config;
  config.clock = [&now] { return now; };
  config.seed = 1;
  config.first_seqno = 1;
  Router router(key_from_fill(0xa0), config);
  router.subscribe("t");
  router.subscribe("v");
  router.set_validation("v", true);
  const identity::PeerId peers[3] = {peer_from_fill(1), peer_from_fill(2), peer_from_fill(3)};
  const Protocol protocols[3] = {Protocol::kMeshsub10, Protocol::kMeshsub11,
                                 Protocol::kMeshsub12};
  for (int i = 0; i < 3; ++i) router.on_peer_connected(peers[i], i == 2, protocols[i]);
  std::deque<MessageId> pending;

  size_t pos = 0;
  while (pos < size) {
    const uint8_t op = data[pos++];
    const int p = (op & 3) == 3 ? 0 : op & 3;
    const int step = op >> 2 & 7;
    if (step < 4) {
      if (size - pos < 2) break;
      const size_t len = std::min<size_t>(data[pos] | data[pos + 1] << 8, size - pos - 2);
      router.on_rpc(peers[p], {data + pos + 2, len});
      pos += 2 + len;
    } else if (step == 4) {
      now += std::chrono::seconds(1);
      router.heartbeat();
    } else if (step == 5) {
      const uint8_t payload[3] = {op, 1, 2};
      if (!router.publish(op & 0x80 ? "t" : "other", payload)) std::abort();
    } else if (step == 6) {
      if (!pending.empty()) {
        router.report_validation(pending.front(), static_cast<Verdict>((op >> 5) % 3));
        pending.pop_front();
      }
    } else {
      router.on_peer_disconnected(peers[p]);
      router.on_peer_connected(peers[p], false, protocols[p]);
    }
    for (auto& action : router.take_actions()) {
      if (auto* v = std::get_if<ValidateMessage>(&action)) pending.push_back(v->id);
      if (auto* s = std::get_if<SendRpc>(&action)) {
        if (s->bytes.size() > config.rpc_limits.max_rpc_bytes) std::abort();
        if (!decode_rpc(s->bytes, config.rpc_limits)) std::abort();
      }
    }
    for (const char* topic : {"t", "v"})
      if (router.mesh_peers(topic).size() > 3) std::abort();  // only three peers exist
  }
  return 0;
}
