#include "host/wire/pubsub/rpc_codec.h"

namespace prowl::pubsub {
namespace {

// Collects the first limit violation as "what (at where)". Locations are
// callables, formatted only when a limit is broken: the hot path allocates nothing.
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
  template <typename Where>
  void sized(const Where& where, const char* suffix, size_t n, size_t limit) {
    if (ok() && n > limit) count((where() + suffix).c_str(), n, limit);
  }
  template <typename Where>
  void topic(const std::string& t, const Where& where) {
    sized(where, " topic bytes", t.size(), limits_.max_topic_bytes);
  }
  template <typename Ids, typename Where>
  void ids(const Ids& list, const Where& where) {
    for (int i = 0; i < list.size() && ok(); ++i)
      sized([&] { return where() + ".messageIDs[" + std::to_string(i) + "]"; }, " bytes",
            list[i].size(), limits_.max_message_id_bytes);
  }

 private:
  const RpcLimits& limits_;
  std::string error_;
};

// "name[i]", for error locations.
std::string at(const char* name, int i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

void check_control(const pb::ControlMessage& c, const RpcLimits& limits, Checker& check) {
  check.count("control topics (ihave + graft + prune)",
              static_cast<size_t>(c.ihave_size()) + c.graft_size() + c.prune_size(),
              limits.max_control_topics);
  size_t ihave_ids = 0, iwant_ids = 0, idontwant_ids = 0, px = 0;
  for (int i = 0; i < c.ihave_size() && check.ok(); ++i) {
    const auto where = [i] { return at("control.ihave", i); };
    check.topic(c.ihave(i).topicid(), where);
    check.ids(c.ihave(i).messageids(), where);
    ihave_ids += c.ihave(i).messageids_size();
  }
  for (int i = 0; i < c.iwant_size() && check.ok(); ++i) {
    check.ids(c.iwant(i).messageids(), [i] { return at("control.iwant", i); });
    iwant_ids += c.iwant(i).messageids_size();
  }
  for (int i = 0; i < c.graft_size() && check.ok(); ++i)
    check.topic(c.graft(i).topicid(), [i] { return at("control.graft", i); });
  for (int i = 0; i < c.prune_size() && check.ok(); ++i) {
    const auto where = [i] { return at("control.prune", i); };
    check.topic(c.prune(i).topicid(), where);
    for (int j = 0; j < c.prune(i).peers_size() && check.ok(); ++j)
      check.sized([&] { return where() + at(".peers", j); }, ".signedPeerRecord bytes",
                  c.prune(i).peers(j).signedpeerrecord().size(), limits.max_peer_record_bytes);
    px += c.prune(i).peers_size();
  }
  for (int i = 0; i < c.idontwant_size() && check.ok(); ++i) {
    check.ids(c.idontwant(i).messageids(), [i] { return at("control.idontwant", i); });
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
    check.topic(rpc.subscriptions(i).topicid(), [i] { return at("subscriptions", i); });
  check.count("publish (messages)", rpc.publish_size(), limits.max_messages);
  for (int i = 0; i < rpc.publish_size() && check.ok(); ++i)
    check.topic(rpc.publish(i).topic(), [i] { return at("publish", i); });
  if (check.ok() && rpc.has_control()) check_control(rpc.control(), limits, check);
  if (!check.ok()) return fail(check.error());
  return rpc;
}

std::vector<std::vector<uint8_t>> encode_rpc(const pb::RPC& rpc, size_t max_bytes) {
  std::vector<std::vector<uint8_t>> out;
  const size_t whole = rpc.ByteSizeLong();
  if (whole <= max_bytes) {  // the common case: one body, serialized without a copy
    if (whole > 0) rpc.SerializeWithCachedSizesToArray(out.emplace_back(whole).data());
    return out;
  }
  std::vector<pb::RPC> bodies;
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
  for (const pb::RPC& body : bodies) {
    const size_t size = body.ByteSizeLong();
    if (size == 0) continue;
    body.SerializeWithCachedSizesToArray(out.emplace_back(size).data());
  }
  return out;
}

}  // namespace prowl::pubsub
