#include "host/wire/kad/query.h"

#include <algorithm>

namespace prowl::kad {

Query::Query(Kind kind, const identity::PeerId& local, std::vector<uint8_t> key, QueryConfig config)
    : kind_(kind), local_(local), key_(std::move(key)), target_(Key::from_bytes(key_)),
      config_(config) {}

Query Query::find_closest_peers(const identity::PeerId& local, std::vector<uint8_t> target,
                                QueryConfig config) {
  return Query(Kind::kFindClosestPeers, local, std::move(target), config);
}

Query Query::get_value(const identity::PeerId& local, std::vector<uint8_t> key,
                       const Validator& validator, QueryConfig config) {
  Query query(Kind::kGetValue, local, std::move(key), config);
  query.validator_ = &validator;
  return query;
}

Query Query::get_providers(const identity::PeerId& local, std::vector<uint8_t> key,
                           QueryConfig config) {
  return Query(Kind::kGetProviders, local, std::move(key), config);
}

Query Query::put_value(const identity::PeerId& local, Record record, QueryConfig config) {
  std::vector<uint8_t> key = record.key;
  Query query(Kind::kPutValue, local, std::move(key), config);
  query.record_ = std::move(record);
  return query;
}

Query Query::add_provider(const identity::PeerId& local, std::vector<uint8_t> key, PeerInfo self,
                          QueryConfig config) {
  Query query(Kind::kAddProvider, local, std::move(key), config);
  query.self_ = std::move(self);
  return query;
}

void Query::add_seeds(const std::vector<PeerInfo>& seeds) {
  for (const PeerInfo& seed : seeds) add_candidate(seed, 1);
}

void Query::add_candidate(const PeerInfo& peer, size_t depth) {
  if (peer.id == local_) return;
  const Distance distance = Key::from_peer(peer.id).distance(target_);
  if (auto known = candidates_.find(distance); known != candidates_.end()) {
    if (known->second.info.addresses.empty()) known->second.info.addresses = peer.addresses;
    return;
  }
  if (candidates_.size() >= config_.max_candidates) {
    auto farthest = std::prev(candidates_.end());
    const State state = farthest->second.state;
    if (farthest->first < distance || state == State::kInFlight || state == State::kSucceeded) return;
    candidates_.erase(farthest);
  }
  candidates_.emplace(distance, Candidate{peer, State::kWaiting, depth});
}

QueryRequest Query::make_request(const Distance& distance, Candidate& candidate, Phase phase,
                                 Time now) {
  QueryRequest request{next_id_++, candidate.info, Message{}, true};
  Message& m = request.message;
  m.key = key_;
  if (phase == Phase::kStore) {
    if (kind_ == Kind::kPutValue) {
      m.type = MessageType::kPutValue;
      m.record = record_;
    } else {
      m.type = MessageType::kAddProvider;
      m.provider_peers.push_back(*self_);
      request.expects_response = false;
    }
  } else {
    m.type = kind_ == Kind::kGetValue       ? MessageType::kGetValue
             : kind_ == Kind::kGetProviders ? MessageType::kGetProviders
                                            : MessageType::kFindNode;
    candidate.state = State::kInFlight;
  }
  if (request.expects_response) outstanding_.emplace(request.id, Outstanding{distance, phase, now});
  ++result_.requests;
  return request;
}

std::vector<QueryRequest> Query::poll(Time now) {
  std::vector<QueryRequest> out;
  if (finished()) return out;
  if (!started_) started_ = now;
  if (now - *started_ >= config_.query_timeout) {
    finish(QueryResult::Status::kTimedOut);
    return out;
  }
  std::vector<uint64_t> late;
  for (const auto& [id, request] : outstanding_) {
    if (now - request.sent >= config_.request_timeout) late.push_back(id);
  }
  for (uint64_t id : late) on_failure(id, now);
  if (phase_ == Phase::kStore) {
    if (outstanding_.empty()) finish(QueryResult::Status::kFinished);
    return out;
  }
  if (stop_condition_met()) {
    finish(QueryResult::Status::kFinished);
    return out;
  }
  if (step_lookup(now, out)) finish_lookup(now, out);
  return out;
}

bool Query::step_lookup(Time now, std::vector<QueryRequest>& out) {
  size_t in_flight = outstanding_.size();
  size_t considered = 0;
  bool converged = true;
  for (auto& [distance, candidate] : candidates_) {
    if (candidate.state == State::kFailed) continue;
    if (considered++ == config_.k) break;
    if (candidate.state == State::kSucceeded) continue;
    converged = false;
    if (candidate.state == State::kWaiting && in_flight < config_.alpha) {
      out.push_back(make_request(distance, candidate, Phase::kLookup, now));
      ++in_flight;
    }
  }
  return converged;
}

void Query::finish_lookup(Time now, std::vector<QueryRequest>& out) {
  if (kind_ != Kind::kPutValue && kind_ != Kind::kAddProvider) {
    finish(QueryResult::Status::kFinished);
    return;
  }
  outstanding_.clear();  // lookup answers still on their way no longer matter
  phase_ = Phase::kStore;
  size_t sent = 0;
  for (auto& [distance, candidate] : candidates_) {
    if (candidate.state != State::kSucceeded) continue;
    if (sent++ == config_.k) break;
    QueryRequest request = make_request(distance, candidate, Phase::kStore, now);
    if (!request.expects_response) ++result_.stored;
    out.push_back(std::move(request));
  }
  if (outstanding_.empty()) finish(QueryResult::Status::kFinished);
}

void Query::on_response(uint64_t id, const Message& response, Time now) {
  auto it = outstanding_.find(id);
  if (it == outstanding_.end()) return;
  const Outstanding request = it->second;
  const MessageType expected = request.phase == Phase::kStore ? MessageType::kPutValue
                               : kind_ == Kind::kGetValue      ? MessageType::kGetValue
                               : kind_ == Kind::kGetProviders  ? MessageType::kGetProviders
                                                               : MessageType::kFindNode;
  auto candidate = candidates_.find(request.distance);
  if (response.type != expected || candidate == candidates_.end()) {
    on_failure(id, now);
    return;
  }
  outstanding_.erase(it);
  ++result_.responses;
  if (request.phase == Phase::kStore) {
    if (response.record && response.record->value == record_->value) ++result_.stored;
    return;
  }
  candidate->second.state = State::kSucceeded;
  absorb_lookup_answer(candidate->second, response);
}

void Query::absorb_lookup_answer(Candidate& candidate, const Message& response) {
  const size_t depth = candidate.depth + 1;
  const identity::PeerId from = candidate.info.id;
  for (const PeerInfo& peer : response.closer_peers) add_candidate(peer, depth);
  if (kind_ == Kind::kGetValue && response.record && response.record->key == key_ &&
      validator_->validate(key_, response.record->value, nullptr)) {
    result_.records.push_back(FoundRecord{from, response.record->value});
    std::vector<std::vector<uint8_t>> values;
    for (const FoundRecord& found : result_.records) values.push_back(found.value);
    result_.best_value = values[validator_->select(key_, values)];
    result_.outdated.clear();
    for (const FoundRecord& found : result_.records) {
      if (found.value != *result_.best_value) result_.outdated.push_back(found.from);
    }
  }
  if (kind_ == Kind::kGetProviders) {
    for (const PeerInfo& provider : response.provider_peers) {
      if (result_.providers.size() == config_.max_providers) break;
      const bool known = std::any_of(result_.providers.begin(), result_.providers.end(),
                                     [&](const PeerInfo& p) { return p.id == provider.id; });
      if (!known) result_.providers.push_back(provider);
    }
  }
}

void Query::on_failure(uint64_t id, Time) {
  auto it = outstanding_.find(id);
  if (it == outstanding_.end()) return;
  if (it->second.phase == Phase::kLookup) {
    if (auto candidate = candidates_.find(it->second.distance); candidate != candidates_.end()) {
      candidate->second.state = State::kFailed;
    }
  }
  outstanding_.erase(it);
  ++result_.failures;
}

bool Query::stop_condition_met() const {
  if (kind_ == Kind::kGetValue) return result_.records.size() >= config_.quorum;
  if (kind_ == Kind::kGetProviders) return result_.providers.size() >= config_.max_providers;
  return false;
}

void Query::finish(QueryResult::Status status) {
  result_.status = status;
  outstanding_.clear();
  result_.closest.clear();
  result_.hops = 0;
  for (const auto& [distance, candidate] : candidates_) {
    if (candidate.state != State::kSucceeded) continue;
    if (result_.closest.empty()) result_.hops = candidate.depth;
    result_.closest.push_back(candidate.info);
    if (result_.closest.size() == config_.k) break;
  }
}

std::optional<Time> Query::next_deadline() const {
  if (finished() || !started_) return std::nullopt;
  Time deadline = *started_ + config_.query_timeout;
  for (const auto& [id, request] : outstanding_) {
    deadline = std::min(deadline, request.sent + std::chrono::duration_cast<Clock::duration>(
                                                     config_.request_timeout));
  }
  return deadline;
}

}  // namespace prowl::kad
