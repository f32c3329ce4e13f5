#include "host/wire/reputation/ledger.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace prowl::reputation {
namespace {

// Moves `rate` toward `sample` (0 or 1, or a speed in between): a sample
// below the rate is bad news and weighs `bad`, one above weighs `good`.
void blend(double& rate, double sample, const Settings& s) {
  const double alpha = sample < rate ? s.alpha_bad : s.alpha_good;
  rate += (sample - rate) * alpha;
}

bool in_unit(double v) { return v >= 0 && v <= 1; }

}  // namespace

Status Settings::validate() const {
  if (!in_unit(trust_threshold)) return Status::InvalidInput("reputation.trust_threshold must be within [0, 1]");
  if (!in_unit(decay)) return Status::InvalidInput("reputation.decay must be within [0, 1] (a fraction per hour)");
  if (failed_attempts == 0) return Status::InvalidInput("reputation.failed_attempts must be at least 1");
  if (quarantine.count() < 0) return Status::InvalidInput("reputation.quarantine_s must not be negative");
  if (!in_unit(neutral) || !in_unit(alpha_good) || !in_unit(alpha_bad))
    return Status::InvalidInput("reputation rates must be within [0, 1]");
  if (!(contribution_scale > 0)) return Status::InvalidInput("reputation contribution scale must be positive");
  const Weights& w = weights;
  for (double x : {w.performance, w.reliability, w.contribution, w.accuracy, w.participation}) {
    if (!in_unit(x)) return Status::InvalidInput("reputation weights must be within [0, 1]");
  }
  const double sum = w.performance + w.reliability + w.contribution + w.accuracy + w.participation;
  if (std::abs(sum - 1.0) > 1e-9) return Status::InvalidInput("reputation weights must sum to 1");
  return Status::Ok();
}

double Record::contribution(const Settings& s) const {
  return 1.0 - std::exp(-std::max(0.0, net_contribution) / s.contribution_scale);
}

double Record::trust(const Settings& s) const {
  const Weights& w = s.weights;
  return w.performance * performance + w.reliability * reliability + w.contribution * contribution(s) +
         w.accuracy * accuracy + w.participation * participation;
}

Ledger::Ledger(Settings settings) : settings_(settings) { assert(settings_.validate().ok()); }

void Ledger::decay(Record& r, Time now) const {
  if (r.updated == Time{}) {
    r.updated = now;
    return;
  }
  if (now <= r.updated) return;
  const double hours = std::chrono::duration<double, std::ratio<3600>>(now - r.updated).count();
  const double keep = std::pow(1.0 - settings_.decay, hours);
  for (double* rate : {&r.performance, &r.reliability, &r.accuracy, &r.participation}) {
    *rate = settings_.neutral + (*rate - settings_.neutral) * keep;
  }
  r.net_contribution *= keep;
  r.updated = now;
}

Record& Ledger::decayed(const identity::PeerId& peer, Time now) {
  auto [it, fresh] = records_.try_emplace(peer);
  Record& r = it->second;
  if (fresh) {
    r.performance = r.reliability = r.accuracy = r.participation = settings_.neutral;
  }
  decay(r, now);
  return r;
}

const Record& Ledger::valid_result(const identity::PeerId& peer, double speed, Time now) {
  Record& r = decayed(peer, now);
  blend(r.performance, std::clamp(speed, 0.0, 1.0), settings_);
  blend(r.reliability, 1, settings_);
  blend(r.accuracy, 1, settings_);
  r.net_contribution += 1;
  ++r.valid;
  ++r.consecutive_valid;
  return r;
}

const Record& Ledger::invalid_result(const identity::PeerId& peer, Time now) {
  Record& r = decayed(peer, now);
  blend(r.performance, 0, settings_);
  blend(r.reliability, 0, settings_);
  blend(r.accuracy, 0, settings_);
  r.net_contribution = std::max(0.0, r.net_contribution - 2);
  ++r.invalid;
  ++r.recent_invalid;
  r.consecutive_valid = 0;
  if (r.recent_invalid >= settings_.failed_attempts && r.trust(settings_) < settings_.trust_threshold) {
    r.quarantined_until = now + settings_.quarantine;
    r.recent_invalid = 0;
  }
  return r;
}

const Record& Ledger::lost_task(const identity::PeerId& peer, Time now) {
  Record& r = decayed(peer, now);
  blend(r.performance, 0, settings_);
  blend(r.reliability, 0, settings_);
  ++r.lost;
  return r;
}

const Record& Ledger::answered(const identity::PeerId& peer, bool answered, Time now) {
  Record& r = decayed(peer, now);
  blend(r.participation, answered ? 1 : 0, settings_);
  return r;
}

Record Ledger::view(const identity::PeerId& peer, Time now) const {
  Record r;
  if (auto it = records_.find(peer); it != records_.end()) {
    r = it->second;
  } else {
    r.performance = r.reliability = r.accuracy = r.participation = settings_.neutral;
  }
  decay(r, now);
  return r;
}

bool Ledger::quarantined(const identity::PeerId& peer, Time now) const {
  auto it = records_.find(peer);
  return it != records_.end() && it->second.quarantined(now);
}

}  // namespace prowl::reputation
