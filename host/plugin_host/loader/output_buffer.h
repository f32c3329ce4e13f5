// A host-owned growable byte buffer behind a prowl_writer: no zero-filling,
// geometric growth with realloc, a hard size limit.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace prowl::plugins {

/// Output for plugin calls. Not thread-safe: one producer at a time.
/// reserve() past the limit fails (the plugin then reports PROWL_ERR_LIMIT).
class OutputBuffer {
 public:
  /// REQUIRES: limit is the most bytes the buffer may ever hold.
  explicit OutputBuffer(size_t limit = SIZE_MAX) noexcept;
  ~OutputBuffer();
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;
  OutputBuffer(OutputBuffer&& other) noexcept;
  OutputBuffer& operator=(OutputBuffer&& other) noexcept;

  /// The C view to hand to a plugin; valid while this buffer lives.
  prowl_writer* writer() noexcept { return &writer_; }

  /// Changes the hard limit (REQUIRES: limit >= size()).
  void set_limit(size_t limit) noexcept { limit_ = limit; }
  size_t limit() const noexcept { return limit_; }

  /// Pre-allocates room for `bytes` more (never past the limit).
  /// Returns false when out of memory.
  bool reserve(size_t bytes) noexcept;

  /// Appends bytes directly (REQUIRES: size() + data.size() <= limit()).
  /// Returns false when out of memory or past the limit.
  bool append(std::span<const uint8_t> data) noexcept;

  /// Replaces the first `old_size` bytes (REQUIRES: <= size()) with `bytes`,
  /// moving the rest. Returns false when out of memory or past the limit.
  bool replace_front(size_t old_size, std::span<const uint8_t> bytes) noexcept;

  /// Drops all contents, keeps the allocation.
  void clear() noexcept { size_ = 0; }

  const uint8_t* data() const noexcept { return data_; }
  uint8_t* data() noexcept { return data_; }
  size_t size() const noexcept { return size_; }
  std::span<const uint8_t> bytes() const noexcept { return {data_, size_}; }
  /// A copy of the contents.
  std::vector<uint8_t> to_vector() const { return {data_, data_ + size_}; }

 private:
  bool grow_to(size_t capacity) noexcept;
  static uint8_t* reserve_cb(void* ctx, size_t min_bytes, size_t* room) noexcept;
  static void commit_cb(void* ctx, size_t n) noexcept;

  prowl_writer writer_{};
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  size_t limit_;
};

}  // namespace prowl::plugins
