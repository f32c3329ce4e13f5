#include "host/wire/kad/provider_store.h"

#include <algorithm>

namespace prowl::kad {
namespace {

bool refuse(std::string* error, const std::string& why) {
  if (error) *error = "provider store: " + why;
  return false;
}

std::vector<uint8_t> to_vector(std::span<const uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

ProviderStore::ProviderStore(Database* database, ProviderStoreLimits limits)
    : database_(database), limits_(limits) {
  if (database_ == nullptr) return;
  std::vector<ProviderRecord> records = database_->load_providers();
  std::sort(records.begin(), records.end(),
            [](const ProviderRecord& a, const ProviderRecord& b) { return a.expires < b.expires; });
  for (const ProviderRecord& record : records) insert(record.key, record.provider, record.expires, nullptr);
  for (LocalProvide& provide : database_->load_local_provides()) {
    local_[std::move(provide.key)] = provide.published;
  }
}

bool ProviderStore::insert(const std::vector<uint8_t>& key, const identity::PeerId& provider,
                           Time expires, std::string* error) {
  if (key.empty()) return refuse(error, "empty key");
  if (key.size() > limits_.max_key_bytes) {
    return refuse(error, "key of " + std::to_string(key.size()) + " bytes exceeds " +
                             std::to_string(limits_.max_key_bytes));
  }
  auto it = providers_.find(key);
  if (it == providers_.end()) {
    if (providers_.size() >= limits_.max_keys) {
      return refuse(error, "full (" + std::to_string(limits_.max_keys) + " keys)");
    }
    it = providers_.emplace(key, std::vector<Entry>{}).first;
  }
  std::vector<Entry>& entries = it->second;
  std::erase_if(entries, [&](const Entry& e) { return e.provider == provider; });
  if (entries.size() >= limits_.max_providers_per_key) {
    if (database_ != nullptr) database_->delete_provider(key, entries.front().provider);
    entries.erase(entries.begin());
  }
  auto position = std::upper_bound(entries.begin(), entries.end(), expires,
                                   [](Time t, const Entry& e) { return t < e.expires; });
  entries.insert(position, Entry{provider, expires});
  return true;
}

bool ProviderStore::add(std::span<const uint8_t> key, const identity::PeerId& provider, Time now,
                        std::string* error) {
  const std::vector<uint8_t> k = to_vector(key);
  const Time expires = now + limits_.ttl;
  if (!insert(k, provider, expires, error)) return false;
  if (database_ != nullptr) database_->save_provider(ProviderRecord{k, provider, expires});
  return true;
}

std::vector<identity::PeerId> ProviderStore::providers(std::span<const uint8_t> key, Time now,
                                                       size_t max) const {
  std::vector<identity::PeerId> out;
  auto it = providers_.find(to_vector(key));
  if (it == providers_.end()) return out;
  for (auto e = it->second.rbegin(); e != it->second.rend() && out.size() < max; ++e) {
    if (e->expires > now) out.push_back(e->provider);
  }
  return out;
}

size_t ProviderStore::expire(Time now) {
  size_t removed = 0;
  for (auto it = providers_.begin(); it != providers_.end();) {
    std::vector<Entry>& entries = it->second;
    while (!entries.empty() && entries.front().expires <= now) {
      if (database_ != nullptr) database_->delete_provider(it->first, entries.front().provider);
      entries.erase(entries.begin());
      ++removed;
    }
    it = entries.empty() ? providers_.erase(it) : std::next(it);
  }
  return removed;
}

void ProviderStore::start_providing(std::span<const uint8_t> key, Time now) {
  std::vector<uint8_t> k = to_vector(key);
  if (database_ != nullptr) database_->save_local_provide(LocalProvide{k, now});
  local_[std::move(k)] = now;
}

void ProviderStore::stop_providing(std::span<const uint8_t> key) {
  if (database_ != nullptr) database_->delete_local_provide(key);
  if (auto it = local_.find(to_vector(key)); it != local_.end()) local_.erase(it);
}

std::vector<std::vector<uint8_t>> ProviderStore::due_for_republish(Time now) const {
  std::vector<std::vector<uint8_t>> out;
  for (const auto& [key, published] : local_) {
    if (published + limits_.republish_interval <= now) out.push_back(key);
  }
  return out;
}

void ProviderStore::mark_published(std::span<const uint8_t> key, Time now) {
  if (local_.contains(to_vector(key))) start_providing(key, now);
}

std::vector<std::vector<uint8_t>> ProviderStore::provided_keys() const {
  std::vector<std::vector<uint8_t>> out;
  for (const auto& entry : local_) out.push_back(entry.first);
  return out;
}

}  // namespace prowl::kad
