#include "host/wire/pubsub/peer_score.h"

#include <algorithm>
#include <chrono>

namespace prowl::pubsub {
namespace {

constexpr int kMaxDecayRounds = 1000;

}  // namespace

PeerScore::PeerScore(ScoreParams params, Clock::duration record_ttl)
    : params_(std::move(params)), record_ttl_(record_ttl) {}

void PeerScore::add_peer(const identity::PeerId& peer, const std::string& ip) {
  PeerStats& s = peers_[peer];
  s.connected = true;
  s.ip = ip;
  if (!ip.empty()) ips_[ip].insert(peer);
}

void PeerScore::remove_peer(const identity::PeerId& peer, Clock::time_point now) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  PeerStats& s = it->second;
  if (!s.ip.empty()) {
    auto ip = ips_.find(s.ip);
    if (ip != ips_.end()) {
      // find + erase(iterator): erase(key) trips a GCC 12 -Wstringop-overread false positive.
      if (auto member = ip->second.find(peer); member != ip->second.end()) ip->second.erase(member);
      if (ip->second.empty()) ips_.erase(ip);
    }
  }
  if (score(peer, now) > 0) {
    peers_.erase(it);
    return;
  }
  for (auto& [topic, ts] : s.topics)
    if (ts.in_mesh) prune(peer, topic, now);
  s.connected = false;
  s.expire = now + params_.retain_score;
}

const TopicScoreParams* PeerScore::topic_params(const std::string& topic) const {
  auto it = params_.topics.find(topic);
  if (it != params_.topics.end()) return &it->second;
  return params_.default_topic ? &*params_.default_topic : nullptr;
}

PeerScore::TopicStats* PeerScore::stats(const identity::PeerId& peer, const std::string& topic) {
  auto it = peers_.find(peer);
  if (it == peers_.end() || !topic_params(topic)) return nullptr;
  return &it->second.topics[topic];
}

bool PeerScore::mesh_active(const TopicStats& ts, const TopicScoreParams& p,
                            Clock::time_point now) const {
  return ts.in_mesh && now - ts.graft_time >= p.mesh_message_deliveries_activation;
}

double PeerScore::score(const identity::PeerId& peer, Clock::time_point now) const {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return 0;
  const PeerStats& s = it->second;
  double topics = 0;
  for (const auto& [topic, ts] : s.topics) {
    const TopicScoreParams* p = topic_params(topic);
    if (!p) continue;
    double t = 0;
    if (ts.in_mesh) {
      const double quanta = std::chrono::duration<double>(now - ts.graft_time).count() /
                            std::chrono::duration<double>(p->time_in_mesh_quantum).count();
      t += std::min(quanta, p->time_in_mesh_cap) * p->time_in_mesh_weight;
    }
    t += ts.first_deliveries * p->first_message_deliveries_weight;
    if (mesh_active(ts, *p, now) && ts.mesh_deliveries < p->mesh_message_deliveries_threshold) {
      const double deficit = p->mesh_message_deliveries_threshold - ts.mesh_deliveries;
      t += deficit * deficit * p->mesh_message_deliveries_weight;
    }
    t += ts.mesh_failure_penalty * p->mesh_failure_penalty_weight;
    t += ts.invalid_deliveries * ts.invalid_deliveries * p->invalid_message_deliveries_weight;
    topics += t * p->topic_weight;
  }
  if (params_.topic_score_cap > 0) topics = std::min(topics, params_.topic_score_cap);
  double total = topics + s.app_score * params_.app_specific_weight;
  if (!s.ip.empty() && !params_.ip_colocation_factor_whitelist.count(s.ip)) {
    auto ip = ips_.find(s.ip);
    const double peers_on_ip = ip == ips_.end() ? 0 : static_cast<double>(ip->second.size());
    if (peers_on_ip > params_.ip_colocation_factor_threshold) {
      const double surplus = peers_on_ip - params_.ip_colocation_factor_threshold;
      total += surplus * surplus * params_.ip_colocation_factor_weight;
    }
  }
  if (s.behaviour_penalty > params_.behaviour_penalty_threshold) {
    const double excess = s.behaviour_penalty - params_.behaviour_penalty_threshold;
    total += excess * excess * params_.behaviour_penalty_weight;
  }
  return total;
}

void PeerScore::graft(const identity::PeerId& peer, const std::string& topic,
                      Clock::time_point now) {
  TopicStats* ts = stats(peer, topic);
  if (!ts) return;
  ts->in_mesh = true;
  ts->graft_time = now;
}

void PeerScore::prune(const identity::PeerId& peer, const std::string& topic,
                      Clock::time_point now) {
  TopicStats* ts = stats(peer, topic);
  if (!ts || !ts->in_mesh) return;
  const TopicScoreParams& p = *topic_params(topic);
  if (mesh_active(*ts, p, now) && ts->mesh_deliveries < p.mesh_message_deliveries_threshold) {
    const double deficit = p.mesh_message_deliveries_threshold - ts->mesh_deliveries;
    ts->mesh_failure_penalty += deficit * deficit;
  }
  ts->in_mesh = false;
}

void PeerScore::mark_first_delivery(const identity::PeerId& peer, const std::string& topic) {
  TopicStats* ts = stats(peer, topic);
  if (!ts) return;
  const TopicScoreParams& p = *topic_params(topic);
  ts->first_deliveries = std::min(ts->first_deliveries + 1, p.first_message_deliveries_cap);
  if (ts->in_mesh) mark_mesh_delivery(peer, topic);
}

void PeerScore::mark_mesh_delivery(const identity::PeerId& peer, const std::string& topic) {
  TopicStats* ts = stats(peer, topic);
  if (!ts || !ts->in_mesh) return;
  const TopicScoreParams& p = *topic_params(topic);
  ts->mesh_deliveries = std::min(ts->mesh_deliveries + 1, p.mesh_message_deliveries_cap);
}

void PeerScore::mark_invalid(const identity::PeerId& peer, const std::string& topic) {
  if (TopicStats* ts = stats(peer, topic)) ts->invalid_deliveries += 1;
}

void PeerScore::validate_message(const MessageId& id, Clock::time_point now) {
  if (records_.try_emplace(id).second) record_order_.emplace_back(now, id);
}

void PeerScore::deliver_message(const identity::PeerId& from, const MessageId& id,
                                const std::string& topic, Clock::time_point now) {
  mark_first_delivery(from, topic);
  auto it = records_.find(id);
  if (it == records_.end()) return;
  DeliveryRecord& r = it->second;
  r.status = DeliveryRecord::Status::kValid;
  r.validated = now;
  for (const identity::PeerId& peer : r.peers)
    if (peer != from) mark_mesh_delivery(peer, topic);
  r.peers.clear();
}

void PeerScore::reject_message(const identity::PeerId& from, const MessageId& id,
                               const std::string& topic) {
  mark_invalid(from, topic);
  auto it = records_.find(id);
  if (it == records_.end()) return;
  DeliveryRecord& r = it->second;
  r.status = DeliveryRecord::Status::kInvalid;
  for (const identity::PeerId& peer : r.peers)
    if (peer != from) mark_invalid(peer, topic);
  r.peers.clear();
}

void PeerScore::ignore_message(const MessageId& id) {
  auto it = records_.find(id);
  if (it == records_.end()) return;
  it->second.status = DeliveryRecord::Status::kIgnored;
  it->second.peers.clear();
}

void PeerScore::reject_unvalidated(const identity::PeerId& from, const std::string& topic) {
  mark_invalid(from, topic);
}

void PeerScore::duplicate_message(const identity::PeerId& from, const MessageId& id,
                                  const std::string& topic, Clock::time_point now) {
  auto it = records_.find(id);
  if (it == records_.end()) return;
  DeliveryRecord& r = it->second;
  switch (r.status) {
    case DeliveryRecord::Status::kPending:
      r.peers.insert(from);
      break;
    case DeliveryRecord::Status::kValid: {
      const TopicScoreParams* p = topic_params(topic);
      if (p && now <= r.validated + p->mesh_message_deliveries_window)
        mark_mesh_delivery(from, topic);
      break;
    }
    case DeliveryRecord::Status::kInvalid:
      mark_invalid(from, topic);
      break;
    case DeliveryRecord::Status::kIgnored:
      break;
  }
}

void PeerScore::add_penalty(const identity::PeerId& peer, double count) {
  auto it = peers_.find(peer);
  if (it != peers_.end()) it->second.behaviour_penalty += count;
}

void PeerScore::set_app_score(const identity::PeerId& peer, double value) {
  auto it = peers_.find(peer);
  if (it != peers_.end()) it->second.app_score = value;
}

void PeerScore::decay_once() {
  const double zero = params_.decay_to_zero;
  auto decay = [zero](double& value, double factor) {
    value *= factor;
    if (value < zero) value = 0;
  };
  for (auto& [peer, s] : peers_) {
    for (auto& [topic, ts] : s.topics) {
      const TopicScoreParams* p = topic_params(topic);
      if (!p) continue;
      decay(ts.first_deliveries, p->first_message_deliveries_decay);
      decay(ts.mesh_deliveries, p->mesh_message_deliveries_decay);
      decay(ts.mesh_failure_penalty, p->mesh_failure_penalty_decay);
      decay(ts.invalid_deliveries, p->invalid_message_deliveries_decay);
    }
    decay(s.behaviour_penalty, params_.behaviour_penalty_decay);
  }
}

void PeerScore::refresh(Clock::time_point now) {
  if (!last_decay_) last_decay_ = now;
  // After a long pause every counter is long at zero: stop early.
  for (int rounds = 0; now - *last_decay_ >= params_.decay_interval; ++rounds) {
    if (rounds == kMaxDecayRounds) {
      last_decay_ = now;
      break;
    }
    decay_once();
    *last_decay_ += params_.decay_interval;
  }
  std::erase_if(peers_, [now](const auto& entry) {
    return !entry.second.connected && entry.second.expire <= now;
  });
  while (!record_order_.empty() && record_order_.front().first + record_ttl_ <= now) {
    records_.erase(record_order_.front().second);
    record_order_.pop_front();
  }
}

}  // namespace prowl::pubsub
