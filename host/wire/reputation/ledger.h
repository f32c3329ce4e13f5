// Reputation: what this host has measured of each peer that did work for it,
// as a trust score in [0, 1] and a quarantine. Sans-IO: the caller reports
// events with the time they happened; nothing here reads a clock.
//
// The trust score is a weighted sum of five inputs, each in [0, 1]:
//   performance history   0.30  speed of valid results (reference time over
//                               the peer's time, at most 1); 0 for an invalid
//                               or lost task
//   reliability           0.25  assignments that ended in a valid result (1)
//                               rather than an invalid or lost one (0)
//   contribution          0.20  useful work done: 1 - exp(-net / scale), net
//                               = valid - 2 x invalid results (decaying)
//   validation accuracy   0.15  1 - error rate: valid (1) or invalid (0)
//   participation         0.10  offers and heartbeats answered (1) or not (0)
// Rates move by an asymmetric average: a bad sample moves them by
// `alpha_bad` (sharply), a good one by `alpha_good` (slowly), so one invalid
// result ends a run of trust, as BOINC's adaptive replication has it.
// Between events every input decays toward `neutral` at `decay` per hour.
//
// A peer with at least `failed_attempts` invalid results since its last
// quarantine whose trust is below `trust_threshold` is quarantined for
// `quarantine`: the host sends it no work and takes none from it.
//
// Thread safety: none; use a Ledger from one thread or executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "host/base/identity/peer_id.h"
#include "host/base/status/status.h"

namespace prowl::reputation {

using Time = std::chrono::system_clock::time_point;

struct Weights {
  double performance = 0.30;
  double reliability = 0.25;
  double contribution = 0.20;
  double accuracy = 0.15;
  double participation = 0.10;
};

struct Settings {
  double trust_threshold = 0.7;              ///< reputation.trust_threshold
  double decay = 0.01;                       ///< per hour, toward neutral (reputation.decay)
  uint32_t failed_attempts = 3;              ///< reputation.failed_attempts
  std::chrono::seconds quarantine{3600};     ///< reputation.quarantine_s
  double neutral = 0.5;                      ///< where rates start and decay to
  double alpha_good = 0.05;                  ///< weight of a good sample
  double alpha_bad = 0.5;                    ///< weight of a bad sample
  double contribution_scale = 50;            ///< net valid tasks for contribution 1 - 1/e
  Weights weights;

  /// OK, or kInvalidInput naming the setting out of range (thresholds and
  /// rates in [0, 1], weights summing to 1, a positive scale).
  Status validate() const;
};

/// One peer's standing.
struct Record {
  double performance = 0.5;
  double reliability = 0.5;
  double accuracy = 0.5;
  double participation = 0.5;
  double net_contribution = 0;  ///< valid - 2 x invalid, decaying, at least 0
  uint64_t valid = 0;
  uint64_t invalid = 0;
  uint64_t lost = 0;
  uint32_t recent_invalid = 0;     ///< invalid results since the last quarantine
  uint64_t consecutive_valid = 0;  ///< valid results since the last invalid one
  Time quarantined_until{};
  Time updated{};

  double contribution(const Settings& s) const;
  double trust(const Settings& s) const;
  bool quarantined(Time now) const { return now < quarantined_until; }
};

class Ledger {
 public:
  /// REQUIRES: settings.validate().ok().
  explicit Ledger(Settings settings);

  /// `peer` returned a result that verified. `speed` is the reference run
  /// time over the peer's, clamped to [0, 1] (1: as fast as the reference).
  const Record& valid_result(const identity::PeerId& peer, double speed, Time now);
  /// `peer` returned a result that did not verify. May quarantine it.
  const Record& invalid_result(const identity::PeerId& peer, Time now);
  /// `peer` accepted a task, then timed out or disconnected.
  const Record& lost_task(const identity::PeerId& peer, Time now);
  /// `peer` answered an offer or heartbeat (true) or stayed silent (false).
  const Record& answered(const identity::PeerId& peer, bool answered, Time now);

  /// The peer's record decayed to `now` (a fresh neutral one when unknown).
  Record view(const identity::PeerId& peer, Time now) const;
  double trust(const identity::PeerId& peer, Time now) const { return view(peer, now).trust(settings_); }
  bool quarantined(const identity::PeerId& peer, Time now) const;

  /// Puts a stored record in place (loading from a Store).
  void load(const identity::PeerId& peer, const Record& record) { records_[peer] = record; }

  const std::map<identity::PeerId, Record>& records() const noexcept { return records_; }
  const Settings& settings() const noexcept { return settings_; }

 private:
  Record& decayed(const identity::PeerId& peer, Time now);
  void decay(Record& r, Time now) const;

  Settings settings_;
  std::map<identity::PeerId, Record> records_;
};

}  // namespace prowl::reputation
