// Values stored on behalf of the network (PUT_VALUE), bounded in count,
// per publisher and in size, each living kRecordTtl after its last put, and
// written through to the Database when one is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/database.h"

namespace prowl::kad {

/// What a RecordStore keeps at most, and for how long.
struct RecordStoreLimits {
  size_t max_records = 16384;
  size_t max_records_per_publisher = 256;  ///< config network.limits.max_kad_records_per_publisher
  size_t max_key_bytes = kMaxKeyBytes;
  size_t max_value_bytes = kMaxValueBytes;
  Clock::duration ttl = kRecordTtl;
};

/// Not thread-safe: use it from one executor. Methods that write throw
/// std::runtime_error when the database fails (memory then stays unchanged).
class RecordStore {
 public:
  /// Loads what `database` holds (it may be null for a memory-only store;
  /// otherwise it must outlive the store), up to the limits.
  explicit RecordStore(Database* database, RecordStoreLimits limits = {});

  /// Stores `value` under `key` for `publisher`, replacing what was there.
  /// Returns false, with `error` naming the limit, when the key or value is
  /// empty or too long, or the store or the publisher's share is full.
  /// Validation is the caller's business.
  bool put(std::span<const uint8_t> key, std::span<const uint8_t> value,
           const identity::PeerId& publisher, Time now, std::string* error = nullptr);

  /// The live record under `key`, if any.
  std::optional<StoredRecord> get(std::span<const uint8_t> key, Time now) const;

  /// Forgets expired records; returns how many.
  size_t expire(Time now);

  /// Records held, expired ones included until expire() runs.
  size_t size() const noexcept { return records_.size(); }

 private:
  // Adds `record` to memory, replacing the one with its key.
  void insert(StoredRecord record);
  // Counts one record fewer for `publisher`.
  void release(const identity::PeerId& publisher);
  // Records held for `publisher`.
  size_t publisher_count(const identity::PeerId& publisher) const;

  Database* database_;
  RecordStoreLimits limits_;
  std::map<std::vector<uint8_t>, StoredRecord> records_;
  std::map<identity::PeerId, size_t> per_publisher_;
};

}  // namespace prowl::kad
