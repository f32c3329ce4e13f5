#include "host/wire/kad/record_store.h"

namespace prowl::kad {
namespace {

bool refuse(std::string* error, const std::string& why) {
  if (error) *error = "record store: " + why;
  return false;
}

}  // namespace

RecordStore::RecordStore(Database* database, RecordStoreLimits limits) : database_(database), limits_(limits) {
  if (database_ == nullptr) return;
  for (StoredRecord& record : database_->load_records()) {
    if (records_.size() == limits_.max_records) break;
    if (record.key.empty() || record.key.size() > limits_.max_key_bytes ||
        record.value.size() > limits_.max_value_bytes ||
        publisher_count(record.publisher) >= limits_.max_records_per_publisher) {
      continue;
    }
    insert(std::move(record));
  }
}

size_t RecordStore::publisher_count(const identity::PeerId& publisher) const {
  auto it = per_publisher_.find(publisher);
  return it == per_publisher_.end() ? 0 : it->second;
}

void RecordStore::release(const identity::PeerId& publisher) {
  auto it = per_publisher_.find(publisher);
  if (it != per_publisher_.end() && --it->second == 0) per_publisher_.erase(it);
}

void RecordStore::insert(StoredRecord record) {
  auto it = records_.find(record.key);
  if (it != records_.end()) {
    release(it->second.publisher);
    records_.erase(it);
  }
  ++per_publisher_[record.publisher];
  std::vector<uint8_t> key = record.key;
  records_.emplace(std::move(key), std::move(record));
}

bool RecordStore::put(std::span<const uint8_t> key, std::span<const uint8_t> value,
                      const identity::PeerId& publisher, Time now, std::string* error) {
  if (key.empty()) return refuse(error, "empty key");
  if (key.size() > limits_.max_key_bytes) {
    return refuse(error, "key of " + std::to_string(key.size()) + " bytes exceeds " +
                             std::to_string(limits_.max_key_bytes));
  }
  if (value.size() > limits_.max_value_bytes) {
    return refuse(error, "value of " + std::to_string(value.size()) + " bytes exceeds " +
                             std::to_string(limits_.max_value_bytes));
  }
  StoredRecord record{{key.begin(), key.end()}, {value.begin(), value.end()}, publisher, now,
                      now + limits_.ttl};
  auto existing = records_.find(record.key);
  const bool replaces_own = existing != records_.end() && existing->second.publisher == publisher;
  if (existing == records_.end() && records_.size() >= limits_.max_records) {
    return refuse(error, "full (" + std::to_string(limits_.max_records) + " records)");
  }
  const size_t count = publisher_count(publisher);
  if (!replaces_own && count >= limits_.max_records_per_publisher) {
    return refuse(error, "publisher " + publisher.to_string() + " already has " + std::to_string(count) +
                             " records here, the most one publisher may store (limit "
                             "network.limits.max_kad_records_per_publisher = " +
                             std::to_string(limits_.max_records_per_publisher) +
                             "; the node's operator can raise it in its config)");
  }
  if (database_ != nullptr) database_->save_record(record);
  insert(std::move(record));
  return true;
}

std::optional<StoredRecord> RecordStore::get(std::span<const uint8_t> key, Time now) const {
  auto it = records_.find(std::vector<uint8_t>(key.begin(), key.end()));
  if (it == records_.end() || it->second.expires <= now) return std::nullopt;
  return it->second;
}

size_t RecordStore::expire(Time now) {
  size_t removed = 0;
  for (auto it = records_.begin(); it != records_.end();) {
    if (it->second.expires > now) {
      ++it;
      continue;
    }
    if (database_ != nullptr) database_->delete_record(it->first);
    release(it->second.publisher);
    it = records_.erase(it);
    ++removed;
  }
  return removed;
}

}  // namespace prowl::kad
