#include "host/pubsub/rpc_codec.h"

namespace prowl::pubsub {
namespace {

// Collects the first limit violation as "what (at where)".
class Checker {
 public:
  explicit Checker(const RpcLimits& limits) : limits_(limits) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void count(const char* what, size_t n, size_t limit) {
    if (ok() && n > limit)
      error_ = std::string(what) + ": " + std::to_string(n) + " exceeds the limit of " +
               std::to_string(limit);
  }
  void topic(const std::string& t, const std::string& where) {
    count((where + " topic bytes").c_str(), t.size(), limits_.max_topic_bytes);
  }
  template <typename Ids>
  void ids(const Ids& list, const std::string& where) {
    for (int i = 0; i < list.size() && ok(); ++i)
      count((where + ".messageIDs[" + std::to_string(i) + "] bytes").c_str(), list[i].size(),
            limits_.max_message_id_bytes);
  }

 private:
  const RpcLimits& limits_;
  std::string error_;
};

void check_control(const pb::ControlMessage& c, const RpcLimits& limits, Checker& check) {
  check.count("control topics (ihave + graft + prune)",
              static_cast<size_t>(c.ihave_size()) + c.graft_size() + c.prune_size(),
              limits.max_control_topics);
  size_t ihave_ids = 0, iwant_ids = 0, idontwant_ids = 0, px = 0;
  for (int i = 0; i < c.ihave_size() && check.ok(); ++i) {
    const std::string where = "control.ihave[" + std::to_string(i) + "]";
    check.topic(c.ihave(i).topicid(), where);
    check.ids(c.ihave(i).messageids(), where);
    ihave_ids += c.ihave(i).messageids_size();
  }
  for (int i = 0; i < c.iwant_size() && check.ok(); ++i) {
    check.ids(c.iwant(i).messageids(), "control.iwant[" + std::to_string(i) + "]");
    iwant_ids += c.iwant(i).messageids_size();
  }
  for (int i = 0; i < c.graft_size() && check.ok(); ++i)
    check.topic(c.graft(i).topicid(), "control.graft[" + std::to_string(i) + "]");
  for (int i = 0; i < c.prune_size() && check.ok(); ++i) {
    const std::string where = "control.prune[" + std::to_string(i) + "]";
    check.topic(c.prune(i).topicid(), where);
    for (int j = 0; j < c.prune(i).peers_size() && check.ok(); ++j)
      check.count((where + ".peers[" + std::to_string(j) + "].signedPeerRecord bytes").c_str(),
                  c.prune(i).peers(j).signedpeerrecord().size(), limits.max_peer_record_bytes);
    px += c.prune(i).peers_size();
  }
  for (int i = 0; i < c.idontwant_size() && check.ok(); ++i) {
    check.ids(c.idontwant(i).messageids(), "control.idontwant[" + std::to_string(i) + "]");
    idontwant_ids += c.idontwant(i).messageids_size();
  }
  check.count("control.ihave message ids", ihave_ids, limits.max_ihave_ids);
  check.count("control.iwant message ids", iwant_ids, limits.max_iwant_ids);
  check.count("control.idontwant message ids", idontwant_ids, limits.max_idontwant_ids);
  check.count("control.prune peers", px, limits.max_px_peers);
}

// Appends `piece` to the last body of `out` when both fit in max_bytes,
// otherwise starts a new one. Merging never grows the sum of the sizes.
void pack(std::vector<pb::RPC>& out, pb::RPC&& piece, size_t max_bytes) {
  const size_t size = piece.ByteSizeLong();
  if (size > max_bytes) return;
  if (!out.empty() && out.back().ByteSizeLong() + size <= max_bytes) {
    out.back().MergeFrom(piece);
  } else {
    out.push_back(std::move(piece));
  }
}

}  // namespace

std::optional<pb::RPC> decode_rpc(std::span<const uint8_t> bytes, const RpcLimits& limits,
                                  std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<pb::RPC> {
    if (error) *error = "pubsub RPC: " + why;
    return std::nullopt;
  };
  if (bytes.size() > limits.max_rpc_bytes)
    return fail(std::to_string(bytes.size()) + " bytes exceed the limit of " +
                std::to_string(limits.max_rpc_bytes));
  pb::RPC rpc;
  if (!rpc.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail("malformed protobuf of " + std::to_string(bytes.size()) + " bytes");
  Checker check(limits);
  check.count("subscriptions", rpc.subscriptions_size(), limits.max_subscriptions);
  for (int i = 0; i < rpc.subscriptions_size() && check.ok(); ++i)
    check.topic(rpc.subscriptions(i).topicid(), "subscriptions[" + std::to_string(i) + "]");
  check.count("publish (messages)", rpc.publish_size(), limits.max_messages);
  for (int i = 0; i < rpc.publish_size() && check.ok(); ++i)
    check.topic(rpc.publish(i).topic(), "publish[" + std::to_string(i) + "]");
  if (check.ok() && rpc.has_control()) check_control(rpc.control(), limits, check);
  if (!check.ok()) return fail(check.error());
  return rpc;
}

std::vector<std::vector<uint8_t>> encode_rpc(const pb::RPC& rpc, size_t max_bytes) {
  std::vector<pb::RPC> bodies;
  if (rpc.ByteSizeLong() <= max_bytes) {
    bodies.push_back(rpc);
  } else {
    for (const auto& sub : rpc.subscriptions()) {
      pb::RPC piece;
      *piece.add_subscriptions() = sub;
      pack(bodies, std::move(piece), max_bytes);
    }
    for (const auto& message : rpc.publish()) {
      pb::RPC piece;
      *piece.add_publish() = message;
      pack(bodies, std::move(piece), max_bytes);
    }
    const pb::ControlMessage& c = rpc.control();
    auto each = [&](const auto& entries, auto add) {
      for (const auto& entry : entries) {
        pb::RPC piece;
        *add(piece.mutable_control()) = entry;
        pack(bodies, std::move(piece), max_bytes);
      }
    };
    each(c.ihave(), [](pb::ControlMessage* m) { return m->add_ihave(); });
    each(c.iwant(), [](pb::ControlMessage* m) { return m->add_iwant(); });
    each(c.graft(), [](pb::ControlMessage* m) { return m->add_graft(); });
    each(c.prune(), [](pb::ControlMessage* m) { return m->add_prune(); });
    each(c.idontwant(), [](pb::ControlMessage* m) { return m->add_idontwant(); });
  }
  std::vector<std::vector<uint8_t>> out;
  for (const pb::RPC& body : bodies) {
    const size_t size = body.ByteSizeLong();
    if (size == 0) continue;
    std::vector<uint8_t>& bytes = out.emplace_back(size);
    body.SerializeWithCachedSizesToArray(bytes.data());
  }
  return out;
}

}  // namespace prowl::pubsub
