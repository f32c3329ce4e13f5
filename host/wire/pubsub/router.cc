#include "host/wire/pubsub/router.h"

#include <algorithm>
#include <cstdint>
#include <random>

#include "host/wire/pubsub/message_signing.h"
#include "host/wire/pubsub/rpc_codec.h"

namespace prowl::pubsub {
namespace {

uint64_t decode_seqno(const std::string& bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

uint64_t initial_seqno(const RouterConfig& config) {
  if (config.first_seqno) return *config.first_seqno;
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

Router::Router(identity::KeyPair key, RouterConfig config)
    : key_(std::move(key)),
      local_(identity::PeerId::from_public_key(key_.public_key())),
      config_((config.validate(), std::move(config))),
      clock_(config_.clock ? config_.clock : [] { return Clock::now(); }),
      message_id_(config_.message_id ? config_.message_id : default_message_id),
      rng_(config_.seed ? *config_.seed : std::random_device{}()),
      next_seqno_(initial_seqno(config_)),
      mcache_(config_.mcache_len, config_.mcache_gossip),
      seen_(config_.seen_ttl),
      score_(config_.score, config_.seen_ttl) {}

// ---------------------------------------------------------------- peers

void Router::on_peer_connected(const identity::PeerId& peer, bool outbound, Protocol protocol,
                               const std::string& ip) {
  if (peer == local_) return;
  auto [it, fresh] = peers_.try_emplace(peer);
  if (!fresh) return;
  it->second.protocol = protocol;
  it->second.outbound = outbound;
  score_.add_peer(peer, ip);
  for (const auto& [topic, mesh] : mesh_) {
    auto* sub = outgoing(peer).add_subscriptions();
    sub->set_subscribe(true);
    sub->set_topicid(topic);
  }
  flush();
}

void Router::on_peer_disconnected(const identity::PeerId& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  for (const std::string& topic : it->second.topics) {
    auto tp = topic_peers_.find(topic);
    if (tp != topic_peers_.end() && tp->second.erase(peer) && tp->second.empty())
      topic_peers_.erase(tp);
  }
  for (auto& [topic, mesh] : mesh_) mesh.erase(peer);
  for (auto& [topic, fanout] : fanout_) fanout.erase(peer);
  peers_.erase(it);
  score_.remove_peer(peer, now());
}

void Router::set_application_score(const identity::PeerId& peer, double value) {
  score_.set_app_score(peer, value);
}

double Router::score(const identity::PeerId& peer) const { return score_.score(peer, now()); }

// ---------------------------------------------------------------- outgoing

pb::RPC& Router::outgoing(const identity::PeerId& peer) {
  PeerState& state = peers_.at(peer);
  state.dirty = true;
  return state.outgoing;
}

void Router::flush() {
  for (auto& [peer, state] : peers_) {
    if (!state.dirty) continue;
    for (auto& body : encode_rpc(state.outgoing, config_.rpc_limits.max_rpc_bytes))
      actions_.push_back(SendRpc{peer, std::move(body)});
    state.outgoing.Clear();
    state.dirty = false;
  }
}

std::vector<Action> Router::take_actions() {
  std::vector<Action> out;
  out.swap(actions_);
  return out;
}

// ---------------------------------------------------------------- subscriptions

void Router::subscribe(const std::string& topic) {
  if (subscribed(topic)) return;
  PeerSet& mesh = mesh_[topic];
  for (auto& [peer, state] : peers_) {
    auto* sub = outgoing(peer).add_subscriptions();
    sub->set_subscribe(true);
    sub->set_topicid(topic);
  }
  // Fanout peers in good standing join the mesh first, then any others.
  auto fanout = fanout_.find(topic);
  if (fanout != fanout_.end()) {
    for (const identity::PeerId& peer : fanout->second)
      if (mesh.size() < config_.d && graftable(topic, peer)) graft(topic, peer);
    fanout_.erase(fanout);
    fanout_last_publish_.erase(topic);
  }
  if (mesh.size() < config_.d) {
    for (const auto& peer : pick(topic, mesh, config_.d - mesh.size(),
                                 [&](const identity::PeerId& p) { return graftable(topic, p); }))
      graft(topic, peer);
  }
  flush();
}

void Router::unsubscribe(const std::string& topic) {
  auto it = mesh_.find(topic);
  if (it == mesh_.end()) return;
  const PeerSet mesh = it->second;
  for (const identity::PeerId& peer : mesh) prune(topic, peer, true, config_.unsubscribe_backoff);
  mesh_.erase(topic);
  for (auto& [peer, state] : peers_) {
    auto* sub = outgoing(peer).add_subscriptions();
    sub->set_subscribe(false);
    sub->set_topicid(topic);
  }
  flush();
}

void Router::set_validation(const std::string& topic, bool enabled) {
  if (enabled) {
    validated_topics_.insert(topic);
  } else {
    validated_topics_.erase(topic);
  }
}

void Router::handle_subscription(const identity::PeerId& peer, PeerState& state,
                                 const pb::RPC::SubOpts& sub) {
  const std::string& topic = sub.topicid();
  if (topic.empty()) return;
  if (sub.subscribe()) {
    if (state.topics.size() >= config_.max_topics_per_peer && !state.topics.count(topic)) return;
    state.topics.insert(topic);
    topic_peers_[topic].insert(peer);
    return;
  }
  if (!state.topics.erase(topic)) return;
  auto tp = topic_peers_.find(topic);
  if (tp != topic_peers_.end() && tp->second.erase(peer) && tp->second.empty())
    topic_peers_.erase(tp);
  auto mesh = mesh_.find(topic);
  if (mesh != mesh_.end() && mesh->second.erase(peer)) score_.prune(peer, topic, now());
  auto fanout = fanout_.find(topic);
  if (fanout != fanout_.end()) fanout->second.erase(peer);
}

// ---------------------------------------------------------------- receiving

void Router::on_rpc(const identity::PeerId& peer, std::span<const uint8_t> body) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  PeerState& state = it->second;
  auto rpc = decode_rpc(body, config_.rpc_limits);
  if (!rpc) {
    ++stats_.rpcs_malformed;
    return;
  }
  if (score_.score(peer, now()) < config_.thresholds.graylist) {
    ++stats_.rpcs_graylisted;
    return;
  }
  for (const auto& sub : rpc->subscriptions()) handle_subscription(peer, state, sub);
  for (auto& message : *rpc->mutable_publish()) handle_message(peer, message);
  if (rpc->has_control()) {
    const pb::ControlMessage& control = rpc->control();
    handle_idontwant(state, control);
    handle_ihave(peer, state, control);
    handle_iwant(peer, control);
    handle_graft(peer, state, control);
    handle_prune(peer, control);
  }
  flush();
}

void Router::handle_message(const identity::PeerId& source, pb::Message& message) {
  const Clock::time_point t = now();
  if (message.data().size() > config_.max_message_size) {
    ++stats_.messages_too_large;
    return;
  }
  const std::string& topic = message.topic();
  if (!subscribed(topic)) {
    ++stats_.messages_unsubscribed;
    return;
  }
  const MessageId id = message_id_(message);
  if (seen_.contains(id)) {
    ++stats_.messages_duplicate;
    score_.duplicate_message(source, id, topic, t);
    return;
  }
  if (auto it = checking_.find(id); it != checking_.end()) {
    hold_copy(it->second, source, message);
    return;
  }
  if (config_.offload_signature_checks && checking_.size() < config_.max_pending_signature_checks) {
    check_signature(id, source, std::move(message));
    return;
  }
  auto author = verify_message(message);
  handle_checked(id, source, std::move(message), author);
}

void Router::hold_copy(PendingSignature& pending, const identity::PeerId& source, pb::Message& message) {
  // Kept in case the copy being checked is forged; more than a few are dropped
  // (gossip brings the message again if every kept copy is forged).
  constexpr size_t kMaxSpares = 3;
  if (pending.spares.size() < kMaxSpares) {
    pending.spares.emplace_back(source, std::move(message));
  } else {
    pending.duplicate_sources.push_back(source);
  }
}

Router::PendingSignature& Router::check_signature(const MessageId& id, const identity::PeerId& source,
                                                  pb::Message message) {
  auto shared = std::make_shared<const pb::Message>(std::move(message));
  actions_.push_back(CheckSignature{id, shared});
  return checking_.insert_or_assign(id, PendingSignature{source, std::move(shared), {}, {}}).first->second;
}

bool Router::report_signature(const MessageId& id, std::optional<identity::PeerId> author) {
  auto it = checking_.find(id);
  if (it == checking_.end()) return false;
  PendingSignature pending = std::move(it->second);
  checking_.erase(it);
  const std::string& topic = pending.message->topic();
  if (!author) {
    ++stats_.messages_invalid_signature;
    score_.reject_unvalidated(pending.source, topic);
    if (!pending.spares.empty()) {
      auto [source, message] = std::move(pending.spares.front());
      pending.spares.erase(pending.spares.begin());
      PendingSignature& next = check_signature(id, source, std::move(message));
      next.spares = std::move(pending.spares);
      next.duplicate_sources = std::move(pending.duplicate_sources);
    }
    flush();
    return true;
  }
  if (!subscribed(topic)) {
    ++stats_.messages_unsubscribed;
    return true;
  }
  handle_checked(id, pending.source, *pending.message, author);
  // The copies that came in meanwhile are duplicates of an authentic message.
  const Clock::time_point t = now();
  for (const auto& [source, message] : pending.spares) pending.duplicate_sources.push_back(source);
  for (const identity::PeerId& source : pending.duplicate_sources) {
    ++stats_.messages_duplicate;
    score_.duplicate_message(source, id, topic, t);
  }
  flush();
  return true;
}

void Router::handle_checked(const MessageId& id, const identity::PeerId& source, pb::Message message,
                            const std::optional<identity::PeerId>& author) {
  const Clock::time_point t = now();
  const std::string& topic = message.topic();
  // Seen only once authentic, so a forgery cannot shadow the real message.
  if (!author) {
    ++stats_.messages_invalid_signature;
    score_.reject_unvalidated(source, topic);
    return;
  }
  seen_.add(id, t);
  promises_.fulfil(id);
  score_.validate_message(id, t);
  if (message.data().size() >= config_.idontwant_message_threshold) {
    for (const identity::PeerId& peer : mesh_[topic]) {
      if (peer == source || peers_.at(peer).protocol != Protocol::kMeshsub12) continue;
      outgoing(peer).mutable_control()->add_idontwant()->add_messageids(id);
    }
  }
  if (!validated_topics_.count(topic)) {
    accept(id, source, *author, message);
    return;
  }
  if (pending_.size() >= config_.max_pending_validations) {
    ++stats_.messages_ignored;
    score_.ignore_message(id);
    return;
  }
  actions_.push_back(ValidateMessage{id, source, to_public(message, *author)});
  pending_.emplace(id, PendingValidation{std::move(message), source, *author,
                                         t + config_.validation_timeout});
}

bool Router::report_validation(const MessageId& id, Verdict verdict) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  PendingValidation pending = std::move(it->second);
  pending_.erase(it);
  switch (verdict) {
    case Verdict::kAccept:
      if (subscribed(pending.message.topic()))
        accept(id, pending.source, pending.author, pending.message);
      break;
    case Verdict::kReject:
      ++stats_.messages_rejected;
      score_.reject_message(pending.source, id, pending.message.topic());
      break;
    case Verdict::kIgnore:
      ++stats_.messages_ignored;
      score_.ignore_message(id);
      break;
  }
  flush();
  return true;
}

void Router::accept(const MessageId& id, const identity::PeerId& source,
                    const identity::PeerId& author, const pb::Message& message) {
  const std::string& topic = message.topic();
  score_.deliver_message(source, id, topic, now());
  mcache_.put(id, message);
  ++stats_.messages_delivered;
  actions_.push_back(DeliverMessage{id, source, to_public(message, author)});
  send_message(id, message, mesh_[topic], source, author);
}

void Router::send_message(const MessageId& id, const pb::Message& message, const PeerSet& to,
                          const identity::PeerId& skip_a, const identity::PeerId& skip_b) {
  for (const identity::PeerId& peer : to) {
    if (peer == skip_a || peer == skip_b) continue;
    auto it = peers_.find(peer);
    if (it == peers_.end() || it->second.dont_send.count(id)) continue;
    *outgoing(peer).add_publish() = message;
  }
}

Message Router::to_public(const pb::Message& message, const identity::PeerId& author) const {
  return Message{author, decode_seqno(message.seqno()), message.topic(),
                 std::vector<uint8_t>(message.data().begin(), message.data().end())};
}

void Router::expire_pending(Clock::time_point t) {
  std::erase_if(pending_, [&](const auto& entry) {
    if (entry.second.deadline > t) return false;
    ++stats_.messages_ignored;
    score_.ignore_message(entry.first);
    return true;
  });
}

// ---------------------------------------------------------------- control

void Router::handle_idontwant(PeerState& state, const pb::ControlMessage& control) {
  for (const auto& entry : control.idontwant()) {
    for (const auto& id : entry.messageids()) {
      if (state.idontwant_this_heartbeat >= config_.max_idontwant_ids) {
        ++stats_.idontwant_ignored;
        continue;
      }
      ++state.idontwant_this_heartbeat;
      state.dont_send.try_emplace(id, heartbeats_);
    }
  }
}

void Router::handle_ihave(const identity::PeerId& peer, PeerState& state,
                          const pb::ControlMessage& control) {
  if (control.ihave_size() == 0) return;
  if (score_.score(peer, now()) < config_.thresholds.gossip ||
      ++state.ihaves_this_heartbeat > config_.max_ihave_messages ||
      state.ids_asked_this_heartbeat >= config_.max_ihave_length) {
    ++stats_.ihave_ignored;
    return;
  }
  std::vector<MessageId> wanted;
  std::set<MessageId> unique;
  for (const auto& ihave : control.ihave()) {
    if (!subscribed(ihave.topicid())) continue;
    for (const auto& id : ihave.messageids())
      if (!seen_.contains(id) && !checking_.count(id) && unique.insert(id).second)
        wanted.push_back(id);
  }
  if (wanted.empty()) return;
  std::shuffle(wanted.begin(), wanted.end(), rng_);
  wanted.resize(std::min(wanted.size(),
                         config_.max_ihave_length - state.ids_asked_this_heartbeat));
  state.ids_asked_this_heartbeat += wanted.size();
  stats_.iwant_ids_sent += wanted.size();
  // One random id of the request stands for the promise (gossipsub v1.1).
  promises_.add(peer, wanted.front(), now() + config_.iwant_followup_time);
  auto* iwant = outgoing(peer).mutable_control()->add_iwant();
  for (auto& id : wanted) iwant->add_messageids(std::move(id));
}

void Router::handle_iwant(const identity::PeerId& peer, const pb::ControlMessage& control) {
  if (control.iwant_size() == 0) return;
  if (score_.score(peer, now()) < config_.thresholds.gossip) {
    ++stats_.iwant_ignored;
    return;
  }
  for (const auto& iwant : control.iwant())
    for (const auto& id : iwant.messageids())
      if (const pb::Message* m = mcache_.get_for_peer(id, peer, config_.gossip_retransmission))
        *outgoing(peer).add_publish() = *m;
}

void Router::handle_graft(const identity::PeerId& peer, const PeerState& state,
                          const pb::ControlMessage& control) {
  const Clock::time_point t = now();
  for (const auto& g : control.graft()) {
    const std::string& topic = g.topicid();
    auto mesh = mesh_.find(topic);
    if (mesh == mesh_.end() || mesh->second.count(peer)) continue;
    const auto expiry = backoff_expiry(topic, peer);
    if (expiry && t < *expiry) {
      ++stats_.graft_backoff_violations;
      score_.add_penalty(peer, 1);
      // A GRAFT right after our PRUNE is a flood: penalized twice.
      if (t < *expiry - config_.prune_backoff + config_.graft_flood_threshold)
        score_.add_penalty(peer, 1);
      ++stats_.grafts_refused;
      prune(topic, peer, false, config_.prune_backoff);
      continue;
    }
    const double s = score_.score(peer, t);
    if (s < 0 || (mesh->second.size() >= config_.d_hi && !state.outbound)) {
      ++stats_.grafts_refused;
      prune(topic, peer, s >= 0, config_.prune_backoff);
      continue;
    }
    mesh->second.insert(peer);
    score_.graft(peer, topic, t);
  }
}

void Router::handle_prune(const identity::PeerId& peer, const pb::ControlMessage& control) {
  const Clock::time_point t = now();
  for (const auto& p : control.prune()) {
    const std::string& topic = p.topicid();
    auto mesh = mesh_.find(topic);
    if (mesh != mesh_.end() && mesh->second.erase(peer)) score_.prune(peer, topic, t);
    Clock::duration backoff = config_.prune_backoff;
    if (p.has_backoff())
      backoff = p.backoff() >= static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   config_.max_backoff).count())
                    ? Clock::duration(config_.max_backoff)
                    : Clock::duration(std::chrono::seconds(p.backoff()));
    add_backoff(topic, peer, backoff);
    if (p.peers_size() == 0 || score_.score(peer, t) < config_.thresholds.accept_px) continue;
    size_t followed = 0;
    for (const auto& info : p.peers()) {
      if (followed == config_.prune_peers) break;
      auto suggested = identity::PeerId::from_bytes(as_bytes(info.peerid()));
      if (!suggested || *suggested == local_ || peers_.count(*suggested)) continue;
      ++followed;
      actions_.push_back(ConnectPeer{*suggested, std::vector<uint8_t>(
                                                     info.signedpeerrecord().begin(),
                                                     info.signedpeerrecord().end())});
    }
  }
}

// ---------------------------------------------------------------- mesh changes

std::optional<Clock::time_point> Router::backoff_expiry(const std::string& topic,
                                                        const identity::PeerId& peer) const {
  auto b = backoff_.find(topic);
  if (b == backoff_.end()) return std::nullopt;
  auto it = b->second.find(peer);
  if (it == b->second.end()) return std::nullopt;
  return it->second;
}

bool Router::graftable(const std::string& topic, const identity::PeerId& peer) const {
  return !in_backoff(peer, topic) && score_.score(peer, now()) >= 0;
}

void Router::graft(const std::string& topic, const identity::PeerId& peer) {
  mesh_[topic].insert(peer);
  score_.graft(peer, topic, now());
  outgoing(peer).mutable_control()->add_graft()->set_topicid(topic);
}

void Router::prune(const std::string& topic, const identity::PeerId& peer, bool px,
                   Clock::duration backoff) {
  auto mesh = mesh_.find(topic);
  if (mesh != mesh_.end() && mesh->second.erase(peer)) score_.prune(peer, topic, now());
  add_backoff(topic, peer, backoff);
  auto* p = outgoing(peer).mutable_control()->add_prune();
  p->set_topicid(topic);
  if (peers_.at(peer).protocol == Protocol::kMeshsub10) return;  // v1.0 has no PX or backoff
  p->set_backoff(static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(backoff).count()));
  if (!px || !config_.do_px) return;
  const PeerSet exclude{peer};
  for (const auto& other :
       pick(topic, exclude, config_.prune_peers,
            [&](const identity::PeerId& q) { return score_.score(q, now()) >= 0; })) {
    auto* info = p->add_peers();
    info->set_peerid(std::string(other.bytes().begin(), other.bytes().end()));
    if (!peer_records_) continue;
    const auto record = peer_records_(other);
    if (record && !record->empty() && record->size() <= config_.rpc_limits.max_peer_record_bytes)
      info->set_signedpeerrecord(std::string(record->begin(), record->end()));
  }
}

void Router::add_backoff(const std::string& topic, const identity::PeerId& peer,
                         Clock::duration backoff) {
  Clock::time_point& expiry = backoff_[topic][peer];
  expiry = std::max(expiry, now() + backoff);
}

bool Router::in_backoff(const identity::PeerId& peer, const std::string& topic) const {
  return backoff_expiry(topic, peer).has_value();
}

template <typename Filter>
std::vector<identity::PeerId> Router::pick(const std::string& topic, const PeerSet& exclude,
                                           size_t n, Filter filter) {
  std::vector<identity::PeerId> out;
  auto tp = topic_peers_.find(topic);
  if (tp == topic_peers_.end() || n == 0) return out;
  for (const identity::PeerId& peer : tp->second)
    if (!exclude.count(peer) && filter(peer)) out.push_back(peer);
  std::shuffle(out.begin(), out.end(), rng_);
  if (out.size() > n) out.erase(out.begin() + static_cast<std::ptrdiff_t>(n), out.end());
  return out;
}

// ---------------------------------------------------------------- heartbeat

void Router::heartbeat() {
  const Clock::time_point t = now();
  ++heartbeats_;
  for (auto& [peer, state] : peers_) {
    state.ihaves_this_heartbeat = 0;
    state.ids_asked_this_heartbeat = 0;
    state.idontwant_this_heartbeat = 0;
    std::erase_if(state.dont_send, [&](const auto& entry) {
      return entry.second + config_.idontwant_ttl_heartbeats <= heartbeats_;
    });
  }
  for (const auto& [peer, broken] : promises_.take_broken(t))
    score_.add_penalty(peer, static_cast<double>(broken));
  score_.refresh(t);
  // Backoffs stay two heartbeats past expiry: slack against clock drift.
  const Clock::duration slack = 2 * config_.heartbeat_interval;
  for (auto it = backoff_.begin(); it != backoff_.end();) {
    std::erase_if(it->second, [&](const auto& entry) { return entry.second + slack < t; });
    it = it->second.empty() ? backoff_.erase(it) : std::next(it);
  }
  seen_.expire(t);
  expire_pending(t);

  std::vector<std::string> topics;
  for (const auto& [topic, mesh] : mesh_) topics.push_back(topic);
  for (const std::string& topic : topics) {
    maintain_mesh(topic);
    emit_gossip(topic, mesh_[topic]);
  }
  maintain_fanout();
  mcache_.shift();
  flush();
}

void Router::maintain_mesh(const std::string& topic) {
  const Clock::time_point t = now();
  PeerSet& mesh = mesh_[topic];
  std::map<identity::PeerId, double> scores;
  for (const identity::PeerId& peer : mesh) scores[peer] = score_.score(peer, t);
  for (const auto& [peer, s] : scores)
    if (s < 0) prune(topic, peer, false, config_.prune_backoff);

  auto fill = [&](size_t n, auto filter) {
    for (const auto& peer : pick(topic, mesh, n, filter)) graft(topic, peer);
  };
  auto ok = [&](const identity::PeerId& p) { return graftable(topic, p); };
  if (mesh.size() < config_.d_lo) fill(config_.d - mesh.size(), ok);

  if (mesh.size() > config_.d_hi) {
    std::vector<identity::PeerId> order(mesh.begin(), mesh.end());
    std::shuffle(order.begin(), order.end(), rng_);
    std::stable_sort(order.begin(), order.end(),
                     [&](const auto& a, const auto& b) { return scores[a] > scores[b]; });
    // The best d_score stay; the rest of the kept d are random.
    std::shuffle(order.begin() + static_cast<std::ptrdiff_t>(config_.d_score), order.end(), rng_);
    auto is_out = [&](const identity::PeerId& p) { return peers_.at(p).outbound; };
    const auto kept_end = order.begin() + static_cast<std::ptrdiff_t>(config_.d);
    size_t outbound = static_cast<size_t>(std::count_if(order.begin(), kept_end, is_out));
    // Swap outbound peers in for the last inbound ones until d_out are kept.
    auto victim = kept_end;
    for (auto it = kept_end; it != order.end() && outbound < config_.d_out; ++it) {
      if (!is_out(*it)) continue;
      while (victim != order.begin() && is_out(*(victim - 1))) --victim;
      if (victim == order.begin()) break;
      --victim;
      std::iter_swap(victim, it);
      ++outbound;
    }
    for (auto it = kept_end; it != order.end(); ++it) prune(topic, *it, true, config_.prune_backoff);
  }

  if (mesh.size() >= config_.d_lo) {
    const size_t outbound = static_cast<size_t>(std::count_if(
        mesh.begin(), mesh.end(), [&](const auto& p) { return peers_.at(p).outbound; }));
    if (outbound < config_.d_out)
      fill(config_.d_out - outbound,
           [&](const identity::PeerId& p) { return peers_.at(p).outbound && ok(p); });
  }

  if (heartbeats_ % config_.opportunistic_graft_ticks == 0 && mesh.size() > 1) {
    std::vector<double> sorted;
    for (const identity::PeerId& peer : mesh) sorted.push_back(score_.score(peer, t));
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    if (median < config_.thresholds.opportunistic_graft)
      fill(config_.opportunistic_graft_peers,
           [&](const identity::PeerId& p) { return ok(p) && score_.score(p, t) > median; });
  }
}

void Router::maintain_fanout() {
  const Clock::time_point t = now();
  for (auto it = fanout_.begin(); it != fanout_.end();) {
    const std::string& topic = it->first;
    if (fanout_last_publish_[topic] + config_.fanout_ttl < t) {
      fanout_last_publish_.erase(topic);
      it = fanout_.erase(it);
      continue;
    }
    PeerSet& fanout = it->second;
    const auto tp = topic_peers_.find(topic);
    std::erase_if(fanout, [&](const identity::PeerId& p) {
      return tp == topic_peers_.end() || !tp->second.count(p) ||
             score_.score(p, t) < config_.thresholds.publish;
    });
    if (fanout.size() < config_.d) {
      for (const auto& peer :
           pick(topic, fanout, config_.d - fanout.size(), [&](const identity::PeerId& p) {
             return score_.score(p, t) >= config_.thresholds.publish;
           }))
        fanout.insert(peer);
    }
    emit_gossip(topic, fanout);
    ++it;
  }
}

void Router::emit_gossip(const std::string& topic, const PeerSet& exclude) {
  std::vector<MessageId> ids = mcache_.gossip_ids(topic);
  if (ids.empty()) return;
  const Clock::time_point t = now();
  auto candidates = pick(topic, exclude, SIZE_MAX, [&](const identity::PeerId& p) {
    return score_.score(p, t) >= config_.thresholds.gossip;
  });
  const size_t target = std::min(
      candidates.size(),
      std::max(config_.d_lazy,
               static_cast<size_t>(config_.gossip_factor * static_cast<double>(candidates.size()))));
  for (size_t i = 0; i < target; ++i) {
    if (ids.size() > config_.max_ihave_length) std::shuffle(ids.begin(), ids.end(), rng_);
    auto* ihave = outgoing(candidates[i]).mutable_control()->add_ihave();
    ihave->set_topicid(topic);
    const size_t n = std::min(ids.size(), config_.max_ihave_length);
    for (size_t k = 0; k < n; ++k) ihave->add_messageids(ids[k]);
  }
}

// ---------------------------------------------------------------- publishing

std::optional<MessageId> Router::publish(const std::string& topic, std::span<const uint8_t> data,
                                         std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<MessageId> {
    if (error) *error = "publish: " + why;
    return std::nullopt;
  };
  if (topic.empty() || topic.size() > config_.rpc_limits.max_topic_bytes)
    return fail("topic must have 1 to " + std::to_string(config_.rpc_limits.max_topic_bytes) +
                " bytes");
  if (data.size() > config_.max_message_size)
    return fail(std::to_string(data.size()) + " bytes of data exceed max_message_size " +
                std::to_string(config_.max_message_size));
  const Clock::time_point t = now();
  pb::Message message;
  message.set_data(data.data(), data.size());
  message.set_seqno(encode_seqno(next_seqno_++));
  message.set_topic(topic);
  sign_message(key_, message);
  const MessageId id = message_id_(message);
  seen_.add(id, t);
  mcache_.put(id, message);
  if (subscribed(topic)) actions_.push_back(DeliverMessage{id, local_, to_public(message, local_)});

  PeerSet to;
  if (config_.flood_publish) {
    auto tp = topic_peers_.find(topic);
    if (tp != topic_peers_.end())
      for (const identity::PeerId& peer : tp->second)
        if (score_.score(peer, t) >= config_.thresholds.publish) to.insert(peer);
  } else if (subscribed(topic)) {
    to = mesh_[topic];
  } else {
    PeerSet& fanout = fanout_[topic];
    if (fanout.empty()) {
      for (const auto& peer : pick(topic, fanout, config_.d, [&](const identity::PeerId& p) {
             return score_.score(p, t) >= config_.thresholds.publish;
           }))
        fanout.insert(peer);
    }
    fanout_last_publish_[topic] = t;
    to = fanout;
  }
  send_message(id, message, to, local_, local_);
  flush();
  return id;
}

// ---------------------------------------------------------------- introspection

std::vector<identity::PeerId> Router::mesh_peers(const std::string& topic) const {
  auto it = mesh_.find(topic);
  return it == mesh_.end() ? std::vector<identity::PeerId>{}
                           : std::vector<identity::PeerId>(it->second.begin(), it->second.end());
}

std::vector<identity::PeerId> Router::fanout_peers(const std::string& topic) const {
  auto it = fanout_.find(topic);
  return it == fanout_.end() ? std::vector<identity::PeerId>{}
                             : std::vector<identity::PeerId>(it->second.begin(), it->second.end());
}

std::vector<identity::PeerId> Router::topic_peers(const std::string& topic) const {
  auto it = topic_peers_.find(topic);
  return it == topic_peers_.end()
             ? std::vector<identity::PeerId>{}
             : std::vector<identity::PeerId>(it->second.begin(), it->second.end());
}

}  // namespace prowl::pubsub
