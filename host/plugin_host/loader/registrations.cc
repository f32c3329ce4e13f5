#include "host/plugin_host/loader/registrations.h"

#include <atomic>
#include <utility>
#include <vector>

namespace prowl::plugins {
namespace {

std::atomic<uint64_t> next_id{1};

}  // namespace

std::string_view registration_name(RegistrationKind kind) noexcept {
  switch (kind) {
    case RegistrationKind::kListener: return "stream protocols served";
    case RegistrationKind::kStream: return "streams open";
    case RegistrationKind::kServed: return "request-response names served";
    case RegistrationKind::kInbound: return "requests unanswered";
    case RegistrationKind::kOutbound: return "requests in flight";
    case RegistrationKind::kDhtCall: return "DHT calls running";
    case RegistrationKind::kSubscription: return "subscriptions";
    case RegistrationKind::kValidator: return "validators";
    case RegistrationKind::kHowlSubscription: return "howl subscriptions";
  }
  return "registrations";
}

std::optional<uint64_t> Registrations::add(RegistrationKind kind, size_t limit, Release release) {
  std::lock_guard lock(mutex_);
  if (held(kind) >= limit) return std::nullopt;
  const uint64_t id = next_id.fetch_add(1);
  entries_.emplace(id, Entry{kind, std::move(release)});
  return id;
}

bool Registrations::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  return entries_.erase(id) != 0;
}

size_t Registrations::count(RegistrationKind kind) const {
  std::lock_guard lock(mutex_);
  return held(kind);
}

size_t Registrations::held(RegistrationKind kind) const {
  size_t n = 0;
  for (const auto& [id, entry] : entries_) n += entry.kind == kind ? 1 : 0;
  return n;
}

void Registrations::release_all() noexcept {
  std::map<uint64_t, Entry> ending;
  {
    std::lock_guard lock(mutex_);
    ending.swap(entries_);
  }
  for (auto it = ending.rbegin(); it != ending.rend(); ++it) {
    try {
      if (it->second.release) it->second.release(it->first);
    } catch (...) {
      // A release action that throws has ended what it could; the rest still end.
    }
  }
}

}  // namespace prowl::plugins
