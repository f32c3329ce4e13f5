// The client side of the DHT, sans-IO: one iterative Kademlia lookup. It
// asks the closest not-yet-asked peers (at most alpha at a time), learns
// closer peers from their answers, and ends when the k closest peers it
// knows have all answered. Value lookups also stop on a quorum of valid
// records and provider lookups on enough providers; put-value and
// add-provider first look up the k closest peers, then send them the record.
//
// Drive it with poll() after every input: it returns the requests to send,
// each with an id; report each request's outcome with on_response() or
// on_failure(). Time is passed in; poll() at next_deadline() at the latest.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/key.h"
#include "host/wire/kad/message.h"
#include "host/wire/kad/validator.h"

namespace prowl::kad {

/// Tuning of one query.
struct QueryConfig {
  size_t alpha = kAlpha;                             ///< requests in flight
  size_t k = kBucketSize;                            ///< peers that must answer
  std::chrono::milliseconds request_timeout{10000};  ///< per request
  std::chrono::milliseconds query_timeout{60000};    ///< whole query
  size_t quorum = 1;                                 ///< get-value: stop after this many valid records
  size_t max_providers = kBucketSize;                ///< get-providers: stop after this many
  size_t max_candidates = 32 * kBucketSize;          ///< peers remembered; the farthest go first
};

/// One request the caller must send.
struct QueryRequest {
  uint64_t id = 0;  ///< pass back to on_response / on_failure
  PeerInfo peer;    ///< whom to ask, with the addresses learned for it
  Message message;
  /// False for ADD_PROVIDER, which the remote never answers: the query
  /// counts it as delivered and expects no report.
  bool expects_response = true;
};

/// A valid record some peer returned.
struct FoundRecord {
  identity::PeerId from;
  std::vector<uint8_t> value;
};

/// How a query ended, and what it found.
struct QueryResult {
  enum class Status {
    kRunning,
    kFinished,  ///< the lookup converged, or its stop condition held
    kTimedOut,  ///< query_timeout passed first; the fields hold what was found
  };
  Status status = Status::kRunning;
  /// Up to k peers that answered, closest to the key first.
  std::vector<PeerInfo> closest;
  /// Get-value: valid records received, and the best value among them.
  std::vector<FoundRecord> records;
  std::optional<std::vector<uint8_t>> best_value;
  /// Get-value: peers that returned a value other than the best (to correct).
  std::vector<identity::PeerId> outdated;
  /// Get-providers: providers found (deduplicated).
  std::vector<PeerInfo> providers;
  /// Put-value: peers that acknowledged the record; add-provider: peers sent to.
  size_t stored = 0;
  /// Hops: the request depth at which the closest answering peer was reached
  /// (a seed is 1 hop, a peer it named 2, ...).
  size_t hops = 0;
  size_t requests = 0;   ///< requests sent
  size_t responses = 0;  ///< requests answered
  size_t failures = 0;   ///< requests failed or timed out
};

/// One lookup. Not thread-safe.
class Query {
 public:
  /// Finds the k peers closest to `target` (usually a peer id's bytes).
  static Query find_closest_peers(const identity::PeerId& local, std::vector<uint8_t> target,
                                  QueryConfig config = {});
  /// Finds values of `key`; `validator` must outlive the query.
  static Query get_value(const identity::PeerId& local, std::vector<uint8_t> key,
                         const Validator& validator, QueryConfig config = {});
  /// Finds providers of `key`.
  static Query get_providers(const identity::PeerId& local, std::vector<uint8_t> key,
                             QueryConfig config = {});
  /// Stores `record` on the k peers closest to its key.
  static Query put_value(const identity::PeerId& local, Record record, QueryConfig config = {});
  /// Announces `self` (our id and addresses) as a provider of `key` to the k closest peers.
  static Query add_provider(const identity::PeerId& local, std::vector<uint8_t> key, PeerInfo self,
                            QueryConfig config = {});

  /// Adds peers to start from (usually the routing table's closest to the
  /// key, with their addresses). Ourselves and known peers are skipped.
  void add_seeds(const std::vector<PeerInfo>& seeds);

  /// Advances the query at `now` (the first call starts its clock): times
  /// out late requests and returns the requests to send now.
  std::vector<QueryRequest> poll(Time now);

  /// Reports the answer to request `id`. Answers of the wrong type count as
  /// failures; unknown or late ids are ignored.
  void on_response(uint64_t id, const Message& response, Time now);

  /// Reports that request `id` failed (no connection, stream reset, bad bytes).
  void on_failure(uint64_t id, Time now);

  /// When poll() must run next at the latest; nullopt once finished or before the first poll.
  std::optional<Time> next_deadline() const;

  bool finished() const noexcept { return result_.status != QueryResult::Status::kRunning; }
  const QueryResult& result() const noexcept { return result_; }
  /// The key the query is about (the lookup target).
  const std::vector<uint8_t>& key() const noexcept { return key_; }

 private:
  enum class Kind { kFindClosestPeers, kGetValue, kGetProviders, kPutValue, kAddProvider };
  enum class State { kWaiting, kInFlight, kSucceeded, kFailed };
  enum class Phase { kLookup, kStore };

  struct Candidate {
    PeerInfo info;
    State state = State::kWaiting;
    size_t depth = 1;
  };
  struct Outstanding {
    Distance distance;  // of the candidate asked
    Phase phase;
    Time sent;
  };

  Query(Kind kind, const identity::PeerId& local, std::vector<uint8_t> key, QueryConfig config);

  // Adds `peer` as a candidate at `depth` unless known, ourselves, or too far.
  void add_candidate(const PeerInfo& peer, size_t depth);
  // The request to send to `candidate` in the current phase.
  QueryRequest make_request(const Distance& distance, Candidate& candidate, Phase phase, Time now);
  // Sends lookup requests; true when the lookup has converged.
  bool step_lookup(Time now, std::vector<QueryRequest>& out);
  // Starts the store phase (or finishes the query).
  void finish_lookup(Time now, std::vector<QueryRequest>& out);
  void absorb_lookup_answer(Candidate& candidate, const Message& response);
  bool stop_condition_met() const;
  void finish(QueryResult::Status status);

  Kind kind_;
  identity::PeerId local_;
  std::vector<uint8_t> key_;
  Key target_;
  QueryConfig config_;
  const Validator* validator_ = nullptr;
  std::optional<Record> record_;  // put-value
  std::optional<PeerInfo> self_;  // add-provider

  Phase phase_ = Phase::kLookup;
  std::optional<Time> started_;
  uint64_t next_id_ = 1;
  std::map<Distance, Candidate> candidates_;
  std::map<uint64_t, Outstanding> outstanding_;
  QueryResult result_;
};

}  // namespace prowl::kad
